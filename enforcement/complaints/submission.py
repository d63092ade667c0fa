"""The one validation of what a member of the public reports, shared by the web form and the
Open311 POST (which must be "validated exactly like the form")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.complaints.identity import Identity
from enforcement.complaints.services import Submission
from enforcement.models import ComplaintCategory, IntakeChannel
from enforcement.validators import normalise_uscc, validate_uscc
from workflow import calendar
from workflow.models import Unit

#: A mainland mobile number, or a landline with its area code (0351-1234567).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
#: 18-character resident ID (GB 11643): 17 digits and a digit or X.
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


def bureau_choices() -> Any:
    """The bureaus a reporter may address (市局 and the 分局/县局), top first."""
    return Unit.objects.regions().active().order_by("path")


class SubmissionForm(forms.Form):
    """Everything but the CAPTCHA and the files (the web form adds those)."""

    category = forms.ChoiceField(label=_("问题类别"), choices=ComplaintCategory.choices)
    target_name = forms.CharField(label=_("被反映单位名称"), max_length=200, required=False)
    target_uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("选填，18位，可在营业执照上找到。"),
    )
    target_address = forms.CharField(label=_("被反映单位地址"), max_length=200, required=False)
    jurisdiction = forms.ModelChoiceField(
        label=_("所在区县"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("不清楚（由市局分办）"),
    )
    location = forms.CharField(label=_("问题发生地点"), max_length=200)
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    description = forms.CharField(
        label=_("问题描述"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明看到、闻到或听到了什么，发生的时段和频率。"),
    )
    since = forms.DateField(
        label=_("问题开始时间"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ongoing = forms.BooleanField(label=_("问题仍在持续"), required=False, initial=True)
    anonymous = forms.BooleanField(label=_("匿名反映"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, required=False)
    address = forms.CharField(
        label=_("联系地址"),
        max_length=200,
        required=False,
        help_text=_("选填，需要书面答复时填写。"),
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        required=False,
        help_text=_("仅申请举报奖励时需要。"),
    )
    wants_reply = forms.BooleanField(label=_("需要答复"), required=False, initial=True)
    wants_reward = forms.BooleanField(label=_("申请举报奖励"), required=False)

    def __init__(self, *args: Any, now: dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = bureau_choices()
        for name, (low, high) in {"latitude": (-90, 90), "longitude": (-180, 180)}.items():
            message = _("%(label)s须在 %(low)d 到 %(high)d 之间。") % {
                "label": self.fields[name].label,
                "low": low,
                "high": high,
            }
            self.fields[name].error_messages.update(min_value=message, max_value=message)
        for text in self.fields.values():
            # Django's Chinese for "Null characters are not allowed" reads as "empty string".
            text.validators = [
                validators.ProhibitNullCharactersValidator(_("不能包含空字符（\\x00）。"))
                if isinstance(v, validators.ProhibitNullCharactersValidator)
                else v
                for v in text.validators
            ]

    def clean_target_uscc(self) -> str:
        code = normalise_uscc(self.cleaned_data.get("target_uscc", ""))
        if code:
            validate_uscc(code)
        return code

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s()（）]", "", self.cleaned_data.get("phone", ""))
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("请填写正确的手机号码或带区号的固定电话。"))
        return phone

    def clean_id_number(self) -> str:
        number = self.cleaned_data.get("id_number", "").strip().upper()
        if number and not ID_NUMBER.match(number):
            raise forms.ValidationError(_("请填写18位身份证号码。"))
        return number

    def clean_since(self) -> Any:
        since = self.cleaned_data.get("since")
        if since is not None and since > calendar.local_date(self.now):
            raise forms.ValidationError(_("开始时间不能晚于今天。"))
        return since

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        anonymous = cleaned.get("anonymous", False)
        coordinates_valid = not {"latitude", "longitude"} & set(self.errors)
        if coordinates_valid and (cleaned.get("latitude") is None) != (
            cleaned.get("longitude") is None
        ):
            self.add_error("longitude", _("经度和纬度须同时填写。"))
        if anonymous:
            if cleaned.get("wants_reward"):
                # 环办执法〔2020〕8号 and the local schemes: rewards are for real-name reports.
                self.add_error("wants_reward", _("举报奖励只适用于实名举报，匿名反映不能申请。"))
            for name in ("name", "phone", "email", "id_number", "address"):
                cleaned[name] = ""
            cleaned["wants_reply"] = False
        else:
            if not cleaned.get("name"):
                self.add_error("name", _("实名反映请填写姓名，或选择匿名反映。"))
            if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
                self.add_error(
                    "phone", _("实名反映请至少留下手机号码或电子邮箱，以便告知办理结果。")
                )
            if cleaned.get("wants_reward"):
                if not cleaned.get("phone") and "phone" not in self.errors:
                    self.add_error("phone", _("申请举报奖励须留下手机号码。"))
                if not cleaned.get("id_number") and "id_number" not in self.errors:
                    self.add_error("id_number", _("申请举报奖励须填写身份证号码。"))
        return cleaned

    def submission(self, *, channel: str = IntakeChannel.WEB) -> Submission:
        data = self.cleaned_data
        jurisdiction = data.get("jurisdiction") or bureau_choices().first()
        return Submission(
            category=data["category"],
            description=data["description"],
            location=data["location"],
            jurisdiction=jurisdiction,
            target_name=data.get("target_name", ""),
            target_uscc=data.get("target_uscc", ""),
            target_address=data.get("target_address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            since=data.get("since"),
            ongoing=bool(data.get("ongoing")),
            anonymous=bool(data.get("anonymous")),
            wants_reply=bool(data.get("wants_reply")),
            wants_reward=bool(data.get("wants_reward")),
            channel=channel,
        )

    def identity(self) -> Identity:
        data = self.cleaned_data
        if data.get("anonymous"):
            return Identity()
        return Identity(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            id_number=data.get("id_number", ""),
            address=data.get("address", ""),
        )
