"""A mistake in an htmx panel shows beside the field, inside the page, with DEBUG on and off.

django-htmx's DEBUG helper replaced the whole document with any 400 answer (header, navigation
and styles gone); the console loads htmx without it, and its 400 answers are the panel's own
error state.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from workflow.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_an_empty_required_note_on_the_report_keeps_the_page_whole(
    demo_city: None, sign_in: Any, settings: Any, debug: bool
):
    # given the town's handler on a case they are rectifying, with evidence already recorded
    settings.DEBUG = debug
    case = (
        Case.objects.filter(
            state="rectifying", responsible_unit__code="XD-BG", attachments__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert case is not None, "the demo has a 北格镇 case in 整改中 with recorded evidence"
    page = sign_in("handler")
    page.goto(f"/cases/{case.pk}/")

    # when they open 整改反馈 and confirm with only spaces in the required note (the browser's
    # own check passes them; the server's does not)
    page.locator(".actions__buttons").get_by_role("link", name="整改反馈", exact=True).click()
    form = page.locator("#transition-panel form")
    form.wait_for()
    form.get_by_label("意见/说明").fill("   ")
    with page.expect_response(re.compile(rf"/cases/{case.pk}/")) as answer:
        form.get_by_role("button", name="确认整改反馈").click()
    assert answer.value.status == 400

    # then the panel shows the message beside the note, and the page around it is untouched
    message = page.locator("#transition-panel .field--invalid #id_note_error")
    message.wait_for()
    assert message.inner_text().strip()
    assert page.locator("#id_note").get_attribute("aria-describedby") == "id_note_error"
    assert page.locator("header.topbar .brand").is_visible()
    assert page.locator("nav.nav").is_visible()
    assert page.locator(".case-head").is_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    stylesheet = page.evaluate(
        "Array.from(document.styleSheets).some(s => (s.href || '').endsWith('console.css'))"
    )
    assert stylesheet
    # and nothing was written
    case.refresh_from_db()
    assert case.state == "rectifying"
