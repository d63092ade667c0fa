"""Celery tasks: ids in, one service call, idempotent."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from workflow import delivery, notifications


@shared_task
def deliver_event_notifications(event_id: int) -> int:
    return notifications.deliver_event(event_id, now=timezone.now())


@shared_task
def deliver_pending_notifications() -> int:
    return notifications.deliver_pending(now=timezone.now(), older_than=dt.timedelta(seconds=30))


@shared_task
def fire_due_deadlines() -> int:
    from workflow import escalation

    return escalation.fire_due_deadlines(timezone.now())


@shared_task
def recompute_provisional_deadlines() -> int:
    from workflow.deadline_calendar import recompute_provisional

    return recompute_provisional(now=timezone.now())


@shared_task
def deliver_notification(notification_id: int) -> str:
    return delivery.deliver_notification(notification_id, now=timezone.now())


@shared_task
def deliver_due_notifications() -> int:
    return delivery.deliver_due(timezone.now())
