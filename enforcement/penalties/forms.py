"""Payload forms of the enforcement and correction-order transitions (the engine validates with
them; the console renders them). Statutory windows are computed here from the dates entered, so
a clerk never counts working days by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enforcement.models import (
    Inspection,
    PenaltyKind,
    PoliceReferralKind,
    SuspensionReason,
    TerminationReason,
)
from workflow import calendar
from workflow.forms import TransitionForm

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def money_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )


def moment_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, **kwargs
    )


class PastMomentMixin:
    """A moment the clerk records (送达, 复查) cannot lie in the future."""

    now: dt.datetime

    def check_past(self, form: forms.Form, name: str) -> None:
        moment = form.cleaned_data.get(name)
        if moment is not None and moment > self.now:
            form.add_error(name, _("该时间不能晚于现在。"))


class FilingForm(TransitionForm):
    violation_facts = forms.CharField(label=_("涉嫌违法事实"), widget=forms.Textarea)
    violated_provisions = forms.CharField(label=_("涉嫌违反的规定"), widget=forms.Textarea)
    violation_started_on = forms.DateField(label=_("违法行为发生日期"), required=False, widget=DATE)

    def clean_violation_started_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("violation_started_on")
        if day is not None and day > calendar.local_date(self.now):
            raise forms.ValidationError(_("发生日期不能晚于今天。"))
        return day


class NotFiledForm(TransitionForm):
    not_filed_reason = forms.CharField(label=_("不予立案理由"), widget=forms.Textarea)


class SuspendForm(TransitionForm):
    suspension_reason = forms.ChoiceField(label=_("中止理由"), choices=SuspensionReason.choices)


class TerminateForm(TransitionForm):
    termination_reason = forms.ChoiceField(label=_("终止理由"), choices=TerminationReason.choices)


class PoliceReferralForm(TransitionForm):
    police_kind = forms.ChoiceField(label=_("移送类型"), choices=PoliceReferralKind.choices)


class PoliceTransferForm(TransitionForm):
    police_receipt_no = forms.CharField(label=_("公安机关接受回执号"), max_length=60)


class CaseReviewForm(TransitionForm):
    violation_facts = forms.CharField(label=_("查明的违法事实"), widget=forms.Textarea)
    penalty_provisions = forms.CharField(label=_("处罚依据"), widget=forms.Textarea)
    proposed_penalty = forms.CharField(label=_("拟处罚意见"), widget=forms.Textarea)
    proposed_fine = money_field(_("拟罚款金额（元）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        for name in ("violation_facts", "penalty_provisions", "proposed_penalty", "proposed_fine"):
            self.fields[name].initial = getattr(case, name, None)


class LegalReviewForm(TransitionForm):
    legal_review_opinion = forms.CharField(label=_("法制审核意见"), widget=forms.Textarea)
    collective_discussion = forms.BooleanField(label=_("经负责人集体讨论"), required=False)
    collective_minutes = forms.CharField(
        label=_("集体讨论纪要"), widget=forms.Textarea, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("collective_discussion") and not cleaned.get("collective_minutes"):
            self.add_error("collective_minutes", _("经集体讨论的，请填写讨论纪要。"))
        return cleaned


def defence_due(served_on: dt.date) -> dt.date:
    """陈述申辩: 3 working days after service (行政处罚法 第八十五条: 三日 are working days)."""
    return calendar.add_workdays(served_on, 3).date


def hearing_request_due(served_on: dt.date) -> dt.date:
    """听证: requested within 5 working days after the notice (第六十四条, 第八十五条)."""
    return calendar.add_workdays(served_on, 5).date


class AdvanceNoticeForm(PastMomentMixin, TransitionForm):
    notice_served_at = moment_field(_("送达时间"))
    proposed_penalty = forms.CharField(label=_("拟作出的行政处罚"), widget=forms.Textarea)
    proposed_fine = money_field(_("拟罚款金额（元）"))
    hearing_eligible = forms.BooleanField(
        label=_("告知听证权利"),
        required=False,
        help_text=_(
            "较大数额罚款、没收较大数额违法所得、责令停产停业、吊销许可证件等须告知听证权利。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_penalty"].initial = getattr(self.case, "proposed_penalty", "")
        self.fields["proposed_fine"].initial = getattr(self.case, "proposed_fine", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "notice_served_at")
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        served_on = calendar.local_date(data["notice_served_at"])
        return {
            "notice_served_at": data["notice_served_at"],
            "proposed_penalty": data["proposed_penalty"],
            "proposed_fine": data.get("proposed_fine"),
            "hearing_eligible": bool(data.get("hearing_eligible")),
            "defence_due": defence_due(served_on),
            "hearing_request_due": hearing_request_due(served_on)
            if data.get("hearing_eligible")
            else None,
        }


class DefenceForm(TransitionForm):
    defence_statement = forms.CharField(label=_("陈述申辩意见及复核情况"), widget=forms.Textarea)


def earliest_hearing_day(notified_on: dt.date) -> dt.date:
    """第六十四条: the party is told at least 7 (working) days before the hearing."""
    return calendar.add_workdays(notified_on, 7).date


class HearingScheduleForm(PastMomentMixin, TransitionForm):
    hearing_notified_at = moment_field(_("听证通知送达时间"))
    hearing_at = moment_field(_("听证时间"))
    hearing_place = forms.CharField(label=_("听证地点"), max_length=200)
    hearing_chair = forms.ModelChoiceField(
        label=_("听证主持人"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hearing_chair"]
        assert isinstance(field, forms.ModelChoiceField)
        # 第六十四条(四): the chair is someone other than the case's investigators.
        field.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                staff__unit__path__startswith=self.case.jurisdiction.path,
            )
            .exclude(pk__in=self.case.investigators.values("pk"))  # type: ignore[attr-defined]
            .order_by("pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "hearing_notified_at")
        notified, held = cleaned.get("hearing_notified_at"), cleaned.get("hearing_at")
        if notified is not None and held is not None:
            earliest = earliest_hearing_day(calendar.local_date(notified))
            if calendar.local_date(held) < earliest:
                self.add_error(
                    "hearing_at",
                    _("听证应在通知送达7个工作日后举行，最早为%(day)s。")
                    % {"day": f"{earliest:%Y-%m-%d}"},
                )
        return cleaned


class HearingRecordForm(TransitionForm):
    hearing_record = forms.CharField(
        label=_("听证情况（当事人未到场的视为放弃听证）"), widget=forms.Textarea
    )


class DecisionExtensionForm(TransitionForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365)
    collective = forms.BooleanField(label=_("经负责人集体讨论决定"), required=False)
    collective_minutes = forms.CharField(
        label=_("集体讨论纪要"), widget=forms.Textarea, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        days, collective = cleaned.get("days"), cleaned.get("collective")
        first = self.case.decision_extended_days is None  # type: ignore[attr-defined]
        limit = int(settings.ECOLOOP_DECISION_EXTENSION_DAYS)
        if not collective:
            if not first:
                self.add_error(
                    "collective", _("负责人已批准过一次延长，再次延长须经集体讨论决定。")
                )
            elif days is not None and days > limit:
                self.add_error("days", _("负责人批准延长不超过%(n)d日。") % {"n": limit})
        elif not cleaned.get("collective_minutes"):
            self.add_error("collective_minutes", _("经集体讨论的，请填写讨论纪要。"))
        if self.case.decision_due is None:  # type: ignore[attr-defined]
            raise forms.ValidationError(_("尚未立案，没有决定期限。"))
        return cleaned


class DecisionForm(TransitionForm):
    penalty_kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=PenaltyKind.choices, widget=forms.CheckboxSelectMultiple
    )
    fine_amount = money_field(_("罚款金额（元）"))
    decision_text = forms.CharField(label=_("处罚决定内容"), widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kinds, fine = cleaned.get("penalty_kinds") or [], cleaned.get("fine_amount")
        if PenaltyKind.FINE in kinds and not fine:
            self.add_error("fine_amount", _("处以罚款的，请填写罚款金额。"))
        if fine and PenaltyKind.FINE not in kinds:
            self.add_error("penalty_kinds", _("填写了罚款金额，请勾选“罚款”。"))
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "penalty_kinds": list(data["penalty_kinds"]),
            "fine_amount": data.get("fine_amount"),
            "decision_text": data["decision_text"],
        }


def payment_due(served_on: dt.date) -> dt.date:
    """第六十七条: pay within 15 days of receiving the decision (calendar days, rolled)."""
    return calendar.add_days(served_on, 15).date


class ServiceForm(PastMomentMixin, TransitionForm):
    served_at = moment_field(_("送达时间"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "served_at")
        decided = self.case.decided_at  # type: ignore[attr-defined]
        served = cleaned.get("served_at")
        if served is not None and decided is not None and served < decided:
            self.add_error("served_at", _("送达时间不能早于决定时间。"))
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        served = self.cleaned_data["served_at"]
        fine = self.case.fine_amount  # type: ignore[attr-defined]
        return {
            "served_at": served,
            "payment_due": payment_due(calendar.local_date(served)) if fine else None,
        }


class PerformanceForm(PastMomentMixin, TransitionForm):
    paid_at = moment_field(_("缴款时间"), required=False)
    paid_amount = money_field(_("缴款金额（元）"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "paid_at")
        fine = self.case.fine_amount  # type: ignore[attr-defined]
        if fine and (cleaned.get("paid_at") is None or cleaned.get("paid_amount") is None):
            self.add_error("paid_amount", _("有罚款的，请填写缴款时间和金额。"))
        return cleaned


class ClosingForm(TransitionForm):
    closing_summary = forms.CharField(label=_("结案报告"), widget=forms.Textarea)


# --- 责令改正 → 复查 -------------------------------------------------------------------------


class CorrectionReportForm(PastMomentMixin, TransitionForm):
    reported_at = moment_field(_("企业报告时间"))
    report_text = forms.CharField(label=_("企业改正情况"), widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "reported_at")
        return cleaned


class RecheckForm(PastMomentMixin, TransitionForm):
    """复查 (暗查 by default). A failed 复查 serves a new order: its requirement and deadline."""

    rechecked_at = moment_field(_("复查时间"))
    recheck_covert = forms.BooleanField(
        label=_("暗查（未事先通知企业）"), required=False, initial=True
    )
    recheck_findings = forms.CharField(label=_("复查情况"), widget=forms.Textarea)
    recheck_inspection = forms.ModelChoiceField(
        label=_("复查检查记录"), queryset=Inspection.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recheck_inspection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Inspection.objects.filter(
            enterprise_id=self.case.enterprise_id,  # type: ignore[attr-defined]
            record_no__gt="",
        ).order_by("-started_at")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_past(self, "rechecked_at")
        moment = cleaned.get("rechecked_at")
        served = self.case.served_at  # type: ignore[attr-defined]
        if moment is not None and moment < served:
            self.add_error("rechecked_at", _("复查时间不能早于决定书送达时间。"))
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "rechecked_at": data["rechecked_at"],
            "recheck_covert": bool(data.get("recheck_covert")),
            "recheck_findings": data["recheck_findings"],
            "recheck_inspection": data.get("recheck_inspection"),
        }


class FailedRecheckForm(RecheckForm):
    new_requirement = forms.CharField(label=_("重新责令改正的要求"), widget=forms.Textarea)
    new_correct_by = forms.DateField(label=_("新的改正期限"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        moment, due = cleaned.get("rechecked_at"), cleaned.get("new_correct_by")
        if moment is not None and due is not None and due < calendar.local_date(moment):
            self.add_error("new_correct_by", _("改正期限不能早于复查日期。"))
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        return {
            **super().transition_kwargs(),
            "new_requirement": self.cleaned_data["new_requirement"],
            "new_correct_by": self.cleaned_data["new_correct_by"],
        }
