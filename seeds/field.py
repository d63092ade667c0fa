"""The demo's field work in 小店: inspections, enforcement cases at every stage of the ordinary
procedure, 责令改正 with their 复查, and two 双随机 plans.

Like the complaints (seeds/complaints.py), every step of every story runs in one time order, only
through the services (`log_inspection`, `schedule_inspection`, `open_enforcement_case`,
`issue_correction_order`, `draw_plan`) and `transition_case`, at moments before the seed's `now`
chosen so that the legal clocks hold: a case is filed within 15 days of its lead, the decision
waits until the notice's windows have lapsed, a 复查 comes within 30 days of service. The 文号
(立案审批表, 事先告知书, 决定书, 责令改正, 检查笔录) therefore follow the order things happened.

The story of 小店区恒达化工 runs through most of it: fined for its waste water some months ago,
it refused to correct (按日连续处罚 days recorded) before complying, and its neighbours'
complaints about the smell opened a new case. `publish_plan` (enforcement/random_checks) is the
one more service the plans use. A case a complaint started is linked to it (both timelines) where
the link comes after the complaint's last event; otherwise the case names the complaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile

from enforcement.inspections.draw import draw_plan
from enforcement.inspections.forms import CHECKLIST
from enforcement.inspections.services import log_inspection, record_inspection, schedule_inspection
from enforcement.models import (
    ClueSource,
    Complaint,
    CorrectionOrder,
    EnforcementCase,
    Enterprise,
    Inspection,
    InspectionType,
    RandomInspectionPlan,
)
from enforcement.penalties.services import issue_correction_order, open_enforcement_case
from enforcement.random_checks.services import publish_plan
from seeds.complaint_story import HENGDA_USCC, JINYANG_USCC
from seeds.stories import When
from workflow import calendar
from workflow.models import Case
from workflow.transitions import transition_case

#: The plans draw from 小店's five registered enterprises (3 重点, 2 一般): the default ratios
#: would draw one or two, these draw three a quarter.
DEMO_RATIOS = {"key": 0.5, "special": 1.0, "general": 0.3}
#: 小店执法大队's inspectors and the bureau's verifier: the 双随机 inspector pool.
POOL = ("inspector", "inspector2", "verifier", "inspector3", "inspector4", "inspector5")


class FieldSeedError(Exception):
    """A field story went back in time or did not end where it says."""


@dataclass(frozen=True)
class FieldResult:
    inspections: int
    enforcement_cases: int
    correction_orders: int
    random_plans: int


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


def stamp(moment: dt.datetime) -> str:
    """A moment as a form's datetime-local field sends it (Beijing time)."""
    return moment.astimezone(calendar.SHANGHAI).strftime("%Y-%m-%dT%H:%M")


# --- payloads of the ordinary procedure ---------------------------------------------------------


def filing(facts: str, provisions: str) -> dict[str, str]:
    return {"violation_facts": facts, "violated_provisions": provisions}


def review(facts: str, provisions: str, penalty: str, fine: str) -> dict[str, str]:
    return {
        "violation_facts": facts,
        "penalty_provisions": provisions,
        "proposed_penalty": penalty,
        "proposed_fine": fine,
    }


LEGAL_OPINION = {"legal_review_opinion": "事实清楚，证据确凿，程序合法，适用依据正确，裁量适当。"}


def notice(penalty: str, fine: str, *, hearing: bool) -> Callable[[dt.datetime], dict[str, Any]]:
    return lambda at: {
        "notice_served_at": stamp(at),
        "proposed_penalty": penalty,
        "proposed_fine": fine,
        "hearing_eligible": hearing,
    }


def decision(fine: str, text: str) -> dict[str, Any]:
    return {"penalty_kinds": ["fine"], "fine_amount": fine, "decision_text": text}


def served(at: dt.datetime) -> dict[str, str]:
    return {"served_at": stamp(at)}


def recheck(
    inspection: Thread, findings: str, *, new_requirement: str = "", new_days: int = 0
) -> Callable[[dt.datetime], dict[str, Any]]:
    def payload(at: dt.datetime) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rechecked_at": stamp(at),
            "recheck_covert": True,
            "recheck_findings": findings,
            "recheck_inspection": inspection.case.pk,
        }
        if new_requirement:
            data["new_requirement"] = new_requirement
            data["new_correct_by"] = str(calendar.local_date(at) + dt.timedelta(days=new_days))
        return data

    return payload


def report(text: str) -> Callable[[dt.datetime], dict[str, str]]:
    return lambda at: {"reported_at": stamp(at), "report_text": text}


# --- the stories --------------------------------------------------------------------------------


WATER_FACTS = "2026年例行检查时，当事人废水总排口化学需氧量浓度为排放标准的2.3倍。"
WATER_LAW = "《中华人民共和国水污染防治法》第十条"
WATER_PENALTY = "《中华人民共和国水污染防治法》第八十三条第（二）项"


def _hengda(f: Field) -> None:
    """Fined for its waste water (结案), refused to correct once, complied at the next 复查; then
    the neighbours' complaints about the smell open a new case (调查取证) with an order whose
    复查 is due within days."""
    e = f.hengda
    daily = f.thread("hengda-daily", "completed").open(
        (75, "10:30"),
        f.logged(
            e, InspectionType.DAILY, "废水总排口采样，化学需氧量超标。", {"discharge": "COD超标"}
        ),
    )
    fined = f.thread("hengda-fined", "closed")
    fined.open((75, "15:00"), f.clue("恒达化工超标排放水污染物案", enterprise=e, inspection=daily))
    fined.step((74, "10:00"), "submit_filing", "inspector", filing(WATER_FACTS, WATER_LAW))
    fined.step((73, "15:00"), "approve_filing", "supervisor")
    fined.step(
        (60, "10:00"),
        "submit_review",
        "inspector",
        review(WATER_FACTS, WATER_PENALTY, "罚款人民币贰拾万元", "200000"),
    )
    fined.step((58, "15:00"), "record_legal_review", "legal", LEGAL_OPINION)
    fined.step(
        (57, "10:00"),
        "serve_notice",
        "inspector2",
        notice("罚款人民币贰拾万元", "200000", hearing=True),
    )
    fined.step(
        (55, "15:00"),
        "record_defence",
        "inspector",
        {"defence_statement": "当事人称系设备故障所致；经复核，理由不成立，不予采纳。"},
    )
    fined.step((50, "09:30"), "submit_decision", "inspector")
    fined.step((48, "15:00"), "decide", "supervisor", decision("200000", "罚款人民币贰拾万元整。"))
    fined.step((46, "10:00"), "serve_decision", "inspector", served)
    fined.step(
        (40, "11:00"),
        "record_performance",
        "inspector",
        lambda at: {"paid_at": stamp(at - dt.timedelta(hours=2)), "paid_amount": "200000"},
    )
    fined.step(
        (38, "15:00"), "close_case", "supervisor", {"closing_summary": "当事人已缴纳罚款，结案。"}
    )

    refused = f.thread("hengda-refused", "continuing").open(
        (46, "10:30"),
        f.order(
            e,
            "废水总排口化学需氧量超标排放",
            "立即停止超标排放，检修污水处理设施，确保达标排放",
            days=10,
            case=fined,
            daily_amount="200000",
        ),
    )
    found = f.thread("hengda-recheck-1", "completed").open(
        (30, "10:00"),
        f.logged(
            e,
            InspectionType.RECHECK,
            "暗查：总排口仍超标排放，污水处理设施未修复。",
            {"discharge": "COD仍超标", "facilities": "生化池曝气设备停运"},
        ),
    )
    refused.step(
        (30, "10:30"),
        "fail_recheck",
        "inspector",
        recheck(
            found,
            "污水处理设施未修复，仍超标排放，拒不改正。",
            new_requirement="立即停产整治污水处理设施，达标后方可恢复生产",
            new_days=15,
        ),
    )
    follow_up = f.thread("hengda-follow-up", "corrected").open(
        (30, "10:31"),
        lambda at: CorrectionOrder.objects.get(previous_order=refused.case),
    )
    follow_up.step(
        (24, "16:00"), "record_report", "inspector2", report("已更换曝气设备并恢复运行。")
    )
    passed = f.thread("hengda-recheck-2", "completed").open(
        (20, "14:00"),
        f.logged(e, InspectionType.RECHECK, "暗查：污水处理设施正常运行，在线监测数据达标。"),
    )
    follow_up.step(
        (20, "14:30"), "pass_recheck", "inspector", recheck(passed, "已改正，准予销号。")
    )

    smell = f.thread("hengda-complaint-check", "completed").open(
        (19, "10:00"),
        f.logged(
            e,
            InspectionType.COMPLAINT,
            "核查群众反映的异味：储罐区呼吸阀无组织排放，废气收集设施未运行。",
            {"facilities": "废气收集设施未运行"},
            subject=f.complaints["hengda"],
        ),
    )
    voc = f.thread("hengda-voc", "investigating")
    voc.open(
        (19, "15:00"),
        f.clue(
            "恒达化工挥发性有机物无组织排放案",
            enterprise=e,
            source=ClueSource.COMPLAINT,
            inspection=smell,
            complaint="hengda",
        ),
    )
    voc.step(
        (18, "10:00"),
        "submit_filing",
        "inspector",
        filing(
            "储罐区挥发性有机物无组织排放，废气收集设施未运行。",
            "《中华人民共和国大气污染防治法》第四十五条",
        ),
    )
    voc.step((18, "16:00"), "approve_filing", "supervisor")
    order = f.thread("hengda-voc-order", "ordered").open(
        (17, "10:00"),
        f.order(
            e,
            "挥发性有机物无组织排放",
            "恢复废气收集处理设施运行，储罐呼吸阀加装收集装置",
            days=20,
            case=voc,
        ),
    )
    order.step((3, "15:00"), "record_report", "inspector2", report("已加装呼吸阀收集装置。"))


def _other_cases(f: Field) -> None:
    foundry_check = f.thread("foundry-daily", "completed").open(
        (33, "10:30"),
        f.logged(
            f.foundry,
            InspectionType.DAILY,
            "熔炼工序除尘设施未运行，车间粉尘弥漫。",
            {"facilities": "除尘器停运"},
        ),
    )
    suspended = f.thread("foundry-suspended", "suspended")
    suspended.open(
        (33, "15:00"),
        f.clue(
            "鑫源铸造厂大气污染防治设施未运行案", enterprise=f.foundry, inspection=foundry_check
        ),
    )
    suspended.step(
        (32, "10:00"),
        "submit_filing",
        "inspector",
        filing("熔炼工序除尘设施未运行。", "《中华人民共和国大气污染防治法》第二十条"),
    )
    suspended.step((31, "15:00"), "approve_filing", "supervisor")
    suspended.step(
        (12, "11:00"),
        "suspend",
        "supervisor",
        {"suspension_reason": "interpretation"},
        note="该铸造工艺适用的排放标准须请示省厅解释，中止调查。",
    )

    f.thread("power-daily", "completed").open(
        (40, "10:30"), f.logged(f.power, InspectionType.DAILY, "各项污染防治设施运行正常。")
    )
    noticed = f.thread("power-notice", "notice_served")
    noticed.open(
        (30, "09:00"),
        f.clue(
            "龙城热电氮氧化物超标排放案",
            enterprise=f.power,
            source=ClueSource.MONITORING,
        ),
    )
    nox = "在线监测显示1号锅炉氮氧化物小时均值连续超标。"
    air_law = "《中华人民共和国大气污染防治法》第十八条"
    noticed.step((29, "10:00"), "submit_filing", "inspector", filing(nox, air_law))
    noticed.step((28, "15:00"), "approve_filing", "supervisor")
    noticed.step(
        (6, "10:00"),
        "submit_review",
        "inspector",
        review(nox, "《中华人民共和国大气污染防治法》第九十九条", "罚款人民币叁拾万元", "300000"),
    )
    noticed.step((4, "15:00"), "record_legal_review", "legal", LEGAL_OPINION)
    noticed.step(
        (1, "10:00"),
        "serve_notice",
        "inspector",
        notice("罚款人民币叁拾万元", "300000", hearing=True),
    )

    pending = f.thread("garage-pending", "decision_pending")
    pending.open(
        (20, "10:00"),
        f.clue(
            "北格镇某某汽修店露天喷涂案",
            party=("北格镇某某汽修店", "小店区北格镇环城南路"),
            source=ClueSource.COMPLAINT,
            complaint="paint",
        ),
    )
    paint = "露天进行喷漆作业，未在密闭空间或设备中进行。"
    pending.step(
        (19, "10:00"),
        "submit_filing",
        "inspector",
        filing(paint, "《中华人民共和国大气污染防治法》第四十六条"),
    )
    pending.step((18, "15:00"), "approve_filing", "supervisor")
    pending.step(
        (12, "10:00"),
        "submit_review",
        "inspector",
        review(paint, "《中华人民共和国大气污染防治法》第一百零八条", "罚款人民币贰万元", "20000"),
    )
    pending.step((11, "15:00"), "record_legal_review", "legal", LEGAL_OPINION)
    pending.step(
        (10, "10:00"),
        "serve_notice",
        "inspector2",
        notice("罚款人民币贰万元", "20000", hearing=False),
    )
    pending.step((6, "09:30"), "submit_decision", "inspector")

    paying = f.thread("jinyang-paying", "executing")
    paying.open(
        (27, "10:00"),
        f.clue(
            "晋阳食品私设暗管排放水污染物案",
            enterprise=f.jinyang,
            source=ClueSource.COMPLAINT,
            complaint="jinyang",
        ),
    )
    pipe = "厂区东侧私设暗管，将未经处理的清洗废水排入村东沟渠。"
    paying.step(
        (26, "10:00"),
        "submit_filing",
        "inspector",
        filing(pipe, "《中华人民共和国水污染防治法》第三十九条"),
    )
    paying.step((25, "15:00"), "approve_filing", "supervisor")
    paying.step(
        (16, "10:00"),
        "submit_review",
        "inspector",
        review(
            pipe,
            "《中华人民共和国水污染防治法》第八十三条第（三）项",
            "罚款人民币拾伍万元",
            "150000",
        ),
    )
    paying.step((15, "15:00"), "record_legal_review", "legal", LEGAL_OPINION)
    paying.step(
        (14, "10:00"),
        "serve_notice",
        "inspector",
        notice("罚款人民币拾伍万元", "150000", hearing=True),
    )
    paying.step((7, "09:30"), "submit_decision", "inspector")
    paying.step((5, "15:00"), "decide", "supervisor", decision("150000", "罚款人民币拾伍万元整。"))
    paying.step((4, "10:00"), "serve_decision", "inspector2", served)

    fresh = f.thread("noodle-clue", "clue")
    fresh.open(
        (1, "15:00"),
        f.clue(
            "北格镇某某面馆油烟直排案",
            party=("北格镇某某面馆", "小店区北格镇商业街"),
            source=ClueSource.COMPLAINT,
            complaint="noodle",
        ),
    )

    filing_review = f.thread("stone-filing", "filing_review")
    filing_review.open(
        (6, "15:00"),
        f.clue(
            "某某石材加工厂夜间噪声扰民案",
            enterprise=f.stone,
            source=ClueSource.COMPLAINT,
            complaint="cutting",
        ),
    )
    filing_review.step(
        (4, "10:00"),
        "submit_filing",
        "inspector",
        filing(
            "夜间22时后进行石材切割作业，厂界噪声超标。",
            "《中华人民共和国噪声污染防治法》第三十六条",
        ),
    )

    refused_filing = f.thread("scrapyard-not-filed", "not_filed")
    refused_filing.open(
        (12, "10:00"),
        f.clue(
            "环城南路废旧轮胎露天焚烧案",
            party=("北格镇某某废品收购站", "小店区北格镇环城南路西段"),
            source=ClueSource.COMPLAINT,
            complaint="tyres",
        ),
    )
    refused_filing.step(
        (11, "10:00"),
        "submit_filing",
        "inspector",
        filing("路边堆放的废旧轮胎被焚烧。", "《中华人民共和国大气污染防治法》第一百一十九条"),
    )
    refused_filing.step(
        (10, "15:00"),
        "reject_filing",
        "supervisor",
        {"not_filed_reason": "经调查，焚烧行为人无法查明，废品收购站已将轮胎全部清运，不予立案。"},
    )

    f.thread("stone-daily", "completed").open(
        (30, "10:30"),
        f.logged(
            f.stone,
            InspectionType.DAILY,
            "切割工序未采取洒水抑尘措施，露天堆放石料未苫盖。",
            {"facilities": "无抑尘措施"},
        ),
    )
    corrected = f.thread("stone-order", "corrected").open(
        (30, "15:00"),
        f.order(
            f.stone, "切割粉尘无组织排放", "切割工序加装喷淋抑尘设施，石料堆场全部苫盖", days=10
        ),
    )
    corrected.step((24, "10:00"), "record_report", "inspector2", report("已加装喷淋设施并苫盖。"))
    stone_recheck = f.thread("stone-recheck", "completed").open(
        (20, "10:00"),
        f.logged(f.stone, InspectionType.RECHECK, "暗查：喷淋抑尘设施运行正常，堆场已苫盖。"),
    )
    corrected.step(
        (20, "10:30"), "pass_recheck", "inspector", recheck(stone_recheck, "已改正，准予销号。")
    )

    task = f.thread("power-task", "scheduled")
    task.open(
        (2, "16:00"),
        lambda at: schedule_inspection(
            actor=f.users["dispatcher"],
            enterprise=f.power,
            inspection_type=InspectionType.SPECIAL,
            inspectors=[f.users["inspector"], f.users["inspector2"]],
            inspect_by=calendar.local_date(f.now),
            responsible_unit=f.users["inspector"].staff.unit,
            title="专项检查：龙城热电脱硝设施运行情况",
            now=at,
        ),
    )


# --- 双随机、一公开 ---------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def on(day: dt.date, clock: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.SHANGHAI)


def workdays_after(moment: dt.datetime, n: int, clock: str) -> dt.datetime:
    return on(calendar.add_workdays(calendar.local_date(moment), n).date, clock)


def _random_plans(f: Field) -> None:
    """This quarter's plan, drawn early in the quarter (never later than six working days ago),
    with one result published, one awaiting publication and one task still to do; and the
    previous quarter's, every result published."""
    year, quarter = quarter_of(calendar.local_date(f.now))
    opening = on(calendar.next_workday_on_or_after(quarter_bounds(year, quarter)[0]), "09:30")
    drawn = min(max(opening, f.moment(f.now, (25, "09:30"))), f.moment(f.now, (6, "09:30")))
    earlier = previous_quarter(year, quarter)
    earlier_opening = calendar.next_workday_on_or_after(quarter_bounds(*earlier)[0])
    _plan(f, *earlier, drawn=on(earlier_opening, "09:30"), records=(5, 9, 13), publish=16)
    _plan(f, year, quarter, drawn=drawn, records=(2, 4), publish=3)


#: How many targets the demo ratios draw from 小店's register (2 重点 + 1 一般).
DRAWN_TARGETS = 3


def _plan(
    f: Field, year: int, quarter: int, *, drawn: dt.datetime, records: Sequence[int], publish: int
) -> None:
    """Draw a plan at `drawn`, record its first tasks (in draw order) `records` working days
    later, and publish what is recorded `publish` working days after the draw
    (`publish_plan`: the plan is published once every task is)."""
    tasks: list[Inspection] = []
    drawn_plan: list[RandomInspectionPlan] = []
    dispatcher = f.users["dispatcher"]
    seed = f"小店-{year}Q{quarter}-demo"

    def draw(at: dt.datetime) -> None:
        plan = RandomInspectionPlan.objects.create(
            jurisdiction=dispatcher.staff.unit,
            year=year,
            quarter=quarter,
            title=f"{year}年第{quarter}季度“双随机、一公开”抽查",
            ratios=DEMO_RATIOS,
            conflict_days=settings.ECOLOOP_RANDOM_CONFLICT_DAYS,
            inspect_by=quarter_bounds(year, quarter)[1],
            created_by=dispatcher,
            created_at=at - dt.timedelta(hours=1),
        )
        plan.inspector_pool_users.set([f.users[name] for name in POOL])
        tasks.extend(draw_plan(plan, actor=dispatcher, now=at, seed=seed))
        if len(tasks) != DRAWN_TARGETS:
            raise FieldSeedError(f"{seed}: the draw gave {len(tasks)} targets")
        f.plans.append(plan)
        drawn_plan.append(plan)

    def publish_results(at: dt.datetime) -> None:
        publish_plan(drawn_plan[0], actor=dispatcher, now=at)

    def task(index: int) -> Callable[[dt.datetime], Inspection]:
        return lambda at: tasks[index]

    f.agenda.append((drawn, len(f.agenda), draw))
    published_at = workdays_after(drawn, publish, "15:00")
    f.agenda.append((published_at, len(f.agenda), publish_results))
    for index in range(DRAWN_TARGETS):
        recorded_at = (
            workdays_after(drawn, records[index], "10:30") if index < len(records) else None
        )
        if recorded_at is None:
            ends_in = "scheduled"
        else:
            ends_in = "completed" if recorded_at < published_at else "recorded"
        thread = f.thread(f"{seed}-{index}", ends_in)
        thread.open(drawn + dt.timedelta(seconds=index + 1), task(index))
        if recorded_at is None:
            continue
        problem = {"ledger": "环境管理台账记录不全"} if index == 1 else {}

        def record(
            at: dt.datetime, thread: Thread = thread, problem: dict[str, str] = problem
        ) -> None:
            task = Inspection.objects.get(pk=thread.case.pk)
            pair = list(task.inspectors.order_by("pk"))
            findings = "环境管理台账缺少近三个月记录。" if problem else "未发现环境违法行为。"
            record_inspection(
                task, actor=pair[0], record=f.record_payload(at, findings, problem, pair), now=at
            )

        thread.then(recorded_at, record)


def seed_field(
    *,
    users: Mapping[str, Any],
    complaints: Mapping[str, Complaint],
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> FieldResult:
    """Tell every field story, all steps in one time order; returns what was made."""
    field = Field(users=users, complaints=complaints, now=now, moment=moment, photo=photo)
    _hengda(field)
    _other_cases(field)
    _random_plans(field)
    field.run()
    kinds = [Case.objects.get(pk=thread.case.pk).kind for thread in field.threads]
    return FieldResult(
        inspections=kinds.count("inspection"),
        enforcement_cases=kinds.count("enforcement"),
        correction_orders=kinds.count("correction"),
        random_plans=len(field.plans),
    )
