"""`manage.py runall`: the whole embedded stack in one process tree, for a newcomer and for demos.

1. Apply migrations and collect the static files.
2. Start a Celery worker with embedded beat and the web server as children, and meanwhile write
   the demo city on the first run (`manage.py seed`, idempotent).
3. Wait until the web server answers, then print the address and the demo logins: the banner is
   the last thing on the screen.
4. On Ctrl-C (SIGINT), SIGTERM or SIGHUP stop both children and wait for them; if either child
   dies on its own, stop the other and exit non-zero. Nothing is left running.

The demo serves as production does: `DEBUG` off (the Chinese error pages, not Django's debug
pages), static files collected and served by WhiteNoise, one log line per server error rather
than per request. `runserver` on its own keeps the local settings' `DEBUG` for development.

Each child runs in its own process group, so a terminal's Ctrl-C reaches only this process, which
then stops the children once and in order (web first, then the worker, which finishes its current
task: a second SIGINT from the terminal would make Celery abandon it). Stopping signals a whole
group, so the beat process the worker starts goes too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: How long a child gets to stop after SIGTERM before its process group is killed.
STOP_TIMEOUT = 15.0
#: How long the web server may take to answer its first request.
READY_TIMEOUT = 90.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: Where the address being served is written, for `seed --logins` run from another terminal.
SERVER_URL_FILE = "server-url"
WILDCARD_HOSTS = ("0.0.0.0", "::")


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    def running(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it if runall itself is killed (-9)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def parse_addrport(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"--addrport 应为“地址:端口”或“端口”，收到 {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


class Command(BaseCommand):
    help = "一条命令启动全部服务：迁移、首次写入演示数据、Celery worker（含 beat）与 Web 服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport",
            default=os.environ.get("ECOLOOP_ADDRPORT", "127.0.0.1:8000"),
            help="address and port of the web server (default 127.0.0.1:8000)",
        )
        parser.add_argument("--no-seed", action="store_true", help="do not write the demo data")
        parser.add_argument(
            "--worker-loglevel", default="WARNING", help="Celery worker log level (WARNING)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        host, port = parse_addrport(options["addrport"])
        call_command("migrate", interactive=False, verbosity=0)
        # The embedded default caches in the database (rate limits shared by every process).
        call_command("createcachetable", verbosity=0)
        # With DEBUG off nothing serves the apps' static folders: WhiteNoise serves STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)

        stop = threading.Event()
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda signum, frame: stop.set())

        web_url = f"http://{'127.0.0.1' if host in WILDCARD_HOSTS else host}:{port}"
        if not os.environ.get("ECOLOOP_PUBLIC_BASE_URL"):
            # Links written for the public (tracking pages in messages, the seed's list) point at
            # the server this command starts; the children inherit it.
            os.environ["ECOLOOP_PUBLIC_BASE_URL"] = web_url
            settings.ECOLOOP_PUBLIC_BASE_URL = web_url
        server_url_file = settings.VAR_DIR / SERVER_URL_FILE

        children: list[Child] = []
        failed: Child | None = None
        try:
            children.append(self._start("worker", self._worker_command(options["worker_loglevel"])))
            children.append(self._start("web", self._web_command(host, port), self._web_env(host)))
            if not options["no_seed"]:
                # While the children import Django: the seed is one short transaction, and the
                # web server only reads until someone logs in.
                self._seed()
            if self._wait_until_ready(f"{web_url}/login/", children, stop):
                server_url_file.write_text(web_url, encoding="utf-8")
                elapsed = time.monotonic() - started
                self._banner(f"{web_url}/", elapsed)
            failed = self._supervise(children, stop)
        finally:
            self._stop_all(children)
            server_url_file.unlink(missing_ok=True)
        if failed is not None:
            raise CommandError(f"{failed.name} 进程意外退出（代码 {failed.process.returncode}）。")
        self.stdout.write("EcoLoop 已停止。")

    def _seed(self) -> None:
        try:
            # Quietly: the banner lists the logins once the web server answers.
            call_command("seed", verbosity=0, stdout=self.stdout)
        except CommandError as refused:
            self.stderr.write(f"未写入演示数据：{refused}")

    # --- children -----------------------------------------------------------------------------

    def _worker_command(self, loglevel: str) -> list[str]:
        # One process with embedded beat: on the SQLite database and broker more worker processes
        # would only queue for the write lock. Production runs workers and beat separately.
        return [
            sys.executable,
            # A demo started as root (a container, a CI box) is told so by Celery at every start;
            # production runs its workers as an unprivileged user (Dockerfile).
            "-W",
            "ignore::celery.exceptions.SecurityWarning",
            "-m",
            "celery",
            "--app",
            "config",
            "--quiet",  # no banner: the address and logins printed here stay the last words
            "worker",
            "--beat",
            "--pool",
            "solo",
            "--loglevel",
            loglevel,
            "--schedule",
            str(settings.VAR_DIR / "celerybeat-schedule"),
        ]

    def _web_command(self, host: str, port: int) -> list[str]:
        addrport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        manage = str(settings.BASE_DIR / "manage.py")
        # The checks ran in this process before the children started. Run again in the web
        # child they would probe SQLite (its JSON support) while the seed holds the write lock,
        # read "locked" as "unsupported" and refuse to serve (fields.E180).
        return [sys.executable, manage, "runserver", "--noreload", "--skip-checks", addrport]

    def _web_env(self, host: str) -> dict[str, str]:
        env = {
            # DEBUG off unless the person asked for it; Django's own "development server"
            # warning is for `runserver` users, not for a demo that serves like production.
            "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "0"),
            "DJANGO_RUNSERVER_HIDE_WARNING": "true",
            # One line per server error, not per request: the banner stays readable.
            "ECOLOOP_REQUEST_LOG_LEVEL": os.environ.get("ECOLOOP_REQUEST_LOG_LEVEL", "ERROR"),
        }
        if "DJANGO_ALLOWED_HOSTS" not in os.environ:
            # Served on every interface, the demo answers whatever name the browser used.
            hosts = ["*"] if host in WILDCARD_HOSTS else [*settings.ALLOWED_HOSTS, host]
            env["DJANGO_ALLOWED_HOSTS"] = ",".join(hosts)
        return env

    def _start(
        self, name: str, command: list[str], extra_env: dict[str, str] | None = None
    ) -> Child:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
        process = subprocess.Popen(
            command,
            env=env,
            cwd=settings.BASE_DIR,
            process_group=0,
            preexec_fn=_die_with_parent,  # no threads run yet: preexec_fn is safe here
        )
        return Child(name, process)

    def _wait_until_ready(self, url: str, children: list[Child], stop: threading.Event) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline and not stop.is_set():
            if not all(child.running() for child in children):
                return False
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return True
            except urllib.error.HTTPError:
                return True  # it answers; the page itself is the console's business
            except OSError:
                stop.wait(0.2)
        if not stop.is_set():
            self.stderr.write(f"Web 服务 {READY_TIMEOUT:.0f} 秒内未响应 {url}，继续等待。")
        return False

    def _banner(self, url: str, elapsed: float) -> None:
        line = "=" * 64
        self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"EcoLoop 已启动：{url}（用时 {elapsed:.1f} 秒）"))
        call_command("seed", "--logins", stdout=self.stdout)
        self.stdout.write("按 Ctrl-C 停止全部服务。")
        self.stdout.write(line)

    def _supervise(self, children: list[Child], stop: threading.Event) -> Child | None:
        """Wait for a stop signal or for a child to exit on its own (returned)."""
        while not stop.wait(0.5):
            for child in children:
                if not child.running():
                    return child
        return None

    def _stop_all(self, children: list[Child]) -> None:
        # The web server first, so no new work arrives while the worker finishes its task.
        for child in reversed(children):
            if child.running():
                child.signal_group(signal.SIGTERM)
                self._wait(child, STOP_TIMEOUT)
            # The worker's beat process may outlive it briefly: clear the whole group.
            child.signal_group(signal.SIGKILL)

    def _wait(self, child: Child, timeout: float) -> None:
        try:
            child.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stderr.write(f"{child.name} 未在 {timeout:.0f} 秒内停止，强制结束。")
            child.signal_group(signal.SIGKILL)
            child.process.wait()
