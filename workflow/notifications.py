"""Who is told what when a case moves or a rung fires, on which channels.

The event row is the outbox: a worker claims it with a conditional update of `notified_at` and
creates its rows in the same transaction, so a redelivered task or the beat safety net never
notifies twice, and a worker killed (or timed out) in the middle of a fan-out leaves the event
unclaimed, with none of its rows, for the next try. What is said, and to whom, is the event's: its
target state, not the state the case has reached by the time a late delivery runs. E-mail and
SMS rows are then sent by `workflow.delivery`, immediately after commit and again by the beat
sweep if that message is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workflow.models.event import CaseEvent
from workflow.models.notification import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
from workflow.outbox import enqueue_on_commit
from workflow.record_language import in_record_language
from workflow.roles import Role


def recipients_for(event: CaseEvent) -> QuerySet[Any]:
    """The people who must act next on the case after this event, within the unit that acts."""
    case = event.case.specific
    User = get_user_model()
    users = User.objects.filter(is_active=True)
    role = case.case_type.actors.get(event.to_state)
    if role is None:
        # Closed or outside the loop: tell those who worked on it.
        ids = {i for i in (case.assignee_id, case.verifier_id, case.created_by_id) if i}
        return users.filter(pk__in=ids)
    if role == Role.HANDLER:
        if case.assignee_id:
            return users.filter(pk=case.assignee_id)
        unit = case.responsible_unit
        if unit is None:
            return users.none()
        return users.filter(groups__name=role.value, staff__unit=unit)
    if role == Role.VERIFIER and case.verifier_id:
        return users.filter(pk=case.verifier_id)
    # Dispatchers, verifiers and supervisors of the bureau that owns the case.
    return users.filter(groups__name=role.value, staff__unit__in=_units_up_to(case.jurisdiction))


def _units_up_to(unit: Any) -> list[Any]:
    chain = []
    while unit is not None:
        chain.append(unit)
        unit = unit.parent
    return chain


def _state_label(event: CaseEvent) -> str:
    with in_record_language():
        return str(event.case.case_type.state_label(event.to_state))


def _message(event: CaseEvent) -> str:
    case = event.case
    with in_record_language():
        return _("%(no)s %(title)s：%(state)s") % {
            "no": case.case_no,
            "title": case.title[:60],
            "state": _state_label(event),
        }


def notify(
    case: Any,
    recipients: Iterable[Any],
    message: str,
    *,
    now: dt.datetime,
    event: CaseEvent | None = None,
    escalation: Any = None,
    urgent: bool = False,
    template_code: str = "",
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """Record one notification per (event or rung, channel, recipient).

    In-app rows are delivered as they are written. E-mail and SMS rows start pending, for the
    people whose preferences ask for them (and who have an address or phone); a worker sends
    them outside any transaction, as soon as this transaction commits (the beat sweep
    `deliver_due` catches what a lost broker message leaves behind). A row that exists already
    is left alone: calling this twice for the same event or rung creates nothing new.
    """
    if (event is None) == (escalation is None):
        raise ValueError("a notification belongs to exactly one event or one rung")
    return _record(
        recipients,
        message,
        now=now,
        fields={"case": case, "event": event, "escalation": escalation},
        urgent=urgent,
        template_code=template_code,
        params=params,
    )


def notify_document(
    recipients: Iterable[Any], message: str, *, document: str, link: str, now: dt.datetime
) -> list[Notification]:
    """Deliver a document (a 日分析, a 月通报) in-app and by e-mail to each person once: `document`
    is its key, `link` the page it is read on. Calling this twice sends nothing new."""
    if not document or not link:
        raise ValueError("a document's notification needs its key and its page")
    return _record(
        recipients,
        message,
        now=now,
        fields={"document": document, "link": link},
        channels=(Channel.IN_APP, Channel.EMAIL),
    )


def _record(
    recipients: Iterable[Any],
    message: str,
    *,
    now: dt.datetime,
    fields: dict[str, Any],
    channels: Iterable[Channel] | None = None,
    urgent: bool = False,
    template_code: str = "",
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    from workflow.tasks import deliver_notification  # the tasks module imports this one

    allowed = set(channels) if channels is not None else None
    created: list[Notification] = []
    for user in recipients:
        for channel in channels_for(user):
            if allowed is not None and channel not in allowed:
                continue
            row = Notification(
                recipient=user,
                **fields,
                channel=channel,
                message=message[:300],
                template_code=template_code,
                params=params or {},
                urgent=urgent,
                created_at=now,
            )
            if channel == Channel.IN_APP:
                row.status, row.sent_at = DeliveryStatus.SENT, now
            else:
                row.status, row.next_attempt_at = DeliveryStatus.PENDING, now
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue
            created.append(row)
            if row.status == DeliveryStatus.PENDING:
                enqueue_on_commit(deliver_notification, row.pk)
    return created


def notify_external(
    event: CaseEvent,
    message: str,
    *,
    now: dt.datetime,
    template_code: str,
    params: dict[str, Any],
) -> list[Notification]:
    """Tell the case's outside party (a complaint's reporter) about an event, by SMS and e-mail
    where they gave a number or an address (`CaseType.external_contact`). One row per (event,
    channel): calling this twice for the same event creates nothing new."""
    from workflow.tasks import deliver_notification  # the tasks module imports this one

    case = event.case
    created: list[Notification] = []
    for channel in external_channels(case):
        row = Notification(
            recipient=None,
            case=case,
            event=event,
            channel=channel,
            message=message[:300],
            template_code=template_code,
            params=params,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue
        created.append(row)
        enqueue_on_commit(deliver_notification, row.pk)
    return created


def external_channels(case: Any) -> list[Channel]:
    """The channels on which the case's outside party can be reached."""
    contact = case.case_type.external_contact
    if contact is None:
        return []
    specific = case.specific
    return [c for c in (Channel.SMS, Channel.EMAIL) if contact(specific, c)]


def channels_for(user: Any) -> list[Channel]:
    """In-app always; e-mail and SMS when the person wants them and can be reached."""
    channels = [Channel.IN_APP]
    preference = NotificationPreference.objects.filter(user=user).first()
    wants_email = preference.email if preference else True
    wants_sms = preference.sms if preference else True
    if wants_email and user.email:
        channels.append(Channel.EMAIL)
    staff = getattr(user, "staff", None)
    if wants_sms and staff is not None and staff.phone:
        channels.append(Channel.SMS)
    return channels


def deliver_event(event_id: int, *, now: dt.datetime) -> int:
    """Claim one event and notify whoever acts next, all or nothing. Returns how many people
    were told in-app."""
    with transaction.atomic():
        claimed = CaseEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(
            notified_at=now
        )
        if not claimed:
            return 0
        event = CaseEvent.objects.select_related("case").get(pk=event_id)
        recipients = recipients_for(event).exclude(pk=event.actor_id or 0).distinct()
        rows = notify(
            event.case,
            recipients.select_related("staff"),
            _message(event),
            now=now,
            event=event,
            template_code="CASE_STATE",
            params={"case_no": event.case.case_no, "state": _state_label(event)},
        )
        after_event = event.case.case_type.after_event
        if after_event is not None:
            after_event(event, now)
    return sum(1 for row in rows if row.channel == Channel.IN_APP)


def deliver_pending(*, now: dt.datetime, older_than: dt.timedelta, batch: int = 200) -> int:
    """The safety net: events committed but not delivered (a lost broker message)."""
    ids = list(
        CaseEvent.objects.filter(notified_at__isnull=True, created_at__lte=now - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(deliver_event(pk, now=now) for pk in ids)
