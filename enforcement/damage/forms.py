"""Payload forms of the damage case's transitions: the statutory limits are checked here (the
exceptions that must still start, the 简易评估 threshold, the 90-day period and the meetings),
and the periods computed from the dates entered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enforcement.damage.services import quarter_of
from enforcement.models import (
    AssessmentMode,
    ConsultationFailure,
    EvaluationExemption,
    NotStartedReason,
    RemediationMode,
)
from enforcement.penalties.forms import DATE, PastMomentMixin, moment_field
from workflow import calendar
from workflow.forms import TransitionForm


def amount_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, min_value=Decimal("0")
    )


class ScreenForm(TransitionForm):
    screening_batch = forms.CharField(
        label=_("筛查批次"), max_length=10, help_text=_("按季度筛查，如 2026Q4。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["screening_batch"].initial = quarter_of(self.now)


class ScreenOutForm(ScreenForm):
    not_started_reason = forms.ChoiceField(label=_("排除理由"), choices=NotStartedReason.choices)


class StartForm(TransitionForm):
    prelim_result = forms.CharField(label=_("初步核查结论"), widget=forms.Textarea)


class NotStartForm(StartForm):
    not_started_reason = forms.ChoiceField(label=_("不启动理由"), choices=NotStartedReason.choices)

    def clean_not_started_reason(self) -> str:
        """2025 意见: 显著轻微 does not excuse damage in a red-line area or a repeat within two
        years: those must still be started."""
        reason: str = self.cleaned_data["not_started_reason"]
        case = self.case
        if reason == NotStartedReason.MINOR and (
            case.red_line_area or case.repeat_within_two_years  # type: ignore[attr-defined]
        ):
            raise forms.ValidationError(
                _("损害位于生态保护红线内或两年内再次发生的，即使显著轻微也应当启动索赔。")
            )
        return reason


class CommissionForm(TransitionForm):
    assessment_mode = forms.ChoiceField(label=_("鉴定评估方式"), choices=AssessmentMode.choices)
    estimated_damage = amount_field(_("初估损害数额（元）"), required=False)
    assessment_agency = forms.CharField(label=_("鉴定评估机构或专家"), max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        limit = Decimal(settings.ECOLOOP_DAMAGE_SIMPLE_MAX)
        estimate = cleaned.get("estimated_damage")
        if cleaned.get("assessment_mode") == AssessmentMode.SIMPLIFIED and (
            estimate is None or estimate > limit
        ):
            self.add_error(
                "estimated_damage",
                _("简易评估仅适用于初估损害数额不超过%(limit)s元的案件。") % {"limit": limit},
            )
        return cleaned


CENT = Decimal("0.01")

#: 费用明细: the cost items of an assessment report (amounts kept to the fen, as strings).
COST_ITEMS: tuple[tuple[str, Any], ...] = (
    ("investigation", _("调查费用")),
    ("assessment", _("鉴定评估费用")),
    ("cleanup", _("清除污染费用")),
    ("remediation", _("生态环境修复费用")),
    ("interim_loss", _("期间服务功能损失")),
    ("permanent_loss", _("永久性损害造成的损失")),
)


class AssessmentForm(TransitionForm):
    assessment_report_no = forms.CharField(label=_("鉴定评估报告编号"), max_length=60)
    damage_amount = amount_field(_("损害数额（元）"))
    remediation_feasible = forms.BooleanField(label=_("具备修复条件"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in COST_ITEMS:
            self.fields[f"cost_{code}"] = amount_field(label, required=False)

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        costs = {
            code: str(data[f"cost_{code}"].quantize(CENT))
            for code, _label in COST_ITEMS
            if data.get(f"cost_{code}") is not None
        }
        return {
            "assessment_report_no": data["assessment_report_no"],
            "damage_amount": data["damage_amount"],
            "costs": costs,
            "remediation_feasible": bool(data.get("remediation_feasible")),
        }


def consultation_due(served_on: dt.date) -> dt.date:
    return calendar.add_days(served_on, int(settings.ECOLOOP_DAMAGE_CONSULTATION_DAYS)).date


class ConsultationNoticeForm(PastMomentMixin, TransitionForm):
    consultation_notice_served_at = moment_field(_("磋商通知送达时间"))
    procuratorate_invited = forms.BooleanField(label=_("邀请检察机关参与磋商"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "consultation_notice_served_at")
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        served = self.cleaned_data["consultation_notice_served_at"]
        return {
            "consultation_notice_served_at": served,
            "consultation_due": consultation_due(calendar.local_date(served)),
            "procuratorate_invited": bool(self.cleaned_data.get("procuratorate_invited")),
        }


class MeetingForm(PastMomentMixin, TransitionForm):
    held_at = moment_field(_("磋商时间"))
    participants = forms.CharField(label=_("参加人员"), widget=forms.Textarea)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "held_at")
        held, served = cleaned.get("held_at"), self.case.consultation_notice_served_at  # type: ignore[attr-defined]
        if held is not None and served is not None and held < served:
            self.add_error("held_at", _("磋商时间不能早于磋商通知送达时间。"))
        return cleaned


class AgreementForm(PastMomentMixin, TransitionForm):
    agreement_no = forms.CharField(label=_("赔偿协议编号"), max_length=60)
    agreement_signed_at = moment_field(_("签订时间"))
    compensation_amount = amount_field(_("赔偿金额（元）"))
    remediation_mode = forms.ChoiceField(label=_("修复/赔偿方式"), choices=RemediationMode.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "agreement_signed_at")
        return cleaned


class ConsultationFailureForm(TransitionForm):
    consultation_failure = forms.ChoiceField(
        label=_("磋商不成情形"), choices=ConsultationFailure.choices
    )

    def clean_consultation_failure(self) -> str:
        reason: str = self.cleaned_data["consultation_failure"]
        case: Any = self.case
        limit = int(settings.ECOLOOP_DAMAGE_MAX_MEETINGS)
        if reason == ConsultationFailure.MEETINGS and case.meetings_held < limit:
            raise forms.ValidationError(
                _("已磋商%(held)d次，尚未达到%(limit)d次。")
                % {"held": case.meetings_held, "limit": limit}
            )
        if reason == ConsultationFailure.EXPIRED and (
            case.consultation_due is None or calendar.local_date(self.now) <= case.consultation_due
        ):
            raise forms.ValidationError(_("磋商期限尚未届满。"))
        return reason


class LawsuitForm(PastMomentMixin, TransitionForm):
    court = forms.CharField(label=_("受诉法院"), max_length=100)
    court_case_no = forms.CharField(label=_("法院案号"), max_length=60)
    lawsuit_filed_at = moment_field(_("起诉时间"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "lawsuit_filed_at")
        return cleaned


def publicity_end(applied_on: dt.date) -> dt.date:
    """The court's publicity runs at least 30 days; the agreement is confirmed after it."""
    return calendar.add_days(applied_on, int(settings.ECOLOOP_DAMAGE_PUBLICITY_DAYS)).date


class ConfirmationForm(PastMomentMixin, TransitionForm):
    confirmation_court = forms.CharField(label=_("申请确认的法院"), max_length=100)
    confirmation_applied_at = moment_field(_("申请时间"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "confirmation_applied_at")
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        applied = self.cleaned_data["confirmation_applied_at"]
        return {
            "confirmation_court": self.cleaned_data["confirmation_court"],
            "confirmation_applied_at": applied,
            "publicity_end": publicity_end(calendar.local_date(applied)),
        }


class RemediationForm(TransitionForm):
    remediation_plan = forms.CharField(label=_("修复方案及赔付安排"), widget=forms.Textarea)
    remediation_due = forms.DateField(label=_("修复/赔付完成期限"), widget=DATE)

    def clean_remediation_due(self) -> dt.date:
        due: dt.date = self.cleaned_data["remediation_due"]
        if due <= calendar.local_date(self.now):
            raise forms.ValidationError(_("完成期限必须晚于今天。"))
        return due

    def transition_kwargs(self) -> dict[str, Any]:
        return {
            "remediation_plan": self.cleaned_data["remediation_plan"],
            "remediation_due": self.cleaned_data["remediation_due"],
            "judgment": self.case.state == "litigating",
        }


class ProgressForm(TransitionForm):
    paid = amount_field(_("本次到账赔偿金（元，选填）"), required=False)


class EvaluationForm(TransitionForm):
    evaluation_report = forms.CharField(
        label=_("修复效果评估结论"), widget=forms.Textarea, required=False
    )
    evaluation_exemption = forms.ChoiceField(
        label=_("或：免于效果评估的情形"),
        choices=[("", "—"), *EvaluationExemption.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("evaluation_report") and not cleaned.get("evaluation_exemption"):
            raise forms.ValidationError(_("请填写修复效果评估结论，或选择免于评估的情形。"))
        return cleaned


class ContinueRemediationForm(RemediationForm):
    remediation_plan = None  # type: ignore[assignment]

    def transition_kwargs(self) -> dict[str, Any]:
        return {"remediation_due": self.cleaned_data["remediation_due"]}


class TerminateForm(TransitionForm):
    termination_reason = forms.ChoiceField(label=_("终止理由"), choices=NotStartedReason.choices)
