"""现场检查笔录 as a numbered PDF: the bureau's mark, the record number, the facts, the checklist,
the findings and the evidence list with each file's sha256."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from enforcement.inspections.services import log_inspection, schedule_inspection
from enforcement.models import InspectionType
from tests.conftest import photo_bytes
from tests.enforcement.field import at, record_payload
from tests.factories import client_for
from workflow.models import Attachment

pytestmark = pytest.mark.django_db

NOW = at(dt.date(2026, 9, 10), 11)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def pdf_url(inspection: Any) -> str:
    return reverse("enforcement:inspection_record_pdf", kwargs={"pk": inspection.pk})


@pytest.fixture
def recorded(inspector: Any, inspector2: Any, factory_site: Any) -> Any:
    payload = record_payload(
        [inspector, inspector2], problems=("hazardous",), findings="危险废物露天堆放"
    )
    payload["note_hazardous"] = "未设置防渗措施"
    photos = [
        SimpleUploadedFile(f"现场{i}.jpg", photo_bytes(), content_type="image/jpeg")
        for i in range(2)
    ]
    return log_inspection(
        actor=inspector,
        enterprise=factory_site,
        inspection_type=InspectionType.DAILY,
        record=payload,
        files=photos,
        now=NOW,
    )


def test_the_record_reads_back(recorded: Any, inspector: Any, factory_site: Any) -> None:
    response = client_for(inspector).get(pdf_url(recorded))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = text_of(response.content).replace(" ", "")
    assert "现场检查笔录" in text
    assert recorded.record_no.replace(" ", "") in text
    assert "小店分局" in text
    for fact in (
        factory_site.name,
        factory_site.uscc,
        factory_site.address,
        "2026-09-1009:00至2026-09-1010:00",
        "厂区污水处理站",
        "14010001",
        "14010002",
        "张三厂长",
        "危险废物贮存、转移和处置情况",
        "存在问题：未设置防渗措施",
        "危险废物露天堆放",
        "证据清单",
    ):
        assert fact.replace(" ", "") in text, fact
    digests = list(Attachment.objects.filter(case=recorded).values_list("sha256", flat=True))
    assert len(digests) == 2
    for digest in digests:
        assert digest in text


def test_no_record_before_the_inspection_is_recorded(
    dispatcher: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    task = schedule_inspection(
        actor=dispatcher,
        enterprise=factory_site,
        inspection_type=InspectionType.SPECIAL,
        inspectors=[inspector, inspector2],
        now=NOW,
    )
    assert client_for(inspector).get(pdf_url(task)).status_code == 404


def test_an_outsider_gets_404(recorded: Any, outsider: Any) -> None:
    assert client_for(outsider).get(pdf_url(recorded)).status_code == 404


def test_another_kind_of_case_is_404(inspector: Any, inspector2: Any, factory_site: Any) -> None:
    from tests.enforcement.field import open_clue

    case = open_clue(inspector, inspector2, factory_site, now=NOW)
    assert client_for(inspector).get(pdf_url(case)).status_code == 404
