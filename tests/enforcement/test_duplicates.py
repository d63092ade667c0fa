"""Repeat complaints: which open complaint a new one is suggested to repeat, and what merging
does (both records kept and linked, the original's repeat count, the ladder: 2nd → 督办,
3rd → 提级办理)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pytest

from enforcement.complaints.duplicates import (
    EARTH_RADIUS_METRES,
    distance_metres,
    suggest_originals,
    suggestions_for,
    target_key,
)
from enforcement.complaints.forms import MergeForm
from enforcement.models import Complaint, ComplaintState
from enforcement.validators import uscc_check_char
from tests.factories import (
    MONDAY,
    assigned_complaint,
    file_complaint,
    later,
    reload,
    reply_to_complaint,
)
from workflow.models import CaseEvent, CaseLink, Escalation, Notice
from workflow.models.escalation import EscalationStatus, Rung
from workflow.transitions import InvalidTransition, transition_case

pytestmark = pytest.mark.django_db

USCC = "91140105MA0KB7R2X" + uscc_check_char("91140105MA0KB7R2X")
LAT, LNG = Decimal("37.690000"), Decimal("112.620000")


def north_of(metres: float) -> tuple[Decimal, Decimal]:
    """A point `metres` due north of (LAT, LNG), on the sphere duplicates.py measures on."""
    degrees = math.degrees(metres / EARTH_RADIUS_METRES)
    return (LAT + Decimal(degrees).quantize(Decimal("0.000001")), LNG)


def suggested(complaint: Complaint) -> set[int]:
    return {c.pk for c in suggest_originals(complaint)}


def merge(duplicate: Any, original: Any, *, intake: Any, now: dt.datetime) -> Any:
    return transition_case(
        reload(duplicate),
        "merge",
        actor=intake,
        payload={"original": original.case_no},
        now=now,
    )


# --- suggestions ---------------------------------------------------------------------------------


def test_the_same_credit_code_is_suggested_whatever_the_name(district: Any) -> None:
    original = file_complaint(jurisdiction=district, target_name="甲公司", target_uscc=USCC)
    repeat = file_complaint(
        jurisdiction=district, target_name="完全不同的名字", target_uscc=USCC, now=later(3)
    )
    other = file_complaint(jurisdiction=district, target_name="乙企业", now=later(3))
    assert suggested(repeat) == {original.pk}
    assert original.pk not in suggested(other)


@pytest.mark.parametrize(
    "written",
    [
        "太原某某化工有限公司",
        "太原某某化工公司",
        "太原某某化工",
        "太原 某某 化工有限公司",
        "太原某某化工（有限公司）",
        "ＡＢＣ太原某某化工有限公司",
    ],
)
def test_a_folded_name_is_suggested(district: Any, written: str) -> None:
    prefix = "ABC" if written.startswith("ＡＢＣ") else ""
    original = file_complaint(jurisdiction=district, target_name=f"{prefix}太原某某化工有限公司")
    repeat = file_complaint(jurisdiction=district, target_name=written, now=later(1))
    assert repeat.target_key == original.target_key
    assert suggested(repeat) == {original.pk}


def test_folding_is_width_case_space_and_legal_form_blind() -> None:
    assert target_key("ＡＢＣ 化工 有限公司") == target_key("abc化工") == "abc化工"
    assert target_key("晋阳食品股份有限公司") == target_key("晋阳食品") == "晋阳食品"
    # A name that is only a legal form is kept whole, so "公司" does not match every company.
    assert target_key("公司") == "公司"
    assert target_key("") == ""


def test_a_point_199_m_away_is_suggested_and_201_m_is_not(district: Any) -> None:
    original = file_complaint(
        jurisdiction=district, target_name="", latitude=LAT, longitude=LNG, location="某路口"
    )
    near_lat, near_lng = north_of(199)
    far_lat, far_lng = north_of(201)
    assert 198.8 < distance_metres(LAT, LNG, near_lat, near_lng) < 199.5
    assert 200.5 < distance_metres(LAT, LNG, far_lat, far_lng) < 201.2

    near = file_complaint(
        jurisdiction=district, target_name="", latitude=near_lat, longitude=near_lng, now=later(1)
    )
    far = file_complaint(
        jurisdiction=district, target_name="", latitude=far_lat, longitude=far_lng, now=later(1)
    )
    assert original.pk in suggested(near)
    assert original.pk not in suggested(far)


def test_a_point_is_compared_only_when_both_have_coordinates(district: Any) -> None:
    file_complaint(jurisdiction=district, target_name="", location="某路口")
    with_point = file_complaint(
        jurisdiction=district, target_name="", latitude=LAT, longitude=LNG, now=later(1)
    )
    assert suggested(with_point) == set()


def test_the_category_must_match(district: Any) -> None:
    file_complaint(jurisdiction=district, category="water", target_uscc=USCC)
    noise = file_complaint(jurisdiction=district, category="noise", target_uscc=USCC, now=later(1))
    assert suggested(noise) == set()


def test_the_window_is_90_days_to_the_second(district: Any) -> None:
    original = file_complaint(jurisdiction=district, now=MONDAY)
    inside = file_complaint(jurisdiction=district, now=MONDAY + dt.timedelta(days=90))
    outside = file_complaint(jurisdiction=district, now=MONDAY + dt.timedelta(days=90, seconds=1))
    assert original.pk in suggested(inside)
    assert original.pk not in suggested(outside)


def test_ended_and_merged_complaints_are_no_originals(
    district: Any, town: Any, intake: Any, dispatcher: Any
) -> None:
    rejected = file_complaint(jurisdiction=district)
    transition_case(
        rejected,
        "reject",
        actor=intake,
        payload={"reason": "outside", "public_reason": "不属于本机关职责"},
        now=later(hours=1),
    )
    redirected = file_complaint(jurisdiction=district)
    transition_case(
        redirected,
        "redirect",
        actor=intake,
        payload={"redirect_to": "人民法院", "public_reason": "请通过诉讼解决"},
        now=later(hours=1),
    )
    original = file_complaint(jurisdiction=district)
    merged = file_complaint(jurisdiction=district, now=later(1))
    merge(merged, original, intake=intake, now=later(1, 1))
    # An accepted one in the loop is still an original.
    newest = file_complaint(jurisdiction=district, now=later(2))
    assert suggested(newest) == {original.pk}
    reply_to_complaint(
        original, intake=intake, dispatcher=dispatcher, unit=town, stop_at="assigned"
    )
    assert suggested(newest) == {original.pk}


def test_a_closed_complaint_is_no_original(
    district: Any, people: dict[str, Any], closed: Complaint
) -> None:
    repeat = file_complaint(jurisdiction=district, now=later(12))
    assert closed.pk not in suggested(repeat)


def test_the_triage_page_suggests_only_what_the_clerk_may_see(
    district: Any, other_district: Any, intake: Any
) -> None:
    mine = file_complaint(jurisdiction=district, target_uscc=USCC)
    theirs = file_complaint(jurisdiction=other_district, target_uscc=USCC)
    repeat = file_complaint(jurisdiction=district, target_uscc=USCC, now=later(1))
    assert suggested(repeat) == {mine.pk, theirs.pk}
    assert {c.pk for c in suggestions_for(repeat, intake)} == {mine.pk}


# --- merging ------------------------------------------------------------------------------------


def test_merging_keeps_both_records_and_links_them_on_both_timelines(
    district: Any, intake: Any
) -> None:
    original = file_complaint(jurisdiction=district)
    repeat = file_complaint(jurisdiction=district, now=later(2))
    merge(repeat, original, intake=intake, now=later(2, 1))

    repeat, original = reload(repeat), reload(original)
    assert repeat.state == ComplaintState.MERGED and repeat.merged_into_id == original.pk
    assert original.state == ComplaintState.REGISTERED
    assert original.repeat_count == 1 and original.submission_number == 2
    link = CaseLink.objects.get(from_case=repeat, to_case=original)
    assert link.kind == "duplicate_of" and link.created_by == intake
    for case, other in ((repeat, original), (original, repeat)):
        event = CaseEvent.objects.get(case=case, transition="link")
        assert event.payload["other_case"] == other.case_no
    # Merged items stay countable: their own rows, numbers and codes.
    merged = Complaint.objects.filter(state="merged")
    assert list(merged) == [repeat]
    assert repeat.case_no != original.case_no and repeat.tracking_code != original.tracking_code


def test_the_second_complaint_is_supervised_and_the_third_elevated(
    district: Any, town: Any, intake: Any, dispatcher: Any, handler: Any
) -> None:
    original = assigned_complaint(
        jurisdiction=district, intake=intake, dispatcher=dispatcher, unit=town
    )
    second = file_complaint(jurisdiction=district, now=later(3))
    merge(second, original, intake=intake, now=later(3, 1))

    original = reload(original)
    supervise = Escalation.objects.get(case=original, rung=Rung.SUPERVISE)
    assert supervise.status == EscalationStatus.FIRED and supervise.deadline is None
    assert "第2次" in supervise.note
    assert original.escalation_level == original.escalation_floor == Rung.SUPERVISE
    notice = Notice.objects.get(case=original, kind="supervise")
    assert notice.addressee == town and notice.escalation == supervise
    assert notice.response_due is not None
    assert original.events.filter(transition="escalate", payload__rung=int(Rung.SUPERVISE))

    third = file_complaint(jurisdiction=district, now=later(4))
    merge(third, original, intake=intake, now=later(4, 1))
    original = reload(original)
    assert original.repeat_count == 2
    elevate = Escalation.objects.get(case=original, rung=Rung.ELEVATE)
    assert elevate.status == EscalationStatus.FIRED and "第3次" in elevate.note
    listed = Escalation.objects.get(case=original, rung=Rung.LISTED)
    assert listed.status == EscalationStatus.SUGGESTED
    assert original.escalation_level == original.escalation_floor == Rung.ELEVATE

    # The floor holds through the loop's later transitions, which re-plan the deadlines.
    transition_case(original, "sign", actor=handler, now=later(5))
    original = reload(original)
    assert original.state == "rectifying"
    assert original.escalation_level == Rung.ELEVATE


def test_a_repeat_of_a_registered_complaint_climbs_without_a_notice(
    district: Any, intake: Any
) -> None:
    original = file_complaint(jurisdiction=district)
    merge(
        file_complaint(jurisdiction=district, now=later(1)), original, intake=intake, now=later(2)
    )
    original = reload(original)
    assert original.escalation_level == Rung.SUPERVISE
    # No responsible unit yet: nobody to address a 《督办单》 to.
    assert not Notice.objects.filter(case=original).exists()


def test_merging_into_a_merged_complaint_reaches_its_root(district: Any, intake: Any) -> None:
    root = file_complaint(jurisdiction=district)
    middle = file_complaint(jurisdiction=district, now=later(1))
    merge(middle, root, intake=intake, now=later(1, 1))
    last = file_complaint(jurisdiction=district, now=later(2))
    merge(last, middle, intake=intake, now=later(2, 1))

    assert reload(last).merged_into_id == root.pk
    assert reload(root).repeat_count == 2
    assert reload(middle).repeat_count == 0
    assert CaseLink.objects.filter(from_case=last, to_case=root).exists()


def test_a_complaint_cannot_be_merged_into_itself(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district)
    with pytest.raises(InvalidTransition) as caught:
        merge(complaint, complaint, intake=intake, now=later(1))
    assert caught.value.errors["original"] == ["不能合并到本件自身。"]
    assert reload(complaint).state == ComplaintState.REGISTERED


def test_a_closed_or_rejected_complaint_is_refused_as_an_original(
    district: Any, intake: Any, closed: Complaint
) -> None:
    repeat = file_complaint(jurisdiction=district, now=later(12))
    with pytest.raises(InvalidTransition) as caught:
        merge(repeat, closed, intake=intake, now=later(12, 1))
    assert caught.value.errors["original"] == [
        f"{closed.case_no} 已办结或不在办理中，不能作为原件；请按新件受理。"
    ]

    rejected = file_complaint(jurisdiction=district, now=later(12))
    transition_case(
        rejected,
        "reject",
        actor=intake,
        payload={"reason": "unclear", "public_reason": "内容不清"},
        now=later(12, 1),
    )
    with pytest.raises(InvalidTransition) as caught:
        merge(repeat, rejected, intake=intake, now=later(12, 2))
    assert "不能作为原件" in caught.value.errors["original"][0]
    assert reload(repeat).state == ComplaintState.REGISTERED
    assert reload(closed).repeat_count == 0


def test_the_merge_form_does_not_find_a_complaint_the_clerk_cannot_see(
    district: Any, other_district: Any, intake: Any
) -> None:
    theirs = file_complaint(jurisdiction=other_district)
    mine = file_complaint(jurisdiction=district, now=later(1))
    form = MergeForm(data={"original": theirs.case_no}, case=mine, user=intake, now=later(1, 1))
    assert not form.is_valid()
    assert form.errors["original"] == [f"找不到编号为“{theirs.case_no}”的信访投诉件。"]
    with pytest.raises(InvalidTransition):
        merge(mine, theirs, intake=intake, now=later(1, 1))
    assert reload(theirs).repeat_count == 0


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def closed(district: Any, people: dict[str, Any]) -> Complaint:
    """A complaint run to the end of the loop and rated 满意 (day 10)."""
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district),
        **people,
        at=[later(hours=1), later(hours=2), *(later(day) for day in range(1, 6))],
    )
    transition_case(
        reload(complaint), "rate", actor=None, payload={"rating": "satisfied"}, now=later(10)
    )
    complaint = reload(complaint)
    assert complaint.state == "closed"
    return complaint
