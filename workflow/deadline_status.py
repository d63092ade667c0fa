"""How urgent a case is, from its denormalised main deadline: the console's badge and the API's
`due_status`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

OVERDUE, WARNING, ON_TRACK, NO_DEADLINE, DONE = "overdue", "warning", "ok", "none", "done"

TONE_LABELS = {
    OVERDUE: _("已逾期"),
    WARNING: _("临近期限"),
    ON_TRACK: _("正常"),
    NO_DEADLINE: _("无期限"),
    DONE: _("已办结"),
}


def deadline_tone(case: Any, now: dt.datetime) -> str:
    """Red once the deadline has passed, amber from the warning moment (D − 3 working days)."""
    if case.closed_at is not None:
        return DONE
    if case.due_at is None:
        return NO_DEADLINE
    if now > case.due_at:
        return OVERDUE
    if case.warn_at is not None and now >= case.warn_at:
        return WARNING
    return ON_TRACK
