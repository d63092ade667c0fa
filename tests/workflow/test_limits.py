"""A request body over the limit is refused by its Content-Length, in the client's own format."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

#: Declared, never sent: the middleware answers before a byte of the body is read.
HUGE = str(200 * 1024 * 1024)


def test_a_browser_gets_the_error_page(client: Client) -> None:
    response = client.post("/complaints/", CONTENT_LENGTH=HUGE, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response["Connection"] == "close"
    text = response.content.decode()
    assert "提交的内容过大" in text and "200.0\xa0MB" in text and "102.0\xa0MB" in text


def test_open311_gets_the_spec_format(client: Client) -> None:
    response = client.post("/open311/v2/requests.json", CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    [error] = response.json()
    assert error["code"] == 413 and "超过了" in error["description"]


def test_open311_in_xml_gets_the_spec_xml(client: Client) -> None:
    response = client.post("/open311/v2/requests.xml", CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "413"


def test_the_api_gets_a_detail(client: Client, handler: Any) -> None:
    response = client.post("/api/cases/", CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    assert "超过了" in response.json()["detail"]


def test_a_body_within_the_limit_passes(client: Client, settings: Any) -> None:
    settings.ECOLOOP_MAX_REQUEST_BYTES = 10
    assert client.get("/login/").status_code == 200
    assert client.post("/open311/v2/requests.json", {"x": "1" * 20}).status_code == 413


@pytest.mark.parametrize("path", ["/complaints/", "/open311/v2/requests.json", "/api/cases/"])
def test_a_charset_no_text_is_written_in_is_a_clear_400(client: Client, path: str) -> None:
    response = client.generic(
        "POST", path, b"a=1", content_type="application/x-www-form-urlencoded; charset=rot13"
    )
    assert response.status_code == 400
    assert "rot13" in response.content.decode()
