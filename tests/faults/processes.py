"""Real processes for the fault tests: a Redis of their own, the web app under gunicorn and a
Celery worker, all on 127.0.0.1 and on this run's PostgreSQL test database.

The CI's own worker and Redis (port 6379) are left alone: every process here talks to a Redis
started on a free port, which a test may kill and start again. The processes run the embedded
default's settings (`config.settings.local`) with their files under a temporary folder, so the
e-mails and texts they send can be counted as files.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: Any, what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.2)


class Redis:
    """A throw-away redis-server: no persistence, so a kill loses what it held."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.answers, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL: connections drop, every queued message is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class App:
    """The environment the web and worker processes share, and the processes themselves."""

    def __init__(self, redis: Redis, folder: Path) -> None:
        db = connection.settings_dict
        self.folder = folder
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "REDIS_URL": redis.url,
            "ECOLOOP_VAR_DIR": str(folder),
            "ECOLOOP_PUBLIC_SUBMIT_RATE": "100000/hour",
            "ECOLOOP_PUBLIC_LOOKUP_RATE": "100000/hour",
            "DJANGO_DEBUG": "0",
            "PYTHONWARNINGS": "ignore",
        }
        self.env.pop("ECOLOOP_TEST_WORKER", None)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.web_port = free_port()

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=BASE_DIR, env=self.env, stdout=log, stderr=log
        )
        self.processes[name] = process
        return process

    def start_web(self, workers: int = 2) -> None:
        self._spawn(
            "web",
            [
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(workers),
                "--threads",
                "2",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--timeout",
                "60",
            ],
        )

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"{self.web_url}/healthz/", timeout=2) as reply:
                    return bool(reply.status == 200)
            except OSError:
                return False

        _wait(healthy, "gunicorn")

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = self._spawn(
            "worker",
            [
                "celery",
                "--app",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
        )
        log = self.folder / "worker.log"
        _wait(lambda: b"ready." in log.read_bytes(), "the Celery worker")
        return worker

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def run(self, code: str) -> str:
        """Run Python in the app's settings (the beat's catch-up, as the beat would run it)."""
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py shell failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def catch_up(self, *, past_stuck: bool = False) -> None:
        """What the beat's two catch-up jobs do, until nothing is left to deliver."""
        later = "+ delivery.STUCK_AFTER + dt.timedelta(minutes=1)" if past_stuck else ""
        self.run(
            "import datetime as dt\n"
            "from django.utils import timezone\n"
            "from workflow import delivery, notifications\n"
            "from workflow.models import CaseEvent\n"
            f"delivery.release_stuck(timezone.now() {later})\n"
            "while CaseEvent.objects.filter(notified_at__isnull=True).exists():\n"
            "    notifications.deliver_pending(now=timezone.now(), older_than=dt.timedelta(0))\n"
            "for _ in range(1000):\n"
            "    if not delivery.due_notifications(timezone.now()).exists():\n"
            "        break\n"
            "    delivery.deliver_due(timezone.now())\n"
        )

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def files(self, kind: str) -> list[str]:
        """The messages sent, one text per file (kind: "mail" or "sms")."""
        folder = self.folder / kind
        if not folder.exists():
            return []
        return [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]


@contextmanager
def stack(tmp_path: Path) -> Iterator[tuple[Redis, App]]:
    redis = Redis(free_port(), tmp_path)
    redis.start()
    app = App(redis, tmp_path)
    try:
        yield redis, app
    finally:
        app.stop()
        redis.kill()
