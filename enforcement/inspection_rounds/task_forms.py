"""Forms of the 反馈问题整改 lists: a problem, a task with its lead and co-units, and the payloads
of the task's transitions (交办, 申请验收, 验收, 审签)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enforcement.complaints.public_forms import ComplaintForm
from enforcement.models import Horizon, RectificationProblem, ReportSchedule
from workflow import calendar
from workflow.forms import AssignForm, TransitionForm
from workflow.models.unit import Unit, UnitKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class TaskAssignForm(AssignForm):
    """交办 a task: a 长期坚持 one has no 完成时限 (its first progress report is due by the end of
    the next period); the others need one."""

    def clean(self) -> dict[str, Any]:
        if self.case.specific.horizon == Horizon.LONG_TERM:  # type: ignore[attr-defined]
            cleaned = forms.Form.clean(self) or {}
            cleaned["rectify_due"] = None
            return cleaned
        return super().clean()


class ApplyAcceptanceForm(TransitionForm):
    self_acceptance = forms.CharField(
        label=_("自行验收情况"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("对照整改目标逐项说明完成情况，并上传佐证材料。"),
    )


class AcceptForm(TransitionForm):
    acceptance_opinion = forms.CharField(
        label=_("验收意见"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("现场核查情况和验收结论；谁验收、谁负责。"),
    )


class SignOffForm(TransitionForm):
    filing_ref = forms.CharField(
        label=_("销号报备文号"),
        max_length=60,
        required=False,
        help_text=_("如：并督改〔2026〕12号"),
    )


class ProblemForm(forms.ModelForm):
    class Meta:
        model = RectificationProblem
        fields = ["number", "text", "origin", "tier"]
        widgets = {"text": TEXTAREA}

    def __init__(self, *args: Any, round: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if RectificationProblem.objects.filter(round=self.round, number=number).exists():
            raise forms.ValidationError(_("问题%(n)d已经登记。") % {"n": number})
        return number


class TaskForm(forms.Form):
    """A task of a problem and its 责任清单: the lead unit, the co-units, the 责任领导."""

    problem = forms.ModelChoiceField(
        label=_("反馈问题"),
        queryset=RectificationProblem.objects.none(),
        empty_label=_("请选择问题"),
    )
    task_no = forms.CharField(label=_("任务编号"), max_length=20, help_text=_("如：1-2"))
    title = forms.CharField(label=_("任务名称"), max_length=200)
    target = forms.CharField(label=_("整改目标"), max_length=4000, widget=TEXTAREA)
    measures = forms.CharField(label=_("整改措施"), max_length=4000, widget=TEXTAREA)
    horizon = forms.ChoiceField(label=_("整改类型"), choices=Horizon.choices)
    rectify_due = forms.DateField(
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("长期坚持的任务不填，按报告周期报告进展。"),
    )
    report_schedule = forms.ChoiceField(
        label=_("报告周期"),
        choices=[("", _("—")), *ReportSchedule.choices],
        required=False,
    )
    milestones = forms.CharField(
        label=_("时间表·路线图"),
        max_length=4000,
        required=False,
        widget=TEXTAREA,
        help_text=_("每行一个节点，如：2027-03-31 完成方案编制"),
    )
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Unit.objects.none(), empty_label=_("请选择牵头单位")
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    leader = forms.CharField(label=_("责任领导"), max_length=100, help_text=_("姓名和职务"))

    def __init__(self, *args: Any, round: Any, now: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.now = now
        problems = self.fields["problem"]
        assert isinstance(problems, forms.ModelChoiceField)
        problems.queryset = round.problems.all()
        units = (
            Unit.objects.subtree_of(round.region)
            .active()
            .exclude(kind=UnitKind.CITY_BUREAU)
            .order_by("path")
        )
        for name in ("lead_unit", "co_units"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        horizon, due = cleaned.get("horizon"), cleaned.get("rectify_due")
        if horizon == Horizon.LONG_TERM:
            cleaned["rectify_due"] = None
            if not cleaned.get("report_schedule"):
                self.add_error("report_schedule", _("长期坚持的任务请选择报告周期。"))
        elif due is None:
            self.add_error("rectify_due", _("请填写完成时限。"))
        elif due <= calendar.local_date(self.now):
            self.add_error("rectify_due", _("完成时限必须晚于今天。"))
        lead, co = cleaned.get("lead_unit"), cleaned.get("co_units") or []
        if lead is not None and lead in co:
            self.add_error("co_units", _("牵头单位不必再列为配合单位。"))
        problem = cleaned.get("problem")
        if problem is not None and problem.tasks.filter(task_no=cleaned.get("task_no")).exists():
            self.add_error("task_no", _("该问题下已有此编号的任务。"))
        return cleaned


class ObjectionForm(forms.Form):
    """The public's written objection to a 公示 (no name or contact asked for)."""

    grounds = forms.CharField(
        label=_("异议理由"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明整改未完成或不到位的具体情况（地点、时间、现状），至少10个字。"),
    )
    captcha = ComplaintForm.base_fields["captcha"]
