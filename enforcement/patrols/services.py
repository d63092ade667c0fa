"""巡查 and 即知即改: who may patrol and see patrols, a finding made a case at once, and the
第一时间响应率 read from the 响应 and 处置 deadline rows.

A finding opens a 即知即改事项 in the patrol's bureau, its photos the evidence of the first
event. A dispatcher who found it 交办 it in the same transaction, to the unit answering for the
place unless they chose another; an inspector's finding waits for the bureau's dispatchers, with
a 交办时限 of `ECOLOOP_RAPID_DISPATCH_HOURS` hours (the hour ladder chases it too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from enforcement.models import Campaign, Patrol, PatrolFinding, Place, RapidItem
from enforcement.periods import Period
from workflow import evidence
from workflow.forms import assignable_units
from workflow.models import Deadline, Unit
from workflow.models.deadline import DeadlineStatus
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import TransitionDenied, open_case, transition_case

#: Who patrols and logs findings: the people who may open a 即知即改事项.
PATROLLERS = (Role.INSPECTOR, Role.DISPATCHER, Role.LEADER)


def patrols_for(user: Any) -> QuerySet[Patrol]:
    """The patrols of the person's reach (their bureau and the bureaus below it)."""
    if user.is_superuser:
        return Patrol.objects.all()
    unit = unit_of(user)
    if unit is None:
        return Patrol.objects.none()
    return Patrol.objects.filter(region__path__startswith=unit.reach().path)


def may_patrol(user: Any) -> bool:
    return bool(user.is_superuser or (unit_of(user) is not None and has_role(user, *PATROLLERS)))


def may_assign(user: Any, region: Unit) -> bool:
    """A dispatcher of the patrol's bureau 交办 a finding on the spot."""
    unit = unit_of(user)
    if user.is_superuser:
        return True
    return unit is not None and has_role(user, Role.DISPATCHER) and region.is_within(unit.reach())


def unit_choices(region: Unit) -> QuerySet[Unit]:
    return assignable_units(RapidItem(jurisdiction=region)).order_by("path")


def place_choices(region: Unit) -> QuerySet[Place]:
    return Place.objects.filter(active=True, jurisdiction__path__startswith=region.path)


def campaign_choices(region: Unit) -> QuerySet[Campaign]:
    return Campaign.objects.filter(region__path__startswith=region.path).order_by("-starts_on")


def start_patrol(
    *,
    actor: Any,
    area: str,
    shift: str,
    patrollers: Iterable[Any],
    campaign: Campaign | None,
    now: dt.datetime,
) -> Patrol:
    unit = unit_of(actor)
    if unit is None or not may_patrol(actor):
        raise TransitionDenied(_("您无权填报巡查记录。"))
    with transaction.atomic():
        patrol = Patrol.objects.create(
            region=unit.region(),
            unit=unit,
            campaign=campaign,
            shift=shift,
            area=area,
            started_at=now,
            created_by=actor,
        )
        patrol.patrollers.set({actor, *patrollers})
    return patrol


def end_patrol(patrol: Patrol, *, summary: str, now: dt.datetime) -> Patrol:
    Patrol.objects.filter(pk=patrol.pk, ended_at__isnull=True).update(ended_at=now, summary=summary)
    patrol.refresh_from_db()
    return patrol


@dataclass(frozen=True)
class Finding:
    description: str
    location: str
    place: Place | None = None
    requirement: str = ""
    found_at: dt.datetime | None = None
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    #: The unit to 交办 it to at once (a dispatcher's finding); None waits for 交办.
    unit: Unit | None = None


def _hours(campaign: Campaign | None) -> dict[str, Any]:
    hours: dict[str, Any] = {}
    if campaign is not None and campaign.response_hours:
        hours["response_hours"] = campaign.response_hours
    if campaign is not None and campaign.disposal_hours:
        hours["disposal_hours"] = campaign.disposal_hours
    return hours


def record_finding(
    patrol: Patrol,
    finding: Finding,
    *,
    actor: Any,
    files: Iterable[UploadedFile | evidence.PreparedFile] = (),
    now: dt.datetime,
) -> PatrolFinding:
    """The finding and its 即知即改事项, opened (and 交办 when `finding.unit` is given) in one
    transaction: a refused 交办 leaves no case behind."""
    if patrol.ended_at is not None:
        raise TransitionDenied(_("本次巡查已结束，不能再登记发现问题。"))
    if finding.unit is not None and not may_assign(actor, patrol.region):
        raise TransitionDenied(_("只有调度员可以当场交办，请不选责任单位，由调度员交办。"))
    found_at = finding.found_at or now
    location = finding.location or (finding.place.address if finding.place else "")
    with in_record_language():
        title = _("巡查发现：%(what)s") % {"what": finding.description.splitlines()[0]}
        note = _("%(area)s巡查（%(shift)s）于%(place)s发现") % {
            "area": patrol.area,
            "shift": patrol.get_shift_display(),
            "place": location,
        }
    with transaction.atomic():
        item = open_case(
            RapidItem,
            actor=actor,
            jurisdiction=patrol.region,
            title=title[:200],
            description=finding.description,
            note=note,
            files=files,
            now=now,
            place=finding.place,
            location=location,
            requirement=finding.requirement,
            campaign=patrol.campaign,
            dispatch_by=(
                None
                if finding.unit is not None
                else now + dt.timedelta(hours=int(settings.ECOLOOP_RAPID_DISPATCH_HOURS))
            ),
            **_hours(patrol.campaign),
        )
        assert isinstance(item, RapidItem)
        if finding.unit is not None:
            transition_case(
                item, "assign", actor=actor, payload={"responsible_unit": finding.unit.pk}, now=now
            )
            item.refresh_from_db()
        return PatrolFinding.objects.create(
            patrol=patrol,
            place=finding.place,
            location=location,
            description=finding.description,
            found_at=found_at,
            longitude=finding.longitude,
            latitude=finding.latitude,
            case=item,
        )


# --- 第一时间响应率 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseFigures:
    kind: str
    #: Limits that have run out or were met: closed rows and pending ones past their instant.
    counted: int
    on_time: int
    #: The mean minutes from 交办 to the response (or disposal), over the closed rows.
    mean_minutes: int | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None


def response_figures(
    cases: QuerySet[Any], *, kind: str, period: Period, now: dt.datetime
) -> ResponseFigures:
    """响应率 (kind "respond") or 处置率 ("dispose") of the cases' hour limits that started in the
    period: met in time over those met, missed or still open past their instant."""
    rows = Deadline.objects.filter(case__in=cases, kind=kind).filter(period.within("starts_at"))
    rows = rows.filter(
        Q(status__in=(DeadlineStatus.MET, DeadlineStatus.LATE))
        | Q(status=DeadlineStatus.PENDING, due_at__lte=now)
    )
    counted = on_time = 0
    total_minutes = closed = 0
    for status, starts_at, closed_at in rows.values_list("status", "starts_at", "closed_at"):
        counted += 1
        on_time += status == DeadlineStatus.MET
        if closed_at is not None:
            closed += 1
            total_minutes += int((closed_at - starts_at).total_seconds() // 60)
    return ResponseFigures(kind, counted, on_time, total_minutes // closed if closed else None)


def period_figures(cases: QuerySet[Any], period: Period, now: dt.datetime) -> list[ResponseFigures]:
    """第一时间响应率 and 按时处置率 of the 即知即改事项 among `cases`, in the period."""
    rapid = cases.filter(kind="rapid")
    return [
        response_figures(rapid, kind=kind, period=period, now=now)
        for kind in ("respond", "dispose")
    ]
