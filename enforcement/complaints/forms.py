"""Payload forms of the complaint's transitions (the engine validates with them, the console
renders them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enforcement.models import Complaint, NotAcceptedReason, Rating, ReplyOutcome, Track
from workflow import calendar
from workflow.forms import TransitionForm
from workflow.models.case import Clock
from workflow.record_language import in_record_language


def handling_days(track: str) -> int:
    if track == Track.PETITION:
        return int(settings.ECOLOOP_PETITION_HANDLING_DAYS)
    return int(settings.ECOLOOP_REPORT_HANDLING_DAYS)


class AcceptForm(TransitionForm):
    track = forms.ChoiceField(
        label=_("办理类别"),
        choices=Track.choices,
        help_text=_("举报违法行为的按举报办理（依法查处）；其余诉求按信访办理（出具处理意见书）。"),
    )

    def transition_kwargs(self) -> dict[str, Any]:
        track = self.cleaned_data["track"]
        # 第三十四条: 60 days from acceptance, the start day not counted, a last day that is a
        # holiday rolled to the next working day.
        due = calendar.add_period(calendar.local_date(self.now), handling_days(track), Clock.DAYS)
        return {"track": track, "handle_due": due.date}


class PublicReasonMixin(forms.Form):
    public_reason = forms.CharField(
        label=_("向反映人说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将显示在反映人的查询页面上，请勿写入内部意见。"),
    )


#: The standard explanation the reporter reads for each reason (《信访工作条例》第二十三条、
#: 第三十一条; 部令第15号's acceptance rules); the clerk may write their own instead.
REASON_TEMPLATES = {
    NotAcceptedReason.OUTSIDE_COMPETENCE: _(
        "经审查，您反映的事项不属于生态环境部门的职责范围，本机关不予受理。请向有权处理的机关反映。"
    ),
    NotAcceptedReason.LEGAL_PROCEDURE: _(
        "经审查，您反映的事项应当通过诉讼、仲裁、行政复议等法定途径解决，本机关不予受理。"
    ),
    NotAcceptedReason.ALREADY_ACCEPTED: _(
        "您反映的事项已经受理，正在办理中，本次不再重复受理。办理结果将在原件中答复。"
    ),
    NotAcceptedReason.REVIEWED: _("您反映的事项已经复查、复核终结，对同一事实和理由不再受理。"),
    NotAcceptedReason.UNCLEAR: _(
        "您反映的内容不够具体，无法核实。欢迎补充具体地点、时间和情况后重新反映。"
    ),
    NotAcceptedReason.OTHER: _("经审查，您反映的事项不予受理。"),
}


class NotAcceptForm(PublicReasonMixin, TransitionForm):
    field_order = ["reason", "public_reason"]
    reason = forms.ChoiceField(label=_("不予受理理由"), choices=NotAcceptedReason.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["public_reason"]
        field.required = False
        field.help_text = _(
            "留空则使用所选理由的标准说明。将显示在反映人的查询页面上，请勿写入内部意见。"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        reason = cleaned.get("reason")
        if reason and not (cleaned.get("public_reason") or "").strip():
            with in_record_language():
                cleaned["public_reason"] = str(REASON_TEMPLATES[NotAcceptedReason(reason)])
        return cleaned

    def transition_kwargs(self) -> dict[str, Any]:
        return {
            "reason": self.cleaned_data["reason"],
            "public_reason": self.cleaned_data["public_reason"],
        }


class RedirectForm(PublicReasonMixin, TransitionForm):
    field_order = ["redirect_to", "public_reason"]
    redirect_to = forms.CharField(
        label=_("应当通过的途径或机关"),
        max_length=200,
        help_text=_("如：向人民法院提起诉讼；向市场监督管理部门反映。"),
    )


class MergeForm(TransitionForm):
    """The original is named by its case number; the triage page lists the suggested ones."""

    original = forms.CharField(
        label=_("合并至（原件编号）"),
        max_length=60,
        help_text=_(
            "填写原件的案件编号，如 小店诉〔2026〕0001号；系统提示的疑似重复件可直接选用。"
        ),
    )

    def clean_original(self) -> Complaint:
        from enforcement.complaints.duplicates import NOT_AN_ORIGINAL, root_of

        number = self.cleaned_data["original"].strip()
        found = (
            Complaint.objects.visible_to(self.user).filter(case_no=number).first()
            if self.user is not None
            else None
        )
        if found is None:
            raise forms.ValidationError(_("找不到编号为“%(no)s”的信访投诉件。") % {"no": number})
        assert isinstance(found, Complaint)
        found = root_of(found)
        if found.pk == self.case.pk:
            raise forms.ValidationError(_("不能合并到本件自身。"))
        if found.state in NOT_AN_ORIGINAL:
            raise forms.ValidationError(
                _("%(no)s 已办结或不在办理中，不能作为原件；请按新件受理。") % {"no": found.case_no}
            )
        return found


class ReplyDraftForm(TransitionForm):
    """信访处理意见书 (第三十二条) for a petition; the reply to the reporter for a report."""

    reply_request = forms.CharField(
        label=_("信访请求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply_facts = forms.CharField(
        label=_("事实和理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_opinion = forms.CharField(
        label=_("处理意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("答复反映人的内容，签发后在查询页面公开。"),
    )
    reply_basis = forms.CharField(
        label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply_outcome = forms.ChoiceField(label=_("处理结论"), choices=ReplyOutcome.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("reply_request", "reply_facts", "reply_opinion", "reply_basis"):
                self.fields[name].initial = getattr(self.case, name, "")
            if getattr(self.case, "reply_outcome", ""):
                self.fields["reply_outcome"].initial = self.case.reply_outcome  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if getattr(self.case, "track", "") == Track.PETITION:
            # 第三十二条: a 信访处理意见书 states the request, the facts and reasons, the opinion
            # and its basis.
            for name in ("reply_request", "reply_facts", "reply_basis"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("信访件的处理意见书须载明此项。"))
        return cleaned


class ExtendHandlingForm(TransitionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = int(settings.ECOLOOP_HANDLING_EXTENSION_MAX_DAYS)
        self.fields["days"] = forms.IntegerField(
            label=_("延长天数"),
            min_value=1,
            max_value=limit,
            help_text=_("经本机关负责人批准，最多延长%(n)d日，并告知反映人。") % {"n": limit},
        )

    def transition_kwargs(self) -> dict[str, Any]:
        days = self.cleaned_data["days"]
        base = self.case.handle_due  # type: ignore[attr-defined]
        return {"days": days, "handle_due": calendar.add_days(base, days).date}


class RateForm(TransitionForm):
    rating = forms.ChoiceField(
        label=_("评价"),
        choices=[
            (Rating.SATISFIED, Rating.SATISFIED.label),
            (Rating.BASICALLY, Rating.BASICALLY.label),
        ],
    )
