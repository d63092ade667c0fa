"""周调度 and 月通报 pages, under /enforcement/rhythm/: the latest agenda of the person's bureau
(or one chosen), the bulletins with their PDF, and a leader's decision on a 问责建议."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from enforcement.models import (
    AccountabilitySuggestion,
    MonthlyBulletin,
    SuggestionStatus,
    WeeklyAgenda,
)
from enforcement.rhythm import monthly, weekly
from enforcement.rhythm.views import chosen, within_reach
from workflow.documents import render_pdf
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.views.auth import login_required


@login_required
@require_GET
def weekly_agenda(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agendas = within_reach(request, WeeklyAgenda.objects.select_related("region"))
    agenda = chosen(request, agendas, pk, "first_day")
    return render(
        request,
        "rhythm/weekly.html",
        {
            "agenda": agenda,
            "intact": agenda is not None and weekly.verify(agenda),
            "others": agendas.order_by("-first_day", "region__path")[:20],
            # 会议交办 (a 督办事项) and 调度令 are a dispatcher's steps.
            "may_act": has_role(request.user, Role.DISPATCHER),
        },
    )


def _visible_bulletin(request: HttpRequest, pk: int) -> MonthlyBulletin:
    bulletin = (
        within_reach(request, MonthlyBulletin.objects.select_related("region", "snapshot"))
        .filter(pk=pk)
        .first()
    )
    if bulletin is None:
        raise Http404
    return bulletin


def may_decide(user: Any, bulletin: MonthlyBulletin) -> bool:
    """A leader of the bulletin's bureau (or above) decides its 问责建议."""
    unit = unit_of(user)
    if user.is_superuser:
        return True
    return (
        unit is not None and has_role(user, Role.LEADER) and bulletin.region.is_within(unit.reach())
    )


@login_required
@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    bulletins = within_reach(request, MonthlyBulletin.objects.select_related("region"))
    return render(request, "rhythm/bulletins.html", {"bulletins": bulletins[:60]})


def _bulletin_page(
    request: HttpRequest,
    bulletin: MonthlyBulletin,
    *,
    failed: DecisionForm | None = None,
    failed_pk: int | None = None,
) -> HttpResponse:
    suggestions = bulletin.suggestions.select_related("unit", "decided_by").order_by("unit__code")
    rows = [
        (s, failed if s.pk == failed_pk and failed is not None else DecisionForm(prefix=f"s{s.pk}"))
        for s in suggestions
    ]
    return render(
        request,
        "rhythm/bulletin.html",
        {
            "bulletin": bulletin,
            "intact": monthly.verify(bulletin),
            "rows": rows,
            "may_decide": may_decide(request.user, bulletin),
        },
        status=400 if failed is not None else 200,
    )


@login_required
@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _bulletin_page(request, _visible_bulletin(request, pk))


@login_required
@require_GET
def bulletin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _visible_bulletin(request, pk)
    response = HttpResponse(render_pdf(monthly.document(bulletin)), content_type="application/pdf")
    name = quote(f"{bulletin.number}.pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    return response


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("决定"),
        choices=[
            (SuggestionStatus.ADOPTED, gettext_lazy("采纳，予以问责")),
            (SuggestionStatus.DISMISSED, gettext_lazy("不予采纳")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("决定意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("写明理由，如问责方式或不予问责的原因。"),
    )


@login_required
@require_POST
def decide_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = (
        AccountabilitySuggestion.objects.select_related("bulletin__region", "unit")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404
    bulletin = _visible_bulletin(request, suggestion.bulletin_id)
    if not may_decide(request.user, bulletin):
        raise PermissionDenied
    form = DecisionForm(request.POST, prefix=f"s{suggestion.pk}")
    if not form.is_valid():
        return _bulletin_page(request, bulletin, failed=form, failed_pk=suggestion.pk)
    with transaction.atomic():
        decided = AccountabilitySuggestion.objects.filter(
            pk=suggestion.pk, status=SuggestionStatus.SUGGESTED
        ).update(
            status=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            decided_by=request.user,
            decided_at=timezone.now(),
        )
    if decided:
        messages.success(request, _("已记录对%(unit)s的决定。") % {"unit": suggestion.unit.name})
    else:
        messages.info(request, _("该建议已由他人作出决定。"))
    return redirect("enforcement:bulletin_detail", pk=bulletin.pk)
