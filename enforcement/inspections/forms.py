"""The on-site record (现场检查笔录) as a form: inspectors, times, the checklist, findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from enforcement.penalties.forms import DATETIME, DATETIME_FORMATS
from workflow import calendar
from workflow.forms import TransitionForm
from workflow.roles import Role

#: 一单: the inspection items every record answers (环办〔2015〕88号 随机抽查事项清单, abridged).
CHECKLIST: tuple[tuple[str, Any], ...] = (
    ("eia", _("环境影响评价及“三同时”执行情况")),
    ("permit", _("排污许可证及按证排污情况")),
    ("facilities", _("污染防治设施运行情况")),
    ("monitoring", _("自动监测设备运行及自行监测情况")),
    ("discharge", _("污染物排放是否达标")),
    ("hazardous", _("危险废物贮存、转移和处置情况")),
    ("ledger", _("环境管理台账记录情况")),
    ("emergency", _("突发环境事件应急预案及演练情况")),
)


def checklist_for(case: Any) -> tuple[tuple[str, Any], ...]:
    """What an inspection answers: its campaign's checklist (a 调度令's check), else 一单."""
    order = getattr(case, "order", None) if getattr(case, "order_id", None) else None
    items = order.campaign.checklist_items() if order is not None else []
    return tuple(items) or CHECKLIST


class CheckResult:
    OK = "ok"
    PROBLEM = "problem"
    NOT_APPLICABLE = "na"
    CHOICES = (
        (OK, _("符合")),
        (PROBLEM, _("存在问题")),
        (NOT_APPLICABLE, _("不涉及")),
    )


def inspectors_for(case: Any) -> Any:
    """Who may sign a record: active inspectors (and verifiers) of the case's bureau holding a
    valid 执法证."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=[Role.INSPECTOR, Role.VERIFIER],
            staff__unit__path__startswith=case.jurisdiction.path,
            credential__isnull=False,
        )
        .select_related("credential")
        .distinct()
        .order_by("pk")
    )


def credential_label(user: Any) -> str:
    return str(user.credential)


class RecordForm(TransitionForm):
    #: The stored checklist's results read as the form's words (符合, 存在问题, 不涉及).
    payload_choices = {"checklist": dict(CheckResult.CHOICES)}

    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人员（两名以上，持执法证）"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    started_at = forms.DateTimeField(
        label=_("检查开始时间"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    ended_at = forms.DateTimeField(
        label=_("检查结束时间"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    location = forms.CharField(label=_("检查地点"), max_length=200)
    on_site_person = forms.CharField(label=_("现场负责人（姓名、职务）"), max_length=100)
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspectors"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = inspectors_for(self.case)
        field.label_from_instance = credential_label  # type: ignore[method-assign,assignment]
        drawn = sorted(self.drawn_inspectors())
        field.initial = drawn or ([self.user.pk] if self.user is not None else [])
        self.fields["location"].initial = getattr(self.case, "location", "")
        self.items = checklist_for(self.case)
        for code, label in self.items:
            self.fields[f"check_{code}"] = forms.ChoiceField(
                label=label, choices=CheckResult.CHOICES, initial=CheckResult.OK
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("说明"), required=False, max_length=500
            )

    def drawn_inspectors(self) -> set[int]:
        """The inspectors a task was given (a random draw's pair); none before the case exists
        (an inspection logged on the spot is validated before it is opened)."""
        if self.case.pk is None:
            return set()
        return set(self.case.inspectors.values_list("pk", flat=True))  # type: ignore[attr-defined]

    def clean_inspectors(self) -> Any:
        chosen = self.cleaned_data["inspectors"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("现场检查须由两名以上执法人员进行。"))
        if self.user is not None and self.user not in chosen:
            raise forms.ValidationError(_("填写笔录的人员须是检查人员之一。"))
        drawn = self.drawn_inspectors()
        if drawn and not drawn <= {u.pk for u in chosen}:
            raise forms.ValidationError(_("抽取的检查人员须参加检查。"))
        today = calendar.local_date(self.now)
        expired = [u for u in chosen if not u.credential.is_valid_on(today)]
        if expired:
            raise forms.ValidationError(
                _("执法证已过期：%(names)s")
                % {
                    "names": pgettext("list separator", "、").join(
                        str(u.credential) for u in expired
                    )
                }
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("started_at"), cleaned.get("ended_at")
        if end is not None and end > self.now + dt.timedelta(minutes=5):
            self.add_error("ended_at", _("检查结束时间不能晚于现在。"))
        if start is not None and end is not None and end < start:
            self.add_error("ended_at", _("结束时间不能早于开始时间。"))
        return cleaned

    def checklist(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "code": code,
                "item": str(label),
                "result": data[f"check_{code}"],
                "note": data.get(f"note_{code}", ""),
            }
            for code, label in self.items
        ]

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        checklist = self.checklist()
        return {
            "inspectors": list(data["inspectors"]),
            "started_at": data["started_at"],
            "ended_at": data["ended_at"],
            "location": data["location"],
            "on_site_person": data["on_site_person"],
            "findings": data["findings"],
            "checklist": checklist,
            "problem_found": any(c["result"] == CheckResult.PROBLEM for c in checklist),
        }


class PublishResultForm(TransitionForm):
    public_result = forms.CharField(
        label=_("公开的检查结果"),
        widget=forms.Textarea,
        help_text=_("将在双随机抽查结果公开页面发布，请勿填写个人信息。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        if getattr(case, "problem_found", False):
            self.fields["public_result"].initial = _("发现问题，已依法处理")
        else:
            self.fields["public_result"].initial = _("未发现问题")
