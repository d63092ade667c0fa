"""The intake's 受理台, the complaint panel on the case page, and staff entry of a complaint."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from enforcement.complaints import identity as identities
from enforcement.models import Complaint, ComplaintState, IntakeChannel, ReporterIdentity
from tests.factories import (
    MONDAY,
    accept_complaint,
    assigned_complaint,
    client_for,
    file_complaint,
    make_staff,
    reload,
    reply_to_complaint,
)
from workflow.models import CaseLink
from workflow.roles import Role

pytestmark = pytest.mark.django_db

DESK = "/enforcement/complaints/intake/"
NEW = "/enforcement/complaints/new/"
NAME = "甄秘密"
PHONE = "13712345678"


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        yield


def detail(case: Any) -> str:
    return reverse("console:case_detail", kwargs={"pk": case.pk})


class _Section(HTMLParser):
    """The text and markup inside the element with a given id (nested same-name tags counted)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.tag = ""
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            if tag == self.tag:
                self.depth += 1
            self.parts.append(self.get_starttag_text() or "")
        elif dict(attrs).get("id") == self.element_id:
            self.tag, self.depth = tag, 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == self.tag:
            self.depth -= 1
        if self.depth:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def section(html: str, element_id: str) -> str:
    parser = _Section(element_id)
    parser.feed(html)
    assert parser.tag, f"no element #{element_id}"
    return "".join(parser.parts)


# --- 受理台 ----------------------------------------------------------------------------------


def test_the_desk_lists_the_registered_complaints_of_the_jurisdiction_oldest_first(
    district: Any, other_district: Any, intake: Any
) -> None:
    older = file_complaint(jurisdiction=district, now=MONDAY)
    newer = file_complaint(jurisdiction=district, now=MONDAY + dt.timedelta(hours=3))
    unrelated = file_complaint(
        jurisdiction=district,
        now=MONDAY + dt.timedelta(hours=4),
        category="noise",
        target_name="某某KTV",
        location="小店区坞城路",
    )
    elsewhere = file_complaint(jurisdiction=other_district, target_name="迎泽某某厂")
    accepted = file_complaint(jurisdiction=district, target_name="另一家单位", category="water")
    accept_complaint(accepted, intake=intake, now=MONDAY + dt.timedelta(hours=5))

    response = client_for(intake).get(DESK)
    assert response.status_code == 200
    html = response.content.decode()
    registered = section(html, "registered-title") and html.split('id="callback-title"')[0]
    assert older.case_no in registered and newer.case_no in registered
    assert unrelated.case_no in registered
    assert elsewhere.case_no not in html
    assert accepted.case_no not in registered
    assert registered.index(older.case_no) < registered.index(newer.case_no)
    # The acceptance deadline: 15 days from receipt.
    assert "2026-06-16" in registered
    # The same unit and category: each suggests the other; the noise complaint suggests nothing.
    assert registered.count("疑似重复 1") == 2
    inbox = client_for(intake).get(reverse("console:inbox")).content.decode()
    assert f'href="{DESK}"' in inbox  # the nav link of the intake role


def test_the_desk_lists_replied_complaints_awaiting_a_call_back(
    district: Any, intake: Any, people: dict[str, Any]
) -> None:
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district, name=NAME, phone=PHONE),
        **people,
        at=[MONDAY + dt.timedelta(hours=hours) for hours in range(1, 8)],
    )
    assert reload(complaint).state == ComplaintState.REPLIED

    html = client_for(intake).get(DESK).content.decode()
    callbacks = html.split('id="callback-title"')[1]
    assert complaint.case_no in callbacks


@pytest.mark.parametrize("role", ["dispatcher", "handler", "supervisor", "leader"])
def test_the_desk_and_the_staff_entry_are_the_intake_roles(role: str, request: Any) -> None:
    user = request.getfixturevalue(role)
    client = client_for(user)
    for url in (DESK, NEW):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有受理员可以使用受理台" in response.content.decode()
    assert "受理台" not in client.get(reverse("console:inbox")).content.decode()


# --- the panel on the case page --------------------------------------------------------------


def test_a_handler_sees_the_complaint_but_nothing_about_the_reporter(
    district: Any, town: Any, intake: Any, dispatcher: Any, handler: Any
) -> None:
    complaint = assigned_complaint(
        jurisdiction=district,
        intake=intake,
        dispatcher=dispatcher,
        unit=town,
        name=NAME,
        phone=PHONE,
        target_uscc="91140100MA0GRXXB0F",
        target_address="北格镇工业园1号",
        wants_reply=True,
        wants_reward=True,
    )
    response = client_for(handler).get(detail(complaint))
    assert response.status_code == 200
    html = response.content.decode()
    panel = section(html, "complaint-panel")
    for text in ("太原某某化工有限公司", "91140100MA0GRXXB0F", "北格镇工业园1号", "大气", "信访"):
        assert text in panel
    assert "2026-07-31" in panel  # the statutory 办结期限: 60 days from acceptance
    assert complaint.tracking_code not in html
    assert NAME not in html and PHONE not in html
    assert "查看举报人信息" not in html
    # Not in the panel, nor anywhere else on the page (the generic field list included).
    for flag in ("匿名", "实名", "申请举报奖励", "需要答复", "查询码"):
        assert flag not in html


def test_the_intake_sees_the_tracking_code_the_duplicates_and_the_reveal_form(
    district: Any, intake: Any
) -> None:
    original = file_complaint(jurisdiction=district, now=MONDAY)
    repeat = file_complaint(
        jurisdiction=district, now=MONDAY + dt.timedelta(hours=2), name=NAME, phone=PHONE
    )
    html = client_for(intake).get(detail(repeat)).content.decode()
    panel = section(html, "complaint-panel")
    assert repeat.tracking_code in panel
    assert "实名" in panel
    assert "查看举报人信息" in panel
    assert NAME not in html and PHONE not in html
    assert original.case_no in panel and "合并至此件" in panel

    anonymous_panel = section(
        client_for(intake).get(detail(original)).content.decode(), "complaint-panel"
    )
    assert "匿名" in anonymous_panel
    assert "查看举报人信息" not in anonymous_panel


def test_merging_a_suggested_duplicate_through_the_generic_transition(
    district: Any, intake: Any
) -> None:
    original = file_complaint(jurisdiction=district, now=MONDAY)
    repeat = file_complaint(jurisdiction=district, now=MONDAY + dt.timedelta(hours=2))
    client = client_for(intake)
    panel = section(client.get(detail(repeat)).content.decode(), "complaint-panel")
    action = reverse("console:transition", kwargs={"pk": repeat.pk, "name": "merge"})
    assert f'action="{action}"' in panel
    assert f'name="original" value="{original.case_no}"' in panel

    response = client.post(action, {"state": "registered", "original": original.case_no})
    assert response.status_code == 302 and response["Location"] == detail(repeat)
    repeat = reload(repeat)
    assert repeat.state == ComplaintState.MERGED and repeat.merged_into_id == original.pk
    assert reload(original).repeat_count == 1
    assert CaseLink.objects.filter(from_case=repeat, to_case=original).exists()

    merged_panel = section(client.get(detail(repeat)).content.decode(), "complaint-panel")
    assert original.case_no in merged_panel and detail(original) in merged_panel


def test_only_the_intake_of_the_bureau_gets_the_merge_buttons(
    district: Any, dispatcher: Any
) -> None:
    file_complaint(jurisdiction=district, now=MONDAY)
    repeat = file_complaint(jurisdiction=district, now=MONDAY + dt.timedelta(hours=2))
    html = client_for(dispatcher).get(detail(repeat)).content.decode()
    panel = section(html, "complaint-panel")
    assert "合并至此件" not in panel and "疑似重复" not in panel
    assert repeat.tracking_code not in html


# --- staff entry -----------------------------------------------------------------------------


def test_the_intake_files_a_phone_complaint_with_the_identity_encrypted(
    district: Any, intake: Any
) -> None:
    client = client_for(intake)
    form = client.get(NEW)
    assert form.status_code == 200
    assert "电话（12345）" in form.content.decode()

    response = client.post(
        NEW,
        {
            "channel": IntakeChannel.PHONE,
            "jurisdiction": district.pk,
            "category": "noise",
            "target_name": "某某建筑工地",
            "location": "小店区许坦东街",
            "description": "夜间施工噪声扰民，持续到凌晨两点",
            "ongoing": "on",
            "name": NAME,
            "phone": PHONE,
            "wants_reply": "on",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(complaint)
    assert complaint.channel == IntakeChannel.PHONE
    assert complaint.state == ComplaintState.REGISTERED
    assert complaint.jurisdiction == district and not complaint.anonymous
    assert complaint.events.get().actor == intake

    record = ReporterIdentity.objects.get(complaint=complaint)
    assert NAME not in record.ciphertext and PHONE not in record.ciphertext
    assert identities.decrypt(record.ciphertext).phone == PHONE

    page = client.get(response["Location"]).content.decode()
    assert complaint.tracking_code in page  # the message to read to the caller
    assert NAME not in page and PHONE not in page


def test_an_invalid_staff_entry_keeps_the_input_and_saves_nothing(
    district: Any, intake: Any
) -> None:
    response = client_for(intake).post(
        NEW,
        {
            "channel": IntakeChannel.LETTER,
            "jurisdiction": district.pk,
            "category": "water",
            "location": "<script>alert(1)</script>",
            "description": "短",
            "name": NAME,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert Complaint.objects.count() == 0


def test_the_intake_cannot_file_in_another_district(
    district: Any, other_district: Any, intake: Any
) -> None:
    response = client_for(intake).post(
        NEW,
        {
            "channel": IntakeChannel.VISIT,
            "jurisdiction": other_district.pk,
            "category": "water",
            "location": "迎泽区",
            "description": "河水发黑发臭，已持续一周",
            "anonymous": "on",
        },
    )
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_a_complaint_of_another_district_is_not_found(other_district: Any, intake: Any) -> None:
    elsewhere = file_complaint(jurisdiction=other_district)
    other_intake = make_staff("intake_yz", other_district, Role.INTAKE)
    assert client_for(other_intake).get(detail(elsewhere)).status_code == 200
    assert client_for(intake).get(detail(elsewhere)).status_code == 404
