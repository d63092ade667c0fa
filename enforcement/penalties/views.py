"""Staff pages of enforcement cases and correction orders: open a case (线索), serve a 责令改正,
and the numbered documents as PDF.

The views translate between HTTP and the services: what a person may see comes from
`visible_to` (anything else is a 404), what they may do from the services and the engine
(`TransitionDenied` → 403, `InvalidTransition` → the form again with the errors, 400).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.models import (
    Complaint,
    CorrectionOrder,
    EnforcementCase,
    Enterprise,
    Inspection,
)
from enforcement.pages import bureau_enterprises, create_page, origin
from enforcement.penalties import documents, services
from enforcement.penalties.open_forms import CorrectionOrderForm, OpenEnforcementForm
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.views.auth import login_required


def _require_inspector(request: HttpRequest) -> Any:
    unit = unit_of(request.user)
    if unit is None or not has_role(request.user, Role.INSPECTOR):
        raise PermissionDenied(_("只有执法人员可以办理执法事项。"))
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def open_enforcement(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # What the person may not see is a 404 before anything else is said about it.
    inspection = origin(request, "inspection", Inspection)
    complaint = origin(request, "complaint", Complaint)
    enterprise = origin(request, "enterprise", Enterprise)
    unit = _require_inspector(request)
    form = OpenEnforcementForm(
        request.POST or None,
        user=request.user,
        region=unit.region(),
        enterprises=bureau_enterprises(request.user).filter(active=True),
        now=now,
        inspection=inspection,
        complaint=complaint,
        enterprise=enterprise,
    )

    def create(data: dict[str, Any]) -> tuple[Any, str]:
        case = services.open_enforcement_case(
            actor=request.user,
            title=data["title"],
            description=data["description"],
            enterprise=data["enterprise"],
            party_name=data["party_name"].strip(),
            clue_source=data["clue_source"],
            clue_at=data["clue_at"],
            investigators=data["investigators"],
            source_inspection=inspection,
            source_complaint=complaint,
            now=now,
        )
        return case, _("已登记案件线索 %(no)s。") % {"no": case.case_no}

    return create_page(
        request,
        form,
        create,
        "penalties/open_case.html",
        {"inspection": inspection, "complaint": complaint, "now": now},
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_correction(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    case = origin(request, "case", EnforcementCase)
    inspection = origin(request, "inspection", Inspection)
    enterprise = origin(request, "enterprise", Enterprise)
    _require_inspector(request)
    enterprises = bureau_enterprises(request.user)
    if case is not None and case.enterprise_id is not None:
        # The order is served on the case's party.
        enterprises = enterprises.filter(pk=case.enterprise_id)
    form = CorrectionOrderForm(
        request.POST or None,
        enterprises=enterprises,
        now=now,
        case=case,
        inspection=inspection,
        enterprise=enterprise,
    )

    def create(data: dict[str, Any]) -> tuple[Any, str]:
        order = services.issue_correction_order(
            actor=request.user,
            enterprise=data["enterprise"],
            violation=data["violation"],
            basis=data["basis"],
            requirement=data["requirement"],
            immediate=data["immediate"],
            correct_by=data["correct_by"],
            served_at=data["served_at"],
            daily_amount=data["daily_amount"],
            enforcement_case=case,
            now=now,
        )
        done = _("已送达责令改正违法行为决定书 %(no)s，复查期限 %(due)s。") % {
            "no": order.order_no,
            "due": f"{order.recheck_due:%Y-%m-%d}",
        }
        return order, done

    return create_page(
        request,
        form,
        create,
        "penalties/open_correction.html",
        {"case": case, "inspection": inspection, "now": now},
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def enforcement_document(request: HttpRequest, pk: int, doc: str) -> HttpResponse:
    case = EnforcementCase.objects.visible_to(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    assert isinstance(case, EnforcementCase)
    content = documents.enforcement_pdf(case, doc)
    if content is None:
        raise Http404
    return _pdf_response(content, f"{doc}-{case.pk}.pdf")


@login_required
@require_GET
def correction_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    order = CorrectionOrder.objects.visible_to(request.user).filter(pk=pk).first()
    if order is None:
        raise Http404
    assert isinstance(order, CorrectionOrder)
    content = documents.correction_pdf(order)
    if content is None:
        raise Http404
    return _pdf_response(content, f"correction-{order.pk}.pdf")
