"""The probe that tells an orchestrator whether a web process can serve."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from workflow import health


@pytest.fixture(autouse=True)
def _ask_again():
    health._checked.clear()
    yield
    health._checked.clear()


@pytest.mark.django_db
def test_the_health_check_answers_from_inside_the_container(client, settings):
    # given production's host list and HTTPS redirect
    settings.ALLOWED_HOSTS = ["ecoloop.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    # when a probe asks over plain HTTP with the container's own address
    response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")
    # then it is answered, not redirected or refused
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "broker": "in-process",  # the test settings run tasks eagerly
        "cache": "up",
    }


@pytest.mark.django_db
def test_the_health_check_fails_when_the_database_does(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_without_the_broker_or_the_cache_the_app_still_takes_writes(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    down = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(health.current_app, "connection_for_write", side_effect=down),
        mock.patch.object(cache, "get", side_effect=down),
    ):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "up",
        "broker": "down",
        "cache": "down",
    }


@pytest.mark.django_db
def test_the_broker_and_the_cache_are_asked_at_most_every_few_seconds(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(health.current_app, "connection_for_write") as connect:
        for _ in range(5):
            assert client.get("/healthz/").json()["broker"] == "up"
    assert connect.call_count == 1


def test_the_health_check_is_read_only(client):
    assert client.post("/healthz/").status_code == 405
