"""The rate limits keep limiting, and the public keeps filing, when the cache does not answer."""

from __future__ import annotations

import logging
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from enforcement.complaints import ratelimit
from enforcement.models import Complaint
from tests.enforcement.test_open311 import post, report
from tests.factories import MONDAY

pytestmark = pytest.mark.django_db


def redis_down(*args: Any, **kwargs: Any) -> None:
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_open311_posts_are_stored_and_still_limited_while_the_cache_is_down(
    city: Any, settings: Any, caplog: Any
) -> None:
    settings.ECOLOOP_PUBLIC_SUBMIT_RATE = "3/hour"
    client = Client()
    with (
        mock.patch.object(cache, "add", side_effect=redis_down) as add,
        caplog.at_level(logging.ERROR, logger="workflow.breaker"),
        time_machine.travel(MONDAY, tick=False),
    ):
        codes = [post(client, report()).status_code for _ in range(4)]
        other = post(client, report(), REMOTE_ADDR="10.0.0.9").status_code
    assert codes == [201, 201, 201, 429]
    assert other == 201
    assert Complaint.objects.count() == 4
    # One failed call opened the breaker: the rest were counted here without waiting on it.
    assert add.call_count == 1
    assert [r.levelname for r in caplog.records] == ["ERROR"]


def test_the_public_form_answers_while_the_cache_is_down(city: Any) -> None:
    with mock.patch.object(cache, "add", side_effect=redis_down):
        response = Client().post("/complaints/", {})
    assert response.status_code == 400  # the form's own answer to an empty form, not a 500


def test_counting_returns_to_the_cache_when_it_answers_again(caplog: Any) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    with mock.patch.object(cache, "add", side_effect=redis_down):
        assert ratelimit.allow(request, "submit", "2/hour")
    ratelimit.cache_breaker._open_until = 0.0  # the pause is over
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="workflow.breaker"):
        assert ratelimit.allow(request, "submit", "2/hour")
        assert ratelimit.allow(request, "submit", "2/hour")
        assert not ratelimit.allow(request, "submit", "2/hour")
    assert [r.levelname for r in caplog.records] == ["WARNING"]  # "answers again", once


def test_the_in_process_counts_drop_windows_that_ended(monkeypatch: Any) -> None:
    monkeypatch.setattr(ratelimit, "MAX_LOCAL_KEYS", 5)
    for n in range(6):
        ratelimit._count_here(f"ratelimit:lookup:10.0.0.{n}:1", seconds=1)
    assert len(ratelimit._local) == 6
    later = ratelimit.time.monotonic() + 5
    with mock.patch.object(ratelimit.time, "monotonic", return_value=later):
        assert ratelimit._count_here("ratelimit:lookup:10.0.1.1:6", seconds=1) == 1
    assert list(ratelimit._local) == ["ratelimit:lookup:10.0.1.1:6"]
