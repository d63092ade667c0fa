"""Payload forms of the loop transitions.

The engine validates with them; the console renders them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from workflow import calendar
from workflow.models.case import Case, Clock
from workflow.models.unit import Unit, UnitKind


class TransitionForm(forms.Form):
    """A transition payload, validated against the case, the actor and the moment."""

    def __init__(self, *args: Any, case: Case, user: Any, now: dt.datetime, **kwargs: Any) -> None:
        self.case = case
        self.user = user
        self.now = now
        super().__init__(*args, **kwargs)

    def transition_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the transition method."""
        return dict(self.cleaned_data)


class RectifyPeriodMixin(forms.Form):
    rectify_period = forms.IntegerField(
        label=_("整改时限"), min_value=1, max_value=365, required=False
    )
    rectify_clock = forms.ChoiceField(
        label=_("计算方式"), choices=Clock.choices, initial=Clock.WORKDAYS, required=False
    )
    rectify_due = forms.DateField(
        label=_("或指定整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    now: dt.datetime
    case: Case

    def clean_rectify_dates(self, cleaned: dict[str, Any]) -> None:
        period, due = cleaned.get("rectify_period"), cleaned.get("rectify_due")
        today = calendar.local_date(self.now)
        if due is None and period is None:
            self.add_error("rectify_period", _("请填写整改时限或指定整改期限。"))
            return
        if due is not None:
            if due <= today:
                self.add_error("rectify_due", _("整改期限必须晚于今天。"))
                return
        else:
            assert period is not None
            clock = cleaned.get("rectify_clock") or Clock.WORKDAYS
            due = calendar.add_period(today, int(period), clock).date
        limit = self.case.rectify_due_limit()
        if limit is not None and due > limit:
            self.add_error(
                "rectify_due" if cleaned.get("rectify_due") else "rectify_period",
                _("整改期限不能晚于本案的法定办结期限 %(limit)s。")
                % {"limit": f"{limit:%Y-%m-%d}"},
            )
            return
        cleaned["rectify_due"] = due


def assignable_units(case: Case) -> QuerySet[Unit]:
    """The units a case may be assigned to: those under its bureau (its towns, departments,
    sections, a city's district bureaus), never a city bureau or the case's own bureau."""
    return (
        Unit.objects.subtree_of(case.jurisdiction)
        .active()
        .exclude(kind__in=[UnitKind.CITY_BUREAU])
        .exclude(pk=case.jurisdiction_id)
    )


class AssignForm(RectifyPeriodMixin, TransitionForm):
    field_order = ["responsible_unit", "rectify_period", "rectify_clock", "rectify_due"]
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), empty_label=_("请选择责任单位")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_units(self.case)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_rectify_dates(cleaned)
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        return {
            "responsible_unit": self.cleaned_data["responsible_unit"],
            "rectify_due": self.cleaned_data["rectify_due"],
        }


class ReturnForm(RectifyPeriodMixin, TransitionForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_rectify_dates(cleaned)
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        return {"rectify_due": self.cleaned_data["rectify_due"]}


class ExtensionRequestForm(TransitionForm):
    days = forms.IntegerField(label=_("申请延期（工作日）"), min_value=1, max_value=60)


class ApproveExtensionForm(TransitionForm):
    days = forms.IntegerField(label=_("批准延期（工作日）"), min_value=1, max_value=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = self.case.pending_extension_days

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        requested = self.case.pending_extension_days
        if requested is not None and days > requested:
            raise forms.ValidationError(
                ngettext(
                    "批准的延期不能超过申请的 %(n)d 个工作日。",
                    "批准的延期不能超过申请的 %(n)d 个工作日。",
                    requested,
                )
                % {"n": requested}
            )
        return days

    def transition_kwargs(self) -> dict[str, Any]:
        base = self.case.rectify_due or calendar.local_date(self.now)
        return {"rectify_due": calendar.add_workdays(base, self.cleaned_data["days"]).date}
