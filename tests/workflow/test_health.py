"""The probe that tells an orchestrator whether a web process can serve."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_the_health_check_answers_from_inside_the_container(client, settings):
    # given production's host list and HTTPS redirect
    settings.ALLOWED_HOSTS = ["ecoloop.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    # when a probe asks over plain HTTP with the container's own address
    response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")
    # then it is answered, not redirected or refused
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_the_health_check_fails_when_the_database_does(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_the_health_check_is_read_only(client):
    assert client.post("/healthz/").status_code == 405
