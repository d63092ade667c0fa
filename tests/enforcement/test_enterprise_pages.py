"""The registry's console pages: the list scoped by jurisdiction, an enterprise with the
complaints about it the person may see, and the import page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enforcement.complaints.duplicates import target_key
from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.validators import uscc_check_char
from tests.factories import MONDAY, client_for, file_complaint
from workflow.models import Unit

LIST = reverse("enforcement:enterprise_list")
IMPORT = reverse("enforcement:enterprise_import")
TEMPLATE = reverse("enforcement:enterprise_import_template")


def code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def enterprise(name: str, uscc: str, unit: Unit, tier: str = SupervisionTier.GENERAL) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        name_key=target_key(name),
        uscc=uscc,
        address="太原市",
        jurisdiction=unit,
        tier=tier,
        created_at=MONDAY,
        updated_at=MONDAY,
    )


@pytest.fixture
def registry(district: Unit, other_district: Unit) -> dict[str, Enterprise]:
    return {
        "chem": enterprise(
            "太原某某化工有限公司", code("91140105MA0KB7R2X"), district, SupervisionTier.KEY
        ),
        "food": enterprise("小店晋阳食品厂", code("91140105MA0L3F8P1"), district),
        "hotpot": enterprise("迎泽区某某火锅", code("91140106MA0M1234A"), other_district),
    }


def test_the_list_shows_only_enterprises_within_the_users_unit(
    registry: dict[str, Enterprise], dispatcher: Any, leader: Any, outsider: Any
) -> None:
    page = client_for(dispatcher).get(LIST).content.decode()
    assert "太原某某化工有限公司" in page and "小店晋阳食品厂" in page
    assert "迎泽区某某火锅" not in page

    page = client_for(outsider).get(LIST).content.decode()
    assert "迎泽区某某火锅" in page and "小店晋阳食品厂" not in page

    page = client_for(leader).get(LIST).content.decode()
    assert all(e.name in page for e in registry.values())

    hotpot = reverse("enforcement:enterprise_detail", args=[registry["hotpot"].pk])
    assert client_for(dispatcher).get(hotpot).status_code == 404
    assert client_for(outsider).get(hotpot).status_code == 200


def test_search_and_filters(
    registry: dict[str, Enterprise], leader: Any, other_district: Unit
) -> None:
    client = client_for(leader)
    page = client.get(LIST, {"q": "化工"}).content.decode()
    assert "太原某某化工有限公司" in page and "小店晋阳食品厂" not in page

    by_code = registry["food"].uscc[:12].lower()
    page = client.get(LIST, {"q": by_code}).content.decode()
    assert "小店晋阳食品厂" in page and "太原某某化工有限公司" not in page

    page = client.get(LIST, {"tier": SupervisionTier.KEY}).content.decode()
    assert "太原某某化工有限公司" in page and "小店晋阳食品厂" not in page

    page = client.get(LIST, {"jurisdiction": other_district.pk}).content.decode()
    assert "迎泽区某某火锅" in page and "太原某某化工有限公司" not in page


def test_staff_only(registry: dict[str, Enterprise], client: Any) -> None:
    assert client.get(LIST).status_code == 302  # to the login page


def test_the_page_lists_the_complaints_about_it_that_the_user_may_see(
    registry: dict[str, Enterprise],
    district: Unit,
    other_district: Unit,
    dispatcher: Any,
    leader: Any,
) -> None:
    chem = registry["chem"]
    by_name = file_complaint(jurisdiction=district, target_name="太原某某化工公司")
    by_code = file_complaint(
        jurisdiction=district,
        now=MONDAY + dt.timedelta(days=1),
        target_name="某个名字",
        target_uscc=chem.uscc,
    )
    elsewhere = file_complaint(jurisdiction=other_district, target_name="太原某某化工有限公司")
    unrelated = file_complaint(jurisdiction=district, target_name="别的厂")
    url = reverse("enforcement:enterprise_detail", args=[chem.pk])

    page = client_for(dispatcher).get(url).content.decode()
    assert chem.uscc in page and "重点监管" in page
    assert by_name.case_no in page and by_code.case_no in page
    assert page.index(by_code.case_no) < page.index(by_name.case_no)  # newest first
    assert reverse("console:case_detail", args=[by_code.pk]) in page
    assert elsewhere.case_no not in page
    assert unrelated.case_no not in page

    page = client_for(leader).get(url).content.decode()
    assert elsewhere.case_no in page and unrelated.case_no not in page


def test_who_may_import(
    city: Unit, dispatcher: Any, supervisor: Any, leader: Any, intake: Any, handler: Any
) -> None:
    for allowed in (dispatcher, supervisor, leader):
        assert client_for(allowed).get(IMPORT).status_code == 200
    for refused in (intake, handler):
        assert client_for(refused).get(IMPORT).status_code == 403
        assert client_for(refused).get(TEMPLATE).status_code == 403
    assert "批量导入" in client_for(dispatcher).get(LIST).content.decode()
    assert "批量导入" not in client_for(intake).get(LIST).content.decode()


def test_the_nav_links_the_registry(dispatcher: Any) -> None:
    page = client_for(dispatcher).get(reverse("console:inbox")).content.decode()
    assert f'href="{LIST}"' in page


def test_an_upload_shows_the_report(district: Unit, other_district: Unit, dispatcher: Any) -> None:
    header = "单位名称,统一社会信用代码,地址,管辖单位,监管类别"
    rows = [
        f"甲化工厂,{code('91140105MA0KB7R2X')},小店区,小店分局,重点",
        f"乙厂,{code('91140106MA0M1234A')},迎泽区,迎泽分局,一般",
        "丙厂,91140105MA0L3F8P10,小店区,XD,一般",
    ]
    upload = SimpleUploadedFile("list.csv", "\n".join([header, *rows]).encode("gbk"), "text/csv")
    response = client_for(dispatcher).post(IMPORT, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "新增 1 家" in page and "拒收 2 行" in page
    assert "不在本单位" in page and "校验位不正确" in page
    assert Enterprise.objects.get().name == "甲化工厂"


def test_an_unreadable_upload_is_refused(district: Unit, dispatcher: Any, settings: Any) -> None:
    upload = SimpleUploadedFile("list.csv", "名称,地址\n甲,乙\n".encode(), "text/csv")
    response = client_for(dispatcher).post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert "表头缺少必填列" in response.content.decode()

    settings.ECOLOOP_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("list.csv", b"x" * 11, "text/csv")
    response = client_for(dispatcher).post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_the_template_download(district: Unit, dispatcher: Any) -> None:
    response = client_for(dispatcher).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").startswith("单位名称,统一社会信用代码")


def test_the_admin_lists_searches_and_adds_enterprises(
    registry: dict[str, Enterprise], admin_client: Any, district: Unit
) -> None:
    changelist = reverse("admin:enforcement_enterprise_changelist")
    page = admin_client.get(changelist, {"q": "化工"}).content.decode()
    assert "太原某某化工有限公司" in page and "小店晋阳食品厂" not in page
    response = admin_client.post(
        reverse("admin:enforcement_enterprise_add"),
        {
            "name": "新登记化工有限公司",
            "uscc": code("91140105MA0YYYYY3"),
            "address": "小店区",
            "jurisdiction": district.pk,
            "tier": SupervisionTier.GENERAL,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Enterprise.objects.get(name="新登记化工有限公司")
    assert added.name_key == "新登记化工"
    assert added.created_at is not None
