"""Who may act on inspections, enforcement cases and correction orders, as `rules` predicates.

Inspectors work for their 执法大队, the case's responsible unit; heads (负责人: the bureau's
supervisors and leaders) approve and decide; a 法制审核员 reviews. Nobody approves, reviews or
decides a case they investigated (separation of duties, 行政处罚法 第五十七、五十八条).
"""

from __future__ import annotations

from typing import Any

import rules

from workflow.permissions import (
    has_role,
    in_jurisdiction,
    is_dispatcher,
    is_leader,
    is_supervisor,
    is_verifier,
    works_in_responsible_unit,
)
from workflow.roles import Role


@rules.predicate
def is_inspector(user: Any) -> bool:
    return has_role(user, Role.INSPECTOR)


@rules.predicate
def is_legal_reviewer(user: Any) -> bool:
    return has_role(user, Role.LEGAL_REVIEWER)


def investigator_ids(case: Any) -> set[int]:
    """The people who investigated: an enforcement case's 承办人员, an inspection's inspectors,
    a correction order's case's 承办人员 (cached per instance)."""
    cached: set[int] | None = case.__dict__.get("_investigator_ids")
    if cached is None:
        specific = case.specific
        if hasattr(specific, "investigators"):
            cached = set(specific.investigators.values_list("pk", flat=True))
        elif hasattr(specific, "inspectors"):
            cached = set(specific.inspectors.values_list("pk", flat=True))
        elif getattr(specific, "enforcement_case_id", None):
            cached = set(specific.enforcement_case.investigators.values_list("pk", flat=True))
        else:
            cached = set()
        case.__dict__["_investigator_ids"] = cached
    return cached


@rules.predicate
def investigated_case(user: Any, case: Any) -> bool:
    return bool(user.is_authenticated and user.pk in investigator_ids(case))


@rules.predicate
def assigned_or_open_task(user: Any, case: Any) -> bool:
    """A drawn task belongs to the two inspectors drawn for it; an unassigned one to anyone of
    the unit."""
    ids = investigator_ids(case)
    return not ids or user.pk in ids


@rules.predicate
def is_hearing_chair(user: Any, case: Any) -> bool:
    return bool(user.is_authenticated and case.specific.hearing_chair_id == user.pk)


is_head = is_supervisor | is_leader
can_investigate = is_inspector & works_in_responsible_unit
can_inspect = (
    (is_inspector & works_in_responsible_unit) | (is_verifier & in_jurisdiction)
) & assigned_or_open_task
can_decide = is_head & in_jurisdiction & ~investigated_case
can_legal_review = is_legal_reviewer & in_jurisdiction & ~investigated_case
can_chair_hearing = is_hearing_chair | can_decide
#: Drawing opens inspection cases: dispatchers and leaders (who may open cases) plan them.
can_plan_inspections = (is_dispatcher | is_leader) & in_jurisdiction

rules.add_rule("enforcement.investigate", can_investigate)
rules.add_rule("enforcement.inspect", can_inspect)
rules.add_rule("enforcement.decide", can_decide)
rules.add_rule("enforcement.legal_review", can_legal_review)
rules.add_rule("enforcement.review_or_decide", can_legal_review | can_decide)
rules.add_rule("enforcement.chair_hearing", can_chair_hearing)
rules.add_rule("enforcement.plan_inspections", can_plan_inspections)
rules.add_rule("enforcement.publish_random_results", can_plan_inspections)
