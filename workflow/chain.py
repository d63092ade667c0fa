"""The per-case hash chain over CaseEvent rows, and its verification.

`hash = sha256(prev_hash + canonical JSON of the event's fields and its attachments' sha256)`.
Rows are append-only in the database; the chain detects an edit made by someone who removed the
trigger or wrote the file directly.

The hash is computed from the in-memory event before it is saved and recomputed from the row read
back, so the canonical form must not depend on the round trip: timestamps are written in UTC (the
database hands them back in UTC whatever zone they were written in), and payload numbers are
written the way PostgreSQL's jsonb returns them (it turns the float 1e16 into the integer
10000000000000000).

A chain cannot prove that nothing was cut off its end. `verify_*` also checks that the case's
state is the state its last event led to, which catches the usual way a tail goes missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Subquery

from workflow.models.case import Case
from workflow.models.event import Attachment, CaseEvent


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical(fields: dict[str, Any]) -> str:
    # Decimal, datetime, UUID… are first written as Django's JSON encoder writes them into a
    # JSONField, then read back: what is hashed is what the database will hand back.
    plain = json.loads(json.dumps(fields, cls=DjangoJSONEncoder))
    return json.dumps(_normalised(plain), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
        "at": event.created_at.astimezone(dt.UTC).isoformat(),
        "attachments": sorted(attachment_hashes),
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
    case_no: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(case: Case) -> ChainReport:
    """Recompute the chain of one case; report the first event that does not match."""
    (report,) = _verify_cases([case.pk])
    return report


def verify_all(batch_size: int = 200) -> Iterator[ChainReport]:
    """Verify every case, `batch_size` cases at a time: three queries per batch, not per case."""
    last_pk = 0
    while True:
        ids = list(
            Case.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return
        yield from _verify_cases(ids)
        last_pk = ids[-1]


def _verify_cases(case_ids: Sequence[int]) -> list[ChainReport]:
    # The case's state and its last event are read in one statement: a transition committed
    # meanwhile cannot make them look inconsistent.
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-seq")
    heads = {
        row["pk"]: row
        for row in Case.objects.filter(pk__in=case_ids)
        .annotate(last_seq=Subquery(last.values("seq")[:1]))
        .annotate(last_to=Subquery(last.values("to_state")[:1]))
        .values("pk", "case_no", "state", "last_seq", "last_to")
    }
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "seq"):
        events[event.case_id].append(event)
    # Attachments by case, not by event: the IN list stays as short as the batch.
    attachments: dict[int, list[str]] = defaultdict(list)
    for event_id, sha256 in Attachment.objects.filter(case_id__in=case_ids).values_list(
        "event_id", "sha256"
    ):
        attachments[event_id].append(sha256)

    reports = []
    for case_id in case_ids:
        head = heads.get(case_id)
        if head is None:
            continue
        report = _verify(case_id, events[case_id], attachments)
        if report.ok:
            report = _check_head(report, head)
        reports.append(
            ChainReport(
                case_id, report.events, report.broken_at, report.reason, case_no=head["case_no"]
            )
        )
    return reports


def _verify(
    case_id: int, events: Iterable[CaseEvent], attachments: dict[int, list[str]]
) -> ChainReport:
    prev = ""
    count = 0
    for expected_seq, event in enumerate(events, start=1):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(case_id, count, expected_seq, "序号不连续（记录缺失或顺序被改动）")
        if event.prev_hash != prev:
            return ChainReport(case_id, count, event.seq, "前序哈希不符（记录被删除、插入或调换）")
        if compute_hash(event, attachments.get(event.pk, [])) != event.hash:
            return ChainReport(case_id, count, event.seq, "记录内容与哈希不符（记录被改动）")
        prev = event.hash
    return ChainReport(case_id, count, None)


def _check_head(report: ChainReport, head: Mapping[str, Any]) -> ChainReport:
    if head["last_seq"] is None:
        return ChainReport(report.case_id, 0, 1, "案件没有任何记录")
    if head["last_to"] != head["state"]:
        return ChainReport(
            report.case_id,
            report.events,
            head["last_seq"] + 1,
            "案件当前状态与最后一条记录不符（其后的记录可能被删除）",
        )
    return report
