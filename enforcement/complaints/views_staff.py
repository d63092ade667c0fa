"""The staff side of complaints: the intake's 受理台, staff entry of a phone / letter / visit
complaint, opening the reporter's identity (logged), and the 处理意见书 PDF.

Who may do what is the engine's: the views call the rules (`identity.reveal`, `services.submit`,
`Case.objects.visible_to`) and translate their answers into pages.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.complaints import identity as identities
from enforcement.complaints import services
from enforcement.complaints.duplicates import suggestions_for
from enforcement.complaints.opinion_pdf import opinion_pdf
from enforcement.complaints.panel import reply_drafted
from enforcement.complaints.submission import SubmissionForm
from enforcement.models import Complaint, ComplaintState, IntakeChannel
from enforcement.views import jurisdiction_choices
from workflow import selectors
from workflow.models import Case
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionDenied,
    TransitionError,
)
from workflow.views.auth import login_required

PAGE_SIZE = 25

#: The channels a clerk enters by hand (the web and Open311 file themselves).
STAFF_CHANNELS = [
    IntakeChannel.PHONE,
    IntakeChannel.LETTER,
    IntakeChannel.VISIT,
    IntakeChannel.UPPER,
    IntakeChannel.PLATFORM,
]


def _require_intake(request: HttpRequest) -> None:
    if not has_role(request.user, Role.INTAKE):
        raise PermissionDenied(_("只有受理员可以使用受理台。"))


# --- 受理台 --------------------------------------------------------------------------------------


@login_required
@require_GET
def intake_desk(request: HttpRequest) -> HttpResponse:
    _require_intake(request)
    now = timezone.now()
    visible = cast(
        "QuerySet[Complaint]",
        Complaint.objects.visible_to(request.user).select_related(
            "jurisdiction", "responsible_unit"
        ),
    )
    registered = visible.filter(state=ComplaintState.REGISTERED).order_by("received_at", "pk")
    page = Paginator(registered, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"complaint": c, "duplicates": len(suggestions_for(c, request.user))}
        for c in page.object_list
    ]
    callbacks = visible.filter(state=ComplaintState.REPLIED).order_by("replied_at", "pk")
    callback_page = Paginator(callbacks, PAGE_SIZE).get_page(request.GET.get("callback_page"))
    return render(
        request,
        "complaints/staff/intake_desk.html",
        {
            "now": now,
            "page": page,
            "rows": rows,
            "callback_page": callback_page,
        },
    )


# --- staff entry (电话、来信、来访、上级转办) ---------------------------------------------


class StaffComplaintForm(SubmissionForm):
    """The public form's validation (no CAPTCHA: the clerk is signed in), the channel it came
    by, and a bureau among the clerk's own."""

    channel = forms.ChoiceField(
        label=gettext_lazy("来源渠道"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=IntakeChannel.PHONE,
    )

    field_order = ["channel", "jurisdiction", "category"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = jurisdiction_choices(user)
        field.required = True
        field.empty_label = None
        unit = unit_of(user)
        if unit is not None and not self.is_bound:
            field.initial = unit.pk
        self.order_fields(self.field_order)


@login_required
@require_http_methods(["GET", "POST"])
def new_complaint(request: HttpRequest) -> HttpResponse:
    _require_intake(request)
    now = timezone.now()
    form = StaffComplaintForm(request.POST or None, user=request.user, now=now)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = services.submit(
                    form.submission(channel=form.cleaned_data["channel"]),
                    form.identity(),
                    files=request.FILES.getlist("files"),
                    now=now,
                    actor=request.user,
                )
            except TransitionDenied as exc:
                form.add_error("jurisdiction", exc.message)
            except TransitionError as exc:
                for name, errors in (exc.errors or {"__all__": [exc.message]}).items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(
                    request,
                    _("已登记 %(no)s。请告知反映人查询码：%(code)s")
                    % {"no": complaint.case_no, "code": complaint.tracking_code},
                )
                return redirect("console:case_detail", pk=complaint.pk)
        status = 400
    return render(
        request,
        "complaints/staff/complaint_form.html",
        {"form": form, "had_files": bool(request.FILES)},
        status=status,
    )


# --- 查看举报人信息 ----------------------------------------------------------------------


def _complaint_or_404(pk: int) -> Complaint:
    complaint = Complaint.objects.select_related("jurisdiction").filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


@never_cache
@login_required
@require_POST
def reveal_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the reporter's identity for this one response: nothing of it is kept in the session,
    the page is not cached, and every opening is logged by `identity.reveal`."""
    complaint = _complaint_or_404(pk)
    reason = request.POST.get("reason", "")
    try:
        found = identities.reveal(complaint, actor=request.user, reason=reason, now=timezone.now())
    except CaseNotFound:
        raise Http404 from None
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except InvalidTransition as exc:
        response = render(
            request,
            "complaints/staff/reveal.html",
            {"complaint": complaint, "errors": exc.errors.get("reason") or [exc.message]},
            status=400,
        )
    else:
        response = render(
            request,
            "complaints/staff/reveal.html",
            {"complaint": complaint, "identity": found, "reason": reason.strip()},
        )
    return response


# --- 处理意见书 ---------------------------------------------------------------------------------


@login_required
@require_GET
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not isinstance(case, Complaint) or not reply_drafted(case):
        raise Http404
    response = HttpResponse(opinion_pdf(case), content_type="application/pdf")
    filename = f"opinion-{case.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
