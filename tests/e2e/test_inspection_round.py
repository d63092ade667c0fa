"""The 督察整改办's day in the browser: register a batch, import the team's list, 交办 it; the town
reports back; the office reviews, its head signs and publishes; the public reads the list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from enforcement.models import ForwardedComplaint, InspectionRound
from tests.e2e.steps import act
from workflow import calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CODE = "D3SX202612040007"
CSV = (
    "序号,受理编号,交办问题基本情况,行政区域,污染类型,反映对象\n"
    f"1,{CODE},反映北格镇村民赵铁柱家门口焚烧秸秆，电话13722223333,太原市小店区,大气,赵铁柱\n"
)


def report(form: Any) -> None:
    form.get_by_label("是否属实").select_option(label="属实")
    form.get_by_label("调查核实情况").fill("经现场核查，确有焚烧秸秆行为，反映问题属实。")
    form.get_by_label("处理和整改情况").fill("已现场扑灭并清理焚烧残留，对当事人进行批评教育。")
    form.get_by_label("办理状态").select_option(label="已办结")


def test_the_office_imports_dispatches_reviews_signs_and_the_public_reads_the_list(
    sign_in: Any, chromium: Any, live_server: Any
) -> None:
    round = InspectionRound.objects.get(level="central")
    office = sign_in("ducha")
    office.get_by_role("link", name="督察整改").click()
    office.get_by_role("link", name=round.name, exact=True).click()

    # 登记第3批, due in 2 days.
    received = timezone.now().astimezone(calendar.SHANGHAI)
    office.get_by_label("批次（第N批）").fill("3")
    office.get_by_label("接收时间").fill(f"{received:%Y-%m-%dT%H:%M}")
    office.get_by_label("反馈时限").fill("2")
    office.get_by_label("时限单位").select_option(label="天")
    office.get_by_role("button", name="登记批次").click()
    office.wait_for_url(re.compile(rf"/rounds/{round.pk}/batches/3/$"))

    office.get_by_label("转办清单（Excel 或 CSV）").set_input_files(
        {"name": "第3批转办清单.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    office.get_by_role("button", name="导入", exact=True).click()
    office.locator("#import-report", has_text="新增 1 件").wait_for()

    office.get_by_label(f"{CODE} 的责任单位").select_option(label="北格镇")
    office.get_by_role("button", name="交办所选各件").click()
    office.locator(".flash--success", has_text="已交办 1 件").wait_for()
    item = ForwardedComplaint.objects.get(acceptance_no=CODE)
    assert item.state == "assigned"

    town = sign_in("handler")
    town.goto(f"/cases/{item.pk}/")
    act(town, "签收")
    act(town, "办理反馈", fill=report)

    office.goto(f"/cases/{item.pk}/")
    assert "经现场核查，确有焚烧秸秆行为" in office.locator("body").inner_text()
    act(office, "开始核查")
    act(office, "核查通过", note="反馈材料齐全。")

    head = sign_in("ducha_head")
    head.goto(f"/cases/{item.pk}/")
    act(head, "审签办结")
    head.goto(f"/enforcement/rounds/{round.pk}/batches/3/publish/")
    draft = head.locator("#draft")
    assert CODE in draft.inner_text()
    assert "赵铁柱" not in draft.inner_text() and "赵某某" in draft.inner_text()
    head.get_by_role("button", name=re.compile("签发并公开")).click()
    head.locator(".flash--success", has_text="已签发第3批第1期一览表").wait_for()

    public = chromium.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    public.goto("/ducha/")
    public.get_by_role("link", name=re.compile("第3批第1期")).click()
    table = public.locator("#entries").inner_text()
    assert CODE in table and "已办结" in table
    for secret in ("赵铁柱", "13722223333", "陈静"):
        assert secret not in public.content()
    public.context.close()
