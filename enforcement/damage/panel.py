"""The damage case's panel on the console's case page (`CaseType.detail_context`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enforcement.models import DamageCase
from workflow.models import Case


def damage_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    damage = case.specific
    assert isinstance(damage, DamageCase)
    return {"case": damage, "parties": list(damage.parties.all())}
