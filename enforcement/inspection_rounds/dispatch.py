"""调度: where a round's rectification stands — each task 已完成, 达到序时进度, 滞后 or 逾期 — and
the monthly 调度 report, taken on the month's first working day (or on demand) and frozen.

Progress is read off the case, never typed in:

* 已完成: the task is 销号 (a co-unit's part: accepted);
* 逾期: its current main deadline has passed (完成时限, a progress report, an acceptance …);
* 滞后: a date of its 时间表·路线图 has passed and the unit has recorded no progress since (no
  整改进展, progress report or 申请验收 on the timeline on or after that date);
* 达到序时进度: the rest — on schedule, or in acceptance and 公示.

A 长期坚持 task is never 已完成: it is judged on its reports (逾期 when one is late).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from enforcement.assessment.ranking import first_workday_of_month, last_month
from enforcement.models import DispatchReport, InspectionRound, RectificationTask
from enforcement.numbering import next_number
from enforcement.periods import Period
from workflow import calendar
from workflow.escalation import escalate_case
from workflow.models.case import CaseState
from workflow.models.escalation import Rung
from workflow.record_language import in_record_language
from workflow.transitions import lock_case

DONE, ON_TRACK, LAGGING, OVERDUE = "done", "on_track", "lagging", "overdue"
STATUS_LABELS = {
    DONE: gettext_lazy("已完成"),
    ON_TRACK: gettext_lazy("达到序时进度"),
    LAGGING: gettext_lazy("滞后"),
    OVERDUE: gettext_lazy("逾期"),
}
#: What counts as the unit saying how far it got.
PROGRESS = ("record_progress", "report_progress", "apply_acceptance")
WORKING = (CaseState.PENDING_ASSIGNMENT, CaseState.ASSIGNED, CaseState.RECTIFYING)
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def milestone_days(text: str) -> list[dt.date]:
    days = []
    for line in text.splitlines():
        match = DATE.search(line)
        if match:
            try:
                days.append(dt.date(*(int(part) for part in match.groups())))
            except ValueError:
                continue
    return days


def progress_of(task: RectificationTask, now: dt.datetime, last_report: dt.date | None) -> str:
    """The task's status (see the module's docstring); `last_report` is the day of its latest
    progress event."""
    if task.closed_at is not None:
        return DONE
    if task.due_at is not None and task.due_at < now:
        return OVERDUE
    today = calendar.local_date(now)
    passed = [day for day in milestone_days(task.milestones) if day < today]
    if passed and task.state in WORKING and (last_report is None or last_report < max(passed)):
        return LAGGING
    return ON_TRACK


@dataclass(frozen=True)
class Line:
    task: RectificationTask
    status: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def lines(round: InspectionRound, now: dt.datetime, tasks: Any = None) -> list[Line]:
    """Every task of the round (the lead tasks and the co-units' parts) with its status."""
    if tasks is None:
        tasks = RectificationTask.objects.filter(problem__round=round)
    tasks = list(
        tasks.select_related("problem", "responsible_unit", "parent").order_by(
            "problem__number", "task_no", "parent_id", "pk"
        )
    )
    reports: dict[int, dt.datetime] = dict(
        RectificationTask.objects.filter(
            pk__in=[t.pk for t in tasks], events__transition__in=PROGRESS
        )
        .values_list("pk")
        .annotate(last=Max("events__created_at"))
    )
    result = []
    for task in tasks:
        moment = reports.get(task.pk)
        last = calendar.local_date(moment) if moment is not None else None
        result.append(Line(task, progress_of(task, now, last)))
    return result


def _row(line: Line) -> dict[str, Any]:
    task = line.task
    due = task.rectify_due or task.next_report_due
    return {
        "case": task.case_no,
        "problem": task.problem.number,
        "task": task.task_no,
        "title": task.title,
        "horizon": str(task.get_horizon_display()),
        "unit": task.responsible_unit.name if task.responsible_unit else "",
        "role": str(_("配合")) if task.parent_id else str(_("牵头")),
        "leader": task.leader,
        "due": f"{due:%Y-%m-%d}" if due else "",
        "state": task.get_state_display(),
        "progress": line.status,
        "rebounds": task.rebounds,
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per status: in all, per problem, per unit and per 责任领导."""

    def count(key: str) -> dict[str, dict[str, int]]:
        groups: dict[str, Counter[str]] = {}
        for row in rows:
            groups.setdefault(str(row[key]), Counter())[row["progress"]] += 1
        return {name: dict(counter) for name, counter in groups.items()}

    return {
        "total": dict(Counter(row["progress"] for row in rows)),
        "by_problem": count("problem"),
        "by_unit": count("unit"),
        "by_leader": count("leader"),
    }


def digest_of(rows: list[dict[str, Any]], totals: dict[str, Any], first: dt.date) -> str:
    canonical = json.dumps(
        {"first": f"{first}", "rows": rows, "summary": totals},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def take(round: InspectionRound, period: Period, *, now: dt.datetime) -> DispatchReport:
    """The round's 调度 report of a period (a whole month, or the month so far), taken once: a
    second call returns the first report (the progress as it stood when it was taken)."""
    existing = DispatchReport.objects.filter(
        round=round, first_day=period.first, last_day=period.last
    ).first()
    if existing is not None:
        return existing
    with in_record_language():
        rows = [_row(line) for line in lines(round, now)]
    totals = summary(rows)
    year = calendar.local_date(now).year
    region = round.region
    try:
        with transaction.atomic():
            with in_record_language():
                series = pgettext("document number", "督改调")
            sequence, number = next_number(DispatchReport, region, year, series)
            return DispatchReport.objects.create(
                round=round,
                region=region,
                first_day=period.first,
                last_day=period.last,
                year=year,
                sequence=sequence,
                number=number,
                rows=rows,
                summary=totals,
                digest=digest_of(rows, totals, period.first),
                created_at=now,
            )
    except IntegrityError:  # another worker took it first
        return DispatchReport.objects.get(round=round, first_day=period.first, last_day=period.last)


def verify(report: DispatchReport) -> bool:
    return digest_of(report.rows, report.summary, report.first_day) == report.digest


def rounds_under_way() -> list[InspectionRound]:
    """Rounds whose feedback has come and that have tasks to dispatch."""
    return list(
        InspectionRound.objects.filter(feedback_on__isnull=False, problems__tasks__isnull=False)
        .distinct()
        .order_by("pk")
    )


def month_so_far(now: dt.datetime) -> Period:
    """On demand: the month from its first day to today."""
    today = calendar.local_date(now)
    return Period(today.replace(day=1), today)


def monthly(now: dt.datetime) -> list[DispatchReport]:
    """On the month's first working day: last month's report of every round under way, and
    the ladder for the tasks it finds lagging."""
    if not first_workday_of_month(calendar.local_date(now)):
        return []
    period = last_month(now)
    reports = [take(round, period, now=now) for round in rounds_under_way()]
    for report in reports:
        escalate_laggards(report, now=now)
    return reports


def _whole_month(report: DispatchReport) -> bool:
    month = Period.month(report.first_day.year, report.first_day.month)
    return (report.first_day, report.last_day) == (month.first, month.last)


def lagging_months(report: DispatchReport) -> dict[str, int]:
    """For each task 滞后 in this (whole-month) report: in how many monthly reports running,
    this one included, it has lagged."""
    earlier = [
        r
        for r in DispatchReport.objects.filter(
            round=report.round, first_day__lt=report.first_day
        ).order_by("-first_day")
        if _whole_month(r)
    ]
    counts: dict[str, int] = {}
    for row in report.rows:
        if row.get("progress") != LAGGING or not row.get("case"):
            continue
        n = 1
        for before in earlier:
            lagged = any(
                r.get("case") == row["case"] and r.get("progress") == LAGGING for r in before.rows
            )
            if not lagged:
                break
            n += 1
        counts[row["case"]] = n
    return counts


def escalate_laggards(report: DispatchReport, *, now: dt.datetime) -> int:
    """滞后 feeds the ladder as a missed deadline does (`ECOLOOP_LAGGING_RUNGS`: months lagging
    running → rung; 催办 the first month, 督办 the second by default). A rung fires once: a task
    already at or above it is left as it is, so a re-run changes nothing. Returns how many
    fired."""
    if not _whole_month(report):
        return 0
    rungs = sorted(dict(settings.ECOLOOP_LAGGING_RUNGS).items())
    fired = 0
    for case_no, months in lagging_months(report).items():
        rung = max((r for n, r in rungs if n <= months), default=None)
        if rung is None:
            continue
        with transaction.atomic():
            found = RectificationTask.objects.filter(case_no=case_no).values_list("pk", flat=True)
            if not found:
                continue
            task = lock_case(RectificationTask, found[0])
            if task.closed_at is not None or rung <= task.escalation_floor:
                continue
            with in_record_language():
                reason = _("整改调度%(number)s：连续%(n)d个月滞后于时间表") % {
                    "number": report.number,
                    "n": months,
                }
            escalate_case(task, Rung(rung), reason=reason, now=now)
            fired += 1
    return fired
