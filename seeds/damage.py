"""The demo's ecological damage compensation (生态环境损害赔偿): a case in each stage in 小店,
one in 迎泽, and 一案双查 from the 恒达 penalty case and from a complaint.

Like the field work (seeds/field.py, whose `Field` and `Thread`, in seeds/field_agenda.py, this
reuses), every step of every story runs in one time order, only through the services
(`open_damage_clue`, `clue_from_enforcement`, `clue_from_complaint`) and `transition_case`, at
moments before the seed's `now` chosen so that the limits hold: 初步核查 concluded within 30 days
of the clue, 磋商 within 90 days of its notice and ≤ 3 meetings a round (one re-negotiation),
remediation after the court's 30-day publicity. The inspector handles, the head (`supervisor`)
decides, and the verifier checks the remediation the inspector recorded (separation of duties).

The clues fall in the current and the previous quarter so that the metrics page has numbers for
both: the current quarter's clues are placed inside it whenever it has begun (the newest clue,
from a complaint, still awaits its screening); a link (一案双查, spawned-from) is made only after
the source's last event, so no timeline is written into its past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from enforcement.damage.services import (
    clue_from_complaint,
    clue_from_enforcement,
    open_damage_clue,
    quarter_of,
)
from enforcement.models import Complaint, DamageCase, EnforcementCase
from seeds.field_agenda import (
    Field,
    FieldSeedError,
    Moment,
    Photo,
    Thread,
    on,
    quarter_bounds,
    stamp,
)
from seeds.stories import When
from workflow import calendar
from workflow.models import Case
from workflow.transitions import transition_case

#: The penalty case whose 一案双查 opens a damage clue (seeds/field_cases.py), and the complaint
#: whose report of black water in the 汾河 tributary does (seeds/complaints_in_loop.py).
HENGDA_CASE = "恒达化工超标排放水污染物案"
RIVER_COMPLAINT = "river"


@dataclass(frozen=True)
class DamageResult:
    damage_cases: int
    meetings: int


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


# --- the stories ---------------------------------------------------------------------------------


def _early_stages(d: Damage) -> None:
    """线索, 筛查排除, 初步核查 (its 30 days nearly run), 不启动, and 一案双查 from 恒达."""
    river = d.complaints[RIVER_COMPLAINT]
    fresh = d.story("river-clue", "clue")
    fresh.open(
        (d.in_quarter(2), "14:00"),
        after(
            river,
            lambda at: clue_from_complaint(
                river,
                actor=d.users["inspector"],
                now=at,
                media="地表水、沉积物",
                parties=[("小店区汾河东岸支流沿岸排污单位（待查明）", "")],
            ),
        ),
    )

    excluded = d.story("carwash-excluded", "excluded")
    excluded.open(
        (d.in_quarter(8), "09:00"),
        d.damage_clue(
            "许西村洗车点洗车废水漫流",
            channel="supervision",
            obligor=("许西村某洗车点", ""),
            location="小店区许西村",
            media="土壤",
            description="日常巡查发现洗车废水漫流至路边空地。",
        ),
    )
    excluded.step(
        (d.in_quarter(5), "15:00"),
        "screen_out",
        "inspector",
        lambda at: {**batch(at), "not_started_reason": "minor"},
        note="废水量小，已当场清理，未造成土壤污染，损害显著轻微。",
    )

    today = calendar.local_date(d.now)
    received = on(calendar.next_workday_on_or_after(today - dt.timedelta(days=26)), "09:30")
    checking = d.story("slag-prelim", "prelim_check")
    checking.open(
        received,
        d.damage_clue(
            "北格镇废弃砂坑倾倒铸造废砂",
            channel="supervision",
            obligor=(d.foundry.name, d.foundry.uscc),
            location="小店区北格镇张花村废弃砂坑",
            media="土壤、地下水",
            description="专项行动发现废弃砂坑内倾倒铸造废砂约300吨，疑含重金属。",
        ),
    )
    checking.step(received + dt.timedelta(days=1, hours=5), "screen_in", "inspector", batch)

    declined = d.story("stone-not-started", "not_started")
    declined.open(
        (30, "09:30"),
        d.damage_clue(
            "某某石材加工厂废水外溢污染农田",
            channel="complaint",
            obligor=(d.stone.name, d.stone.uscc),
            location="小店区北格镇石材加工厂东侧农田",
            media="土壤",
            description="村民反映石材切割废水外溢至东侧农田约0.2亩。",
        ),
    )
    declined.step((29, "15:00"), "screen_in", "inspector", batch)
    declined.step(
        (18, "16:00"),
        "not_start",
        "supervisor",
        {
            "prelim_result": "经核查，当事人已清除农田沉积石粉并与村民达成赔偿，损害已得到填补。",
            "not_started_reason": "performed",
        },
    )

    hengda = EnforcementCase.objects.get(title=HENGDA_CASE)
    started(
        d,
        "hengda-double",
        "investigating",
        after(
            hengda,
            lambda at: clue_from_enforcement(
                hengda,
                actor=d.users["inspector"],
                now=at,
                location="小店区汾河东岸排洪沟",
                media="地表水、沉积物",
            ),
        ),
        received=28,
        result="超标废水排入排洪沟，沟底沉积物受污染，启动索赔并与行政处罚同步调查（一案双查）。",
    )


def _middle_stages(d: Damage) -> None:
    """鉴定评估, 待磋商, 磋商中, 磋商不成, 已签订协议, 司法确认中, 诉讼中 (after one
    re-negotiation), 终止."""
    started(
        d,
        "jinyang-assessing",
        "assessing",
        d.damage_clue(
            "晋阳食品私设暗管排放废水污染村东沟渠",
            channel="penalty",
            obligor=(d.jinyang.name, d.jinyang.uscc),
            location="小店区北格镇村东沟渠",
            media="地表水、土壤",
            description="行政处罚案件筛查发现：私设暗管排放清洗废水，沟渠约800米受影响。",
        ),
        received=70,
    )
    started(
        d,
        "oil-assessed",
        "assessed",
        d.damage_clue(
            "龙城热电柴油储罐泄漏污染土壤",
            channel="incident",
            obligor=(d.power.name, d.power.uscc),
            location="小店区龙城热电厂区油库",
            media="土壤",
            description="突发事件：柴油储罐底阀破损，泄漏柴油约2吨渗入周边土壤。",
        ),
        received=90,
        mode=("simplified", "太原市生态环境损害鉴定评估专家库专家组", "180000"),
        report=(
            "晋环简评〔2026〕3号",
            "176000",
            {"cleanup": "96000", "remediation": "68000", "assessment": "12000"},
        ),
    )

    consulting = started(
        d,
        "dye-consulting",
        "consulting",
        d.damage_clue(
            "某印染厂偷排印染废水污染坑塘",
            channel="criminal",
            obligor=("太原市某印染有限公司", ""),
            location="小店区西温庄乡坑塘",
            media="地表水、沉积物",
            description="公安机关移送涉嫌污染环境罪案件，偷排印染废水约500吨。",
        ),
        received=130,
        report=(
            "晋环鉴〔2026〕21号",
            "1420000",
            {"investigation": "60000", "assessment": "180000", "remediation": "1180000"},
        ),
    )
    consult(
        d,
        consulting,
        50,
        (40, 20),
        (
            "赔偿义务人认可损害事实，对修复费用有异议，要求核减。",
            "就分期赔付和第三方修复方案交换意见，约定下次磋商前提交修复方案。",
        ),
    )

    failed = started(
        d,
        "waste-failed",
        "consultation_failed",
        d.damage_clue(
            "某物流园区非法填埋危险废物",
            channel="upper",
            obligor=("太原市某物流有限公司", ""),
            location="小店区刘家堡乡物流园区",
            media="土壤、地下水",
            description="省厅交办：园区空地下填埋废矿物油桶约120只。",
        ),
        received=110,
        report=(
            "晋环鉴〔2026〕18号",
            "2650000",
            {"cleanup": "1200000", "remediation": "1250000", "assessment": "200000"},
        ),
    )
    consult(d, failed, 40, (30,), ("赔偿义务人对鉴定结论提出异议，要求补充鉴定。",))
    failed.step(
        (10, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "absent"},
        note="赔偿义务人无正当理由未参加第二次磋商，视为磋商不成。",
    )

    signed = started(
        d,
        "mine-agreement",
        "agreement",
        d.damage_clue(
            "某建材厂越界取土破坏林地",
            channel="inspection",
            obligor=("太原市某建材有限公司", ""),
            location="小店区西温庄乡东山林地",
            media="林地、土壤",
            description="中央生态环境保护督察移交：越界取土破坏林地约12亩。",
        ),
        received=120,
        report=(
            "晋环鉴〔2026〕15号",
            "860000",
            {"remediation": "760000", "interim_loss": "60000", "assessment": "40000"},
        ),
    )
    consult(d, signed, 45, (35, 20))
    signed.step((5, "10:00"), "sign_agreement", "supervisor", agreement(d, "860000", "self"))

    confirming = started(
        d,
        "chem-confirmation",
        "judicial_confirmation",
        d.damage_clue(
            "某化工企业雨水排口排放高浓度废水",
            channel="public_interest",
            obligor=("山西某精细化工有限公司", ""),
            location="小店区太榆路雨水排口下游",
            media="地表水",
            description="检察机关公益诉讼诉前程序移送：雨水排口排放高浓度化工废水。",
        ),
        received=130,
        report=(
            "晋环鉴〔2026〕9号",
            "540000",
            {"cleanup": "200000", "remediation": "300000", "assessment": "40000"},
        ),
    )
    consult(d, confirming, 80, (70, 62))
    confirming.step(
        (55, "10:00"), "sign_agreement", "supervisor", agreement(d, "540000", "payment")
    )
    confirming.step((12, "10:00"), "apply_confirmation", "inspector", confirmation)

    suing = started(
        d,
        "tannery-litigating",
        "litigating",
        d.damage_clue(
            "某皮革厂含铬废水渗漏污染土壤",
            channel="penalty",
            obligor=("太原市某皮革制品有限公司", ""),
            location="小店区刘家堡乡皮革厂南侧",
            media="土壤、地下水",
            description="行政处罚案件筛查发现：含铬废水池防渗层破损，周边土壤六价铬超标。",
        ),
        received=160,
        report=(
            "晋环鉴〔2025〕31号",
            "3100000",
            {"cleanup": "900000", "remediation": "1900000", "permanent_loss": "300000"},
        ),
    )
    consult(d, suing, 110, (100,), ("赔偿义务人拒绝承担修复费用。",))
    suing.step(
        (95, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "absent"},
        note="赔偿义务人中途退出磋商。",
    )
    suing.step(
        (90, "10:00"),
        "reconsult",
        "supervisor",
        notice,
        note="赔偿义务人书面申请重新磋商，同意重新磋商一次。",
    )
    for day, text in (
        (85, "重新磋商：赔偿义务人提出以自行修复替代赔偿金。"),
        (80, "修复方案技术审查未通过，双方分歧较大。"),
        (75, "赔偿义务人仍不同意修复目标，未能达成一致。"),
    ):
        suing.step((day, "16:00"), "record_meeting", "inspector", meeting(text))
    suing.step(
        (70, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "meetings"},
        note="重新磋商三次仍未达成一致。",
    )
    suing.step((60, "10:00"), "file_lawsuit", "supervisor", lawsuit(57))

    ended = started(
        d,
        "plating-terminated",
        "terminated",
        d.damage_clue(
            "某电镀作坊废液倾倒",
            channel="complaint",
            obligor=("小店区某电镀作坊", ""),
            location="小店区小马村",
            media="土壤",
            description="群众举报电镀作坊夜间倾倒废液。",
        ),
        received=45,
    )
    ended.step(
        (15, "10:00"),
        "terminate",
        "supervisor",
        {"termination_reason": "no_obligor"},
        note="作坊经营者已死亡，作坊已注销，无财产可供执行，终止索赔；已由属地政府组织清理。",
    )


def _late_stages(d: Damage) -> None:
    """修复/赔付中, 修复效果评估, 结案 through 磋商 (with 司法确认) and through 诉讼."""
    today = calendar.local_date(d.now)

    repairing = started(
        d,
        "coking-remediating",
        "remediating",
        d.damage_clue(
            "某焦化厂焦油渣露天堆放污染土壤",
            channel="supervision",
            obligor=("山西某焦化集团有限公司", ""),
            location="小店区刘家堡乡焦化厂东侧",
            media="土壤",
            description="执法检查发现焦油渣露天堆放约50吨，堆场土壤多环芳烃超标。",
        ),
        received=200,
        report=(
            "晋环鉴〔2025〕27号",
            "1250000",
            {"cleanup": "450000", "remediation": "700000", "assessment": "100000"},
        ),
    )
    consult(d, repairing, 150, (140, 130))
    repairing.step((125, "10:00"), "sign_agreement", "supervisor", agreement(d, "1250000", "self"))
    repairing.step(
        (120, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "清运焦油渣，堆场土壤异位热脱附处理，分三期支付赔偿金。", today + dt.timedelta(days=90)
        ),
    )
    d.evidenced(
        repairing,
        (80, "15:00"),
        "record_progress",
        "inspector",
        "焦油渣已全部清运处置；第一期赔偿金到账。",
        {"paid": "300000"},
    )
    d.evidenced(
        repairing,
        (30, "15:00"),
        "record_progress",
        "inspector",
        "热脱附处理完成约60%；第二期赔偿金到账。",
        {"paid": "200000"},
    )

    evaluating = started(
        d,
        "brick-evaluation",
        "effect_evaluation",
        d.damage_clue(
            "某砖厂粉煤灰倾倒占用河道",
            channel="proposal",
            obligor=("太原市某新型墙材有限公司", ""),
            location="小店区北格镇潇河河道",
            media="河道、地表水",
            description="区人大代表建议：砖厂向潇河河道倾倒粉煤灰约2000吨。",
        ),
        received=210,
        report=(
            "晋环鉴〔2025〕22号",
            "680000",
            {"cleanup": "420000", "remediation": "220000", "assessment": "40000"},
        ),
    )
    consult(d, evaluating, 170, (160,))
    evaluating.step(
        (155, "10:00"), "sign_agreement", "supervisor", agreement(d, "680000", "third_party")
    )
    evaluating.step(
        (150, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "委托第三方清运粉煤灰，恢复河道断面并护坡绿化。", today + dt.timedelta(days=30)
        ),
    )
    d.evidenced(
        evaluating,
        (60, "15:00"),
        "record_progress",
        "inspector",
        "粉煤灰清运完毕。",
        {"paid": "680000"},
    )
    d.evidenced(evaluating, (20, "15:00"), "record_progress", "inspector", "河道护坡绿化完成。")
    d.evidenced(
        evaluating,
        (8, "11:00"),
        "verify_remediation",
        "verifier",
        "现场核查：河道断面已恢复，护坡植被成活，赔偿金已全额到账。",
    )

    agreed = started(
        d,
        "paper-closed-agreement",
        "closed",
        d.damage_clue(
            "某造纸厂黑液泄漏污染排洪渠",
            channel="incident",
            obligor=("太原市某纸业有限公司", ""),
            location="小店区刘家堡乡排洪渠",
            media="地表水、沉积物",
            description="突发事件：黑液储池溢流，约200吨黑液进入排洪渠。",
        ),
        received=200,
        report=(
            "晋环鉴〔2025〕25号",
            "920000",
            {"cleanup": "380000", "remediation": "480000", "assessment": "60000"},
        ),
    )
    consult(d, agreed, 140, (130, 120))
    agreed.step(
        (110, "10:00"), "sign_agreement", "supervisor", agreement(d, "920000", "third_party")
    )
    agreed.step((100, "10:00"), "apply_confirmation", "inspector", confirmation)
    agreed.step(
        (45, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "法院裁定确认协议有效；委托第三方清淤并生态修复排洪渠。", today + dt.timedelta(days=60)
        ),
    )
    d.evidenced(
        agreed,
        (30, "15:00"),
        "record_progress",
        "inspector",
        "清淤完成，赔偿金全额到账。",
        {"paid": "920000"},
    )
    d.evidenced(
        agreed, (20, "11:00"), "verify_remediation", "verifier", "现场核查清淤及生态修复已完成。"
    )
    agreed.step(
        (12, "15:00"),
        "pass_evaluation",
        "supervisor",
        {"evaluation_report": "修复效果评估报告：排洪渠水质和沉积物指标均达到修复目标。"},
    )

    judged = started(
        d,
        "mine-closed-lawsuit",
        "closed",
        d.damage_clue(
            "某洗煤厂煤泥水直排污染农田",
            channel="penalty",
            obligor=("太原市某洗煤有限公司", ""),
            location="小店区西温庄乡农田",
            media="土壤",
            description="行政处罚案件筛查发现：煤泥水直排致农田约30亩板结。",
        ),
        received=260,
        report=(
            "晋环鉴〔2025〕11号",
            "450000",
            {"remediation": "380000", "interim_loss": "40000", "assessment": "30000"},
        ),
    )
    consult(d, judged, 210, (205, 200, 195), ("赔偿义务人否认因果关系。",))
    judged.step(
        (193, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "meetings"},
        note="三次磋商仍未达成一致。",
    )
    judged.step((185, "10:00"), "file_lawsuit", "supervisor", lawsuit(12))
    judged.step(
        (95, "10:00"),
        "start_remediation",
        "inspector",
        lambda at: remediation(
            "判决生效：被告支付生态环境修复费用及期间损失，由属地政府组织替代修复。",
            calendar.local_date(at) + dt.timedelta(days=60),
        ),
    )
    d.evidenced(
        judged,
        (80, "15:00"),
        "record_progress",
        "inspector",
        "判决款项全额到账。",
        {"paid": "450000"},
    )
    d.evidenced(
        judged, (75, "11:00"), "verify_remediation", "verifier", "已核对法院执行款到账凭证。"
    )
    judged.step(
        (70, "15:00"),
        "pass_evaluation",
        "supervisor",
        {"evaluation_exemption": "payment_only"},
    )


def _yingze(d: Damage) -> None:
    """迎泽's one: a 汽修厂's waste oil, started and under investigation."""
    t = d.story("yz-oil", "investigating")
    t.open(
        (20, "09:30"),
        d.damage_clue(
            "某汽修厂废机油倾倒雨水井",
            channel="complaint",
            obligor=("迎泽区某汽车维修服务部", ""),
            location="迎泽区柳巷街道某小区雨水井",
            media="地表水、土壤",
            description="群众举报汽修厂将废机油倒入雨水井。",
            by="yz_inspector",
        ),
    )
    t.step((18, "15:00"), "screen_in", "yz_inspector", batch)
    t.step(
        (10, "16:00"),
        "start",
        "yz_supervisor",
        {"prelim_result": "雨水井及下游管段油污明显，启动索赔。"},
    )


def seed_damage(
    *,
    users: Mapping[str, Any],
    complaints: Mapping[str, Complaint],
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> DamageResult:
    """Tell every damage story, all steps in one time order; returns what was made."""
    d = Damage(users=users, complaints=complaints, now=now, moment=moment, photo=photo)
    _early_stages(d)
    _middle_stages(d)
    _late_stages(d)
    _yingze(d)
    d.run()
    cases = DamageCase.objects.filter(pk__in=[t.case.pk for t in d.threads])
    return DamageResult(
        damage_cases=cases.count(),
        meetings=sum(c.meetings.count() for c in cases),
    )
