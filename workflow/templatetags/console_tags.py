"""Template vocabulary of the staff console: deadline badges, people, the top bar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from workflow import calendar, leadership, selectors
from workflow.calendar import SHANGHAI
from workflow.deadline_status import DONE, NO_DEADLINE, TONE_LABELS, deadline_tone
from workflow.models.escalation import Rung
from workflow.models.unit import unit_of
from workflow.permissions import has_role, roles_of
from workflow.record_values import full_name
from workflow.roles import Role

register = template.Library()


@register.inclusion_tag("console/_deadline_badge.html")
def deadline_badge(case: Any, now: dt.datetime) -> dict[str, Any]:
    tone = deadline_tone(case, now)
    return {
        "tone": tone,
        "label": TONE_LABELS[tone],
        "due": due_day(case.due_at) if case.due_at else None,
        # An hour-precise limit (即知即改, 边督边改) shows its minute too.
        "due_time": due_minute(case.due_at),
        "provisional": case.due_provisional and tone not in (DONE, NO_DEADLINE),
    }


@register.filter
def due_minute(due_at: dt.datetime | None) -> str:
    """The minute of an hour-precise limit ("18:30"); "" for one that ends with its day."""
    if due_at is None:
        return ""
    local = due_at.astimezone(SHANGHAI)
    return "" if local.time() == dt.time.min else f"{local:%H:%M}"


@register.inclusion_tag("console/_rung_badge.html")
def rung_badge(case: Any) -> dict[str, Any]:
    """The case's current rung of the ladder: amber for the warnings, red from 催办 (L3) on."""
    level = case.escalation_level
    if not level:
        return {"label": ""}
    return {
        "level": level,
        "label": Rung(level).label,
        "tone": "overdue" if level >= Rung.CHASE else "warning",
    }


@register.filter
def due_day(due_at: dt.datetime | None) -> dt.date | None:
    """The last day of a period: due moments are stored as 24:00, the next day's first instant."""
    if due_at is None:
        return None
    return (due_at.astimezone(SHANGHAI) - dt.timedelta(microseconds=1)).date()


@register.filter
def due_moment(due_at: dt.datetime | None) -> str:
    """A limit as people say it (`calendar.limit_text`): 24:00 of its day, or its minute."""
    return "" if due_at is None else calendar.limit_text(due_at)


@register.filter
def person(user: Any) -> str:
    """A person's name in Chinese order (姓 + 名), falling back to the login name."""
    if user is None:
        return _("系统")
    return full_name(user) or user.get_username()


@register.filter
def minutes(delta: dt.timedelta | None) -> int:
    return int(delta.total_seconds() // 60) if delta else 0


@register.simple_tag
def console_user(user: Any) -> dict[str, Any]:
    """What the top bar shows about the signed-in person."""
    labels = dict(Role.choices)
    unit = unit_of(user)
    is_leader = has_role(user, Role.LEADER)
    return {
        "name": person(user),
        "unit": unit.name if unit else "",
        "roles": [str(labels.get(name, name)) for name in sorted(roles_of(user))],
        "is_admin": bool(user.is_staff),
        "is_dispatcher": has_role(user, Role.DISPATCHER),
        "is_intake": has_role(user, Role.INTAKE),
        "is_inspector": has_role(user, Role.INSPECTOR, Role.VERIFIER),
        "is_supervisor": has_role(user, Role.SUPERVISOR),
        "is_legal": has_role(user, Role.LEGAL_REVIEWER),
        "unread": selectors.unread_count(user),
        "is_leader": is_leader,
        "suggestions": leadership.suggestions_for(user).count() if is_leader else 0,
    }
