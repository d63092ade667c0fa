"""Browser tests: Debian Chromium driven by Playwright against pytest-django's live server.

Never `playwright install`: the browser is the system one (CI installs `chromium fonts-noto-cjk`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

CHROMIUM = os.environ.get("ECOLOOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium(transactional_db: Any) -> Iterator[Any]:
    """One browser per test, started after the database is set up and stopped before it is
    flushed.

    While Playwright's sync API runs, asyncio sees a running loop in this thread, so asgiref
    hands Django a second, context-local set of connections. Test-database bookkeeping (the
    serialized rollback that restores the role groups) lives on the first set, so it must not be
    used while the browser runs; the second set is closed before the browser stops.
    """
    if not Path(CHROMIUM).exists():
        # A newcomer without the browser still runs the rest; CI must never skip silently.
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}: .ci/run installs it with apt")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def demo_city(transactional_db: Any) -> None:
    """The seeded Taiyuan demo, exactly as `manage.py seed` writes it."""
    call_command("seed", stdout=io.StringIO())


class SignIn:
    """Opens a fresh browser context (its own cookies) per person and signs them in."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[Any] = []
        #: Browser console errors (a CSP violation shows up here), per username.
        self.console_errors: list[str] = []

    def __call__(self, username: str, *, width: int = 1280) -> Any:
        context = self.browser.new_context(
            base_url=self.base_url, locale="zh-CN", viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{username}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(settings.ECOLOOP_DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.base_url}/")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def sign_in(demo_city: None, chromium: Any, live_server: Any) -> Iterator[SignIn]:
    signer = SignIn(chromium, live_server.url)
    yield signer
    signer.close()
