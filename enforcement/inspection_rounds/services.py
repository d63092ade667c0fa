"""The 督察整改办's work on a batch: who may do it, 交办 of many items at once, and the signed
公开情况一览表 (built from an allow-list of masked fields, never from a person's details)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.translation import gettext as _

from enforcement.inspection_rounds import masking
from enforcement.models import (
    ForwardedBatch,
    ForwardedComplaint,
    ForwardedPublication,
    ForwardedState,
    InspectionRound,
)
from workflow import calendar
from workflow.models import Unit
from workflow.models.case import CaseState
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import TransitionDenied, TransitionError, transition_case

#: Who runs a round's batches: the lead office's dispatchers, its head, the leaders.
MANAGERS = (Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER)
#: Who signs a 一览表 for publication.
SIGNERS = (Role.SUPERVISOR, Role.LEADER)


def rounds_for(user: Any) -> QuerySet[InspectionRound]:
    """The rounds whose region the person works in (a district's staff see the central round
    their city is inspected in; the items they see in it are those of their reach)."""
    if user.is_superuser:
        return InspectionRound.objects.all()
    unit = unit_of(user)
    if unit is None:
        return InspectionRound.objects.none()
    codes = [code for code in unit.path.split("/") if code]
    return InspectionRound.objects.filter(Q(region__code__in=codes) | Q(staff=user)).distinct()


def may_manage(user: Any, round: InspectionRound) -> bool:
    """The lead office's people (its subtree, or the round's staff) with a managing role."""
    if user.is_superuser:
        return True
    if not has_role(user, *MANAGERS):
        return False
    unit = unit_of(user)
    in_office = unit is not None and unit.is_within(round.lead_office)
    is_leader = unit is not None and has_role(user, Role.LEADER) and round.region.is_within(unit)
    return in_office or is_leader or round.staff.filter(pk=user.pk).exists()


def may_sign(user: Any, round: InspectionRound) -> bool:
    return may_manage(user, round) and (user.is_superuser or has_role(user, *SIGNERS))


def dispatch(
    batch: ForwardedBatch,
    assignments: Mapping[int, Unit],
    *,
    actor: Any,
    now: dt.datetime,
) -> tuple[list[int], dict[int, str]]:
    """交办 each item to its unit, each in its own transaction through the one write path; a
    refused item (moved meanwhile, a unit outside its bureau) is reported and the rest go on.
    Returns the ids dispatched and {id: why not} for the others."""
    done: list[int] = []
    failed: dict[int, str] = {}
    items = batch.items.filter(pk__in=list(assignments)).select_related("jurisdiction")
    for item in items.order_by("acceptance_no"):
        try:
            transition_case(
                item,
                "assign",
                actor=actor,
                payload={"responsible_unit": assignments[item.pk].pk},
                now=now,
            )
        except TransitionError as error:
            failed[item.pk] = error.message
            continue
        done.append(item.pk)
    return done, failed


# --- the public 一览表 --------------------------------------------------------------------------

#: The statuses an item is published in, once its 反馈 is signed (审签).
SIGNED_STATES = (CaseState.CLOSED, ForwardedState.PHASED)


def publishable(batch: ForwardedBatch) -> QuerySet[ForwardedComplaint]:
    """Items signed in a status the public has not yet read: new 办结 and 阶段性办结 items, and
    phased items since done."""
    return (
        batch.items.filter(state__in=SIGNED_STATES)
        .exclude(published_status=F("handling_status"))
        .order_by("acceptance_no", "pk")
    )


def public_entry(item: ForwardedComplaint) -> dict[str, str]:
    """The 一览表's columns of one item, masked: the only fields that leave the bureau."""
    people = masking.people_in(item.target)
    with in_record_language():
        return {
            "code": item.acceptance_no,
            "summary": masking.mask(item.description, people=people),
            "area": item.area,
            "pollution": item.pollution_display(),
            "findings": masking.mask(item.findings, people=people),
            "truth": str(item.get_truth_display()),
            "actions": masking.mask(item.actions, people=people),
            "accountability": item.accountability_text(),
            "status": str(item.get_handling_status_display()),
        }


def draft(batch: ForwardedBatch) -> list[dict[str, str]]:
    return [public_entry(item) for item in publishable(batch)]


def digest_of(entries: Iterable[Mapping[str, str]]) -> str:
    canonical = json.dumps(list(entries), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def publish(
    batch: ForwardedBatch, *, actor: Any, now: dt.datetime, expected: str
) -> ForwardedPublication:
    """Sign the batch's 一览表 as the signer read it (`expected` is the digest of the draft they
    saw: a list that changed meanwhile is refused, not published unread)."""
    if not may_sign(actor, batch.round):
        raise TransitionDenied(_("只有督察整改办负责人或局领导可以签发一览表。"))
    with transaction.atomic():
        locked = ForwardedBatch.objects.select_for_update().get(pk=batch.pk)
        items = list(publishable(locked).select_for_update())
        entries = [public_entry(item) for item in items]
        if not entries:
            raise TransitionError(_("没有待公开的办理结果。"))
        digest = digest_of(entries)
        if digest != expected:
            raise TransitionError(_("待公开的内容已有变化，请核对后重新签发。"))
        number = (locked.publications.aggregate(last=Max("number"))["last"] or 0) + 1
        publication = ForwardedPublication.objects.create(
            batch=locked,
            number=number,
            day=calendar.local_date(now),
            entries=entries,
            digest=digest,
            signed_by=actor,
            signed_at=now,
        )
        ForwardedComplaint.objects.filter(pk__in=[item.pk for item in items]).update(
            published_status=F("handling_status")
        )
    return publication


def verify(publication: ForwardedPublication) -> bool:
    """Whether the stored entries are those that were signed."""
    return digest_of(publication.entries) == publication.digest


def progress(batch: ForwardedBatch, now: dt.datetime) -> dict[str, int]:
    """A batch's counts for the round page, in one query."""

    def where(**condition: Any) -> Count:
        return Count("pk", filter=Q(**condition))

    counts: dict[str, int] = batch.items.aggregate(
        total=Count("pk"),
        pending=where(state=CaseState.PENDING_ASSIGNMENT),
        handling=where(state__in=[CaseState.ASSIGNED, CaseState.RECTIFYING, CaseState.OBJECTED]),
        reviewing=where(
            state__in=[CaseState.REPORTED, CaseState.VERIFYING, CaseState.PENDING_CLOSURE]
        ),
        done=where(state=CaseState.CLOSED),
        phased=where(state=ForwardedState.PHASED),
        overdue=where(closed_at__isnull=True, due_at__lt=now),
        repeats=where(repeat_of__isnull=False),
        unpublished=Count(
            "pk", filter=Q(state__in=SIGNED_STATES) & ~Q(published_status=F("handling_status"))
        ),
    )
    return counts
