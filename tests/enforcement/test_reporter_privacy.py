"""Issue 4's privacy acceptance: a reporter's identity is on no page, API response, document,
notification or log line that the dispatcher, handler, verifier, supervisor or public can reach
for the case; the intake role sees it, and the reveal is logged.

Staff pages are found by crawling: from the inbox, the case list and the case page, every
same-site link is followed (so pages added later are covered too), plus the API endpoints and the
documents of the case. PDFs are read as text.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
import time_machine
from django.test import Client

from enforcement.models import IdentityReveal
from tests.factories import MONDAY, deliver_all, later, reload, reply_to_complaint
from workflow.escalation import fire_due_deadlines
from workflow.models.notification import Notification

pytestmark = pytest.mark.django_db

NAME = "欧阳测试甲"
PHONE = "13987654321"
EMAIL = "ouyang.reporter@example.org"
ID_NUMBER = "14010519800101123X"
SECRETS = (NAME, PHONE, EMAIL, ID_NUMBER, "139 8765 4321", "139-8765-4321")

HREF = re.compile(r"""(?:href|hx-get|src|action)=["']([^"']+)["']""")
SKIP = ("/logout/", "/static/", "/captcha/", "/admin/")


def text_of(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in content_type:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if content_type.startswith("image/"):
        return ""
    return body.decode("utf-8", errors="replace")


def crawl(client: Client, starts: list[str], *, limit: int = 400) -> dict[str, str]:
    """GET every same-site page reachable from `starts` (links, htmx gets, sources, forms)."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0]
        parsed = urlparse(url)
        if parsed.netloc or not url.startswith("/") or url in seen:
            continue
        if any(url.startswith(prefix) for prefix in SKIP):
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(response["Location"])
            seen[url] = ""
            continue
        text = text_of(response)
        seen[url] = text
        if "html" in response.get("Content-Type", ""):
            for link in HREF.findall(text):
                link = link.replace("&amp;", "&")
                if link.startswith("/") and link not in seen:
                    queue.append(link)
    return seen


def assert_no_identity(pages: dict[str, str], who: str) -> None:
    for url, text in pages.items():
        for secret in SECRETS:
            assert secret not in text, f"{who} sees the reporter's identity ({secret}) at {url}"


@pytest.fixture
def complaint_in_every_document(district: Any, people: dict[str, Any], photo: Any) -> Any:
    """A real-name complaint taken through the loop to a signed reply, with a 催办 notice (the
    town signed late), evidence, notifications to staff and to the reporter."""
    from enforcement.complaints.identity import Identity
    from enforcement.complaints.services import Submission, submit

    complaint = submit(
        Submission(
            jurisdiction=district,
            category="noise",
            description="夜间施工噪声扰民，持续到凌晨两点",
            location="小店区北格镇幸福小区东侧工地",
            target_name="太原某某建筑工程有限公司",
            anonymous=False,
            wants_reply=True,
            wants_reward=True,
        ),
        Identity(name=NAME, phone=PHONE, email=EMAIL, id_number=ID_NUMBER, address="幸福小区3号楼"),
        files=[photo],
        now=MONDAY,
    )
    reply_to_complaint(
        complaint,
        **people,
        at=[later(17, 1), later(17, 2)],
        stop_at="assigned",
    )
    # The town did not sign within its working day (端午节 2026-06-19 is a holiday): the
    # ladder fires 催办 with a numbered notice.
    fire_due_deadlines(later(25))
    reply_to_complaint(
        complaint,
        **people,
        at=[later(25, 1), later(26), later(27), later(28), later(29)],
        reply={
            "reply_request": "要求夜间停止施工",
            "reply_facts": "经核查，该工地夜间施工未办理夜间施工许可",
            "reply_opinion": "已责令停止夜间施工并立案调查",
            "reply_basis": "《噪声污染防治法》第四十三条",
            "reply_outcome": "support",
        },
        verification_note="夜间复查无施工",
    )
    deliver_all(later(29, 2))
    return reload(complaint)


def test_no_one_but_intake_can_reach_the_reporters_identity(
    client: Client,
    caplog: Any,
    complaint_in_every_document: Any,
    intake: Any,
    dispatcher: Any,
    handler: Any,
    verifier: Any,
    supervisor: Any,
) -> None:
    complaint = complaint_in_every_document
    pk = complaint.pk
    assert complaint.notices.exists(), "the 催办 notice is part of what is checked"
    caplog.set_level(logging.DEBUG)

    staff_starts = [
        "/",
        "/cases/",
        f"/cases/{pk}/",
        "/notifications/",
        "/api/cases/",
        f"/api/cases/{pk}/",
        "/api/complaints/",
        f"/api/complaints/{pk}/",
        f"/enforcement/complaints/{pk}/opinion.pdf",
        *[f"/notices/{n.pk}/" for n in complaint.notices.all()],
    ]
    with time_machine.travel(later(29, 3), tick=False):
        for person in (dispatcher, handler, verifier, supervisor):
            client.force_login(person)
            pages = crawl(client, staff_starts)
            # The crawl reached the case page, its API forms, its documents and its notice.
            reached = {f"/cases/{pk}/", f"/api/complaints/{pk}/", f"/api/cases/{pk}/"}
            reached |= {f"/enforcement/complaints/{pk}/opinion.pdf", "/notifications/"}
            assert reached <= set(pages), (person.username, sorted(pages))
            assert any(url.startswith("/notices/") for url in pages), person.username
            assert sum(url.startswith("/attachments/") for url in pages) >= 2, person.username
            assert_no_identity(pages, person.username)
            client.logout()

        # The public: the tracking page (and whatever it links to), the Open311 answers.
        public_pages = crawl(
            client,
            [
                f"/complaints/track/{complaint.tracking_code}/",
                "/open311/v2/requests.json",
                f"/open311/v2/requests/{complaint.case_no}.json",
                f"/open311/v2/tokens/{complaint.tracking_code}.json",
            ],
        )
        assert complaint.case_no in public_pages[f"/complaints/track/{complaint.tracking_code}/"]
        assert_no_identity(public_pages, "the public")

    # Notifications to staff and the reporter's own messages keep no address or name.
    for row in Notification.objects.filter(case=complaint):
        stored = f"{row.message} {row.params}"
        assert not any(secret in stored for secret in SECRETS), row.pk
    # Nor does any log line written while all of this happened.
    for record in caplog.records:
        assert not any(secret in record.getMessage() for secret in SECRETS), record.getMessage()

    # The intake role sees it, and the reveal is logged with who and why.
    client.force_login(intake)
    with time_machine.travel(later(29, 4), tick=False):
        response = client.post(
            f"/enforcement/complaints/{pk}/identity/", {"reason": "电话回访核实诉求"}
        )
    assert response.status_code == 200
    assert NAME in response.content.decode() and PHONE in response.content.decode()
    reveal = IdentityReveal.objects.get(complaint=complaint)
    assert reveal.actor == intake and reveal.reason == "电话回访核实诉求"
