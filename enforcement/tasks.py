"""Celery tasks of the case types: ids in or nothing, one service call, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def close_unrated_complaints() -> int:
    from enforcement.complaints.services import close_unrated

    return close_unrated(timezone.now())
