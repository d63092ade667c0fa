"""The staff's complaints API: the user's jurisdiction only, never the reporter's key or identity,
filters, transitions through the generic endpoint, and all of it in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import accept_complaint, file_complaint, later, reload

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_see_the_complaints_of_their_jurisdiction_only(
    district: Any, other_district: Any, intake: Any, outsider: Any
) -> None:
    mine = file_complaint(jurisdiction=district)
    theirs = file_complaint(jurisdiction=other_district, location="迎泽区某处")
    body = client_for(intake).get("/api/complaints/").json()
    assert [c["case_no"] for c in body["results"]] == [mine.case_no]
    assert body["count"] == 1
    # Another district's staff: not found, exactly like a complaint that does not exist.
    assert client_for(outsider).get(f"/api/complaints/{mine.pk}/").status_code == 404
    assert client_for(outsider).get(f"/api/complaints/{theirs.pk}/").status_code == 200
    assert client_for(intake).get("/api/complaints/999999/").status_code == 404


def test_anonymous_callers_are_refused(district: Any) -> None:
    complaint = file_complaint(jurisdiction=district)
    assert APIClient().get("/api/complaints/").status_code == 403
    assert APIClient().get(f"/api/complaints/{complaint.pk}/").status_code == 403


def test_a_complaint_reads_without_the_tracking_code_or_the_reporters_identity(
    district: Any, intake: Any, dispatcher: Any
) -> None:
    complaint = file_complaint(
        jurisdiction=district,
        name="赵实名",
        phone="13811112222",
        email="zhao@example.com",
        target_uscc="",
        now=later(),
    )
    accept_complaint(complaint, intake=intake, now=later(hours=1))
    for user in (intake, dispatcher):
        listing = client_for(user).get("/api/complaints/")
        detail = client_for(user).get(f"/api/complaints/{complaint.pk}/")
        assert listing.status_code == detail.status_code == 200
        for response in (listing, detail):
            text = response.content.decode()
            for secret in (complaint.tracking_code, "赵实名", "13811112222", "zhao@example.com"):
                assert secret not in text
            assert "tracking_code" not in text and "identity" not in text
    row = detail.json()
    assert row["case_no"] == complaint.case_no
    assert row["state"] == "pending_assignment" and row["state_label"] == "待交办"
    assert row["category"] == "air" and row["category_label"] == "大气"
    assert row["track"] == "petition" and row["track_label"] == "信访"
    assert row["channel"] == "web" and row["jurisdiction"] == "小店分局"
    assert row["target_name"] == "太原某某化工有限公司"
    assert row["location"] == "小店区北格镇工业园"
    assert row["received_at"].startswith("2026-06-01T09:00:00")
    assert row["handle_due"] == "2026-07-31"
    assert row["repeat_count"] == 0 and row["merged_into"] is None
    assert row["responsible_unit"] is None
    assert row["description"] == "夜间排放黑烟，气味刺鼻"
    assert {"reply_opinion", "rating", "due_at", "escalation_level"} <= set(row)
    assert "description" not in listing.json()["results"][0]


def test_a_merged_complaint_names_its_original(district: Any, intake: Any) -> None:
    original = file_complaint(jurisdiction=district, now=later())
    accept_complaint(original, intake=intake, now=later(hours=1))
    repeat = file_complaint(jurisdiction=district, now=later(days=1))
    from workflow.transitions import transition_case

    transition_case(
        repeat, "merge", actor=intake, payload={"original": original.case_no}, now=later(days=1)
    )
    rows = {r["case_no"]: r for r in client_for(intake).get("/api/complaints/").json()["results"]}
    assert rows[repeat.case_no]["merged_into"] == original.case_no
    assert rows[repeat.case_no]["state_label"] == "已合并"
    assert rows[original.case_no]["repeat_count"] == 1


def test_filters_by_state_category_track_jurisdiction_and_received_time(
    city: Any, district: Any, intake: Any, leader: Any
) -> None:
    air = file_complaint(jurisdiction=district, category="air", now=later())
    noise = file_complaint(jurisdiction=district, category="noise", now=later(days=2))
    accept_complaint(noise, intake=intake, track="report", now=later(days=2, hours=1))
    at_city = file_complaint(jurisdiction=city, category="water", now=later(days=4))

    def numbers(query: str, user: Any = leader) -> list[str]:
        response = client_for(user).get(f"/api/complaints/?{query}")
        assert response.status_code == 200, response.content.decode()
        return [c["case_no"] for c in response.json()["results"]]

    assert numbers("") == [at_city.case_no, noise.case_no, air.case_no]
    assert numbers("category=noise") == [noise.case_no]
    assert numbers("state=registered") == [at_city.case_no, air.case_no]
    assert numbers("track=report") == [noise.case_no]
    assert numbers(f"jurisdiction={district.pk}") == [noise.case_no, air.case_no]
    assert numbers("received_at_after=2026-06-02T00:00:00%2B08:00") == [
        at_city.case_no,
        noise.case_no,
    ]
    assert numbers(
        "received_at_after=2026-06-02T00:00:00%2B08:00&received_at_before=2026-06-04T00:00:00%2B08:00"
    ) == [noise.case_no]
    # A filter never widens what the user may see.
    assert numbers(f"jurisdiction={city.pk}", user=intake) == []
    assert client_for(leader).get("/api/complaints/?category=potholes").status_code == 400


def test_the_list_costs_the_same_queries_for_more_rows(district: Any, intake: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(intake).get("/api/complaints/").status_code == 200
        return len(queries)

    original = file_complaint(jurisdiction=district, now=later())
    accept_complaint(original, intake=intake, now=later(hours=1))
    few = count()
    for day in range(1, 5):
        file_complaint(jurisdiction=district, now=later(days=day))
    assert count() == few


def test_the_generic_transition_endpoint_accepts_a_complaint(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district, now=later())
    with time_machine.travel(later(hours=1), tick=False):
        response = client_for(intake).post(
            f"/api/cases/{complaint.pk}/transitions/accept/",
            {"payload": {"track": "petition"}, "note": "属于本局职责"},
            format="json",
        )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == "pending_assignment"
    assert complaint.tracking_code not in response.content.decode()
    complaint = reload(complaint)
    assert complaint.track == "petition" and complaint.handle_due == dt.date(2026, 7, 31)
    row = client_for(intake).get(f"/api/complaints/{complaint.pk}/").json()
    assert row["state"] == "pending_assignment" and row["accepted_at"] is not None


def test_a_triage_payload_error_comes_back_as_field_errors(district: Any, intake: Any) -> None:
    complaint = file_complaint(jurisdiction=district, now=later())
    response = client_for(intake).post(
        f"/api/cases/{complaint.pk}/transitions/accept/", {"payload": {}}, format="json"
    )
    assert response.status_code == 400
    assert "track" in response.json()["errors"]
    assert reload(complaint).state == "registered"


def test_the_schema_validates_and_documents_the_complaint_paths(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert {"/api/complaints/", "/api/complaints/{id}/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/complaints/"]["get"]["parameters"]}
    assert {"state", "category", "track", "jurisdiction", "received_at_after", "page"} <= parameters
    fields = schema["components"]["schemas"]["ComplaintDetail"]["properties"]
    assert "case_no" in fields and "tracking_code" not in fields
    # The transitions stay on the generic endpoint, documented once.
    assert "/api/cases/{id}/transitions/{transition}/" in schema["paths"]


def test_the_docs_page_loads_everything_from_this_site(dispatcher: Any) -> None:
    client = Client()
    client.force_login(dispatcher)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/") or url.startswith("/api/docs/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url  # shipped by the sidecar
    assert "<script>" not in html  # the start-up script is a file: CSP allows no inline script
    assert "<style" not in html  # nor an inline style: the page's layout is a static file
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
