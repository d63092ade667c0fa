"""What every benchmark here shares: Django on the test settings, a throw-away test database,
and the median of repeated calls. Import it first (it sets Django up)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ECOLOOP_LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of one call over `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_test_database(run: Callable[[], None]) -> None:
    """Run the benchmark in a test database created for it and destroyed afterwards
    (SQLite by default; PostgreSQL when DATABASE_URL is set)."""
    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


#: A batch benchmark's line: (label, seconds in all, how many things, the baseline's seconds per
#: thing).
BatchRow = tuple[str, float, int, float]


def print_batch(rows: list[BatchRow], unit: str) -> None:
    """Each line's time in all and per thing, and its ratio to the baseline's per-thing time."""
    width = max(len(r[0]) for r in rows)
    for label, seconds, count, baseline in rows:
        per = seconds / count
        ratio = per / baseline
        print(f"{label:<{width}}  {seconds:8.2f} s  {per * 1000:8.2f} ms/{unit}   ×{ratio:7.1f}")
