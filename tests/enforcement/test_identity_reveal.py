"""Opening a reporter's identity: the intake role of the bureau only, with a reason, logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from enforcement.models import IdentityReveal, ReporterIdentity
from tests.factories import MONDAY, client_for, file_complaint, make_staff, reply_to_complaint
from workflow.roles import Role

pytestmark = pytest.mark.django_db

NAME = "甄秘密"
PHONE = "13712345678"
EMAIL = "zhen@example.cn"
NOW = MONDAY + dt.timedelta(days=1, hours=2)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def reveal_url(complaint: Any) -> str:
    return reverse("enforcement:complaint_reveal", kwargs={"pk": complaint.pk})


@pytest.fixture
def complaint(district: Any) -> Any:
    return file_complaint(jurisdiction=district, name=NAME, phone=PHONE, email=EMAIL)


def test_the_intake_opens_the_identity_with_a_reason_and_the_opening_is_logged(
    complaint: Any, intake: Any
) -> None:
    client = client_for(intake)
    response = client.post(reveal_url(complaint), {"reason": "回访核实举报细节"})
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html and PHONE in html and EMAIL in html
    assert "no-store" in response["Cache-Control"]

    row = IdentityReveal.objects.get()
    assert row.complaint_id == complaint.pk and row.actor == intake
    assert row.reason == "回访核实举报细节" and row.created_at == NOW

    # Nothing of it stays: the next page (the case, with its reveal log) shows who, when and why,
    # never the identity.
    session = client.session
    assert not any(NAME in str(v) or PHONE in str(v) for v in session.values())
    page = client.get(reverse("console:case_detail", kwargs={"pk": complaint.pk}))
    text = page.content.decode()
    assert NAME not in text and PHONE not in text and EMAIL not in text
    assert "回访核实举报细节" in text and "受理员" in text


def test_a_reveal_needs_a_reason(complaint: Any, intake: Any) -> None:
    response = client_for(intake).post(reveal_url(complaint), {"reason": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "查看举报人信息须说明理由" in html
    assert NAME not in html and PHONE not in html
    assert not IdentityReveal.objects.exists()


def test_a_reveal_is_a_post(complaint: Any, intake: Any) -> None:
    assert client_for(intake).get(reveal_url(complaint)).status_code == 405
    assert not IdentityReveal.objects.exists()


@pytest.mark.parametrize("role", ["dispatcher", "supervisor", "leader", "verifier"])
def test_other_roles_of_the_bureau_are_refused(complaint: Any, role: str, request: Any) -> None:
    user = request.getfixturevalue(role)
    response = client_for(user).post(reveal_url(complaint), {"reason": "想看看"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "只有本局受理员可以查看举报人信息" in html
    assert NAME not in html and PHONE not in html
    assert not IdentityReveal.objects.exists()


def test_the_handler_of_the_responsible_unit_is_refused(
    complaint: Any, town: Any, intake: Any, dispatcher: Any, handler: Any
) -> None:
    reply_to_complaint(
        complaint, intake=intake, dispatcher=dispatcher, unit=town, stop_at="assigned"
    )
    response = client_for(handler).post(reveal_url(complaint), {"reason": "联系举报人"})
    assert response.status_code == 403
    assert NAME not in response.content.decode()
    assert not IdentityReveal.objects.exists()


def test_the_intake_of_another_district_finds_nothing(complaint: Any, other_district: Any) -> None:
    stranger = make_staff("intake_yz", other_district, Role.INTAKE)
    response = client_for(stranger).post(reveal_url(complaint), {"reason": "核实"})
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert not IdentityReveal.objects.exists()
    missing = reverse("enforcement:complaint_reveal", kwargs={"pk": complaint.pk + 999})
    assert client_for(stranger).post(missing, {"reason": "核实"}).status_code == 404


def test_the_stored_identity_is_ciphertext(complaint: Any) -> None:
    record = ReporterIdentity.objects.get(complaint=complaint)
    for secret in (NAME, PHONE, EMAIL, "13712345678", "甄"):
        assert secret not in record.ciphertext
        assert secret not in record.phone_digest
    assert record.has_phone and record.has_email


def test_the_admin_never_shows_the_identity_or_its_ciphertext(
    complaint: Any, intake: Any, district: Any
) -> None:
    from django.contrib.auth import get_user_model

    client_for(intake).post(reveal_url(complaint), {"reason": "回访"})
    admin_user = get_user_model().objects.create_superuser("root", "root@example.cn", "pw-1-xyz")
    client = client_for(admin_user)
    record = ReporterIdentity.objects.get(complaint=complaint)
    pages = [
        reverse("admin:enforcement_reporteridentity_changelist"),
        reverse("admin:enforcement_reporteridentity_change", args=[record.pk]),
        reverse("admin:enforcement_complaint_changelist"),
        reverse("admin:enforcement_complaint_change", args=[complaint.pk]),
        reverse("admin:enforcement_identityreveal_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert NAME not in html and PHONE not in html and EMAIL not in html, url
        assert record.ciphertext[:24] not in html, url
        assert record.phone_digest not in html, url
        assert complaint.tracking_code not in html, url
    # Read-only: nothing can be added or edited there.
    assert client.get(reverse("admin:enforcement_reporteridentity_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:enforcement_reporteridentity_change", args=[record.pk]),
            {"ciphertext": "x"},
        ).status_code
        == 403
    )
    assert ReporterIdentity.objects.get(pk=record.pk).ciphertext == record.ciphertext
