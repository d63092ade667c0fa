"""The enforcement pages: opening a case (线索), serving a 责令改正, walking a case through the
ordinary procedure on the console, and the panel's next legal step with its deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from enforcement.models import (
    ClueSource,
    CorrectionOrder,
    EnforcementCase,
    EnforcementState,
)
from enforcement.penalties import services
from tests.enforcement.field import (
    at,
    file_case,
    make_inspector,
    open_clue,
    reload_enf,
)
from tests.factories import assigned_complaint, file_complaint, open_item, reply_to_complaint
from workflow.models import CaseLink
from workflow.models.case import CaseState, LinkKind
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

#: A Monday in an ordinary week of the 2026 calendar.
START = at(dt.date(2026, 9, 7), 9)


@pytest.fixture
def clock() -> Iterator[Any]:
    traveller = time_machine.travel(START, tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def open_form(inspector: Any, inspector2: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "超标排放水污染物",
        "description": "在线监控显示化学需氧量超标",
        "clue_source": ClueSource.MONITORING,
        "clue_at": local(START - dt.timedelta(hours=2)),
        "investigators": [inspector.pk, inspector2.pk],
        **extra,
    }


# --- 登记线索 ------------------------------------------------------------------------------------


def team_complaint(district: Any, intake: Any, dispatcher: Any, team: Any, **fields: Any) -> Any:
    """A complaint assigned to the 执法大队 (so its inspectors work on it)."""
    return assigned_complaint(
        jurisdiction=district,
        intake=intake,
        dispatcher=dispatcher,
        unit=team,
        start=START - dt.timedelta(days=3),
        **fields,
    )


def test_an_inspector_opens_a_case_from_a_complaint_whose_uscc_finds_the_enterprise(
    clock: Any,
    district: Any,
    intake: Any,
    dispatcher: Any,
    team: Any,
    inspector: Any,
    inspector2: Any,
    factory_site: Any,
) -> None:
    # given a complaint about a registered enterprise, named by its credit code
    complaint = team_complaint(district, intake, dispatcher, team, target_uscc=factory_site.uscc)
    client = client_as(inspector)
    url = reverse("enforcement:enforcement_create") + f"?complaint={complaint.pk}"

    # when the inspector opens the form from the complaint
    page = client.get(url)

    # then the party and the clue source are prefilled
    assert page.status_code == 200
    form = page.context["form"]
    assert form["enterprise"].value() == factory_site.pk
    assert form["clue_source"].value() == ClueSource.COMPLAINT
    assert form["investigators"].value() == [inspector.pk]
    assert form["clue_at"].value() == "2026-09-07T09:00"  # now, in Beijing time

    response = client.post(url, open_form(inspector, inspector2, enterprise=factory_site.pk))
    case = EnforcementCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:case_detail", args=[case.pk])
    assert case.state == EnforcementState.CLUE
    assert case.party_name == factory_site.name
    assert case.source_complaint_id == complaint.pk
    assert set(case.investigators.values_list("pk", flat=True)) == {inspector.pk, inspector2.pk}
    assert CaseLink.objects.filter(
        from_case=case, to_case=complaint, kind=LinkKind.SPAWNED_FROM
    ).exists()


def test_opening_a_case_with_one_investigator_or_a_future_clue_is_refused_and_saves_nothing(
    clock: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    client = client_as(inspector)
    url = reverse("enforcement:enforcement_create")
    data = open_form(
        inspector,
        inspector2,
        enterprise=factory_site.pk,
        investigators=[inspector.pk],
        clue_at=local(START + dt.timedelta(days=1)),
    )

    response = client.post(url, data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择至少两名持执法证的执法人员。" in text
    assert "发现线索时间不能晚于现在。" in text
    assert not EnforcementCase.objects.exists()


def test_a_case_needs_a_party(clock: Any, inspector: Any, inspector2: Any) -> None:
    response = client_as(inspector).post(
        reverse("enforcement:enforcement_create"), open_form(inspector, inspector2)
    )
    assert response.status_code == 400
    assert "请选择排污单位，或填写当事人名称。" in response.content.decode()
    assert not EnforcementCase.objects.exists()


def test_an_outsider_cannot_open_a_case_from_a_complaint_of_another_district(
    clock: Any, district: Any, other_district: Any, outsider: Any, factory_site: Any
) -> None:
    complaint = file_complaint(jurisdiction=district, now=START - dt.timedelta(days=1))
    far_inspector = make_inspector("far", other_district, "14020001")
    for user in (outsider, far_inspector):
        client = client_as(user)
        url = reverse("enforcement:enforcement_create")
        assert client.get(f"{url}?complaint={complaint.pk}").status_code == 404
        assert client.get(f"{url}?enterprise={factory_site.pk}").status_code == 404
    assert not EnforcementCase.objects.exists()


# --- 责令改正 ------------------------------------------------------------------------------------


def filed_case(inspector: Any, inspector2: Any, supervisor: Any, site: Any) -> EnforcementCase:
    case = open_clue(inspector, inspector2, site, now=START - dt.timedelta(days=5))
    file_case(case, inspector, supervisor, now=START - dt.timedelta(days=4))
    return reload_enf(case)  # type: ignore[no-any-return]


def test_an_inspector_serves_a_correction_order_and_its_page_shows_the_recheck_deadline(
    clock: Any, inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = filed_case(inspector, inspector2, supervisor, factory_site)
    client = client_as(inspector)
    url = reverse("enforcement:correction_create") + f"?case={case.pk}"

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["violation"].value() == case.violation_facts
    assert page.context["form"]["enterprise"].value() == factory_site.pk

    response = client.post(
        url,
        {
            "enterprise": factory_site.pk,
            "violation": "外排废水化学需氧量超标",
            "basis": "《水污染防治法》第八十三条",
            "requirement": "立即停止超标排放",
            "immediate": "on",
            "correct_by": "2026-09-21",
            "served_at": local(START),
            "daily_amount": "100000",
        },
    )

    order = CorrectionOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:case_detail", args=[order.pk])
    assert order.enforcement_case_id == case.pk
    assert order.immediate
    assert order.recheck_due == dt.date(2026, 10, 8)  # 09-07 + 30 = 10-07, a holiday: rolled
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "下一步：复查（暗查）" in text
    assert "2026-10-08" in text
    assert order.order_no in text
    # the case page lists the order with its 决定书
    case_page = client.get(reverse("console:case_detail", args=[case.pk])).content.decode()
    assert order.order_no in case_page
    assert reverse("enforcement:correction_pdf", args=[order.pk]) in case_page


def test_a_correction_deadline_before_service_is_refused_and_saves_nothing(
    clock: Any, inspector: Any, factory_site: Any
) -> None:
    response = client_as(inspector).post(
        reverse("enforcement:correction_create") + f"?enterprise={factory_site.pk}",
        {
            "enterprise": factory_site.pk,
            "violation": "超标排放",
            "requirement": "停止超标排放",
            "correct_by": "2026-09-01",
            "served_at": local(START),
        },
    )
    assert response.status_code == 400
    assert "改正期限不能早于送达日期。" in response.content.decode()
    assert not CorrectionOrder.objects.exists()


def test_an_outsider_cannot_serve_an_order_in_a_case_they_cannot_see(
    clock: Any, inspector: Any, inspector2: Any, supervisor: Any, outsider: Any, factory_site: Any
) -> None:
    case = filed_case(inspector, inspector2, supervisor, factory_site)
    url = reverse("enforcement:correction_create") + f"?case={case.pk}"
    assert client_as(outsider).get(url).status_code == 404


# --- the procedure, on the console ---------------------------------------------------------------


def act(client: Client, case: Any, name: str, data: dict[str, Any] | None = None) -> None:
    response = client.post(
        reverse("console:transition", args=[case.pk, name]), {"state": case.state, **(data or {})}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("console:case_detail", args=[case.pk])


def test_a_case_walks_the_ordinary_procedure_through_the_console(
    clock: Any, inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    investigator, head, reviewer = inspector, supervisor, legal
    client_as(inspector).post(
        reverse("enforcement:enforcement_create") + f"?enterprise={factory_site.pk}",
        open_form(inspector, inspector2, enterprise=factory_site.pk),
    )
    case = EnforcementCase.objects.get()

    def step(user: Any, name: str, data: dict[str, Any] | None = None) -> None:
        nonlocal case
        # a fresh sign-in each step: the walk spans weeks, longer than a session lives
        act(client_as(user), case, name, data)
        case = reload_enf(case)

    step(
        investigator,
        "submit_filing",
        {"violation_facts": "外排废水超标", "violated_provisions": "水污染防治法第十条"},
    )
    step(head, "approve_filing")
    assert case.state == EnforcementState.INVESTIGATING and case.filing_no
    clock.move_to(START + dt.timedelta(days=10))
    step(
        investigator,
        "submit_review",
        {
            "violation_facts": "外排废水化学需氧量超标2.1倍",
            "penalty_provisions": "水污染防治法第八十三条",
            "proposed_penalty": "罚款十万元",
            "proposed_fine": "100000",
        },
    )
    step(reviewer, "record_legal_review", {"legal_review_opinion": "事实清楚，证据确凿"})
    step(
        investigator,
        "serve_notice",
        {
            "notice_served_at": local(START + dt.timedelta(days=10)),
            "proposed_penalty": "罚款十万元",
            "proposed_fine": "100000",
        },
    )
    assert case.state == EnforcementState.NOTICE_SERVED and case.notice_no
    step(investigator, "waive_rights", {"note": "当事人书面放弃陈述申辩"})
    step(investigator, "submit_decision")
    clock.move_to(START + dt.timedelta(days=12))
    step(
        head,
        "decide",
        {"penalty_kinds": ["fine"], "fine_amount": "100000", "decision_text": "罚款十万元"},
    )
    assert case.state == EnforcementState.DECIDED and case.decision_no
    clock.move_to(START + dt.timedelta(days=13))
    step(investigator, "serve_decision", {"served_at": local(START + dt.timedelta(days=13))})
    assert case.payment_due is not None
    page = client_as(inspector).get(reverse("console:case_detail", args=[case.pk]))
    assert "缴纳罚款期限" in page.content.decode()
    clock.move_to(START + dt.timedelta(days=20))
    step(
        investigator,
        "record_performance",
        {"paid_at": local(START + dt.timedelta(days=20)), "paid_amount": "100000"},
    )
    step(head, "close_case", {"closing_summary": "已履行完毕"})
    assert case.state == CaseState.CLOSED

    page = client_as(inspector).get(reverse("console:case_detail", args=[case.pk])).content.decode()
    assert "stepper__step--current" not in page
    for doc in ("filing", "notice", "decision"):
        assert reverse("enforcement:enforcement_document", args=[case.pk, doc]) in page


def test_the_panel_highlights_the_next_step_and_its_deadline(
    clock: Any, inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    # given a lead found 20 days ago: the 15-day 立案 period has run out
    case = open_clue(inspector, inspector2, factory_site, now=START - dt.timedelta(days=20))
    client = client_as(inspector)
    url = reverse("console:case_detail", args=[case.pk])

    page = client.get(url)
    text = page.content.decode()
    assert 'class="stepper__step stepper__step--current" aria-current="step">线索' in text
    assert "下一步" in text
    assert "提请立案" in text
    assert "legal-deadline--overdue" in text
    assert "立案期限" in text
    assert "2026-09-02" in text  # 08-18 + 15 days

    # when it is filed, the decision period is the deadline to watch
    file_case(reload_enf(case), inspector, supervisor, now=START)
    text = client.get(url).content.decode()
    assert ">调查</li>" in text
    assert "调查终结，提交案审" in text
    assert "作出处罚决定期限" in text
    assert "legal-deadline--ok" in text
    assert "2026-12-07" in text  # 09-07 + 90 days = 12-06, a Sunday: rolled to Monday

    # and while the investigation is suspended the clock stands still
    transition_case(
        reload_enf(case),
        "suspend",
        actor=supervisor,
        payload={"suspension_reason": "interpretation"},
        note="请示法律适用",
        now=START + dt.timedelta(days=1),
    )
    text = client.get(url).content.decode()
    assert "已暂停计时" in text
    assert "legal-deadline--paused" in text
    assert "暂停计时 2026-09-08" in text


# --- the complaint that started it ---------------------------------------------------------------


def test_the_complaint_panel_shows_the_cases_it_started_and_the_buttons(
    clock: Any,
    district: Any,
    intake: Any,
    dispatcher: Any,
    team: Any,
    inspector: Any,
    inspector2: Any,
    factory_site: Any,
) -> None:
    complaint = team_complaint(district, intake, dispatcher, team)
    case = open_clue(
        inspector,
        inspector2,
        factory_site,
        now=START - dt.timedelta(days=1),
        source_complaint=complaint,
        clue_source=ClueSource.COMPLAINT,
    )

    text = (
        client_as(inspector)
        .get(reverse("console:case_detail", args=[complaint.pk]))
        .content.decode()
    )

    assert case.case_no in text
    assert reverse("enforcement:enforcement_create") + f"?complaint={complaint.pk}" in text
    assert "立案查处" in text
    # and the case page shows the complaint it came from, the link shown both ways
    case_page = (
        client_as(inspector).get(reverse("console:case_detail", args=[case.pk])).content.decode()
    )
    assert complaint.case_no in case_page


def test_an_enforcement_case_is_linked_to_its_complaint_and_a_damage_clue_both_ways(
    clock: Any,
    district: Any,
    intake: Any,
    dispatcher: Any,
    team: Any,
    inspector: Any,
    inspector2: Any,
    factory_site: Any,
) -> None:
    """一案双查 (the damage-compensation type comes later: a supervision item stands in)."""
    complaint = team_complaint(district, intake, dispatcher, team)
    case = open_clue(
        inspector,
        inspector2,
        factory_site,
        now=START - dt.timedelta(days=1),
        source_complaint=complaint,
        clue_source=ClueSource.COMPLAINT,
    )
    damage = open_item(
        actor=dispatcher, jurisdiction=district, title="生态环境损害赔偿线索", now=START
    )
    client = client_as(dispatcher)

    response = client.post(
        reverse("console:case_links", args=[damage.pk]),
        {"other": case.case_no, "kind": LinkKind.DOUBLE_INVESTIGATION},
    )

    assert response.status_code == 302
    case_page = client.get(reverse("console:case_detail", args=[case.pk])).content.decode()
    assert 'class="links double-links"' in case_page
    assert damage.case_no in case_page
    assert complaint.case_no in case_page  # 来源投诉举报
    damage_page = client.get(reverse("console:case_detail", args=[damage.pk])).content.decode()
    assert case.case_no in damage_page and "一案双查" in damage_page
    complaint_page = client.get(reverse("console:case_detail", args=[complaint.pk]))
    assert case.case_no in complaint_page.content.decode()


def test_the_complaints_verifier_gets_the_on_site_check_button_while_verifying(
    clock: Any, district: Any, people: dict[str, Any], inspector: Any
) -> None:
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district, now=START - dt.timedelta(days=8)),
        **people,
        start=START - dt.timedelta(days=8),
        stop_at="verifying",
    )
    button = reverse("enforcement:inspection_create") + f"?subject={complaint.pk}"
    url = reverse("console:case_detail", args=[complaint.pk])

    assert button in client_as(people["verifier"]).get(url).content.decode()
    assert button not in client_as(people["dispatcher"]).get(url).content.decode()


def test_a_failed_recheck_shows_the_daily_penalty_period_and_the_next_order(
    clock: Any, inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    # given a case with a fine of 100,000 yuan a day and an order served on 09-07
    case = filed_case(inspector, inspector2, supervisor, factory_site)
    order = services.issue_correction_order(
        actor=inspector,
        enterprise=factory_site,
        violation="外排废水化学需氧量超标",
        requirement="立即停止超标排放",
        correct_by=dt.date(2026, 9, 14),
        served_at=START,
        daily_amount=Decimal("100000"),
        enforcement_case=case,
        now=START,
    )

    # when the enterprise reports and the 复查 on 09-17 finds the violation going on
    clock.move_to(START + dt.timedelta(days=8))
    act(
        client_as(inspector),
        order,
        "record_report",
        {"reported_at": local(START + dt.timedelta(days=8)), "report_text": "已整改完毕"},
    )
    clock.move_to(START + dt.timedelta(days=10))
    order = reload_enf(order)
    act(
        client_as(inspector),
        order,
        "fail_recheck",
        {
            "rechecked_at": local(START + dt.timedelta(days=10)),
            "recheck_covert": "on",
            "recheck_findings": "仍在超标排放",
            "new_requirement": "立即停止超标排放",
            "new_correct_by": "2026-09-30",
        },
    )

    # then the order's page shows the period (09-08 … 09-17, 10 days) and the new order
    order = reload_enf(order)
    following = CorrectionOrder.objects.get(previous_order=order)
    client = client_as(inspector)
    text = client.get(reverse("console:case_detail", args=[order.pk])).content.decode()
    assert "已整改完毕" in text
    assert "仍在超标排放" in text
    assert "2026-09-08" in text and "2026-09-17" in text
    assert "<dd>10</dd>" in text
    assert "1000000.00" in text
    assert following.order_no in text
    new_page = client.get(reverse("console:case_detail", args=[following.pk])).content.decode()
    assert order.case_no in new_page
    case_page = client.get(reverse("console:case_detail", args=[case.pk])).content.decode()
    assert "按日连续处罚合计 10 日" in case_page


@pytest.mark.parametrize(
    ("inspection_type", "clue_source"),
    [("daily", ClueSource.INSPECTION), ("random", ClueSource.RANDOM)],
)
def test_a_case_opened_from_an_inspection_takes_its_inspectors_and_its_type(
    clock: Any,
    inspector: Any,
    inspector2: Any,
    factory_site: Any,
    inspection_type: str,
    clue_source: str,
) -> None:
    from enforcement.inspections.services import log_inspection
    from tests.enforcement.field import record_payload

    inspection = log_inspection(
        actor=inspector2,
        enterprise=factory_site,
        inspection_type=inspection_type,
        record=record_payload(
            [inspector2, inspector],
            start="2026-09-07T07:00",
            end="2026-09-07T08:00",
            findings="外排口废水颜色异常",
            problems=(),
        ),
        now=START - dt.timedelta(minutes=30),
    )
    client = client_as(inspector)
    url = reverse("enforcement:enforcement_create") + f"?inspection={inspection.pk}"

    form = client.get(url).context["form"]

    assert form["enterprise"].value() == factory_site.pk
    assert form["clue_source"].value() == clue_source
    assert sorted(form["investigators"].value()) == sorted([inspector.pk, inspector2.pk])
    assert form["description"].value() == "外排口废水颜色异常"
    response = client.post(url, open_form(inspector, inspector2, enterprise=factory_site.pk))
    assert response.status_code == 302
    assert EnforcementCase.objects.get().source_inspection_id == inspection.pk
