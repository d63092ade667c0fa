"""Who may see and run a campaign, a 调度令 issued in one transaction, and the campaign's
progress per unit as its page and ledger show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enforcement.inspections.services import schedule_inspection
from enforcement.models import (
    Campaign,
    CampaignOrder,
    Enterprise,
    Inspection,
    InspectionState,
    InspectionType,
    Place,
    SupervisionItem,
)
from enforcement.models.supervision import SupervisionSource
from enforcement.numbering import next_number
from workflow import calendar
from workflow.forms import assignable_units
from workflow.models import Unit
from workflow.models.case import CaseState
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.querysets import ancestor_codes
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import InvalidTransition, TransitionDenied, open_case, transition_case

#: Who creates campaigns; their 调度令 are issued by a dispatcher (交办 is a dispatcher's step).
CREATORS = (Role.DISPATCHER, Role.LEADER)


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """The campaigns of the person's bureau or above, and those their unit takes part in."""
    if user.is_superuser:
        return Campaign.objects.all()
    unit = unit_of(user)
    if unit is None:
        return Campaign.objects.none()
    codes = ancestor_codes(unit)
    return Campaign.objects.filter(
        Q(region__code__in=codes)
        | Q(region__path__startswith=unit.reach().path)
        | Q(units__code__in=codes)
        | Q(lead_unit__code__in=codes)
    ).distinct()


def may_create(user: Any) -> bool:
    unit = unit_of(user)
    return bool(user.is_superuser or (unit is not None and has_role(user, *CREATORS)))


def may_manage(user: Any, campaign: Campaign) -> bool:
    """The organising bureau's dispatchers (not a district's), and the lead unit's."""
    if user.is_superuser:
        return True
    unit = unit_of(user)
    if unit is None or not has_role(user, Role.DISPATCHER):
        return False
    return unit.region() == campaign.region or unit.is_within(campaign.lead_unit)


def unit_choices(region: Unit) -> QuerySet[Unit]:
    """The units a campaign of this bureau may dispatch to: those its cases may be assigned to."""
    return assignable_units(SupervisionItem(jurisdiction=region)).order_by("path")


def target_choices(region: Unit) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(jurisdiction__path__startswith=region.path)


def place_choices(region: Unit) -> QuerySet[Place]:
    return Place.objects.filter(active=True, jurisdiction__path__startswith=region.path)


def issue_order(
    campaign: Campaign,
    *,
    actor: Any,
    title: str,
    requirement: str,
    units: Iterable[Unit],
    targets: Iterable[Enterprise | Place] = (),
    rectify_due: dt.date | None,
    inspect_by: dt.date | None = None,
    now: dt.datetime,
) -> CampaignOrder:
    """调度令: numbered, then one 督办事项 assigned to each unit (with `rectify_due`) and one
    专项检查 of each target (by `inspect_by`, answering the campaign's checklist) — all in one
    transaction: a case refused refuses the whole order, and no number is used up."""
    units, targets = list(units), list(targets)
    if not may_manage(actor, campaign):
        raise TransitionDenied(_("只有组织单位或牵头单位的调度员可以签发调度令。"))
    if not units and not targets:
        raise InvalidTransition(_("调度令至少要交办一个单位或检查一个对象。"))
    if units and rectify_due is None:
        raise InvalidTransition(_("请填写各单位的完成时限。"))
    if targets and inspect_by is None:
        raise InvalidTransition(_("请填写检查期限。"))
    region = campaign.region
    year = calendar.local_date(now).year
    with transaction.atomic():
        with in_record_language():
            series = pgettext("document number", "环调令")
        sequence, number = next_number(CampaignOrder, region, year, series)
        order = CampaignOrder.objects.create(
            campaign=campaign,
            region=region,
            year=year,
            sequence=sequence,
            number=number,
            title=title,
            requirement=requirement,
            rectify_due=rectify_due if units else None,
            inspect_by=inspect_by if targets else None,
            units=[{"id": u.pk, "name": u.name} for u in units],
            target_count=len(targets),
            issued_by=actor,
            issued_at=now,
        )
        for unit in units:
            _task(order, unit, actor=actor, now=now)
        for target in targets:
            schedule_inspection(
                actor=actor,
                enterprise=target if isinstance(target, Enterprise) else None,
                place=target if isinstance(target, Place) else None,
                inspection_type=InspectionType.SPECIAL,
                inspect_by=inspect_by,
                order=order,
                responsible_unit=target.jurisdiction.region(),
                title=_check_title(order, target),
                now=now,
            )
    return order


def _task(order: CampaignOrder, unit: Unit, *, actor: Any, now: dt.datetime) -> SupervisionItem:
    with in_record_language():
        title = _("%(campaign)s：%(title)s（%(unit)s）") % {
            "campaign": order.campaign.name,
            "title": order.title,
            "unit": unit.name,
        }
        note = _("调度令%(number)s") % {"number": order.number}
    item = open_case(
        SupervisionItem,
        actor=actor,
        jurisdiction=order.region,
        title=title[:200],
        description=order.requirement,
        note=note,
        now=now,
        source=SupervisionSource.CAMPAIGN,
        requirement=order.requirement,
        order=order,
    )
    transition_case(
        item,
        "assign",
        actor=actor,
        payload={"responsible_unit": unit.pk, "rectify_due": order.rectify_due},
        note=note,
        now=now,
    )
    assert isinstance(item, SupervisionItem)
    return item


def _check_title(order: CampaignOrder, target: Enterprise | Place) -> str:
    with in_record_language():
        title = _("%(campaign)s：%(name)s") % {
            "campaign": order.campaign.name,
            "name": target.name,
        }
    return title[:200]


# --- progress -----------------------------------------------------------------------------------


def _stages() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """The columns of a unit's row, in order: (key, label, the states it counts)."""
    return (
        ("assigned", _("待签收"), frozenset({CaseState.ASSIGNED, CaseState.OBJECTED})),
        ("rectifying", _("整改中"), frozenset({CaseState.RECTIFYING})),
        (
            "checking",
            _("待核查销号"),
            frozenset({CaseState.REPORTED, CaseState.VERIFYING, CaseState.PENDING_CLOSURE}),
        ),
        ("closed", _("已销号"), frozenset({CaseState.CLOSED})),
    )


@dataclass
class Row:
    """One unit's (or one bureau's checks') counts."""

    unit: Unit
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def signed(self) -> int:
        return self.total - self.counts.get("assigned", 0)

    @property
    def closed(self) -> int:
        return self.counts.get("closed", 0)

    @property
    def waiting(self) -> int:
        return self.counts.get("assigned", 0)

    def cells(self) -> list[tuple[str, str, int]]:
        """(stage, label, count) in the columns' order."""
        return [(key, label, self.counts.get(key, 0)) for key, label, _states in _stages()]

    @property
    def percent(self) -> int:
        return round(100 * self.closed / self.total) if self.total else 0


@dataclass(frozen=True)
class Countdown:
    """清零: the days left to the campaign's 清零 date, or how far past it with items open."""

    clear_by: dt.date
    open_items: int
    days_left: int

    @property
    def cleared(self) -> bool:
        return self.open_items == 0

    @property
    def late(self) -> bool:
        return not self.cleared and self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def tasks_of(campaign: Campaign) -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.filter(order__campaign=campaign, parent__isnull=True)


def checks_of(campaign: Campaign) -> QuerySet[Inspection]:
    return Inspection.objects.filter(order__campaign=campaign)


def stage_of(state: str) -> str:
    for key, _label, states in _stages():
        if state in states:
            return key
    return "other"


def task_rows(campaign: Campaign, visible: QuerySet[Any], now: dt.datetime) -> list[Row]:
    """Per responsible unit: 交办, each stage, and 逾期 (open past its deadline)."""
    rows: dict[int, Row] = {}
    tasks = (
        tasks_of(campaign)
        .filter(pk__in=visible.values("pk"))
        .select_related("responsible_unit")
        .only("state", "due_at", "closed_at", "responsible_unit")
        .order_by("responsible_unit__path")
    )
    for task in tasks:
        unit = task.responsible_unit
        if unit is None:
            continue
        row = rows.setdefault(unit.pk, Row(unit=unit))
        row.total += 1
        stage = stage_of(task.state)
        row.counts[stage] = row.counts.get(stage, 0) + 1
        if task.closed_at is None and task.due_at is not None and task.due_at < now:
            row.overdue += 1
    return _lagging_first(rows.values())


def check_rows(campaign: Campaign, visible: QuerySet[Any], now: dt.datetime) -> list[Row]:
    """Per bureau: the checks dispatched, done (已检查), waiting and overdue."""
    rows: dict[int, Row] = {}
    checks = (
        checks_of(campaign)
        .filter(pk__in=visible.values("pk"))
        .select_related("jurisdiction")
        .only("state", "due_at", "closed_at", "jurisdiction")
        .order_by("jurisdiction__path")
    )
    for check in checks:
        row = rows.setdefault(check.jurisdiction_id, Row(unit=check.jurisdiction))
        row.total += 1
        done = check.state != InspectionState.SCHEDULED
        key = "closed" if done else "assigned"
        row.counts[key] = row.counts.get(key, 0) + 1
        if not done and check.due_at is not None and check.due_at < now:
            row.overdue += 1
    return _lagging_first(rows.values())


def _lagging_first(rows: Iterable[Row]) -> list[Row]:
    """The 调度 order: most overdue first, then the least done, then the unit tree's order."""
    return sorted(rows, key=lambda r: (-r.overdue, r.percent, r.unit.path))


def countdown(campaign: Campaign, now: dt.datetime) -> Countdown:
    open_items = (
        tasks_of(campaign).filter(closed_at__isnull=True).count()
        + checks_of(campaign).filter(state=InspectionState.SCHEDULED).count()
    )
    days = (campaign.clear_by - calendar.local_date(now)).days
    return Countdown(clear_by=campaign.clear_by, open_items=open_items, days_left=days)


def stage_labels() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _states in _stages()]


#: What a drill-down lists: a campaign's tasks (per responsible unit) or checks (per bureau).
TASKS, CHECKS = "tasks", "checks"
OVERDUE = "overdue"


def drill_down(
    campaign: Campaign,
    visible: QuerySet[Any],
    *,
    of: str,
    unit_id: int | None,
    stage: str,
    now: dt.datetime,
) -> QuerySet[Any]:
    """The cases behind one number of the campaign page: its tasks (`of=TASKS`) or checks of a
    unit (or all), at a stage (or `OVERDUE`, or every one for "")."""
    if of == CHECKS:
        checks = checks_of(campaign).filter(pk__in=visible.values("pk"))
        if unit_id is not None:
            checks = checks.filter(jurisdiction_id=unit_id)
        waiting = Q(state=InspectionState.SCHEDULED)
        if stage == OVERDUE:
            checks = checks.filter(waiting, due_at__lt=now)
        elif stage == "assigned":
            checks = checks.filter(waiting)
        elif stage == "closed":
            checks = checks.exclude(waiting)
        return checks.select_related("jurisdiction", "enterprise", "place").order_by("due_at", "pk")
    tasks = tasks_of(campaign).filter(pk__in=visible.values("pk"))
    if unit_id is not None:
        tasks = tasks.filter(responsible_unit_id=unit_id)
    states = {key: s for key, _label, s in _stages()}
    if stage == OVERDUE:
        tasks = tasks.filter(closed_at__isnull=True, due_at__lt=now)
    elif stage in states:
        tasks = tasks.filter(state__in=states[stage])
    return tasks.select_related("responsible_unit", "jurisdiction").order_by("due_at", "pk")
