"""新建督办事项: a dispatcher opens a supervision item, which then enters the closed loop."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from enforcement.models import SupervisionItem, SupervisionSource
from workflow.models import Unit
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.transitions import InvalidTransition, TransitionDenied, open_case


def jurisdiction_choices(user: Any) -> Any:
    """The bureaus a person may open a case in: their own and those below it."""
    unit = unit_of(user)
    if unit is None:
        return Unit.objects.none()
    return Unit.objects.subtree_of(unit).regions().active()


class SupervisionItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("情况描述"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("管辖单位"), queryset=Unit.objects.none(), empty_label=None
    )
    source = forms.ChoiceField(
        label=gettext_lazy("来源"),
        choices=SupervisionSource.choices,
        initial=SupervisionSource.DAILY,
    )
    location = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    requirement = forms.CharField(
        label=gettext_lazy("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = jurisdiction_choices(user)


@login_required
@require_http_methods(["GET", "POST"])
def create_supervision_item(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.DISPATCHER):
        raise PermissionDenied(_("只有调度员可以新建督办事项。"))
    # A page opened from an agenda line (周调度) comes with the item's title, source and
    # requirement filled in; the dispatcher reads and changes them before saving.
    initial = {
        name: request.GET[name][:2000]
        for name in ("title", "description", "requirement", "location")
        if request.GET.get(name)
    }
    if request.GET.get("source") in SupervisionSource.values:
        initial["source"] = request.GET["source"]
    form = SupervisionItemForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = open_case(
                    SupervisionItem,
                    actor=request.user,
                    jurisdiction=data["jurisdiction"],
                    title=data["title"],
                    description=data["description"],
                    source=data["source"],
                    location=data["location"],
                    requirement=data["requirement"],
                    now=timezone.now(),
                )
            except TransitionDenied as exc:
                form.add_error("jurisdiction", exc.message)
            except InvalidTransition as exc:
                for name, errors in (exc.errors or {"__all__": [exc.message]}).items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("已新建督办事项 %(no)s。") % {"no": case.case_no})
                return redirect("console:case_detail", pk=case.pk)
        status = 400
    return render(request, "enforcement/supervision_item_form.html", {"form": form}, status=status)
