"""Queryset scopes paired with the permission predicates of `workflow.permissions`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from workflow.case_types import registry
from workflow.models.case import HANDLER_TRANSITIONS
from workflow.models.unit import unit_of
from workflow.permissions import roles_of
from workflow.roles import Role

NOTHING = Q(pk__in=[])


def visible_cases_q(user: Any) -> Q:
    """↔ `permissions.can_view_case`: the user's unit's cases, and those assigned to it."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Q()
    unit = unit_of(user)
    if unit is None:
        return NOTHING
    return (
        Q(jurisdiction__path__startswith=unit.reach().path)
        | Q(responsible_unit__path__startswith=unit.path)
        | Q(responsible_unit__code__in=ancestor_codes(unit))
    )


def ancestor_codes(unit: Any) -> list[str]:
    """The codes of a unit and the units above it, read off its materialised path."""
    return [code for code in unit.path.split("/") if code]


def awaiting_q(user: Any) -> Q:
    """Cases in a state where one of the user's roles acts next, within their reach.

    Mirrors the transition permissions: a handler acts for the responsible unit, the others for
    the jurisdiction; separation of duties removes cases the user handled from verification and
    closure, and the case's own verifier concludes a verification.
    """
    unit = unit_of(user)
    roles = roles_of(user)
    if unit is None or not roles:
        return NOTHING
    in_jurisdiction = Q(jurisdiction__path__startswith=unit.reach().path)
    # ↔ permissions.works_in_responsible_unit: the responsible unit is mine or above mine.
    in_unit = Q(responsible_unit__code__in=ancestor_codes(unit))

    own_work = NOTHING  # the responsible unit's work and the dispatcher's
    oversight = NOTHING  # verification, closure and extension decisions
    for case_type in registry:
        for state, role in case_type.actors.items():
            if role.value not in roles:
                continue
            here = Q(kind=case_type.kind, state=state)
            if role in (Role.HANDLER, Role.INSPECTOR):
                own_work |= here & in_unit
            elif role == Role.DISPATCHER:
                own_work |= here & in_jurisdiction
            elif role == Role.VERIFIER and state == "verifying":
                oversight |= here & Q(verifier=user)
            else:
                oversight |= here & in_jurisdiction
        if {Role.SUPERVISOR.value, Role.LEADER.value} & roles:
            oversight |= (
                Q(kind=case_type.kind, state="rectifying", pending_extension_days__isnull=False)
                & in_jurisdiction
            )
    # Separation of duties: nobody verifies or approves what they handled.
    from workflow.models.case import Case

    handled = Case.objects.filter(
        Q(events__actor=user, events__transition__in=HANDLER_TRANSITIONS) | Q(assignee=user)
    ).values("pk")
    return own_work | (oversight & ~Q(pk__in=handled))
