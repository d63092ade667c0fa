"""Hostile input on the public form (issue 4, acceptance): oversize files, an executable named
.jpg, markup in every text field, a wrong CAPTCHA, rapid submits. Each gets a clear Chinese error,
the rest of what was typed comes back, and nothing already saved changes."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from enforcement.models import Complaint
from tests.conftest import photo_bytes
from tests.enforcement.test_public_pages import (
    captcha_of,
    post_complaint,
    reply_schedule,
    report,
    track_url,
)
from tests.factories import MONDAY, REPLY, client_for, file_complaint, reload, reply_to_complaint
from workflow import evidence
from workflow.models import Attachment

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[Any]:
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def earlier(district: Any) -> Complaint:
    """A complaint saved before the hostile attempts; it must come through untouched."""
    return file_complaint(jurisdiction=district, now=MONDAY, description="早先反映的问题，已保存")


def snapshot(complaint: Complaint) -> tuple[Any, ...]:
    fresh = reload(complaint)
    return (
        fresh.state,
        fresh.description,
        fresh.updated_at,
        fresh.events.count(),
        fresh.attachments.count(),
    )


def assert_typed_text_kept(text: str) -> None:
    assert "每天夜里十点后排放黑烟" in text
    assert 'value="小店区北格镇工业园东侧"' in text
    assert 'value="太原某某化工有限公司"' in text
    assert 'value="2026-05-18"' in text
    assert "照片和文件不会保留" in text


def test_an_oversize_file_is_refused_beside_the_file_field(
    client: Client, district: Any, earlier: Complaint, settings: Any
):
    settings.ECOLOOP_MAX_UPLOAD_BYTES = 300
    before = snapshot(earlier)
    big = SimpleUploadedFile("现场照片.jpg", photo_bytes(), "image/jpeg")
    assert big.size is not None and big.size > 300

    response = post_complaint(client, report(district), files=[big])

    assert response.status_code == 400
    field = re.search(
        r'<div class="pub-field pub-field--invalid" id="field-attachments">.*?</div>',
        response.text,
        re.S,
    )
    assert field is not None and "现场照片.jpg" in field.group(0) and "大小限制" in field.group(0)
    assert "提交未成功" in response.text
    assert_typed_text_kept(response.text)
    assert Complaint.objects.count() == 1 and snapshot(earlier) == before


def test_an_executable_renamed_jpg_is_refused_and_nothing_is_stored(
    client: Client, district: Any, earlier: Complaint
):
    before = snapshot(earlier)
    exe = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "image/jpeg"
    )
    good = SimpleUploadedFile("现场.jpg", photo_bytes(), "image/jpeg")

    response = post_complaint(client, report(district), files=[good, exe])

    assert response.status_code == 400
    assert "文件“photo.jpg”的类型不受支持" in response.text
    assert_typed_text_kept(response.text)
    assert Complaint.objects.count() == 1 and snapshot(earlier) == before
    assert Attachment.objects.count() == 0


def test_a_ten_thousand_pixel_square_png_is_refused_unread(
    client: Client, district: Any, earlier: Complaint
):
    """A 291 KB PNG of 10000×10000 used to be decoded and re-encoded (15 s); now its header
    refuses it before a pixel is decoded."""
    before = snapshot(earlier)
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")
    bomb = SimpleUploadedFile("现场.png", out.getvalue(), "image/png")

    with mock.patch.object(evidence, "_reencode") as reencode:
        response = post_complaint(client, report(district), files=[bomb])

    assert response.status_code == 400
    assert "图片“现场.png”分辨率过大（最大 5000 万像素）" in response.text
    assert_typed_text_kept(response.text)
    assert not reencode.called
    assert Complaint.objects.count() == 1 and snapshot(earlier) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_photos_are_re_encoded_before_the_write_opens_its_transaction(
    client: Client, district: Any
):
    """On SQLite a transaction holds the database's write lock: no image work inside one."""
    seen: list[bool] = []
    real = evidence._reencode

    def watched(*args: Any) -> bytes:
        seen.append(connection.in_atomic_block)
        return real(*args)

    photo = SimpleUploadedFile("现场.jpg", photo_bytes(), "image/jpeg")
    with mock.patch.object(evidence, "_reencode", side_effect=watched):
        response = post_complaint(client, report(district), files=[photo])

    assert response.status_code == 303
    assert seen == [False]
    assert Attachment.objects.count() == 1


def test_a_wrong_captcha_keeps_the_form_and_offers_a_new_one(
    client: Client, district: Any, earlier: Complaint
):
    before = snapshot(earlier)
    page = client.get(reverse("complaints:new"))
    solved = captcha_of(page.text)

    response = client.post(
        reverse("complaints:new"),
        {**report(district), "captcha_0": solved["captcha_0"], "captcha_1": "wrong"},
    )

    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.text
    assert_typed_text_kept(response.text)
    fresh = captcha_of(response.text)
    assert fresh["captcha_0"] != solved["captcha_0"]
    # the old CAPTCHA was spent by the wrong answer: it cannot be replayed
    replay = client.post(reverse("complaints:new"), {**report(district), **solved})
    assert replay.status_code == 400
    assert Complaint.objects.count() == 1 and snapshot(earlier) == before


def test_markup_in_every_free_text_field_is_stored_as_text_and_escaped_everywhere(
    client: Client, district: Any, people: dict[str, Any]
):
    data = report(
        district,
        anonymous=None,
        name=SCRIPT,
        phone="13800001234",
        description=f"排放黑烟{SCRIPT}",
        location=SCRIPT,
        target_name=SCRIPT,
        target_address=SCRIPT,
    )
    response = post_complaint(client, data)
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.description == f"排放黑烟{SCRIPT}" and complaint.target_name == SCRIPT

    receipt = client.get(response["Location"])
    assert SCRIPT not in receipt.text

    # the staff's own text reaches the public page escaped too
    complaint = reply_to_complaint(
        complaint,
        **people,
        at=reply_schedule(),
        reply={**REPLY, "reply_opinion": f"已处理{SCRIPT}"},
    )
    page = client.get(track_url(complaint))
    assert page.status_code == 200
    assert SCRIPT not in page.text and f"已处理{ESCAPED}" in page.text

    client.post(
        reverse("complaints:rate", kwargs={"code": complaint.tracking_code}),
        {"rating": "dissatisfied", "reason": SCRIPT, "seen_state": "replied"},
    )
    assert reload(complaint).events.get(transition="rate_dissatisfied").note == SCRIPT

    case_page = client_for(people["dispatcher"]).get(
        reverse("console:case_detail", kwargs={"pk": complaint.pk})
    )
    assert case_page.status_code == 200
    assert SCRIPT not in case_page.text
    assert ESCAPED in case_page.text  # shown, as text


def test_markup_in_the_checked_fields_is_refused_and_echoed_escaped(
    client: Client, district: Any, earlier: Complaint
):
    before = snapshot(earlier)
    data = report(
        district,
        anonymous=None,
        name="王小明",
        phone=SCRIPT,
        email=SCRIPT,
        id_number=SCRIPT,
        target_uscc=SCRIPT,
        wants_reward="on",
        latitude=SCRIPT,
        longitude=SCRIPT,
        since=SCRIPT,
        category=SCRIPT,
        jurisdiction=SCRIPT,
    )

    response = post_complaint(client, data)

    assert response.status_code == 400
    text = response.text
    assert SCRIPT not in text
    assert f'value="{ESCAPED}"' in text
    errors = dict(re.findall(r'<a href="#field-(\w+)">[^<：]*：([^<]*)</a>', text))
    for field in ("phone", "email", "id_number", "target_uscc", "latitude", "since", "category"):
        assert field in errors, field
    assert errors["phone"] == "最多填写20个字（现在25个）。"
    assert errors["id_number"] == "最多填写18个字（现在25个）。"
    assert Complaint.objects.count() == 1 and snapshot(earlier) == before


def test_the_sixth_submission_in_an_hour_is_throttled_and_keeps_the_typed_text(
    client: Client, district: Any, earlier: Complaint, _clock: Any
):
    before = snapshot(earlier)
    for n in range(5):
        response = post_complaint(
            client, report(district, description=f"第{n + 1}次反映：夜间排放黑烟")
        )
        assert response.status_code == 303, n

    sixth = post_complaint(client, report(district))

    assert sixth.status_code == 429
    assert "提交过于频繁，本次未提交" in sixth.text
    assert sixth["Retry-After"] == "3600"
    assert_typed_text_kept(sixth.text)
    assert Complaint.objects.count() == 6 and snapshot(earlier) == before
    # another address is not throttled; this one is served again the next hour
    assert post_complaint(client, report(district), REMOTE_ADDR="10.1.2.3").status_code == 303
    _clock.shift(dt.timedelta(hours=1))
    assert post_complaint(client, report(district)).status_code == 303


def test_a_public_transition_never_runs_a_staff_one(client: Client, district: Any):
    complaint = file_complaint(jurisdiction=district, now=MONDAY)
    # a reporter who holds the code cannot accept their own complaint through the rating form
    response = client.post(
        reverse("complaints:rate", kwargs={"code": complaint.tracking_code}),
        {"rating": "accept"},
    )
    assert response.status_code == 400
    assert "请检查填写的内容" in response.text
    assert reload(complaint).state == "registered"
