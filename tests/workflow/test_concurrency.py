"""Two people act on one case at the same moment.

One wins, the other is told, nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from tests.factories import MONDAY, assign_to, open_item
from workflow.models import Case, CaseEvent, CaseSequence, Deadline
from workflow.transitions import TransitionConflict, transition_case

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*jobs: Any) -> list[Any]:
    """Run callables in threads released at once; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_sign_and_object_at_once_one_wins_the_other_gets_a_conflict(
    dispatcher, handler, district, town
):
    # given an assigned case, read by two browser tabs of the unit
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    tab_a = Case.objects.get(pk=case.pk).specific
    tab_b = Case.objects.get(pk=case.pk).specific
    later = MONDAY + dt.timedelta(hours=1)

    # when one signs and the other objects at the same moment
    results = run_together(
        lambda: transition_case(tab_a, "sign", actor=handler, now=later),
        lambda: transition_case(tab_b, "object", actor=handler, note="非本单位", now=later),
    )

    # then exactly one transition happened and the other was refused as a conflict
    winners = [r for r in results if isinstance(r, CaseEvent)]
    conflicts = [r for r in results if isinstance(r, TransitionConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == 1, results
    final = Case.objects.get(pk=case.pk)
    assert final.state == winners[0].to_state
    # and nothing of the loser was written: one event, one set of deadlines for the new state
    assert CaseEvent.objects.filter(case=case).count() == 3
    assert set(
        Deadline.objects.pending().filter(case=case).values_list("for_state", flat=True)
    ) == {final.state}


def test_the_same_transition_twice_at_once_happens_once(dispatcher, handler, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    copies = [Case.objects.get(pk=case.pk).specific for _ in range(3)]
    results = run_together(
        *[lambda c=c: transition_case(c, "sign", actor=handler, now=MONDAY) for c in copies]
    )
    assert sum(isinstance(r, CaseEvent) for r in results) == 1, results
    assert sum(isinstance(r, TransitionConflict) for r in results) == 2, results
    assert CaseEvent.objects.filter(case=case, transition="sign").count() == 1


def test_case_numbers_stay_gap_free_when_opened_concurrently(dispatcher, district):
    results = run_together(
        *[
            lambda i=i: open_item(actor=dispatcher, jurisdiction=district, title=f"事项{i}")
            for i in range(4)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Case.objects.values_list("case_no", flat=True))
    assert numbers == [f"小店督〔2026〕{n:04d}号" for n in range(1, 5)]
    assert CaseSequence.objects.get().last == 4
