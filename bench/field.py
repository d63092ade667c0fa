"""Field-work benchmark: the 双随机 draw and the inspector's 今日任务, against same-run baselines.

    uv run python bench/field.py [--registry 10000] [--enterprises 2000] [--inspectors 60]

It reports per-operation medians and their ratio to a baseline measured on the same machine in
the same run (as bench/engine.py: ratios are what to compare across runs):

* `draw()`, the pure function, over a large registry (10 000 enterprises in three tiers, 60
  inspectors, 1 000 enterprises each barring two inspectors) vs `sorted()` of the same pool: the
  floor of any pass over it;
* `draw_plan` on a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL is
  set) holding 2 000 enterprises and some logged inspections that create conflicts: freezing the
  pools, drawing and opening one inspection task per target (the default ratios draw 150) vs a
  one-row ORM insert, in all and per task;
* the 今日任务 page of an inspector holding the drawn tasks: its query (`today_context`) vs a
  primary-key read, and the whole page through the test client vs `/healthz/` (a view answered
  before the middleware: the floor of a request through the client).

Notification delivery runs in-process (the test settings' eager Celery), so the write-path
numbers include it: an upper bound of what a web request pays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from harness import in_test_database, timed  # sets Django up before any model import

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 10, 12, 9, 0, tzinfo=TZ)
#: The share of each tier in a bureau's register (a guess at a district's mix).
TIER_MIX = (("key", 0.10), ("special", 0.05), ("general", 0.85))
DEFAULT_RATIOS = {"key": 0.25, "special": 0.15, "general": 0.05}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, default=10_000)
    parser.add_argument("--conflicts", type=int, default=1_000)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--inspectors", type=int, default=60)
    parser.add_argument("--inspections", type=int, default=100)
    parser.add_argument("--draws", type=int, default=3)
    args = parser.parse_args()

    rows = pure_draw(args.registry, args.inspectors, args.conflicts)
    in_test_database(lambda: rows.extend(in_database(args)))
    width = max(len(r[0]) for r in rows)
    for label, seconds, baseline in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.2f} ms   ×{seconds / baseline:7.1f}")


def tiers_of(n: int) -> list[str]:
    out: list[str] = []
    for tier, share in TIER_MIX:
        out += [tier] * round(n * share)
    return (out + ["general"] * n)[:n]


def pure_draw(n: int, n_inspectors: int, n_conflicts: int) -> list[tuple[str, float, float]]:
    from enforcement.inspections.draw import draw

    targets: dict[str, list[int]] = {}
    for pk, tier in enumerate(tiers_of(n), start=1):
        targets.setdefault(tier, []).append(pk)
    inspectors = list(range(100_001, 100_001 + n_inspectors))
    rng = random.Random(0)
    conflicts = {
        pk: rng.sample(inspectors, 2) for pk in rng.sample(range(1, n + 1), min(n_conflicts, n))
    }
    pool = [pk for pks in targets.values() for pk in pks]
    baseline = timed(lambda: sorted(pool), 50)
    drawn = draw(
        seed="bench",
        targets=targets,
        ratios=DEFAULT_RATIOS,
        inspectors=inspectors,
        conflicts=conflicts,
    )
    seeds = iter(range(10**9))
    one = timed(
        lambda: draw(
            seed=f"bench-{next(seeds)}",
            targets=targets,
            ratios=DEFAULT_RATIOS,
            inspectors=inspectors,
            conflicts=conflicts,
        ),
        20,
    )
    print(
        f"pure draw: {n} enterprises, {n_inspectors} inspectors, {len(conflicts)} conflicts, "
        f"{len(drawn)} targets drawn"
    )
    return [
        ("baseline: sorted() of the target pool", baseline, baseline),
        (f"draw() over {n} enterprises ({len(drawn)} targets)", one, baseline),
    ]


def in_database(args: argparse.Namespace) -> list[tuple[str, float, float]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from enforcement.complaints.duplicates import target_key
    from enforcement.inspections.draw import draw_plan
    from enforcement.inspections.forms import CHECKLIST
    from enforcement.inspections.services import log_inspection
    from enforcement.inspections.views import today_context
    from enforcement.models import Enterprise, InspectorCredential, RandomInspectionPlan
    from enforcement.validators import uscc_check_char
    from workflow.models import CalendarOverride, Case, Staff, Unit, UnitKind
    from workflow.roles import Role

    User = get_user_model()
    city = Unit.objects.create(code="TY", name="市局", kind=UnitKind.CITY_BUREAU, case_prefix="并")
    district = Unit.objects.create(
        code="XD",
        name="小店分局",
        kind=UnitKind.BRANCH,
        parent=city,
        case_prefix="小店",
        region_code="140105",
    )
    team = Unit.objects.create(
        code="XD-TEAM", name="小店执法大队", kind=UnitKind.TEAM, parent=district
    )

    def staff(username: str, unit: Unit, role: Role) -> object:
        user = User.objects.create_user(username, password="x", first_name=username)
        Staff.objects.create(user=user, unit=unit)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        return user

    dispatcher = staff("dispatcher", district, Role.DISPATCHER)
    inspectors = []
    for i in range(args.inspectors):
        user = staff(f"inspector{i}", team, Role.INSPECTOR)
        InspectorCredential.objects.create(user=user, number=f"1401052026{i:04d}")
        inspectors.append(user)

    enterprises = []
    for i, tier in enumerate(tiers_of(args.enterprises)):
        body = f"91140105{i:09d}"
        name = f"太原某某企业{i}有限公司"
        enterprises.append(
            Enterprise(
                name=name,
                name_key=target_key(name),
                uscc=body + uscc_check_char(body),
                address=f"小店区某路{i}号",
                jurisdiction=district,
                tier=tier,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    registered = list(Enterprise.objects.order_by("pk"))
    print(
        f"backend: {connection.vendor}; {len(registered)} enterprises, {len(inspectors)} "
        f"inspectors, {args.inspections} logged inspections (conflicts), {args.draws} plans drawn"
    )

    # Logged inspections within the conflict window: each bars two inspectors from a target.
    rng = random.Random(1)
    for i in range(args.inspections):
        pair = rng.sample(inspectors, 2)
        moment = NOW - dt.timedelta(days=30 + i % 200)
        record = {
            "inspectors": [u.pk for u in pair],  # type: ignore[attr-defined]
            "started_at": (moment - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": moment.strftime("%Y-%m-%dT%H:%M"),
            "location": "厂区",
            "on_site_person": "厂长",
            "findings": "未发现问题",
        }
        record |= {f"check_{code}": "ok" for code, _label in CHECKLIST}
        log_inspection(
            actor=pair[0],
            enterprise=rng.choice(registered),
            inspection_type="daily",
            record=record,
            now=moment,
        )

    counter = iter(range(10**9))
    baseline_write = timed(
        lambda: CalendarOverride.objects.create(
            date=dt.date(1900, 1, 1) + dt.timedelta(days=next(counter)), is_workday=True
        ),
        200,
    )
    samples, tasks = [], 0
    for n in range(args.draws):
        plan = RandomInspectionPlan.objects.create(
            jurisdiction=district,
            year=2026,
            quarter=4,
            title=f"第四季度抽查{n}",
            ratios=DEFAULT_RATIOS,
            inspect_by=dt.date(2026, 12, 31),
            created_by=dispatcher,
            created_at=NOW,
        )
        plan.inspector_pool_users.set(inspectors)
        start = time.perf_counter()
        tasks = len(
            draw_plan(plan, actor=dispatcher, now=NOW + dt.timedelta(minutes=n), seed=f"{n}")
        )
        samples.append(time.perf_counter() - start)
    samples.sort()
    plan_each = samples[len(samples) // 2]

    first = Case.objects.order_by("pk").first()
    assert first is not None
    baseline_read = timed(lambda: list(Case.objects.filter(pk=first.pk)), 200)
    inspector = inspectors[0]
    later = NOW + dt.timedelta(days=1)
    found = today_context(inspector, later)
    query = timed(lambda: today_context(inspector, later), 50)

    client = Client()
    client.force_login(inspector)  # type: ignore[arg-type]
    bare = timed(lambda: client.get("/healthz/"), 100)
    rows = [
        ("baseline: one-row ORM insert", baseline_write, baseline_write),
        (f"draw_plan ({tasks} tasks opened)", plan_each, baseline_write),
        ("draw_plan, per task opened", plan_each / max(tasks, 1), baseline_write),
        ("baseline: primary-key read", baseline_read, baseline_read),
        (
            f"today_context ({len(found['inspections'])} tasks, {len(found['orders'])} orders)",
            query,
            baseline_read,
        ),
        ("baseline: GET /healthz/ through the client", bare, bare),
    ]
    response = client.get("/enforcement/inspections/today/")
    if response.status_code == 200:
        page = timed(lambda: client.get("/enforcement/inspections/today/"), 30)
        rows.append(("GET /enforcement/inspections/today/", page, bare))
    else:
        print(f"(the today page answered {response.status_code}: its row is left out)")
    return rows


if __name__ == "__main__":
    main()
