"""The registry's console pages: the list of 排污单位, one enterprise, the import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.models import Complaint, CorrectionOrder, EnforcementCase, Inspection
from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.registry.importer import (
    ImportRefused,
    ImportReport,
    import_enterprises,
    template_csv,
)
from enforcement.validators import normalise_uscc
from workflow.models import Case, Unit
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.views.auth import login_required

PAGE_SIZE = 25
#: Who may import: those who register and inspect enterprises, and their heads.
IMPORTERS = (Role.DISPATCHER, Role.INSPECTOR, Role.SUPERVISOR, Role.LEADER, Role.ADMIN)


def _own_unit(request: HttpRequest) -> Unit:
    unit = unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    return unit


def visible_enterprises(user: Any) -> QuerySet[Enterprise]:
    """Enterprises whose jurisdiction lies within the person's bureau (the city sees all): a
    bureau's sections and 执法大队 work on the bureau's enterprises."""
    unit = unit_of(user)
    if unit is None:
        return Enterprise.objects.none()
    try:
        unit = unit.region()
    except ValueError:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(jurisdiction__path__startswith=unit.path)


def may_import(user: Any) -> bool:
    return unit_of(user) is not None and has_role(user, *IMPORTERS)


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("单位名称或统一社会信用代码")}
        ),
    )
    tier = forms.ChoiceField(
        label=gettext_lazy("监管类别"),
        required=False,
        choices=[("", gettext_lazy("全部")), *SupervisionTier.choices],
    )
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("管辖单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.subtree_of(unit).regions().order_by("path")

    def apply(self, enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
        if not self.is_valid():
            return enterprises
        query = self.cleaned_data.get("q", "").strip()
        if query:
            enterprises = enterprises.filter(
                Q(name__icontains=query) | Q(uscc__startswith=normalise_uscc(query))
            )
        if self.cleaned_data.get("tier"):
            enterprises = enterprises.filter(tier=self.cleaned_data["tier"])
        unit = self.cleaned_data.get("jurisdiction")
        if unit is not None:
            enterprises = enterprises.filter(jurisdiction__path__startswith=unit.path)
        return enterprises


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    unit = _own_unit(request)
    form = EnterpriseFilterForm(request.GET, unit=unit)
    enterprises = form.apply(visible_enterprises(request.user)).select_related("jurisdiction")
    page = Paginator(enterprises.order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/enterprise_list.html",
        {"form": form, "page": page, "may_import": may_import(request.user)},
    )


def complaints_about(enterprise: Enterprise, user: Any) -> QuerySet[Complaint]:
    """The complaints the person may see that name this enterprise: its credit code, or its
    name once folded."""
    match = Q(target_uscc=enterprise.uscc)
    if enterprise.name_key:
        match |= Q(target_key=enterprise.name_key)
    visible = cast("QuerySet[Complaint]", Complaint.objects.visible_to(user))
    return (
        visible.filter(match)
        .select_related("responsible_unit", "jurisdiction")
        .order_by("-received_at", "-pk")
    )


def cases_of(model: type[Case], user: Any, **about: Any) -> QuerySet[Case]:
    """The cases of one kind about an enterprise or a place (inspections, enforcement cases,
    correction orders, 即知即改事项) that the person may see, newest first."""
    return (
        cast("QuerySet[Case]", model.objects.visible_to(user))
        .filter(**about)
        .select_related("responsible_unit", "jurisdiction")
        .order_by("-created_at", "-pk")
    )


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _own_unit(request)
    try:
        enterprise = visible_enterprises(request.user).select_related("jurisdiction").get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "complaints": complaints_about(enterprise, request.user),
            "inspections": cases_of(Inspection, request.user, enterprise=enterprise),
            "enforcement_cases": cases_of(EnforcementCase, request.user, enterprise=enterprise),
            "correction_orders": cases_of(CorrectionOrder, request.user, enterprise=enterprise),
            "is_inspector": has_role(request.user, Role.INSPECTOR, Role.VERIFIER),
            "now": timezone.now(),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy("CSV（UTF-8 或 GBK 编码）或 Excel（.xlsx），第一行为表头。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.ms-excel"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.ECOLOOP_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大：不能超过 %(limit)s。") % {"limit": filesizeformat(limit)}
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    form, report, refused = run_import(request, import_enterprises)
    return import_page(
        request,
        form,
        report,
        refused,
        title=_("批量导入排污单位"),
        back=(reverse("enforcement:enterprise_list"), _("排污单位")),
        intro=_(
            "每行一家单位；统一社会信用代码已登记的，按文件内容更新该单位。"
            "有错误的行不会导入，其他行照常导入。"
        ),
        template_url=reverse("enforcement:enterprise_import_template"),
    )


def run_import(
    request: HttpRequest, importer: Callable[..., ImportReport]
) -> tuple[ImportForm, ImportReport | None, str]:
    """The upload form, and on POST the importer's report or why the file was refused."""
    if request.method != "POST":
        return ImportForm(), None, ""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None, ""
    upload = form.cleaned_data["file"]
    try:
        report = importer(
            upload.read(), name=upload.name, actor_unit=unit_of(request.user), now=timezone.now()
        )
    except ImportRefused as error:
        return form, None, error.message
    return form, report, ""


def import_page(
    request: HttpRequest,
    form: ImportForm,
    report: ImportReport | None,
    refused: str,
    *,
    title: str,
    back: tuple[str, str],
    intro: str,
    template_url: str,
) -> HttpResponse:
    """A register's import page with the report of what was imported (400 when nothing was)."""
    return render(
        request,
        "registry/import.html",
        {
            "form": form,
            "report": report,
            "refused": refused,
            "title": title,
            "back_url": back[0],
            "back_label": back[1],
            "intro": intro,
            "template_url": template_url,
        },
        status=400 if request.method == "POST" and (refused or not form.is_valid()) else 200,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="enterprises-template.csv"'
    return response
