"""`transition_case()`: THE write path of case state, and `open_case()`, the way a case is born.

Views, the API, admin actions, tasks and seeds all call these; nothing else calls a transition
method or appends an event (tests/workflow/test_write_path.py enforces it).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from workflow import deadlines, evidence
from workflow.case_types import CaseType, registry
from workflow.chain import compute_hash
from workflow.models.case import Case, CaseSequence, CaseState
from workflow.models.event import Attachment, CaseEvent
from workflow.models.unit import Unit, unit_of
from workflow.outbox import enqueue_on_commit
from workflow.permissions import can_view_case, has_role, roles_of
from workflow.record_values import full_name
from workflow.roles import Role

# --- errors a caller can show -------------------------------------------------------------------


class TransitionError(Exception):
    """A transition was refused; `message` is for the user (Chinese)."""

    status = 400

    def __init__(self, message: str | Promise, errors: Mapping[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors: dict[str, list[str]] = dict(errors or {})


class CaseNotFound(TransitionError):
    """The case does not exist for this user (outside their jurisdiction looks the same)."""

    status = 404


class TransitionDenied(TransitionError, PermissionDenied):
    status = 403


class TransitionConflict(TransitionError):
    """Someone else moved the case first; nothing of this attempt was written."""

    status = 409


class InvalidTransition(TransitionError):
    status = 400


# --- what a transition is -----------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    source: str
    target: str
    form_path: str | None
    note: str  # "none" | "optional" | "required"
    evidence: str  # "none" | "optional" | "required" | "required_or_recorded"
    replan: bool
    style: str
    #: Who may take it without an account: "public" (a reporter who proved the tracking code to
    #: the calling view) or "system" (a beat task); "" for staff only.
    anonymous: str = ""

    @property
    def form_class(self) -> type[Any] | None:
        return import_string(self.form_path) if self.form_path else None


def transition_specs(case: Case) -> dict[str, TransitionSpec]:
    """Every transition of the case's model leaving its current state."""
    specs: dict[str, TransitionSpec] = {}
    for t in case.get_all_state_transitions():  # type: ignore[attr-defined]
        if t.source not in (case.state, "*"):
            continue
        custom = t.custom or {}
        specs[t.name] = TransitionSpec(
            name=t.name,
            label=str(custom.get("label", t.name)),
            source=str(t.source),
            target=str(t.target),
            form_path=custom.get("form"),
            note=custom.get("note", "optional"),
            evidence=custom.get("evidence", "none"),
            replan=bool(custom.get("replan", False)),
            style=custom.get("style", "secondary"),
            anonymous=custom.get("anonymous", ""),
        )
    return specs


def transition_labels(case: Case) -> dict[str, str]:
    """Every transition of the case's model, from any state: name → label."""
    return {
        t.name: str((t.custom or {}).get("label", t.name))
        for t in case.get_all_state_transitions()  # type: ignore[attr-defined]
    }


def not_from_here(case: Case, name: str) -> TransitionError:
    """The refusal of a transition that does not leave the case's current state.

    409 when the case has just moved out of a state the step leaves from (the last event took
    it away: a race's loser, or a page read before someone else acted); 400 when the step was
    not possible before either (too early, too late), or the case type has no such step."""
    named = [t for t in case.get_all_state_transitions() if t.name == name]  # type: ignore[attr-defined]
    if not named:
        return InvalidTransition(_("没有这项操作：%(name)s。") % {"name": name})
    label = str((named[0].custom or {}).get("label", name))
    sources = {t.source for t in named}
    last = case.events.order_by("-seq").values("from_state", "to_state").first()
    if (
        last is not None
        and last["from_state"] != last["to_state"]
        and last["from_state"] in sources
    ):
        return TransitionConflict(
            _("案件已由“%(old)s”变为“%(new)s”，不能再执行“%(action)s”，请刷新后查看。")
            % {
                "old": case.case_type.state_label(last["from_state"]),
                "new": case.get_state_display(),
                "action": label,
            }
        )
    return InvalidTransition(_("当前状态下不能执行此操作。"))


def may_take(method: Any, user: Any) -> bool:
    """Whether `user` holds the permission of this bound transition in the case's state, its
    conditions aside."""
    meta = method._django_fsm
    case = method.__self__
    return bool(meta.has_transition_perm(case, meta.field.get_state(case), user))


def available_transitions(case: Case, user: Any, *, now: dt.datetime) -> list[TransitionSpec]:
    """The transitions this user may take on the case now (the console's buttons)."""
    case.__dict__["transition_now"] = now
    result = []
    for name, spec in transition_specs(case).items():
        method = getattr(case, name)
        if can_proceed(method) and has_transition_perm(method, user):
            result.append(spec)
    return result


# --- the write path -----------------------------------------------------------------------------


def lock_case(model: type[Case], pk: int) -> Case:
    """Lock a case for writing and return it as `model` (its subtype). Call inside a transaction.

    Every writer locks the one base `workflow_case` row and nothing else of the case, so two
    writers can never hold the case's rows in opposite orders: a FOR UPDATE on the subtype query
    would also lock the subtype's row, in an order the query plan picks, and deadlock against a
    writer that locked the base row first (the sweep, then a notice). The subtype is then read
    without a lock; whoever changes it holds the base row. SQLite has no row locks: its IMMEDIATE
    transactions serialise writers instead.
    """
    try:
        Case.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).get()
        return model.objects.get(pk=pk)
    except (Case.DoesNotExist, model.DoesNotExist):
        raise CaseNotFound(_("案件不存在或您无权查看。")) from None


def _lock(case_type: CaseType, pk: int) -> Case:
    return lock_case(case_type.model, pk)


def _acting_role(case: Case, user: Any, from_state: str) -> str:
    if user is None:
        return "system"
    role = case.case_type.actors.get(from_state)
    if role is not None and has_role(user, role):
        return role.value
    for candidate in (Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER):
        if has_role(user, candidate):
            return candidate.value
    return next(iter(sorted(roles_of(user))), "")


def _json_safe(value: Any) -> Any:
    if isinstance(value, AbstractBaseUser):
        # A person by name in the record, not by login (`record_values` adds the 执法证号).
        return {"id": value.pk, "name": full_name(value) or str(value)}
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Amounts (fines, compensation) keep every digit: a float would not, JSON has no decimal.
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _validate_payload(
    spec: TransitionSpec, case: Case, actor: Any, payload: Mapping[str, Any], now: dt.datetime
) -> dict[str, Any]:
    form_class = spec.form_class
    if form_class is None:
        return {}
    form = form_class(data=dict(payload), case=case, user=actor, now=now)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        # A refusal of the whole step (not of one field) is the message itself.
        whole = errors.get("__all__") if len(errors) == 1 else None
        raise InvalidTransition(whole[0] if whole else _("请检查填写的内容。"), errors)
    kwargs: dict[str, Any] = form.transition_kwargs()
    return kwargs


def _check_note_and_evidence(
    spec: TransitionSpec, case: Case, note: str, files: list[evidence.PreparedFile]
) -> None:
    errors: dict[str, list[str]] = {}
    if spec.note == "required" and not note.strip():
        errors["note"] = [_("请填写意见或说明。")]
    if spec.evidence == "required" and not files:
        errors["files"] = [_("请上传至少一份证据（照片或文件）。")]
    if (
        spec.evidence == "required_or_recorded"
        and not files
        and not _evidence_since_rectifying(case)
    ):
        errors["files"] = [_("请上传整改证据，或先记录附有证据的整改进展。")]
    if errors:
        raise InvalidTransition(_("请检查填写的内容。"), errors)


def _evidence_since_rectifying(case: Case) -> bool:
    entered = (
        case.events.filter(to_state=CaseState.RECTIFYING)
        .exclude(from_state=CaseState.RECTIFYING)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return case.attachments.filter(event__seq__gte=entered or 0).exists()


def prepare_files(
    files: Iterable[UploadedFile | evidence.PreparedFile],
) -> list[evidence.PreparedFile]:
    """Check, decode and re-encode uploads: call it before opening a transaction of your own
    around `open_case` or `transition_case`, which then take the prepared files as they are."""
    try:
        return evidence.prepare_all(files)
    except ValidationError as exc:
        raise InvalidTransition(
            _("上传的文件未通过检查。"), {"files": list(exc.messages)}
        ) from None


def append_event(
    case: Case,
    *,
    transition: str,
    from_state: str,
    actor: Any,
    actor_role: str,
    note: str,
    payload: dict[str, Any],
    files: list[evidence.PreparedFile],
    now: dt.datetime,
) -> CaseEvent:
    """Append the next event of the chain, with its evidence. Call with the case row locked."""
    last = case.events.order_by("-seq").values("seq", "hash").first()
    unit = unit_of(actor)
    event = CaseEvent(
        case=case,
        seq=(last["seq"] + 1) if last else 1,
        transition=transition,
        from_state=from_state,
        to_state=case.state,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=actor_role,
        actor_unit=unit.name if unit else "",
        note=note,
        payload=payload,
        created_at=now,
        prev_hash=last["hash"] if last else "",
    )
    event.hash = compute_hash(event, sorted(f.sha256 for f in files))
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise TransitionConflict(_("案件刚刚被他人更新，请刷新后重试。")) from None
    stored: list[Any] = []
    try:
        for prepared in files:
            attachment = Attachment(
                case=case,
                event=event,
                original_name=prepared.original_name,
                content_type=prepared.content_type,
                extension=prepared.extension,
                size=prepared.size,
                sha256=prepared.sha256,
                uploaded_by=event.actor,
                created_at=now,
            )
            attachment.file.save(prepared.original_name, ContentFile(prepared.content), save=False)
            stored.append(attachment.file)
            attachment.save()
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go with them.
        for file in stored:
            file.storage.delete(file.name)
        raise
    return event


def transition_case(
    case: Case,
    name: str,
    *,
    actor: Any,
    note: str = "",
    payload: Mapping[str, Any] | None = None,
    files: Iterable[UploadedFile | evidence.PreparedFile] = (),
    now: dt.datetime | None = None,
    expected_state: str | None = None,
) -> CaseEvent:
    """Move a case along one transition.

    `expected_state` is the state the person saw when they chose the action (a page rendered
    earlier); it defaults to the state of the `case` object passed in.

    1. Validate the uploads (outside the transaction: nothing is locked while images re-encode;
       a caller with a transaction of its own prepares them first, `prepare_files`).
    2. Lock the case row; refuse if the user may not see it (404) or it moved since the caller
       read it (409: the other transition won, this one writes nothing; also 409 when the step
       no longer leaves the case's state because its last event took it away).
    3. Check the transition's permission (role, jurisdiction, separation of duties: 403), then
       its conditions (400).
    4. Validate the payload with the transition's form; call the transition method (in-memory).
    5. Close the old state's deadlines and plan the new ones; save the case.
    6. Append the event to the chain, with its evidence.
    7. After commit, deliver the notifications.
    """
    now = now or timezone.now()
    payload = payload or {}
    note = note.strip()
    expected_state = expected_state or case.state
    prepared = prepare_files(files)

    try:
        with transaction.atomic():
            locked = _lock(case.case_type, case.pk)
            if actor is not None and not can_view_case(actor, locked):
                raise CaseNotFound(_("案件不存在或您无权查看。"))
            if locked.state != expected_state:
                raise TransitionConflict(
                    _("案件状态已由“%(old)s”变为“%(new)s”，您的操作未执行，请刷新后重试。")
                    % {
                        "old": locked.case_type.state_label(expected_state),
                        "new": locked.get_state_display(),
                    }
                )
            specs = transition_specs(locked)
            spec = specs.get(name)
            if spec is None:
                raise not_from_here(locked, name)
            if actor is None and not spec.anonymous:
                # Only transitions made for the public or the system run without a person.
                raise TransitionDenied(_("您无权对本案执行“%(action)s”。") % {"action": spec.label})
            method = getattr(locked, name)
            locked.__dict__["transition_now"] = now
            # Who before when: a person who may never take this step hears "no right" (403),
            # whatever the conditions; one who may, but not yet, hears what is missing (400).
            # django-fsm-2's `has_transition_perm` would check the conditions too.
            if not may_take(method, actor):
                raise TransitionDenied(_("您无权对本案执行“%(action)s”。") % {"action": spec.label})
            if not can_proceed(method):
                raise InvalidTransition(
                    _("当前不满足“%(action)s”的条件。") % {"action": spec.label}
                )
            kwargs = _validate_payload(spec, locked, actor, payload, now)
            _check_note_and_evidence(spec, locked, note, prepared)
            if "actor" in inspect.signature(method).parameters:
                kwargs["actor"] = actor

            from_state = locked.state
            method(**kwargs)
            locked.updated_at = now
            if locked.state in locked.case_type.terminal_states:
                locked.closed_at = now
            else:
                # A closed case can be reopened (a 复查 request, 重办): it is open again.
                locked.closed_at = None
            deadlines.replan(locked, from_state=from_state, now=now, force=spec.replan)
            locked.save()
            after_transition = locked.case_type.after_transition
            if after_transition is not None:
                after_transition(locked, name, from_state, actor, now)
                # The hook may plan, move or close a standing main deadline: the case's due
                # date follows.
                deadlines.refresh_case_due(locked)
                locked.save(
                    update_fields=["due_at", "warn_at", "due_provisional", "escalation_level"]
                )
            event = append_event(
                locked,
                transition=name,
                from_state=from_state,
                actor=actor,
                actor_role=spec.anonymous
                if actor is None
                else _acting_role(locked, actor, from_state),
                note=note,
                payload=_json_safe({k: v for k, v in kwargs.items() if k != "actor"}),
                files=prepared,
                now=now,
            )
            _after_commit(event)
    except ConcurrentTransition:
        raise TransitionConflict(_("案件刚刚被他人更新，请刷新后重试。")) from None
    return event


def _after_commit(event: CaseEvent) -> None:
    from workflow.tasks import deliver_event_notifications

    enqueue_on_commit(deliver_event_notifications, event.pk)


# --- a case is born -----------------------------------------------------------------------------


def next_in_sequence(model: Any, **key: Any) -> int:
    """Take the next number of a gap-free counter row (case numbers, 文号).

    The row lock serialises whoever numbers under the same key until their transaction ends, and a
    rolled-back transaction gives its number back: call it inside the transaction that inserts
    the numbered row.
    """
    sequence, _created = model.objects.select_for_update().get_or_create(**key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return int(sequence.last)


def next_case_no(case_type: CaseType, region: Unit, year: int) -> str:
    """The next gap-free number: 小店督〔2026〕0001号. Call inside the inserting transaction."""
    seq = next_in_sequence(CaseSequence, region=region, kind=case_type.kind, year=year)
    prefix = region.case_prefix or region.short_name or region.name
    return f"{prefix}{case_type.number_prefix}〔{year}〕{seq:04d}号"


def open_case(
    model: type[Case],
    *,
    actor: Any,
    jurisdiction: Unit,
    title: str,
    description: str = "",
    note: str = "",
    parent: Case | None = None,
    files: Iterable[UploadedFile | evidence.PreparedFile] = (),
    now: dt.datetime | None = None,
    actor_role: str = "",
    **fields: Any,
) -> Case:
    """Create a case of a registered type in its initial state, numbered, with its first event.

    `actor` None is the system or, with `actor_role="public"`, a member of the public filing a
    complaint through a public form (the form checked the CAPTCHA and the rate limit).
    """
    from workflow import calendar

    now = now or timezone.now()
    case_type = registry.for_model(model)
    if actor is not None:
        unit = unit_of(actor)
        allowed = actor.is_superuser or (
            unit is not None
            # A bureau's enforcement team acts for its bureau (an inspector of the 执法大队
            # opens the district's cases): `Unit.reach`.
            and jurisdiction.is_within(unit.reach())
            and has_role(actor, *case_type.openers)
        )
        if not allowed:
            raise TransitionDenied(_("您无权在该单位立案。"))
    if not jurisdiction.is_region:
        raise InvalidTransition(
            _("管辖单位必须是市局或分局/县局。"), {"jurisdiction": [_("请选择局级单位。")]}
        )
    prepared = prepare_files(files)

    with transaction.atomic():
        case = model(
            kind=case_type.kind,
            title=title,
            description=description,
            jurisdiction=jurisdiction,
            parent=parent,
            created_by=actor,
            created_at=now,
            updated_at=now,
            state=case_type.initial_state,
            **fields,
        )
        case.case_no = next_case_no(case_type, jurisdiction, calendar.local_date(now).year)
        try:
            case.full_clean(exclude=["case_no", "state"])
        except ValidationError as exc:
            raise InvalidTransition(_("请检查填写的内容。"), exc.message_dict) from None
        case.save()
        deadlines.plan_deadlines(case, now=now)
        deadlines.refresh_case_due(case)
        case.save(update_fields=["due_at", "warn_at", "due_provisional"])
        event = append_event(
            case,
            transition="open",
            from_state="",
            actor=actor,
            actor_role=actor_role or _acting_role(case, actor, ""),
            note=note,
            payload={"title": title, "parent": parent.case_no if parent else None},
            files=prepared,
            now=now,
        )
        _after_commit(event)
    return case
