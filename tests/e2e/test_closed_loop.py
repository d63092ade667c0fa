"""A seeded case walks the whole closed loop, each role clicking in its own browser session."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from seeds.taiyuan import DEMO_USERS
from tests.e2e.steps import act
from workflow.models import Case, Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: A 待交办 item of 小店 in the demo seed; 北格镇 is where the demo handler works.
SEEDED_TITLE = "北格镇张花村砖厂夜间偷排废水"
DETAIL_SCREENSHOT = Path("/tmp/ecoloop-detail.png")
NARROW_SCREENSHOT = Path("/tmp/ecoloop-detail-375.png")


def site_photo(tmp_path: Path) -> Path:
    path = tmp_path / "整改后现场.jpg"
    image = Image.new("RGB", (320, 240), (96, 150, 200))
    image.paste((80, 130, 70), (0, 150, 320, 240))
    image.save(path, format="JPEG", quality=85)
    return path


def open_case_from_inbox(page: Any, case: Case) -> None:
    page.get_by_role("link", name=case.case_no).first.click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))


def test_a_seeded_case_is_closed_by_clicking_through_the_loop(
    demo_city: None, sign_in: Any, tmp_path: Path
):
    case = Case.objects.get(title=SEEDED_TITLE)
    assert case.state == "pending_assignment"
    town = Unit.objects.get(code="XD-BG")

    # 交办: the district dispatcher finds it in 我的待办 and assigns it to the town
    dispatcher = sign_in("dispatcher")
    open_case_from_inbox(dispatcher, case)

    def choose_town(form: Any) -> None:
        form.get_by_label("责任单位").select_option(label=town.name)
        form.get_by_label("整改时限").fill("10")

    act(dispatcher, "交办", fill=choose_town, note="请于10个工作日内完成整改并反馈。")
    assert dispatcher.locator(".case-head .state").inner_text() == "已交办"

    # 签收 and 整改 with a site photo, then 反馈: the town's handler
    handler = sign_in("handler")
    open_case_from_inbox(handler, case)
    act(handler, "签收")
    photo = site_photo(tmp_path)
    act(
        handler,
        "记录整改进展",
        note="已拆除偷排管道，沉淀池清淤完成。",
        fill=lambda form: form.locator("input[type=file]").set_input_files(photo),
    )
    act(handler, "整改反馈", note="整改完成，废水经沉淀后全部回用。")

    # 核查: a verifier of the district, who did none of the handling
    verifier = sign_in("verifier")
    open_case_from_inbox(verifier, case)
    act(verifier, "开始核查")
    act(verifier, "核查通过", note="现场核实：排放口已封堵，沉淀池运行正常。")

    # 销号: the district's supervisor approves
    supervisor = sign_in("supervisor")
    open_case_from_inbox(supervisor, case)
    act(supervisor, "批准销号")

    # then the page says 已销号 and the timeline holds every step, the photo among them
    page = supervisor
    assert page.locator(".case-head .state").inner_text() == "已销号"
    steps = page.locator(".timeline__title strong").all_inner_texts()
    assert steps == [
        "立案",
        "交办",
        "签收",
        "记录整改进展",
        "整改反馈",
        "开始核查",
        "核查通过",
        "批准销号",
    ]
    assert page.locator(".timeline").get_by_text("已拆除偷排管道").is_visible()
    assert page.locator(".attachment").count() == 1
    assert "当前没有您可执行的操作" in page.content() or "本案已办结" in page.content()
    case.refresh_from_db()
    assert case.state == "closed"
    assert sign_in.console_errors == []  # no CSP violation, no failed request
    page.screenshot(path=str(DETAIL_SCREENSHOT), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(NARROW_SCREENSHOT), full_page=True)


def test_each_demo_login_reaches_the_console(demo_city: None, sign_in: Any):
    for person in DEMO_USERS:
        page = sign_in(person.username)
        assert page.locator(".who__name").inner_text() == person.name
        assert page.get_by_role("heading", name="我的待办").is_visible()
        page.context.close()
