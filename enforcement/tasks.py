"""Celery tasks of the case types: ids in or nothing, one service call, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def close_unrated_complaints() -> int:
    from enforcement.complaints.services import close_unrated

    return close_unrated(timezone.now())


@shared_task
def weekly_ranking() -> int:
    from enforcement.assessment.ranking import weekly

    return len(weekly(timezone.now()))


@shared_task
def monthly_assessment() -> int:
    from enforcement.assessment.ranking import monthly

    return len(monthly(timezone.now()))


@shared_task
def monthly_dispatch_reports() -> int:
    from enforcement.inspection_rounds.dispatch import monthly

    return len(monthly(timezone.now()))


@shared_task
def daily_analysis() -> int:
    """日分析: every bureau's document of today, on a working day (idempotent)."""
    from enforcement.rhythm.daily import daily

    return len(daily(timezone.now()))


@shared_task
def weekly_agenda() -> int:
    """周调度: every bureau's agenda of the week, delivered (idempotent)."""
    from enforcement.rhythm.weekly import weekly

    return len(weekly(timezone.now()))


@shared_task
def monthly_bulletin() -> int:
    """月通报: on the month's first working day, every bureau's bulletin (idempotent)."""
    from enforcement.rhythm.monthly import monthly

    return len(monthly(timezone.now()))
