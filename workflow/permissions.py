"""Who may do what to a case: role (Django Group) + jurisdiction (unit tree) + separation of duties.

Every predicate here is paired with a queryset scope in `workflow.querysets` (Wagtail's permission
policy pattern): `can_view_case(user, case)` ↔ `Case.objects.visible_to(user)`.
Transition permissions are callables, never string permissions: django-fsm-2 also accepts a
model-wide grant for a string permission, which would let a supervisor of one district close the
cases of another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from workflow.models.unit import unit_of
from workflow.roles import Role

if TYPE_CHECKING:
    from workflow.models.case import Case

ROLE_CACHE_ATTR = "_ecoloop_roles"


def roles_of(user: Any) -> frozenset[str]:
    """The role names of a user, read once per request object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, ROLE_CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, ROLE_CACHE_ATTR, cached)
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(roles_of(user) & {role.value for role in roles})


def _role_predicate(role: Role) -> rules.Predicate:
    return rules.predicate(lambda user: has_role(user, role), name=f"is_{role.value}")


is_intake = _role_predicate(Role.INTAKE)
is_dispatcher = _role_predicate(Role.DISPATCHER)
is_handler = _role_predicate(Role.HANDLER)
is_verifier = _role_predicate(Role.VERIFIER)
is_supervisor = _role_predicate(Role.SUPERVISOR)
is_leader = _role_predicate(Role.LEADER)
is_staff_admin = _role_predicate(Role.ADMIN)


@rules.predicate
def in_jurisdiction(user: Any, case: Case) -> bool:
    """The case belongs to the user's unit or a unit below it."""
    unit = unit_of(user)
    return unit is not None and case.jurisdiction.is_within(unit.reach())


@rules.predicate
def in_responsible_unit(user: Any, case: Case) -> bool:
    """The case is assigned to the user's unit or a unit below it."""
    unit = unit_of(user)
    return (
        unit is not None
        and case.responsible_unit is not None
        and case.responsible_unit.is_within(unit)
    )


@rules.predicate
def works_in_responsible_unit(user: Any, case: Case) -> bool:
    """The user works in the responsible unit (or a unit below it): they do its work.

    Seeing a case assigned below one's unit (`in_responsible_unit`) is not acting for it: a
    district's handler does not sign for a town.
    """
    unit = unit_of(user)
    return (
        unit is not None
        and case.responsible_unit is not None
        and unit.is_within(case.responsible_unit)
    )


@rules.predicate
def handled_case(user: Any, case: Case) -> bool:
    """The user did the responsible unit's work on this case (签收, 整改, 反馈)."""
    return user.is_authenticated and user.pk in case.handler_ids()


@rules.predicate
def is_case_verifier(user: Any, case: Case) -> bool:
    return user.is_authenticated and case.verifier_id == user.pk


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


can_view_case = is_superuser | in_jurisdiction | in_responsible_unit | works_in_responsible_unit

# The closed loop (DESIGN.md §5). Separation of duties: handler ≠ verifier ≠ approver.
can_assign = is_dispatcher & in_jurisdiction
can_work_as_handler = is_handler & works_in_responsible_unit
can_start_verification = is_verifier & in_jurisdiction & ~handled_case
can_conclude_verification = is_verifier & is_case_verifier & ~handled_case
can_decide_closure = is_supervisor & in_jurisdiction & ~handled_case & ~is_case_verifier
can_decide_extension = (is_supervisor | is_leader) & in_jurisdiction & ~handled_case

rules.add_perm("workflow.view_case", can_view_case)
rules.add_rule("workflow.assign", can_assign)
rules.add_rule("workflow.handle", can_work_as_handler)
rules.add_rule("workflow.start_verification", can_start_verification)
rules.add_rule("workflow.conclude_verification", can_conclude_verification)
rules.add_rule("workflow.decide_closure", can_decide_closure)
rules.add_rule("workflow.decide_extension", can_decide_extension)


def rule(name: str) -> Any:
    """A django-fsm-2 permission callable `(case, user) -> bool` for a named rule."""

    def check(case: Case, user: Any) -> bool:
        return bool(rules.test_rule(name, user, case))

    check.__name__ = f"rule_{name.replace('.', '_')}"
    return check
