"""分办: a dispatcher splits a case among several units — each co-unit gets a child case with its
own requirement and deadline, opened and assigned by `workflow.relations.open_child_case`. The
parent shows its children's states and is closed (销号) only when every child is."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflow import selectors
from workflow.forms import AssignForm
from workflow.models import Case
from workflow.permissions import has_role
from workflow.relations import open_child_case
from workflow.roles import Role
from workflow.transitions import CaseNotFound, TransitionError
from workflow.views.auth import login_required


class SplitForm(AssignForm):
    """One more unit's share: the unit, what it must do, and its deadline."""

    field_order = ["responsible_unit", "note", "rectify_period", "rectify_clock", "rectify_due"]
    note = forms.CharField(
        label=gettext_lazy("分办要求"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("该单位承担的部分和要求，将写入子案件的办理记录。"),
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


def may_split(user: Any, case: Case) -> bool:
    return bool(
        case.case_type.splits and case.closed_at is None and has_role(user, Role.DISPATCHER)
    )


@login_required
@require_http_methods(["GET", "POST"])
def split_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not case.case_type.splits:
        raise Http404
    if not may_split(request.user, case):
        raise PermissionDenied
    now = timezone.now()
    form = SplitForm(request.POST or None, case=case, user=request.user, now=now)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            unit = form.cleaned_data["responsible_unit"]
            try:
                child = open_child_case(
                    case,
                    actor=request.user,
                    responsible_unit=unit,
                    rectify_due=form.cleaned_data["rectify_due"],
                    note=form.cleaned_data["note"],
                    now=now,
                )
            except CaseNotFound:
                raise Http404 from None
            except TransitionError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已分办给%(unit)s（%(no)s）。") % {"unit": unit.name, "no": child.case_no},
                )
                return redirect("console:case_detail", pk=case.pk)
    children = Case.objects.visible_to(request.user).filter(parent=case).order_by("created_at")
    return render(
        request,
        "console/case_split.html",
        {"case": case, "form": form, "children": children.select_related("responsible_unit")},
        status=status,
    )
