"""The demo's 双随机、一公开 plans in 小店: drawn, their tasks recorded, their results published
(told by seeds/field.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings

from enforcement.inspections.draw import draw_plan
from enforcement.inspections.services import record_inspection
from enforcement.models import Inspection, RandomInspectionPlan
from enforcement.random_checks.services import publish_plan
from seeds.field_agenda import (
    Field,
    FieldSeedError,
    Thread,
    on,
    previous_quarter,
    quarter_bounds,
    quarter_of,
    workdays_after,
)
from workflow import calendar

#: The plans draw from 小店's five registered enterprises (3 重点, 2 一般): the default ratios
#: would draw one or two, these draw three a quarter.
DEMO_RATIOS = {"key": 0.5, "special": 1.0, "general": 0.3}
#: 小店执法大队's inspectors and the bureau's verifier: the 双随机 inspector pool.
POOL = ("inspector", "inspector2", "verifier", "inspector3", "inspector4", "inspector5")


def tell_random_plans(f: Field) -> None:
    """This quarter's plan, drawn early in the quarter (never later than six working days ago),
    with one result published, one awaiting publication and one task still to do; and the
    previous quarter's, every result published."""
    year, quarter = quarter_of(calendar.local_date(f.now))
    opening = on(calendar.next_workday_on_or_after(quarter_bounds(year, quarter)[0]), "09:30")
    drawn = min(max(opening, f.moment(f.now, (25, "09:30"))), f.moment(f.now, (6, "09:30")))
    earlier = previous_quarter(year, quarter)
    earlier_opening = calendar.next_workday_on_or_after(quarter_bounds(*earlier)[0])
    _plan(f, *earlier, drawn=on(earlier_opening, "09:30"), records=(5, 9, 13), publish=16)
    _plan(f, year, quarter, drawn=drawn, records=(2, 4), publish=3)


#: How many targets the demo ratios draw from 小店's register (2 重点 + 1 一般).
DRAWN_TARGETS = 3


def _plan(
    f: Field, year: int, quarter: int, *, drawn: dt.datetime, records: Sequence[int], publish: int
) -> None:
    """Draw a plan at `drawn`, record its first tasks (in draw order) `records` working days
    later, and publish what is recorded `publish` working days after the draw
    (`publish_plan`: the plan is published once every task is)."""
    tasks: list[Inspection] = []
    drawn_plan: list[RandomInspectionPlan] = []
    dispatcher = f.users["dispatcher"]
    seed = f"小店-{year}Q{quarter}-demo"

    def draw(at: dt.datetime) -> None:
        plan = RandomInspectionPlan.objects.create(
            jurisdiction=dispatcher.staff.unit,
            year=year,
            quarter=quarter,
            title=f"{year}年第{quarter}季度“双随机、一公开”抽查",
            ratios=DEMO_RATIOS,
            conflict_days=settings.ECOLOOP_RANDOM_CONFLICT_DAYS,
            inspect_by=quarter_bounds(year, quarter)[1],
            created_by=dispatcher,
            created_at=at - dt.timedelta(hours=1),
        )
        plan.inspector_pool_users.set([f.users[name] for name in POOL])
        tasks.extend(draw_plan(plan, actor=dispatcher, now=at, seed=seed))
        if len(tasks) != DRAWN_TARGETS:
            raise FieldSeedError(f"{seed}: the draw gave {len(tasks)} targets")
        f.plans.append(plan)
        drawn_plan.append(plan)

    def publish_results(at: dt.datetime) -> None:
        publish_plan(drawn_plan[0], actor=dispatcher, now=at)

    def task(index: int) -> Callable[[dt.datetime], Inspection]:
        return lambda at: tasks[index]

    f.agenda.append((drawn, len(f.agenda), draw))
    published_at = workdays_after(drawn, publish, "15:00")
    f.agenda.append((published_at, len(f.agenda), publish_results))
    for index in range(DRAWN_TARGETS):
        recorded_at = (
            workdays_after(drawn, records[index], "10:30") if index < len(records) else None
        )
        if recorded_at is None:
            ends_in = "scheduled"
        else:
            ends_in = "completed" if recorded_at < published_at else "recorded"
        thread = f.thread(f"{seed}-{index}", ends_in)
        thread.open(drawn + dt.timedelta(seconds=index + 1), task(index))
        if recorded_at is None:
            continue
        problem = {"ledger": "环境管理台账记录不全"} if index == 1 else {}

        def record(
            at: dt.datetime, thread: Thread = thread, problem: dict[str, str] = problem
        ) -> None:
            task = Inspection.objects.get(pk=thread.case.pk)
            pair = list(task.inspectors.order_by("pk"))
            findings = "环境管理台账缺少近三个月记录。" if problem else "未发现环境违法行为。"
            record_inspection(
                task, actor=pair[0], record=f.record_payload(at, findings, problem, pair), now=at
            )

        thread.then(recorded_at, record)
