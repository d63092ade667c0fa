"""The demo's 督察 round: what the README promises someone logging in as ducha or ducha_head."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enforcement.inspection_rounds import dispatch, ledger, services, task_services
from enforcement.models import (
    DispatchReport,
    ForwardedComplaint,
    ForwardedPublication,
    Horizon,
    InspectionRound,
    PublicityObjection,
    RectificationTask,
)
from workflow import calendar
from workflow.models import Case
from workflow.models.case import CaseState


def test_two_batches_with_items_in_every_state_a_phased_a_false_and_a_repeat(demo: Any) -> None:
    round = InspectionRound.objects.get(level="central")
    assert round.batches.count() == 2 and round.feedback_on is not None
    items = ForwardedComplaint.objects.filter(batch__round=round)
    states = set(items.values_list("state", flat=True))
    assert states >= {
        CaseState.PENDING_ASSIGNMENT,
        CaseState.ASSIGNED,
        CaseState.RECTIFYING,
        CaseState.REPORTED,
        CaseState.PENDING_CLOSURE,
        CaseState.CLOSED,
        "phased",
    }
    assert items.filter(truth="false").exists()
    assert items.filter(repeat_of__isnull=False, batch__number=2).exists()
    publication = ForwardedPublication.objects.get()
    assert services.verify(publication)
    assert {e["status"] for e in publication.entries} == {"已办结", "阶段性办结"}
    assert demo.forwarded_items == items.count()


def test_the_feedback_lists_cover_every_horizon_an_objection_and_a_rebound(demo: Any) -> None:
    round = InspectionRound.objects.get(level="central")
    assert round.problems.count() >= 3
    tasks = RectificationTask.objects.filter(problem__round=round)
    whole = tasks.filter(parent__isnull=True)
    assert whole.count() >= 8 and tasks.filter(parent__isnull=False).count() >= 2
    assert set(whole.values_list("horizon", flat=True)) == set(Horizon.values)
    assert set(tasks.values_list("state", flat=True)) >= {
        "publicizing",
        "publicity_objected",
        "accepting",
        "upper_review",
        CaseState.RECTIFYING,
        CaseState.CLOSED,
    }
    objection = PublicityObjection.objects.get()
    assert objection.task.state == "publicity_objected"
    assert task_services.answer_to(objection) is None
    assert whole.filter(rebounds=1, state=CaseState.RECTIFYING).exists()
    assert task_services.in_publicity().count() == 1
    assert demo.rectification_tasks == tasks.count()
    report = DispatchReport.objects.get()
    assert dispatch.verify(report) and report.number.endswith("〕1号")
    # Seeded on 2026-06-10: May's report, taken on June's first working day.
    assert (report.first_day, report.last_day) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert report.created_at == dt.datetime(2026, 6, 1, 7, 0, tzinfo=calendar.SHANGHAI)


def test_the_upcoming_round_has_a_ledger_of_what_the_central_round_left_open(demo: Any) -> None:
    upcoming = InspectionRound.objects.get(level="provincial")
    open_items = ledger.entries(upcoming, Case.objects.values("pk"))
    central = InspectionRound.objects.get(level="central")
    assert open_items and {entry.round for entry in open_items} == {central}
    assert all(entry.case.closed_at is None for entry in open_items)
