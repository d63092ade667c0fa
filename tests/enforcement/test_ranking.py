"""周排名 / 月考核: the formula on data with known answers (a tie, a unit with no cases, a
penalty), immutable snapshots that a re-run reproduces, and the beat tasks for a given `now`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from enforcement.assessment import ranking
from enforcement.assessment.indicators import compute
from enforcement.models import RankingSnapshot, SnapshotKind
from enforcement.periods import Period
from enforcement.tasks import monthly_assessment, weekly_ranking
from tests.factories import MONDAY, UnitFactory, assign_to, open_item, reload
from workflow.models import UnitKind
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

WEEK = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 7))
TZ = MONDAY.tzinfo


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, tzinfo=TZ)


@pytest.fixture
def towns(district: Any) -> dict[str, Any]:
    return {
        code: UnitFactory(code=code, name=name, kind=UnitKind.TOWN, parent=district)
        for code, name in (("XD-A", "甲镇"), ("XD-B", "乙镇"), ("XD-C", "丙镇"), ("XD-D", "丁镇"))
    }


def signed(dispatcher: Any, district: Any, unit: Any, *, sign_day: int | None) -> Any:
    """A case assigned Monday 09:00 (签收 due Tuesday), signed on `sign_day` (None: never)."""
    from tests.factories import make_staff
    from workflow.roles import Role

    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=unit)
    if sign_day is not None:
        handler = make_staff(f"h-{unit.code}", unit, Role.HANDLER)
        transition_case(reload(case), "sign", actor=handler, now=at(sign_day))
    return case


@pytest.fixture
def week(dispatcher: Any, district: Any, towns: dict[str, Any]) -> None:
    signed(dispatcher, district, towns["XD-A"], sign_day=1)  # on time
    signed(dispatcher, district, towns["XD-A"], sign_day=4)  # late
    signed(dispatcher, district, towns["XD-B"], sign_day=1)  # on time
    signed(dispatcher, district, towns["XD-D"], sign_day=1)  # on time
    signed(dispatcher, district, towns["XD-D"], sign_day=5)  # late


def test_the_indicators_count_only_what_the_unit_owes(
    district: Any, towns: Any, week: None
) -> None:
    rows = {
        u.code: row
        for u in towns.values()
        for pk, row in compute(district, WEEK).items()
        if pk == u.pk
    }
    # The dispatcher's 交办 deadline is not the town's: two 签收 deadlines each for 甲 and 丁.
    assert (rows["XD-A"].closed_deadlines, rows["XD-A"].on_time) == (2, 1)
    assert (rows["XD-B"].closed_deadlines, rows["XD-B"].on_time) == (1, 1)
    assert not rows["XD-C"].has_cases


def test_scores_ranks_ties_and_a_unit_without_cases(district: Any, week: None) -> None:
    rows = {r["unit"]: r for r in ranking.rows(district, WEEK)}
    assert rows["XD-B"]["score"] == "100.00" and rows["XD-B"]["rank"] == 1
    # 甲 and 丁 both closed one of two on time: 50 points each, both second; the next is fourth.
    assert rows["XD-A"]["score"] == rows["XD-D"]["score"] == "50.00"
    assert rows["XD-A"]["rank"] == rows["XD-D"]["rank"] == 2
    assert rows["XD-C"]["score"] is None and rows["XD-C"]["rank"] is None
    assert [r["unit"] for r in ranking.rows(district, WEEK)][:3] == ["XD-B", "XD-A", "XD-D"]


def test_an_overdue_case_costs_points(
    dispatcher: Any, district: Any, towns: dict[str, Any], week: None
) -> None:
    signed(dispatcher, district, towns["XD-D"], sign_day=None)  # 签收 due 06-02, never signed
    rows = {r["unit"]: r for r in ranking.rows(district, WEEK)}
    assert rows["XD-D"]["inputs"]["overdue"] == 1
    assert rows["XD-D"]["score"] == "48.00"  # 50 − 1 × 2
    assert rows["XD-A"]["rank"] == 2 and rows["XD-D"]["rank"] == 3


def test_the_weights_come_from_the_settings(district: Any, week: None, settings: Any) -> None:
    settings.ECOLOOP_RANKING_WEIGHTS = {**settings.ECOLOOP_RANKING_WEIGHTS, "overdue": 10}
    assert ranking.weights()["overdue"] == Decimal(10)


def test_a_snapshot_is_immutable_and_a_rerun_reproduces_it(district: Any, week: None) -> None:
    first = ranking.take(SnapshotKind.WEEKLY, district, WEEK, now=at(8, 6))
    again = ranking.take(SnapshotKind.WEEKLY, district, WEEK, now=at(15, 6))
    assert again.pk == first.pk and again.digest == first.digest
    assert "得分" in first.formula and first.weights["on_time"] == "0.7"
    with pytest.raises(IntegrityError), transaction.atomic():
        RankingSnapshot.objects.filter(pk=first.pk).update(rows=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        RankingSnapshot.objects.filter(pk=first.pk).delete()
    assert RankingSnapshot.objects.get(pk=first.pk).rows == first.rows


def test_a_rerun_that_disagrees_is_reported_not_written(
    dispatcher: Any, district: Any, towns: dict[str, Any], week: None
) -> None:
    snapshot = ranking.take(SnapshotKind.WEEKLY, district, WEEK, now=at(8, 6))
    # History rewritten behind the ranking's back (a late row added with an old date).
    signed(dispatcher, district, towns["XD-C"], sign_day=2)
    with pytest.raises(ranking.SnapshotMismatch):
        ranking.take(SnapshotKind.WEEKLY, district, WEEK, now=at(15, 6))
    assert RankingSnapshot.objects.get(pk=snapshot.pk).digest == snapshot.digest


def test_the_beat_runs_the_weekly_ranking_on_monday_and_the_assessment_on_the_first_workday(
    district: Any, week: None, monkeypatch: Any
) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["weekly-ranking"]["task"] == "enforcement.tasks.weekly_ranking"
    assert schedule["monthly-assessment"]["task"] == "enforcement.tasks.monthly_assessment"

    monkeypatch.setattr("enforcement.tasks.timezone.now", lambda: at(8, 6))
    assert weekly_ranking() >= 1
    snapshot = RankingSnapshot.objects.get(kind=SnapshotKind.WEEKLY, scope=district)
    assert (snapshot.first_day, snapshot.last_day) == (WEEK.first, WEEK.last)
    assert weekly_ranking() >= 1  # idempotent: the same snapshot
    assert RankingSnapshot.objects.filter(kind=SnapshotKind.WEEKLY, scope=district).count() == 1

    # 2026-07-01 is a Wednesday and a working day: June's assessment; 07-02 does nothing.
    monkeypatch.setattr(
        "enforcement.tasks.timezone.now", lambda: dt.datetime(2026, 7, 2, 6, 45, tzinfo=TZ)
    )
    assert monthly_assessment() == 0
    monkeypatch.setattr(
        "enforcement.tasks.timezone.now", lambda: dt.datetime(2026, 7, 1, 6, 45, tzinfo=TZ)
    )
    assert monthly_assessment() >= 1
    june = RankingSnapshot.objects.get(kind=SnapshotKind.MONTHLY, scope=district)
    assert (june.first_day, june.last_day) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def test_the_first_working_day_skips_a_holiday() -> None:
    # 2026-10-01..07 is National Day: October's first working day is the 8th (the 10th is a
    # make-up Saturday, later).
    assert not ranking.first_workday_of_month(dt.date(2026, 10, 1))
    assert ranking.first_workday_of_month(dt.date(2026, 10, 8))
    assert ranking.first_workday_of_month(dt.date(2026, 6, 1))


def test_during_an_emergency_response_the_chosen_penalties_count_double(
    dispatcher: Any, district: Any, city: Any, towns: dict[str, Any], week: None
) -> None:
    from django.utils import timezone

    from enforcement.models import EmergencyResponse

    signed(dispatcher, district, towns["XD-D"], sign_day=None)  # one overdue: −2 points
    EmergencyResponse.objects.create(
        region=city,  # the city's response binds its districts' rankings
        name="重污染天气橙色预警Ⅱ级应急响应",
        starts_on=dt.date(2026, 6, 5),
        ends_on=dt.date(2026, 6, 9),
        indicators=["overdue"],
        created_at=timezone.now(),
    )
    rows = {r["unit"]: r for r in ranking.rows(district, WEEK)}
    assert rows["XD-D"]["score"] == "46.00"  # 50 − 1 × (2 × 2)
    snapshot = ranking.take(SnapshotKind.WEEKLY, district, WEEK, now=at(8, 6))
    assert snapshot.weights["overdue"] == "4" and snapshot.weights["returns"] == "1"
    # A week that does not overlap it counts as the settings say.
    earlier = Period(dt.date(2026, 5, 25), dt.date(2026, 5, 31))
    assert ranking.weights_for(district, earlier)["overdue"] == Decimal(2)
