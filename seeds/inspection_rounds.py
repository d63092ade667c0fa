"""The demo's 督察: a 第三轮中央生态环境保护督察 stationed in Taiyuan, two 边督边改 batches imported
from the team's 转办清单 (a CSV, through the importer a clerk uses), their items in every state of
the loop — one 阶段性办结, one 不属实, one repeat across the batches — and the 一览表 signed so far.

Log in as `ducha` (市督察整改办: 交办 and 审核) or `ducha_head` (its head: 审签 and 签发); the
public list is at /ducha/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.inspection_rounds import importer, services
from enforcement.inspection_rounds.forms import ReplyUnit, reply_due
from enforcement.models import ForwardedBatch, ForwardedComplaint, InspectionRound, RoundLevel
from seeds.stories import When
from workflow import calendar
from workflow.models import Unit
from workflow.transitions import transition_case

Moment = Callable[[dt.datetime, When], dt.datetime]

HEADER = "序号,受理编号,交办问题基本情况,行政区域,污染类型,反映对象"
#: Working days before the demo's today: the team was stationed for about a month (20 working
#: days), gave its feedback later; the rectification of the feedback is under way.
STATIONED = 70
FED_BACK = 32

#: (受理编号, 交办问题基本情况, 行政区域, 污染类型, 反映对象)
FIRST_BATCH = (
    (
        "D3SX202611100001",
        "反映小店区北格镇某汽修厂露天喷漆，废气刺鼻，夜间也在作业。",
        "太原市小店区",
        "大气",
        "太原市某汽车维修有限公司",
    ),
    (
        "D3SX202611100002",
        "反映北格镇张家河道边有人长期倾倒建筑垃圾，堆成小山，雨天污水流入河道。",
        "太原市小店区",
        "固废、水",
        "",
    ),
    (
        "D3SX202611100003",
        "反映北格镇村民王小明家院内养猪，粪污直排，臭味严重，联系电话13800001111。",
        "太原市小店区",
        "水、大气",
        "王小明",
    ),
    (
        "D3SX202611100004",
        "反映柳巷街道某饭店油烟直排，未安装油烟净化设施。",
        "太原市迎泽区",
        "大气",
        "某饭店",
    ),
    (
        "D3SX202611100005",
        "反映小店区某混凝土搅拌站粉尘大，车辆带泥上路。",
        "太原市小店区",
        "大气",
        "太原市某混凝土有限公司",
    ),
)
SECOND_BATCH = (
    (
        "D3SX202611170001",
        "再次反映北格镇某汽修厂喷漆异味，整改后又有反弹。",
        "太原市小店区",
        "大气",
        "太原市某汽车维修有限公司",
    ),
    (
        "D3SX202611170002",
        "反映柳巷街道某KTV夜间噪声扰民。",
        "太原市迎泽区",
        "噪声",
        "某KTV",
    ),
    (
        "D3SX202611170003",
        "反映小店区某小区地下车库洗车废水直排雨水管网。",
        "太原市小店区",
        "水",
        "",
    ),
    (
        "D3SX202611170004",
        "反映北格镇某塑料加工点无任何手续，焚烧废料。",
        "太原市小店区",
        "大气、固废",
        "",
    ),
)


@dataclass(frozen=True)
class Feedback:
    truth: str
    findings: str
    actions: str
    status: str = "done"
    penalty_cases: int = 0
    penalty_amount: str = "0"
    interviewed: int = 0
    phase_due: str = ""


FEEDBACK = {
    "D3SX202611100001": Feedback(
        "true",
        "经现场核查，该公司在厂区外露天喷漆，未配套废气收集处理设施，反映问题属实。",
        "已责令立即停止露天喷漆作业，对其违法行为立案处罚；企业已建设密闭喷漆房并安装活性炭"
        "吸附装置。",
        penalty_cases=1,
        penalty_amount="3.00",
    ),
    "D3SX202611100002": Feedback(
        "partly",
        "经核查，张家河道东侧确有建筑垃圾约300立方米，未发现污水直接流入河道，反映问题部分属实。",
        "已清运建筑垃圾120立方米，剩余部分因需协调运输车辆，计划月底前清运完毕，并设置围挡和"
        "警示牌。",
        status="phased",
        interviewed=1,
    ),
    "D3SX202611100003": Feedback(
        "false",
        "经现场核查，王小明家院内未养殖生猪，仅存放农具，周边未发现粪污排放痕迹，反映问题不属实。",
        "已向周边群众做好解释工作。",
    ),
    "D3SX202611100005": Feedback(
        "true",
        "经现场核查，搅拌站料场未完全覆盖，出场车辆冲洗设施未正常使用，反映问题属实。",
        "已责令完成料场全封闭改造、恢复车辆冲洗设施运行。",
        penalty_cases=1,
        penalty_amount="2.00",
    ),
    "D3SX202611170003": Feedback(
        "true",
        "经核查，该小区地下车库存在洗车行为，洗车废水经雨水井排放，反映问题属实。",
        "已责令停止洗车经营，封堵私接管道。",
    ),
}


def seed_inspection_round(
    *, units: dict[str, Unit], users: dict[str, AbstractUser], now: dt.datetime, moment: Moment
) -> InspectionRound:
    """The round, its batches and items as of `now`."""
    office, head = users["ducha"], users["ducha_head"]
    stationed = moment(now, (STATIONED, "09:00"))
    round = InspectionRound.objects.create(
        level=RoundLevel.CENTRAL,
        name="第三轮第二批中央生态环境保护督察",
        region=units["TY"],
        lead_office=units["TY-DCB"],
        stationed_from=calendar.local_date(stationed),
        stationed_until=calendar.local_date(moment(now, (STATIONED - 20, "17:00"))),
        feedback_on=calendar.local_date(moment(now, (FED_BACK, "09:00"))),
        plan_published_on=calendar.local_date(moment(now, (FED_BACK - 25, "09:00"))),
        created_at=stationed,
    )
    round.staff.add(office.pk, head.pk)
    round.inspected_units.add(units["TY"])

    first = _batch(round, 1, moment(now, (66, "10:00")), 5, ReplyUnit.DAYS, office)
    _import(first, FIRST_BATCH, office)
    second = _batch(round, 2, moment(now, (56, "10:00")), 7, ReplyUnit.DAYS, office)
    _import(second, SECOND_BATCH, office)

    handlers = {"XD": users["handler"], "YZ": users["yz_handler"]}
    towns = {"XD": units["XD-BG"], "YZ": units["YZ-LX"]}
    # Batch 1: dispatched on arrival, all handled but one still under 审签; the day's list signed.
    day1 = moment(now, (66, "11:00"))
    _dispatch(first, towns, office, day1, skip=())
    done_at = moment(now, (63, "15:00"))
    for code in ("D3SX202611100001", "D3SX202611100002", "D3SX202611100003"):
        _handle(first, code, handlers, office, head, FEEDBACK[code], done_at)
    services.publish(
        first,
        actor=head,
        now=moment(now, (63, "17:30")),
        expected=services.digest_of(services.draft(first)),
    )
    # 0005 was reported late and waits for its 审签 (in the next list's draft); 0004 is still
    # being handled, long overdue.
    _handle(
        first,
        "D3SX202611100005",
        handlers,
        office,
        head,
        FEEDBACK["D3SX202611100005"],
        moment(now, (3, "16:00")),
        sign=False,
    )
    _sign(first, "D3SX202611100004", handlers, moment(now, (65, "09:00")))

    # Batch 2: the repeat and 0002 dispatched and overdue; 0003 reported late, under 审核; 0004
    # not dispatched (its area is being confirmed with the team).
    day2 = moment(now, (56, "11:00"))
    _dispatch(second, towns, office, day2, skip=("D3SX202611170004",))
    _sign(second, "D3SX202611170001", handlers, moment(now, (56, "14:00")))
    item = _sign(second, "D3SX202611170003", handlers, moment(now, (56, "14:30")))
    transition_case(
        item,
        "report",
        actor=handlers["XD"],
        payload=_payload(FEEDBACK["D3SX202611170003"]),
        now=moment(now, (2, "10:00")),
    )
    return round


def _batch(
    round: InspectionRound,
    number: int,
    received: dt.datetime,
    within: int,
    unit: ReplyUnit,
    clerk: Any,
) -> ForwardedBatch:
    return ForwardedBatch.objects.create(
        round=round,
        number=number,
        received_at=received,
        reply_due_at=reply_due(received, within, unit),
        created_by=clerk,
        created_at=received,
    )


def _import(batch: ForwardedBatch, rows: tuple[tuple[str, ...], ...], clerk: Any) -> None:
    lines = [HEADER, *(",".join((str(n), *row)) for n, row in enumerate(rows, start=1))]
    report = importer.import_batch(
        batch, "\n".join(lines).encode(), name="转办清单.csv", actor=clerk, now=batch.received_at
    )
    if report.rejected:
        raise ValueError(f"demo batch {batch.number}: {report.rejected}")


def _dispatch(
    batch: ForwardedBatch,
    towns: dict[str, Unit],
    clerk: Any,
    at: dt.datetime,
    *,
    skip: tuple[str, ...],
) -> None:
    chosen = {
        item.pk: towns[item.jurisdiction.code]
        for item in batch.items.select_related("jurisdiction")
        if item.acceptance_no not in skip
    }
    _done, failed = services.dispatch(batch, chosen, actor=clerk, now=at)
    if failed:
        raise ValueError(f"demo batch {batch.number}: {failed}")


def _item(batch: ForwardedBatch, code: str) -> ForwardedComplaint:
    return ForwardedComplaint.objects.select_related("jurisdiction").get(
        batch=batch, acceptance_no=code
    )


def _sign(
    batch: ForwardedBatch, code: str, handlers: dict[str, Any], at: dt.datetime
) -> ForwardedComplaint:
    item = _item(batch, code)
    transition_case(item, "sign", actor=handlers[item.jurisdiction.code], now=at)
    return _item(batch, code)


def _payload(feedback: Feedback) -> dict[str, Any]:
    return {
        "truth": feedback.truth,
        "findings": feedback.findings,
        "actions": feedback.actions,
        "handling_status": feedback.status,
        "phase_due": feedback.phase_due,
        "penalty_cases": feedback.penalty_cases,
        "penalty_amount": feedback.penalty_amount,
        "criminal_cases": 0,
        "interviewed": feedback.interviewed,
        "held_accountable": 0,
    }


def _handle(
    batch: ForwardedBatch,
    code: str,
    handlers: dict[str, Any],
    clerk: Any,
    head: Any,
    feedback: Feedback,
    at: dt.datetime,
    *,
    sign: bool = True,
) -> None:
    """签收, 反馈, 审核 and (unless `sign` is False) 审签 within one afternoon."""
    item = _sign(batch, code, handlers, at - dt.timedelta(hours=4))
    if feedback.status == "phased" and not feedback.phase_due:
        phase_due = calendar.local_date(at) + dt.timedelta(days=30)
        feedback = Feedback(**{**feedback.__dict__, "phase_due": f"{phase_due:%Y-%m-%d}"})
    steps: list[tuple[Any, str, str, dict[str, Any]]] = [
        (handlers[item.jurisdiction.code], "report", "", _payload(feedback)),
        (clerk, "start_verification", "", {}),
        (clerk, "pass_verification", "反馈材料齐全，调查处理情况属实。", {}),
    ]
    if sign:
        name = "approve_phase" if feedback.status == "phased" else "approve_closure"
        steps.append((head, name, "", {}))
    for minutes, (actor, name, note, payload) in enumerate(steps):
        transition_case(
            _item(batch, code),
            name,
            actor=actor,
            note=note,
            payload=payload,
            now=at - dt.timedelta(hours=3) + dt.timedelta(minutes=30 * minutes),
        )


def seed_upcoming_round(
    *, units: dict[str, Unit], users: dict[str, AbstractUser], now: dt.datetime
) -> InspectionRound:
    """A provincial round announced for next month: its 迎检台账 lists what the central round
    left open in Taiyuan."""
    start = calendar.local_date(now) + dt.timedelta(days=20)
    round = InspectionRound.objects.create(
        level=RoundLevel.PROVINCIAL,
        name="山西省第二轮第三批生态环境保护督察",
        region=units["TY"],
        lead_office=units["TY-DCB"],
        stationed_from=start,
        created_at=now,
    )
    round.staff.add(users["ducha"].pk, users["ducha_head"].pk)
    return round
