"""Staff pages of damage compensation: open a clue (standalone or 一案双查 from an enforcement
case or a complaint) and the quarter's screening batch.

What a person may see comes from `visible_to` (anything else is a 404); what they may do from
the rules and the engine (`TransitionDenied` → 403, `InvalidTransition` → the form again with
the errors, 400). The metrics pages are `metrics_views`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enforcement.damage import services
from enforcement.damage.open_forms import BATCH_PATTERN, DamageClueForm, ScreeningForm
from enforcement.models import Complaint, DamageCase, DamageState, EnforcementCase
from enforcement.pages import apply_errors, create_page
from enforcement.pages import origin as visible_origin
from workflow import calendar
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.transitions import TransitionError, transition_case
from workflow.views.auth import login_required

HANDLER_ROLES = (Role.INSPECTOR, Role.LEGAL_REVIEWER, Role.DISPATCHER)


def may_open_clue(user: Any, origin: Any = None) -> bool:
    """On an origin case: `enforcement.damage_handle` on it; standalone: a case handler's role
    (执法人员, 法制审核员, 调度员) in a unit."""
    if origin is not None:
        return bool(rules.test_rule("enforcement.damage_handle", user, origin))
    return unit_of(user) is not None and has_role(user, *HANDLER_ROLES)


@login_required
@require_http_methods(["GET", "POST"])
def create_clue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    # What the person may not see is a 404 before anything else is said about it.
    enforcement = visible_origin(request, "enforcement", EnforcementCase)
    complaint = None if enforcement is not None else visible_origin(request, "complaint", Complaint)
    origin = enforcement or complaint
    if not may_open_clue(request.user, origin):
        raise PermissionDenied(_("您无权登记生态环境损害赔偿线索。"))
    form = DamageClueForm(
        request.POST or None, now=now, enforcement=enforcement, complaint=complaint
    )

    def create(_data: dict[str, Any]) -> tuple[Any, str]:
        fields = form.service_fields()
        if enforcement is not None:
            case = services.clue_from_enforcement(
                enforcement, actor=request.user, now=now, **fields
            )
        elif complaint is not None:
            case = services.clue_from_complaint(complaint, actor=request.user, now=now, **fields)
        else:
            case = services.open_damage_clue(actor=request.user, now=now, **fields)
        return case, _("已登记生态环境损害赔偿线索 %(no)s，初步核查期限 %(due)s。") % {
            "no": case.case_no,
            "due": f"{case.prelim_due:%Y-%m-%d}",
        }

    return create_page(
        request,
        form,
        create,
        "damage/open_clue.html",
        {"enforcement": enforcement, "complaint": complaint, "origin": origin},
    )


def quarter_end(batch: str) -> dt.datetime | None:
    """The last moment (Beijing) of a batch like 2026Q4; None if it is not one."""
    match = BATCH_PATTERN.match(batch)
    if match is None:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    month = quarter * 3
    last = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(
        days=1
    )
    return calendar.end_of_day(last)


def _screen_all(
    clues: list[DamageCase], action: str, reason: str, note: str, batch: str, user: Any, now: Any
) -> None:
    """Screen every chosen clue, or none: the first refusal undoes the batch."""
    name = "screen_in" if action == ScreeningForm.IN else "screen_out"
    with transaction.atomic():
        for clue in clues:
            payload: dict[str, Any] = {"screening_batch": batch}
            if name == "screen_out":
                payload["not_started_reason"] = reason
            try:
                transition_case(clue, name, actor=user, payload=payload, note=note, now=now)
            except TransitionError as exc:
                raise TransitionError(
                    _("%(no)s：%(message)s") % {"no": clue.case_no, "message": exc.message},
                    exc.errors,
                ) from None


@login_required
@require_http_methods(["GET", "POST"])
def screening(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    batch = (request.GET.get("batch") or services.quarter_of(now)).strip().upper()
    end = quarter_end(batch)
    status = 200
    if end is None:
        messages.error(request, _("筛查批次格式应为“年份Q季度”，如 2026Q4。"))
        batch, end, status = services.quarter_of(now), quarter_end(services.quarter_of(now)), 400
    assert end is not None
    visible = cast("QuerySet[DamageCase]", DamageCase.objects.visible_to(request.user))
    visible = visible.select_related("jurisdiction")
    pending = list(
        visible.filter(state=DamageState.CLUE, clue_received_at__lte=end).order_by(
            "clue_received_at", "pk"
        )
    )
    screened = list(
        visible.filter(screening_batch=batch)
        .exclude(screened_at=None)
        .order_by("-screened_at", "-pk")
    )
    today = calendar.local_date(now)
    form = ScreeningForm(request.POST or None, clues=pending)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = [c for c in pending if c.pk in set(form.cleaned_data["clues"])]
            try:
                _screen_all(
                    chosen,
                    form.cleaned_data["action"],
                    form.cleaned_data.get("not_started_reason") or "",
                    form.cleaned_data.get("note") or "",
                    batch,
                    request.user,
                    now,
                )
            except TransitionError as exc:
                apply_errors(form, exc)
                form.add_error(None, _("本批次未作任何筛查，请修改后重试。"))
            else:
                messages.success(
                    request,
                    _("已筛查 %(n)d 条线索（%(batch)s）。") % {"n": len(chosen), "batch": batch},
                )
                return redirect(f"{request.path}?batch={batch}")
    return render(
        request,
        "damage/screening.html",
        {
            "batch": batch,
            "quarter_end": end,
            "form": form,
            "rows": [
                {"case": c, "overdue": c.prelim_due is not None and today > c.prelim_due}
                for c in pending
            ],
            "screened": screened,
            "can_screen": has_role(request.user, *HANDLER_ROLES),
            "now": now,
        },
        status=status,
    )
