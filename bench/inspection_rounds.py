"""督察 batch benchmark: importing a 边督边改 batch of N items and dispatching it, against
same-run baselines.

    uv run python bench/inspection_rounds.py [--items 5000] [--units 10]

On a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL is set):

* `import_batch` of a CSV of N rows (each row validated, its area matched to a bureau, checked
  for repeats in the round, and opened as a case through `open_case`: numbered, deadline planned,
  first event hashed) vs `import_enterprises` of the same number of register rows (the same
  spreadsheet reading and per-row validation, one plain insert each) and vs a one-row ORM
  insert;
* a second import of the same file (every row skipped as already imported: the idempotence);
* `dispatch` of every item (交办 through `transition_case`, each in its own transaction) vs a
  one-row ORM update.

Each figure is one run over the whole batch (N rows), reported in all and per item with the
ratio to the baseline's per-row time. Notification delivery runs in-process (the test settings'
eager Celery), so the dispatch figure includes it: an upper bound of what the office's request
pays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from harness import BatchRow, in_test_database, print_batch  # sets Django up first

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)
DISTRICTS = ("小店", "迎泽", "杏花岭", "尖草坪", "万柏林", "晋源", "清徐", "阳曲", "娄烦", "古交")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--units", type=int, default=len(DISTRICTS))
    args = parser.parse_args()
    rows: list[BatchRow] = []
    in_test_database(lambda: rows.extend(in_database(args)))
    print_batch(rows, "item")


def in_database(args: argparse.Namespace) -> list[BatchRow]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from enforcement.inspection_rounds import importer, services
    from enforcement.models import ForwardedBatch, InspectionRound, RoundLevel
    from enforcement.registry.importer import import_enterprises
    from enforcement.validators import uscc_check_char
    from workflow.models import Staff, Unit, UnitKind
    from workflow.roles import Role

    User = get_user_model()
    city = Unit.objects.create(
        code="TY", name="太原市生态环境局", kind=UnitKind.CITY_BUREAU, case_prefix="并"
    )
    office = Unit.objects.create(
        code="TY-DCB", name="督察整改办", kind=UnitKind.SECTION, parent=city
    )
    towns = []
    for number, name in enumerate(DISTRICTS[: args.units]):
        bureau = Unit.objects.create(
            code=f"D{number}",
            name=f"{name}分局",
            short_name=name,
            kind=UnitKind.BRANCH,
            parent=city,
            case_prefix=name,
        )
        towns.append(
            Unit.objects.create(
                code=f"D{number}-T", name=f"{name}某街道", kind=UnitKind.TOWN, parent=bureau
            )
        )
    clerk = User.objects.create_user("ducha", password="x", first_name="督察整改办")
    Staff.objects.create(user=clerk, unit=city)
    clerk.groups.add(Group.objects.get_or_create(name=Role.DISPATCHER.value)[0])
    round = InspectionRound.objects.create(
        level=RoundLevel.CENTRAL,
        name="第三轮第二批中央生态环境保护督察",
        region=city,
        lead_office=office,
        stationed_from=NOW.date(),
        created_at=NOW,
    )
    batch = ForwardedBatch.objects.create(
        round=round,
        number=1,
        received_at=NOW,
        reply_due_at=NOW + dt.timedelta(days=5),
        created_at=NOW,
    )
    n = args.items
    lines = ["序号,受理编号,交办问题基本情况,行政区域,污染类型,反映对象"]
    for i in range(n):
        district = DISTRICTS[i % args.units]
        lines.append(
            f"{i + 1},D3SX20260601{i:06d},反映{district}区某处第{i}号问题,太原市{district}区,"
            f"大气、噪声,太原某某企业{i}有限公司"
        )
    data = "\n".join(lines).encode()

    # Baseline 1: a one-row ORM insert (the floor of writing anything per row).
    start = time.perf_counter()
    for i in range(200):
        Unit.objects.create(code=f"B{i}", name=f"基准{i}", kind=UnitKind.SECTION, parent=city)
    insert = (time.perf_counter() - start) / 200

    # Baseline 2: the enterprise register's import of as many rows.
    register = ["单位名称,统一社会信用代码,地址,管辖单位"]
    for i in range(n):
        body = f"91140105{i:09d}"
        register.append(
            f"太原某某企业{i}有限公司,{body}{uscc_check_char(body)},某路{i}号,太原市生态环境局"
        )
    start = time.perf_counter()
    report = import_enterprises("\n".join(register).encode(), name="register.csv", now=NOW)
    enterprises = time.perf_counter() - start
    assert report.created == n, report.summary()

    start = time.perf_counter()
    first = importer.import_batch(batch, data, name="batch.csv", actor=clerk, now=NOW)
    imported = time.perf_counter() - start
    assert first.created == n, first.summary()

    start = time.perf_counter()
    again = importer.import_batch(batch, data, name="batch.csv", actor=clerk, now=NOW)
    reimported = time.perf_counter() - start
    assert again.skipped == n, again.summary()

    by_code = {t.parent_id: t for t in towns}
    chosen = {
        item_id: by_code[jurisdiction_id]
        for item_id, jurisdiction_id in batch.items.values_list("pk", "jurisdiction_id")
    }
    start = time.perf_counter()
    done, failed = services.dispatch(batch, chosen, actor=clerk, now=NOW + dt.timedelta(hours=1))
    dispatched = time.perf_counter() - start
    assert len(done) == n and not failed, failed

    start = time.perf_counter()
    for unit in Unit.objects.filter(code__startswith="B")[:200]:
        Unit.objects.filter(pk=unit.pk).update(short_name="x")
    update = (time.perf_counter() - start) / 200

    return [
        ("baseline: one-row ORM insert", insert * n, n, insert),
        ("baseline: enterprise import, N rows", enterprises, n, insert),
        ("import_batch, N items (vs insert)", imported, n, insert),
        ("import_batch, N items (vs enterprise row)", imported, n, enterprises / n),
        ("re-import, all skipped (vs enterprise row)", reimported, n, enterprises / n),
        ("baseline: one-row ORM update", update * n, n, update),
        ("dispatch, N items (vs update)", dispatched, n, update),
    ]


if __name__ == "__main__":
    main()
