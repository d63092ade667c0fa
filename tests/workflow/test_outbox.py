"""A broker that cannot take a message never turns a committed write into an error."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from tests.factories import assign_to, open_item
from workflow import outbox
from workflow.models import CaseEvent
from workflow.outbox import enqueue_on_commit
from workflow.tasks import deliver_event_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _broker_was_up():
    outbox.broker.reset()
    yield
    outbox.broker.reset()


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_transition_commits_and_returns_while_the_broker_is_down(
    settings, dispatcher, district, town, caplog, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    case = open_item(actor=dispatcher, jurisdiction=district)
    with (
        mock.patch.object(deliver_event_notifications, "delay", side_effect=broker_down) as delay,
        caplog.at_level(logging.ERROR, logger="workflow.breaker"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = assign_to(case, dispatcher=dispatcher, unit=town)
    assert delay.called
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.case.state == "assigned"
    assert stored.case.responsible_unit == town
    # The event is the outbox: not claimed, so the beat's catch-up delivers it later.
    assert stored.notified_at is None
    assert [r.levelname for r in caplog.records] == ["ERROR"]


def test_the_outage_is_logged_once_and_its_end_once(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    task = mock.Mock()
    task.name = "workflow.tasks.deliver_notification"
    task.delay.side_effect = broker_down
    with caplog.at_level(logging.WARNING, logger="workflow.breaker"):
        for pk in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                enqueue_on_commit(task, pk)
            outbox.broker._open_until = 0.0  # the pause is over: try the broker again
        task.delay.side_effect = None
        for pk in (99, 100):
            with django_capture_on_commit_callbacks(execute=True):
                enqueue_on_commit(task, pk)
    assert task.delay.call_count == 7
    assert [r.levelname for r in caplog.records] == ["ERROR", "WARNING"]


def test_while_the_broker_is_paused_commits_do_not_wait_on_it(
    settings, django_capture_on_commit_callbacks
):
    """One timeout opens the breaker; the next commits leave their message in the outbox at
    once (the catch-up delivers it) instead of each waiting on the broker's timeout."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    task = mock.Mock()
    task.name = "workflow.tasks.deliver_notification"
    task.delay.side_effect = broker_down
    for pk in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(task, pk)
    assert task.delay.call_count == 1
    assert outbox.broker.is_open


def test_in_eager_mode_a_task_error_is_a_bug_and_raises(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    task = mock.Mock()
    task.delay.side_effect = RuntimeError("the task itself failed")
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 1)
