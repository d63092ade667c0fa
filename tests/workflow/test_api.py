"""The case API answers like the console: same jurisdiction, same write path, JSON errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import open_item

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_shows_only_cases_of_the_users_jurisdiction(
    dispatcher, outsider, district, other_district
):
    mine = open_item(actor=dispatcher, jurisdiction=district)
    open_item(actor=outsider, jurisdiction=other_district, title="迎泽的事项")
    body = client_for(dispatcher).get("/api/cases/").json()
    assert [c["case_no"] for c in body["results"]] == [mine.case_no]
    assert body["results"][0]["state_label"] == "待交办"


def test_a_case_of_another_district_is_not_found(dispatcher, outsider, district):
    case = open_item(actor=dispatcher, jurisdiction=district)
    assert client_for(outsider).get(f"/api/cases/{case.pk}/").status_code == 404
    response = client_for(outsider).post(
        f"/api/cases/{case.pk}/transitions/assign/", {}, format="json"
    )
    assert response.status_code == 404


def test_assigning_through_the_api_moves_the_case(dispatcher, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    response = client_for(dispatcher).post(
        f"/api/cases/{case.pk}/transitions/assign/",
        {"payload": {"responsible_unit": town.pk, "rectify_period": 10}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "assigned"
    assert body["responsible_unit"] == "北格镇"
    assert [e["transition"] for e in body["events"]] == ["open", "assign"]


def test_invalid_payload_gets_field_errors_in_chinese(dispatcher, district):
    case = open_item(actor=dispatcher, jurisdiction=district)
    response = client_for(dispatcher).post(
        f"/api/cases/{case.pk}/transitions/assign/", {"payload": {}}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "responsible_unit" in errors
    assert "请" in "".join(errors["rectify_period"])


def test_the_wrong_role_is_forbidden(dispatcher, district, town, verifier):
    case = open_item(actor=dispatcher, jurisdiction=district)
    response = client_for(verifier).post(
        f"/api/cases/{case.pk}/transitions/assign/",
        {"payload": {"responsible_unit": town.pk, "rectify_period": 10}},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("您无权")


def test_anonymous_callers_are_refused(dispatcher, district):
    open_item(actor=dispatcher, jurisdiction=district)
    assert APIClient().get("/api/cases/").status_code == 403


def test_the_openapi_schema_is_served(dispatcher):
    response = client_for(dispatcher).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/cases/{id}/transitions/{transition}/" in response.content
