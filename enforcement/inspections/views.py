"""Staff pages of inspections: log one on the spot, today's tasks, the on-site record as PDF.

The views translate between HTTP and the services: `log_inspection` opens and records an
inspection (and concludes the verification of the case it checks) in one transaction; the engine
decides who may do what and what a valid record is. Its errors come back as pages:
InvalidTransition → 400 with the input kept, TransitionDenied → 403, CaseNotFound → 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.inspections.forms import RecordForm
from enforcement.inspections.record_pdf import record_pdf
from enforcement.inspections.services import log_inspection
from enforcement.models import (
    CorrectionOrder,
    CorrectionState,
    EnforcementCase,
    Enterprise,
    Inspection,
    InspectionState,
    InspectionType,
)
from enforcement.registry.views import visible_enterprises
from workflow import selectors
from workflow.forms import ReturnForm
from workflow.models import Case
from workflow.models.case import CaseState
from workflow.models.deadline import Deadline, DeadlineStatus
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.querysets import ancestor_codes
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionConflict,
    TransitionDenied,
)
from workflow.views.auth import login_required

#: Who logs inspections: inspectors, and 核查员 who verify on site (the inspection case type's
#: `openers`); either must hold a 执法证.
FIELD_ROLES = (Role.INSPECTOR, Role.VERIFIER)
#: What the photo input asks the phone for; the engine sniffs the bytes whatever it says.
PHOTO_ACCEPT = "image/*"
#: The record form's fields above the checklist, in the order an inspector fills them.
HEAD_FIELDS = ("inspectors", "started_at", "ended_at", "location", "on_site_person")
#: Inspection types an inspector logs on the spot (双随机 tasks come from a plan's draw).
SPOT_TYPES = [(value, label) for value, label in InspectionType.choices if value != "random"]
#: Kinds of case an inspection can verify, and the inspection type that does it.
SUBJECT_TYPES = {"complaint": InspectionType.COMPLAINT, "supervision": InspectionType.CENTRAL}


class StartForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("被检查单位"),
        queryset=Enterprise.objects.none(),
        empty_label=gettext_lazy("请选择被检查单位"),
    )
    type = forms.ChoiceField(label=gettext_lazy("检查类型"), choices=SPOT_TYPES)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=gettext_lazy("核查结论"),
        choices=[
            ("pass", gettext_lazy("通过")),
            ("fail", gettext_lazy("不通过，退回整改")),
        ],
        widget=forms.RadioSelect,
    )


def _payload(form: BaseForm, data: QueryDict) -> dict[str, Any]:
    """The raw values of the form's fields, one value each (a QueryDict holds lists)."""
    return {
        name: f.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, f in form.fields.items()
    }


def _enterprises_for(user: Any) -> QuerySet[Enterprise]:
    return visible_enterprises(user).filter(active=True).select_related("jurisdiction")


def _subject_case(request: HttpRequest, raw: str) -> Case | None:
    """The case this inspection verifies: visible (else 404), in 已反馈/核查 and the user's to
    verify (else 403)."""
    if not raw:
        return None
    try:
        case = selectors.visible_case(request.user, int(raw))
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None
    verifier_ok = case.verifier_id in (None, request.user.pk)
    if case.state == CaseState.VERIFYING:
        verifier_ok = case.verifier_id == request.user.pk
    if case.state not in (CaseState.REPORTED, CaseState.VERIFYING) or not verifier_ok:
        raise PermissionDenied(_("该事项不在核查阶段，或您不是它的核查员。"))
    return case


def _subject_enterprise(subject: Case, enterprises: QuerySet[Enterprise]) -> Enterprise | None:
    """The enterprise a complaint names, by its credit code or else its folded name (when that
    names exactly one), if the user can see it."""
    uscc = getattr(subject, "target_uscc", "")
    if uscc:
        found = enterprises.filter(uscc=uscc).first()
        if found is not None:
            return found
    key = getattr(subject, "target_key", "")
    if key:
        named = list(enterprises.filter(name_key=key)[:2])
        if len(named) == 1:
            return named[0]
    return None


def _radios(form: RecordForm) -> None:
    """The checklist as radio groups (符合 / 存在问题 / 不涉及): one tap each on a phone."""
    for code, _label in form.items:
        field = form.fields[f"check_{code}"]
        assert isinstance(field, forms.ChoiceField)
        field.widget = forms.RadioSelect(choices=cast("Any", field.choices))
        form.fields[f"note_{code}"].widget.attrs["placeholder"] = _("说明（选填）")


def _record_form(
    enterprise: Enterprise | None, user: Any, now: dt.datetime, data: QueryDict | None
) -> RecordForm | None:
    if enterprise is None:
        return None
    # Unsaved: the form reads the bureau and the address; the engine validates the same payload
    # again against the real inspection inside `log_inspection`'s transaction.
    draft = Inspection(
        jurisdiction=enterprise.jurisdiction.region(),
        enterprise=enterprise,
        location=enterprise.address,
    )
    form = RecordForm(data, case=draft, user=user, now=now)
    if data is None:
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        form.fields["started_at"].initial = local - dt.timedelta(hours=1)
        form.fields["ended_at"].initial = local
    _radios(form)
    return form


def _add_errors(forms_by_field: list[BaseForm], errors: dict[str, list[str]]) -> list[str]:
    """Put the engine's errors beside their fields; return those that belong to none."""
    rest: list[str] = []
    for key, messages_ in errors.items():
        owner = next((f for f in forms_by_field if key in f.fields), None)
        for message in messages_:
            if owner is not None:
                owner.add_error(key, message)
            else:
                rest.append(message)
    return rest


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    """现场检查: log an inspection on the spot (record, checklist, photos) in one step."""
    if unit_of(request.user) is None or not has_role(request.user, *FIELD_ROLES):
        raise PermissionDenied(_("只有执法人员可以记录现场检查。"))
    # The reverse one-to-one raises (an AttributeError) when there is no 执法证.
    if not hasattr(request.user, "credential"):
        raise PermissionDenied(_("现场检查须持执法证，请联系管理员登记您的执法证号。"))
    now = timezone.now()
    user = request.user
    enterprises = _enterprises_for(user)
    params = request.GET
    subject = _subject_case(request, params.get("subject", ""))
    data: QueryDict | None = request.POST if request.method == "POST" else None

    initial: dict[str, Any] = {"type": InspectionType.DAILY}
    if subject is not None:
        initial["type"] = SUBJECT_TYPES.get(subject.kind, InspectionType.DAILY)
    if params.get("type") in dict(SPOT_TYPES):
        initial["type"] = params["type"]
    preset: Enterprise | None = None
    if params.get("enterprise"):
        try:
            preset = enterprises.get(pk=int(params["enterprise"]))
        except (Enterprise.DoesNotExist, ValueError):
            raise Http404 from None
    elif subject is not None:
        preset = _subject_enterprise(subject, enterprises)
    if preset is not None:
        initial["enterprise"] = preset.pk

    if data is not None:
        # What the page was opened with stands unless the form says otherwise.
        data = data.copy()
        for key, value in initial.items():
            if not data.get(key):
                data[key] = str(value)
    start = StartForm(data, enterprises=enterprises, initial=initial)
    enterprise = preset
    if data is not None and start.is_valid():
        enterprise = start.cleaned_data["enterprise"]
    record = _record_form(enterprise, user, now, data)
    conclusion = ConclusionForm(data) if subject is not None else None
    return_form = (
        ReturnForm(data, case=subject, user=user, now=now) if subject is not None else None
    )
    files = request.FILES.getlist("files")
    context: dict[str, Any] = {
        "start": start,
        "record": record,
        "preset": preset,
        "subject": subject,
        "conclusion": conclusion,
        "return_form": return_form,
        "photo_accept": PHOTO_ACCEPT,
        "had_files": bool(files),
        "files_errors": [],
        "general_errors": [],
    }
    if data is None:
        return _render_create(request, context)

    valid = start.is_valid()
    if record is not None:
        valid = record.is_valid() and valid
    if conclusion is not None:
        valid = conclusion.is_valid() and valid
    failing = conclusion is not None and conclusion.is_valid()
    failing = failing and conclusion is not None and conclusion.cleaned_data["conclusion"] == "fail"
    if failing and return_form is not None:
        valid = return_form.is_valid() and valid
    elif subject is not None:
        # Passing needs no new 整改期限: keep what was typed, without its errors.
        kept = {name: request.POST.get(name, "") for name in ReturnForm.base_fields}
        return_form = ReturnForm(initial=kept, case=subject, user=user, now=now)
        context["return_form"] = return_form
    if not valid or record is None:
        context["general_errors"] = [_("请检查填写的内容。")]
        return _render_create(request, context, status=400)

    try:
        inspection = log_inspection(
            actor=user,
            enterprise=start.cleaned_data["enterprise"],
            inspection_type=start.cleaned_data["type"],
            record=_payload(record, request.POST),
            files=files,
            subject_case=subject,
            conclusion=conclusion.cleaned_data["conclusion"] if conclusion else "",
            conclusion_payload=(
                _payload(return_form, request.POST) if failing and return_form else {}
            ),
            now=now,
        )
    except CaseNotFound:
        raise Http404 from None
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except InvalidTransition as exc:
        owners: list[BaseForm] = [f for f in (record, return_form) if f is not None]
        context["files_errors"] = exc.errors.get("files", [])
        errors = {k: v for k, v in exc.errors.items() if k != "files"}
        context["general_errors"] = [exc.message, *_add_errors(owners, errors)]
        return _render_create(request, context, status=400)
    except TransitionConflict as exc:
        # The case checked moved meanwhile (someone else concluded it): nothing was saved.
        context["general_errors"] = [exc.message]
        return _render_create(request, context, status=exc.status)
    messages.success(request, _("已记录现场检查，笔录编号 %(no)s。") % {"no": inspection.record_no})
    return redirect("console:case_detail", pk=inspection.pk)


def _render_create(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    record = context["record"]
    if record is not None:
        context["head_fields"] = [record[name] for name in HEAD_FIELDS]
        context["checklist"] = [
            (record[f"check_{code}"], record[f"note_{code}"]) for code, _label in record.items
        ]
        context["findings"] = record["findings"]
    return render(request, "inspections/inspection_form.html", context, status=status)


# --- 今日任务 -------------------------------------------------------------------------------------


def _main_deadlines() -> Prefetch:
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(status=DeadlineStatus.PENDING, is_main=True).order_by(
            "due_at"
        ),
        to_attr="main_deadlines",
    )


def today_context(user: Any, now: dt.datetime) -> dict[str, Any]:
    """My scheduled inspections, correction orders awaiting 复查 and enforcement cases awaiting
    me: each a fixed number of queries, whatever the number of rows."""
    unit = unit_of(user)
    if unit is None:
        return {"inspections": [], "orders": [], "cases": []}
    mine_or_above = Q(responsible_unit__code__in=ancestor_codes(unit))
    inspections = (
        cast("QuerySet[Inspection]", Inspection.objects.visible_to(user))
        .filter(state=InspectionState.SCHEDULED)
        .filter(Q(inspectors=user) | (Q(inspectors__isnull=True) & mine_or_above))
        .select_related("enterprise", "place", "responsible_unit", "plan")
        .prefetch_related("inspectors")
        .distinct()
        .order_by(F("inspect_by").asc(nulls_last=True), "pk")
    )
    orders = (
        cast("QuerySet[CorrectionOrder]", CorrectionOrder.objects.visible_to(user))
        .filter(state=CorrectionState.ORDERED)
        .filter(mine_or_above | Q(enforcement_case__investigators=user))
        .select_related("enterprise", "responsible_unit")
        .distinct()
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )
    awaiting = Case.objects.awaiting(user).filter(kind="enforcement").values("pk")
    cases = (
        EnforcementCase.objects.filter(pk__in=awaiting, investigators=user)
        .select_related("enterprise", "responsible_unit")
        .prefetch_related(_main_deadlines())
        .distinct()
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )
    return {"inspections": list(inspections), "orders": list(orders), "cases": list(cases)}


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = today_context(request.user, now)
    return render(request, "inspections/today.html", {**context, "now": now})


# --- 现场检查笔录 ---------------------------------------------------------------------------------


@login_required
@require_GET
def inspection_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not isinstance(case, Inspection) or not case.record_no:
        raise Http404
    response = HttpResponse(record_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-record-{case.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
