"""现场检查 on a phone: log an inspection in one step (record, checklist, photos), verify a
complaint from it, the inspection's panel and the enterprise page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from enforcement.inspections.forms import CHECKLIST
from enforcement.inspections.services import log_inspection, schedule_inspection
from enforcement.models import (
    Complaint,
    Inspection,
    InspectionState,
    InspectionType,
    InspectorCredential,
)
from tests.conftest import photo_bytes
from tests.enforcement.field import (
    at,
    issue_order,
    make_enterprise,
    make_inspector,
    open_clue,
    record_payload,
)
from tests.factories import client_for, file_complaint, make_staff, reload, reply_to_complaint
from workflow.models import Attachment, Case
from workflow.roles import Role

pytestmark = pytest.mark.django_db

NEW = "/enforcement/inspections/new/"
NOW = at(dt.date(2026, 9, 10), 11)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def post_data(inspectors: list[Any], **extra: Any) -> dict[str, Any]:
    data = record_payload(inspectors, problems=("discharge",), findings="总排口废水颜色异常")
    data["note_discharge"] = "总排口水样浑浊"
    return {**data, "type": InspectionType.DAILY, **extra}


def photos(n: int = 2) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"现场{i}.jpg", photo_bytes(), content_type="image/jpeg")
        for i in range(n)
    ]


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- the form -----------------------------------------------------------------------------------


def test_the_form_is_made_for_a_phone(inspector: Any, factory_site: Any) -> None:
    response = client_for(inspector).get(NEW, {"enterprise": factory_site.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert factory_site.name in page
    assert 'accept="image/*" capture="environment" multiple' in page
    # The checklist as radio groups, 符合 preselected; the inspector is ticked by default.
    for code, _label in CHECKLIST:
        assert f'type="radio" name="check_{code}" value="ok"' in page
        assert f'name="note_{code}"' in page
    assert re.search(rf'name="inspectors" value="{inspector.pk}"[^>]*checked', page)
    assert "inspections/inspections.css" in page
    # The times are prefilled in Beijing time: the last hour, up to now (11:00).
    assert 'name="started_at" value="2026-09-10T10:00"' in page
    assert 'name="ended_at" value="2026-09-10T11:00"' in page


def test_without_an_enterprise_the_inspector_picks_one_of_the_bureau(
    inspector: Any, factory_site: Any, other_district: Any
) -> None:
    elsewhere = make_enterprise(other_district, name="迎泽区某某火锅")
    page = client_for(inspector).get(NEW).content.decode()
    assert factory_site.name in page and elsewhere.name not in page
    assert 'name="check_eia"' not in page  # the record comes once the enterprise is chosen
    # The chosen enterprise outside the bureau is a 404, not a form.
    assert client_for(inspector).get(NEW, {"enterprise": elsewhere.pk}).status_code == 404


def test_people_who_do_not_inspect_may_not_log(
    dispatcher: Any, verifier: Any, factory_site: Any
) -> None:
    """A dispatcher does not inspect; a 核查员 does, but only holding a 执法证."""
    assert client_for(dispatcher).get(NEW, {"enterprise": factory_site.pk}).status_code == 403
    assert client_for(verifier).get(NEW, {"enterprise": factory_site.pk}).status_code == 403
    InspectorCredential.objects.create(user=verifier, number="14010099")
    assert client_for(verifier).get(NEW, {"enterprise": factory_site.pk}).status_code == 200


def test_an_outsider_gets_404(outsider: Any, factory_site: Any) -> None:
    outsider.groups.add(Group.objects.get_or_create(name=Role.INSPECTOR.value)[0])
    InspectorCredential.objects.create(user=outsider, number="14010699")
    client = client_for(outsider)
    assert client.get(NEW, {"enterprise": factory_site.pk}).status_code == 404
    assert Inspection.objects.count() == 0


# --- logging ------------------------------------------------------------------------------------


def test_logging_with_two_photos(inspector: Any, inspector2: Any, factory_site: Any) -> None:
    client = client_for(inspector)
    data = {**post_data([inspector, inspector2]), "files": photos(2)}
    response = client.post(f"{NEW}?enterprise={factory_site.pk}", data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:case_detail", kwargs={"pk": inspection.pk})
    assert inspection.state == InspectionState.COMPLETED
    assert inspection.enterprise == factory_site
    assert inspection.inspection_type == InspectionType.DAILY
    assert inspection.record_no and inspection.problem_found
    assert set(inspection.inspectors.all()) == {inspector, inspector2}
    by_code = {line["code"]: line for line in inspection.checklist}
    assert by_code["discharge"]["result"] == "problem"
    assert by_code["discharge"]["note"] == "总排口水样浑浊"
    attachments = list(Attachment.objects.filter(case=inspection))
    assert len(attachments) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", a.sha256) for a in attachments)
    assert all(a.event.transition == "record" for a in attachments)

    # The case page shows the panel: the record number, the PDF one click away, the checklist.
    page = client.get(response["Location"]).content.decode()
    assert inspection.record_no in page
    assert reverse("enforcement:inspection_record_pdf", kwargs={"pk": inspection.pk}) in page
    assert "总排口水样浑浊" in page and "14010002" in page


def test_a_second_inspector_missing_saves_nothing(
    inspector: Any, factory_site: Any, photo: Any
) -> None:
    client = client_for(inspector)
    data = {**post_data([inspector]), "files": [photo]}
    response = client.post(f"{NEW}?enterprise={factory_site.pk}", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "现场检查须由两名以上执法人员进行" in page
    assert "总排口废水颜色异常" in page  # the findings are kept
    assert "浏览器不会保留已选择的文件" in page
    assert Inspection.objects.count() == 0 and Attachment.objects.count() == 0


def test_an_end_before_the_start_is_an_error_beside_the_field(
    inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    data = post_data([inspector, inspector2], started_at="2026-09-10T10:00")
    data["ended_at"] = "2026-09-10T09:00"
    response = client_for(inspector).post(f"{NEW}?enterprise={factory_site.pk}", data)
    assert response.status_code == 400
    assert "结束时间不能早于开始时间" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_the_enterprise_can_be_chosen_in_the_form(
    inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    data = {**post_data([inspector, inspector2]), "enterprise": factory_site.pk}
    response = client_for(inspector).post(NEW, data)
    assert response.status_code == 302
    assert Inspection.objects.get().enterprise == factory_site


# --- verifying a complaint ----------------------------------------------------------------------


@pytest.fixture
def field_verifier(district: Any) -> Any:
    """A 核查员 of the district who inspects too, with a 执法证."""
    return make_inspector("fieldverifier", district, "14010009", Role.VERIFIER)


@pytest.fixture
def reported(district: Any, people: dict[str, Any]) -> Complaint:
    """A complaint whose handler reported the rectification (已反馈), five days ago."""
    start = NOW - dt.timedelta(days=10)
    return reply_to_complaint(
        file_complaint(jurisdiction=district, now=start),
        **people,
        start=start,
        stop_at="reported",
    )


def test_an_inspection_completes_the_complaints_verification(
    field_verifier: Any, inspector: Any, factory_site: Any, reported: Complaint
) -> None:
    client = client_for(field_verifier)
    url = f"{NEW}?enterprise={factory_site.pk}&subject={reported.pk}"
    page = client.get(url).content.decode()
    assert "核查结论" in page and reported.case_no in page
    assert 'value="complaint" selected' in page  # the type follows the subject

    data = {
        **post_data([field_verifier, inspector], findings="已停止排放，整改到位"),
        "type": InspectionType.COMPLAINT,
        "conclusion": "pass",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.subject_case_id == reported.pk
    complaint = reload(reported)
    assert complaint.state == "pending_closure"
    assert complaint.verifier == field_verifier
    last = complaint.events.order_by("-pk").first()
    assert last.transition == "pass_verification" and inspection.record_no in last.note


def test_a_failed_verification_returns_with_a_new_deadline(
    field_verifier: Any, inspector: Any, factory_site: Any, reported: Complaint
) -> None:
    url = f"{NEW}?enterprise={factory_site.pk}&subject={reported.pk}"
    data = {
        **post_data([field_verifier, inspector]),
        "type": InspectionType.COMPLAINT,
        "conclusion": "fail",
        "rectify_due": "2026-09-30",
    }
    response = client_for(field_verifier).post(url, data)
    assert response.status_code == 302
    complaint = reload(reported)
    assert complaint.state == "rectifying"
    assert complaint.rectify_due == dt.date(2026, 9, 30)


def test_a_failed_verification_without_a_deadline_saves_nothing(
    field_verifier: Any, inspector: Any, factory_site: Any, reported: Complaint
) -> None:
    url = f"{NEW}?enterprise={factory_site.pk}&subject={reported.pk}"
    data = {
        **post_data([field_verifier, inspector]),
        "type": InspectionType.COMPLAINT,
        "conclusion": "fail",
    }
    response = client_for(field_verifier).post(url, data)
    assert response.status_code == 400
    assert "请填写整改时限或指定整改期限" in response.content.decode()
    assert Inspection.objects.count() == 0
    assert reload(reported).state == "reported"


def test_someone_elses_verification_is_refused(
    district: Any, field_verifier: Any, factory_site: Any, reported: Complaint
) -> None:
    from workflow.transitions import transition_case

    other = make_staff("verifier2", district, Role.VERIFIER, name="另一核查员")
    transition_case(reported, "start_verification", actor=other, now=NOW)
    url = f"{NEW}?enterprise={factory_site.pk}&subject={reported.pk}"
    assert client_for(field_verifier).get(url).status_code == 403


def test_a_subject_the_user_cannot_see_is_404(
    outsider: Any, other_district: Any, reported: Complaint
) -> None:
    outsider.groups.add(Group.objects.get_or_create(name=Role.INSPECTOR.value)[0])
    InspectorCredential.objects.create(user=outsider, number="14020001")
    elsewhere = make_enterprise(other_district, name="迎泽区某某火锅")
    url = f"{NEW}?enterprise={elsewhere.pk}&subject={reported.pk}"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(f"{NEW}?subject=abc").status_code == 404


# --- the panel ----------------------------------------------------------------------------------


def test_the_panel_of_a_scheduled_task_links_to_its_record_form(
    dispatcher: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    task = schedule_inspection(
        actor=dispatcher,
        enterprise=factory_site,
        inspection_type=InspectionType.SPECIAL,
        inspectors=[inspector, inspector2],
        inspect_by=dt.date(2026, 9, 20),
        now=NOW,
    )
    page = client_for(inspector).get(reverse("console:case_detail", args=[task.pk]))
    text = page.content.decode()
    assert reverse("console:transition", args=[task.pk, "record"]) in text
    assert "2026-09-20" in text
    # Not recorded yet: no PDF.
    assert reverse("enforcement:inspection_record_pdf", args=[task.pk]) not in text


def test_the_panel_offers_the_follow_up_to_the_inspectors_when_a_problem_was_found(
    inspector: Any, inspector2: Any, dispatcher: Any, factory_site: Any
) -> None:
    inspection = log_inspection(
        actor=inspector,
        enterprise=factory_site,
        inspection_type=InspectionType.DAILY,
        record=record_payload([inspector, inspector2], problems=("permit",)),
        now=NOW,
    )
    detail = reverse("console:case_detail", args=[inspection.pk])
    page = client_for(inspector).get(detail).content.decode()
    enforcement_url = url_or_none("enforcement:enforcement_create")
    correction_url = url_or_none("enforcement:correction_create")
    if enforcement_url:
        assert f"{enforcement_url}?inspection={inspection.pk}" in page
    if correction_url:
        assert (
            f"{correction_url}?inspection={inspection.pk}&amp;enterprise={factory_site.pk}" in page
        )
    assert reverse("enforcement:enterprise_detail", args=[factory_site.pk]) in page
    # Someone who was not there sees the record but not the buttons.
    other = client_for(dispatcher).get(detail).content.decode()
    assert inspection.record_no in other
    assert "立案查处" not in other and "责令改正</a>" not in other


def test_no_follow_up_when_nothing_was_found(
    inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    inspection = log_inspection(
        actor=inspector,
        enterprise=factory_site,
        inspection_type=InspectionType.DAILY,
        record=record_payload([inspector, inspector2]),
        now=NOW,
    )
    page = client_for(inspector).get(reverse("console:case_detail", args=[inspection.pk]))
    assert "立案查处" not in page.content.decode()


# --- the enterprise page ------------------------------------------------------------------------


def test_the_enterprise_page_lists_its_inspections_cases_and_orders(
    inspector: Any, inspector2: Any, dispatcher: Any, outsider: Any, factory_site: Any
) -> None:
    inspection = log_inspection(
        actor=inspector,
        enterprise=factory_site,
        inspection_type=InspectionType.DAILY,
        record=record_payload([inspector, inspector2], problems=("permit",)),
        now=NOW,
    )
    case = open_clue(inspector, inspector2, factory_site, now=NOW)
    order = issue_order(
        inspector, factory_site, served_at=NOW, correct_by=dt.date(2026, 9, 25), case=None
    )
    url = reverse("enforcement:enterprise_detail", args=[factory_site.pk])

    page = client_for(inspector).get(url).content.decode()
    for item in (inspection, case, order):
        assert Case.objects.get(pk=item.pk).case_no in page
    assert f"{NEW}?enterprise={factory_site.pk}" in page
    enforcement_url = url_or_none("enforcement:enforcement_create")
    if enforcement_url:
        assert f"{enforcement_url}?enterprise={factory_site.pk}" in page

    # A dispatcher sees the lists, without the field buttons; an outsider not the page at all.
    page = client_for(dispatcher).get(url).content.decode()
    assert inspection.case_no in page and f"{NEW}?enterprise=" not in page
    assert client_for(outsider).get(url).status_code == 404


def test_an_inspector_who_may_not_verify_is_refused_and_nothing_is_saved(
    district: Any, inspector2: Any, factory_site: Any, reported: Complaint
) -> None:
    plain = make_inspector("plain", district, "14010010")  # no 核查员 role
    url = f"{NEW}?enterprise={factory_site.pk}&subject={reported.pk}"
    data = {
        **post_data([plain, inspector2]),
        "type": InspectionType.COMPLAINT,
        "conclusion": "pass",
    }
    assert client_for(plain).post(url, data).status_code == 403
    assert Inspection.objects.count() == 0
    assert reload(reported).state == "reported"


def test_the_complaints_enterprise_is_found_by_its_name(
    district: Any, field_verifier: Any, people: dict[str, Any]
) -> None:
    site = make_enterprise(district, name="太原某某化工有限公司")
    start = NOW - dt.timedelta(days=10)
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district, now=start, target_name="太原某某化工有限公司"),
        **people,
        start=start,
        stop_at="reported",
    )
    page = client_for(field_verifier).get(NEW, {"subject": complaint.pk}).content.decode()
    assert f'<option value="{site.pk}" selected>' in page
    assert 'name="check_eia"' in page  # straight to the record
