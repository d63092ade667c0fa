"""A member of the public, on a phone, files a complaint with a photo, keeps the code, follows the
staff's work on the tracking page and rates the reply (issue 4, acceptance)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from enforcement.models import Complaint, Rating
from tests.conftest import photo_bytes
from tests.enforcement.test_public_pages import reply_schedule
from tests.factories import reply_to_complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path("/tmp")


def test_a_new_user_files_a_complaint_with_a_photo_tracks_it_and_rates_the_reply(
    chromium: Any,
    live_server: Any,
    tmp_path: Path,
    district: Any,
    town: Any,
    people: dict[str, Any],
):
    photo = tmp_path / "夜间黑烟.jpg"
    photo.write_bytes(photo_bytes(with_gps=True))
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 37.751234, "longitude": 112.563456},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    try:
        # a new user opens the form on a phone and fills it in
        page.goto("/complaints/")
        assert page.get_by_role("heading", name="反映生态环境问题").is_visible()
        page.get_by_label("问题类别").select_option(label="大气")
        page.get_by_label("问题描述").fill("每天夜里十点以后烟囱冒黑烟，气味刺鼻，已经持续两周。")
        page.get_by_label("问题仍在持续").check()
        page.get_by_label("所在区县").select_option(label=district.name)
        page.get_by_label("问题发生地点").fill("小店区北格镇工业园东侧")
        page.get_by_role("button", name="使用我当前的位置").click()
        # The browser answers the position asynchronously: wait for the fields to fill (under
        # load the answer can come after the click returns).
        expect(page.get_by_label("纬度")).to_have_value("37.751234")
        expect(page.get_by_label("经度")).to_have_value("112.563456")
        page.get_by_label("被反映单位名称").fill("太原某某化工有限公司")
        page.get_by_label("照片或文件").set_input_files(photo)
        page.get_by_label("匿名反映").check()
        assert page.locator("#realname").is_hidden()  # the real-name fields fold away

        # reads the CAPTCHA (a person reads the image; the test reads the answer it stands for)
        first = page.locator("input[name=captcha_0]").input_value()
        page.get_by_role("button", name="换一张").click()  # hard to read: a new one
        page.wait_for_function(
            "k => document.querySelector('input[name=captcha_0]').value !== k", arg=first
        )
        key = page.locator("input[name=captcha_0]").input_value()
        answer = CaptchaStore.objects.get(hashkey=key).response
        page.get_by_label("验证码").fill(answer.upper())
        page.screenshot(path=str(SCREENSHOTS / "ecoloop-public-form-375.png"), full_page=True)
        page.get_by_role("button", name="提交", exact=True).click()

        # the receipt: the code, large, with its QR code and what happens next
        page.wait_for_url(re.compile(r"/complaints/track/[0-9A-Z-]{14}/receipt/$"))
        code = page.locator(".pub-code").inner_text().strip()
        complaint = Complaint.objects.get()
        assert code == complaint.tracking_code
        assert page.locator(".pub-qr svg.qr").is_visible()
        assert complaint.case_no in page.content()
        assert "15日内决定是否受理" in page.locator(".pub-next").inner_text()
        assert complaint.attachments.count() == 1
        assert (str(complaint.latitude), str(complaint.longitude)) == ("37.751234", "112.563456")
        assert b"TestCam" not in complaint.attachments.get().file.read()
        page.screenshot(path=str(SCREENSHOTS / "ecoloop-public-receipt-375.png"), full_page=True)

        # the tracking page says it is received
        page.get_by_role("link", name="查看办理进展").click()
        page.wait_for_url(re.compile(rf"/complaints/track/{code}/$"))
        assert page.locator(".pub-stage__label").inner_text() == "已收到，待受理"

        # the staff act: accepted, assigned, handled, verified, the reply signed
        reply_to_complaint(
            complaint,
            **people,
            at=reply_schedule(timezone.now(), dt.timedelta(milliseconds=1)),
        )

        # reloading, the reporter sees the progress and the reply
        page.reload()
        assert page.locator(".pub-stage__label").inner_text() == "已答复，请评价"
        steps = page.locator(".pub-step span").all_inner_texts()
        assert steps == ["收到", "受理", "交办责任单位", "责任单位开始办理", "答复"]
        reply = page.locator(".pub-reply").inner_text()
        assert "已责令企业停产检修除尘设施，现已恢复正常运行" in reply
        assert "支持" in reply
        assert town.name not in page.content()
        page.screenshot(path=str(SCREENSHOTS / "ecoloop-public-track-375.png"), full_page=True)

        # and rates it 满意: the complaint is closed
        page.get_by_label("满意", exact=True).check()
        page.get_by_role("button", name="提交评价").click()
        page.locator(".pub-flash--success", has_text="感谢您的评价").wait_for()
        assert page.locator(".pub-stage__label").inner_text() == "已办结"
        complaint.refresh_from_db()
        assert complaint.state == "closed" and complaint.rating == Rating.SATISFIED

        # the page fits the phone: nothing scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert console_errors == []  # no CSP violation, no failed request
    finally:
        context.close()
