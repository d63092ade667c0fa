"""Multi-unit tasks and linked cases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import MONDAY, UnitFactory, open_item
from workflow.models import Case, CaseLink, LinkKind, UnitKind
from workflow.relations import link_cases, open_child_case, open_children
from workflow.transitions import CaseNotFound, InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_a_dispatcher_splits_a_task_to_a_second_unit(dispatcher, district, town):
    # given a task shared by two towns
    second_town = UnitFactory(code="XD-LJP", name="刘家堡乡", kind=UnitKind.TOWN, parent=district)
    parent = open_item(actor=dispatcher, jurisdiction=district, title="汾河支流沿岸垃圾清理")
    # when the dispatcher opens a child case for the second town
    child = open_child_case(
        parent, actor=dispatcher, responsible_unit=second_town, rectify_period=10, now=MONDAY
    )
    # then the child is numbered, assigned and shown on the parent's timeline
    assert child.parent_id == parent.pk
    assert child.state == "assigned"
    assert child.responsible_unit == second_town
    assert child.title == "汾河支流沿岸垃圾清理（刘家堡乡）"
    last = parent.events.order_by("-seq").first()
    assert last.transition == "child_opened"
    assert last.payload["child"] == child.case_no
    assert open_children(parent) == [Case.objects.get(pk=child.pk)]


def test_a_parent_is_not_closed_while_a_child_is_open(
    dispatcher, handler, verifier, supervisor, district, town, photo
):
    parent = open_item(actor=dispatcher, jurisdiction=district)
    child = open_child_case(
        parent, actor=dispatcher, responsible_unit=town, rectify_period=10, now=MONDAY
    )
    # The co-unit reports (the lead unit's 反馈 waits for it), but its case stays open.
    transition_case(child, "sign", actor=handler, now=MONDAY)
    transition_case(
        Case.objects.get(pk=child.pk).specific,
        "report",
        actor=handler,
        note="完成",
        files=[photo],
        now=MONDAY,
    )
    photo.seek(0)
    steps = [
        ("assign", dispatcher, {"responsible_unit": town.pk, "rectify_period": 10}, "", []),
        ("sign", handler, {}, "", []),
        ("report", handler, {}, "完成", [photo]),
        ("start_verification", verifier, {}, "", []),
        ("pass_verification", verifier, {}, "属实", []),
    ]
    for name, actor, payload, note, files in steps:
        transition_case(
            Case.objects.get(pk=parent.pk).specific,
            name,
            actor=actor,
            payload=payload,
            note=note,
            files=files,
            now=MONDAY + HOUR,
        )
    with pytest.raises(InvalidTransition):
        transition_case(
            Case.objects.get(pk=parent.pk).specific,
            "approve_closure",
            actor=supervisor,
            now=MONDAY + 2 * HOUR,
        )


def test_only_a_dispatcher_splits(handler, dispatcher, verifier, district, town):
    parent = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(TransitionDenied):
        open_child_case(parent, actor=verifier, responsible_unit=town, rectify_period=5, now=MONDAY)


def test_a_link_shows_on_both_timelines(dispatcher, district):
    first = open_item(actor=dispatcher, jurisdiction=district, title="夜间噪声扰民")
    second = open_item(actor=dispatcher, jurisdiction=district, title="夜间噪声扰民（重复）")
    link_cases(
        second, first, kind=LinkKind.DUPLICATE_OF, actor=dispatcher, note="同人同事", now=MONDAY
    )
    assert CaseLink.objects.get().kind == LinkKind.DUPLICATE_OF
    for case, other in ((first, second), (second, first)):
        event = case.events.order_by("-seq").first()
        assert (event.transition, event.payload["other_case"]) == ("link", other.case_no)
        assert event.payload["link_kind"] == "重复件"
    with pytest.raises(InvalidTransition):
        link_cases(second, first, kind=LinkKind.DUPLICATE_OF, actor=dispatcher, now=MONDAY)


def test_nobody_links_a_case_they_cannot_see(dispatcher, outsider, district, other_district):
    mine = open_item(actor=dispatcher, jurisdiction=district)
    theirs = open_item(actor=outsider, jurisdiction=other_district)
    with pytest.raises(CaseNotFound):
        link_cases(mine, theirs, kind=LinkKind.RELATED, actor=dispatcher, now=MONDAY)
    assert not CaseLink.objects.exists()


def test_the_timeline_names_a_link_in_chinese(dispatcher, district):
    from workflow.selectors import timeline

    first = open_item(actor=dispatcher, jurisdiction=district)
    second = open_item(actor=dispatcher, jurisdiction=district)
    link_cases(second, first, kind=LinkKind.DOUBLE_INVESTIGATION, actor=dispatcher, now=MONDAY)
    entry = timeline(first)[-1]
    assert entry.label == "关联案件"
    assert [(row.label, row.value) for row in entry.details] == [
        ("关联类型", "一案双查"),
        ("关联案件", second.case_no),
    ]
