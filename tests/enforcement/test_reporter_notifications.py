"""What the reporter is told (issue 4, item 8): by SMS to the number and e-mail to the address they
gave, one message per event and channel, never carrying who they are."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail

from enforcement.complaints import services
from enforcement.models import Complaint
from tests.factories import (
    TZ,
    accept_complaint,
    deliver_all,
    extend,
    file_complaint,
    later,
    reload,
    reply_to_complaint,
)
from workflow import notifications, sms
from workflow.models import CaseEvent
from workflow.models.notification import Notification
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "测试者通知", "13800000031", "notify-me@example.org"


def named(district: Any, **fields: Any) -> Complaint:
    return file_complaint(jurisdiction=district, name=NAME, phone=PHONE, email=EMAIL, **fields)


def reporter_rows(complaint: Any, transition: str | None = None) -> Any:
    rows = Notification.objects.filter(case=complaint, recipient__isnull=True)
    if transition is not None:
        rows = rows.filter(event__transition=transition)
    return rows


def statuses_sent() -> list[str]:
    return [m.params["status"] for m in sms.outbox if m.phone == PHONE]


#: 交办 … 签发答复 on days 1 to 6, a step a day (受理 an hour after filing): replied 06-07.
LOOP_AT = [later(days=day) for day in range(1, 7)]


def to_reply(complaint: Any, people: dict[str, Any]) -> Complaint:
    result: Complaint = reply_to_complaint(
        complaint, **people, at=[later(hours=1), *LOOP_AT], period=5
    )
    return result


# --- each event the reporter hears about ---------------------------------------------------------


def test_the_receipt_carries_the_tracking_code_by_sms_and_e_mail(district: Any) -> None:
    complaint = named(district)
    deliver_all(later(hours=1))

    rows = reporter_rows(complaint, "open")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(row.status == "sent" for row in rows)
    assert [m.phone for m in sms.outbox] == [PHONE]
    assert sms.outbox[0].params["status"] == "received"
    assert complaint.tracking_code in sms.outbox[0].params["url"]
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert complaint.tracking_code in mail.outbox[0].body
    assert services.tracking_url(complaint) in mail.outbox[0].body


@pytest.mark.parametrize(
    ("transition", "payload", "status"),
    [
        ("accept", {"track": "report"}, "accepted"),
        ("reject", {"reason": "outside", "public_reason": "不属于本机关职责"}, "not_accepted"),
        ("redirect", {"redirect_to": "人民法院", "public_reason": "请通过诉讼解决"}, "redirected"),
    ],
)
def test_the_triage_outcome_is_told_once_per_channel(
    district: Any, intake: Any, transition: str, payload: dict[str, Any], status: str
) -> None:
    complaint = named(district)
    transition_case(complaint, transition, actor=intake, payload=payload, now=later(hours=1))
    deliver_all(later(hours=2))

    rows = reporter_rows(complaint, transition)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert {row.params["status"] for row in rows} == {status}
    assert statuses_sent() == ["received", status]
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [EMAIL]
    assert complaint.case_no in mail.outbox[1].body


def test_a_merged_reporter_is_told_to_keep_their_own_code(district: Any, intake: Any) -> None:
    original = file_complaint(jurisdiction=district)
    repeat = named(district, now=later(hours=1))
    transition_case(
        repeat,
        "merge",
        actor=intake,
        payload={"original": original.case_no},
        now=later(hours=2),
    )
    deliver_all(later(hours=3))
    assert statuses_sent() == ["received", "merged"]
    assert repeat.tracking_code in mail.outbox[-1].body
    # The original's reporter was anonymous: nobody to tell there.
    assert not reporter_rows(original).exists()


def test_the_extension_reply_and_review_decision_are_told(
    district: Any, leader: Any, people: dict[str, Any]
) -> None:
    complaint = named(district)
    accept_complaint(complaint, intake=people["intake"], now=later(hours=1))
    extend(complaint, by=leader, days=30, now=later(hours=2))
    # The rest of the loop, after the extension.
    reply_to_complaint(complaint, **people, at=LOOP_AT, period=5)
    transition_case(reload(complaint), "request_review", actor=None, note="请求复查", now=later(7))
    transition_case(reload(complaint), "uphold_on_review", actor=leader, note="维持", now=later(8))
    deliver_all(later(8, 2))

    assert statuses_sent() == ["received", "accepted", "extended", "replied", "reviewed"]
    replied = reporter_rows(complaint, "approve_closure").get(channel="sms")
    # Replied 06-07 (Sunday): rate by 06-22 (06-07 + 15 days).
    assert "2026-06-22" in replied.message and "评价" in replied.message
    for transition in ("extend_handling", "approve_closure", "uphold_on_review"):
        assert reporter_rows(complaint, transition).count() == 2
    # The staff-only steps in between (assign, sign, verification …) tell the reporter nothing.
    assert not reporter_rows(complaint, "assign").exists()
    assert not reporter_rows(complaint, "request_review").exists()


def test_an_anonymous_complaint_tells_nobody(district: Any, people: dict[str, Any]) -> None:
    complaint = to_reply(file_complaint(jurisdiction=district), people)
    deliver_all(later(8))
    assert not reporter_rows(complaint).exists()
    assert sms.outbox == [] and mail.outbox == []


def test_a_reporter_with_only_a_phone_gets_only_sms(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district, phone=PHONE)
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    deliver_all(later(hours=2))
    assert set(reporter_rows(complaint).values_list("channel", flat=True)) == {"sms"}
    assert statuses_sent() == ["received", "accepted"] and mail.outbox == []


# --- once, and at a decent hour -------------------------------------------------------------------


def test_delivering_twice_sends_once(district: Any, intake: Any) -> None:
    complaint = named(district)
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    deliver_all(later(hours=2))
    deliver_all(later(hours=3))
    assert statuses_sent() == ["received", "accepted"]
    assert len(mail.outbox) == 2

    # A redelivered event (a broker retry) neither claims again nor adds rows.
    event = CaseEvent.objects.get(case=complaint, transition="accept")
    assert notifications.deliver_event(event.pk, now=later(hours=4)) == 0
    services.after_event(event, later(hours=4))
    assert reporter_rows(complaint, "accept").count() == 2
    deliver_all(later(hours=5))
    assert statuses_sent() == ["received", "accepted"]


def test_an_sms_at_23_00_beijing_waits_for_the_morning_and_e_mail_does_not(
    district: Any,
) -> None:
    night = dt.datetime(2026, 6, 1, 23, 0, tzinfo=TZ)
    complaint = named(district, now=night)
    deliver_all(night + dt.timedelta(minutes=1))

    text = reporter_rows(complaint).get(channel="sms")
    assert sms.outbox == []
    assert text.status == "pending"
    assert text.next_attempt_at == dt.datetime(2026, 6, 2, 7, 0, tzinfo=TZ)
    assert [m.to for m in mail.outbox] == [[EMAIL]]

    deliver_all(dt.datetime(2026, 6, 2, 6, 59, tzinfo=TZ))
    assert sms.outbox == []
    deliver_all(dt.datetime(2026, 6, 2, 7, 0, tzinfo=TZ))
    assert statuses_sent() == ["received"]
    assert len(mail.outbox) == 1


# --- never who they are ---------------------------------------------------------------------------


def test_stored_messages_and_logs_never_carry_the_identity(
    district: Any, people: dict[str, Any], caplog: Any, monkeypatch: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    complaint = to_reply(named(district), people)
    # One SMS fails on the way (the provider is down): its failure is logged too.
    real_send = sms.LocmemBackend.send
    calls = {"n": 0}

    def flaky(self: Any, phone: str, template_code: str, params: dict[str, Any]) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise sms.SmsError("provider unavailable")
        return real_send(self, phone, template_code, params)

    monkeypatch.setattr(sms.LocmemBackend, "send", flaky)
    deliver_all(later(8))
    deliver_all(later(9))

    rows = reporter_rows(complaint)
    assert rows.count() == 6  # received, accepted, replied × SMS and e-mail
    assert rows.filter(status="sent").count() == 6
    for row in Notification.objects.filter(case=complaint):
        stored = f"{row.message} {row.params} {row.last_error}"
        for secret in (NAME, PHONE, EMAIL):
            assert secret not in stored
    assert PHONE not in caplog.text and EMAIL not in caplog.text and NAME not in caplog.text
    assert sms.mask_phone(PHONE) in caplog.text  # the log does record the sending, masked
    assert "provider unavailable" in caplog.text
