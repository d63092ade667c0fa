"""The enforcement case's and the correction order's panels on the console's case page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enforcement.models import CorrectionOrder, EnforcementCase
from workflow.models import Case


def enforcement_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    enforcement = case.specific
    assert isinstance(enforcement, EnforcementCase)
    return {"case": enforcement}


def correction_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    order = case.specific
    assert isinstance(order, CorrectionOrder)
    return {"order": order}
