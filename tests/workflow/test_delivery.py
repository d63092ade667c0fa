"""E-mail and SMS rows are sent once, outside any transaction, retried with backoff, and SMS wait
for the end of a person's quiet hours unless the rung is urgent."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tests.factories import MONDAY, TZ, assign_to, open_item
from tests.workflow.test_concurrency import run_together
from workflow import delivery, sms, tasks
from workflow.delivery import MAX_ATTEMPTS, Outcome, deliver_due, deliver_notification
from workflow.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    Staff,
)
from workflow.notifications import notify

BROKEN = "tests.workflow.test_delivery.BrokenBackend"
RECORDING = "tests.workflow.test_delivery.RecordingBackend"


class BrokenBackend(sms.BaseSmsBackend):
    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        raise sms.SmsError("isv.BUSINESS_LIMIT_CONTROL: 触发流控")


class RecordingBackend(sms.LocmemBackend):
    """Notes whether a database transaction was open while the provider was called."""

    in_atomic: list[bool] = []

    def send(self, phone: str, template_code: str, params: dict[str, Any]) -> str:
        self.in_atomic.append(connection.in_atomic_block)
        return super().send(phone, template_code, params)


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Any:
    sms.outbox.clear()
    RecordingBackend.in_atomic.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def reachable(handler: Any) -> Any:
    """The handler, with an e-mail address and a mobile phone."""
    handler.email = "chen@example.gov.cn"
    handler.save()
    Staff.objects.filter(user=handler).update(phone="13812340000")
    return get_user_model().objects.select_related("staff").get(pk=handler.pk)


def queue(user: Any, dispatcher: Any, district: Any, town: Any, **kwargs: Any) -> dict[str, Any]:
    """An assigned case and the handler's notification rows for it, by channel."""
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    rows = notify(
        case,
        [user],
        f"{case.case_no} 河道排污口整治：已交办",
        now=kwargs.pop("now", MONDAY),
        event=event,
        template_code="CASE_STATE",
        params={"case_no": case.case_no, "state": "已交办"},
        **kwargs,
    )
    return {row.channel: row for row in rows}


def no_quiet_hours(user: Any) -> None:
    """For tests whose tasks read the real clock, which may be night in Beijing."""
    NotificationPreference.objects.create(
        user=user, quiet_start=dt.time(0, 0), quiet_end=dt.time(0, 0)
    )


def reload(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


@pytest.mark.django_db
def test_an_email_is_sent_through_djangos_mail_api(
    reachable, dispatcher, district, town, mailoutbox
):
    rows = queue(reachable, dispatcher, district, town)
    # when the worker delivers the e-mail row
    assert deliver_notification(rows[Channel.EMAIL].pk, now=MONDAY) == Outcome.SENT
    # then one message reached the handler's address, naming the case
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chen@example.gov.cn"]
    assert "小店督〔2026〕0001号" in mailoutbox[0].subject
    row = reload(rows[Channel.EMAIL])
    assert (row.status, row.sent_at, row.attempts) == (DeliveryStatus.SENT, MONDAY, 1)


@pytest.mark.django_db
def test_an_sms_carries_the_template_code_and_params_and_logs_a_masked_phone(
    reachable, dispatcher, district, town, caplog
):
    rows = queue(reachable, dispatcher, district, town)
    with caplog.at_level(logging.INFO):
        assert deliver_notification(rows[Channel.SMS].pk, now=MONDAY) == Outcome.SENT
    [message] = sms.outbox
    assert message.phone == "13812340000"
    assert message.template_code == "CASE_STATE"
    assert message.params == {"case_no": "小店督〔2026〕0001号", "state": "已交办"}
    assert "138****0000" in caplog.text
    assert "13812340000" not in caplog.text
    assert reload(rows[Channel.SMS]).status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_a_failed_sms_is_retried_after_a_backoff_and_then_sent(
    reachable, dispatcher, district, town, settings
):
    rows = queue(reachable, dispatcher, district, town)
    row = rows[Channel.SMS]
    # given a provider that refuses
    settings.SMS_BACKEND = BROKEN
    assert deliver_notification(row.pk, now=MONDAY) == Outcome.FAILED
    failed = reload(row)
    assert failed.status == DeliveryStatus.FAILED
    assert "BUSINESS_LIMIT_CONTROL" in failed.last_error
    assert failed.next_attempt_at == MONDAY + dt.timedelta(minutes=1)
    # then nothing is tried before the backoff has passed
    settings.SMS_BACKEND = "workflow.sms.LocmemBackend"
    assert deliver_notification(row.pk, now=MONDAY + dt.timedelta(seconds=30)) == (
        Outcome.NOT_CLAIMED
    )
    assert sms.outbox == []
    # and the sweep after it sends the message
    deliver_due(MONDAY + dt.timedelta(minutes=1))
    sent = reload(row)
    assert (sent.status, sent.attempts, sent.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_the_backoff_grows_and_after_the_last_attempt_the_row_stays_failed(
    reachable, dispatcher, district, town, settings
):
    settings.SMS_BACKEND = BROKEN
    row = queue(reachable, dispatcher, district, town)[Channel.SMS]
    now = MONDAY
    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert deliver_notification(row.pk, now=now) == Outcome.FAILED
        retry_at = reload(row).next_attempt_at
        if retry_at is not None:
            waits.append(retry_at - now)
            now = retry_at
    assert [w.total_seconds() / 60 for w in waits] == [1, 5, 30, 120]
    # then the row is failed for good, visible to an administrator, and no sweep picks it up
    final = reload(row)
    assert (final.status, final.attempts, final.next_attempt_at) == (
        DeliveryStatus.FAILED,
        MAX_ATTEMPTS,
        None,
    )
    settings.SMS_BACKEND = "workflow.sms.LocmemBackend"
    assert deliver_notification(row.pk, now=now + dt.timedelta(days=1)) == Outcome.NOT_CLAIMED
    deliver_due(now + dt.timedelta(days=1))
    assert sms.outbox == []
    assert reload(row).attempts == MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_routine_sms_at_night_waits_for_the_end_of_quiet_hours(
    reachable, dispatcher, district, town, mailoutbox
):
    # given the default quiet hours 22:00–07:00 and a notification at 23:30 Beijing time
    night = dt.datetime(2026, 6, 1, 23, 30, tzinfo=TZ)
    rows = queue(reachable, dispatcher, district, town, now=night)
    # when the sweep runs
    deliver_due(night)
    # then the SMS moves to 07:00 the next morning without using an attempt; the e-mail goes now
    held = reload(rows[Channel.SMS])
    assert held.status == DeliveryStatus.PENDING
    assert held.attempts == 0
    assert held.next_attempt_at == dt.datetime(2026, 6, 2, 7, 0, tzinfo=TZ)
    assert sms.outbox == []
    assert len(mailoutbox) == 1
    # and at 07:00 it is sent
    deliver_due(dt.datetime(2026, 6, 2, 7, 0, tzinfo=TZ))
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_an_urgent_sms_is_sent_in_quiet_hours(reachable, dispatcher, district, town):
    night = dt.datetime(2026, 6, 1, 23, 30, tzinfo=TZ)
    row = queue(reachable, dispatcher, district, town, now=night, urgent=True)[Channel.SMS]
    assert deliver_notification(row.pk, now=night) == Outcome.SENT
    assert len(sms.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "moment", "until"),
    [
        # a window that crosses midnight, after midnight: the end is the same morning
        ((21, 0), (6, 30), (2026, 6, 2, 1, 15), (2026, 6, 2, 6, 30)),
        # the same window before midnight: the end is the next morning
        ((21, 0), (6, 30), (2026, 6, 1, 21, 0), (2026, 6, 2, 6, 30)),
        # a window within one day (a lunch break)
        ((12, 0), (14, 0), (2026, 6, 1, 12, 30), (2026, 6, 1, 14, 0)),
        # outside the window, and the end itself is outside
        ((21, 0), (6, 30), (2026, 6, 2, 6, 30), None),
        ((12, 0), (14, 0), (2026, 6, 1, 11, 59), None),
        # equal start and end: no quiet hours
        ((0, 0), (0, 0), (2026, 6, 1, 3, 0), None),
    ],
)
def test_quiet_hours_are_read_in_beijing_time(handler, start, end, moment, until):
    NotificationPreference.objects.create(
        user=handler, quiet_start=dt.time(*start), quiet_end=dt.time(*end)
    )
    # the moment is given in UTC: the window is still Beijing's
    now = dt.datetime(*moment, tzinfo=TZ).astimezone(dt.UTC)
    expected = dt.datetime(*until, tzinfo=TZ) if until else None
    assert delivery.quiet_until(handler, now) == expected


@pytest.mark.django_db
def test_a_person_who_turned_sms_off_after_the_row_was_made_gets_none(
    reachable, dispatcher, district, town
):
    row = queue(reachable, dispatcher, district, town)[Channel.SMS]
    NotificationPreference.objects.create(user=reachable, sms=False)
    assert deliver_notification(row.pk, now=MONDAY) == Outcome.SKIPPED
    assert reload(row).status == DeliveryStatus.SKIPPED
    assert sms.outbox == []


@pytest.mark.django_db
def test_a_row_left_sending_by_a_dead_worker_email_again_sms_for_a_human(
    reachable, dispatcher, district, town, mailoutbox
):
    rows = queue(reachable, dispatcher, district, town)
    # given both rows claimed by a worker that died before recording the outcome
    Notification.objects.filter(pk__in=[r.pk for r in rows.values()]).exclude(
        channel=Channel.IN_APP
    ).update(status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=MONDAY)
    # when the sweep runs a quarter of an hour later
    later = MONDAY + dt.timedelta(minutes=15)
    deliver_due(later)
    # then the e-mail is sent again (at-least-once) …
    assert reload(rows[Channel.EMAIL]).status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1
    # … and the SMS, whose fate is unknown, waits for an administrator (at-most-once)
    held = reload(rows[Channel.SMS])
    assert (held.status, held.next_attempt_at) == (DeliveryStatus.FAILED, None)
    assert "结果未知" in held.last_error
    assert sms.outbox == []


@pytest.mark.django_db
def test_the_same_task_delivered_twice_sends_once(
    reachable, dispatcher, district, town, mailoutbox
):
    row = queue(reachable, dispatcher, district, town)[Channel.EMAIL]
    tasks.deliver_notification.apply(args=[row.pk])
    tasks.deliver_notification.apply(args=[row.pk])
    assert len(mailoutbox) == 1
    assert reload(row).attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_row_exactly_once(
    reachable, dispatcher, district, town, mailoutbox, monkeypatch
):
    # given four assignments whose after-commit delivery messages were all lost by the broker
    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda *args: None)
    no_quiet_hours(reachable)
    for _ in range(4):
        assign_to(
            open_item(actor=dispatcher, jurisdiction=district), dispatcher=dispatcher, unit=town
        )
    due = list(Notification.objects.exclude(channel=Channel.IN_APP))
    assert len(due) == 8
    # when two workers sweep at the same moment
    now = timezone.now() + dt.timedelta(minutes=1)
    results = run_together(lambda: deliver_due(now), lambda: deliver_due(now))
    # then every row was sent by exactly one of them
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == len(due)
    assert len(mailoutbox) == 4
    assert len(sms.outbox) == 4
    assert {reload(r).attempts for r in due} == {1}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_assignment_is_texted_at_once_with_no_transaction_open(
    reachable, dispatcher, district, town, settings
):
    # given a handler with no quiet hours (the task reads the real clock)
    settings.SMS_BACKEND = RECORDING
    no_quiet_hours(reachable)
    case = open_item(actor=dispatcher, jurisdiction=district)
    # when the case is assigned and the transaction commits (tasks run eagerly)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    # then the SMS went out right after the commit, with no transaction open around the call
    assert [m.template_code for m in sms.outbox] == ["CASE_STATE"]
    assert RecordingBackend.in_atomic == [False]
    row = Notification.objects.get(event=event, recipient=reachable, channel=Channel.SMS)
    assert row.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_an_administrator_sees_the_failure_and_sends_it_again(
    reachable, dispatcher, district, town, settings, admin_client
):
    # given an SMS that failed for good
    settings.SMS_BACKEND = BROKEN
    rows = queue(reachable, dispatcher, district, town)
    row = rows[Channel.SMS]
    Notification.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS, last_error="isv.MOBILE_NUMBER_ILLEGAL"
    )
    changelist = "/admin/workflow/notification/"
    # then the admin's list, filtered to failures, shows it with its error
    page = admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "isv.MOBILE_NUMBER_ILLEGAL" in page
    # when the administrator chooses 重新发送 for it and for a row already sent
    settings.SMS_BACKEND = "workflow.sms.LocmemBackend"
    response = admin_client.post(
        changelist,
        {"action": "resend", "_selected_action": [row.pk, rows[Channel.IN_APP].pk]},
        follow=True,
    )
    assert "已将 1 条发送失败的通知重新排队发送" in response.content.decode()
    # then the failed row is due again with fresh attempts, and the next sweep sends it
    again = reload(row)
    assert (again.status, again.attempts) == (DeliveryStatus.PENDING, 0)
    no_quiet_hours(reachable)  # the action stamps the real clock
    deliver_due(again.next_attempt_at + dt.timedelta(seconds=1))
    assert reload(row).status == DeliveryStatus.SENT
    assert len(sms.outbox) == 1
    assert reload(rows[Channel.IN_APP]).status == DeliveryStatus.SENT


def test_the_beat_sweeps_due_notifications_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["deliver-due-notifications"]
    assert entry == {
        "task": "workflow.tasks.deliver_due_notifications",
        "schedule": 60.0,
        "options": {"queue": "periodic"},
    }


def test_the_beat_jobs_have_their_own_queue_which_every_worker_serves():
    """A backlog of messages never delays a sweep, and a worker started without --queues (runall,
    compose, .ci/run) consumes both queues."""
    from config.celery import app

    assert {job["options"]["queue"] for job in app.conf.beat_schedule.values()} == {"periodic"}
    assert [q.name for q in app.conf.task_queues] == ["celery", "periodic"]
    assert app.amqp.queues.keys() >= {"celery", "periodic"}
    # The messages a commit sends go to the other queue.
    from workflow.tasks import deliver_notification

    assert app.amqp.router.route({}, deliver_notification.name)["queue"].name == "celery"


@pytest.fixture
def real_worker() -> Any:
    """A Celery worker in another process on this run's database (see tests/test_worker.py)."""
    from config.celery import app

    assert app.control.ping(timeout=5.0), "no Celery worker answered a ping on the broker"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = eager


@pytest.mark.worker
@pytest.mark.skipif(
    os.environ.get("ECOLOOP_TEST_WORKER") != "1",
    reason="needs a real Celery worker on this run's database (ECOLOOP_TEST_WORKER=1)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_email_once_however_often_the_task_arrives(
    real_worker, reachable, dispatcher, district, town
):
    # given an assignment committed: the worker writes the rows, then sends the e-mail at once
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    row = wait_for(
        lambda: Notification.objects.filter(
            event=event, recipient=reachable, channel=Channel.EMAIL, status=DeliveryStatus.SENT
        ).first()
    )
    # when the same task is delivered twice more, and a sweep runs too
    tasks.deliver_notification.delay(row.pk)
    tasks.deliver_notification.delay(row.pk)
    tasks.deliver_due_notifications.delay()
    time.sleep(3)  # the worker runs them one after another (pool solo)
    # then the e-mail was claimed, so sent, exactly once
    assert reload(row).attempts == 1
    assert reload(row).status == DeliveryStatus.SENT


def wait_for(probe: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while (found := probe()) is None:
        assert time.monotonic() < deadline, f"nothing within {timeout:.0f} s"
        time.sleep(0.2)
    return found
