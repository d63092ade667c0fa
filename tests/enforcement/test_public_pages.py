"""The public's pages: file a complaint without an account, keep the code, follow it, rate it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enforcement.models import Complaint, ComplaintState, Rating, ReporterIdentity
from tests.conftest import photo_bytes
from tests.factories import MONDAY, accept_complaint, file_complaint, reload, reply_to_complaint
from workflow.models import Attachment

pytestmark = pytest.mark.django_db

#: When the reporter opens the form (the views read the clock).
OPENED = MONDAY + dt.timedelta(hours=1)
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(OPENED, tick=False) as traveller:
        yield traveller


def captcha_of(page: str) -> dict[str, str]:
    """The CAPTCHA a person would read off the image: its key from the page, the answer from the
    store (the form is tested as served; no test mode)."""
    hidden = re.search(r'<input[^>]*name="captcha_0"[^>]*>', page)
    assert hidden is not None, "the form has no CAPTCHA"
    key = re.search(r'value="([0-9a-f]+)"', hidden.group(0))
    assert key is not None
    answer = CaptchaStore.objects.get(hashkey=key.group(1)).response
    return {"captcha_0": key.group(1), "captcha_1": answer}


def report(district: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": "air",
        "description": "每天夜里十点后排放黑烟，气味刺鼻，已经持续两周",
        "location": "小店区北格镇工业园东侧",
        "target_name": "太原某某化工有限公司",
        "target_address": "北格镇工业园8号",
        "jurisdiction": district.pk,
        "since": "2026-05-18",
        "ongoing": "on",
        "anonymous": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_complaint(
    client: Client, data: dict[str, Any], *, files: list[Any] | None = None, **extra: Any
) -> Any:
    """Open the form (a fresh CAPTCHA), solve it, and send `data` with `files`."""
    page = client.get(reverse("complaints:new"), **extra)
    assert page.status_code == 200
    payload = {**data, **captcha_of(page.text)}
    if files:
        payload["attachments"] = files
    return client.post(reverse("complaints:new"), payload, **extra)


def track_url(complaint: Complaint) -> str:
    return reverse("complaints:track", kwargs={"code": complaint.tracking_code})


#: When each staff step to the reply happens, in units of `step` after `start`: 受理, 交办, 签收,
#: 反馈 (the draft reply), 开始核查, 核查通过, 签发答复.
REPLY_SCHEDULE = (1 / 24, 2 / 24, 1 + 1 / 24, 3 + 1 / 24, 4 + 1 / 24, 4 + 1 / 24, 5 + 1 / 24)


def reply_schedule(
    start: dt.datetime = MONDAY, step: dt.timedelta = dt.timedelta(days=1)
) -> list[dt.datetime]:
    """The times `reply_to_complaint` takes for the whole loop (by default over five days)."""
    return [start + step * n for n in REPLY_SCHEDULE]


# --- the form -------------------------------------------------------------------------------------


def test_the_form_asks_everything_in_chinese_with_a_captcha(client: Client, district: Any, clock):
    page = client.get(reverse("complaints:new"))

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    text = page.text
    for label in ("问题类别", "被反映单位名称", "统一社会信用代码", "所在区县", "问题发生地点"):
        assert label in text
    for label in ("问题描述", "问题开始时间", "问题仍在持续", "照片或文件", "匿名反映"):
        assert label in text
    for label in ("姓名", "手机号码", "电子邮箱", "身份证号码", "需要答复", "申请举报奖励"):
        assert label in text
    for category in ("大气", "水", "噪声", "固体废物", "土壤", "辐射", "生态破坏", "餐饮油烟"):
        assert f">{category}</option>" in text
    for category in ("扬尘", "恶臭", "其他"):
        assert f">{category}</option>" in text
    assert re.search(r'<input type="file" name="attachments"[^>]*multiple', text)
    assert 'enctype="multipart/form-data"' in text
    assert "/captcha/image/" in text and "captcha_0" in text and 'alt="验证码图片"' in text
    assert district.name in text
    assert "照片和文件需要重新选择" in text
    assert "csrfmiddlewaretoken" in text


def test_an_anonymous_report_is_filed_and_the_reporter_sent_to_the_receipt(
    client: Client, district: Any, clock
):
    response = post_complaint(
        client,
        report(district),
        files=[SimpleUploadedFile("现场.jpg", photo_bytes(with_gps=True), "image/jpeg")],
    )

    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse(
        "complaints:receipt", kwargs={"code": complaint.tracking_code}
    )
    assert complaint.state == ComplaintState.REGISTERED
    assert complaint.anonymous and not complaint.wants_reply
    assert complaint.jurisdiction == district
    assert complaint.target_name == "太原某某化工有限公司"
    assert complaint.since == dt.date(2026, 5, 18) and complaint.ongoing
    assert complaint.received_at == OPENED
    assert complaint.channel == "web"
    assert not ReporterIdentity.objects.filter(complaint=complaint).exists()
    photo = Attachment.objects.get(case=complaint)
    assert photo.content_type == "image/jpeg"
    assert b"TestCam" not in photo.file.read()  # EXIF stripped on the way in


def test_a_real_name_report_keeps_the_identity_encrypted_beside_it(
    client: Client, district: Any, clock
):
    data = report(
        district,
        anonymous=None,
        name="王小明",
        phone="138 0000 1234",
        email="wang@example.com",
        wants_reply="on",
        wants_reward="on",
        id_number="14010519800101123x",
    )

    response = post_complaint(client, data)

    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert not complaint.anonymous and complaint.wants_reply and complaint.wants_reward
    identity = ReporterIdentity.objects.get(complaint=complaint)
    assert identity.has_phone and identity.has_email
    assert "王小明" not in identity.ciphertext and "13800001234" not in identity.ciphertext
    # the reporter's own pages do not show it back either: whoever holds the code sees the case
    for page in (client.get(response["Location"]), client.get(track_url(complaint))):
        for secret in ("王小明", "13800001234", "wang@example.com", "14010519800101123"):
            assert secret not in page.text


def test_a_real_name_report_without_a_contact_is_sent_back_with_everything_kept(
    client: Client, district: Any, clock
):
    data = report(district, anonymous=None, name="王小明", wants_reward="on")

    response = post_complaint(client, data)

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    text = response.text
    assert "提交未成功" in text
    assert "实名反映请至少留下手机号码或电子邮箱" in text
    assert "申请举报奖励须填写身份证号码" in text
    assert 'value="王小明"' in text
    assert "每天夜里十点后排放黑烟" in text
    assert 'value="小店区北格镇工业园东侧"' in text
    assert "照片和文件不会保留" in text


# --- the receipt ---------------------------------------------------------------------------------


def test_the_receipt_shows_the_code_large_with_its_qr_and_what_comes_next(
    client: Client, district: Any, clock
):
    response = post_complaint(client, report(district))
    receipt = client.get(response["Location"])

    complaint = Complaint.objects.get()
    assert receipt.status_code == 200
    for header, value in PRIVATE_HEADERS.items():
        assert receipt[header] == value
    text = receipt.text
    assert (
        f'<p class="pub-code" aria-labelledby="code-label" data-code>{complaint.tracking_code}'
        in (text)
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and 'class="qr"' in text
    assert complaint.case_no in text
    assert "15日内决定是否受理" in text
    assert f'href="{track_url(complaint)}"' in text

    qr = client.get(reverse("complaints:qr", kwargs={"code": complaint.tracking_code}))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<path" in qr.content


# --- tracking -----------------------------------------------------------------------------------


def test_the_tracking_page_follows_the_staff_from_receipt_to_reply(
    client: Client,
    clock: Any,
    district: Any,
    town: Any,
    intake: Any,
    handler: Any,
    supervisor: Any,
    people: dict[str, Any],
):
    # given a complaint filed on the web
    post_complaint(client, report(district))
    complaint = Complaint.objects.get()
    page = client.get(track_url(complaint))
    assert page.status_code == 200
    for header, value in PRIVATE_HEADERS.items():
        assert page[header] == value
    assert "已收到，待受理" in page.text and "15日内告知是否受理" in page.text

    # when the intake accepts it
    accept_complaint(complaint, intake=intake, now=OPENED + dt.timedelta(hours=2))
    page = client.get(track_url(complaint))
    assert "已受理，正在交办" in page.text
    assert "2026-07-31" in page.text  # 办结期限: 60 days from acceptance
    assert "受理" in page.text

    # and the staff run the loop to a signed reply
    reply_to_complaint(
        complaint,
        **people,
        at=[OPENED + dt.timedelta(hours=3), OPENED + dt.timedelta(days=1)],
        stop_at="rectifying",
    )
    page = client.get(track_url(complaint))
    assert "正在办理" in page.text
    assert "责任单位开始办理" in page.text
    assert town.name not in page.text and handler.first_name not in page.text

    reply_to_complaint(
        complaint,
        **people,
        at=[OPENED + dt.timedelta(days=3)],
        report_note="内部意见：企业负责人态度差",
        stop_at="reported",
    )
    page = client.get(track_url(complaint))
    assert "已责令企业停产检修除尘设施" not in page.text  # a draft is not the reply

    reply_to_complaint(
        complaint,
        **people,
        at=[OPENED + dt.timedelta(days=days) for days in (4, 4, 5)],
        verification_note="核查员内部记录",
    )

    # then the page shows the signed reply, dated, and asks for a rating
    page = client.get(track_url(complaint))
    text = page.text
    assert "已答复，请评价" in text
    assert "已责令企业停产检修除尘设施" in text
    assert "《大气污染防治法》第九十九条" in text
    assert "支持" in text and "2026-06-06" in text
    assert "评价答复" in text and 'name="rating"' in text
    # a page with a form sends its Origin with the POST (CSRF), and still no referrer elsewhere
    assert page["Referrer-Policy"] == "same-origin" and page["Cache-Control"] == "no-store"
    assert "申请复查" in text  # a petition, within 30 days
    for internal in ("企业负责人态度差", "核查员内部记录", supervisor.first_name, "科长"):
        assert internal not in text
    steps = re.findall(r'<li class="pub-step">.*?<span>(.*?)</span></li>', text)
    assert steps == ["收到", "受理", "交办责任单位", "责任单位开始办理", "答复"]


def test_the_lookup_takes_the_code_as_people_type_it(client: Client, district: Any, clock):
    complaint = file_complaint(jurisdiction=district, now=MONDAY)
    code = complaint.tracking_code
    typed = code.replace("-", "").lower()

    response = client.get(reverse("complaints:lookup"), {"code": f"  {typed} "})

    assert response.status_code == 303
    assert response["Location"] == track_url(complaint)
    assert client.get(reverse("complaints:lookup")).status_code == 200
    # the tracking address itself accepts the same forms and settles on one spelling
    loose = client.get(reverse("complaints:track", kwargs={"code": typed}))
    assert loose.status_code == 302 and loose["Location"] == track_url(complaint)


def test_a_wrong_code_at_the_lookup_is_explained(client: Client, district: Any, clock):
    file_complaint(jurisdiction=district, now=MONDAY)

    short = client.get(reverse("complaints:lookup"), {"code": "ABCD-EFGH"})
    unknown = client.get(reverse("complaints:lookup"), {"code": "0000-0000-0000"})

    assert short.status_code == 400 and "查询码应为12位字母和数字" in short.text
    assert unknown.status_code == 404 and "没有找到这个查询码" in unknown.text
    assert 'value="0000-0000-0000"' in unknown.text


def test_an_unknown_or_malformed_code_gets_the_same_chinese_404(
    client: Client, district: Any, clock
):
    file_complaint(jurisdiction=district, now=MONDAY)

    unknown = client.get(reverse("complaints:track", kwargs={"code": "0000-0000-0000"}))
    malformed = client.get(reverse("complaints:track", kwargs={"code": "not-a-code"}))
    qr = client.get(reverse("complaints:qr", kwargs={"code": "0000-0000-0000"}))

    assert unknown.status_code == malformed.status_code == qr.status_code == 404

    def without_nonce(text: str) -> str:
        return re.sub(r'nonce="[^"]*"', "", text)

    assert without_nonce(unknown.text) == without_nonce(malformed.text)
    assert "没有找到这个查询码" in unknown.text


def test_lookups_beyond_the_rate_get_a_429_in_chinese(
    client: Client, district: Any, clock, settings: Any
):
    settings.ECOLOOP_PUBLIC_LOOKUP_RATE = "3/minute"
    complaint = file_complaint(jurisdiction=district, now=MONDAY)

    answers = [client.get(track_url(complaint)).status_code for _ in range(3)]
    refused = client.get(track_url(complaint))

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.text
    assert refused["Retry-After"] == "60"
    # another client is not affected; the first one is served again in the next window
    assert client.get(track_url(complaint), REMOTE_ADDR="10.0.0.9").status_code == 200
    clock.shift(dt.timedelta(minutes=1))
    assert client.get(track_url(complaint)).status_code == 200


def test_rates_are_read_as_the_settings_write_them():
    from enforcement.complaints.ratelimit import parse_rate

    assert parse_rate("5/hour") == (5, 3600)
    assert parse_rate("30/minute") == (30, 60)
    assert parse_rate(" 100/day ") == (100, 86400)
    assert parse_rate("2/s") == (2, 1)
    assert parse_rate("10/hours") == (10, 3600)
    for bad in ("five/hour", "5", "5/fortnight", ""):
        with pytest.raises(ValueError):
            parse_rate(bad)


# --- rating and 复查 ---------------------------------------------------------------------------


@pytest.fixture
def replied(district: Any, people: dict[str, Any]) -> Complaint:
    complaint = file_complaint(jurisdiction=district, now=MONDAY)
    result: Complaint = reply_to_complaint(complaint, **people, at=reply_schedule())
    return result


def rate_url(complaint: Complaint) -> str:
    return reverse("complaints:rate", kwargs={"code": complaint.tracking_code})


def review_url(complaint: Complaint) -> str:
    return reverse("complaints:review", kwargs={"code": complaint.tracking_code})


def test_a_satisfied_rating_closes_the_complaint(client: Client, replied: Complaint, clock):
    clock.move_to(MONDAY + dt.timedelta(days=7))

    response = client.post(rate_url(replied), {"rating": "satisfied", "seen_state": "replied"})

    assert response.status_code == 303 and response["Location"] == track_url(replied)
    complaint = reload(replied)
    assert complaint.state == "closed" and complaint.rating == Rating.SATISFIED
    page = client.get(track_url(complaint))
    assert "已办结" in page.text and "感谢您的评价" in page.text
    assert 'name="rating"' not in page.text


def test_basically_satisfied_closes_too(client: Client, replied: Complaint, clock):
    clock.move_to(MONDAY + dt.timedelta(days=7))
    client.post(rate_url(replied), {"rating": "basically"})
    complaint = reload(replied)
    assert complaint.state == "closed" and complaint.rating == Rating.BASICALLY


def test_dissatisfied_needs_a_reason_and_then_reopens_the_matter(
    client: Client, replied: Complaint, clock
):
    clock.move_to(MONDAY + dt.timedelta(days=7))

    bare = client.post(rate_url(replied), {"rating": "dissatisfied", "seen_state": "replied"})

    assert bare.status_code == 400
    assert "选择“不满意”时请写明理由" in bare.text
    assert reload(replied).state == ComplaintState.REPLIED

    reasoned = client.post(
        rate_url(replied),
        {"rating": "dissatisfied", "reason": "夜里仍然冒黑烟", "seen_state": "replied"},
    )

    assert reasoned.status_code == 303
    complaint = reload(replied)
    assert complaint.state == ComplaintState.DISSATISFIED
    assert complaint.rating == Rating.DISSATISFIED
    assert complaint.events.get(transition="rate_dissatisfied").note == "夜里仍然冒黑烟"
    assert "夜里仍然冒黑烟" not in client.get(track_url(complaint)).text


def test_a_rating_on_a_page_that_went_stale_is_refused_with_409(
    client: Client, replied: Complaint, clock
):
    clock.move_to(MONDAY + dt.timedelta(days=7))
    client.post(rate_url(replied), {"rating": "satisfied", "seen_state": "replied"})

    again = client.post(rate_url(replied), {"rating": "basically", "seen_state": "replied"})

    assert again.status_code == 409
    assert "刷新" in again.text
    assert reload(replied).rating == Rating.SATISFIED


def test_a_complaint_not_yet_replied_cannot_be_rated(client: Client, district: Any, clock):
    complaint = file_complaint(jurisdiction=district, now=MONDAY)
    assert 'name="rating"' not in client.get(track_url(complaint)).text

    response = client.post(rate_url(complaint), {"rating": "satisfied"})

    assert response.status_code == 400
    assert reload(complaint).state == ComplaintState.REGISTERED


def test_a_petitioner_may_ask_for_review_within_30_days_with_a_reason(
    client: Client, replied: Complaint, clock
):
    # replied on MONDAY + 5 days (2026-06-06): the window ends 2026-07-06 24:00
    clock.move_to(MONDAY + dt.timedelta(days=20))
    page = client.get(track_url(replied))
    assert "申请复查" in page.text and "2026-07-06 24时前" in page.text

    empty = client.post(review_url(replied), {"reason": " ", "seen_state": "replied"})
    assert empty.status_code == 400 and "请写明申请复查的理由" in empty.text

    response = client.post(
        review_url(replied), {"reason": "处理意见与事实不符", "seen_state": "replied"}
    )

    assert response.status_code == 303
    complaint = reload(replied)
    assert complaint.state == ComplaintState.REVIEW_REQUESTED
    assert complaint.events.get(transition="request_review").note == "处理意见与事实不符"
    assert "复查中" in client.get(track_url(complaint)).text


def test_review_is_not_offered_after_30_days(client: Client, replied: Complaint, clock):
    clock.move_to(dt.datetime(2026, 7, 7, 0, 30, tzinfo=MONDAY.tzinfo))
    page = client.get(track_url(replied))
    assert 'action="' + review_url(replied) not in page.text

    response = client.post(review_url(replied), {"reason": "不服", "seen_state": "replied"})

    assert response.status_code == 400
    assert reload(replied).state == ComplaintState.REPLIED


def test_review_is_not_offered_on_the_report_track(
    client: Client, clock: Any, district: Any, people: dict[str, Any]
):
    complaint = reply_to_complaint(
        file_complaint(jurisdiction=district, now=MONDAY),
        **people,
        track="report",
        at=reply_schedule(),
    )
    clock.move_to(MONDAY + dt.timedelta(days=7))

    page = client.get(track_url(complaint))
    response = client.post(review_url(complaint), {"reason": "不服"})

    assert "评价答复" in page.text and "提交复查申请" not in page.text
    assert response.status_code == 400
    assert reload(complaint).state == ComplaintState.REPLIED


def test_public_posts_need_the_csrf_token(district: Any, replied: Complaint, clock):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(rate_url(replied), {"rating": "satisfied"}).status_code == 403
    assert reload(replied).state == ComplaintState.REPLIED
