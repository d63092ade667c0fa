"""关联案件: link this case to another by its number, with a kind (一案双查, 相关 …).

The link is written by `workflow.relations.link_cases` (an event on both timelines); the case
pages list links in both directions. Only cases the person may see can be linked: another case
number is looked up among them, so a number outside their reach reads as unknown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflow import selectors
from workflow.models import Case
from workflow.models.case import LinkKind
from workflow.relations import link_cases
from workflow.transitions import CaseNotFound, TransitionError
from workflow.views.auth import login_required

#: 重复件 is the intake's merge, not a free link.
KINDS = [k for k in LinkKind if k != LinkKind.DUPLICATE_OF]


class LinkForm(forms.Form):
    other = forms.CharField(label=gettext_lazy("关联案件编号"), max_length=40)
    kind = forms.ChoiceField(
        label=gettext_lazy("关联类型"),
        choices=[(k.value, k.label) for k in KINDS],
        initial=LinkKind.RELATED,
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.fields["other"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "off"})

    def clean_other(self) -> Case:
        number = self.cleaned_data["other"].strip()
        other = Case.objects.visible_to(self.user).filter(case_no=number).first()
        if other is None:
            raise forms.ValidationError(_("未找到该编号的案件，或您无权查看。"))
        if other.pk == self.case.pk:
            raise forms.ValidationError(_("案件不能与自身关联。"))
        return other


@login_required
@require_http_methods(["GET", "POST"])
def link_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    form = LinkForm(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            other = form.cleaned_data["other"]
            try:
                link_cases(
                    case,
                    other,
                    kind=LinkKind(form.cleaned_data["kind"]),
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    now=timezone.now(),
                )
            except CaseNotFound:
                raise Http404 from None
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已将本案与 %(no)s 关联。") % {"no": other.case_no})
                return redirect("console:case_detail", pk=case.pk)
        status = 400
    return render(
        request,
        "console/case_links.html",
        {"case": case, "form": form, "related": selectors.related_cases(case, request.user)},
        status=status,
    )
