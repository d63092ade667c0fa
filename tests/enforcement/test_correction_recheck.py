"""责令改正 → 复查 as the closed loop on the enterprise, and 按日连续处罚 (部令28号).

The days run from the day after the order was served to the day the 复查 found the violation
going on (第十七条); each refusal serves a new order and a new 复查, and the days accumulate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from enforcement.models import CorrectionOrder, CorrectionState
from enforcement.penalties.services import daily_penalty_days
from tests.enforcement.field import at, issue_order, reload_enf
from workflow.models import CaseLink, Deadline
from workflow.models.deadline import DeadlineStatus
from workflow.transitions import InvalidTransition, transition_case

pytestmark = pytest.mark.django_db


def recheck(order: CorrectionOrder, actor: Any, moment: dt.datetime, *, passed: bool) -> Any:
    payload: dict[str, Any] = {
        "rechecked_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "recheck_covert": True,
        "recheck_findings": "污水处理设施已修复" if passed else "仍在超标排放",
    }
    if not passed:
        payload |= {"new_requirement": "立即停止超标排放", "new_correct_by": "2026-07-31"}
    name = "pass_recheck" if passed else "fail_recheck"
    return transition_case(reload_enf(order), name, actor=actor, payload=payload, now=moment)


def test_an_order_is_numbered_and_its_recheck_is_due_30_days_after_service(
    inspector: Any, factory_site: Any
) -> None:
    order = issue_order(
        inspector, factory_site, served_at=at(dt.date(2026, 6, 1)), correct_by=dt.date(2026, 6, 15)
    )
    assert order.order_no == "小店环责改〔2026〕1号"
    assert order.state == CorrectionState.ORDERED
    recheck_deadline = Deadline.objects.get(case=order, kind="recheck")
    assert recheck_deadline.due_date == dt.date(2026, 7, 1) and recheck_deadline.is_main
    assert Deadline.objects.get(case=order, kind="correct").due_date == dt.date(2026, 6, 15)
    assert order.due_at == recheck_deadline.due_at


def test_a_passed_recheck_closes_the_order(inspector: Any, factory_site: Any) -> None:
    order = issue_order(
        inspector, factory_site, served_at=at(dt.date(2026, 6, 1)), correct_by=dt.date(2026, 6, 15)
    )
    transition_case(
        order,
        "record_report",
        actor=inspector,
        payload={"reported_at": "2026-06-14T10:00", "report_text": "已更换膜组件"},
        now=at(dt.date(2026, 6, 14), 11),
    )
    recheck(order, inspector, at(dt.date(2026, 6, 20)), passed=True)
    order = reload_enf(order)
    assert order.state == CorrectionState.CORRECTED and order.closed_at is not None
    assert order.penalty_days is None
    assert Deadline.objects.get(case=order, kind="recheck").status == DeadlineStatus.MET


def test_a_recheck_finding_the_violation_continuing_records_the_daily_penalty_days(
    inspector: Any, factory_site: Any
) -> None:
    order = issue_order(
        inspector, factory_site, served_at=at(dt.date(2026, 6, 1)), correct_by=dt.date(2026, 6, 10)
    )
    recheck(order, inspector, at(dt.date(2026, 6, 20)), passed=False)
    order = reload_enf(order)
    assert order.state == CorrectionState.CONTINUING
    # From 06-02 (the day after service) to 06-20 (the 复查) inclusive: 19 days.
    assert (order.penalty_from, order.penalty_to, order.penalty_days) == (
        dt.date(2026, 6, 2),
        dt.date(2026, 6, 20),
        19,
    )
    # A new order is served at the 复查, with a new 复查 due 30 days later.
    new = CorrectionOrder.objects.get(previous_order=order)
    assert new.served_at == at(dt.date(2026, 6, 20))
    assert new.recheck_due == dt.date(2026, 7, 20)
    assert new.order_no == "小店环责改〔2026〕2号"
    assert CaseLink.objects.filter(from_case=new, to_case=order).exists()

    # The second refusal adds its own period: 06-21 .. 07-05 = 15 days; 34 in all.
    recheck(new, inspector, at(dt.date(2026, 7, 5)), passed=False)
    new = reload_enf(new)
    assert new.penalty_days == 15
    chain = CorrectionOrder.objects.filter(enterprise=factory_site)
    assert daily_penalty_days(chain) == 34
    assert chain.count() == 3


def test_a_recheck_cannot_predate_service_or_lie_in_the_future(
    inspector: Any, factory_site: Any
) -> None:
    order = issue_order(
        inspector, factory_site, served_at=at(dt.date(2026, 6, 10)), correct_by=dt.date(2026, 6, 20)
    )
    for moment, now in (
        (at(dt.date(2026, 6, 9)), at(dt.date(2026, 6, 12))),
        (at(dt.date(2026, 6, 15)), at(dt.date(2026, 6, 12))),
    ):
        with pytest.raises(InvalidTransition) as bad:
            transition_case(
                order,
                "pass_recheck",
                actor=inspector,
                payload={
                    "rechecked_at": moment.strftime("%Y-%m-%dT%H:%M"),
                    "recheck_findings": "已改正",
                },
                now=now,
            )
        assert "rechecked_at" in bad.value.errors
    assert reload_enf(order).state == CorrectionState.ORDERED


def test_an_order_needs_a_deadline_not_before_service(inspector: Any, factory_site: Any) -> None:
    with pytest.raises(InvalidTransition) as bad:
        issue_order(
            inspector,
            factory_site,
            served_at=at(dt.date(2026, 6, 10)),
            correct_by=dt.date(2026, 6, 9),
        )
    assert "correct_by" in bad.value.errors
    assert not CorrectionOrder.objects.exists()
