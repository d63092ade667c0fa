"""Complaint benchmark: filing, triage and the public tracking page, against same-run baselines.

    uv run python bench/complaints.py [--complaints 1000]

It builds a throw-away test database (SQLite by default; PostgreSQL when DATABASE_URL is set),
files N complaints through `services.submit` (a third real-name, so the identity is encrypted;
a third with coordinates, so the duplicate search has points to compare), and reports
per-operation times and their ratio to a baseline measured on the same machine in the same run
(as bench/engine.py: ratios are what to compare across runs):

* submit (number, 15-day deadline, event, encrypted identity) vs a bare one-row ORM insert,
* the duplicate suggestions at triage, and 受理 (the statutory period planned), vs the insert
  and a primary-key read,
* the tracking page's data (lookup by code + `public_progress`) and the whole page through the
  test client, vs a primary-key read.

Notification delivery runs in-process (the test settings' eager Celery), so the write-path
numbers include telling the reporter: an upper bound of what a public request pays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from decimal import Decimal

from harness import in_test_database, timed  # sets Django up before any model import

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)
CATEGORIES = ("air", "water", "noise", "dust", "odour", "catering_fumes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1000)
    args = parser.parse_args()

    in_test_database(lambda: run(args.complaints))


def run(n: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from enforcement.complaints.duplicates import suggest_originals
    from enforcement.complaints.identity import Identity
    from enforcement.complaints.progress import public_progress
    from enforcement.complaints.services import Submission, submit, tracking_url
    from enforcement.models import Complaint
    from workflow.models import CalendarOverride, Staff, Unit, UnitKind
    from workflow.roles import Role
    from workflow.transitions import transition_case

    User = get_user_model()
    city = Unit.objects.create(code="TY", name="市局", kind=UnitKind.CITY_BUREAU, case_prefix="并")
    district = Unit.objects.create(
        code="XD", name="小店分局", kind=UnitKind.BRANCH, parent=city, case_prefix="小店"
    )
    intake = User.objects.create_user("intake", password="x")
    Staff.objects.create(user=intake, unit=district)
    intake.groups.add(Group.objects.get_or_create(name=Role.INTAKE.value)[0])

    print(f"backend: {connection.vendor}; complaints: {n}")

    counter = iter(range(10**9))
    baseline_write = timed(
        lambda: CalendarOverride.objects.create(
            date=dt.date(1900, 1, 1) + dt.timedelta(days=next(counter)), is_workday=True
        ),
        200,
    )

    def submission(i: int) -> tuple[Submission, Identity]:
        point = i % 3 == 1
        return (
            Submission(
                category=CATEGORIES[i % len(CATEGORIES)],
                description=f"第{i}件：夜间排放异味",
                location=f"小店区某路{i}号",
                jurisdiction=district,
                target_name=f"太原某某企业{i % 200}有限公司",
                latitude=Decimal("37.690000") + Decimal(i % 97) / 10_000 if point else None,
                longitude=Decimal("112.620000") + Decimal(i % 89) / 10_000 if point else None,
                anonymous=i % 3 != 0,
            ),
            Identity(name="测试者", phone=f"138{i:08d}") if i % 3 == 0 else Identity(),
        )

    # Medians of per-call samples: the first call pays the imports and the URL resolver.
    complaints: list[Complaint] = []
    samples = []
    for i in range(n):
        data, who = submission(i)
        moment = NOW + dt.timedelta(minutes=i)
        t0 = time.perf_counter()
        complaints.append(submit(data, who, now=moment))
        samples.append(time.perf_counter() - t0)
    submit_each = statistics.median(samples)

    sample = complaints[-50:]
    suggest = timed(lambda: [suggest_originals(c) for c in sample], 5) / len(sample)

    triage_at = NOW + dt.timedelta(days=2)
    samples = []
    for complaint in sample:
        t0 = time.perf_counter()
        transition_case(
            complaint, "accept", actor=intake, payload={"track": "report"}, now=triage_at
        )
        samples.append(time.perf_counter() - t0)
    accept_each = statistics.median(samples)

    first = complaints[0]
    baseline_read = timed(lambda: list(Complaint.objects.filter(pk=first.pk)), 200)
    codes = [c.tracking_code for c in sample]
    code_iter = iter(codes * 100)

    def progress() -> object:
        found = Complaint.objects.get(tracking_code=next(code_iter))
        return public_progress(found, now=triage_at)

    track = timed(progress, 100)

    rows = [
        ("baseline: one-row ORM insert", baseline_write, baseline_write),
        ("submit (number, deadline, event, identity)", submit_each, baseline_write),
        ("受理 (statutory period planned)", accept_each, baseline_write),
        ("baseline: primary-key read", baseline_read, baseline_read),
        ("duplicate suggestions at triage", suggest, baseline_read),
        ("tracking data (code lookup + public_progress)", track, baseline_read),
    ]

    # The page's per-client rate limit would answer 429 to a benchmark's burst.
    settings.ECOLOOP_PUBLIC_LOOKUP_RATE = "1000000/minute"
    client = Client()
    url = tracking_url(sample[0]).split("://", 1)[-1].split("/", 1)[-1]
    if client.get("/" + url).status_code == 200:
        page = timed(lambda: client.get("/" + url), 50)
        rows.append(("tracking page through the test client", page, baseline_read))
    else:
        print("(the tracking page did not answer 200: its row is left out)")

    width = max(len(r[0]) for r in rows)
    for label, seconds, baseline in rows:
        print(f"{label:<{width}}  {seconds * 1000:8.2f} ms   ×{seconds / baseline:6.1f}")


if __name__ == "__main__":
    main()
