"""The 督察 forms: a round, a batch and its reply deadline, an item by hand, and the payloads of
the item's 交办 and 反馈 (the engine validates with them, the console renders them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models import (
    ForwardedBatch,
    HandlingStatus,
    InspectionRound,
    Truth,
)
from workflow import calendar
from workflow.forms import TransitionForm, assignable_units
from workflow.models.unit import Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ForwardAssignForm(TransitionForm):
    """交办 a 督察 item: the unit only; its deadline is the batch's, to the minute."""

    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), empty_label=_("请选择责任单位")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_units(self.case)
        due = self.case.specific.reply_due_at  # type: ignore[attr-defined]
        field.help_text = _("反馈期限：%(due)s（督察组确定）") % {"due": calendar.limit_text(due)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        due = self.case.specific.reply_due_at  # type: ignore[attr-defined]
        if due <= self.now:
            raise forms.ValidationError(_("本件的反馈期限已过，请先与督察组确认新的期限，再交办。"))
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        due = self.case.specific.reply_due_at  # type: ignore[attr-defined]
        return {
            "responsible_unit": self.cleaned_data["responsible_unit"],
            "rectify_due": calendar.last_day(due),
        }


class ForwardReportForm(TransitionForm):
    """办理反馈 with the columns of the 一览表 and the 责任追究 counts."""

    truth = forms.ChoiceField(label=_("是否属实"), choices=Truth.choices)
    findings = forms.CharField(
        label=_("调查核实情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label=_("处理和整改情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    handling_status = forms.ChoiceField(
        label=_("办理状态"),
        choices=[
            (HandlingStatus.DONE, HandlingStatus.DONE.label),
            (HandlingStatus.PHASED, HandlingStatus.PHASED.label),
        ],
        help_text=_("整改尚未完成的，选择“阶段性办结”并填写完成整改的期限。"),
    )
    phase_due = forms.DateField(
        label=_("整改完成期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    penalty_cases = forms.IntegerField(label=_("立案处罚（起）"), min_value=0, initial=0)
    penalty_amount = forms.DecimalField(
        label=_("罚款金额（万元）"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0"),
    )
    criminal_cases = forms.IntegerField(label=_("立案侦查（起）"), min_value=0, initial=0)
    interviewed = forms.IntegerField(label=_("约谈（人）"), min_value=0, initial=0)
    held_accountable = forms.IntegerField(label=_("问责（人）"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.case.specific
        for name in ("truth", "findings", "actions", "phase_due", *COUNTS):
            value = getattr(item, name, None)
            if value not in (None, ""):
                self.fields[name].initial = value
        if item.state == "phased":
            # A phased item comes back to say it is done.
            self.fields["handling_status"].initial = HandlingStatus.DONE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status, due = cleaned.get("handling_status"), cleaned.get("phase_due")
        if status == HandlingStatus.PHASED:
            if due is None:
                self.add_error("phase_due", _("阶段性办结的，请填写整改完成期限。"))
            elif due <= calendar.local_date(self.now):
                self.add_error("phase_due", _("整改完成期限必须晚于今天。"))
        else:
            cleaned["phase_due"] = None
        if cleaned.get("penalty_amount") and not cleaned.get("penalty_cases"):
            self.add_error("penalty_cases", _("填写了罚款金额的，请填写立案处罚起数。"))
        return cleaned


COUNTS = ("penalty_cases", "penalty_amount", "criminal_cases", "interviewed", "held_accountable")


class RoundForm(forms.ModelForm):
    class Meta:
        model = InspectionRound
        fields = [
            "level",
            "name",
            "region",
            "lead_office",
            "stationed_from",
            "stationed_until",
            "feedback_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ("stationed_from", "stationed_until", "feedback_on")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("stationed_from"), cleaned.get("stationed_until")
        if start and end and end < start:
            self.add_error("stationed_until", _("进驻结束日期不能早于进驻日期。"))
        feedback = cleaned.get("feedback_on")
        if start and feedback and feedback < start:
            self.add_error("feedback_on", _("反馈日期不能早于进驻日期。"))
        return cleaned


class ReplyUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    DAYS = "days", _("天")


class BatchForm(forms.Form):
    """第N批 and its reply deadline: a number of hours or days from receipt, or an instant."""

    number = forms.IntegerField(label=_("批次（第N批）"), min_value=1, max_value=999)
    received_at = forms.DateTimeField(label=_("接收时间"), widget=DATETIME)
    reply_within = forms.IntegerField(
        label=_("反馈时限"), min_value=1, max_value=720, required=False
    )
    reply_unit = forms.ChoiceField(
        label=_("时限单位"), choices=ReplyUnit.choices, initial=ReplyUnit.DAYS, required=False
    )
    reply_due_at = forms.DateTimeField(label=_("或指定反馈期限"), required=False, widget=DATETIME)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, round: InspectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if ForwardedBatch.objects.filter(round=self.round, number=number).exists():
            raise forms.ValidationError(_("第%(n)d批已经登记。") % {"n": number})
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        received = cleaned.get("received_at")
        if received is None:
            return cleaned
        due, within = cleaned.get("reply_due_at"), cleaned.get("reply_within")
        if due is None and within is None:
            self.add_error("reply_within", _("请填写反馈时限或指定反馈期限。"))
            return cleaned
        if due is None:
            assert within is not None
            due = reply_due(received, within, cleaned.get("reply_unit") or ReplyUnit.DAYS)
        if due <= received:
            self.add_error("reply_due_at", _("反馈期限必须晚于接收时间。"))
        cleaned["reply_due_at"] = due
        return cleaned


def reply_due(received: dt.datetime, within: int, unit: str) -> dt.datetime:
    """N hours from receipt, to the minute; N days: 24:00 of the Nth calendar day after the day
    of receipt (the day of receipt not counted; the team's days are calendar days, weekends
    included, since it works through them)."""
    if unit == ReplyUnit.HOURS:
        return received + dt.timedelta(hours=within)
    day = calendar.local_date(received) + dt.timedelta(days=within)
    return calendar.end_of_day(day)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("转办清单（Excel 或 CSV）"),
        help_text=_("使用督察组转办清单的表头：受理编号、交办问题基本情况、行政区域、污染类型。"),
    )


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("整改方案清单（Excel 或 CSV）"),
        help_text=_(
            "每行一项任务：问题序号、反馈问题、任务编号、任务名称、整改目标、整改措施、整改类型、"
            "完成时限、报告周期、牵头单位、配合单位、责任领导。"
        ),
    )
