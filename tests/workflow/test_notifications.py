"""The event row is the outbox: whoever acts next is told once, even if the task runs twice."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import MONDAY, assign_to, make_staff, open_item
from workflow import notifications
from workflow.models import CaseEvent, Notification
from workflow.roles import Role
from workflow.selectors import unread_count
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db


def test_assigning_tells_the_handlers_of_the_responsible_unit(
    dispatcher, handler, district, town, django_capture_on_commit_callbacks
):
    colleague = make_staff("colleague", town, Role.HANDLER)
    case = open_item(actor=dispatcher, jurisdiction=district)
    # when the case is assigned and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    # then both handlers of the town have an unread notification naming the case
    told = Notification.objects.filter(event=event)
    assert {n.recipient for n in told} == {handler, colleague}
    assert all("小店督〔2026〕0001号" in n.message for n in told)
    assert unread_count(handler) == 1


def test_a_redelivered_task_notifies_nobody_twice(dispatcher, handler, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    assert notifications.deliver_event(event.pk, now=MONDAY) == 1
    assert notifications.deliver_event(event.pk, now=MONDAY) == 0
    assert Notification.objects.filter(event=event).count() == 1


def test_the_actor_is_not_told_of_their_own_action(dispatcher, handler, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    event = transition_case(
        case.specific.__class__.objects.get(pk=case.pk), "sign", actor=handler, now=MONDAY
    )
    notifications.deliver_event(event.pk, now=MONDAY)
    assert not Notification.objects.filter(event=event, recipient=handler).exists()


def test_the_safety_net_delivers_events_whose_message_was_lost(dispatcher, handler, district, town):
    # given an event committed but never delivered (the broker lost the message)
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    assert CaseEvent.objects.get(pk=event.pk).notified_at is None
    # when the beat job runs a minute later
    delivered = notifications.deliver_pending(
        now=MONDAY + dt.timedelta(minutes=1), older_than=dt.timedelta(seconds=30)
    )
    # then the handler is told, and the event is marked
    assert delivered >= 1
    assert Notification.objects.filter(event=event, recipient=handler).exists()
    assert CaseEvent.objects.get(pk=event.pk).notified_at is not None


def test_a_case_rerouted_away_leaves_the_bell(dispatcher, handler, district, town):
    # given the town's handler was told of an assignment
    from tests.factories import UnitFactory
    from workflow.models import Case, UnitKind

    other_town = UnitFactory(code="XD-LJP", name="刘家堡乡", kind=UnitKind.TOWN, parent=district)
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    notifications.deliver_event(event.pk, now=MONDAY)
    assert unread_count(handler) == 1
    # when the town objects and the case goes to another town
    transition_case(
        Case.objects.get(pk=case.pk).specific, "object", actor=handler, note="非本镇", now=MONDAY
    )
    transition_case(
        Case.objects.get(pk=case.pk).specific,
        "reassign",
        actor=dispatcher,
        payload={"responsible_unit": other_town.pk, "rectify_period": 5},
        now=MONDAY,
    )
    # then the first town's handler no longer sees the notification that names the case
    assert unread_count(handler) == 0


def test_email_and_sms_wait_for_a_worker_per_the_persons_preferences(
    dispatcher, handler, district, town
):
    from workflow.models import Channel, DeliveryStatus, NotificationPreference, Staff

    # given a handler with an e-mail address and a phone, who wants no SMS
    handler.email = "chen@example.gov.cn"
    handler.save()
    Staff.objects.filter(user=handler).update(phone="13800000000")
    NotificationPreference.objects.create(user=handler, sms=False)
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    # when the event is delivered, twice
    notifications.deliver_event(event.pk, now=MONDAY)
    notifications.deliver_event(event.pk, now=MONDAY)
    # then there is one in-app row (sent) and one e-mail row (pending), and no SMS
    rows = {
        n.channel: n.status for n in Notification.objects.filter(event=event, recipient=handler)
    }
    assert rows == {Channel.IN_APP: DeliveryStatus.SENT, Channel.EMAIL: DeliveryStatus.PENDING}


def test_the_bell_counts_the_news_once_whatever_the_channels(dispatcher, handler, district, town):
    from workflow.models import Staff

    # given a handler told by in-app, e-mail and SMS
    handler.email = "chen@example.gov.cn"
    handler.save()
    Staff.objects.filter(user=handler).update(phone="13800000000")
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    notifications.deliver_event(event.pk, now=MONDAY)
    assert Notification.objects.filter(event=event, recipient=handler).count() == 3
    # then the bell shows one item
    assert unread_count(handler) == 1


def test_a_fan_out_interrupted_half_way_leaves_the_event_for_the_next_try(
    dispatcher, handler, district, town
):
    # given an event for 30 handlers, and a worker that dies after the 10th row
    for n in range(29):
        make_staff(f"handler{n}", town, Role.HANDLER)
    case = open_item(actor=dispatcher, jurisdiction=district)
    event = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    saved = 0
    real_save = Notification.save

    def dies_half_way(row, *args, **kwargs):
        nonlocal saved
        saved += 1
        if saved > 10:
            raise TimeoutError("the soft time limit, or a kill -9")
        return real_save(row, *args, **kwargs)

    with (
        pytest.MonkeyPatch.context() as patch,
        pytest.raises(TimeoutError),
    ):
        patch.setattr(Notification, "save", dies_half_way)
        notifications.deliver_event(event.pk, now=MONDAY)
    # then nothing of it is kept: the event is unclaimed, no row exists
    assert CaseEvent.objects.get(pk=event.pk).notified_at is None
    assert not Notification.objects.filter(event=event).exists()
    # and the catch-up creates every row, once
    notifications.deliver_pending(
        now=MONDAY + dt.timedelta(minutes=1), older_than=dt.timedelta(seconds=30)
    )
    assert Notification.objects.filter(event=event).count() == 30
    assert notifications.deliver_event(event.pk, now=MONDAY) == 0


def test_a_late_delivery_says_what_each_event_did(dispatcher, handler, district, town):
    # given two events of one case, both undelivered (the broker was down), the case moved on
    case = open_item(actor=dispatcher, jurisdiction=district)
    assigned = assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    signed = transition_case(
        case.specific.__class__.objects.get(pk=case.pk), "sign", actor=handler, now=MONDAY
    )
    # when the catch-up delivers them later
    notifications.deliver_pending(
        now=MONDAY + dt.timedelta(minutes=5), older_than=dt.timedelta(seconds=30)
    )
    # then each says its own state, to the people who had to act after it
    [told_of_assign] = Notification.objects.filter(event=assigned)
    assert told_of_assign.recipient == handler
    assert told_of_assign.message.endswith("：已交办")
    assert told_of_assign.params["state"] == "已交办"
    assert not Notification.objects.filter(event=signed, recipient=handler).exists()
