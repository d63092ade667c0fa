"""Composed reads for the console: each arrives with its joins applied, scoped by `visible_to`.

Pages call these instead of building querysets, so a page's query count does not grow with the
number of rows it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from workflow.case_types import registry
from workflow.escalation import ESCALATION_EVENT_LABELS, ESCALATION_PAYLOAD_LABELS
from workflow.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseLink,
    Channel,
    Deadline,
    Notice,
    Notification,
    Unit,
)
from workflow.notices import NOTICE_EVENT_LABELS, NOTICE_PAYLOAD_LABELS
from workflow.programmes import programmes
from workflow.record_values import on_page
from workflow.relations import RELATION_EVENT_LABELS, RELATION_PAYLOAD_LABELS
from workflow.roles import Role

#: The joins every case row of a list needs (units for the columns).
LIST_RELATED = ("jurisdiction", "responsible_unit")


def _by_due(qs: QuerySet[Case]) -> QuerySet[Case]:
    # Cases without a deadline sort last: they are the least urgent.
    return qs.order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")


def inbox(user: Any) -> QuerySet[Case]:
    """我的待办: cases waiting for this user, the most urgent first."""
    return _by_due(Case.objects.awaiting(user).select_related(*LIST_RELATED))


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    responsible_unit: Unit | None = None
    overdue: bool | None = None
    kind: str = ""
    q: str = ""
    #: At least this rung of the escalation ladder (the case's current level).
    min_rung: int | None = None
    #: "" newest first; "rung" highest rung first, then the nearest deadline.
    sort: str = ""
    #: A programme's key ("round:12", `workflow.programmes`): only the cases it holds.
    programme: str = ""


def case_list(user: Any, filters: CaseFilters, *, now: dt.datetime) -> QuerySet[Case]:
    """案件列表: every case the user may see, narrowed by the list's filters."""
    qs = Case.objects.visible_to(user).select_related(*LIST_RELATED)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.responsible_unit is not None:
        qs = qs.filter(responsible_unit=filters.responsible_unit)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue is True:
        qs = qs.overdue(now)
    elif filters.overdue is False:
        qs = qs.filter(Q(closed_at__isnull=False) | Q(due_at__isnull=True) | Q(due_at__gte=now))
    if filters.q:
        qs = qs.filter(Q(case_no__icontains=filters.q) | Q(title__icontains=filters.q))
    if filters.min_rung:
        qs = qs.filter(escalation_level__gte=filters.min_rung)
    if filters.programme:
        qs = qs.filter(programmes.cases(filters.programme))
    if filters.sort == "rung":
        return qs.order_by("-escalation_level", F("due_at").asc(nulls_last=True), "pk")
    return qs.order_by("-created_at", "-pk")


def responsible_unit_choices(user: Any) -> QuerySet[Unit]:
    """The units that hold at least one case this user can see: the list's unit filter."""
    held = Case.objects.visible_to(user).filter(responsible_unit__isnull=False)
    return Unit.objects.filter(pk__in=held.values("responsible_unit")).order_by("path")


def state_choices() -> list[tuple[str, str]]:
    """Every state of every registered case type, each once, in the loop's order."""
    seen: dict[str, str] = {}
    for case_type in registry:
        for state, label in case_type.state_labels.items():
            seen.setdefault(state, str(label))
    return list(seen.items())


def kind_choices() -> list[tuple[str, str]]:
    return registry.choices()


# --- the case page ------------------------------------------------------------------------------


def visible_case(user: Any, pk: int) -> Case:
    """The case as its subtype, if the user may see it; `Case.DoesNotExist` otherwise.

    A case outside the user's reach raises exactly as a missing one does, so the page never
    reveals that it exists.
    """
    case = (
        Case.objects.visible_to(user)
        .select_related(*LIST_RELATED, "assignee", "verifier", "created_by", "parent")
        .get(pk=pk)
    )
    specific = case.specific
    if specific is not case:
        # The subtype row was loaded with its own joins; reuse what the base row already holds.
        specific.parent = case.parent
        specific.created_by = case.created_by
    return specific


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: Any


def type_fields(case: Case) -> list[FieldRow]:
    """The fields a case type adds to the base case (source, location, …), for display."""
    base_fields = {f.name for f in Case._meta.concrete_fields}
    rows = []
    for model_field in type(case)._meta.concrete_fields:
        # Fields a type keeps out of forms (a reporter's tracking code, a matching key) are not
        # for display either.
        if model_field.name in base_fields or model_field.one_to_one or not model_field.editable:
            continue
        # A field with choices, or one its type renders itself (`get_<name>_display`), reads
        # as words; else the value.
        display = getattr(case, f"get_{model_field.name}_display", None)
        value = display() if callable(display) else getattr(case, model_field.name)
        rows.append(FieldRow(str(model_field.verbose_name), value))
    return rows


@dataclass(frozen=True)
class LinkRow:
    label: str
    case: Case


def related_cases(case: Case, user: Any) -> list[LinkRow]:
    """Parent, children and typed links that the user may also see."""
    visible = Case.objects.visible_to(user)
    rows: list[LinkRow] = []
    if case.parent_id and visible.filter(pk=case.parent_id).exists():
        assert case.parent is not None
        rows.append(LinkRow(_("上级案件"), case.parent))
    for child in visible.filter(parent=case).order_by("created_at"):
        rows.append(LinkRow(_("下级案件"), child))
    links = CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case)).select_related(
        "from_case", "to_case"
    )
    visible_ids = set(
        visible.filter(Q(links_in__from_case=case) | Q(links_out__to_case=case)).values_list(
            "pk", flat=True
        )
    )
    for link in links:
        other = link.to_case if link.from_case_id == case.pk else link.from_case
        if other.pk in visible_ids:
            rows.append(LinkRow(link.get_kind_display(), other))
    return rows


def case_deadlines(case: Case) -> QuerySet[Deadline]:
    return case.deadlines.order_by("-starts_at", "due_at", "pk")


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    label: str
    from_label: str
    to_label: str
    role_label: str
    details: list[FieldRow] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def _transitions_by_name(case: Case) -> dict[str, Any]:
    return {t.name: t for t in case.get_all_state_transitions()}  # type: ignore[attr-defined]


def _payload_rows(case: Case, event: CaseEvent, transition: Any) -> list[FieldRow]:
    """The payload of an event (the unit assigned, the new deadline…) with Chinese labels.

    A key is labelled by the case field it sets, else by the field of the transition's form.
    """
    if event.transition == "open" or not event.payload:
        return []
    if event.transition in RELATION_EVENT_LABELS:
        return [
            FieldRow(str(RELATION_PAYLOAD_LABELS.get(key, key)), on_page(value))
            for key, value in event.payload.items()
            if value not in (None, "")
        ]
    if event.transition in NOTICE_EVENT_LABELS:
        return [
            FieldRow(str(NOTICE_PAYLOAD_LABELS.get(key, key)), on_page(value))
            for key, value in event.payload.items()
            if value not in (None, "")
        ]
    if event.transition in ESCALATION_EVENT_LABELS:
        # In the labels' order: PostgreSQL's jsonb does not keep the payload's key order.
        return [
            FieldRow(str(label), on_page(event.payload[key]))
            for key, label in ESCALATION_PAYLOAD_LABELS.items()
            if event.payload.get(key) not in (None, "")
        ]
    form_path = (transition.custom or {}).get("form") if transition is not None else None
    form_class = import_string(form_path) if form_path else None
    return payload_rows(type(case), form_class, event.payload)


def payload_rows(model: type[Case], form_class: Any, payload: dict[str, Any]) -> list[FieldRow]:
    """A transition's stored payload as (label, value in words) rows: labelled by the case field
    it sets, else by the transition form's field (or the form's `payload_labels`), its codes read
    through the field's choices (or the form's `payload_choices`), people by name and 执法证号."""
    form_fields = form_class.base_fields if form_class is not None else {}
    computed = getattr(form_class, "payload_labels", {})
    vocabularies = getattr(form_class, "payload_choices", {})
    User = get_user_model()
    rows = []
    for key, value in payload.items():
        if value in (None, ""):
            continue
        choices: dict[Any, Any] = dict(vocabularies.get(key, {}))
        people = False
        try:
            model_field = model._meta.get_field(key)
            label = str(getattr(model_field, "verbose_name", key))
            choices.update(dict(getattr(model_field, "flatchoices", None) or []))
            people = getattr(model_field, "related_model", None) is User
        except FieldDoesNotExist:
            form_field = form_fields.get(key)
            label = str(form_field.label) if form_field is not None else key
            label = str(computed.get(key, label))
            if form_field is not None:
                choices.update(dict(getattr(form_field, "choices", None) or []))
                queryset = getattr(form_field, "queryset", None)
                people = queryset is not None and queryset.model is User
        rows.append(FieldRow(label, on_page(value, choices=choices, people=people)))
    return rows


def timeline(case: Case) -> list[TimelineEntry]:
    """The case's events in order, with labels resolved and attachments loaded in one query."""
    transitions = _transitions_by_name(case)
    case_type = case.case_type
    roles = dict(Role.choices)
    events = case.events.select_related("actor").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    entries = []
    for event in events.order_by("seq"):
        transition = transitions.get(event.transition)
        if event.transition == "open":
            label = _("立案")
        elif transition is not None:
            label = str((transition.custom or {}).get("label", event.transition))
        else:
            labels = {**RELATION_EVENT_LABELS, **ESCALATION_EVENT_LABELS, **NOTICE_EVENT_LABELS}
            label = str(labels.get(event.transition, event.transition))
        entries.append(
            TimelineEntry(
                event=event,
                label=label,
                from_label=case_type.state_label(event.from_state) if event.from_state else "",
                to_label=case_type.state_label(event.to_state),
                # Only roles have labels; the ladder's "system" is already said by the actor.
                role_label=str(roles.get(event.actor_role, "")),
                details=_payload_rows(case, event, transition),
                attachments=list(event.attachments.all()),
            )
        )
    return entries


# --- notices ------------------------------------------------------------------------------------


def case_notices(case: Case) -> QuerySet[Notice]:
    """The notices issued on a case, the latest first (the case page's list)."""
    return case.notices.select_related("addressee").order_by("-issued_at", "-pk")


def visible_notice(user: Any, pk: int) -> Notice | None:
    """A notice of a case the user may see, or None: another district's notice does not exist."""
    return (
        Notice.objects.filter(case__in=Case.objects.visible_to(user), pk=pk)
        .select_related("case")
        .first()
    )


# --- notifications ------------------------------------------------------------------------------


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications about cases they can still see, and the documents sent to them.

    A case re-routed to another unit leaves the handler's reach; its notification, which names
    the case, leaves the bell with it. A document (a 日分析) was addressed to the person.
    """
    return (
        Notification.objects.filter(
            Q(case__in=Case.objects.visible_to(user)) | Q(case__isnull=True),
            recipient=user,
            channel=Channel.IN_APP,  # e-mail and SMS copies of the same news are not bell items
        )
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()
