"""案件列表 and the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from workflow import exports, leadership, selectors
from workflow.models import Case, Rung, Unit
from workflow.notices import issuable_kinds
from workflow.programmes import programmes
from workflow.transitions import available_transitions
from workflow.views.auth import login_required
from workflow.views.children import may_split

PAGE_SIZE = 25


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部")
    )
    overdue = forms.ChoiceField(
        label=_("是否逾期"),
        required=False,
        choices=[("", _("全部")), ("yes", _("已逾期")), ("no", _("未逾期"))],
    )
    kind = forms.ChoiceField(label=_("案件类型"), required=False)
    rung = forms.TypedChoiceField(
        label=_("督办级别"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部"))]
        + [(r.value, format_lazy(_("{}及以上"), r.label)) for r in Rung if r >= Rung.YELLOW],
    )
    programme = forms.ChoiceField(label=_("专项/督察"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("", _("最新立案在前")), ("rung", _("督办级别从高到低"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["state"].choices = everything + selectors.state_choices()  # type: ignore[attr-defined]
        self.fields["kind"].choices = everything + selectors.kind_choices()  # type: ignore[attr-defined]
        choices = programmes.choices(user)
        if choices:
            self.fields["programme"].choices = everything + choices  # type: ignore[attr-defined]
        else:
            del self.fields["programme"]
        unit_field = self.fields["responsible_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = selectors.responsible_unit_choices(user)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("案件编号或标题"), "type": "search", "autocomplete": "off"}
        )

    def filters(self) -> selectors.CaseFilters:
        # An invalid value (a stale or edited link) drops that one filter instead of the page.
        self.is_valid()
        data = self.cleaned_data
        return selectors.CaseFilters(
            q=str(data.get("q") or "").strip(),
            state=str(data.get("state") or ""),
            kind=str(data.get("kind") or ""),
            responsible_unit=data.get("responsible_unit"),
            overdue={"yes": True, "no": False}.get(str(data.get("overdue") or "")),
            min_rung=data.get("rung"),
            sort=str(data.get("sort") or ""),
            programme=str(data.get("programme") or ""),
        )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = CaseFilterForm(request.GET, user=request.user)
    cases = selectors.case_list(request.user, form.filters(), now=now)
    if request.GET.get("format") == "xlsx":
        # Every page of the same list, not just the one on screen (capped: see exports).
        name, fallback = exports.case_filename(now)
        return exports.xlsx_response(
            exports.case_workbook(cases, now=now), name=name, fallback=fallback
        )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "now": now}
    template = "console/case_list.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    can_escalate = leadership.can_escalate(request.user, case)
    context = {
        "case": case,
        "can_split": may_split(request.user, case),
        "now": now,
        # A type with a panel of its own decides what of its fields each person sees there.
        "type_fields": [] if case.case_type.detail_template else selectors.type_fields(case),
        "related": selectors.related_cases(case, request.user),
        "deadlines": selectors.case_deadlines(case),
        "notices": selectors.case_notices(case),
        "can_issue_notice": bool(issuable_kinds(request.user, case)),
        "can_escalate": can_escalate,
        "leader_rungs": [(int(r), f"L{int(r)} {r.label}") for r in leadership.LEADER_RUNGS],
        # The 约谈 ledger is a leader's: the case page shows its rows to them only.
        "yuetan_records": (
            case.yuetan_records.select_related("unit", "notice").order_by("-held_on")
            if can_escalate
            else []
        ),
        "timeline": selectors.timeline(case),
        "transitions": available_transitions(case, request.user, now=now),
    }
    case_type = case.case_type
    if case_type.detail_context is not None:
        context["panel"] = case_type.detail_context(case, request.user, now)
    return render(request, "console/case_detail.html", context)
