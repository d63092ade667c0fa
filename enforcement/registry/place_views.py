"""The register of 污染源/点位: the list (by type, unit, words), the import and its template."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.complaints.duplicates import target_key
from enforcement.models import Complaint, Inspection, Place, PlaceKind, RapidItem
from enforcement.registry.places import import_places, template_csv
from enforcement.registry.views import PAGE_SIZE, cases_of, import_page, may_import, run_import
from workflow.models import Unit
from workflow.models.unit import unit_of
from workflow.views.auth import login_required


def visible_places(user: Any) -> QuerySet[Place]:
    """Places of the person's bureau and the bureaus below it (the city sees all)."""
    unit = unit_of(user)
    if unit is None:
        return Place.objects.none()
    return Place.objects.filter(jurisdiction__path__startswith=unit.reach().path)


class PlaceFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("名称、位置或责任主体")}
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        required=False,
        choices=[("", gettext_lazy("全部")), *PlaceKind.choices],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("属地责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.subtree_of(unit.reach()).active().order_by("path")

    def apply(self, places: QuerySet[Place]) -> QuerySet[Place]:
        if not self.is_valid():
            return places
        query = self.cleaned_data.get("q", "").strip()
        if query:
            places = places.filter(
                Q(name__icontains=query) | Q(address__icontains=query) | Q(owner__icontains=query)
            )
        if self.cleaned_data.get("kind"):
            places = places.filter(kind=self.cleaned_data["kind"])
        unit = self.cleaned_data.get("unit")
        if unit is not None:
            places = places.filter(responsible_unit__path__startswith=unit.path)
        return places


@login_required
@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    form = PlaceFilterForm(request.GET, unit=unit)
    places = form.apply(visible_places(request.user)).select_related(
        "jurisdiction", "responsible_unit"
    )
    page = Paginator(places.order_by("kind", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/place_list.html",
        {"form": form, "page": page, "may_import": may_import(request.user)},
    )


def complaints_at(place: Place, user: Any) -> QuerySet[Complaint]:
    """The complaints the person may see that name the place: as the unit complained of (its
    name once folded), or in the place where the problem is."""
    visible = cast("QuerySet[Complaint]", Complaint.objects.visible_to(user))
    return (
        visible.filter(Q(target_key=target_key(place.name)) | Q(location__contains=place.name))
        .select_related("responsible_unit", "jurisdiction")
        .order_by("-received_at", "-pk")
    )


@login_required
@require_GET
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = (
        visible_places(request.user)
        .select_related("jurisdiction", "responsible_unit")
        .filter(pk=pk)
        .first()
    )
    if place is None:
        raise Http404
    return render(
        request,
        "registry/place_detail.html",
        {
            "place": place,
            "rapid_items": cases_of(RapidItem, request.user, place=place),
            "inspections": cases_of(Inspection, request.user, place=place),
            "complaints": complaints_at(place, request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_import(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    form, report, refused = run_import(request, import_places)
    return import_page(
        request,
        form,
        report,
        refused,
        title=_("批量导入点位"),
        back=(reverse("enforcement:place_list"), _("点位名录")),
        intro=_(
            "每行一个点位（工地、道路、餐饮、露天焚烧点、堆场、散乱污、入河排污口等）；"
            "同一管辖单位下类型和名称相同的，按文件内容更新。有错误的行不会导入，其他行照常导入。"
        ),
        template_url=reverse("enforcement:place_import_template"),
    )


@login_required
@require_GET
def place_template(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="places-template.csv"'
    return response
