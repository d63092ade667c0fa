"""审批台 in the browser: the supervisor approves one 销号 with the evidence in view, refuses
another with a reason, and the dashboard's number of cases closed in the period moves by one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from workflow.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Two 待销号 items of 小店 in the demo seed, verified by `verifier`, with site photos.
APPROVED = "洗车店污水直排市政雨水管网"
REFUSED = "北格镇商户散煤燃烧整治"
REASON = "核查照片未见雨水口，请补充核查。"


def closed_count(page: Any) -> int:
    """The dashboard's 期内办结的案件 for 小店 (its drill-down of the 平均办理天数 number); the
    console's 已销号 count for the district if there is no dashboard."""
    try:
        url = reverse("enforcement:dashboard_cases") + "?indicator=closed_cases&unit=XD"
        count = "#drill-count"
    except NoReverseMatch:
        url = reverse("console:case_list") + "?state=closed"
        count = ".results__count"
    page.goto(url)
    match = re.search(r"共\s*(\d+)\s*件", page.locator(count).inner_text())
    assert match is not None
    return int(match.group(1))


def images_shown(item: Any) -> int:
    """How many of the item's evidence photos are visible and actually loaded."""
    images = item.locator("img.approval-photo")
    shown = 0
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        shown += 1
    return shown


def test_a_supervisor_approves_one_closure_with_the_evidence_in_view_and_refuses_another(
    demo_city: None, sign_in: Any
):
    approved = Case.objects.get(title=APPROVED)
    refused = Case.objects.get(title=REFUSED)
    assert approved.state == refused.state == "pending_closure"

    page = sign_in("supervisor")
    before = closed_count(page)

    page.goto("/")
    page.get_by_role("link", name="审批台").click()
    page.get_by_role("heading", name="审批台").wait_for()

    # The evidence side by side: the unit's photos and the verifier's record, in view.
    item = page.locator(f"#approval-{approved.pk}")
    after_side = item.locator(".approval-evidence__side").nth(1)
    assert images_shown(after_side) >= 1
    verification = item.locator(".approval-verification")
    assert images_shown(verification) >= 1
    assert verification.get_by_text("现场核实：已接入污水管网").is_visible()

    item.get_by_role("button", name="批准销号").click()
    page.locator(".flash--success", has_text=f"{approved.case_no}：已批准").wait_for()
    assert page.locator(f"#approval-{approved.pk}").count() == 0

    # Refusing needs a reason: without one the page says so and nothing moves.
    item = page.locator(f"#approval-{refused.pk}")
    item.get_by_role("button", name="不予销号").click()
    page.locator(f"#approval-{refused.pk} [role=alert]", has_text="不予批准须说明理由").wait_for()
    item = page.locator(f"#approval-{refused.pk}")
    item.get_by_label("意见/理由（不予批准时必填）").fill(REASON)
    item.get_by_role("button", name="不予销号").click()
    page.locator(".flash--success", has_text=f"{refused.case_no}：已不予批准").wait_for()

    # The dashboard counts one more case closed in the period; the refused one is not closed.
    assert closed_count(page) == before + 1

    approved.refresh_from_db()
    refused.refresh_from_db()
    assert approved.state == "closed"
    assert refused.state == "verifying"
    assert refused.events.order_by("seq").last().note == REASON
    # The only failed request is the refusal without a reason (400, shown on the page).
    assert [e for e in sign_in.console_errors if "status of 400" not in e] == []
    assert len(sign_in.console_errors) == 1
