"""The inspection's panel on the console's case page (`CaseType.detail_context`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from enforcement.inspections.forms import CheckResult
from enforcement.models import Inspection, InspectionState
from workflow.models import Case
from workflow.templatetags.console_tags import person


def _line(user: Any) -> str:
    """A name with its 执法证号 (a task's inspector may not hold one yet)."""
    credential = getattr(user, "credential", None)
    if credential is None:
        return person(user)
    return _("%(name)s（执法证号 %(no)s）") % {"name": person(user), "no": credential.number}


def inspection_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    inspection = case.specific
    assert isinstance(inspection, Inspection)
    inspectors = list(inspection.inspectors.select_related("credential").order_by("pk"))
    results = dict(CheckResult.CHOICES)
    checklist = [
        {
            "item": line.get("item", ""),
            "result": line.get("result", ""),
            "label": results.get(line.get("result", ""), line.get("result", "")),
            "note": line.get("note", ""),
        }
        for line in inspection.checklist
    ]
    inspector_lines = [_line(u) for u in inspectors]
    is_inspector = any(u.pk == user.pk for u in inspectors)
    # A scheduled task is recorded through the generic transition page ("填写检查记录").
    record_transition = ""
    if inspection.state == InspectionState.SCHEDULED and (is_inspector or not inspectors):
        record_transition = "record_random" if inspection.plan_id else "record"
    return {
        "inspection": inspection,
        "inspectors": inspectors,
        "inspector_lines": inspector_lines,
        "checklist": checklist,
        "problem": CheckResult.PROBLEM,
        "subject": inspection.subject_case,
        "plan": inspection.plan,
        "record_transition": record_transition,
        "record_transition_label": _("填写检查记录"),
        "may_follow_up": bool(inspection.problem_found and inspection.record_no and is_inspector),
    }
