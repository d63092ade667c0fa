"""Steps the 反馈问题整改 tests share: open a task through the service, apply for acceptance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from enforcement.inspection_rounds import task_services
from enforcement.models import Horizon
from tests.factories import MONDAY, reload
from workflow.models import Unit
from workflow.models.case import CaseState
from workflow.transitions import transition_case


def new_task(problem: Any, office: Any, lead: Unit, co: list[Unit], **extra: Any) -> Any:
    fields = {
        "task_no": "1-1",
        "title": "清理河道沿岸建筑垃圾",
        "target": "2026年8月底前完成存量建筑垃圾清运，建立长效监管机制。",
        "measures": "排查建档；分片清运；设置围挡和视频监控。",
        "horizon": Horizon.DEADLINE,
        "leader": "李明 副区长",
        "lead_unit": lead,
        "co_units": co,
        "rectify_due": dt.date(2026, 8, 31),
        **extra,
    }
    return task_services.open_task(problem, actor=office, now=MONDAY, **fields)


def apply(task: Any, handler: Any, photo: Any, at: dt.datetime) -> None:
    task = reload(task)
    if task.state == CaseState.ASSIGNED:
        transition_case(task, "sign", actor=handler, now=at)
    transition_case(
        reload(task),
        "apply_acceptance",
        actor=handler,
        payload={"self_acceptance": "已按整改目标完成清运并设置围挡。"},
        files=[photo],
        now=at,
    )
