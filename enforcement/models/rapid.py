"""即知即改事项: a problem found on patrol (or reported by phone) that a unit must answer within
hours and dispose of within a day — "第一时间响应、第一时间处置".

It runs the shared loop with deadlines counted in hours, to the minute: 交办 sets the 响应时限
(签收, 2 hours unless the campaign or the bureau says otherwise) and the 处置时限 (反馈, 24 hours),
both from the moment of 交办. They climb the hour ladder (`workflow.case_types.HOUR_LADDER`):
a 2-hour limit is reminded after one hour and chased the minute it is missed. The 响应 and 处置
deadline rows, met or late, are the measure of 第一时间响应率 (`enforcement.patrols.stats`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case, CaseState
from workflow.models.case import transition_now
from workflow.models.unit import Unit

RAPID_ASSIGN_FORM = "enforcement.patrols.forms.RapidAssignForm"


def default_response_hours() -> int:
    return int(settings.ECOLOOP_RAPID_RESPONSE_HOURS)


def default_disposal_hours() -> int:
    return int(settings.ECOLOOP_RAPID_DISPOSAL_HOURS)


class RapidItem(Case):
    """即知即改事项: where, what must be done, and the hours the unit has to respond and dispose."""

    place = models.ForeignKey(
        "enforcement.Place",
        verbose_name=_("点位"),
        on_delete=models.PROTECT,
        related_name="rapid_items",
        null=True,
        blank=True,
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    requirement = models.TextField(_("处置要求"), blank=True)
    campaign = models.ForeignKey(
        "enforcement.Campaign",
        verbose_name=_("专项行动"),
        on_delete=models.PROTECT,
        related_name="rapid_items",
        null=True,
        blank=True,
    )
    response_hours = models.PositiveSmallIntegerField(
        _("响应时限（小时）"), default=default_response_hours
    )
    disposal_hours = models.PositiveSmallIntegerField(
        _("处置时限（小时）"), default=default_disposal_hours
    )
    #: 交办 within this instant of the finding (an inspector's finding waits for a dispatcher).
    dispatch_by = models.DateTimeField(_("交办时限"), null=True, blank=True)
    respond_by = models.DateTimeField(_("响应时限"), null=True, blank=True)
    dispose_by = models.DateTimeField(_("处置时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("即知即改事项")
        verbose_name_plural = pgettext_lazy("plural", "即知即改事项")

    def _start_clocks(self, responsible_unit: Unit) -> None:
        now = transition_now(self)
        assert now is not None, "assign is taken through transition_case"
        self.responsible_unit = responsible_unit
        self.respond_by = now + dt.timedelta(hours=self.response_hours)
        self.dispose_by = now + dt.timedelta(hours=self.disposal_hours)
        # The loop's 整改期限 (shown on lists and the case page) is the day of the 处置时限.
        self.rectify_due = calendar.last_day(self.dispose_by)
        self.assignee = None

    @transition(
        field="state",
        source=CaseState.PENDING_ASSIGNMENT,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={"label": _("交办"), "form": RAPID_ASSIGN_FORM, "style": "primary"},
    )
    def assign(self, *, responsible_unit: Unit, rectify_due: dt.date | None = None) -> None:
        # `rectify_due` is not asked for: the 处置时限's hours decide it.
        self._start_clocks(responsible_unit)

    @transition(
        field="state",
        source=CaseState.OBJECTED,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={"label": _("改派"), "form": RAPID_ASSIGN_FORM, "style": "primary"},
    )
    def reassign(self, *, responsible_unit: Unit, rectify_due: dt.date | None = None) -> None:
        self._start_clocks(responsible_unit)
