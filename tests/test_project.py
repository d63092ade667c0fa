"""The project as a newcomer and an operator meet it: the layout, the one-command run, the
production stack and the deployment checklist."""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

ALLOWED_TOP_LEVEL = {
    "workflow",
    "enforcement",
    "config",
    "tests",
    "seeds",
    "bench",
    ".ci",
    "manage.py",
    "docker-compose.yml",
    "Dockerfile",
    ".dockerignore",
    "README.md",
    "docs",
    "pyproject.toml",
    "uv.lock",
}

OPTIONAL_TOP_LEVEL = {"bench"}

#: Variables that would point a child process at another database, broker or settings module.
FOREIGN_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "ECOLOOP_TEST_DB_NAME",
    "ECOLOOP_TEST_WORKER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the test suite's (conftest), refused by check --deploy
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    return {**env, **extra}


# --- layout -----------------------------------------------------------------------------------


def project_files() -> list[str]:
    """Tracked files plus untracked ones git would offer to add (ignored files are local)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if (ROOT / line).exists()]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
def test_the_top_level_holds_only_the_agreed_entries():
    top = {path.split("/", 1)[0] for path in project_files()}
    # Dotfiles (.gitignore, .python-version, …) are configuration and may sit at the top.
    assert {name for name in top - ALLOWED_TOP_LEVEL if not name.startswith(".")} == set()
    missing = ALLOWED_TOP_LEVEL - OPTIONAL_TOP_LEVEL - top
    assert missing == set()


# --- docker compose ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


APP_SERVICES = ("migrate", "web", "worker", "beat")


def test_compose_runs_the_production_stack(compose):
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]


def test_compose_runs_exactly_one_beat(compose):
    services = compose["services"]
    with_beat = [
        name
        for name, service in services.items()
        if "beat" in service.get("command", []) or "--beat" in service.get("command", [])
    ]
    assert with_beat == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_every_long_running_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name == "migrate":
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test, f"{name} has no healthcheck"


def test_application_services_wait_for_healthy_dependencies(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_application_services_share_one_image_built_from_the_dockerfile(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    assert all(services[name]["build"] in (".", {"context": "."}) for name in APP_SERVICES)
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_data_lives_in_named_volumes(compose):
    services = compose["services"]
    assert set(compose["volumes"]) >= {"pgdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert all("media:/data/media" in services[name]["volumes"] for name in APP_SERVICES)


def test_the_image_runs_as_an_unprivileged_user_from_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.12-slim" in dockerfile
    assert "uv sync --frozen" in dockerfile
    # the SMS providers' SDKs are extras; production's backend imports one at the first text
    assert "--all-extras" in dockerfile
    assert "collectstatic" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}


# --- deployment checklist ---------------------------------------------------------------------


def test_production_settings_pass_the_deployment_checklist():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://ecoloop@db.example.org/ecoloop",
        REDIS_URL="redis://redis.example.org:6379/0",
        ECOLOOP_SMS_BACKEND="workflow.sms.AliyunBackend",
        ECOLOOP_SMS_TEMPLATES=(
            '{"CASE_STATE": "SMS_1", "ESCALATION": "SMS_2", "COMPLAINT_STATUS": "SMS_3"}'
        ),
        ECOLOOP_PII_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_key_for_reporters_identities():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://ecoloop@db.example.org/ecoloop",
        REDIS_URL="redis://redis.example.org:6379/0",
    )
    env.pop("ECOLOOP_PII_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ECOLOOP_PII_KEY must be set in production" in result.stderr


# --- manage.py runall -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def processes_in_session(sid: int) -> dict[int, str]:
    """Live (non-zombie) processes whose session is `sid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        state, _ppid, _pgrp, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def wait_for_http_200(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float
) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                "runall exited before the web server answered:\n" + log.read_text()
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic()
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer 200 within {timeout} s")


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc")
def test_runall_serves_the_app_and_ctrl_c_stops_every_process(tmp_path):
    # given a fresh embedded install (its own SQLite database and broker)
    port = free_port()
    log = tmp_path / "runall.log"
    env = clean_env(ECOLOOP_VAR_DIR=str(tmp_path / "var"))
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runall", "--addrport", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session: every descendant can be found, and cleaned
        )
    try:
        # when it answers on /login/
        answered = wait_for_http_200(f"http://127.0.0.1:{port}/login/", process, log, timeout=180)
        print(f"runall: first HTTP 200 after {answered - started:.1f} s")
        # and has printed where to go and who to log in as
        banner_deadline = time.monotonic() + 30
        while "dispatcher" not in log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() < banner_deadline, log.read_text()
            time.sleep(0.2)
        children = processes_in_session(process.pid)
        assert any("celery" in cmd and "worker" in cmd for cmd in children.values()), children
        assert any("runserver" in cmd for cmd in children.values()), children

        # and serves as production does: the Chinese 404 page with the site's header, no debug
        # page, static files from WhiteNoise; the console stays as the banner left it
        mistyped = urllib.request.Request(
            f"http://127.0.0.1:{port}/no-such-page/", headers={"Accept-Language": "zh-CN"}
        )
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(mistyped, timeout=10)
        page = not_found.value.read().decode()
        assert not_found.value.code == 404
        assert "页面不存在" in page and 'class="topbar"' in page
        assert "URLconf" not in page  # Django's debug 404 lists the URL patterns
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/console/console.css") as css:
            assert css.status == 200
        time.sleep(3)
        running = log.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
        assert running[-1].startswith("====="), running[-5:]  # the banner is the last output
        assert running[-2] == "按 Ctrl-C 停止全部服务。"

        # and receives Ctrl-C
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=60)

        # then it stopped cleanly, leaving nothing behind
        output = log.read_text(encoding="utf-8", errors="replace")
        assert returncode == 0, output
        time.sleep(0.5)
        assert processes_in_session(process.pid) == {}, output
        assert f"EcoLoop 已启动：http://127.0.0.1:{port}/" in output
        assert output.count("yz_supervisor") == 1  # the logins, listed once
        assert "EcoLoop 已停止" in output
        # nothing a reporter wrote or is sent reaches the terminal: messages are files
        assert "@example.org" not in output
        assert "AXES: BEGIN" not in output
        assert "Traceback" not in output
    finally:
        for pid in processes_in_session(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()


def test_production_refuses_to_start_without_postgresql_and_redis():
    # given production settings with a secret but no database or broker URL
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    # when anything loads them
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    # then it stops with a clear reason instead of falling back to the embedded SQLite database
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production" in result.stderr


# --- a fresh clone, before the first run -----------------------------------------------------


def manage(*args: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env(ECOLOOP_VAR_DIR=str(var_dir))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_duedate_answers_on_a_fresh_clone_without_creating_a_database(tmp_path):
    # given no database yet
    var_dir = tmp_path / "var"
    # when a person checks a due date by hand
    result = manage("duedate", "2026-09-28", "5", "workdays", var_dir=var_dir)
    # then the packaged calendar answers (a make-up Saturday counts), and no file was made
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-10-10"
    assert "Traceback" not in result.stderr
    assert not (var_dir / "ecoloop.sqlite3").exists()


@pytest.mark.parametrize("command", [["seed", "--logins"], ["verify_chain"], ["runserver"]])
def test_a_command_that_needs_the_database_says_in_one_line_how_to_create_it(tmp_path, command):
    var_dir = tmp_path / "var"
    result = manage(*command, var_dir=var_dir)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "数据库尚未创建或尚未迁移：请先运行 uv run manage.py migrate 或 uv run manage.py runall"
    ]
    assert not (var_dir / "ecoloop.sqlite3").exists()


def test_public_links_printed_elsewhere_point_at_the_address_runall_serves(tmp_path):
    # given runall serving on another port, which it writes down while it runs
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "server-url").write_text("http://127.0.0.1:8765", encoding="utf-8")
    # when another terminal loads the local settings (as `seed --logins` does)
    env = clean_env(ECOLOOP_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings.local")
    env.pop("ECOLOOP_PUBLIC_BASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.ECOLOOP_PUBLIC_BASE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # then the tracking links use that address
    assert result.stdout.strip() == "http://127.0.0.1:8765"
