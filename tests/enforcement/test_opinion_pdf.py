"""The 信访事项处理意见书 / 举报答复意见书 PDF: the reply's parts, never the reporter."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from enforcement.complaints.opinion_pdf import opinion_pdf
from tests.factories import (
    REPLY,
    accept_complaint,
    client_for,
    file_complaint,
    later,
    reply_to_complaint,
)

pytestmark = pytest.mark.django_db

NAME = "甄秘密"
PHONE = "13712345678"

#: 受理 and 交办 within the first hours, then 签收 … 签发答复 a day apart: signed on 06-06.
STEPS_AT = [later(hours=1), later(hours=2), *(later(days=day) for day in range(1, 6))]


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(later(days=10), tick=False):
        yield


def pdf_url(complaint: Any) -> str:
    return reverse("enforcement:complaint_opinion_pdf", kwargs={"pk": complaint.pk})


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def drafted(
    district: Any, people: dict[str, Any], *, track: str = "petition", reply: dict[str, str] = REPLY
) -> Any:
    """A real-name complaint whose handler has drafted the reply (反馈), not yet signed."""
    return reply_to_complaint(
        file_complaint(jurisdiction=district, name=NAME, phone=PHONE),
        **people,
        track=track,
        reply=reply,
        at=STEPS_AT[:4],
        stop_at="reported",
    )


def sign(complaint: Any, people: dict[str, Any]) -> Any:
    """核查 → 审核签发答复: the reply signed on 06-06."""
    return reply_to_complaint(complaint, **people, at=STEPS_AT[4:])


def test_the_draft_opinion_has_the_reply_and_no_reporter(
    district: Any, people: dict[str, Any], handler: Any
) -> None:
    complaint = drafted(district, people)
    response = client_for(handler).get(pdf_url(complaint))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "信访事项处理意见书" in text and "草稿" in text
    assert complaint.case_no in text
    for value in ("要求停止夜间排放黑烟", "锅炉除尘设施故障", "停产检修除尘设施", "第九十九条"):
        assert value in text
    assert "支持" in text and "信访人" in text
    assert NAME not in text and PHONE not in text
    assert complaint.tracking_code not in text


def test_the_signed_opinion_carries_the_bureau_and_the_date(
    district: Any, people: dict[str, Any], supervisor: Any
) -> None:
    complaint = sign(drafted(district, people), people)
    text = text_of(client_for(supervisor).get(pdf_url(complaint)).content)
    assert "草稿" not in text
    assert "小店分局" in text and "2026年6月6日" in text
    assert NAME not in text and PHONE not in text


def test_a_report_gets_a_reply_titled_for_the_reporter(
    district: Any, people: dict[str, Any]
) -> None:
    complaint = drafted(
        district,
        people,
        track="report",
        reply={"reply_opinion": "已立案查处，责令改正", "reply_outcome": "support"},
    )
    text = text_of(opinion_pdf(complaint))
    assert "举报答复意见书" in text and "举报人" in text
    assert "已立案查处，责令改正" in text
    assert NAME not in text


def test_markup_in_the_reply_is_text(district: Any, people: dict[str, Any], intake: Any) -> None:
    hostile = {
        **REPLY,
        "reply_facts": "<script>alert('x')</script> & <b>粗体</b> <para>",
        "reply_opinion": "</para><font name='x'>处理</font> 1 < 2 && 3 > 2",
    }
    complaint = drafted(district, people, reply=hostile)
    response = client_for(intake).get(pdf_url(complaint))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "<script>alert('x')</script>" in text
    assert "<b>粗体</b>" in text and "1 < 2 && 3 > 2" in text


def test_no_pdf_before_the_reply_is_drafted(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district)
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    assert client_for(intake).get(pdf_url(complaint)).status_code == 404


def test_a_person_who_cannot_see_the_case_gets_404(
    district: Any, people: dict[str, Any], outsider: Any
) -> None:
    complaint = drafted(district, people)
    assert client_for(outsider).get(pdf_url(complaint)).status_code == 404
    anonymous = Client().get(pdf_url(complaint))
    assert anonymous.status_code == 302


def test_the_panel_links_the_opinion(district: Any, people: dict[str, Any], handler: Any) -> None:
    complaint = drafted(district, people)
    page = client_for(handler).get(reverse("console:case_detail", kwargs={"pk": complaint.pk}))
    assert pdf_url(complaint) in page.content.decode()
