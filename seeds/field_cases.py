"""The field stories of 小店's enterprises: inspections, penalty cases at every stage of the
ordinary procedure, and 责令改正 with their 复查 (told by seeds/field.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from enforcement.inspections.services import schedule_inspection
from enforcement.models import ClueSource, CorrectionOrder, InspectionType
from seeds.field_agenda import Field, Thread, stamp
from workflow import calendar

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


def tell_hengda(f: Field) -> None:
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


def tell_other_cases(f: Field) -> None:
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
