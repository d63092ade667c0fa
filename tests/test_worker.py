"""A committed transition is delivered by a real Celery worker, in another process.

Runs when `ECOLOOP_TEST_WORKER=1`: `.ci/run` starts a worker on the same broker (Redis) and the
same database as this test run (the PostgreSQL test database, by name). Everywhere else the suite
runs tasks eagerly; here eager mode is switched off for the test's duration.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import MONDAY, open_item
from workflow.models import Notification
from workflow.transitions import transition_case

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        os.environ.get("ECOLOOP_TEST_WORKER") != "1",
        reason="needs a real Celery worker on this run's database (ECOLOOP_TEST_WORKER=1)",
    ),
    # The worker reads what this test commits: no test transaction may hide it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DELIVERY_TIMEOUT = 30.0


@pytest.fixture
def real_worker() -> Iterator[Any]:
    from config.celery import app

    replies = app.control.ping(timeout=5.0)
    assert replies, "no Celery worker answered a ping on the broker"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = eager


def test_a_worker_tells_the_handler_of_an_assigned_case(
    real_worker, dispatcher, handler, district, town
):
    # given an item opened by the district's dispatcher
    case = open_item(actor=dispatcher, jurisdiction=district)

    # when it is assigned to the town and the transaction commits
    event = transition_case(
        case,
        "assign",
        actor=dispatcher,
        payload={"responsible_unit": town.pk, "rectify_period": 5},
        now=MONDAY,
    )

    # then the worker, not this process, writes the handler's notification
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    told = Notification.objects.filter(event=event, recipient=handler)
    while not told.exists():
        assert time.monotonic() < deadline, f"no notification within {DELIVERY_TIMEOUT:.0f} s"
        time.sleep(0.2)
    event.refresh_from_db()
    assert event.notified_at is not None
    assert told.count() == 1
