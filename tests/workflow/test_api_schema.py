"""The OpenAPI schema is the truth: schemathesis generates requests from it (valid and not),
sends them to the app as a signed-in dispatcher, and checks every answer against it with all
of its checks: no server error, documented status codes, bodies and content types."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from tests.factories import MONDAY, assign_to, open_item

pytestmark = pytest.mark.django_db

#: Generated requests per operation (positive and negative data); the pytest plugin's own
#: parametrisation does not run on pytest 9, so each operation gets its own hypothesis run here.
EXAMPLES = 120


#: A step of the closed loop (and a 分办) refuses schema-valid requests by the case's state and
#: the law's conditions, which no schema can say: 400 (a condition not met now) is a documented
#: answer to valid input there, beside 403, 404 and 409.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-path-regex": "/transitions/",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [200, 400, 403, 404, 409]}
                },
            },
            {
                # 分办 refuses a unit not under the case's bureau, or a share without a deadline.
                "include-path-regex": "/children/",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [200, 201, 400, 403, 404]}
                },
            },
        ]
    }
)


@pytest.fixture
def signed_in(dispatcher: Any, district: Any, town: Any) -> dict[str, str]:
    """A dispatcher's session and CSRF pair (as WSGI environ entries), and a few cases for the
    ids to find."""
    for n in range(3):
        case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY, title=f"事项{n}")
        if n:
            assign_to(case, dispatcher=dispatcher, unit=town)
    client = Client()
    client.force_login(dispatcher, backend="django.contrib.auth.backends.ModelBackend")
    csrf = _get_new_csrf_string()
    return {
        "HTTP_COOKIE": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "HTTP_X_CSRFTOKEN": csrf,
        "HTTP_REFERER": "http://localhost/api/",
    }


def signed_in_app(environ: dict[str, str]) -> Any:
    """The real WSGI handler behind a browser that is signed in (werkzeug's test client keeps
    its own cookie jar and drops a Cookie header it is given)."""

    def app(wsgi_environ: dict[str, Any], start_response: Any) -> Any:
        return application({**wsgi_environ, **environ}, start_response)

    return app


@pytest.fixture
def wsgi_in_the_test_transaction() -> Iterator[None]:
    """Call the real WSGI handler the way Django's test client does: without closing the
    test's database connection at the end of every request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("wsgi_in_the_test_transaction")
def test_every_answer_is_the_one_the_schema_documents(signed_in: dict[str, str]) -> None:
    api = schemathesis.openapi.from_wsgi("/api/schema/", signed_in_app(signed_in), config=CONFIG)
    # All of schemathesis' checks but one: "ignored_auth" sends the request without credentials,
    # which this wrapper always adds (a signed-out client is refused: test_api.py).
    checks = [
        check
        for check in schemathesis.checks.CHECKS.get_all()
        if check is not schemathesis.checks.ignored_auth
    ]
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 5
    answered: collections.Counter[tuple[str, int]] = collections.Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def answers_as_documented(case: Any) -> None:
            response = case.call_and_validate(checks=checks)
            answered[(case.operation.label, response.status_code)] += 1

        answers_as_documented()
    # every operation was exercised, and some requests got past validation and permissions
    assert {label for label, _code in answered} == {op.label for op in operations}
    assert any(code == 200 for _label, code in answered), answered
