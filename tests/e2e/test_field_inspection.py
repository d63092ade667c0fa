"""An inspector on a phone: logs an inspection with two photos, opens a case from it, serves a
责令改正, and finds the 复查 with its deadline on 今日任务."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from enforcement.models import CorrectionOrder, EnforcementCase, Enterprise, Inspection
from workflow import calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = 390
ENTERPRISE = "小店区恒达化工有限公司"


def photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = tmp_path / name
    Image.new("RGB", (640, 480), colour).save(path, format="JPEG", quality=85)
    return path


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_inspector_logs_an_inspection_opens_a_case_and_orders_a_correction(
    sign_in: Any, tmp_path: Path
) -> None:
    enterprise = Enterprise.objects.get(name=ENTERPRISE)
    page = sign_in("inspector", width=PHONE)

    # The enterprise's page: 现场检查.
    page.goto(f"/enforcement/enterprises/{enterprise.pk}/")
    page.get_by_role("link", name="现场检查", exact=True).click()
    page.wait_for_url(re.compile(r"/enforcement/inspections/new/"))
    if page.get_by_role("button", name="下一步").count():
        page.get_by_role("button", name="下一步").click()

    now = timezone.now()
    page.get_by_label(re.compile("孙浩")).check()  # the partner; the inspector is preselected
    page.get_by_label("检查开始时间").fill(local(now - dt.timedelta(hours=1)))
    page.get_by_label("检查结束时间").fill(local(now - dt.timedelta(minutes=10)))
    page.get_by_label("现场负责人（姓名、职务）").fill("李明 生产厂长")
    page.locator(".checklist__item", has_text="污染物排放是否达标").get_by_label("存在问题").check()
    page.get_by_label("检查情况").fill("总排口废水呈黄褐色，现场快速检测化学需氧量超标。")
    page.locator("input[type=file][name=files]").set_input_files(
        [photo(tmp_path, "总排口.jpg", (120, 100, 60)), photo(tmp_path, "快检.jpg", (60, 90, 140))]
    )
    page.get_by_role("button", name="保存检查记录").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    inspection = Inspection.objects.filter(enterprise=enterprise).latest("pk")
    assert inspection.problem_found and inspection.record_no
    assert inspection.attachments.count() == 2
    assert all(len(a.sha256) == 64 for a in inspection.attachments.all())
    assert page.locator("body").get_by_text(inspection.record_no).count() >= 1
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    # 立案查处 from the inspection.
    page.get_by_role("link", name="立案查处").click()
    page.wait_for_url(re.compile(r"/enforcement/penalties/new/"))
    title = page.get_by_label("案由")
    if not title.input_value():
        title.fill("超标排放水污染物")
    page.get_by_role("button", name="登记线索").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = EnforcementCase.objects.get(source_inspection=inspection)
    assert case.state == "clue"
    assert page.url.endswith(f"/cases/{case.pk}/")

    # 责令改正 from the case.
    page.get_by_role("link", name="责令改正", exact=True).first.click()
    page.wait_for_url(re.compile(r"/enforcement/penalties/corrections/new/"))
    violation = page.get_by_role("textbox", name="违法行为")
    if not violation.input_value():
        violation.fill("超过水污染物排放标准排放水污染物")
    page.get_by_label("改正要求").fill("立即停止超标排放，检修污水处理设施")
    correct_by = calendar.local_date(now) + dt.timedelta(days=10)
    page.get_by_label("改正期限").fill(correct_by.isoformat())
    page.get_by_role("button", name="送达决定书").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    order = CorrectionOrder.objects.get(enforcement_case=case)
    recheck_due = f"{order.recheck_due:%Y-%m-%d}"
    assert order.recheck_due == calendar.add_days(calendar.local_date(order.served_at), 30).date
    page.get_by_text(order.order_no).first.wait_for()

    # 今日任务: the 复查 is there with its deadline.
    page.goto("/enforcement/inspections/today/")
    row = page.locator("#today-orders li", has_text=order.order_no).first
    row.wait_for()
    text = row.inner_text()
    assert "复查" in text and recheck_due in text, text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
