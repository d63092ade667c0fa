"""Every loop transition against every role: the table of DESIGN.md §5, checked row by row.

For each transition: the role that owns it succeeds; each other role of the same district is
refused; the owning role of another district is told the case does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import MONDAY, make_staff, open_item
from workflow.models import Case
from workflow.roles import Role
from workflow.transitions import CaseNotFound, InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db
T = MONDAY + dt.timedelta(hours=1)

# transition → (state it leaves, role that may take it, payload, note, needs a photo)
MATRIX: dict[str, tuple[str, Role, dict[str, Any], str, bool]] = {
    "assign": (
        "pending_assignment",
        Role.DISPATCHER,
        {"responsible_unit": "town", "rectify_period": 5},
        "",
        False,
    ),
    "sign": ("assigned", Role.HANDLER, {}, "", False),
    "object": ("assigned", Role.HANDLER, {}, "不属本单位", False),
    "reassign": (
        "objected",
        Role.DISPATCHER,
        {"responsible_unit": "town", "rectify_period": 5},
        "",
        False,
    ),
    "record_progress": ("rectifying", Role.HANDLER, {}, "进展", True),
    "report": ("rectifying", Role.HANDLER, {}, "完成", True),
    "request_extension": ("rectifying", Role.HANDLER, {"days": 3}, "原因", False),
    "approve_extension": ("rectifying+ext", Role.SUPERVISOR, {"days": 3}, "", False),
    "reject_extension": ("rectifying+ext", Role.SUPERVISOR, {}, "不同意", False),
    "start_verification": ("reported", Role.VERIFIER, {}, "", False),
    "pass_verification": ("verifying", Role.VERIFIER, {}, "属实", False),
    "fail_verification": ("verifying", Role.VERIFIER, {"rectify_period": 3}, "未整改", False),
    "approve_closure": ("pending_closure", Role.SUPERVISOR, {}, "", False),
    "reject_closure": ("pending_closure", Role.SUPERVISOR, {}, "补充材料", False),
}

# The path from a new case to each starting state, as (transition, actor persona, payload, note).
PATHS: dict[str, list[tuple[str, str, dict[str, Any], str]]] = {
    "pending_assignment": [],
    "assigned": [("assign", "dispatcher", {"responsible_unit": "town", "rectify_period": 5}, "")],
}
PATHS["objected"] = [*PATHS["assigned"], ("object", "handler", {}, "异议")]
PATHS["rectifying"] = [*PATHS["assigned"], ("sign", "handler", {}, "")]
PATHS["rectifying+ext"] = [
    *PATHS["rectifying"],
    ("request_extension", "handler", {"days": 3}, "原因"),
]
PATHS["reported"] = [*PATHS["rectifying"], ("report", "handler", {}, "完成")]
PATHS["verifying"] = [*PATHS["reported"], ("start_verification", "verifier", {}, "")]
PATHS["pending_closure"] = [*PATHS["verifying"], ("pass_verification", "verifier", {}, "属实")]


@pytest.fixture
def people(
    dispatcher, handler, verifier, supervisor, outsider, district, town, other_district
) -> dict[str, Any]:
    """One person per role of the district (handlers in the town), plus other-district staff."""
    staff = {
        "dispatcher": dispatcher,
        "handler": handler,
        "verifier": verifier,
        "supervisor": supervisor,
    }
    for role in Role:
        staff.setdefault(role.value, make_staff(f"x_{role.value}", district, role))
    staff["town"] = town
    staff["other"] = {
        Role.HANDLER: make_staff("yz_handler", other_district, Role.HANDLER),
        Role.DISPATCHER: outsider,
        Role.VERIFIER: outsider,
        Role.SUPERVISOR: outsider,
    }
    return staff


def resolve(payload: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    return {k: (people["town"].pk if v == "town" else v) for k, v in payload.items()}


def case_in(state: str, people: dict[str, Any], photo_factory: Callable[[], Any]) -> Case:
    case: Case = open_item(actor=people["dispatcher"], jurisdiction=people["town"].parent)
    for name, persona, payload, note in PATHS[state]:
        files = [photo_factory()] if name == "report" else []
        transition_case(
            case,
            name,
            actor=people[persona],
            payload=resolve(payload, people),
            note=note,
            files=files,
            now=MONDAY,
        )
        case = Case.objects.get(pk=case.pk).specific
    return case


@pytest.fixture
def photo_factory() -> Callable[[], Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import photo_bytes

    return lambda: SimpleUploadedFile("p.jpg", photo_bytes(), content_type="image/jpeg")


def attempt(case: Case, name: str, actor: Any, people: dict[str, Any], photo_factory: Any) -> Any:
    _state, _role, payload, note, photo = MATRIX[name]
    files = [photo_factory()] if photo else []
    return transition_case(
        case, name, actor=actor, payload=resolve(payload, people), note=note, files=files, now=T
    )


@pytest.mark.parametrize("name", list(MATRIX))
def test_the_owning_role_may_take_the_transition(name, people, photo_factory):
    state, role, *_ = MATRIX[name]
    case = case_in(state, people, photo_factory)
    event = attempt(case, name, people[role.value], people, photo_factory)
    assert event.transition == name


@pytest.mark.parametrize("name", list(MATRIX))
def test_every_other_role_of_the_district_is_refused(name, people, photo_factory):
    state, owner, *_ = MATRIX[name]
    allowed = {owner}
    if name in {"approve_extension", "reject_extension"}:
        allowed.add(Role.LEADER)
    for role in Role:
        if role in allowed:
            continue
        case = case_in(state, people, photo_factory)
        with pytest.raises((TransitionDenied, CaseNotFound, InvalidTransition)) as refused:
            attempt(case, name, people[role.value], people, photo_factory)
        assert (
            not isinstance(refused.value, InvalidTransition) or "files" not in refused.value.errors
        ), role
        assert Case.objects.get(pk=case.pk).state == case.state, role


@pytest.mark.parametrize("name", list(MATRIX))
def test_the_owning_role_of_another_district_is_told_the_case_does_not_exist(
    name, people, photo_factory
):
    state, role, *_ = MATRIX[name]
    case = case_in(state, people, photo_factory)
    with pytest.raises(CaseNotFound):
        attempt(case, name, people["other"][role], people, photo_factory)
    assert Case.objects.get(pk=case.pk).state == case.state
