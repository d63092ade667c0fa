"""The bureau's rhythm: 日分析, 周调度, 月通报 and the rules they apply."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from workflow.models import Unit
from workflow.roles import Role


def digest(content: dict[str, Any]) -> str:
    """The sha256 of a document's content in canonical JSON: what its page checks, and what a
    changed row (past the trigger) would no longer match."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def people_of(unit: Unit, *roles: Role) -> QuerySet[Any]:
    """The unit's active staff holding one of the roles."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__unit=unit, groups__name__in=[r.value for r in roles])
        .distinct()
    )


def bureau_readers(region: Unit) -> QuerySet[Any]:
    """Who reads a bureau's whole document: its heads, leaders and dispatchers."""
    return people_of(region, Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER)


def unit_readers(unit: Unit) -> list[Any]:
    """Who reads a unit's part: its heads, or its handlers where it has none (a town's 环保专干)."""
    return list(people_of(unit, Role.SUPERVISOR) or people_of(unit, Role.HANDLER))
