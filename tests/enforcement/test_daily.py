"""日公布: the items completed on a Beijing day, public, with public-safe fields only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import photo_bytes
from tests.factories import (
    MONDAY,
    REPLY,
    assign_to,
    file_complaint,
    open_item,
    reload,
    reply_to_complaint,
)
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db
URL = reverse("daily:index")
TZ = MONDAY.tzinfo
NAME, PHONE = "王小明", "13912345678"
TEXT = "夜里三点化工厂偷排刺鼻废气"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=TZ)


def pic(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


def verified(
    dispatcher: Any, handler: Any, verifier: Any, district: Any, town: Any, title: str, day: int
) -> Any:
    """A supervision item 核查通过 (待销号) on June `day`, 10:00–15:00."""
    case = open_item(actor=dispatcher, jurisdiction=district, title=title, now=at(day, 9))
    assign_to(case, dispatcher=dispatcher, unit=town, now=at(day, 9, 30))
    transition_case(reload(case), "sign", actor=handler, now=at(day, 10))
    transition_case(
        reload(case), "report", actor=handler, note="已整改", files=[pic("a.jpg")], now=at(day, 11)
    )
    transition_case(reload(case), "start_verification", actor=verifier, now=at(day, 12))
    transition_case(
        reload(case),
        "pass_verification",
        actor=verifier,
        note="核查员的内部意见",
        files=[pic("b.jpg")],
        now=at(day, 15),
    )
    return reload(case)


@pytest.fixture
def day_cases(
    dispatcher: Any,
    handler: Any,
    verifier: Any,
    supervisor: Any,
    intake: Any,
    district: Any,
    town: Any,
) -> dict[str, Any]:
    late = verified(dispatcher, handler, verifier, district, town, "河道排污口整治", 2)
    transition_case(late, "approve_closure", actor=supervisor, now=at(3, 23, 59))
    early = verified(dispatcher, handler, verifier, district, town, "工业园扬尘整治", 2)
    transition_case(early, "approve_closure", actor=supervisor, now=at(4, 0, 1))
    stage = verified(dispatcher, handler, verifier, district, town, "垃圾渗滤液处置", 3)
    complaint = file_complaint(
        jurisdiction=district, name=NAME, phone=PHONE, description=TEXT, now=at(1, 9)
    )
    complaint = reply_to_complaint(
        complaint,
        intake=intake,
        dispatcher=dispatcher,
        handler=handler,
        verifier=verifier,
        supervisor=supervisor,
        unit=town,
        at=[at(1, 10), at(1, 11), at(2, 9), at(2, 10), at(2, 11), at(3, 9), at(3, 16)],
    )
    transition_case(complaint, "rate", actor=None, payload={"rating": "satisfied"}, now=at(4, 10))
    return {"late": late, "early": early, "stage": stage, "complaint": reload(complaint)}


def items(response: Any) -> dict[str, Any]:
    return {item.title: item for item in response.context["items"]}


def test_the_day_lists_what_closed_or_reached_a_stage_that_beijing_day(
    day_cases: dict[str, Any],
) -> None:
    response = Client().get(URL, {"date": "2026-06-03"})  # no login
    assert response.status_code == 200
    listed = items(response)
    assert listed["河道排污口整治"].status == "done"  # 销号 at 23:59
    assert "工业园扬尘整治" not in listed  # 销号 at 00:01 the next day
    assert listed["垃圾渗滤液处置"].status == "stage"  # 待销号
    complaint = next(i for i in listed.values() if i.kind == "complaint")
    assert complaint.status == "stage"
    assert complaint.result == "已答复反映人，待评价"
    assert complaint.title == "大气问题 · 小店区北格镇工业园"
    assert all(item.unit == "北格镇" for item in listed.values())
    body = response.content.decode()
    assert "已办结" in body and "阶段性办结" in body

    next_day = items(Client().get(URL, {"date": "2026-06-04"}))
    assert next_day["工业园扬尘整治"].status == "done"
    assert "河道排污口整治" not in next_day
    rated = next(i for i in next_day.values() if i.kind == "complaint")
    assert (rated.status, rated.result) == ("done", "已答复反映人，事项办结")


def test_no_personal_data_tracking_code_or_note_on_the_page(day_cases: dict[str, Any]) -> None:
    complaint = day_cases["complaint"]
    for day in ("2026-06-03", "2026-06-04"):
        body = Client().get(URL, {"date": day}).content.decode()
        for secret in (
            NAME,
            PHONE,
            TEXT,
            complaint.tracking_code,
            complaint.case_no,
            REPLY["reply_opinion"],
            "核查员的内部意见",
            "已整改",
            ".jpg",
        ):
            assert secret not in body, secret


def test_links_to_previous_days_and_the_bureau_filter(
    day_cases: dict[str, Any], other_district: Any
) -> None:
    response = Client().get(URL, {"date": "2026-06-03"})
    body = response.content.decode()
    assert "?date=2026-06-02" in body and "?date=2026-05-27" in body
    assert "?date=2026-06-04" in body  # the next day, not in the future
    assert {b.code for b in response.context["bureaus"]} >= {"TY", "XD", "YZ"}
    assert len(items(Client().get(URL, {"date": "2026-06-03", "bureau": "XD"}))) == 3
    assert items(Client().get(URL, {"date": "2026-06-03", "bureau": "YZ"})) == {}


def test_bad_input_is_a_clear_error(db: Any) -> None:
    response = Client().get(URL, {"date": "2026-13-45"})
    assert response.status_code == 400
    assert "日期格式不正确" in response.content.decode()
    future = Client().get(URL, {"date": "2999-01-01"})
    assert future.status_code == 400
    assert Client().get(URL, {"bureau": "NOPE"}).status_code == 400
    assert Client().post(URL).status_code == 405


def test_today_by_default(db: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.context["day"] == response.context["today"]
    assert "当日没有办结或阶段性办结的事项" in response.content.decode()


def test_a_penalty_decision_is_a_stage_with_its_title_and_state_only(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    from tests.enforcement.field import reload_enf
    from tests.enforcement.test_enforcement_documents import DECIDED, NOTICE, notified_case

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
    response = Client().get(URL, {"date": DECIDED.date().isoformat()})
    listed = items(response)
    assert listed[case.title].kind == "enforcement"
    assert (listed[case.title].status, listed[case.title].result) == ("stage", "已决定待送达")
    body = response.content.decode()
    for secret in ("罚款人民币二十万元", "书面放弃", case.case_no, inspector.get_full_name()):
        assert secret not in body
