from __future__ import annotations

import datetime as dt

from tests.factories import MONDAY, open_item
from workflow.models import CaseEvent
from workflow.transitions import transition_case


def test_a_supervision_item_walks_the_whole_loop(
    dispatcher, handler, verifier, supervisor, town, district, photo
):
    # given an item opened by the district's dispatcher
    case = open_item(actor=dispatcher, jurisdiction=district)
    assert case.case_no == "小店督〔2026〕0001号"
    assert case.state == "pending_assignment"
    t = MONDAY

    # when the roles move it through the loop
    transition_case(
        case,
        "assign",
        actor=dispatcher,
        payload={"responsible_unit": town.pk, "rectify_period": 10},
        now=t,
    )
    case.refresh_from_db()
    transition_case(case, "sign", actor=handler, now=t + dt.timedelta(hours=1))
    case.refresh_from_db()
    transition_case(
        case,
        "record_progress",
        actor=handler,
        note="已封堵排污口",
        files=[photo],
        now=t + dt.timedelta(days=1),
    )
    case.refresh_from_db()
    transition_case(case, "report", actor=handler, note="整改完成", now=t + dt.timedelta(days=2))
    case.refresh_from_db()
    transition_case(case, "start_verification", actor=verifier, now=t + dt.timedelta(days=3))
    case.refresh_from_db()
    transition_case(
        case,
        "pass_verification",
        actor=verifier,
        note="现场核实已整改",
        now=t + dt.timedelta(days=3),
    )
    case.refresh_from_db()
    transition_case(case, "approve_closure", actor=supervisor, now=t + dt.timedelta(days=4))
    case.refresh_from_db()

    # then it is closed, with a full timeline and no pending deadline
    assert case.state == "closed"
    assert case.closed_at is not None
    assert list(CaseEvent.objects.filter(case=case).values_list("transition", flat=True)) == [
        "open",
        "assign",
        "sign",
        "record_progress",
        "report",
        "start_verification",
        "pass_verification",
        "approve_closure",
    ]
    assert not case.deadlines.pending().exists()
    assert case.due_at is None
