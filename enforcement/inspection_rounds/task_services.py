"""反馈问题整改: opening a task with its 责任清单 (a lead case and a child case per co-unit), the
四清单 as a page reads them, the 整改方案's deadline, and the public's objection to a 公示."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from enforcement.complaints.services import new_tracking_code
from enforcement.models import (
    AcceptanceTier,
    InspectionRound,
    PublicityObjection,
    RectificationProblem,
    RectificationState,
    RectificationTask,
)
from workflow import calendar
from workflow.models import CaseEvent, Deadline, Unit
from workflow.relations import open_child_case
from workflow.transitions import open_case, transition_case

#: The office's answers to an objection, on the task's timeline.
OBJECTION_ANSWERS = ("uphold_objection", "dismiss_objection")


def plan_due(round: InspectionRound) -> calendar.DueDate | None:
    """整改方案 within N working days of the feedback (`ECOLOOP_RECTIFICATION_PLAN_WORKDAYS`)."""
    if round.feedback_on is None:
        return None
    return calendar.add_workdays(
        round.feedback_on, int(settings.ECOLOOP_RECTIFICATION_PLAN_WORKDAYS)
    )


def open_task(
    problem: RectificationProblem,
    *,
    actor: Any,
    task_no: str,
    title: str,
    target: str,
    measures: str,
    horizon: str,
    leader: str,
    lead_unit: Unit,
    co_units: list[Unit],
    rectify_due: dt.date | None,
    report_schedule: str = "",
    milestones: str = "",
    now: dt.datetime,
) -> RectificationTask:
    """The task as a case, 交办 to its lead unit, and one child case per co-unit (its part, due
    the same day): all or nothing. A 区级验收 problem's task belongs to the lead unit's bureau,
    whose verifiers accept it (谁验收、谁负责); the others to the round's region."""
    fields: dict[str, Any] = {
        "problem": problem,
        "task_no": task_no,
        "target": target,
        "measures": measures,
        "horizon": horizon,
        "leader": leader,
        "milestones": milestones,
        "report_schedule": report_schedule,
    }
    with transaction.atomic():
        task = open_case(
            RectificationTask,
            actor=actor,
            jurisdiction=jurisdiction_for(problem, lead_unit),
            title=title,
            description=problem.text,
            now=now,
            **fields,
        )
        transition_case(
            task,
            "assign",
            actor=actor,
            payload={"responsible_unit": lead_unit.pk, "rectify_due": rectify_due},
            now=now,
        )
        for unit in co_units:
            open_child_case(
                RectificationTask.objects.get(pk=task.pk),
                actor=actor,
                responsible_unit=unit,
                rectify_due=rectify_due,
                now=now,
            )
    return RectificationTask.objects.get(pk=task.pk)


def jurisdiction_for(problem: RectificationProblem, lead_unit: Unit) -> Unit:
    region = problem.round.region
    if problem.tier == AcceptanceTier.DISTRICT:
        try:
            bureau = lead_unit.region()
        except ValueError:
            return region
        if bureau.is_within(region):
            return bureau
    return region


@dataclass(frozen=True)
class TaskRow:
    """One line of the 任务清单 with its 责任清单 and 结果."""

    task: RectificationTask
    parts: list[RectificationTask]


def lists(round: InspectionRound, visible: QuerySet[Any]) -> list[tuple[Any, list[TaskRow]]]:
    """The 四清单 of a round: each problem with its tasks, each task with its co-units' parts;
    only the cases the reader may see."""
    tasks = (
        RectificationTask.objects.filter(problem__round=round, pk__in=visible)
        .select_related("responsible_unit", "problem", "verifier")
        .order_by("task_no", "pk")
    )
    parts: dict[int, list[RectificationTask]] = {}
    whole: list[RectificationTask] = []
    for task in tasks:
        if task.parent_id:
            parts.setdefault(task.parent_id, []).append(task)
        else:
            whole.append(task)
    by_problem: dict[int, list[TaskRow]] = {}
    for task in whole:
        by_problem.setdefault(task.problem_id, []).append(TaskRow(task, parts.get(task.pk, [])))
    problems = RectificationProblem.objects.filter(round=round).order_by("number")
    return [(p, by_problem.get(p.pk, [])) for p in problems]


# --- 公示 and the public's objections ---------------------------------------------------------


def in_publicity() -> QuerySet[RectificationTask]:
    return (
        RectificationTask.objects.filter(state=RectificationState.PUBLICIZING, parent__isnull=True)
        .select_related("problem__round", "responsible_unit")
        .order_by("problem__round", "task_no")
    )


def publicity_windows(tasks: list[RectificationTask]) -> dict[int, Deadline]:
    """The running 公示期 of each task, read in one query."""
    pending = Deadline.objects.pending().filter(case__in=tasks, kind="publicity")
    return {deadline.case_id: deadline for deadline in pending}


def file_objection(
    task: RectificationTask, *, grounds: str, now: dt.datetime
) -> PublicityObjection:
    """Record the objection and move the task to 公示异议待核, together or not at all."""
    with transaction.atomic():
        transition_case(task, "object_in_publicity", actor=None, note=grounds, now=now)
        return PublicityObjection.objects.create(
            task=task, code=new_tracking_code(), grounds=grounds, filed_at=now
        )


def answer_to(objection: PublicityObjection) -> CaseEvent | None:
    """The office's answer: the first 异议成立/不成立 on the task after the objection came."""
    return (
        objection.task.events.filter(
            transition__in=OBJECTION_ANSWERS, created_at__gte=objection.filed_at
        )
        .order_by("seq")
        .first()
    )
