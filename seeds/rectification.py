"""The demo round's 反馈问题整改: three feedback problems and nine tasks over lead and co-units, in
the states the 四清单 goes through — one in 公示 with a public objection, one on notice now, one
reopened by 回头看 after its 销号, one under the province's review, two 长期坚持 reporting — all
through `open_task` and `transition_case`, at moments before `now`; and last month's 调度
report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.assessment.ranking import last_month
from enforcement.inspection_rounds import dispatch, task_services
from enforcement.models import (
    AcceptanceTier,
    Horizon,
    InspectionRound,
    ProblemOrigin,
    RectificationProblem,
    RectificationTask,
    ReportSchedule,
)
from seeds.stories import When
from workflow import calendar
from workflow.models import Unit
from workflow.transitions import transition_case

Moment = Callable[[dt.datetime, When], dt.datetime]
Photo = Callable[[str], Any]

PROBLEMS = (
    (
        1,
        "城乡结合部建筑垃圾乱堆乱倒问题突出，小店区北格镇部分河道沿岸堆存建筑垃圾未清理。",
        ProblemOrigin.CENTRAL,
        AcceptanceTier.CITY,
    ),
    (
        2,
        "汾河太原段部分支流水质不能稳定达标，沿河排污口排查整治不到位。",
        ProblemOrigin.CENTRAL,
        AcceptanceTier.CITY,
    ),
    (
        3,
        "“散乱污”企业整治不彻底，部分已取缔企业死灰复燃。",
        ProblemOrigin.PROVINCIAL,
        AcceptanceTier.PROVINCE,
    ),
)


@dataclass(frozen=True)
class Task:
    problem: int
    no: str
    title: str
    target: str
    measures: str
    horizon: Horizon
    lead: str
    co: tuple[str, ...] = ()
    schedule: str = ""
    #: (transition, actor, working days ago, payload, note)
    steps: tuple[tuple[str, str, int, dict[str, Any], str], ...] = field(default=())


APPLY = {"self_acceptance": "已对照整改目标逐项完成，现场清理到位，台账资料齐全。"}
ACCEPT = {"acceptance_opinion": "经市级验收组现场核查，整改目标已完成，同意验收。"}

TASKS = (
    Task(
        1,
        "1-1",
        "清运北格镇河道沿岸存量建筑垃圾",
        "清运河道沿岸存量建筑垃圾约1.2万立方米，恢复河岸原貌。",
        "分段清运；设置围挡和警示牌；安装视频监控。",
        Horizon.IMMEDIATE,
        "XD-BG",
        steps=(
            ("sign", "handler", 28, {}, ""),
            ("apply_acceptance", "handler", 8, APPLY, ""),
            ("accept", "ducha", 7, ACCEPT, ""),
        ),
    ),
    Task(
        1,
        "1-2",
        "建立建筑垃圾全过程监管机制",
        "建成建筑垃圾产生、运输、消纳全过程监管平台。",
        "出台管理办法；运输车辆安装定位；消纳场所备案。",
        Horizon.DEADLINE,
        "XD-BG",
        co=("XD-ZJJ",),
        steps=(("sign", "handler", 27, {}, ""),),
    ),
    Task(
        1,
        "1-3",
        "河道沿岸常态化巡查",
        "建立河道沿岸日常巡查制度，发现倾倒即查即清。",
        "镇村两级每周巡查；建立问题台账；每月报告。",
        Horizon.LONG_TERM,
        "XD-BG",
        schedule=ReportSchedule.MONTHLY,
        steps=(
            ("sign", "handler", 27, {}, ""),
            ("report_progress", "handler", 3, {}, "本月巡查河道沿岸16次，发现并清理新倾倒点2处。"),
        ),
    ),
    Task(
        2,
        "2-1",
        "柳巷街道沿河排污口整治",
        "完成辖区沿河排污口排查、溯源和分类整治。",
        "逐一排查登记；封堵非法排污口；规范设置标识牌。",
        Horizon.DEADLINE,
        "YZ-LX",
        steps=(
            ("sign", "yz_handler", 28, {}, ""),
            ("apply_acceptance", "yz_handler", 22, APPLY, ""),
            ("accept", "ducha", 21, ACCEPT, ""),
            ("sign_off", "leader", 12, {"filing_ref": "并督改〔2026〕5号"}, ""),
            (
                "reopen_after_check",
                "ducha",
                2,
                {"rectify_period": 15},
                "回头看发现已封堵的排污口被重新打开，存在反弹。",
            ),
        ),
    ),
    Task(
        2,
        "2-2",
        "北格镇支流断面水质提升",
        "支流出境断面水质稳定达到地表水Ⅳ类。",
        "截污纳管；清淤疏浚；生态补水。",
        Horizon.DEADLINE,
        "XD-BG",
        co=("YZ-LX",),
        steps=(
            ("sign", "handler", 27, {}, ""),
            ("apply_acceptance", "handler", 4, APPLY, ""),
        ),
    ),
    Task(
        2,
        "2-3",
        "柳巷街道雨污混接点改造",
        "完成辖区23处雨污混接点改造。",
        "逐点设计；分批施工；完工后闭水试验。",
        Horizon.IMMEDIATE,
        "YZ-LX",
        steps=(
            ("sign", "yz_handler", 27, {}, ""),
            ("apply_acceptance", "yz_handler", 4, APPLY, ""),
            ("accept", "ducha", 3, ACCEPT, ""),
        ),
    ),
    Task(
        3,
        "3-1",
        "北格镇“散乱污”企业动态清零",
        "已取缔“散乱污”企业不反弹，新发现的一律依法处置。",
        "断水断电；清除原料设备；网格员每周巡查。",
        Horizon.DEADLINE,
        "XD-BG",
        steps=(
            ("sign", "handler", 28, {}, ""),
            ("apply_acceptance", "handler", 24, APPLY, ""),
            ("accept", "ducha", 23, ACCEPT, ""),
            ("sign_for_review", "leader", 14, {}, ""),
        ),
    ),
    Task(
        3,
        "3-2",
        "柳巷街道“散乱污”长效监管",
        "建立网格化长效监管机制。",
        "网格员每周巡查；季度报告；群众举报奖励。",
        Horizon.LONG_TERM,
        "YZ-LX",
        schedule=ReportSchedule.QUARTERLY,
        steps=(("sign", "yz_handler", 26, {}, ""),),
    ),
    Task(
        3,
        "3-3",
        "小店区住建领域“散乱污”排查",
        "完成建筑工地周边“散乱污”企业排查。",
        "住建、生态环境联合排查；建立清单；移交属地处置。",
        Horizon.DEADLINE,
        "XD-ZJJ",
    ),
)

Step = tuple[str, str, int, dict[str, Any], str]
#: The part of 2-2 its co-unit has done and had accepted, before the lead unit applied.
PART_STEPS: tuple[Step, ...] = (
    ("sign", "yz_handler", 26, {}, ""),
    ("apply_acceptance", "yz_handler", 6, APPLY, ""),
    ("accept_part", "ducha", 5, {"acceptance_opinion": "配合任务完成，牵头单位验收同意。"}, ""),
)
OBJECTION = "河道东侧桥下仍堆有建筑垃圾约50立方米，并未清运完毕，围挡也没有设置。"
OPENED = 30


def seed_rectification(
    round: InspectionRound,
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> int:
    """The round's problems and tasks; returns the number of tasks (co-units' parts included)."""
    opened = moment(now, (OPENED, "10:00"))
    problems = {
        number: RectificationProblem.objects.create(
            round=round, number=number, text=text, origin=origin, tier=tier, created_at=opened
        )
        for number, text, origin, tier in PROBLEMS
    }
    due = calendar.local_date(now) + dt.timedelta(days=120)
    for number, spec in enumerate(TASKS):
        task = task_services.open_task(
            problems[spec.problem],
            actor=users["ducha"],
            task_no=spec.no,
            title=spec.title,
            target=spec.target,
            measures=spec.measures,
            horizon=spec.horizon,
            leader="李明 副区长" if spec.lead.startswith("XD") else "王伟 副区长",
            lead_unit=units[spec.lead],
            co_units=[units[code] for code in spec.co],
            rectify_due=None if spec.horizon == Horizon.LONG_TERM else due,
            report_schedule=spec.schedule,
            milestones=""
            if spec.horizon == Horizon.LONG_TERM
            else f"{due - dt.timedelta(days=60):%Y-%m-%d} 完成排查建档\n{due:%Y-%m-%d} 完成整改",
            now=opened + dt.timedelta(minutes=number),
        )
        if spec.no == "2-2":
            part = RectificationTask.objects.get(parent=task)
            _walk(part, PART_STEPS, users, now, moment, photo)
        _walk(task, spec.steps, users, now, moment, photo)
        if spec.no == "1-1":
            task_services.file_objection(
                RectificationTask.objects.get(pk=task.pk),
                grounds=OBJECTION,
                now=moment(now, (5, "20:15")),
            )
    # Last month's 调度, as the beat took it on this month's first working day (or, early in a
    # month, a few days ago).
    first = calendar.next_workday_on_or_after(calendar.local_date(now).replace(day=1))
    taken = dt.datetime.combine(first, dt.time(7, 0), tzinfo=calendar.SHANGHAI)
    if taken >= now:
        taken = moment(now, (3, "07:00"))
    dispatch.take(round, last_month(now), now=taken)
    return int(RectificationTask.objects.filter(problem__round=round).count())


def _walk(
    task: Any,
    steps: tuple[tuple[str, str, int, dict[str, Any], str], ...],
    users: dict[str, AbstractUser],
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> None:
    for name, actor, days_ago, payload, note in steps:
        files = [photo(f"{task.pk}-{name}")] if name == "apply_acceptance" else []
        transition_case(
            RectificationTask.objects.get(pk=task.pk),
            name,
            actor=users[actor],
            payload=payload or None,
            note=note,
            files=files,
            now=moment(now, (days_ago, "15:00")),
        )
