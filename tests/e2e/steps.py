"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any


def act(page: Any, action: str, *, note: str = "", fill: Any = None) -> None:
    """Click an action button, fill the panel htmx brings in, confirm, and wait for the banner."""
    page.locator(".actions__buttons").get_by_role("link", name=action, exact=True).click()
    form = page.locator("#transition-panel form")
    form.wait_for()
    if fill is not None:
        fill(form)
    if note:
        form.get_by_label("意见/说明").fill(note)
    form.get_by_role("button", name=f"确认{action}").click()
    page.locator(".flash--success", has_text=f"已完成“{action}”").wait_for()
