"""The demo's 周排名 and 月考核: last week's and last month's snapshots of every demo bureau.

Taken at the end of the seed with the seed's `now`, through the same `take` the beat runs, so
the rankings page has something to show (and compare) the moment the demo is up. The snapshots
are computed from the seeded history only, so a later re-run for the same period (the beat on
Monday, or by hand) matches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from enforcement.assessment.ranking import last_month, last_week, take
from enforcement.models import RankingSnapshot, SnapshotKind
from seeds.taiyuan import CITY_CODE
from workflow.models import Unit


@dataclass(frozen=True)
class AssessmentSeed:
    weekly: int
    monthly: int

    @property
    def snapshots(self) -> int:
        return self.weekly + self.monthly


def demo_bureaus() -> list[Unit]:
    """The demo city's bureaus (the city and its districts), each ranking its own units."""
    return list(
        Unit.objects.regions()
        .filter(active=True, path__startswith=f"{CITY_CODE}/")
        .order_by("code")
    )


def seed_assessment(*, now: dt.datetime) -> AssessmentSeed:
    bureaus = demo_bureaus()
    week, month = last_week(now), last_month(now)
    weekly = [take(SnapshotKind.WEEKLY, bureau, week, now=now) for bureau in bureaus]
    monthly = [take(SnapshotKind.MONTHLY, bureau, month, now=now) for bureau in bureaus]
    return AssessmentSeed(weekly=len(weekly), monthly=len(monthly))


def count_snapshots() -> int:
    """The demo bureaus' snapshots now stored (the beat adds to them as weeks go by)."""
    return RankingSnapshot.objects.filter(scope__path__startswith=f"{CITY_CODE}/").count()
