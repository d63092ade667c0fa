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

The stories are told on one agenda (seeds/field_agenda.py): the enterprises' inspections, cases
and orders are seeds/field_cases.py, the plans seeds/random_plans.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enforcement.models import Complaint
from seeds.field_agenda import Field, Moment, Photo
from seeds.field_cases import tell_hengda, tell_other_cases
from seeds.random_plans import tell_random_plans
from workflow.models import Case


@dataclass(frozen=True)
class FieldResult:
    inspections: int
    enforcement_cases: int
    correction_orders: int
    random_plans: int


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
    tell_hengda(field)
    tell_other_cases(field)
    tell_random_plans(field)
    field.run()
    kinds = [Case.objects.get(pk=thread.case.pk).kind for thread in field.threads]
    return FieldResult(
        inspections=kinds.count("inspection"),
        enforcement_cases=kinds.count("enforcement"),
        correction_orders=kinds.count("correction"),
        random_plans=len(field.plans),
    )
