"""Cases that belong together: child cases of a multi-unit task, and typed links.

Links say 重复件, 一案双查, 派生 or 相关.

Both write through the engine: children are opened and assigned with open_case/transition_case,
and every link or child is an event on the timelines of the cases it joins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflow.models.case import Case, CaseLink, LinkKind
from workflow.models.unit import Unit
from workflow.permissions import can_view_case, has_role
from workflow.record_language import record_text
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionDenied,
    append_event,
    lock_case,
    open_case,
    transition_case,
)

#: Labels of the events that are not transitions of the loop, and of their payload keys.
RELATION_EVENT_LABELS = {
    "child_opened": gettext_lazy("分办子案件"),
    "link": gettext_lazy("关联案件"),
}
RELATION_PAYLOAD_LABELS = {
    "child": gettext_lazy("子案件"),
    "responsible_unit": gettext_lazy("责任单位"),
    "link_kind": gettext_lazy("关联类型"),
    "other_case": gettext_lazy("关联案件"),
}


def _locked(case: Case) -> Case:
    return lock_case(type(case), case.pk)


def open_child_case(
    parent: Case,
    *,
    actor: Any,
    responsible_unit: Unit,
    rectify_period: int | None = None,
    rectify_due: dt.date | None = None,
    title: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """分办: open a child of the same type for one more responsible unit and assign it, with a
    period in working days or a date (the parent's 完成时限).

    The parent cannot be closed (销号) while a child is open (`children_closed`).
    """
    now = now or timezone.now()
    if not can_view_case(actor, parent):
        raise CaseNotFound(_("案件不存在或您无权查看。"))
    if not has_role(actor, Role.DISPATCHER):
        raise TransitionDenied(_("只有调度员可以分办子案件。"))
    if parent.closed_at is not None:
        raise InvalidTransition(_("已办结的案件不能再分办。"))
    with transaction.atomic():
        locked = _locked(parent)
        child = open_case(
            type(parent),
            actor=actor,
            jurisdiction=parent.jurisdiction,
            title=title or f"{parent.title}（{responsible_unit.name}）",
            description=parent.description,
            parent=locked,
            note=note,
            now=now,
            **_type_fields(parent),
        )
        transition_case(
            child,
            "assign",
            actor=actor,
            payload={
                "responsible_unit": responsible_unit.pk,
                "rectify_period": rectify_period,
                "rectify_due": rectify_due,
            },
            note=note,
            now=now,
        )
        append_event(
            locked,
            transition="child_opened",
            from_state=locked.state,
            actor=actor,
            actor_role=Role.DISPATCHER.value,
            note=note,
            payload={"child": child.case_no, "responsible_unit": responsible_unit.name},
            files=[],
            now=now,
        )
    return Case.objects.get(pk=child.pk).specific


def split_case(
    parent: Case,
    shares: list[dict[str, Any]],
    *,
    actor: Any,
    now: dt.datetime | None = None,
) -> list[Case]:
    """分办 to several units at once: one child per share (`responsible_unit`, `note`,
    `rectify_due`), all or none — a refused share leaves no child behind."""
    now = now or timezone.now()
    with transaction.atomic():
        return [
            open_child_case(
                parent,
                actor=actor,
                responsible_unit=share["responsible_unit"],
                rectify_due=share["rectify_due"],
                note=share.get("note", ""),
                now=now,
            )
            for share in shares
        ]


def _type_fields(case: Case) -> dict[str, Any]:
    """The subtype's own fields (source, location …), copied to a child."""
    base = {f.name for f in Case._meta.concrete_fields}
    return {
        f.attname: getattr(case, f.attname)
        for f in type(case)._meta.concrete_fields
        if f.name not in base and not f.one_to_one
    }


def link_cases(
    from_case: Case,
    to_case: Case,
    *,
    kind: LinkKind,
    actor: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> CaseLink:
    """Record that two cases belong together; the link shows on both timelines."""
    now = now or timezone.now()
    if from_case.pk == to_case.pk:
        raise InvalidTransition(_("案件不能与自身关联。"))
    if not (can_view_case(actor, from_case) and can_view_case(actor, to_case)):
        raise CaseNotFound(_("案件不存在或您无权查看。"))
    with transaction.atomic():
        # Lock in id order: two people linking the same pair the other way round never deadlock.
        first, second = sorted((from_case, to_case), key=lambda c: c.pk)
        locked = {c.pk: _locked(c) for c in (first, second)}
        try:
            with transaction.atomic():
                link = CaseLink.objects.create(
                    from_case_id=from_case.pk,
                    to_case_id=to_case.pk,
                    kind=kind,
                    created_by=actor,
                    created_at=now,
                    note=note,
                )
        except IntegrityError:
            raise InvalidTransition(_("这两个案件已经以此方式关联。")) from None
        for case, other in ((from_case, to_case), (to_case, from_case)):
            target = locked[case.pk]
            append_event(
                target,
                transition="link",
                from_state=target.state,
                actor=actor,
                actor_role="",
                note=note,
                payload={
                    "link_kind": record_text(LinkKind(kind).label),
                    "other_case": other.case_no,
                },
                files=[],
                now=now,
            )
    return link


def open_children(case: Case) -> list[Case]:
    return list(case.children.filter(closed_at__isnull=True).order_by("pk"))
