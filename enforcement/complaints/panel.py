"""The complaint's panel on the console's case page (`CaseType.detail_context`).

Everyone who can see the case sees the matter: what, where, about whom, the statutory clocks and
the reply. Only the intake role of the complaint's bureau (the one who may open the reporter's
identity) also sees what concerns the reporter: whether the complaint is anonymous, the tracking
code (read to a phone caller), the reveal form and its log, and the duplicate suggestions with a
merge button. Everyone else gets none of it, not even the anonymous / reward flags.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules

from enforcement.complaints.duplicates import suggestions_for
from enforcement.complaints.rules import can_reveal_identity
from enforcement.damage.panel import damage_cases_linked_to
from enforcement.models import Complaint, ComplaintState, EnforcementCase
from workflow.models import Case
from workflow.models.case import CaseState
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.transitions import available_transitions

#: The states in which the verifier checks the handler's report on site (现场核查).
ON_SITE_STATES = (CaseState.REPORTED, CaseState.VERIFYING)


def is_intake_for(user: Any, complaint: Complaint) -> bool:
    """The intake role of the complaint's bureau: the only staff who see the reporter's side."""
    return bool(can_reveal_identity(user, complaint))


def reply_drafted(complaint: Complaint) -> bool:
    """The handler's 反馈 carried the reply: the 处理意见书 can be printed (as a draft until the
    supervisor signs it)."""
    return bool(complaint.reply_opinion.strip())


def detail_context(case: Case, user: Any, now: dt.datetime) -> dict[str, Any]:
    complaint = case.specific  # the case itself when it is loaded as a Complaint
    assert isinstance(complaint, Complaint)
    merged_into = None
    if complaint.merged_into_id is not None:
        merged_into = Complaint.objects.visible_to(user).filter(pk=complaint.merged_into_id).first()
    context: dict[str, Any] = {
        "complaint": complaint,
        "merged_into": merged_into,
        "reply_drafted": reply_drafted(complaint),
        "is_intake": False,
        # The enforcement cases this complaint started (立案查处), as far as the person sees them.
        "enforcement_cases": list(
            EnforcementCase.objects.filter(
                source_complaint=complaint, pk__in=Case.objects.visible_to(user).values("pk")
            ).order_by("created_at", "pk")
        ),
        # 现场核查 is the verifier's: the case's own once one has taken it, before that any
        # verifier who may start the verification.
        "can_check_on_site": complaint.state in ON_SITE_STATES
        and (
            complaint.verifier_id == user.pk
            if complaint.verifier_id is not None
            else has_role(user, Role.VERIFIER)
        ),
        "can_open_enforcement": has_role(user, Role.INSPECTOR),
        # The damage claims this complaint was referred to (移送损害赔偿线索), and who may refer it.
        "damage_cases": damage_cases_linked_to(complaint, user),
        "can_refer_damage": bool(rules.test_rule("enforcement.damage_handle", user, complaint)),
    }
    if not is_intake_for(user, complaint):
        return context
    suggestions: list[Complaint] = []
    can_merge = False
    if complaint.state == ComplaintState.REGISTERED:
        suggestions = suggestions_for(complaint, user)
        can_merge = any(
            spec.name == "merge" for spec in available_transitions(complaint, user, now=now)
        )
    context.update(
        is_intake=True,
        tracking_code=complaint.tracking_code,
        suggestions=suggestions,
        can_merge=can_merge,
        reveals=list(complaint.reveals.select_related("actor")[:50]),
    )
    return context
