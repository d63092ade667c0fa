"""审批台 (the approval queue): 销号 and 延期 decisions of supervisors and leaders.

The views translate HTTP into `transition_case` calls; the engine decides who may (separation of
duties included) and refuses what is not allowed: TransitionDenied → 403, CaseNotFound → 404,
InvalidTransition → the queue again with the message, 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enforcement.approvals import services
from workflow import leadership
from workflow.models import Case
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionDenied,
    TransitionError,
    transition_case,
)
from workflow.views.auth import login_required

TEMPLATE = "approvals/queue.html"


def _require_decider(user: Any) -> None:
    if not has_role(user, Role.SUPERVISOR, Role.LEADER):
        raise PermissionDenied(_("只有分管领导和局领导可以使用审批台。"))


def _page(
    request: HttpRequest, *, error_pk: int | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    items = services.items(user, now)
    is_leader = has_role(user, Role.LEADER)
    if error_pk is not None and all(i.case.pk != error_pk for i in items):
        error_pk = None  # the case left the queue meanwhile: the message goes on top
    context = {
        "closures": [i for i in items if i.is_closure],
        "extensions": [i for i in items if not i.is_closure],
        "count": len(items),
        "bulk_count": sum(1 for i in items if i.bulk_safe),
        "is_leader": is_leader,
        "suggestions": leadership.suggestions_for(user).count() if is_leader else 0,
        "error_pk": error_pk,
        "error": error,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """待销号 and 延期申请 awaiting the user's decision, each with its evidence side by side."""
    _require_decider(request.user)
    return _page(request)


def _visible(user: Any, pk: int) -> Case:
    case = Case.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _decision(case: Case, decision: str, request: HttpRequest) -> tuple[str, dict[str, Any]]:
    """The transition and payload a decision stands for on this case."""
    if case.state == "pending_closure":
        return ("approve_closure" if decision == "approve" else "reject_closure"), {}
    if decision == "approve":
        days = request.POST.get("days") or case.pending_extension_days
        return "approve_extension", {"days": days}
    return "reject_extension", {}


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """批准 or 不予批准 one item; a refusal needs a reason."""
    _require_decider(request.user)
    case = _visible(request.user, pk)
    decision = request.POST.get("decision")
    reason = request.POST.get("reason", "").strip()
    if decision not in ("approve", "reject"):
        return _page(request, error_pk=pk, error=_("请选择批准或不予批准。"), status=400)
    if decision == "reject" and not reason:
        return _page(request, error_pk=pk, error=_("不予批准须说明理由。"), status=400)
    name, payload = _decision(case, decision, request)
    try:
        transition_case(
            case,
            name,
            actor=request.user,
            note=reason,
            payload=payload,
            now=timezone.now(),
            expected_state=request.POST.get("state") or None,
        )
    except CaseNotFound:
        raise Http404 from None
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except TransitionError as exc:
        error = " ".join([exc.message, *_flat(exc)])
        return _page(request, error_pk=pk, error=error, status=exc.status)
    messages.success(
        request,
        _("%(case_no)s：已批准。") % {"case_no": case.case_no}
        if decision == "approve"
        else _("%(case_no)s：已不予批准。") % {"case_no": case.case_no},
    )
    return redirect(reverse("enforcement:approvals"))


def _flat(exc: TransitionError) -> list[str]:
    errors = exc.errors if isinstance(exc, InvalidTransition) else {}
    return [msg for msgs in (errors or {}).values() for msg in msgs]


class _BatchRefused(Exception):
    def __init__(self, case: Case | None, message: str) -> None:
        super().__init__(message)
        self.case = case
        self.message = message


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """批量销号: each chosen case through the engine, in one transaction; one refusal refuses all.

    Only 销号 items whose verification passed and that have no open child case qualify.
    """
    _require_decider(request.user)
    user = request.user
    now = timezone.now()
    try:
        pks = sorted({int(pk) for pk in request.POST.getlist("cases")})
    except ValueError:
        pks = []
    if not pks:
        return _page(request, error=_("请至少勾选一件待销号案件。"), status=400)
    reason = request.POST.get("reason", "").strip()
    try:
        with transaction.atomic():
            for pk in pks:
                case = Case.objects.visible_to(user).filter(pk=pk).first()
                if case is None:
                    raise _BatchRefused(None, _("案件不存在或您无权查看。"))
                if not services.build(case, now).bulk_safe:
                    raise _BatchRefused(
                        case, _("不符合批量销号条件（须核查通过且无未办结的子案件）。")
                    )
                try:
                    transition_case(
                        case,
                        "approve_closure",
                        actor=user,
                        note=reason,
                        now=now,
                        expected_state="pending_closure",
                    )
                except TransitionError as exc:
                    raise _BatchRefused(case, exc.message) from None
    except _BatchRefused as refused:
        if refused.case is None:
            raise Http404 from None
        error = _("%(case_no)s：%(message)s 本批次均未销号。") % {
            "case_no": refused.case.case_no,
            "message": refused.message,
        }
        # The batch as a whole is refused, whatever the reason for the one case (even a 403).
        return _page(request, error_pk=refused.case.pk, error=error, status=400)
    messages.success(request, _("已批量销号 %(n)d 件。") % {"n": len(pks)})
    return redirect(reverse("enforcement:approvals"))
