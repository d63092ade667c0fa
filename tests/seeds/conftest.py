"""The demo is seeded once per test module, not once per test.

The seed is rolled back at the end of the module: it runs inside a transaction opened here, and
each test's own atomic block (pytest-django) is a savepoint within it, so a test that changes the
demo (seeding again, running a command) leaves the next test the same demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from seeds.demo import SeedResult, seed_demo

TZ = dt.timezone(dt.timedelta(hours=8))
#: A Wednesday in a confirmed calendar year; the stories reach back into May's holidays.
NOW = dt.datetime(2026, 6, 10, 10, 30, tzinfo=TZ)


@pytest.fixture(scope="module")
def seeded_demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[SeedResult]:
    media_root = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # the notices' PDFs
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield seed_demo(now=NOW)
            transaction.set_rollback(True)
    finally:
        settings.MEDIA_ROOT = media_root


@pytest.fixture
def demo(seeded_demo: SeedResult, db: Any) -> SeedResult:
    return seeded_demo
