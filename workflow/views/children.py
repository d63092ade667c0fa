"""分办: a dispatcher splits a case among several units in one form — each co-unit gets a child
case with its own requirement and deadline (`workflow.relations.split_case`). The parent shows
its children's states; its lead unit reports for all once they have reported, and it is closed
(销号) only when every child is."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from workflow import selectors
from workflow.forms import split_formset
from workflow.models import Case
from workflow.permissions import has_role
from workflow.relations import split_case
from workflow.roles import Role
from workflow.transitions import CaseNotFound, TransitionError
from workflow.views.auth import login_required

#: Blank rows of the console's form: the lead unit and up to three co-units at a time.
BLANK_ROWS = 3


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
    formset = split_formset(
        case, request.user, now, request.POST or None, required=0, extra=BLANK_ROWS
    )
    status = 200
    refused: list[str] = []
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            try:
                made = split_case(case, formset.shares(), actor=request.user, now=now)
            except CaseNotFound:
                raise Http404 from None
            except TransitionError as exc:
                refused.append(exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已分办给%(units)s。")
                    % {
                        "units": pgettext("list separator", "、").join(
                            _("%(unit)s（%(no)s）")
                            % {"unit": c.responsible_unit.name, "no": c.case_no}
                            for c in made
                            if c.responsible_unit is not None
                        )
                    },
                )
                return redirect("console:case_detail", pk=case.pk)
    children = Case.objects.visible_to(request.user).filter(parent=case).order_by("created_at")
    return render(
        request,
        "console/case_split.html",
        {
            "case": case,
            "formset": formset,
            "refused": refused,
            "children": children.select_related("responsible_unit"),
        },
        status=status,
    )
