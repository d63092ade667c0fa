"""Who may act on a complaint, as `rules` predicates (paired with `Case.objects.visible_to`)."""

from __future__ import annotations

from typing import Any

import rules

from workflow.models.unit import unit_of
from workflow.permissions import (
    handled_case,
    in_jurisdiction,
    is_intake,
    is_leader,
    is_supervisor,
)


@rules.predicate
def above_jurisdiction(user: Any, case: Any) -> bool:
    """《信访工作条例》第三十五条: 复查 is for the body one level up. A complaint of the top bureau
    has no level above it in the system: its own leaders record the upper body's 复查."""
    unit = unit_of(user)
    if unit is None:
        return False
    jurisdiction = case.jurisdiction
    if jurisdiction.parent_id is None:
        return unit.pk == jurisdiction.pk
    return unit.pk != jurisdiction.pk and jurisdiction.is_within(unit)


can_triage = is_intake & in_jurisdiction
can_call_back = is_intake & in_jurisdiction
can_extend_handling = is_leader & in_jurisdiction & ~handled_case
can_review = (is_supervisor | is_leader) & above_jurisdiction & ~handled_case
can_reveal_identity = is_intake & in_jurisdiction

rules.add_rule("enforcement.triage_complaint", can_triage)
rules.add_rule("enforcement.callback_complaint", can_call_back)
rules.add_rule("enforcement.extend_handling", can_extend_handling)
rules.add_rule("enforcement.review_complaint", can_review)
rules.add_rule("enforcement.reveal_identity", can_reveal_identity)
