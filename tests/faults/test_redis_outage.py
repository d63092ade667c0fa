"""Redis dies in the middle of a stream of public reports: every report is answered 2xx and
stored, and each reporter is told once after Redis is back (issue 13)."""

from __future__ import annotations

import collections
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from enforcement.models import Complaint
from tests.faults.processes import stack
from workflow.models import CaseEvent, Channel, DeliveryStatus, Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPORTS = 500
KILL_AT, REVIVE_AT = 150, 350


def report(n: int) -> bytes:
    return urllib.parse.urlencode(
        {
            "service_code": "water",
            "address_string": f"小店区北格镇张花村{n}号附近",
            "description": f"河道里有暗管一直排黑水，气味很臭（第{n}次故障测试）",
            "last_name": "王",
            "first_name": f"测试{n}",
            "phone": f"139{n:08d}",
            "email": f"reporter{n}@example.org",
            "attribute[wants_reply]": "true",
        }
    ).encode()


def to_lines(messages: list[str], prefix: str) -> list[str]:
    return [line for text in messages for line in text.splitlines() if line.startswith(prefix)]


def test_redis_killed_mid_stream_loses_no_report_and_tells_each_reporter_once(
    city: Any, tmp_path: Any, figures: Any
) -> None:
    with stack(tmp_path) as (redis, app):
        app.start_web()
        app.start_worker()
        answered: list[tuple[int, float]] = []
        lock = threading.Lock()
        started = time.monotonic()

        def post(n: int) -> None:
            request = urllib.request.Request(
                f"{app.web_url}/open311/v2/requests.json", data=report(n), method="POST"
            )
            begin = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=60) as reply:
                    code = reply.status
            except urllib.error.HTTPError as error:
                code = error.code
            with lock:
                answered.append((code, time.monotonic() - begin))
                done = len(answered)
            if done == KILL_AT:
                redis.kill()
            elif done == REVIVE_AT:
                redis.start()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(post, range(REPORTS)))
        stream_seconds = time.monotonic() - started

        # Redis is back: what the broker lost, the beat's catch-up delivers.
        app.catch_up()
        codes = collections.Counter(code for code, _seconds in answered)
        slowest = max(seconds for _code, seconds in answered)

    complaints = Complaint.objects.filter(description__contains="次故障测试")
    opened = CaseEvent.objects.filter(case__in=complaints, transition="open")
    told = Notification.objects.filter(event__in=opened, recipient=None)
    mails = collections.Counter(
        line
        for text in app.files("mail")
        for line in text.splitlines()
        if line.startswith("To: reporter")
    )
    texts = collections.Counter(
        line
        for text in app.files("sms")
        for line in text.splitlines()
        if line.startswith("To: 139")
    )
    held_sms = told.filter(channel=Channel.SMS, status=DeliveryStatus.PENDING).count()
    once = sum(c == 1 for c in mails.values())
    mail_duplicates = sum(c - 1 for c in mails.values())
    text_duplicates = sum(c - 1 for c in texts.values())
    figures(
        f"redis outage: {REPORTS} reports in {stream_seconds:.1f} s, answered {dict(codes)}, "
        f"stored {complaints.count()}, reporters e-mailed once {once}, e-mail duplicates "
        f"{mail_duplicates}, texts sent {len(texts)} (held for quiet hours {held_sms}), text "
        f"duplicates {text_duplicates}, slowest answer {slowest:.2f} s"
    )
    assert codes == {201: REPORTS}
    assert complaints.count() == REPORTS
    assert not opened.filter(notified_at__isnull=True).exists()
    # one row per reporter and channel, every e-mail sent, once
    assert told.filter(channel=Channel.EMAIL).count() == REPORTS
    assert told.filter(channel=Channel.SMS).count() == REPORTS
    assert told.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count() == REPORTS
    assert len(mails) == REPORTS and set(mails.values()) == {1}
    # texts: at most once; held until the morning when the stream ran in the quiet hours
    assert set(texts.values()) <= {1}
    assert len(texts) + held_sms == REPORTS
