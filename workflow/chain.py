"""The per-case hash chain over CaseEvent rows, and its verification.

`hash = sha256(prev_hash + canonical JSON of the event's fields and its attachments' sha256)`.
Rows are append-only in the database; the chain detects an edit made by someone who removed the
trigger or wrote the file directly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workflow.models.case import Case
from workflow.models.event import CaseEvent


def canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_fields(event: CaseEvent, attachment_hashes: Sequence[str]) -> dict[str, Any]:
    return {
        "case": event.case_id,
        "seq": event.seq,
        "transition": event.transition,
        "from": event.from_state,
        "to": event.to_state,
        "actor": event.actor_id,
        "role": event.actor_role,
        "unit": event.actor_unit,
        "note": event.note,
        "payload": event.payload,
        "at": event.created_at.isoformat(),
        "attachments": list(attachment_hashes),
    }


def compute_hash(event: CaseEvent, attachment_hashes: Sequence[str]) -> str:
    body = event.prev_hash + canonical(event_fields(event, attachment_hashes))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    case_id: int
    events: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(case: Case) -> ChainReport:
    """Recompute the chain of one case; report the first event that does not match."""
    events = list(case.events.order_by("seq").prefetch_related("attachments"))
    return _verify(case.pk, events)


def _verify(case_id: int, events: Iterable[CaseEvent]) -> ChainReport:
    prev = ""
    count = 0
    for expected_seq, event in enumerate(events, start=1):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(case_id, count, event.seq, "序号不连续")
        if event.prev_hash != prev:
            return ChainReport(case_id, count, event.seq, "前序哈希不符")
        hashes = sorted(a.sha256 for a in event.attachments.all())
        if compute_hash(event, hashes) != event.hash:
            return ChainReport(case_id, count, event.seq, "记录内容与哈希不符")
        prev = event.hash
    return ChainReport(case_id, count, None)


def verify_all(batch_size: int = 500) -> Iterable[ChainReport]:
    ids = Case.objects.order_by("pk").values_list("pk", flat=True)
    for case_id in ids.iterator(chunk_size=batch_size):
        events = CaseEvent.objects.filter(case_id=case_id).order_by("seq")
        yield _verify(case_id, events.prefetch_related("attachments"))
