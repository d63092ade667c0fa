"""周调度: each Monday, each bureau's agenda for its 调度会 — the units at the bottom of last
week's 周排名, the oldest overdue items, the campaigns behind (or within a week of) their 清零
date — taken once, frozen, sent to the bureau's heads, leaders and dispatchers. The page lets a
leader act on each line: a 督办事项 (会议议定) to a lagging unit, a 调度令 of a campaign, the case
page of an overdue item (催办, 挂牌督办)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enforcement.assessment import ranking
from enforcement.campaigns.services import countdown
from enforcement.models import Campaign, SnapshotKind, WeeklyAgenda
from enforcement.rhythm import bureau_readers, digest
from enforcement.rhythm.rules import bottom_of
from workflow import calendar
from workflow.models import Case, Unit
from workflow.notifications import notify_document
from workflow.record_language import in_record_language

#: The oldest overdue items an agenda lists; a campaign within this many days of 清零 is listed.
OVERDUE_LINES = 10
CAMPAIGN_WARN_DAYS = 7


def lagging(region: Unit, now: dt.datetime) -> list[dict[str, Any]]:
    snapshot = ranking.stored_or_taken(SnapshotKind.WEEKLY, region, ranking.last_week(now), now=now)
    bottom = bottom_of(snapshot, int(settings.ECOLOOP_LAGGARD_RULE["bottom"]))
    ranked = [row for row in snapshot.rows if row.get("rank") is not None]
    rows = [
        {
            "unit": row["unit"],
            "name": row["name"],
            "rank": row["rank"],
            "score": row["score"],
            "of": len(ranked),
        }
        for row in ranked
        if row["unit"] in bottom
    ]
    return sorted(rows, key=lambda r: (-r["rank"], r["unit"]))


def overdue(region: Unit, now: dt.datetime) -> list[dict[str, Any]]:
    cases = (
        Case.objects.filter(
            jurisdiction__path__startswith=region.path, closed_at__isnull=True, due_at__lt=now
        )
        .select_related("responsible_unit")
        .order_by("due_at", "pk")[:OVERDUE_LINES]
    )
    today = calendar.local_date(now)
    return [
        {
            "case_id": case.pk,
            "case_no": case.case_no,
            "title": case.title[:80],
            "unit": case.responsible_unit.name if case.responsible_unit else "",
            "due_at": calendar.limit_text(case.due_at),
            "days": (today - calendar.last_day(case.due_at)).days,
            "level": case.escalation_level,
        }
        for case in cases
        if case.due_at is not None
    ]


def campaigns_behind(region: Unit, now: dt.datetime) -> list[dict[str, Any]]:
    today = calendar.local_date(now)
    rows = []
    running = Campaign.objects.filter(
        region__path__startswith=region.path, starts_on__lte=today, ends_on__gte=today
    ).order_by("clear_by", "pk")
    for campaign in running:
        left = countdown(campaign, now)
        if left.open_items and left.days_left <= CAMPAIGN_WARN_DAYS:
            rows.append(
                {
                    "campaign_id": campaign.pk,
                    "name": campaign.name,
                    "clear_by": f"{campaign.clear_by:%Y-%m-%d}",
                    "open": left.open_items,
                    "days_left": left.days_left,
                }
            )
    return rows


def digest_of(agenda: WeeklyAgenda) -> str:
    return digest(
        {
            "first_day": f"{agenda.first_day:%Y-%m-%d}",
            "lagging": agenda.lagging,
            "overdue": agenda.overdue,
            "campaigns": agenda.campaigns,
        }
    )


def verify(agenda: WeeklyAgenda) -> bool:
    return digest_of(agenda) == agenda.digest


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def take(region: Unit, *, now: dt.datetime) -> WeeklyAgenda:
    """The bureau's agenda of this week, taken once."""
    first_day = monday_of(calendar.local_date(now))
    existing = WeeklyAgenda.objects.filter(region=region, first_day=first_day).first()
    if existing is not None:
        return existing
    agenda = WeeklyAgenda(
        region=region,
        first_day=first_day,
        lagging=lagging(region, now),
        overdue=overdue(region, now),
        campaigns=campaigns_behind(region, now),
        created_at=now,
    )
    agenda.digest = digest_of(agenda)
    try:
        with transaction.atomic():
            agenda.save()
    except IntegrityError:  # another worker took it first
        return WeeklyAgenda.objects.get(region=region, first_day=first_day)
    return agenda


def deliver(agenda: WeeklyAgenda, *, now: dt.datetime) -> int:
    with in_record_language():
        message = _(
            "%(day)s周调度（%(region)s）：排名靠后%(lagging)d个单位，"
            "逾期事项%(overdue)d件，滞后专项行动%(campaigns)d个。"
        ) % {
            "day": f"{agenda.first_day:%Y-%m-%d}",
            "region": agenda.region.name,
            "lagging": len(agenda.lagging),
            "overdue": len(agenda.overdue),
            "campaigns": len(agenda.campaigns),
        }
    people = bureau_readers(agenda.region)
    link = reverse("enforcement:weekly_agenda_detail", args=[agenda.pk])
    return len(notify_document(people, message, document=f"weekly:{agenda.pk}", link=link, now=now))


def weekly(now: dt.datetime) -> list[WeeklyAgenda]:
    """The beat's job (Monday morning): every bureau's agenda of the week, delivered."""
    taken = []
    for region in ranking.scopes():
        agenda = take(region, now=now)
        with transaction.atomic():
            deliver(agenda, now=now)
        taken.append(agenda)
    return taken
