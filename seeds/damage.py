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

The stories are told with seeds/damage_agenda.py, by stage: seeds/damage_early_stages.py (with
迎泽's), seeds/damage_middle_stages.py and seeds/damage_late_stages.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enforcement.models import Complaint, DamageCase
from seeds.damage_agenda import Damage
from seeds.damage_early_stages import tell_early_stages, tell_yingze
from seeds.damage_late_stages import tell_late_stages
from seeds.damage_middle_stages import tell_middle_stages
from seeds.field_agenda import Moment, Photo


@dataclass(frozen=True)
class DamageResult:
    damage_cases: int
    meetings: int


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
    tell_early_stages(d)
    tell_middle_stages(d)
    tell_late_stages(d)
    tell_yingze(d)
    d.run()
    cases = DamageCase.objects.filter(pk__in=[t.case.pk for t in d.threads])
    return DamageResult(
        damage_cases=cases.count(),
        meetings=sum(c.meetings.count() for c in cases),
    )
