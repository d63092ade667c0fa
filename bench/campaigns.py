"""专项行动 benchmark: one 调度令 to N units and M places, against same-run baselines.

    uv run python bench/campaigns.py [--units 500] [--targets 5000]

On a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL is set):

* `issue_order` of one 调度令: numbered, then N 督办事项 opened and assigned (交办 through
  `transition_case`) and M 专项检查 of registered places (工地) scheduled (`open_case`), all in
  one transaction;
* baselines: a one-row ORM insert, and `open_case` of a bare 督办事项 (the engine's floor for a
  numbered case with its first hashed event) — both per case.

The figure is one run over the whole order, reported in all and per case with the ratio to each
baseline's per-case time. Notification delivery runs in-process (the test settings' eager
Celery): an upper bound of what the dispatcher's request pays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from harness import BatchRow, in_test_database, print_batch  # sets Django up first

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--targets", type=int, default=5_000)
    args = parser.parse_args()
    rows: list[BatchRow] = []
    in_test_database(lambda: rows.extend(in_database(args)))
    print_batch(rows, "case")


def in_database(args: argparse.Namespace) -> list[BatchRow]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from enforcement.campaigns import services
    from enforcement.models import Campaign, CampaignKind, Place, PlaceKind, SupervisionItem
    from workflow.models import Staff, Unit, UnitKind
    from workflow.roles import Role
    from workflow.transitions import open_case

    User = get_user_model()
    city = Unit.objects.create(
        code="TY", name="太原市生态环境局", kind=UnitKind.CITY_BUREAU, case_prefix="并"
    )
    bureaus = [
        Unit.objects.create(
            code=f"D{n}",
            name=f"第{n}分局",
            short_name=f"第{n}",
            kind=UnitKind.BRANCH,
            parent=city,
            case_prefix=f"第{n}",
        )
        for n in range(10)
    ]
    towns = [
        Unit.objects.create(
            code=f"D{n % 10}-T{n}", name=f"第{n}街道", kind=UnitKind.TOWN, parent=bureaus[n % 10]
        )
        for n in range(args.units)
    ]
    # The targets are places of the register (工地 have no credit code of their own).
    Place.objects.bulk_create(
        (
            Place(
                name=f"第{n}号工地",
                kind=PlaceKind.SITE,
                address=f"某路{n}号",
                jurisdiction=bureaus[n % 10],
                responsible_unit=towns[n % len(towns)] if towns else None,
                created_at=NOW,
            )
            for n in range(args.targets)
        ),
        batch_size=1000,
    )
    dispatcher = User.objects.create_user("shi", password="x", first_name="市局调度员")
    Staff.objects.create(user=dispatcher, unit=city)
    dispatcher.groups.add(Group.objects.get_or_create(name=Role.DISPATCHER.value)[0])
    campaign = Campaign.objects.create(
        name="秋冬季大气污染防治攻坚行动",
        kind=CampaignKind.SEASONAL,
        region=city,
        lead_unit=bureaus[0],
        starts_on=NOW.date(),
        ends_on=NOW.date() + dt.timedelta(days=120),
        clear_by=NOW.date() + dt.timedelta(days=60),
        checklist=[{"code": f"c{n}", "item": f"第{n}项"} for n in range(1, 7)],
        created_by=dispatcher,
        created_at=NOW,
    )
    campaign.units.set(towns)
    targets = list(Place.objects.select_related("jurisdiction").order_by("pk"))
    campaign.places.set(targets)

    # Baseline 1: a one-row ORM insert (the floor of writing anything per row).
    start = time.perf_counter()
    for i in range(200):
        Unit.objects.create(code=f"B{i}", name=f"基准{i}", kind=UnitKind.SECTION, parent=city)
    insert = (time.perf_counter() - start) / 200

    # Baseline 2: open_case of a bare item (numbered, first event hashed), one by one.
    start = time.perf_counter()
    for i in range(200):
        open_case(SupervisionItem, actor=dispatcher, jurisdiction=city, title=f"基准{i}", now=NOW)
    opened = (time.perf_counter() - start) / 200

    start = time.perf_counter()
    order = services.issue_order(
        campaign,
        actor=dispatcher,
        title="工地扬尘专项整治",
        requirement="逐一排查，即知即改。",
        units=towns,
        targets=targets,
        rectify_due=NOW.date() + dt.timedelta(days=20),
        inspect_by=NOW.date() + dt.timedelta(days=10),
        now=NOW,
    )
    issued = time.perf_counter() - start
    cases = args.units + args.targets
    assert order.tasks.count() == args.units and order.checks.count() == args.targets

    return [
        ("baseline: one-row ORM insert", insert * cases, cases, insert),
        ("baseline: open_case of a bare item", opened * cases, cases, insert),
        ("issue_order, N units + M targets (vs insert)", issued, cases, insert),
        ("issue_order, N units + M targets (vs open_case)", issued, cases, opened),
    ]


if __name__ == "__main__":
    main()
