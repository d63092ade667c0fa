"""The signed-in person's own settings: which channels besides in-app, and quiet hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflow.models import NotificationPreference
from workflow.sms import mask_phone
from workflow.views.auth import login_required

TIME_ERRORS = {
    "required": gettext_lazy("请填写时间。"),
    "invalid": gettext_lazy("请输入有效的时间，例如 22:00。"),
}


class NotificationPreferenceForm(forms.ModelForm):
    quiet_start = forms.TimeField(
        label=gettext_lazy("免打扰开始"),
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=gettext_lazy("免打扰结束"),
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy(
            "北京时间。免打扰时段内不发短信（紧急预警除外），到结束时间再发；"
            "可跨越午夜，如 22:00 至 07:00；开始与结束相同表示不设免打扰。"
        ),
    )

    class Meta:
        model = NotificationPreference
        fields = ["email", "sms", "quiet_start", "quiet_end"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("email") and not self.user.email:
            self.add_error("email", _("您的账号没有登记电子邮箱，无法接收邮件，请联系管理员登记。"))
        if cleaned.get("sms") and not phone_of(self.user):
            self.add_error("sms", _("您的账号没有登记手机号，无法接收短信，请联系管理员登记。"))
        return cleaned


def phone_of(user: Any) -> str:
    staff = getattr(user, "staff", None)
    return staff.phone if staff is not None else ""


def mask_email(address: str) -> str:
    """ch***@example.gov.cn"""
    local, at, domain = address.partition("@")
    if not at:
        return ""
    return f"{local[:2]}***@{domain}"


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # signed in: login_required
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        preference = NotificationPreference(user=user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知设置已保存。"))
        return redirect("console:notification_settings")
    phone = phone_of(user)
    return render(
        request,
        "console/profile.html",
        {
            "form": form,
            "email": mask_email(user.email) if user.email else "",
            "phone": mask_phone(phone) if phone else "",
        },
    )
