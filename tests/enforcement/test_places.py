"""The register of places without a credit code: imported like the enterprise register (bad
rows reported by number, the good ones in, a second import an update), listed and filtered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enforcement.models import Place, PlaceKind
from enforcement.registry.places import ImportRefused, import_places
from tests.factories import client_for
from workflow.models import Unit

pytestmark = pytest.mark.django_db

FILE = (
    "点位名称,类型,位置,管辖单位,属地,建设单位\n"
    "万科城三期工地,工地,小店区龙城大街88号,小店分局,北格镇,山西某建工集团\n"
    "张花村东侧空地,露天焚烧,北格镇张花村东200米,小店分局,北格镇,\n"
    "迎泽大街烧烤摊,餐饮油烟,迎泽大街12号,迎泽分局,,\n"
    "某堆场,仓库,北格镇,小店分局,,\n"
    "无名点位,堆场,北格镇,小店分局,西温庄乡,\n"
).encode()


def test_an_import_reports_bad_rows_and_a_second_one_updates(
    district: Unit, town: Unit, other_district: Unit
) -> None:
    report = import_places(FILE, name="点位.csv", actor_unit=district, now=timezone.now())
    assert (report.created, report.updated) == (2, 0)
    rejected = dict(report.rejected)
    assert set(rejected) == {4, 5, 6}
    assert "不在本单位" in str(rejected[4])  # another bureau's place
    assert "点位类型“仓库”无效" in str(rejected[5])
    assert "没有名为“西温庄乡”的单位" in str(rejected[6])
    site = Place.objects.get(name="万科城三期工地")
    assert site.kind == PlaceKind.SITE and site.responsible_unit == town
    assert site.owner == "山西某建工集团"
    again = import_places(FILE, name="点位.csv", actor_unit=district, now=timezone.now())
    assert (again.created, again.updated) == (0, 2)
    assert Place.objects.count() == 2
    assert "新增 0 个，更新 2 个" in again.summary()


def test_a_file_without_the_required_columns_is_refused_whole(district: Unit) -> None:
    with pytest.raises(ImportRefused, match="表头缺少必填列"):
        import_places("名称,位置\n甲,乙\n".encode(), actor_unit=district, now=timezone.now())
    assert not Place.objects.exists()


def test_the_register_pages(district: Unit, town: Unit, dispatcher: Any, outsider: Any) -> None:
    client = client_for(dispatcher)
    upload = SimpleUploadedFile("点位.csv", FILE, content_type="text/csv")
    page = client.post("/enforcement/places/import/", {"file": upload})
    assert page.status_code == 200 and "新增 2 个" in page.content.decode()
    listed = client.get("/enforcement/places/", {"kind": PlaceKind.BURNING}).content.decode()
    assert "张花村东侧空地" in listed and "万科城三期工地" not in listed
    assert "万科城三期工地" not in client_for(outsider).get("/enforcement/places/").content.decode()
    template = client.get("/enforcement/places/import/template.csv")
    assert template.status_code == 200 and "点位名称" in template.content.decode("utf-8-sig")
    refused = client.post(
        "/enforcement/places/import/",
        {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")},
    )
    assert refused.status_code == 400 and "没有保存任何数据" in refused.content.decode()
