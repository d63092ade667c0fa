"""Downloading evidence: only for people who may see the case, only the file that was recorded."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import photo_bytes
from tests.factories import MONDAY, assign_to, open_item
from workflow.models import Attachment
from workflow.transitions import transition_case

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def evidence(dispatcher: Any, handler: Any, district: Any, town: Any) -> dict[str, Attachment]:
    """A case in 整改中 with a rectification photo and a PDF report, recorded by the handler."""
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    case.refresh_from_db()
    transition_case(case, "sign", actor=handler, now=MONDAY + dt.timedelta(hours=1))
    case.refresh_from_db()
    event = transition_case(
        case,
        "record_progress",
        actor=handler,
        note="已封堵排污口",
        files=[
            SimpleUploadedFile("整改照片.jpg", photo_bytes(with_gps=True)),
            SimpleUploadedFile("monitoring report.pdf", PDF),
        ],
        now=MONDAY + dt.timedelta(days=1),
    )
    return {a.content_type: a for a in event.attachments.all()}


@pytest.fixture
def photo_attachment(evidence: dict[str, Attachment]) -> Attachment:
    return evidence["image/jpeg"]


def url(attachment: Attachment) -> str:
    return reverse("attachment", args=[attachment.pk])


def stored(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as f:
        return f.read()


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_handler_sees_the_photo_inline_under_its_chinese_name(
    client, handler, photo_attachment
):
    # given the handler who uploaded the photo
    client.force_login(handler)

    # when they open it
    response = client.get(url(photo_attachment))

    # then they get the stored (EXIF-free) photo, shown inline, named as uploaded
    assert response.status_code == 200
    assert body(response) == stored(photo_attachment)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'inline; filename="evidence-{photo_attachment.pk}.jpg"; '
        f"filename*=UTF-8''{quote('整改照片.jpg')}"
    )
    assert response["Content-Length"] == str(photo_attachment.size)
    # and the browser may neither guess another type nor keep a copy in a shared cache
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_district_verifier_sees_the_evidence(client, verifier, photo_attachment):
    client.force_login(verifier)

    response = client.get(url(photo_attachment))

    assert response.status_code == 200
    assert body(response) == stored(photo_attachment)


def test_a_pdf_report_is_shown_inline_as_a_pdf(client, verifier, evidence):
    client.force_login(verifier)
    report = evidence["application/pdf"]

    response = client.get(url(report))

    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="monitoring report.pdf"'


def test_someone_of_another_district_is_told_the_file_does_not_exist(
    client, outsider, photo_attachment
):
    # given a supervisor of another district
    client.force_login(outsider)

    # when they try the photo's address, and an address that does not exist
    theirs = client.get(url(photo_attachment))
    missing = client.get(reverse("attachment", args=[photo_attachment.pk + 1000]))

    # then both look the same: nothing reveals that the first exists
    assert theirs.status_code == missing.status_code == 404
    assert stored(photo_attachment) not in theirs.content


def test_an_anonymous_visitor_is_sent_to_log_in(client, photo_attachment):
    response = client.get(url(photo_attachment))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(url(photo_attachment))}"


def test_a_photo_changed_on_disk_is_refused_with_an_explanation_and_logged(
    client, verifier, photo_attachment, caplog
):
    # given the stored photo replaced on disk by another picture
    with photo_attachment.file.storage.open(photo_attachment.file.name, "wb") as f:
        f.write(photo_bytes())
    client.force_login(verifier)

    # when the verifier opens it
    with caplog.at_level(logging.ERROR, logger="workflow.views.evidence"):
        response = client.get(url(photo_attachment))

    # then it is not served, the verifier is told why, and the operators can see which file
    assert response.status_code == 409
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "可能已被篡改" in response.content.decode()
    assert photo_bytes() not in response.content
    assert response["Cache-Control"] == "private, no-store"
    (record,) = [r for r in caplog.records if "integrity" in r.getMessage()]
    assert photo_attachment.sha256 in record.getMessage()
    assert photo_attachment.case.case_no in record.getMessage()
    assert "整改照片" not in record.getMessage()


def test_a_photo_missing_on_disk_is_refused_the_same_way(client, verifier, photo_attachment):
    photo_attachment.file.storage.delete(photo_attachment.file.name)
    client.force_login(verifier)

    response = client.get(url(photo_attachment))

    assert response.status_code == 409
    assert "缺失" in response.content.decode()


def test_behind_nginx_the_file_is_handed_to_the_proxy_after_the_check(
    client, verifier, photo_attachment, settings
):
    # given production behind nginx
    settings.ECOLOOP_X_ACCEL_REDIRECT_PREFIX = "/protected-evidence/"
    client.force_login(verifier)

    # when the verifier opens the photo
    response = client.get(url(photo_attachment))

    # then nginx is told which internal file to send, with the headers it keeps
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-evidence/{photo_attachment.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_changed_file_is_still_refused(client, verifier, photo_attachment, settings):
    settings.ECOLOOP_X_ACCEL_REDIRECT_PREFIX = "/protected-evidence/"
    with photo_attachment.file.storage.open(photo_attachment.file.name, "wb") as f:
        f.write(b"\xff\xd8\xff tampered")
    client.force_login(verifier)

    response = client.get(url(photo_attachment))

    assert response.status_code == 409
    assert not response.has_header("X-Accel-Redirect")


def test_evidence_cannot_be_posted_to(client, handler, photo_attachment):
    client.force_login(handler)

    assert client.post(url(photo_attachment)).status_code == 405
