"""Correction orders (责令改正) and their 复查: the closed loop on the enterprise.

`CorrectionOrder` is 责令改正 → 复查 (按日连续处罚办法, 部令28号): the order is served with a
rectification deadline, the enterprise reports, and an unannounced 复查 within 30 days of service
either closes it or finds the violation continuing, which records a 按日连续处罚 period and serves
a new order. An order may belong to a penalty case (`enforcement.models.penalty`). See
reference/domain.md §2.3.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.models.penalty import EnforcementCase
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case


class CorrectionState(models.TextChoices):
    ORDERED = "ordered", _("责令改正中")
    CORRECTED = "corrected", _("复查通过")
    CONTINUING = "continuing", _("拒不改正")


class CorrectionOrder(Case):
    """责令改正违法行为决定书 and its 复查: the closed loop on the enterprise."""

    enterprise = models.ForeignKey(
        "enforcement.Enterprise",
        verbose_name=_("当事人（排污单位）"),
        on_delete=models.PROTECT,
        related_name="correction_orders",
    )
    enforcement_case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("所属处罚案件"),
        on_delete=models.PROTECT,
        related_name="correction_orders",
        null=True,
        blank=True,
    )
    previous_order = models.OneToOneField(
        "self",
        verbose_name=_("前一份责令改正决定"),
        on_delete=models.PROTECT,
        related_name="next_order",
        null=True,
        blank=True,
    )
    order_no = models.CharField(_("决定书文号"), max_length=60, blank=True)
    violation = models.TextField(_("违法行为"))
    basis = models.TextField(_("依据"), blank=True)
    requirement = models.TextField(_("改正要求"))
    immediate = models.BooleanField(_("责令立即改正（停止违法行为）"), default=False)
    correct_by = models.DateField(_("改正期限"))
    served_at = models.DateTimeField(_("送达时间"))
    recheck_due = models.DateField(_("复查期限"))
    #: 按日连续处罚: the original fine is the daily amount (部令28号 第十九条).
    daily_amount = models.DecimalField(
        _("按日处罚计罚数额(元/日)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reported_at = models.DateTimeField(_("企业报告改正时间"), null=True, blank=True)
    report_text = models.TextField(_("企业改正情况报告"), blank=True)
    rechecked_at = models.DateTimeField(_("复查时间"), null=True, blank=True)
    recheck_covert = models.BooleanField(_("暗查"), default=True)
    recheck_inspection = models.ForeignKey(
        "enforcement.Inspection",
        verbose_name=_("复查检查记录"),
        on_delete=models.PROTECT,
        related_name="rechecked_orders",
        null=True,
        blank=True,
    )
    recheck_findings = models.TextField(_("复查情况"), blank=True)
    #: The 按日连续处罚 period this order's refusal adds: from the day after service to the 复查.
    penalty_from = models.DateField(_("按日计罚起始日"), null=True, blank=True)
    penalty_to = models.DateField(_("按日计罚截止日"), null=True, blank=True)
    penalty_days = models.PositiveIntegerField(_("按日计罚天数"), null=True, blank=True)

    class Meta:
        verbose_name = _("责令改正")
        verbose_name_plural = pgettext_lazy("plural", "责令改正")

    @property
    def penalty_amount(self) -> Decimal | None:
        if self.penalty_days is None or self.daily_amount is None:
            return None
        return self.daily_amount * self.penalty_days

    @transition(
        field="state",
        source=CorrectionState.ORDERED,
        target=None,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("登记企业改正报告"),
            "form": "enforcement.penalties.forms.CorrectionReportForm",
            "evidence": "optional",
        },
    )
    def record_report(self, *, report_text: str, reported_at: dt.datetime) -> None:
        self.report_text = report_text
        self.reported_at = reported_at

    @transition(
        field="state",
        source=CorrectionState.ORDERED,
        target=CorrectionState.CORRECTED,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("复查：已改正，销号"),
            "form": "enforcement.penalties.forms.RecheckForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def pass_recheck(
        self,
        *,
        rechecked_at: dt.datetime,
        recheck_covert: bool,
        recheck_findings: str,
        recheck_inspection: Any,
    ) -> None:
        self._recheck(rechecked_at, recheck_covert, recheck_findings, recheck_inspection)

    @transition(
        field="state",
        source=CorrectionState.ORDERED,
        target=CorrectionState.CONTINUING,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("复查：拒不改正，按日连续处罚"),
            "form": "enforcement.penalties.forms.FailedRecheckForm",
            "evidence": "optional",
            "style": "danger",
        },
    )
    def fail_recheck(
        self,
        *,
        rechecked_at: dt.datetime,
        recheck_covert: bool,
        recheck_findings: str,
        recheck_inspection: Any,
        new_requirement: str,
        new_correct_by: dt.date,
    ) -> None:
        """部令28号 第十七条: the days run from the day after the order was served up to the day
        the 复查 found the violation going on. A new order is served at the 复查 (第十八条): the
        case type's hook opens it from `reissue`."""
        self._recheck(rechecked_at, recheck_covert, recheck_findings, recheck_inspection)
        self.__dict__["reissue"] = {"requirement": new_requirement, "correct_by": new_correct_by}
        served = calendar.local_date(self.served_at)
        found = calendar.local_date(rechecked_at)
        self.penalty_from = served + dt.timedelta(days=1)
        self.penalty_to = found
        self.penalty_days = max((found - served).days, 0)

    def _recheck(
        self, rechecked_at: dt.datetime, covert: bool, findings: str, inspection: Any
    ) -> None:
        self.rechecked_at = rechecked_at
        self.recheck_covert = covert
        self.recheck_findings = findings
        self.recheck_inspection = inspection
