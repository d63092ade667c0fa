"""Engine benchmark: the cost of the write path and of the inbox, against baselines of the same run.

    uv run python bench/engine.py [--cases 2000]

It builds a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL is set),
opens N cases through the services, and reports per-operation times and their ratio to a
baseline measured on the same machine in the same run (machines here are noisy; ratios are
what to compare across runs):

* open_case / transition_case vs a bare ORM insert of one CaseEvent-sized row (the floor of
  any write),
* the inbox (Case.objects.awaiting) and the overdue list vs a primary-key lookup, at N open
  cases — the partial indexes should keep them flat as N grows,
* verify_chain per event.

Notification delivery runs in-process (the test settings' eager Celery), so the write-path
numbers include it: an upper bound of what a web request pays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from harness import in_test_database, timed  # sets Django up before any model import

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()

    in_test_database(lambda: run(args.cases))


def run(n_cases: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from enforcement.models import SupervisionItem
    from workflow.chain import verify_chain
    from workflow.models import CalendarOverride, Case, Staff, Unit, UnitKind
    from workflow.roles import Role
    from workflow.transitions import open_case, transition_case

    User = get_user_model()
    city = Unit.objects.create(code="TY", name="市局", kind=UnitKind.CITY_BUREAU, case_prefix="并")
    district = Unit.objects.create(
        code="XD", name="小店分局", kind=UnitKind.BRANCH, parent=city, case_prefix="小店"
    )
    towns = [
        Unit.objects.create(code=f"XD-T{i}", name=f"镇{i}", kind=UnitKind.TOWN, parent=district)
        for i in range(20)
    ]

    def person(username: str, unit: Unit, role: Role) -> object:
        user = User.objects.create_user(username, password="x")
        Staff.objects.create(user=user, unit=unit)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        return user

    dispatcher = person("dispatcher", district, Role.DISPATCHER)
    handler = person("handler", towns[0], Role.HANDLER)

    print(f"backend: {connection.vendor}; open cases: {n_cases}")

    # Baseline: the cheapest write of a comparable row.
    counter = iter(range(10**9))
    baseline_write = timed(
        lambda: CalendarOverride.objects.create(
            date=dt.date(1900, 1, 1) + dt.timedelta(days=next(counter)), is_workday=True
        ),
        200,
    )

    cases: list[Case] = []
    t0 = time.perf_counter()
    for i in range(n_cases):
        cases.append(
            open_case(
                SupervisionItem, actor=dispatcher, jurisdiction=district, title=f"事项{i}", now=NOW
            )
        )
    open_each = (time.perf_counter() - t0) / n_cases

    t0 = time.perf_counter()
    for i, case in enumerate(cases):
        transition_case(
            case,
            "assign",
            actor=dispatcher,
            payload={"responsible_unit": towns[i % len(towns)].pk, "rectify_period": 10},
            now=NOW,
        )
    assign_each = (time.perf_counter() - t0) / n_cases

    first = Case.objects.order_by("pk").first()
    assert first is not None
    baseline_read = timed(lambda: list(Case.objects.filter(pk=first.pk)), 200)
    inbox = timed(lambda: list(Case.objects.awaiting(handler)[:25]), 50)
    inbox_count = Case.objects.awaiting(handler).count()
    later = NOW + dt.timedelta(days=40)
    overdue = timed(lambda: list(Case.objects.visible_to(dispatcher).overdue(later)[:25]), 50)
    chain = timed(lambda: verify_chain(first), 50) / first.events.count()

    rows = [
        ("baseline: one-row ORM insert", baseline_write, 1.0),
        ("open_case (number, deadlines, event)", open_each, open_each / baseline_write),
        ("transition_case assign", assign_each, assign_each / baseline_write),
        ("baseline: primary-key read", baseline_read, 1.0),
        (f"inbox, first page ({inbox_count} waiting)", inbox, inbox / baseline_read),
        ("overdue list, first page", overdue, overdue / baseline_read),
        ("verify_chain per event", chain, chain / baseline_read),
    ]
    width = max(len(r[0]) for r in rows)
    for label, seconds, ratio in rows:
        print(f"{label:<{width}}  {seconds * 1000:8.2f} ms   ×{ratio:6.1f}")


if __name__ == "__main__":
    main()
