"""The inspection's panel on the console's case page (`CaseType.detail_context`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enforcement.models import Inspection
from workflow.models import Case


def inspection_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    inspection = case.specific
    assert isinstance(inspection, Inspection)
    inspectors = list(inspection.inspectors.select_related("credential").order_by("pk"))
    return {"inspection": inspection, "inspectors": inspectors}
