"""Who is told what when a case moves. In-app only here; SMS and e-mail come with escalation.

The event row is the outbox: a worker claims it with a conditional update of `notified_at`, so a
redelivered task or the beat safety net never notifies twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workflow.models.event import CaseEvent
from workflow.models.notification import Notification
from workflow.record_language import in_record_language
from workflow.roles import Role


def recipients_for(event: CaseEvent) -> QuerySet[Any]:
    """The people who must act next on the case, within the unit that acts."""
    case = event.case.specific
    User = get_user_model()
    users = User.objects.filter(is_active=True)
    role = case.case_type.actors.get(case.state)
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


def _message(event: CaseEvent) -> str:
    case = event.case
    with in_record_language():
        return _("%(no)s %(title)s：%(state)s") % {
            "no": case.case_no,
            "title": case.title[:60],
            "state": case.get_state_display(),
        }


def deliver_event(event_id: int, *, now: dt.datetime) -> int:
    """Claim one event and create its in-app notifications. Returns how many were created."""
    claimed = CaseEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(
        notified_at=now
    )
    if not claimed:
        return 0
    event = CaseEvent.objects.select_related("case").get(pk=event_id)
    created = 0
    message = _message(event)
    for user in recipients_for(event).exclude(pk=event.actor_id or 0).distinct():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, case=event.case, event=event, message=message, created_at=now
                )
            created += 1
        except IntegrityError:
            continue
    return created


def deliver_pending(*, now: dt.datetime, older_than: dt.timedelta, batch: int = 200) -> int:
    """The safety net: events committed but not delivered (a lost broker message)."""
    ids = list(
        CaseEvent.objects.filter(notified_at__isnull=True, created_at__lte=now - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(deliver_event(pk, now=now) for pk in ids)
