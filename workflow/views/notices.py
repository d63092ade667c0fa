"""Issuing a notice from the case page, and an issued notice as its print-friendly page.

The PDF is an attachment of the issuing event, served by the evidence view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from workflow import calendar, notices, selectors
from workflow.models import Case, Unit
from workflow.transitions import CaseNotFound, TransitionDenied
from workflow.views.auth import login_required


class IssueNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("文书类型"))
    addressee = forms.ModelChoiceField(
        label=gettext_lazy("主送单位"), queryset=Unit.objects.none(), empty_label=None
    )
    response_due = forms.DateField(
        label=gettext_lazy("书面回复期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("要求主送单位书面回复的，填写回复期限；系统将据此计时。"),
    )
    body = forms.CharField(
        label=gettext_lazy("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "留空则按文书类型生成标准正文，只含案件编号、名称、责任单位和期限，不含情况描述。"
        ),
    )

    def __init__(self, *args: Any, case: Case, user: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k.value, k.label) for k in notices.issuable_kinds(user, case)]
        addressee_field = self.fields["addressee"]
        assert isinstance(addressee_field, forms.ModelChoiceField)
        addressee_field.queryset = notices.addressee_choices(case)
        addressee_field.initial = case.responsible_unit_id

    def clean_response_due(self) -> dt.date | None:
        due: dt.date | None = self.cleaned_data.get("response_due")
        if due is not None and due <= self.today:
            raise forms.ValidationError(_("书面回复期限须晚于今天。"))
        return due


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """签发文书: the form; its POST handed to `issue_notice()`, which decides who may."""
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not notices.issuable_kinds(request.user, case):
        raise PermissionDenied(_("您无权对本案签发文书。"))
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    form = IssueNoticeForm(data, case=case, user=request.user, today=calendar.local_date(now))
    if data is not None and form.is_valid():
        try:
            notice = notices.issue_notice(
                case,
                form.cleaned_data["kind"],
                actor=request.user,
                addressee=form.cleaned_data["addressee"],
                body=form.cleaned_data["body"],
                response_due=form.cleaned_data["response_due"],
                now=now,
            )
        except CaseNotFound:
            raise Http404 from None
        except TransitionDenied as exc:
            raise PermissionDenied(exc.message) from None
        messages.success(request, _("已签发%(number)s。") % {"number": notice.number})
        return redirect("console:notice", pk=notice.pk)
    status = 400 if data is not None else 200
    return render(request, "notices/issue.html", {"case": case, "form": form}, status=status)


@login_required
@require_safe
def notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of a case the user may see; any other is a 404, as a missing one is."""
    notice = selectors.visible_notice(request.user, pk)
    if notice is None:
        raise Http404
    response = render(request, "notices/page.html", {"notice": notice})
    response["Cache-Control"] = "private, no-store"
    return response
