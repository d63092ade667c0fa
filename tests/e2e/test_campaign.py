"""A 专项行动 in the browser, as the city's dispatcher runs it: create the campaign, issue its
调度令 to several units; a town signs and reports; the campaign page moves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from enforcement.models import Campaign, SupervisionItem
from tests.e2e.steps import act
from tests.e2e.test_closed_loop import site_photo
from workflow import calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "烟花爆竹“五禁”专项行动"


def test_a_dispatcher_runs_a_campaign_and_watches_it_move(
    sign_in: Any, live_server: Any, tmp_path: Any
) -> None:
    today = calendar.local_date(timezone.now())
    office = sign_in("ducha")
    office.get_by_role("link", name="专项行动").click()
    office.get_by_role("link", name="新建专项行动").click()
    office.get_by_label("行动名称").fill(NAME)
    office.get_by_label("行动类别").select_option(label="季节性管控")
    office.get_by_label("牵头单位").select_option(label="监察办")
    for unit in ("北格镇", "小店区住房和城乡建设局", "柳巷街道"):
        office.get_by_label(unit, exact=True).check()
    office.get_by_label("开始日期").fill(f"{today}")
    office.get_by_label("结束日期").fill(f"{today + dt.timedelta(days=60)}")
    office.get_by_label("清零日期").fill(f"{today + dt.timedelta(days=30)}")
    office.get_by_label("检查清单").fill("禁止违规燃放\n禁止非法储存\n禁止违规销售")
    office.get_by_role("button", name="创建").click()
    office.locator(".flash--success", has_text=NAME).wait_for()
    campaign = Campaign.objects.get(name=NAME)
    assert office.locator("#checklist li").count() == 3

    office.get_by_role("link", name="签发调度令").click()
    office.get_by_label("标题").fill("春节前烟花爆竹“五禁”排查")
    office.get_by_label("调度要求").fill("各单位逐村逐街排查非法储存销售点，即知即改。")
    office.get_by_label("完成时限").fill(f"{today + dt.timedelta(days=10)}")
    office.get_by_role("button", name="签发", exact=True).click()
    office.locator(".flash--success", has_text="交办3个单位").wait_for()
    rows = office.locator("#unit-progress tbody tr")
    assert rows.count() == 3
    assert "待签收" in office.locator("#unit-progress thead").inner_text()
    assert re.search(r"距清零 30 天，3 件未办结", office.locator("#countdown").inner_text())

    task = SupervisionItem.objects.get(order__campaign=campaign, responsible_unit__code="XD-BG")
    town = sign_in("handler")
    town.goto(f"/cases/{task.pk}/")
    act(town, "签收")
    photo = site_photo(tmp_path)
    act(
        town,
        "记录整改进展",
        note="已排查12个村，取缔非法储存点1处。",
        fill=lambda form: form.locator("input[type=file]").set_input_files(photo),
    )
    act(town, "整改反馈", note="排查完毕，非法储存点已取缔。")

    office.reload()
    beige = office.locator("#unit-progress tbody tr", has_text="北格镇")
    assert beige.locator("td[data-label='待核查销号']").inner_text() == "1"
    beige.locator("td[data-label='待核查销号'] a").click()
    office.get_by_role("link", name=task.case_no).wait_for()
    assert sign_in.console_errors == []
