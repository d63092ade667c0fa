"""审批台: the queue of 待销号 and 延期申请, decided through the engine, in bulk where safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import photo_bytes
from tests.factories import MONDAY, assign_to, make_staff, open_item
from workflow.models import Case, CaseEvent
from workflow.roles import Role
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
QUEUE = reverse("enforcement:approvals")
BULK = reverse("enforcement:approvals_bulk")


def pic(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


def decide_url(case: Case) -> str:
    return reverse("enforcement:approvals_decide", kwargs={"pk": case.pk})


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def rectifying(dispatcher, handler, district, town, title: str = "河道排污口整治") -> Case:
    case = open_item(actor=dispatcher, jurisdiction=district, title=title)
    assign_to(case, dispatcher=dispatcher, unit=town)
    case = fresh(case).specific
    transition_case(case, "sign", actor=handler, now=MONDAY + HOUR)
    return fresh(case).specific


def pending_closure(
    dispatcher, handler, verifier, district, town, title: str = "河道排污口整治"
) -> Case:
    case = rectifying(dispatcher, handler, district, town, title)
    transition_case(
        case,
        "record_progress",
        actor=handler,
        note="清淤中",
        files=[pic("整改中.jpg")],
        now=MONDAY + 2 * HOUR,
    )
    case = fresh(case).specific
    transition_case(
        case,
        "report",
        actor=handler,
        note="已整改",
        files=[pic("整改后.jpg")],
        now=MONDAY + 3 * HOUR,
    )
    case = fresh(case).specific
    transition_case(case, "start_verification", actor=verifier, now=MONDAY + 4 * HOUR)
    case = fresh(case).specific
    transition_case(
        case,
        "pass_verification",
        actor=verifier,
        note="现场核查属实",
        files=[pic("核查现场.jpg")],
        now=MONDAY + 5 * HOUR,
    )
    return fresh(case).specific


def extension_requested(dispatcher, handler, district, town, days: int = 5) -> Case:
    case = rectifying(dispatcher, handler, district, town, "料场扬尘治理")
    transition_case(
        case,
        "request_extension",
        actor=handler,
        note="设备到货延迟",
        payload={"days": days},
        now=MONDAY + 2 * HOUR,
    )
    return fresh(case).specific


@pytest.fixture
def closing(dispatcher, handler, verifier, district, town) -> Case:
    return pending_closure(dispatcher, handler, verifier, district, town)


def test_the_queue_lists_exactly_the_awaiting_cases_with_their_evidence(
    client, supervisor, dispatcher, handler, verifier, district, town, closing
):
    extension = extension_requested(dispatcher, handler, district, town)
    # Not awaiting a decision: still rectifying without a request, and one already closed.
    rectifying(dispatcher, handler, district, town, "仍在整改")
    closed = pending_closure(dispatcher, handler, verifier, district, town, "已销号")
    transition_case(closed, "approve_closure", actor=supervisor, now=MONDAY + 6 * HOUR)

    client.force_login(supervisor)
    response = client.get(QUEUE)

    assert response.status_code == 200
    closures = response.context["closures"]
    extensions = response.context["extensions"]
    assert [i.case.pk for i in closures] == [closing.pk]
    assert [i.case.pk for i in extensions] == [extension.pk]
    item = closures[0]
    assert [a.original_name for a in item.after] == ["整改中.jpg", "整改后.jpg"]
    assert item.verification is not None
    assert item.verification.note == "现场核查属实"
    assert [a.original_name for a in item.verification.attachments.all()] == ["核查现场.jpg"]
    assert item.bulk_safe
    html = response.content.decode()
    for attachment in [*item.after, *item.verification.attachments.all()]:
        assert reverse("attachment", kwargs={"pk": attachment.pk}) in html
    assert "现场核查属实" in html
    assert "设备到货延迟" in html
    assert extensions[0].requested_days == 5


def test_approve_closes_the_case(client, supervisor, closing):
    client.force_login(supervisor)
    response = client.post(decide_url(closing), {"decision": "approve", "state": "pending_closure"})
    assert response.status_code == 302
    case = fresh(closing)
    assert case.state == "closed"
    assert case.events.last().transition == "approve_closure"


def test_reject_without_a_reason_is_400_and_changes_nothing(client, supervisor, closing):
    client.force_login(supervisor)
    events = closing.events.count()
    response = client.post(decide_url(closing), {"decision": "reject", "reason": "  "})
    assert response.status_code == 400
    assert "不予批准须说明理由。" in response.content.decode()
    assert fresh(closing).state == "pending_closure"
    assert closing.events.count() == events


def test_reject_with_a_reason_returns_the_case_to_verification(client, supervisor, closing):
    client.force_login(supervisor)
    response = client.post(
        decide_url(closing), {"decision": "reject", "reason": "照片未见出水口，请补充核查。"}
    )
    assert response.status_code == 302
    case = fresh(closing)
    assert case.state == "verifying"
    event = case.events.last()
    assert event.transition == "reject_closure"
    assert event.note == "照片未见出水口，请补充核查。"


def test_bulk_approve_closes_every_chosen_case(
    client, supervisor, dispatcher, handler, verifier, district, town, closing
):
    second = pending_closure(dispatcher, handler, verifier, district, town, "第二件")
    client.force_login(supervisor)
    response = client.post(BULK, {"cases": [closing.pk, second.pk]})
    assert response.status_code == 302
    assert {fresh(closing).state, fresh(second).state} == {"closed"}


def test_bulk_approve_is_all_or_nothing(
    client, supervisor, dispatcher, handler, verifier, district, town, closing
):
    # A 待销号 case with an open child case is not safe in bulk: the whole batch is refused.
    parent = pending_closure(dispatcher, handler, verifier, district, town, "多单位任务")
    child = open_item(actor=dispatcher, jurisdiction=district, title="子任务")
    Case.objects.filter(pk=child.pk).update(parent=parent)
    events = CaseEvent.objects.count()

    client.force_login(supervisor)
    response = client.post(BULK, {"cases": [closing.pk, parent.pk]})

    assert response.status_code == 400
    body = response.content.decode()
    assert parent.case_no in body
    assert "本批次均未销号" in body
    assert fresh(closing).state == "pending_closure"
    assert fresh(parent).state == "pending_closure"
    assert CaseEvent.objects.count() == events


def test_bulk_refuses_a_case_that_is_not_pending_closure(
    client, supervisor, dispatcher, handler, district, town, closing
):
    extension = extension_requested(dispatcher, handler, district, town)
    client.force_login(supervisor)
    response = client.post(BULK, {"cases": [closing.pk, extension.pk]})
    assert response.status_code == 400
    assert extension.case_no in response.content.decode()
    assert fresh(closing).state == "pending_closure"


def test_an_extension_is_approved_with_the_requested_days(
    client, supervisor, dispatcher, handler, district, town
):
    case = extension_requested(dispatcher, handler, district, town, days=5)
    before = case.rectify_due
    client.force_login(supervisor)
    response = client.post(decide_url(case), {"decision": "approve", "days": "5"})
    assert response.status_code == 302
    case = fresh(case)
    assert case.pending_extension_days is None
    assert case.rectify_due > before
    assert case.events.last().transition == "approve_extension"


def test_an_extension_beyond_the_request_is_refused_with_the_form_message(
    client, supervisor, dispatcher, handler, district, town
):
    case = extension_requested(dispatcher, handler, district, town, days=5)
    client.force_login(supervisor)
    response = client.post(decide_url(case), {"decision": "approve", "days": "9"})
    assert response.status_code == 400
    assert "批准的延期不能超过申请的 5 个工作日。" in response.content.decode()
    assert fresh(case).pending_extension_days == 5


def test_an_extension_is_refused_with_a_reason(client, leader, dispatcher, handler, district, town):
    case = extension_requested(dispatcher, handler, district, town)
    client.force_login(leader)
    assert client.post(decide_url(case), {"decision": "reject"}).status_code == 400
    response = client.post(decide_url(case), {"decision": "reject", "reason": "理由不充分"})
    assert response.status_code == 302
    case = fresh(case)
    assert case.pending_extension_days is None
    assert case.events.last().transition == "reject_extension"


def test_a_leader_sees_the_suggestions_link(client, leader):
    client.force_login(leader)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert reverse("console:suggestions") in response.content.decode()


def test_an_outsider_sees_nothing_and_cannot_decide(client, outsider, closing):
    client.force_login(outsider)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["count"] == 0
    assert closing.case_no not in response.content.decode()
    assert client.post(decide_url(closing), {"decision": "approve"}).status_code == 404
    assert client.post(BULK, {"cases": [closing.pk]}).status_code == 404
    assert fresh(closing).state == "pending_closure"


def test_a_handler_may_not_open_the_queue(client, handler):
    client.force_login(handler)
    assert client.get(QUEUE).status_code == 403


def test_a_supervisor_who_verified_the_case_neither_sees_nor_approves_it(
    client, supervisor, dispatcher, handler, district, town
):
    both = make_staff("both", district, Role.VERIFIER, Role.SUPERVISOR, name="兼任核查")
    case = pending_closure(dispatcher, handler, both, district, town)
    client.force_login(both)
    response = client.get(QUEUE)
    assert response.context["count"] == 0
    assert client.post(decide_url(case), {"decision": "approve"}).status_code == 403
    assert client.post(BULK, {"cases": [case.pk]}).status_code == 400
    assert fresh(case).state == "pending_closure"
    # Another supervisor of the district decides it.
    client.force_login(supervisor)
    assert [i.case.pk for i in client.get(QUEUE).context["closures"]] == [case.pk]


def test_the_queue_page_carries_the_nav_link(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("console:inbox"))
    assert QUEUE in response.content.decode()


def test_a_decision_on_a_case_decided_meanwhile_is_a_conflict_shown_on_top(
    client, supervisor, closing
):
    transition_case(closing, "approve_closure", actor=supervisor, now=MONDAY + 6 * HOUR)
    client.force_login(supervisor)
    response = client.post(
        decide_url(closing), {"decision": "reject", "reason": "晚了", "state": "pending_closure"}
    )
    assert response.status_code == 409
    assert "案件状态已由“待销号”变为“已销号”" in response.content.decode()
    assert fresh(closing).state == "closed"


def test_bulk_without_a_choice_is_400(client, supervisor, closing):
    client.force_login(supervisor)
    response = client.post(BULK, {})
    assert response.status_code == 400
    assert "请至少勾选一件待销号案件。" in response.content.decode()
    assert fresh(closing).state == "pending_closure"
