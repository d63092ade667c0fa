"""审批台: what waits for a supervisor's or leader's decision, with the evidence beside it.

Reading only: the decisions themselves go through `workflow.transitions.transition_case`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from workflow import calendar
from workflow.models import Attachment, Case, CaseEvent

CLOSURE = "closure"
EXTENSION = "extension"
#: The unit's own work: what it shows as "after" (整改进展, 整改反馈).
WORK_TRANSITIONS = ("record_progress", "report")


def queue(user: Any) -> QuerySet[Case]:
    """The cases awaiting this user's decision: 待销号 and 延期申请, within their reach.

    `awaiting` already leaves out the cases the user handled; the verifier of a case does not
    decide its 销号 either (separation of duties, as `workflow.decide_closure` says).
    """
    return (
        Case.objects.awaiting(user)
        .visible_to(user)
        .filter(
            Q(state="pending_closure") | Q(state="rectifying", pending_extension_days__isnull=False)
        )
        .exclude(state="pending_closure", verifier=user)
        .select_related("jurisdiction", "responsible_unit", "verifier")
        .order_by("updated_at", "pk")
    )


@dataclass
class Item:
    """One decision to take, with everything the decider needs to see."""

    case: Case
    kind: str
    before: list[Attachment] = field(default_factory=list)
    after: list[Attachment] = field(default_factory=list)
    verification: CaseEvent | None = None
    report: CaseEvent | None = None
    extension_request: CaseEvent | None = None
    open_children: int = 0
    days_late: int = 0

    @property
    def is_closure(self) -> bool:
        return self.kind == CLOSURE

    @property
    def bulk_safe(self) -> bool:
        """销号 in bulk only where the verification passed and no child case is still open."""
        return self.is_closure and self.verification is not None and self.open_children == 0

    @property
    def requested_days(self) -> int | None:
        return self.case.pending_extension_days


def _attachments(events: list[CaseEvent]) -> list[Attachment]:
    return [a for event in events for a in event.attachments.all()]


#: A case's timeline with its files; read for the whole queue at once (no query per item).
EVENTS = (
    CaseEvent.objects.select_related("actor")
    .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    .order_by("seq")
)
TIMELINE = Prefetch("events", queryset=EVENTS)


def build(case: Case, now: dt.datetime) -> Item:
    prefetched = "events" in getattr(case, "_prefetched_objects_cache", {})
    events = list(case.events.all() if prefetched else EVENTS.filter(case=case))
    first_work = next(
        (i for i, e in enumerate(events) if e.transition in WORK_TRANSITIONS), len(events)
    )
    item = Item(
        case=case,
        kind=CLOSURE if case.state == "pending_closure" else EXTENSION,
        # Before: what the case was opened and assigned with, until the unit's first work.
        before=_attachments(events[:first_work]),
        after=_attachments([e for e in events if e.transition in WORK_TRANSITIONS]),
        open_children=int(case.__dict__["open_children"])
        if "open_children" in case.__dict__
        else case.children.filter(closed_at__isnull=True).count(),
    )
    for event in reversed(events):
        if item.verification is None and event.transition == "pass_verification":
            item.verification = event
        if item.report is None and event.transition == "report":
            item.report = event
        if item.extension_request is None and event.transition == "request_extension":
            item.extension_request = event
    if item.is_closure and item.verification is not None:
        # A later 不予销号 sends the case back to 核查: only a pass after it counts.
        rejected_after = any(
            e.transition == "reject_closure" and e.seq > item.verification.seq for e in events
        )
        if rejected_after:
            item.verification = None
    if case.rectify_due is not None:
        done = item.report.created_at if item.is_closure and item.report else now
        item.days_late = max(0, (calendar.local_date(done) - case.rectify_due).days)
    return item


def items(user: Any, now: dt.datetime) -> list[Item]:
    cases = (
        queue(user)
        .prefetch_related(TIMELINE)
        .annotate(open_children=Count("children", filter=Q(children__closed_at__isnull=True)))
    )
    return [build(case, now) for case in cases]
