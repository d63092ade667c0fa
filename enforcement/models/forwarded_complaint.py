"""边督边改交办件: a complaint the 督察 team forwarded in a batch, run through the loop the
same day.

The loop's states carry the 督察 work (`shared/reference/domain.md` (a3-i)): 交办 to the
responsible unit with the batch's reply deadline (hour-precise), 签收 and 调查处理, 反馈 with
the team's fields (是否属实, 调查核实情况, 处理和整改情况, 责任追究, 办理状态), 审核 by the lead
office (the loop's 核查), 审签 by a supervisor. An item reported 已办结 is closed; one reported
阶段性办结 is published as such and stays 整改中 under its own deadline until the unit reports
it 已办结, when it is published again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django_fsm import transition

from enforcement.models.inspection_round import ForwardedBatch
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case, Unit
from workflow.models.case import CaseState, children_closed, no_pending_extension


class ForwardedState(models.TextChoices):
    PHASED = "phased", _("阶段性办结·整改中")


class Truth(models.TextChoices):
    TRUE = "true", _("属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("不属实")


class Pollution(models.TextChoices):
    """The 一览表's 污染类型; an item may have several."""

    AIR = "air", _("大气")
    WATER = "water", _("水")
    SOIL = "soil", _("土壤")
    NOISE = "noise", _("噪声")
    SOLID_WASTE = "solid_waste", _("固废")
    ECOLOGY = "ecology", _("生态")
    RADIATION = "radiation", _("辐射")
    MARINE = "marine", _("海洋")
    OTHER = "other", _("其他")


class HandlingStatus(models.TextChoices):
    DONE = "done", _("已办结")
    PHASED = "phased", _("阶段性办结")
    ONGOING = "ongoing", _("正在办理")


def reported_done(case: Any) -> bool:
    return bool(case.handling_status == HandlingStatus.DONE)


def reported_phased(case: Any) -> bool:
    return bool(case.handling_status == HandlingStatus.PHASED)


def no_extension_for_forwarded(case: Any) -> bool:
    """The team's reply deadline is not extended: an item that cannot be finished by then is
    reported 阶段性办结 with the date it will be done (`phase_due`)."""
    return False


class ForwardedComplaint(Case):
    batch = models.ForeignKey(
        ForwardedBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="items"
    )
    #: The team's number (D3SX202505280018): unique in its batch, so a re-import never
    #: duplicates; the same number in a later batch is a repeat (重复交办).
    acceptance_no = models.CharField(_("受理编号"), max_length=40)
    target = models.CharField(_("反映对象"), max_length=200, blank=True)
    target_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    area = models.CharField(_("行政区域"), max_length=100)
    #: The `Pollution` values, comma-separated ("air,noise").
    pollution = models.CharField(_("污染类型"), max_length=120, blank=True)
    reply_due_at = models.DateTimeField(_("反馈期限"))
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复交办（首次交办件）"),
        on_delete=models.PROTECT,
        related_name="repeats",
        null=True,
        blank=True,
        editable=False,
    )

    # --- the 反馈, as the team's 一览表 asks for it --------------------------------------------
    truth = models.CharField(_("是否属实"), max_length=10, choices=Truth.choices, blank=True)
    findings = models.TextField(_("调查核实情况"), blank=True)
    actions = models.TextField(_("处理和整改情况"), blank=True)
    penalty_cases = models.PositiveIntegerField(_("立案处罚（起）"), default=0)
    penalty_amount = models.DecimalField(
        _("罚款金额（万元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    criminal_cases = models.PositiveIntegerField(_("立案侦查（起）"), default=0)
    interviewed = models.PositiveIntegerField(_("约谈（人）"), default=0)
    held_accountable = models.PositiveIntegerField(_("问责（人）"), default=0)
    handling_status = models.CharField(
        _("办理状态"),
        max_length=10,
        choices=HandlingStatus.choices,
        default=HandlingStatus.ONGOING,
    )
    phase_due = models.DateField(_("阶段性办结后整改期限"), null=True, blank=True)
    #: The 办理状态 of the last signed 一览表 that listed the item ("" before any).
    published_status = models.CharField(
        _("已公开状态"), max_length=10, choices=HandlingStatus.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("边督边改交办件")
        verbose_name_plural = pgettext_lazy("plural", "边督边改交办件")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "acceptance_no"], name="forwarded_acceptance_no_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.acceptance_no} {self.title}"

    def pollution_display(self) -> str:
        labels = dict(Pollution.choices)
        return pgettext("list separator", "、").join(
            str(labels.get(value, value)) for value in self.pollution.split(",") if value
        )

    # How the case page's facts show these two (`selectors.type_fields`).
    get_pollution_display = pollution_display

    def get_reply_due_at_display(self) -> str:
        return calendar.limit_text(self.reply_due_at)

    def accountability_text(self) -> str:
        """责任追究情况 as the 一览表 words it ("立案处罚2起，罚款3.50万元；约谈1人")."""
        parts = []
        if self.penalty_cases:
            text = _("立案处罚%(n)d起") % {"n": self.penalty_cases}
            if self.penalty_amount:
                text += _("，罚款%(amount)s万元") % {"amount": self.penalty_amount}
            parts.append(text)
        if self.criminal_cases:
            parts.append(_("立案侦查%(n)d起") % {"n": self.criminal_cases})
        if self.interviewed:
            parts.append(_("约谈%(n)d人") % {"n": self.interviewed})
        if self.held_accountable:
            parts.append(_("问责%(n)d人") % {"n": self.held_accountable})
        return pgettext("clause separator", "；").join(str(p) for p in parts) or str(_("无"))

    # --- 交办: the responsible unit, the batch's reply deadline ---------------------------------

    @transition(
        field="state",
        source=CaseState.PENDING_ASSIGNMENT,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={
            "label": _("交办"),
            "form": "enforcement.inspection_rounds.forms.ForwardAssignForm",
            "style": "primary",
        },
    )
    def assign(self, *, responsible_unit: Unit, rectify_due: dt.date) -> None:
        self.responsible_unit = responsible_unit
        self.rectify_due = rectify_due
        self.assignee = None

    @transition(
        field="state",
        source=CaseState.OBJECTED,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={
            "label": _("改派"),
            "form": "enforcement.inspection_rounds.forms.ForwardAssignForm",
            "style": "primary",
        },
    )
    def reassign(self, *, responsible_unit: Unit, rectify_due: dt.date) -> None:
        self.responsible_unit = responsible_unit
        self.rectify_due = rectify_due
        self.assignee = None

    # --- 反馈: the team's fields, first from 调查处理, again when a phased item is done ---------

    @transition(
        field="state",
        source=[CaseState.RECTIFYING, ForwardedState.PHASED],
        target=CaseState.REPORTED,
        permission=perms.rule("workflow.handle"),
        conditions=[no_pending_extension],
        custom={
            "label": _("办理反馈"),
            "form": "enforcement.inspection_rounds.forms.ForwardReportForm",
            "note": "optional",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def report(
        self,
        *,
        truth: str,
        findings: str,
        actions: str,
        handling_status: str,
        phase_due: dt.date | None,
        penalty_cases: int,
        penalty_amount: Decimal,
        criminal_cases: int,
        interviewed: int,
        held_accountable: int,
    ) -> None:
        self.truth = truth
        self.findings = findings
        self.actions = actions
        self.handling_status = handling_status
        self.phase_due = phase_due
        self.penalty_cases = penalty_cases
        self.penalty_amount = penalty_amount
        self.criminal_cases = criminal_cases
        self.interviewed = interviewed
        self.held_accountable = held_accountable

    @transition(
        field="state",
        source=ForwardedState.PHASED,
        target=ForwardedState.PHASED,
        permission=perms.rule("workflow.handle"),
        custom={"label": _("记录整改进展"), "note": "required", "evidence": "required"},
    )
    def record_phase_progress(self) -> None:
        """A phased item's rectification, recorded on the timeline until it is done."""

    @transition(
        field="state",
        source=CaseState.VERIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.conclude_verification"),
        custom={
            "label": _("审核不通过，退回重办"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "evidence": "optional",
            "style": "danger",
        },
    )
    def fail_verification(self, *, rectify_due: dt.date) -> None:
        """The lead office returns the 反馈: the item is due again by the new date's 24:00."""
        self.rectify_due = rectify_due
        self.reply_due_at = calendar.end_of_day(rectify_due)
        self.verifier = None

    @transition(
        field="state",
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.handle"),
        conditions=[no_extension_for_forwarded],
        custom={"label": _("申请延期"), "form": "workflow.forms.ExtensionRequestForm"},
    )
    def request_extension(self, *, days: int) -> None:
        self.pending_extension_days = days

    # --- 审签: a supervisor signs what goes into the 一览表 -------------------------------------

    @transition(
        field="state",
        source=CaseState.PENDING_CLOSURE,
        target=CaseState.CLOSED,
        permission=perms.rule("workflow.decide_closure"),
        conditions=[children_closed, reported_done],
        custom={"label": _("审签办结"), "style": "primary"},
    )
    def approve_closure(self) -> None:
        """已办结: the item is closed and waits for the day's 一览表."""

    @transition(
        field="state",
        source=CaseState.PENDING_CLOSURE,
        target=ForwardedState.PHASED,
        permission=perms.rule("workflow.decide_closure"),
        conditions=[reported_phased],
        custom={"label": _("审签阶段性办结，继续整改"), "style": "primary"},
    )
    def approve_phase(self) -> None:
        """阶段性办结: published as such; the unit goes on under `phase_due`."""
