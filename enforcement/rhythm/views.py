"""日分析's page: a bureau's document of a working day (the latest by default), for the people of
that bureau and those above it; the reach and the choice every rhythm document's page shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from enforcement.models import DailyAnalysis
from enforcement.rhythm.daily import verify
from workflow.models.unit import unit_of
from workflow.views.auth import login_required


def within_reach(request: HttpRequest, documents: QuerySet[Any]) -> QuerySet[Any]:
    """The documents of the person's bureau and the bureaus below it."""
    if request.user.is_superuser:
        return documents
    unit = unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    return documents.filter(region__path__startswith=unit.region().path)


def chosen(request: HttpRequest, documents: QuerySet[Any], pk: int | None, latest: str) -> Any:
    """The document asked for (404 outside reach), or the latest of the person's own bureau
    (else of any within reach), by the field `latest`."""
    if pk is not None:
        found = documents.filter(pk=pk).first()
        if found is None:
            raise Http404
        return found
    unit = unit_of(request.user)
    own = documents.filter(region=unit.region()) if unit is not None else documents
    return own.order_by(f"-{latest}").first() or documents.order_by(f"-{latest}").first()


@login_required
@require_GET
def daily_analysis(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    analyses = within_reach(request, DailyAnalysis.objects.select_related("region"))
    analysis = chosen(request, analyses, pk, "day")
    context = {
        "analysis": analysis,
        "intact": analysis is not None and verify(analysis),
        "others": analyses.order_by("-day", "region__path")[:40],
    }
    return render(request, "rhythm/daily.html", context)
