"""即知即改 in the browser: the dispatcher patrols, logs a finding with a photo on a phone-sized
screen, and it is a case assigned to the town at once; the town's handler answers it within its
2-hour limit; the patrol list counts the response."""

from __future__ import annotations

from typing import Any

import pytest

from enforcement.models import PatrolFinding
from tests.e2e.steps import act
from tests.e2e.test_closed_loop import site_photo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_patrol_finding_is_assigned_at_once_and_answered(
    sign_in: Any, live_server: Any, tmp_path: Any
) -> None:
    office = sign_in("dispatcher")
    office.set_viewport_size({"width": 390, "height": 844})
    office.goto("/enforcement/patrols/")
    office.get_by_role("link", name="开始巡查").click()
    office.get_by_label("巡查区域或路线").fill("北格镇南部农田")
    office.get_by_label("班次").select_option(label="白班")
    office.get_by_role("button", name="开始").click()
    office.locator(".flash--success", has_text="巡查已开始").wait_for()
    form = office.locator("#finding-form")
    form.get_by_label("发现问题").fill("农田边焚烧垃圾，浓烟")
    form.get_by_label("点位", exact=True).select_option(label="张花村东侧农田（露天焚烧点）")
    form.locator("input[type=file]").set_input_files(site_photo(tmp_path))
    form.get_by_role("button", name="登记并立案").click()
    office.locator(".flash--success", has_text="并交办北格镇").wait_for()
    finding = PatrolFinding.objects.select_related("case").get(patrol__area="北格镇南部农田")
    assert office.locator("#findings", has_text=finding.case.case_no).count() == 1

    town = sign_in("handler")
    town.goto(f"/cases/{finding.case_id}/")
    assert "响应时限" in town.locator("main").inner_text()
    act(town, "签收")
    office.goto("/enforcement/patrols/")
    assert "第一时间响应率" in office.locator("#response-figures").inner_text()
    assert sign_in.console_errors == []
