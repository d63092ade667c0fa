"""Status codes mean one thing on the web, in the engine and in the API: 404 outside a person's
reach, 403 for a step they may never take here, 400 for a condition not met now, 409 for a
case that has moved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories import MONDAY, assign_to, client_for, open_item, reload
from workflow.transitions import (
    InvalidTransition,
    TransitionConflict,
    TransitionDenied,
    transition_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rectifying(dispatcher: Any, district: Any, town: Any, handler: Any) -> Any:
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    transition_case(reload(case), "sign", actor=handler, now=MONDAY)
    return reload(case)


def test_a_step_the_person_may_never_take_is_403_whatever_its_conditions(
    rectifying: Any, handler: Any
) -> None:
    # The handler may never decide an extension, and none is pending either: the right comes
    # first, so the answer is "no right", not "not now".
    with pytest.raises(TransitionDenied):
        transition_case(rectifying, "approve_extension", actor=handler, now=MONDAY)


def test_a_step_the_person_may_take_but_not_now_is_400(rectifying: Any, supervisor: Any) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition_case(rectifying, "approve_extension", actor=supervisor, now=MONDAY)
    assert refused.value.message == "当前不满足“批准延期”的条件。"


def test_a_step_the_last_event_took_away_is_a_conflict(rectifying: Any, handler: Any) -> None:
    # 签收 again: another handler signed first (a race's loser, or a page read before it).
    with pytest.raises(TransitionConflict) as conflict:
        transition_case(rectifying, "sign", actor=handler, now=MONDAY)
    assert conflict.value.message == (
        "案件已由“已交办”变为“整改中”，不能再执行“签收”，请刷新后查看。"
    )


def test_a_step_the_case_was_never_ready_for_is_400(rectifying: Any, dispatcher: Any) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition_case(rectifying, "assign", actor=dispatcher, now=MONDAY)
    assert refused.value.message == "当前状态下不能执行此操作。"


def test_the_web_panel_answers_with_the_same_codes(
    rectifying: Any, handler: Any, supervisor: Any, dispatcher: Any
) -> None:
    url = f"/cases/{rectifying.pk}/transitions/approve_extension/"
    assert client_for(handler).get(url).status_code == 403
    assert client_for(supervisor).get(url).status_code == 400
    base = f"/cases/{rectifying.pk}/transitions"
    assert client_for(handler).get(f"{base}/sign/").status_code == 409
    assert client_for(dispatcher).get(f"{base}/assign/").status_code == 400


def test_the_api_answers_with_the_same_codes(
    rectifying: Any, handler: Any, supervisor: Any, dispatcher: Any, outsider: Any
) -> None:
    def post(user: Any, name: str, **body: Any) -> Any:
        return client_for(user).post(
            f"/api/cases/{rectifying.pk}/transitions/{name}/",
            json.dumps(body),
            content_type="application/json",
        )

    assert post(handler, "approve_extension").status_code == 403
    assert post(supervisor, "approve_extension").status_code == 400
    assert post(handler, "sign").status_code == 409
    assert post(dispatcher, "assign").status_code == 400
    assert post(outsider, "assign").status_code == 404
    # A step the case type does not have, or a slug that is no name at all: JSON 404.
    for name in ("fly_away", "Not-A-Slug.1"):
        missing = post(dispatcher, name)
        assert missing.status_code == 404
        assert "没有这项操作" in missing.json()["detail"]
    # The state the client last read, when it has moved since: 409, nothing written.
    moved = post(handler, "record_progress", expected_state="assigned", note="进展")
    assert moved.status_code == 409
    # A malformed body: 400 with a detail and the fields' errors.
    bad = post(handler, "record_progress", payload="not an object")
    assert bad.status_code == 400
    assert bad.json()["detail"] and "payload" in bad.json()["errors"]
