"""The worker is SIGKILLed in the middle of one event's fan-out to 300 people, and again in the
middle of sending: after a restart every row exists once, every e-mail and in-app message is
delivered (an e-mail in flight at the kill may arrive twice: at-least-once), and no text is sent
twice (SMS is at-most-once by design: the one in flight is marked "result unknown") (issue 13)."""

from __future__ import annotations

import collections
import datetime as dt
import time
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from tests.factories import MONDAY, assign_to, make_staff, open_item
from tests.faults.processes import App, stack
from tests.faults.test_redis_outage import to_lines
from workflow.models import CaseEvent, Channel, DeliveryStatus, Notification, NotificationPreference
from workflow.roles import Role

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 300
TIMEOUT = 120.0


def _wait_for(check: Any, what: str, timeout: float = TIMEOUT, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(every)


def _worker_in_a_transaction() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state <> 'idle'"
        )
        return bool(cursor.fetchone()[0])


def _deliver_in_the_worker(app: App, event_id: int) -> None:
    app.run(
        "from workflow.tasks import deliver_event_notifications\n"
        f"deliver_event_notifications.delay({event_id})\n"
    )


def test_a_worker_killed_mid_fan_out_and_mid_sending_loses_and_repeats_nothing(
    dispatcher: Any, district: Any, town: Any, tmp_path: Any, figures: Any
) -> None:
    people = []
    for n in range(PEOPLE):
        person = make_staff(f"fanout{n}", town, Role.HANDLER)
        person.email = f"fanout{n}@example.org"
        person.save(update_fields=["email"])
        person.staff.phone = f"137{n:08d}"
        person.staff.save(update_fields=["phone"])
        people.append(person)
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=p, quiet_start=dt.time(0), quiet_end=dt.time(0)) for p in people
    )
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    with mock.patch("workflow.outbox._send"):  # the event stays in the outbox, undelivered
        event = assign_to(case, dispatcher=dispatcher, unit=town, now=MONDAY)
    rows = Notification.objects.filter(event=event)

    with stack(tmp_path) as (_redis, app):
        # 1. killed while the event's rows are being created
        app.start_worker()
        _deliver_in_the_worker(app, event.pk)
        _wait_for(_worker_in_a_transaction, "the worker's fan-out transaction")
        app.kill("worker")
        event.refresh_from_db()
        assert event.notified_at is None, "the fan-out finished before the kill: nothing tested"
        rows_after_first_kill = rows.count()
        assert rows_after_first_kill == 0  # all or nothing

        # 2. restarted: the fan-out runs again from the start, then the sending begins; killed
        # again once a third of the e-mails are out
        app.start_worker()
        _deliver_in_the_worker(app, event.pk)
        emails = rows.filter(channel=Channel.EMAIL)
        _wait_for(
            lambda: emails.filter(status=DeliveryStatus.SENT).count() >= PEOPLE // 3,
            "a third of the e-mails",
        )
        app.kill("worker")
        sent_before_second_kill = (
            rows.exclude(channel=Channel.IN_APP).filter(status=DeliveryStatus.SENT).count()
        )

        # 3. restarted; the beat's catch-up runs once the stuck window has passed
        app.start_worker()
        app.catch_up(past_stuck=True)
        unfinished = rows.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
        _wait_for(lambda: not unfinished.exists(), "every row delivered", every=0.5)
        mails = collections.Counter(to_lines(app.files("mail"), "To: fanout"))
        texts = collections.Counter(to_lines(app.files("sms"), "To: 137"))

    by_channel = collections.Counter(rows.values_list("channel", flat=True))
    statuses = collections.Counter(rows.values_list("channel", "status"))
    unknown_sms = statuses[(Channel.SMS, DeliveryStatus.FAILED)]
    mails_sent = statuses[(Channel.EMAIL, DeliveryStatus.SENT)]
    texts_sent = statuses[(Channel.SMS, DeliveryStatus.SENT)]
    figures(
        f"worker killed: {PEOPLE} people × 3 channels; rows after the kill mid-fan-out "
        f"{rows_after_first_kill}, e-mails and texts sent before the kill mid-sending "
        f"{sent_before_second_kill}; "
        f"rows now {dict(by_channel)}, e-mails sent {mails_sent} (files {sum(mails.values())}, "
        f"repeated {sum(c - 1 for c in mails.values())}), texts sent {texts_sent} (files "
        f"{sum(texts.values())}, repeated {sum(c - 1 for c in texts.values())}, result unknown "
        f"{unknown_sms})"
    )
    assert by_channel == {Channel.IN_APP: PEOPLE, Channel.EMAIL: PEOPLE, Channel.SMS: PEOPLE}
    assert CaseEvent.objects.get(pk=event.pk).notified_at is not None
    assert statuses[(Channel.IN_APP, DeliveryStatus.SENT)] == PEOPLE
    # every e-mail out, each once, except at most the one in flight at the kill
    assert statuses[(Channel.EMAIL, DeliveryStatus.SENT)] == PEOPLE
    assert len(mails) == PEOPLE and sum(c - 1 for c in mails.values()) <= 1
    # no text twice; at most the one in flight is "result unknown", for an administrator
    assert set(texts.values()) <= {1}
    assert unknown_sms <= 1
    assert statuses[(Channel.SMS, DeliveryStatus.SENT)] + unknown_sms == PEOPLE
