"""Payload forms of the loop transitions.

The engine validates with them; the console renders them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from workflow import calendar
from workflow.models.case import Case, CaseState, Clock
from workflow.models.unit import Unit, UnitKind
from workflow.record_language import in_record_language


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


class SplitForm(AssignForm):
    """One more unit's share (分办): the unit, what it must do, and its deadline. Units that
    already hold a share (the lead unit, earlier children) are not offered."""

    field_order = ["responsible_unit", "note", "rectify_period", "rectify_clock", "rectify_due"]
    note = forms.CharField(
        label=_("分办要求"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("该单位承担的部分和要求，将写入子案件的办理记录。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        taken = [
            self.case.responsible_unit_id,
            *self.case.children.values_list("responsible_unit_id", flat=True),
        ]
        assert field.queryset is not None
        field.queryset = field.queryset.exclude(pk__in=[pk for pk in taken if pk])


#: At most this many units in one 分办.
MAX_SHARES = 20


class BaseSplitFormSet(forms.BaseFormSet):
    """Several units' shares in one 分办: at least one, each unit once."""

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and f.cleaned_data]
        if not filled:
            raise forms.ValidationError(_("请至少填写一个配合单位。"))
        units = [f.cleaned_data["responsible_unit"] for f in filled]
        repeated = {u.name for u in units if units.count(u) > 1}
        if repeated:
            raise forms.ValidationError(
                _("同一单位只能分办一次：%(units)s。")
                % {"units": pgettext("list separator", "、").join(sorted(repeated))}
            )

    def shares(self) -> list[dict[str, Any]]:
        """The filled rows: unit, requirement and deadline of each share, in form order."""
        return [
            {k: f.cleaned_data[k] for k in ("responsible_unit", "note", "rectify_due")}
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]


def split_formset(
    case: Case,
    user: Any,
    now: dt.datetime,
    data: Any = None,
    *,
    required: int = 1,
    extra: int = 0,
) -> BaseSplitFormSet:
    """The 分办 form: `required` rows that must be filled (the API's shares), `extra` optional
    ones (the console's blank rows)."""
    factory = forms.formset_factory(
        SplitForm,
        formset=BaseSplitFormSet,
        extra=extra,
        min_num=required,
        max_num=MAX_SHARES,
        validate_max=True,
        absolute_max=MAX_SHARES,
    )
    return factory(  # type: ignore[return-value]
        data, prefix="share", form_kwargs={"case": case, "user": user, "now": now}
    )


class ReportForm(TransitionForm):
    """整改反馈. A lead unit with co-units (分办) reports for all: once every co-unit has
    reported, its 反馈 records each co-unit's state and report (汇总)."""

    #: Labels of what the form adds to the payload without asking (the timeline's rows).
    payload_labels = {"co_units": _("配合单位办理情况")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        waiting = [c for c in self.children if not _has_reported(c)]
        if waiting:
            raise forms.ValidationError(
                _("配合单位尚未反馈：%(units)s。请待各配合单位反馈后汇总反馈。")
                % {"units": pgettext("list separator", "、").join(_share_name(c) for c in waiting)}
            )
        return cleaned

    @cached_property
    def children(self) -> list[Case]:
        """The co-units' child cases, read once for the check and the summary."""
        if self.case.pk is None:
            return []
        return list(
            self.case.children.select_related("responsible_unit").order_by("created_at", "pk")
        )

    def transition_kwargs(self) -> dict[str, Any]:
        children = self.children
        if not children:
            return {}
        with in_record_language():
            return {
                "co_units": pgettext("list of sentences", "；").join(
                    _share_summary(c) for c in children
                )
            }


REPORTED_STATES = frozenset({CaseState.REPORTED, CaseState.VERIFYING, CaseState.PENDING_CLOSURE})


def _has_reported(child: Case) -> bool:
    return child.closed_at is not None or child.state in REPORTED_STATES


def _share_name(child: Case) -> str:
    unit = child.responsible_unit.name if child.responsible_unit else child.case_no
    return _("%(unit)s（%(state)s）") % {"unit": unit, "state": child.get_state_display()}


def _share_summary(child: Case) -> str:
    """One co-unit's line of the lead unit's report, from the co-unit's last 反馈:
    小店区住建局（督〔2026〕0002号，已反馈）：渣土车辆已全部加盖…"""
    report = child.events.filter(transition="report").order_by("-seq").first()
    said = report.note if report is not None else ""
    if len(said) > 200:
        said = said[:199] + "…"
    unit = child.responsible_unit.name if child.responsible_unit else ""
    head = _("%(unit)s（%(no)s，%(state)s）") % {
        "unit": unit,
        "no": child.case_no,
        "state": child.get_state_display(),
    }
    return _("%(head)s：%(said)s") % {"head": head, "said": said} if said else head


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
