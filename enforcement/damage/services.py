"""Opening damage-compensation clues (one action from an enforcement case or a complaint: 一案双查)
and what the damage case's transitions record besides the case row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.models import (
    ClueChannel,
    Complaint,
    ConsultationMeeting,
    DamageCase,
    DamageParty,
    EnforcementCase,
)
from workflow import calendar, deadlines
from workflow.models import Case
from workflow.models.case import LinkKind
from workflow.models.unit import unit_of
from workflow.record_language import in_record_language
from workflow.relations import link_cases
from workflow.transitions import InvalidTransition, open_case

PRELIM = "prelim"
PRELIM_LABEL = gettext_lazy("初步核查期限")
PRELIM_BASIS = gettext_lazy(
    "《生态环境损害赔偿管理规定》：发现或者收到线索之日起30日内完成初步核查"
)


def quarter_of(moment: dt.datetime) -> str:
    """The screening batch a moment falls in: 2026Q4 (Beijing date)."""
    day = calendar.local_date(moment)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def open_damage_clue(
    *,
    actor: Any,
    title: str,
    channel: str,
    now: dt.datetime,
    jurisdiction: Any = None,
    description: str = "",
    location: str = "",
    media: str = "",
    red_line_area: bool = False,
    repeat_within_two_years: bool = False,
    major_case: bool = False,
    clue_received_at: dt.datetime | None = None,
    parties: Iterable[tuple[str, str]] = (),
    source_case: Case | None = None,
) -> DamageCase:
    """A damage clue, with its 30-day 初步核查 period from when it was found or received.

    From an enforcement case it is 一案双查: linked as such on both timelines; from a complaint
    it is linked as spawned from it.
    """
    received = clue_received_at or now
    if received > now:
        raise InvalidTransition(
            _("收到线索时间不能晚于现在。"), {"clue_received_at": [_("请填写实际时间。")]}
        )
    unit = unit_of(actor)
    if unit is None:
        raise InvalidTransition(_("您没有所属单位，不能登记线索。"))
    jurisdiction = jurisdiction or (source_case.jurisdiction if source_case else unit.region())
    prelim_due = calendar.add_days(
        calendar.local_date(received), int(settings.ECOLOOP_DAMAGE_PRELIM_DAYS)
    ).date
    with transaction.atomic():
        case = open_case(
            DamageCase,
            actor=actor,
            jurisdiction=jurisdiction,
            title=title,
            description=description,
            now=now,
            responsible_unit=unit,
            assignee=actor,
            channel=channel,
            clue_received_at=received,
            location=location,
            media=media,
            red_line_area=red_line_area,
            repeat_within_two_years=repeat_within_two_years,
            major_case=major_case,
            prelim_due=prelim_due,
        )
        assert isinstance(case, DamageCase)
        DamageParty.objects.bulk_create(
            DamageParty(case=case, name=name, uscc=uscc) for name, uscc in parties if name
        )
        with in_record_language():
            label, basis = str(PRELIM_LABEL), str(PRELIM_BASIS)
        deadlines.plan_standing_deadline(
            case,
            kind=PRELIM,
            label=label,
            basis=basis,
            due_date=prelim_due,
            now=now,
            starts_at=received,
            is_main=True,
            length=int(settings.ECOLOOP_DAMAGE_PRELIM_DAYS),
        )
        deadlines.refresh_case_due(case)
        case.save(update_fields=["due_at", "warn_at", "due_provisional", "escalation_level"])
        if source_case is not None:
            kind = (
                LinkKind.DOUBLE_INVESTIGATION
                if isinstance(source_case.specific, EnforcementCase)
                else LinkKind.SPAWNED_FROM
            )
            link_cases(case, source_case, kind=kind, actor=actor, now=now)
    return case


def clue_from_enforcement(
    enforcement: EnforcementCase, *, actor: Any, now: dt.datetime, **extra: Any
) -> DamageCase:
    """一案双查: the penalty case's party and facts become the damage clue's."""
    with in_record_language():
        title = _("%(title)s（生态环境损害赔偿线索）") % {"title": enforcement.title}
    fields: dict[str, Any] = {
        "title": title,
        "channel": ClueChannel.PENALTY,
        "description": enforcement.violation_facts or enforcement.description,
        "parties": [(enforcement.party_name, enforcement.party_uscc)],
        "location": enforcement.party_address,
    }
    fields.update(extra)
    return open_damage_clue(actor=actor, now=now, source_case=enforcement, **fields)


def clue_from_complaint(
    complaint: Complaint, *, actor: Any, now: dt.datetime, **extra: Any
) -> DamageCase:
    with in_record_language():
        title = _("%(title)s（生态环境损害赔偿线索）") % {"title": complaint.title}
    fields: dict[str, Any] = {
        "title": title,
        "channel": ClueChannel.COMPLAINT,
        "description": complaint.description,
        "parties": [(complaint.target_name, complaint.target_uscc)],
        "location": complaint.location,
    }
    fields.update(extra)
    return open_damage_clue(actor=actor, now=now, source_case=complaint, **fields)


def after_transition(case: Case, name: str, from_state: str, actor: Any, now: dt.datetime) -> None:
    assert isinstance(case, DamageCase)
    if name in ("screen_out", "start", "not_start"):
        deadlines.close_standing_deadline(case, kind=PRELIM, now=now)
    elif name == "record_meeting":
        meeting = case.__dict__.pop("meeting")
        ConsultationMeeting.objects.create(
            case=case,
            round=2 if case.reconsulted else 1,
            number=case.meetings_held,
            **meeting,
        )
