"""Enqueue a task after the commit without ever failing the write that committed.

The rows a write leaves behind (an event not yet `notified_at`, a notification still PENDING)
are the outbox: the beat's catch-up jobs deliver whatever the immediate task never got. So when
the broker cannot take a message (Redis down, a full disk, a timeout), the write has already
succeeded and must be reported as one; the failure is logged once per outage, not per request,
and the catch-up delivers later. Eager mode (tests, the embedded demo's in-process tasks) still
raises, because there the "enqueue" is the task itself and its error is a real bug.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from workflow.breaker import Breaker

#: Open after a failed publish: for a few seconds later commits leave their message in the
#: outbox at once instead of each waiting on the broker's timeout.
broker = Breaker("the broker")


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """`task.delay(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(task, args))


def _send(task: Any, args: tuple[Any, ...]) -> None:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        task.delay(*args)
        return
    if broker.is_open:
        return  # the catch-up delivers it
    try:
        task.delay(*args)
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a timeout …
        broker.failed(f"{task.name}{args!r} stays in the outbox for the beat's catch-up")
    else:
        broker.succeeded()
