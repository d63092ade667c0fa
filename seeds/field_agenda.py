"""How a field story is told: its thread of steps, and the one agenda on which every step of
every story runs, in time order (seeds/field.py; the damage stories reuse it).

`Field` also makes what the stories share: an inspection logged with its 笔录 and photos, a penalty
case opened from its clue, a correction order served; and the moments the steps are set at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile

from enforcement.inspections.forms import CHECKLIST
from enforcement.inspections.services import log_inspection
from enforcement.models import (
    ClueSource,
    Complaint,
    CorrectionOrder,
    EnforcementCase,
    Enterprise,
    Inspection,
    RandomInspectionPlan,
)
from enforcement.penalties.services import issue_correction_order, open_enforcement_case
from seeds.complaint_story import HENGDA_USCC, JINYANG_USCC
from seeds.stories import When
from workflow import calendar
from workflow.models import Case
from workflow.transitions import transition_case


class FieldSeedError(Exception):
    """A field story went back in time or did not end where it says."""


Moment = Callable[[dt.datetime, When], dt.datetime]
Photo = Callable[[str], SimpleUploadedFile]


class Thread:
    """One case's story: its steps in order; the case is what the first step returns."""

    def __init__(self, field: Field, key: str, ends_in: str) -> None:
        self.field, self.key, self.ends_in = field, key, ends_in
        self.case: Any = None
        self._last: dt.datetime | None = None

    def then(self, when: When | dt.datetime, action: Callable[[dt.datetime], Any]) -> Thread:
        at = when if isinstance(when, dt.datetime) else self.field.moment(self.field.now, when)
        if self._last is not None and at <= self._last:
            raise FieldSeedError(f"{self.key}: a step at {at} goes back in time")
        if at >= self.field.now:
            raise FieldSeedError(f"{self.key}: a step at {at} is not in the past")
        self._last = at
        self.field.agenda.append((at, len(self.field.agenda), action))
        return self

    def open(self, when: When | dt.datetime, opener: Callable[[dt.datetime], Any]) -> Thread:
        def run(at: dt.datetime) -> None:
            self.case = opener(at)

        return self.then(when, run)

    def step(
        self,
        when: When | dt.datetime,
        transition: str,
        actor: str,
        payload: Mapping[str, Any] | Callable[[dt.datetime], Mapping[str, Any]] | None = None,
        note: str = "",
    ) -> Thread:
        def run(at: dt.datetime) -> None:
            data = payload(at) if callable(payload) else dict(payload or {})
            case = type(self.case).objects.get(pk=self.case.pk)
            transition_case(
                case,
                transition,
                actor=self.field.users[actor],
                payload=data,
                note=note,
                now=at,
            )

        return self.then(when, run)


class Field:
    """The demo's field stories: their threads, and every step of them on one agenda."""

    def __init__(
        self,
        *,
        users: Mapping[str, Any],
        complaints: Mapping[str, Complaint],
        now: dt.datetime,
        moment: Moment,
        photo: Photo,
    ) -> None:
        self.users, self.complaints, self.now = users, complaints, now
        self.moment, self.photo = moment, photo
        self.agenda: list[tuple[dt.datetime, int, Callable[[dt.datetime], Any]]] = []
        self.threads: list[Thread] = []
        self.plans: list[RandomInspectionPlan] = []
        xd = Enterprise.objects.filter(jurisdiction__code="XD")
        self.hengda = xd.get(uscc=HENGDA_USCC)
        self.jinyang = xd.get(uscc=JINYANG_USCC)
        self.foundry = xd.get(name="北格镇鑫源铸造厂")
        self.stone = xd.get(name="北格镇某某石材加工厂")
        self.power = xd.get(name="太原市龙城热电有限公司")

    def thread(self, key: str, ends_in: str) -> Thread:
        thread = Thread(self, key, ends_in)
        self.threads.append(thread)
        return thread

    def run(self) -> None:
        for _at, _order, action in sorted(self.agenda, key=lambda item: (item[0], item[1])):
            action(_at)
        for thread in self.threads:
            case = Case.objects.get(pk=thread.case.pk)
            if case.state != thread.ends_in:
                raise FieldSeedError(f"{thread.key}: ended in {case.state}, not {thread.ends_in}")

    # --- what the steps carry --------------------------------------------------------------------

    def record_payload(
        self,
        at: dt.datetime,
        findings: str,
        problems: Mapping[str, str],
        by: Sequence[AbstractUser],
    ) -> dict[str, Any]:
        """A 现场检查笔录 of an inspection that ended ten minutes before `at`."""
        payload: dict[str, Any] = {
            "inspectors": [user.pk for user in by],
            "started_at": stamp(at - dt.timedelta(minutes=80)),
            "ended_at": stamp(at - dt.timedelta(minutes=10)),
            "location": "厂区生产车间及污染防治设施",
            "on_site_person": "环保负责人",
            "findings": findings,
        }
        for code, _label in CHECKLIST:
            payload[f"check_{code}"] = "problem" if code in problems else "ok"
            payload[f"note_{code}"] = problems.get(code, "")
        return payload

    def logged(
        self,
        enterprise: Enterprise,
        kind: str,
        findings: str,
        problems: Mapping[str, str] | None = None,
        *,
        subject: Case | None = None,
        by: Sequence[str] = ("inspector", "inspector2"),
    ) -> Callable[[dt.datetime], Inspection]:
        def log(at: dt.datetime) -> Inspection:
            return log_inspection(
                actor=self.users[by[0]],
                enterprise=enterprise,
                inspection_type=kind,
                record=self.record_payload(
                    at, findings, problems or {}, [self.users[n] for n in by]
                ),
                files=[self.photo(f"{enterprise.name}-{at:%Y%m%d%H%M}-{n}") for n in (1, 2)],
                subject_case=subject,
                now=at,
            )

        return log

    def clue(
        self,
        title: str,
        *,
        enterprise: Enterprise | None = None,
        party: tuple[str, str] = ("", ""),
        source: str = ClueSource.INSPECTION,
        inspection: Thread | None = None,
        complaint: str = "",
    ) -> Callable[[dt.datetime], EnforcementCase]:
        def open_(at: dt.datetime) -> EnforcementCase:
            origin = self.complaints[complaint] if complaint else None
            # The complaints' stories were written first: a link goes on both timelines, so it
            # is made only where it comes after the complaint's last event; an older or closed
            # complaint is named instead of rewritten into its past.
            last = origin.events.order_by("-seq").first() if origin else None
            linked = bool(origin and origin.closed_at is None and last and last.created_at <= at)
            return open_enforcement_case(
                actor=self.users["inspector"],
                title=title,
                description=""
                if linked or origin is None
                else f"线索来源：信访投诉 {origin.case_no}",
                source_complaint=origin if linked else None,
                enterprise=enterprise,
                party_name=party[0],
                party_address=party[1],
                clue_source=source,
                clue_at=at,
                investigators=[self.users["inspector"], self.users["inspector2"]],
                source_inspection=inspection.case if inspection else None,
                now=at,
            )

        return open_

    def order(
        self,
        enterprise: Enterprise,
        violation: str,
        requirement: str,
        *,
        days: int,
        case: Thread | None = None,
        daily_amount: str | None = None,
    ) -> Callable[[dt.datetime], CorrectionOrder]:
        def issue(at: dt.datetime) -> CorrectionOrder:
            return issue_correction_order(
                actor=self.users["inspector"],
                enterprise=enterprise,
                violation=violation,
                requirement=requirement,
                basis="《中华人民共和国环境保护法》第六十条",
                correct_by=calendar.local_date(at) + dt.timedelta(days=days),
                served_at=at,
                daily_amount=None if daily_amount is None else Decimal(daily_amount),
                enforcement_case=case.case if case else None,
                now=at,
            )

        return issue


# --- moments ------------------------------------------------------------------------------------


def stamp(moment: dt.datetime) -> str:
    """A moment as a form's datetime-local field sends it (Beijing time)."""
    return moment.astimezone(calendar.SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def on(day: dt.date, clock: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.SHANGHAI)


def workdays_after(moment: dt.datetime, n: int, clock: str) -> dt.datetime:
    return on(calendar.add_workdays(calendar.local_date(moment), n).date, clock)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)
