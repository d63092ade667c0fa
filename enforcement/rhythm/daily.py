"""日分析: each working day, per bureau, every responsible unit's new, due-today, overdue and
escalated open cases, taken once and frozen (a digest and a trigger): a second take of the same
day returns the first document, whatever has changed since.

Delivered in-app and by e-mail (`deliver`): each unit of the bureau's own reads its row (its
heads, or its handlers where it has no head: a town's 环保专干), the bureau's heads, leaders and
dispatchers read the totals. A second delivery sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from enforcement.models import DailyAnalysis
from enforcement.rhythm import bureau_readers, digest, unit_readers
from workflow import calendar
from workflow.models import Case, Unit
from workflow.notifications import notify_document
from workflow.record_language import in_record_language

#: The counts of a row, in the page's column order.
COUNTS = ("new", "due_today", "overdue", "escalated", "open")


def counts_q(day: dt.date, now: dt.datetime) -> dict[str, Any]:
    """Aggregates over a bureau's open cases (and those opened on `day`) as of `now`."""
    start = calendar.end_of_day(day - dt.timedelta(days=1))
    end = calendar.end_of_day(day)
    is_open = Q(closed_at__isnull=True)
    return {
        "new": Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        "due_today": Count("pk", filter=is_open & Q(due_at__gte=max(start, now), due_at__lte=end)),
        "overdue": Count("pk", filter=is_open & Q(due_at__lt=now)),
        "escalated": Count("pk", filter=is_open & Q(escalation_level__gt=0)),
        "open": Count("pk", filter=is_open),
    }


def cases_of(region: Unit) -> QuerySet[Case]:
    return Case.objects.filter(jurisdiction__path__startswith=region.path)


def rows_for(region: Unit, day: dt.date, now: dt.datetime) -> list[dict[str, Any]]:
    start = calendar.end_of_day(day - dt.timedelta(days=1))
    relevant = cases_of(region).filter(
        Q(closed_at__isnull=True) | Q(created_at__gte=start), responsible_unit__isnull=False
    )
    grouped = (
        relevant.values("responsible_unit", "responsible_unit__name", "responsible_unit__path")
        .annotate(**counts_q(day, now))
        .order_by("responsible_unit__path")
    )
    rows: list[dict[str, Any]] = []
    for group in grouped:
        found: dict[str, Any] = dict(group)
        rows.append(
            {
                "unit_id": found["responsible_unit"],
                "unit": found["responsible_unit__name"],
                **{key: found[key] for key in COUNTS},
            }
        )
    return sorted(rows, key=lambda r: (-r["overdue"], -r["escalated"], -r["due_today"]))


def digest_of(rows: list[dict[str, Any]], totals: dict[str, int], day: dt.date) -> str:
    return digest({"rows": rows, "totals": totals, "day": f"{day:%Y-%m-%d}"})


def verify(analysis: DailyAnalysis) -> bool:
    return digest_of(analysis.rows, analysis.totals, analysis.day) == analysis.digest


def take(region: Unit, day: dt.date, *, now: dt.datetime) -> DailyAnalysis:
    """The bureau's 日分析 of `day`, taken once."""
    existing = DailyAnalysis.objects.filter(region=region, day=day).first()
    if existing is not None:
        return existing
    rows = rows_for(region, day, now)
    totals = {key: sum(r[key] for r in rows) for key in COUNTS}
    try:
        with transaction.atomic():
            return DailyAnalysis.objects.create(
                region=region,
                day=day,
                rows=rows,
                totals=totals,
                digest=digest_of(rows, totals, day),
                created_at=now,
            )
    except IntegrityError:  # another worker took it first
        return DailyAnalysis.objects.get(region=region, day=day)


def _summary(counts: dict[str, Any]) -> str:
    return _(
        "新增%(new)d件，今日到期%(due_today)d件，逾期%(overdue)d件，"
        "已升级督办%(escalated)d件，在办%(open)d件"
    ) % {key: counts[key] for key in COUNTS}


def deliver(analysis: DailyAnalysis, *, now: dt.datetime) -> int:
    """Send the document to its units and its bureau; returns the rows created (0 the second
    time)."""
    region = analysis.region
    key = f"daily:{analysis.pk}"
    link = reverse("enforcement:daily_analysis_detail", args=[analysis.pk])
    day = f"{analysis.day:%Y-%m-%d}"
    sent = 0
    with in_record_language():
        heads = bureau_readers(region)
        message = _("%(day)s日分析（%(region)s合计）：%(summary)s。") % {
            "day": day,
            "region": region.name,
            "summary": _summary(analysis.totals),
        }
        sent += len(notify_document(heads, message, document=key, link=link, now=now))
        units = Unit.objects.in_bulk([row["unit_id"] for row in analysis.rows])
        # A sub-bureau's units read the sub-bureau's own document, not this one.
        below = Unit.objects.regions().filter(path__startswith=region.path).exclude(pk=region.pk)
        elsewhere = tuple(bureau.path for bureau in below)
        for row in analysis.rows:
            unit = units.get(row["unit_id"])
            if unit is None or unit == region or (elsewhere and unit.path.startswith(elsewhere)):
                continue  # the bureau's own row is in its totals
            people = unit_readers(unit)
            message = _("%(day)s日分析：%(unit)s%(summary)s。") % {
                "day": day,
                "unit": unit.name,
                "summary": _summary(row),
            }
            sent += len(notify_document(people, message, document=key, link=link, now=now))
    return sent


def daily(now: dt.datetime) -> list[DailyAnalysis]:
    """The beat's job: on a working day, every bureau's 日分析 of today, delivered (a no-op
    otherwise)."""
    today = calendar.local_date(now)
    if not calendar.is_workday(today):
        return []
    bureaus = Unit.objects.regions().active().order_by("path")
    taken = [take(region, today, now=now) for region in bureaus]
    for analysis in taken:
        with transaction.atomic():
            deliver(analysis, now=now)
    return taken
