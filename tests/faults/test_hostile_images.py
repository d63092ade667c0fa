"""A stream of hostile images at the public form while real reports are filed: every hostile
submission is refused quickly from the image headers, no real report waits on a lock, and the
web processes' memory stays bounded (issue 13: a 10000×10000 PNG used to take 15 s and ten of
them grew a process to 1 GiB while holding SQLite's write lock)."""

from __future__ import annotations

import io
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from captcha.models import CaptchaStore
from PIL import Image

from enforcement.models import Complaint
from tests.conftest import photo_bytes
from tests.faults.processes import stack

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOSTILE, REAL = 30, 20
#: What a hostile submission may cost, and how long a real one may wait meanwhile.
HOSTILE_LIMIT, REAL_LIMIT = 2.0, 5.0
MEMORY_LIMIT_MIB = 512


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def peak_memory_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) / 1024


def web_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def submit(base: str, district: Any, files: list[tuple[str, bytes]]) -> tuple[int, float, str]:
    session = requests.Session()
    page = session.get(f"{base}/complaints/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    key = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="captcha_0"', page
    )
    assert token is not None and key is not None
    answer = CaptchaStore.objects.get(hashkey=key.group(1)).response
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "captcha_0": key.group(1),
        "captcha_1": answer,
        "category": "air",
        "description": "每天夜里十点后排放黑烟，气味刺鼻，已经持续两周（图片故障测试）",
        "location": "小店区北格镇工业园东侧",
        "jurisdiction": str(district.pk),
        "anonymous": "on",
    }
    begin = time.monotonic()
    reply = session.post(
        f"{base}/complaints/",
        data=data,
        files=[("attachments", (name, content, "image/png")) for name, content in files],
        headers={"Referer": f"{base}/complaints/"},
        allow_redirects=False,
        timeout=60,
    )
    return reply.status_code, time.monotonic() - begin, reply.text


def test_hostile_images_cost_little_and_hold_up_nobody(
    district: Any, tmp_path: Any, figures: Any
) -> None:
    bombs = [
        [("炸弹.png", png(10000, 10000))] * 10,  # 100 MP each, 12 KB each
        [("巨图.png", png(30000, 30000))],  # 900 MP, beyond Pillow's own cap
        [(f"大图{n}.png", png(9000, 5000)) for n in range(5)],  # 45 MP each, 225 MP together
    ]
    photo = [("现场.jpg", photo_bytes())]
    hostile: list[tuple[int, float, str]] = []
    real: list[tuple[int, float, str]] = []
    lock = threading.Lock()

    with stack(tmp_path) as (_redis, app):
        app.start_web(workers=2)
        app.start_worker()

        def attack(n: int) -> None:
            result = submit(app.web_url, district, bombs[n % len(bombs)])
            with lock:
                hostile.append(result)

        def file_one(_n: int) -> None:
            result = submit(app.web_url, district, photo)
            with lock:
                real.append(result)

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            attacks = [pool.submit(attack, n) for n in range(HOSTILE)]
            reports = [pool.submit(file_one, n) for n in range(REAL)]
            for future in [*attacks, *reports]:
                future.result()
        seconds = time.monotonic() - started
        peaks = [peak_memory_mib(pid) for pid in web_workers(app.processes["web"].pid)]

    slowest_hostile = max(s for _c, s, _t in hostile)
    slowest_real = max(s for _c, s, _t in real)
    figures(
        f"hostile images: {HOSTILE} hostile and {REAL} real submissions in {seconds:.1f} s; "
        f"hostile answered {sorted({c for c, _s, _t in hostile})} in at most "
        f"{slowest_hostile:.2f} s; real answered {sorted({c for c, _s, _t in real})}, max wait "
        f"{slowest_real:.2f} s; web workers' peak memory {', '.join(f'{p:.0f}' for p in peaks)} MiB"
    )
    assert {c for c, _s, _t in hostile} == {400}
    assert all("分辨率过大" in text for _c, _s, text in hostile)
    assert slowest_hostile < HOSTILE_LIMIT
    assert {c for c, _s, _t in real} == {303}
    assert slowest_real < REAL_LIMIT
    assert Complaint.objects.filter(description__contains="图片故障测试").count() == REAL
    assert max(peaks) < MEMORY_LIMIT_MIB
