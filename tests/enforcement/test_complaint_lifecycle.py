"""A complaint from the public form to the rating, through the engine's one write path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from enforcement.models import ComplaintState, Rating
from tests.factories import (
    accept_complaint,
    deliver_all,
    extend,
    file_complaint,
    later,
    make_staff,
    reload,
    reply_to_complaint,
)
from workflow import sms
from workflow.models import Deadline
from workflow.models.notification import Notification
from workflow.roles import Role
from workflow.transitions import (
    InvalidTransition,
    TransitionDenied,
    TransitionError,
    transition_case,
)

pytestmark = pytest.mark.django_db


def test_a_public_complaint_runs_from_registration_to_a_rating(
    district: Any, people: dict[str, Any]
) -> None:
    complaint = file_complaint(jurisdiction=district, name="王某", phone="13800000000")
    assert complaint.state == ComplaintState.REGISTERED
    assert complaint.case_no.startswith("小店诉〔2026〕")
    assert len(complaint.tracking_code) == 14
    notice = Deadline.objects.get(case=complaint, kind="accept_notice")
    assert notice.due_date == dt.date(2026, 6, 16)  # 15 days, start day not counted

    complaint = reply_to_complaint(complaint, **people)
    assert complaint.state == ComplaintState.REPLIED
    assert complaint.handle_due == dt.date(2026, 7, 31)  # 60 days from acceptance
    handle = Deadline.objects.get(case=complaint, kind="handle")
    assert handle.status == "met"

    transition_case(
        complaint, "rate", actor=None, payload={"rating": "satisfied"}, now=later(days=9)
    )
    complaint = reload(complaint)
    assert complaint.state == "closed" and complaint.closed_at is not None
    assert complaint.rating == Rating.SATISFIED

    # The reporter was told at each step that concerns them, by SMS to the number they gave.
    deliver_all(later(days=9, hours=2))
    sent = [m for m in sms.outbox if m.phone == "13800000000"]
    statuses = [m.params["status"] for m in sent]
    assert statuses == ["received", "accepted", "replied"]
    rows = Notification.objects.filter(case=complaint, recipient__isnull=True)
    assert rows.count() == 3 and all("13800000000" not in r.message for r in rows)


def test_the_public_cannot_take_a_staff_transition(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district)
    with pytest.raises(TransitionDenied):
        transition_case(complaint, "accept", actor=None, payload={"track": "report"})


def test_a_reply_to_a_petition_needs_the_parts_of_the_opinion(
    district: Any, town: Any, intake: Any, dispatcher: Any, handler: Any
) -> None:
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district),
        intake=intake,
        dispatcher=dispatcher,
        handler=handler,
        unit=town,
        stop_at="rectifying",
    )
    with pytest.raises(InvalidTransition) as caught:
        transition_case(
            reload(complaint),
            "report",
            actor=handler,
            payload={"reply_opinion": "已处理", "reply_outcome": "support"},
            now=later(days=2),
        )
    assert set(caught.value.errors) == {"reply_request", "reply_facts", "reply_basis"}


def test_the_unit_deadline_stays_inside_the_statutory_period(
    district: Any, town: Any, intake: Any, dispatcher: Any
) -> None:
    complaint = file_complaint(jurisdiction=district)
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    with pytest.raises(InvalidTransition) as caught:
        transition_case(
            reload(complaint),
            "assign",
            actor=dispatcher,
            payload={"responsible_unit": town.pk, "rectify_due": "2026-09-30"},
            now=later(hours=2),
        )
    assert "rectify_due" in caught.value.errors


def test_an_extension_by_the_bureau_head_moves_the_statutory_period_once(
    district: Any, city: Any, intake: Any, leader: Any
) -> None:
    complaint = file_complaint(jurisdiction=district, phone="13900000000", name="李某")
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    with pytest.raises(InvalidTransition):
        extend(complaint, by=leader, days=31, now=later(days=20))
    extend(complaint, by=leader, days=30, note="涉及多个部门，情况复杂", now=later(days=20))
    complaint = reload(complaint)
    assert complaint.handle_due == dt.date(2026, 8, 31)  # 2026-07-31 + 30 days
    rows = Deadline.objects.filter(case=complaint, kind="handle").order_by("pk")
    assert [r.status for r in rows] == ["superseded", "pending"]
    assert rows[1].due_date == dt.date(2026, 8, 31)
    with pytest.raises(InvalidTransition):
        extend(complaint, by=leader, days=5, note="再次延期", now=later(days=21))
    deliver_all(later(days=21, hours=2))
    assert [m.params["status"] for m in sms.outbox] == ["received", "accepted", "extended"]


def test_a_handler_cannot_extend_the_statutory_period(
    district: Any, intake: Any, town: Any
) -> None:
    complaint = file_complaint(jurisdiction=district)
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    chief = make_staff("chief", town, Role.HANDLER, Role.SUPERVISOR)
    with pytest.raises(TransitionError):
        extend(complaint, by=chief, days=10, note="x", now=later(days=2))


def test_dissatisfied_reporter_gets_a_redo_and_an_unrated_reply_closes_itself(
    district: Any, people: dict[str, Any], handler: Any, verifier: Any, supervisor: Any
) -> None:
    from enforcement.complaints.services import close_unrated

    complaint = file_complaint(jurisdiction=district)
    complaint = reply_to_complaint(complaint, **people, track="report")
    transition_case(
        complaint, "rate_dissatisfied", actor=None, note="黑烟仍在排放", now=later(days=9)
    )
    complaint = reload(complaint)
    assert complaint.state == ComplaintState.DISSATISFIED
    transition_case(
        complaint,
        "redo",
        actor=supervisor,
        note="重新核查",
        payload={"rectify_period": 5},
        now=later(days=10),
    )
    complaint = reload(complaint)
    assert complaint.state == "rectifying" and complaint.redo_count == 1
    assert complaint.closed_at is None

    # Second round: replied again, nobody rates; the window (15 days) passes.
    reply_to_complaint(
        complaint,
        **people,
        at=[later(days=12), later(days=13), later(days=13), later(days=14)],
        reply={"reply_opinion": "已再次责令整改", "reply_outcome": "support"},
        verification_note="已整改",
    )
    assert close_unrated(later(days=20)) == 0
    assert close_unrated(later(days=31)) == 1
    complaint = reload(complaint)
    assert complaint.state == "closed" and complaint.rating == Rating.NONE


def test_a_petitioner_asks_the_level_above_for_review_within_30_days(
    district: Any, people: dict[str, Any], supervisor: Any, leader: Any
) -> None:
    complaint = file_complaint(jurisdiction=district)
    complaint = reply_to_complaint(complaint, **people)
    transition_case(
        complaint, "rate", actor=None, payload={"rating": "basically"}, now=later(days=9)
    )
    transition_case(
        reload(complaint), "request_review", actor=None, note="处理结果不合理", now=later(days=30)
    )
    complaint = reload(complaint)
    assert complaint.state == ComplaintState.REVIEW_REQUESTED and complaint.closed_at is None
    # The district's own supervisor is not the level above.
    with pytest.raises(TransitionDenied):
        transition_case(
            complaint, "uphold_on_review", actor=supervisor, note="维持", now=later(days=31)
        )
    transition_case(
        complaint,
        "uphold_on_review",
        actor=leader,
        note="经复查，原处理意见正确",
        now=later(days=31),
    )
    assert reload(complaint).state == "closed"


def test_review_is_refused_after_the_window_and_on_the_report_track(
    district: Any, people: dict[str, Any]
) -> None:
    complaint = file_complaint(jurisdiction=district)
    complaint = reply_to_complaint(complaint, **people)
    # Replied on day 8 (2026-06-09): 30 days end 2026-07-09 24:00.
    with pytest.raises(InvalidTransition):
        transition_case(complaint, "request_review", actor=None, note="不服", now=later(days=39))

    report = file_complaint(jurisdiction=district, target_name="另一企业")
    report = reply_to_complaint(report, **people, track="report")
    with pytest.raises(InvalidTransition):
        transition_case(report, "request_review", actor=None, note="不服", now=later(days=9))


def test_mail_goes_to_a_reporter_who_gave_only_an_address(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district, name="赵某", email="zhao@example.org")
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    deliver_all(later(hours=2))
    assert [m.to for m in mail.outbox] == [["zhao@example.org"], ["zhao@example.org"]]
    assert complaint.tracking_code in mail.outbox[0].body
    assert sms.outbox == []


def test_a_refusal_without_a_written_explanation_gives_the_reporter_the_reasons_standard_text(
    district: Any, intake: Any
) -> None:
    from enforcement.complaints.forms import REASON_TEMPLATES
    from enforcement.models import NotAcceptedReason

    complaint = file_complaint(jurisdiction=district)
    transition_case(
        complaint, "reject", actor=intake, payload={"reason": "legal"}, now=later(hours=1)
    )
    complaint = reload(complaint)
    assert complaint.state == ComplaintState.NOT_ACCEPTED
    assert complaint.public_reason == str(REASON_TEMPLATES[NotAcceptedReason.LEGAL_PROCEDURE])
    assert "诉讼、仲裁、行政复议" in complaint.public_reason
    # A clerk's own words stand as written.
    other = file_complaint(jurisdiction=district, target_name="另一单位")
    transition_case(
        other,
        "reject",
        actor=intake,
        payload={"reason": "outside", "public_reason": "请向市场监督管理部门反映。"},
        now=later(hours=1),
    )
    assert reload(other).public_reason == "请向市场监督管理部门反映。"
