"""How a damage story is told: `Damage`, the field agenda (seeds/field_agenda.py) with 小店's
people and the current quarter's moments, the payloads of the steps, and the usual openings
(a clue `started` and assessed, a `consult`ation's meetings). Told by seeds/damage.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from enforcement.damage.services import open_damage_clue, quarter_of
from enforcement.models import DamageCase
from seeds.field_agenda import Field, FieldSeedError, Thread, quarter_bounds, stamp
from seeds.stories import When
from workflow import calendar
from workflow.models import Case
from workflow.transitions import transition_case


class Damage(Field):
    """The damage stories: XD's people by role, and the moments of the current quarter."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        today = calendar.local_date(self.now)
        year, quarter = (today.year, (today.month - 1) // 3 + 1)
        first = quarter_bounds(year, quarter)[0]
        # How many working days back the current quarter reaches (0: it has not begun to work).
        self.quarter_days = 0
        #: Agreements signed so far, per year.
        self.signed: dict[int, int] = {}
        while self.moment(self.now, (self.quarter_days + 1, "09:00")).date() >= first:
            self.quarter_days += 1
            if self.quarter_days > 80:
                break

    def in_quarter(self, workdays: int) -> int:
        """`workdays` ago, moved into the current quarter when the quarter is younger."""
        return min(workdays, self.quarter_days) if self.quarter_days else workdays

    def story(self, key: str, ends_in: str) -> Thread:
        return self.thread(key, ends_in)

    def damage_clue(
        self,
        title: str,
        *,
        channel: str,
        obligor: tuple[str, str],
        location: str,
        media: str,
        description: str,
        by: str = "inspector",
        **extra: Any,
    ) -> Callable[[dt.datetime], DamageCase]:
        def open_(at: dt.datetime) -> DamageCase:
            return open_damage_clue(
                actor=self.users[by],
                title=title,
                channel=channel,
                description=description,
                location=location,
                media=media,
                parties=[obligor],
                now=at,
                **extra,
            )

        return open_

    def evidenced(
        self,
        thread: Thread,
        when: When | dt.datetime,
        transition: str,
        actor: str,
        note: str,
        payload: Mapping[str, Any] | None = None,
    ) -> Thread:
        """A step with a site photo (修复进展, 核查)."""

        def run(at: dt.datetime) -> None:
            case = DamageCase.objects.get(pk=thread.case.pk)
            transition_case(
                case,
                transition,
                actor=self.users[actor],
                payload=dict(payload or {}),
                note=note,
                files=[self.photo(f"{case.case_no}-{transition}-{at:%Y%m%d%H%M}")],
                now=at,
            )

        return thread.then(when, run)


def after(source: Case, opener: Callable[[dt.datetime], DamageCase]) -> Callable[..., DamageCase]:
    """Open a linked clue only after the source's last event: the link goes on both timelines,
    and none is written into its past."""

    def open_(at: dt.datetime) -> DamageCase:
        last = source.events.order_by("-seq").first()
        if last is not None and last.created_at >= at:
            raise FieldSeedError(f"a link at {at} precedes {source.case_no}'s last event")
        return opener(at)

    return open_


# --- payloads ------------------------------------------------------------------------------------


def batch(at: dt.datetime) -> dict[str, str]:
    return {"screening_batch": quarter_of(at)}


def commissioned(mode: str, agency: str, estimate: str = "") -> dict[str, str]:
    payload = {"assessment_mode": mode, "assessment_agency": agency}
    if estimate:
        payload["estimated_damage"] = estimate
    return payload


def assessed(report_no: str, amount: str, **costs: str) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "assessment_report_no": report_no,
        "damage_amount": amount,
        "remediation_feasible": True,
    }
    payload.update({f"cost_{item}": value for item, value in costs.items()})
    return payload


def notice(at: dt.datetime) -> dict[str, Any]:
    return {"consultation_notice_served_at": stamp(at), "procuratorate_invited": True}


def meeting(minutes: str) -> Callable[[dt.datetime], dict[str, str]]:
    return lambda at: {
        "held_at": stamp(at - dt.timedelta(hours=2)),
        "participants": "小店分局执法人员、赔偿义务人法定代表人及委托代理人、"
        "小店区人民检察院检察官",
        "minutes": minutes,
    }


def agreement(d: Damage, amount: str, mode: str) -> Callable[[dt.datetime], dict[str, str]]:
    """The agreement's number counts the year's agreements in the order they were signed."""

    def payload(at: dt.datetime) -> dict[str, str]:
        year = calendar.local_date(at).year
        d.signed[year] = number = d.signed.get(year, 0) + 1
        return {
            "agreement_no": f"小店损协〔{year}〕{number}号",
            "agreement_signed_at": stamp(at - dt.timedelta(hours=1)),
            "compensation_amount": amount,
            "remediation_mode": mode,
        }

    return payload


def confirmation(at: dt.datetime) -> dict[str, str]:
    return {"confirmation_court": "太原市中级人民法院", "confirmation_applied_at": stamp(at)}


def lawsuit(number: int) -> Callable[[dt.datetime], dict[str, str]]:
    return lambda at: {
        "court": "太原市中级人民法院",
        "court_case_no": f"（{calendar.local_date(at).year}）晋01民初{number}号",
        "lawsuit_filed_at": stamp(at),
    }


def remediation(plan: str, due: dt.date) -> dict[str, str]:
    return {"remediation_plan": plan, "remediation_due": str(due)}


def consult(
    d: Damage,
    thread: Thread,
    served: int,
    meetings: tuple[int, ...],
    minutes: tuple[str, ...] = ("赔偿义务人对鉴定评估结论无异议，就修复方式交换意见。",),
) -> Thread:
    """送达磋商通知 `served` working days ago, then meetings on the days given."""
    thread.step((served, "10:00"), "serve_consultation_notice", "inspector", notice)
    for number, day in enumerate(meetings):
        text = minutes[min(number, len(minutes) - 1)]
        thread.step((day, "16:00"), "record_meeting", "inspector", meeting(text))
    return thread


def started(
    d: Damage,
    key: str,
    ends_in: str,
    opener: Callable[[dt.datetime], Any],
    received: int,
    *,
    mode: tuple[str, str, str] = ("commissioned", "山西省环境科学研究院", ""),
    report: tuple[str, str, dict[str, str]] | None = None,
    result: str = "经初步核查，存在生态环境损害，赔偿义务人明确，决定启动索赔。",
) -> Thread:
    """A clue received `received` working days ago, screened in two days later, started within
    the 30 days, its assessment commissioned, and (given a report) concluded 20 days after."""
    t = d.story(key, ends_in).open((received, "09:30"), opener)
    t.step((received - 2, "15:00"), "screen_in", "inspector", batch)
    t.step((received - 12, "16:00"), "start", "supervisor", {"prelim_result": result})
    if ends_in == "investigating":
        return t
    t.step((received - 15, "10:00"), "commission_assessment", "inspector", commissioned(*mode))
    if report is not None:
        number, amount, costs = report
        t.step(
            (received - 35, "15:00"),
            "complete_assessment",
            "inspector",
            assessed(number, amount, **costs),
        )
    return t
