"""The leader rungs (挂牌督办, 约谈, 通报, 问责建议) and the 约谈 ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MONDAY, TZ, assign_to, make_staff, open_item, reload
from workflow import leadership
from workflow.escalation import fire_due_deadlines
from workflow.models import (
    Deadline,
    DeadlineStatus,
    Escalation,
    EscalationStatus,
    Notice,
    NoticeKind,
    Rung,
)
from workflow.models.notice import YuetanRecord, YuetanSubject
from workflow.roles import Role
from workflow.selectors import timeline
from workflow.transitions import CaseNotFound, InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db

D = dt.date
#: Long after the rectification due 2026-06-15: every automatic rung has fired, L6 is suggested.
LATER = dt.datetime(2026, 7, 20, 9, 0, tzinfo=TZ)


@pytest.fixture
def elevated(dispatcher: Any, handler: Any, town: Any) -> Any:
    """A case the town never rectified: the ladder climbed to 提级办理 and suggests 挂牌督办."""
    case = open_item(actor=dispatcher, jurisdiction=town.parent, now=MONDAY)
    assign_to(case, dispatcher=dispatcher, unit=town, period=10, now=MONDAY)
    transition_case(reload(case), "sign", actor=handler, now=MONDAY)
    fire_due_deadlines(LATER)
    return reload(case)


def suggestion(case: Any) -> Escalation:
    return Escalation.objects.get(case=case, status=EscalationStatus.SUGGESTED)


def test_the_ladder_suggests_listing_and_the_leader_sees_it_in_the_queue(elevated, leader):
    escalation = suggestion(elevated)
    assert escalation.rung == Rung.LISTED
    assert list(leadership.suggestions_for(leader)) == [escalation]


def test_issuing_a_suggested_listing_numbers_a_listing_notice_due_in_six_months(elevated, leader):
    # when the leader issues the suggested 挂牌督办 with a note
    notice = leadership.decide_suggestion(
        suggestion(elevated), actor=leader, issue=True, note="挂牌督办，限期整改。", now=LATER
    )

    # then a 挂牌督办通知 is numbered by the district and a reply is due in 183 days
    assert notice is not None
    assert notice.kind == NoticeKind.LISTED
    assert notice.number == "小店环挂〔2026〕1号"
    assert notice.response_due == D(2027, 1, 19)
    escalation = Escalation.objects.get(pk=notice.escalation_id)
    assert escalation.status == EscalationStatus.ISSUED
    assert escalation.decided_by == leader and escalation.decided_at == LATER
    assert reload(elevated).escalation_level == Rung.LISTED
    # and the timeline shows the decision with its note, then the notice
    labels = [entry.label for entry in timeline(elevated)][-2:]
    assert labels == ["督办升级", "签发文书"]


def test_the_leader_may_issue_a_talk_instead_of_the_suggested_listing(elevated, leader, town):
    notice = leadership.decide_suggestion(
        suggestion(elevated),
        actor=leader,
        issue=True,
        rung=Rung.TALK,
        note="约谈北格镇主要负责人。",
        now=LATER,
    )
    assert notice is not None and notice.kind == NoticeKind.TALK
    assert notice.number == "小店环约〔2026〕1号"
    assert reload(elevated).escalation_level == Rung.TALK
    record = YuetanRecord.objects.get(case=elevated)
    assert record.unit == town and record.notice == notice
    # 2026-07-20 + 30 d = 2026-08-19, a Wednesday
    assert record.report_due == D(2026, 8, 19)
    assert Deadline.objects.pending().filter(case=elevated, kind="yuetan_report").count() == 1


def test_a_dismissed_suggestion_issues_nothing(elevated, leader):
    result = leadership.decide_suggestion(
        suggestion(elevated), actor=leader, issue=False, note="已提级办理，暂不挂牌。", now=LATER
    )
    assert result is None
    assert Escalation.objects.get(case=elevated, rung=Rung.LISTED).status == "dismissed"
    assert not Notice.objects.filter(case=elevated, kind=NoticeKind.LISTED).exists()
    assert reload(elevated).escalation_level == Rung.ELEVATE
    assert timeline(elevated)[-1].label == "督办建议不予采纳"


def test_a_second_decision_on_the_same_suggestion_is_refused(elevated, leader):
    escalation = suggestion(elevated)
    leadership.decide_suggestion(escalation, actor=leader, issue=False, note="不予采纳", now=LATER)
    with pytest.raises(InvalidTransition):
        leadership.decide_suggestion(escalation, actor=leader, issue=True, note="签发", now=LATER)
    assert not Notice.objects.filter(case=elevated, kind=NoticeKind.LISTED).exists()


def test_a_decision_needs_a_note(elevated, leader):
    with pytest.raises(InvalidTransition) as refused:
        leadership.decide_suggestion(
            suggestion(elevated), actor=leader, issue=True, note="  ", now=LATER
        )
    assert "note" in refused.value.errors
    assert suggestion(elevated).status == EscalationStatus.SUGGESTED


def test_only_a_leader_of_the_bureau_decides(elevated, supervisor, dispatcher, other_district):
    for person in (supervisor, dispatcher):
        with pytest.raises(TransitionDenied):
            leadership.decide_suggestion(
                suggestion(elevated), actor=person, issue=True, note="签发", now=LATER
            )
    other_leader = make_staff("yz_leader", other_district, Role.LEADER)
    with pytest.raises(CaseNotFound):
        leadership.decide_suggestion(
            suggestion(elevated), actor=other_leader, issue=True, note="签发", now=LATER
        )
    assert list(leadership.suggestions_for(other_leader)) == []
    assert list(leadership.suggestions_for(supervisor)) == []


def test_a_leader_circulates_a_case_to_its_responsible_unit(elevated, leader, town):
    leadership.escalate_by_leader(elevated, Rung.CIRCULAR, actor=leader, note="通报", now=LATER)
    notice = Notice.objects.get(case=elevated, kind=NoticeKind.CIRCULAR)
    assert notice.addressee == town and notice.number == "小店环通〔2026〕1号"
    assert reload(elevated).escalation_level == Rung.CIRCULAR


def test_an_accountability_referral_is_recorded_without_a_notice(elevated, leader):
    escalation = leadership.escalate_by_leader(
        elevated, Rung.ACCOUNTABILITY, actor=leader, note="建议纪检监察机关问责。", now=LATER
    )
    assert escalation.status == EscalationStatus.ISSUED and escalation.rung == 9
    assert not escalation.notices.exists()
    assert reload(elevated).escalation_level == Rung.ACCOUNTABILITY
    assert timeline(elevated)[-1].event.note == "建议纪检监察机关问责。"


def test_an_automatic_rung_cannot_be_taken_by_a_leader(elevated, leader):
    with pytest.raises(InvalidTransition):
        leadership.escalate_by_leader(elevated, Rung.CHASE, actor=leader, note="催办", now=LATER)


# --- the 约谈 ledger --------------------------------------------------------------------------


def talk(leader: Any, unit: Any, held_on: dt.date, case: Any = None) -> YuetanRecord:
    return leadership.record_yuetan(
        case,
        actor=leader,
        unit=unit,
        subject_type=YuetanSubject.OFFICIAL,
        official="王镇长",
        reason="整改不力",
        held_on=held_on,
        now=dt.datetime.combine(held_on, dt.time(10), tzinfo=TZ),
    )


def test_a_talk_report_is_due_in_thirty_days_rolled_past_the_weekend(leader, town, elevated):
    # 2026-01-17 + 30 d lands in the 春节 holiday, which rolls it to 2026-02-24 (DESIGN.md §5)
    record = talk(leader, town, D(2026, 1, 17), case=elevated)
    assert record.report_due == D(2026, 2, 24)
    deadline = Deadline.objects.get(case=elevated, kind="yuetan_report")
    assert deadline.for_state == "*" and not deadline.is_main
    assert deadline.due_date == D(2026, 2, 24)
    # when the report comes in, the record and the deadline are closed
    leadership.receive_yuetan_report(record, actor=leader, now=LATER)
    record.refresh_from_db()
    assert record.report_received_at == LATER
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.LATE


def test_two_talks_in_a_calendar_year_cost_the_excellence_rating(leader, town):
    talk(leader, town, D(2025, 12, 20))
    talk(leader, town, D(2026, 3, 2))
    assert leadership.yuetan_count(town, 2026) == 1
    assert not leadership.disqualified_from_excellence(town, 2026)
    talk(leader, town, D(2026, 9, 9))
    assert leadership.disqualified_from_excellence(town, 2026)
    assert not leadership.disqualified_from_excellence(town, 2025)


def test_the_threshold_is_a_setting(leader, town, settings):
    settings.ECOLOOP_YUETAN_DISQUALIFY_AT = 1
    talk(leader, town, D(2026, 3, 2))
    assert leadership.disqualified_from_excellence(town, 2026)


def test_only_a_leader_above_the_unit_records_a_talk(town, supervisor, other_district):
    with pytest.raises(TransitionDenied):
        talk(supervisor, town, D(2026, 3, 2))
    with pytest.raises(TransitionDenied):
        talk(make_staff("yz_leader", other_district, Role.LEADER), town, D(2026, 3, 2))


# --- the console -------------------------------------------------------------------------------


def console(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_leader_sees_the_queue_and_issues_from_it(elevated, leader):
    page = console(leader).get(reverse("console:suggestions"))
    assert page.status_code == 200
    assert elevated.case_no in page.content.decode()
    escalation = suggestion(elevated)
    url = reverse("console:suggestion_decide", args=[escalation.pk])
    refused = console(leader).post(url, {"decision": "issue", "rung": "7", "note": ""})
    assert refused.status_code == 400
    assert "请填写说明" in refused.content.decode()
    done = console(leader).post(url, {"decision": "issue", "rung": "7", "note": "约谈"})
    assert done.status_code == 302
    assert Notice.objects.filter(case=elevated, kind=NoticeKind.TALK).exists()


def test_a_handler_is_refused_the_queue(elevated, handler, outsider):
    assert console(handler).get(reverse("console:suggestions")).status_code == 403
    url = reverse("console:suggestion_decide", args=[suggestion(elevated).pk])
    assert console(handler).post(url, {"decision": "issue", "note": "x"}).status_code == 403
    assert console(outsider).post(url, {"decision": "issue", "note": "x"}).status_code in (403, 404)
    assert suggestion(elevated).status == EscalationStatus.SUGGESTED


def test_a_leader_escalates_from_the_case_page(elevated, leader, handler):
    page = console(leader).get(reverse("console:case_detail", args=[elevated.pk]))
    assert "领导督办" in page.content.decode()
    url = reverse("console:case_escalate", args=[elevated.pk])
    done = console(leader).post(url, {"rung": "6", "note": "挂牌督办"})
    assert done.status_code == 302
    assert Notice.objects.filter(case=elevated, kind=NoticeKind.LISTED).exists()
    assert console(handler).post(url, {"rung": "6", "note": "x"}).status_code == 403
    assert (
        "领导督办"
        not in console(handler)
        .get(reverse("console:case_detail", args=[elevated.pk]))
        .content.decode()
    )


def test_the_unit_page_shows_talks_and_the_rating(leader, town, handler, outsider):
    talk(leader, town, D(2026, 3, 2))
    talk(leader, town, D(2026, 5, 2))
    url = reverse("console:unit_detail", args=[town.pk])
    body = console(leader).get(url + "?year=2026").content.decode()
    assert "取消年度评优资格" in body
    assert console(handler).get(url).status_code == 200
    assert console(outsider).get(url).status_code == 404
    # a year no record can have is this year's page, never a server error
    for year in ("99999999999999999999999", "0", "-5", "abc"):
        assert console(leader).get(url, {"year": year}).status_code == 200
    ledger = console(leader).get(reverse("console:yuetan_ledger")).content.decode()
    assert "王镇长" in ledger
    assert console(handler).get(reverse("console:yuetan_ledger")).status_code == 403


def test_a_leader_enters_a_talk_in_the_ledger_and_receives_its_report(leader, town, elevated):
    client = console(leader)
    url = reverse("console:yuetan_ledger")
    form = {
        "unit": town.pk,
        "subject_type": "official",
        "official": "李书记",
        "case_no": elevated.case_no,
        "reason": "垃圾焚烧反复发生",
        "held_on": "2026-03-02",
        "minutes": "",
    }
    future = client.post(url, {**form, "held_on": "2999-01-01"})
    assert future.status_code == 400 and "约谈日期不能晚于今天" in future.content.decode()
    assert client.post(url, form).status_code == 302
    record = YuetanRecord.objects.get(official="李书记")
    assert record.case_id == elevated.pk and record.report_due == D(2026, 4, 1)
    assert client.post(reverse("console:yuetan_report", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.report_received_at is not None
    assert not Deadline.objects.pending().filter(case=elevated, kind="yuetan_report").exists()
