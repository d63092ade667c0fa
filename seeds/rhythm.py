"""The demo's rhythm: every bureau's last 日分析, this week's 周调度 and last month's 月通报 (on
the seeded 月考核), each delivered as the beat would — the bells of the bureaus' heads and of the
towns hold them. Log in as `supervisor` or `leader` and open 调度通报.
"""

from __future__ import annotations

import datetime as dt

from enforcement.assessment.ranking import last_month
from enforcement.rhythm import daily, monthly, weekly
from seeds.assessment import demo_bureaus
from workflow import calendar
from workflow.models import Unit


def seed_daily_analyses(*, now: dt.datetime) -> int:
    """The last 日分析 of every bureau (today's on a working day, else the last working day's),
    delivered to its units and heads."""
    day = calendar.local_date(now)
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    bureaus = Unit.objects.regions().active().order_by("path")
    taken = [daily.take(region, day, now=now) for region in bureaus]
    for analysis in taken:
        daily.deliver(analysis, now=now)
    return len(taken)


def seed_weekly_and_monthly(*, now: dt.datetime) -> tuple[int, int]:
    """This week's 周调度 and last month's 月通报 of every demo bureau, delivered; run after the
    rankings are seeded (both read the stored snapshots)."""
    agendas = bulletins = 0
    for region in demo_bureaus():
        weekly.deliver(weekly.take(region, now=now), now=now)
        agendas += 1
        monthly.deliver(monthly.issue(region, last_month(now), now=now), now=now)
        bulletins += 1
    return agendas, bulletins
