"""日分析's page: a bureau's document of a working day (the latest by default), for the people of
that bureau and those above it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from enforcement.models import DailyAnalysis
from enforcement.rhythm.daily import verify
from workflow.models.unit import unit_of
from workflow.views.auth import login_required


def visible_analyses(request: HttpRequest) -> QuerySet[DailyAnalysis]:
    """The documents of the person's bureau and the bureaus below it."""
    unit = unit_of(request.user)
    if request.user.is_superuser:
        return DailyAnalysis.objects.all()
    if unit is None:
        raise PermissionDenied
    return DailyAnalysis.objects.filter(region__path__startswith=unit.region().path)


@login_required
@require_GET
def daily_analysis(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    analyses = visible_analyses(request).select_related("region")
    if pk is None:
        unit = unit_of(request.user)
        own = analyses.filter(region=unit.region()) if unit is not None else analyses
        analysis = own.order_by("-day").first() or analyses.order_by("-day").first()
    else:
        analysis = analyses.filter(pk=pk).first()
        if analysis is None:
            raise Http404
    context = {
        "analysis": analysis,
        "intact": analysis is not None and verify(analysis),
        "others": analyses.order_by("-day", "region__path")[:40],
    }
    return render(request, "rhythm/daily.html", context)
