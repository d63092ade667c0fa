"""An overdue seeded case climbs the ladder: the handler sees it, a leader issues a 约谈."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from workflow.escalation import fire_due_deadlines
from workflow.models import Case, Escalation, EscalationStatus, Notice, NoticeKind, Rung

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: The most overdue rectification of the demo (assigned 24 working days ago for 15).
OVERDUE_TITLE = "汾河小店段雨污混排排污口整治"


def test_the_handler_sees_the_escalation_and_a_leader_issues_a_talk_from_the_queue(
    demo_city: None, sign_in: Any
):
    # given the sweep has run for two more weeks than the seed: the ladder reached 提级办理
    # and suggests 挂牌督办 to the leaders
    case = Case.objects.get(title=OVERDUE_TITLE)
    fire_due_deadlines(timezone.now() + dt.timedelta(days=14))
    case.refresh_from_db()
    assert case.escalation_level == Rung.ELEVATE
    assert Escalation.objects.filter(case=case, status=EscalationStatus.SUGGESTED).exists()

    # the handler sees the overdue and escalation badges on the case, and unread notifications
    handler = sign_in("handler")
    assert int(handler.locator("#bell .bell__count").get_attribute("data-count") or 0) > 0
    handler.goto(f"/cases/{case.pk}/")
    head = handler.locator(".case-head")
    assert head.locator(".rung").inner_text() == "提级办理"
    assert "逾期" in head.locator(".case-head__due").inner_text()

    # a leader opens 督办建议 from the nav, and issues 约谈 instead of 挂牌督办, with a note
    leader = sign_in("leader")
    leader.locator(".nav").get_by_role("link", name=re.compile("督办建议")).click()
    leader.wait_for_url(re.compile(r"/suggestions/$"))
    card = leader.locator(".suggestion", has_text=case.case_no)
    assert "挂牌督办" in card.inner_text()
    card.get_by_label("签发级别").select_option(label="L7 约谈")
    card.get_by_label("意见/说明").fill("逾期未整改，约谈北格镇主要负责人。")
    card.get_by_role("button", name="签发", exact=True).click()

    # then the case page shows the 约谈通知书 with its 文号, and the 约谈 record
    leader.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    notice = Notice.objects.get(case=case, kind=NoticeKind.TALK)
    assert re.fullmatch(r"小店环约〔\d{4}〕1号", notice.number)
    leader.locator(".flash--success", has_text=notice.number).wait_for()
    assert leader.locator(".notices").get_by_text(notice.number).is_visible()
    assert leader.locator("#yuetan-title").is_visible()
    assert leader.locator(".case-head .rung").inner_text() == "约谈"

    # and the handler, reloading, sees the notice on the case too
    handler.reload()
    assert handler.locator(".notices").get_by_text(notice.number).is_visible()
    assert sign_in.console_errors == []
