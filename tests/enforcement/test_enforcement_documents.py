"""The numbered documents of an enforcement case, read back from the PDF: 立案审批表,
行政处罚事先告知书, 行政处罚决定书 and 责令改正违法行为决定书."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.enforcement.field import at, file_case, issue_order, open_clue, reload_enf
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

FILED = at(dt.date(2026, 6, 5))
NOTICE = at(dt.date(2026, 7, 6))  # a Monday
DECIDED = at(dt.date(2026, 7, 20))


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def doc_url(case: Any, doc: str) -> str:
    return reverse("enforcement:enforcement_document", args=[case.pk, doc])


def notified_case(inspector: Any, inspector2: Any, supervisor: Any, legal: Any, site: Any) -> Any:
    """A case filed, reviewed and with its advance notice served (听证 rights told)."""
    case = open_clue(inspector, inspector2, site, now=at(dt.date(2026, 6, 1)))
    file_case(case, inspector, supervisor, now=FILED)
    transition_case(
        reload_enf(case),
        "submit_review",
        actor=inspector,
        payload={
            "violation_facts": "外排废水化学需氧量超标2.1倍",
            "penalty_provisions": "《水污染防治法》第八十三条",
            "proposed_penalty": "罚款二十万元",
            "proposed_fine": "200000",
        },
        now=NOTICE,
    )
    transition_case(
        reload_enf(case),
        "record_legal_review",
        actor=legal,
        payload={"legal_review_opinion": "事实清楚"},
        now=NOTICE,
    )
    transition_case(
        reload_enf(case),
        "serve_notice",
        actor=inspector,
        payload={
            "notice_served_at": "2026-07-06T10:00",
            "proposed_penalty": "罚款二十万元",
            "proposed_fine": "200000",
            "hearing_eligible": True,
        },
        now=NOTICE,
    )
    return reload_enf(case)


def test_no_document_exists_before_its_step_and_the_filing_form_follows_the_filing(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 6, 1)))
    client = client_as(inspector)
    for doc in ("filing", "notice", "decision"):
        assert client.get(doc_url(case, doc)).status_code == 404

    file_case(case, inspector, supervisor, now=FILED)
    case = reload_enf(case)

    text = text_of(client.get(doc_url(case, "filing")))
    assert "立案审批表" in text
    assert case.filing_no == "小店环立〔2026〕1号"
    assert case.filing_no in text
    assert factory_site.name in text
    assert client.get(doc_url(case, "notice")).status_code == 404
    assert client.get(doc_url(case, "nonsense")).status_code == 404


def test_the_advance_notice_tells_the_rights_and_their_deadlines(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    case = notified_case(inspector, inspector2, supervisor, legal, factory_site)

    text = text_of(client_as(inspector).get(doc_url(case, "notice")))

    assert "行政处罚事先告知书" in text
    assert case.notice_no and case.notice_no in text
    assert "陈述和申辩" in text and "2026年7月9日" in text  # 3 working days
    assert "听证" in text and "2026年7月13日" in text  # 5 working days


def test_the_decision_tells_payment_and_remedies(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    case = notified_case(inspector, inspector2, supervisor, legal, factory_site)
    transition_case(case, "waive_rights", actor=inspector, note="书面放弃", now=NOTICE)
    transition_case(reload_enf(case), "submit_decision", actor=inspector, now=NOTICE)
    transition_case(
        reload_enf(case),
        "decide",
        actor=supervisor,
        payload={
            "penalty_kinds": ["fine"],
            "fine_amount": "200000",
            "decision_text": "罚款人民币二十万元",
        },
        now=DECIDED,
    )
    case = reload_enf(case)

    text = text_of(client_as(inspector).get(doc_url(case, "decision")))

    assert "行政处罚决定书" in text
    assert case.decision_no and case.decision_no in text
    assert "15日内" in text
    assert "60日内申请行政复议" in text
    assert "6个月内" in text
    assert "200,000.00" in text


def test_the_correction_order_as_pdf(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 6, 1)))
    file_case(case, inspector, supervisor, now=FILED)
    order = issue_order(
        inspector,
        factory_site,
        served_at=FILED,
        correct_by=dt.date(2026, 6, 20),
        case=reload_enf(case),
    )

    text = text_of(client_as(inspector).get(reverse("enforcement:correction_pdf", args=[order.pk])))

    assert "责令改正违法行为决定书" in text
    assert order.order_no in text
    assert "2026年6月20日" in text
    assert "30日内" in text


def test_an_outsider_gets_no_document(
    inspector: Any, inspector2: Any, supervisor: Any, outsider: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 6, 1)))
    file_case(case, inspector, supervisor, now=FILED)
    order = issue_order(inspector, factory_site, served_at=FILED, correct_by=dt.date(2026, 6, 20))
    client = client_as(outsider)
    assert client.get(doc_url(case, "filing")).status_code == 404
    assert client.get(reverse("enforcement:correction_pdf", args=[order.pk])).status_code == 404
