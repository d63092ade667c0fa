"""The public's forms: the complaint form (the shared validation plus files and a CAPTCHA), the
rating of a reply and the 复查 request."""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.complaints.submission import SubmissionForm
from enforcement.models import Rating
from workflow import evidence

#: What the file picker offers (the server sniffs the bytes regardless of what the name says).
ACCEPTED_FILES = ",".join(["image/jpeg", "image/png", "image/webp", "application/pdf"])


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs in one input; each is checked by `workflow.evidence` on submit."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(f, initial) for f in files if f]


class ChineseCaptchaInput(CaptchaTextInput):
    template_name = "complaints/public/_captcha_widget.html"


class ComplaintForm(SubmissionForm):
    """The web form: `SubmissionForm` (shared with Open311), the files and an offline CAPTCHA."""

    # Not "files": that name is the form's own attribute (the uploaded files by field).
    attachments = MultipleFileField(
        label=_("照片或文件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_FILES}),
    )
    captcha = CaptchaField(
        label=_("验证码"),
        widget=ChineseCaptchaInput(),
        help_text=_("请输入图中的4个字符，不区分大小写。看不清可点“换一张”。"),
        error_messages={
            "required": _("请输入图中的验证码。"),
            "invalid": _("验证码不正确或已过期，请输入新图片中的验证码。"),
        },
    )

    #: The required fields' message names the field; the rest keep Django's (in Chinese).
    REQUIRED_MESSAGES = {
        "category": _("请选择问题类别。"),
        "location": _("请填写问题发生的地点。"),
        "description": _("请描述您看到、闻到或听到的问题。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                # Django's own wording names a "变量"; the public reads a count of characters.
                field.error_messages["max_length"] = _(
                    "最多填写%(limit_value)d个字（现在%(show_value)d个）。"
                )
        self.fields["description"].error_messages["min_length"] = _(
            "问题描述至少写10个字，请写明问题的情况、时段和频率。"
        )
        self.fields["attachments"].help_text = gettext(
            "选填，最多%(n)d个：JPEG、PNG、WebP 照片或 PDF 文件。照片中的拍摄位置等信息会被去除。"
        ) % {"n": evidence.MAX_FILES}
        self.fields["category"].choices = [("", _("请选择")), *self.fields["category"].choices]  # type: ignore[attr-defined]
        hints = {
            "target_name": _("如：某某化工有限公司、某某饭店"),
            "location": _("如：小店区北格镇张花村砖厂东侧"),
            "phone": _("如：13800000000"),
        }
        for name, hint in hints.items():
            self.fields[name].widget.attrs["placeholder"] = hint
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    @classmethod
    def refilled(cls, data: Any, *, now: Any) -> ComplaintForm:
        """An unbound form showing what was posted, for a submission refused before it was
        read (the rate limit): the typed text is kept, nothing is validated or consumed."""
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if name in ("attachments", "captcha"):
                continue
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
            elif name in data:
                initial[name] = data.get(name)
        return cls(initial=initial, now=now)


RATING_CHOICES = [
    (Rating.SATISFIED, Rating.SATISFIED.label),
    (Rating.BASICALLY, Rating.BASICALLY.label),
    (Rating.DISSATISFIED, Rating.DISSATISFIED.label),
]


class SeenStateMixin(forms.Form):
    """The state the reporter saw when the page was drawn: if the complaint moved since (rated
    elsewhere, closed unrated), the engine refuses with a conflict instead of acting on it."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)


class PublicRatingForm(SeenStateMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("您对答复的评价"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    reason = forms.CharField(
        label=_("不满意的理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选择“不满意”时必填：请写明哪些问题没有解决，我们将重新办理。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("rating") == Rating.DISSATISFIED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("选择“不满意”时请写明理由。"))
        return cleaned


class ReviewRequestForm(SeenStateMixin, forms.Form):
    reason = forms.CharField(
        label=_("申请复查的理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请写明您对处理意见不服的事实和理由，上一级机关将在30日内出具复查意见。"),
        error_messages={"required": _("请写明申请复查的理由。")},
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交时页面和短信中给出的12位查询码，如 ABCD-EFGH-JKMN，不区分大小写。"),
        error_messages={"required": _("请输入查询码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
