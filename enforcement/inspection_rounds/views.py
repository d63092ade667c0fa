"""The 督察整改办's console pages: the rounds, a round's batches, a batch (import, items by hand,
交办 in one form, the items' progress) and the 一览表 to sign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.inspection_rounds import importer, plan_importer, services, task_services
from enforcement.inspection_rounds.forms import (
    BatchForm,
    ImportForm,
    PlanImportForm,
)
from enforcement.inspection_rounds.task_forms import ProblemForm, TaskForm
from enforcement.models import ForwardedBatch, InspectionRound
from enforcement.spreadsheets import ImportRefused
from workflow.forms import assignable_units
from workflow.models import Case, Unit
from workflow.models.case import CaseState
from workflow.transitions import TransitionError
from workflow.views.auth import login_required

#: The most a batch page lists; a batch of thousands is worked through the case list's filters.
ITEMS_SHOWN = 500


def visible_round(request: HttpRequest, pk: int) -> InspectionRound:
    """The round of this id among those the person may see (`services.rounds_for`), or 404."""
    round = services.rounds_for(request.user).filter(pk=pk).select_related("region").first()
    if round is None:
        raise Http404
    return round


def _batch(request: HttpRequest, round_pk: int, number: int) -> ForwardedBatch:
    round = visible_round(request, round_pk)
    return get_object_or_404(
        ForwardedBatch.objects.select_related("round__region", "round__lead_office"),
        round=round,
        number=number,
    )


def _managed(request: HttpRequest, batch: ForwardedBatch) -> None:
    if not services.may_manage(request.user, batch.round):
        raise PermissionDenied


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = services.rounds_for(request.user).select_related("region", "lead_office")
    return render(request, "inspection_rounds/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = visible_round(request, pk)
    may_manage = services.may_manage(request.user, round)
    form = BatchForm(request.POST or None, round=round)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            now = timezone.now()
            batch = ForwardedBatch.objects.create(
                round=round,
                number=form.cleaned_data["number"],
                received_at=form.cleaned_data["received_at"],
                reply_due_at=form.cleaned_data["reply_due_at"],
                note=form.cleaned_data["note"],
                created_by=cast(Any, request.user),
                created_at=now,
            )
            messages.success(request, _("已登记第%(n)d批。") % {"n": batch.number})
            return redirect("enforcement:forwarded_batch", round.pk, batch.number)
    now = timezone.now()
    batches = [(batch, services.progress(batch, now)) for batch in round.batches.all()]
    return render(
        request,
        "inspection_rounds/round_detail.html",
        {"round": round, "batches": batches, "form": form, "may_manage": may_manage},
        status=400 if form.errors else 200,
    )


def _batch_page(
    request: HttpRequest, batch: ForwardedBatch, *, status: int = 200, **extra: Any
) -> HttpResponse:
    now = timezone.now()
    visible = Case.objects.visible_to(request.user).values("pk")
    items = (
        batch.items.filter(pk__in=visible)
        .select_related("responsible_unit", "repeat_of")
        .order_by("acceptance_no")
    )
    may_manage = services.may_manage(request.user, batch.round)
    pending = []
    if may_manage:
        # The units an item may go to depend only on its bureau: read them once per bureau.
        units: dict[int, list[Unit]] = {}
        waiting = items.filter(state=CaseState.PENDING_ASSIGNMENT).select_related("jurisdiction")
        for item in waiting[:ITEMS_SHOWN]:
            if item.jurisdiction_id not in units:
                units[item.jurisdiction_id] = list(assignable_units(item))
            pending.append((item, units[item.jurisdiction_id]))
    context = {
        "batch": batch,
        "round": batch.round,
        "items": items[:ITEMS_SHOWN],
        "shown": ITEMS_SHOWN,
        "progress": services.progress(batch, now),
        "may_manage": may_manage,
        "may_sign": services.may_sign(request.user, batch.round),
        "pending": pending,
        "import_form": extra.pop("import_form", None) or ImportForm(),
        "item_form": extra.pop("item_form", None) or importer.ItemForm(batch=batch),
        "now": now,
        **extra,
    }
    return render(request, "inspection_rounds/batch_detail.html", context, status=status)


@login_required
@require_GET
def batch_detail(request: HttpRequest, round_pk: int, number: int) -> HttpResponse:
    return _batch_page(request, _batch(request, round_pk, number))


def _run_import(
    form: Any, run: Callable[[bytes, str], Any], page: Callable[..., HttpResponse]
) -> HttpResponse:
    """An upload's import: a bad form or an unreadable file comes back on the page (400) and
    nothing is saved; else the page shows the report (the rows taken and those refused)."""
    if not form.is_valid():
        return page(status=400, form=form)
    upload = form.cleaned_data["file"]
    try:
        report = run(upload.read(), upload.name)
    except ImportRefused as refused:
        return page(status=400, refused=refused.message)
    return page(report=report)


@login_required
@require_POST
def batch_import(request: HttpRequest, round_pk: int, number: int) -> HttpResponse:
    batch = _batch(request, round_pk, number)
    _managed(request, batch)
    return _run_import(
        ImportForm(request.POST, request.FILES),
        lambda data, name: importer.import_batch(
            batch, data, name=name, actor=request.user, now=timezone.now()
        ),
        lambda **extra: _batch_page(request, batch, import_form=extra.pop("form", None), **extra),
    )


@login_required
@require_POST
def batch_add_item(request: HttpRequest, round_pk: int, number: int) -> HttpResponse:
    batch = _batch(request, round_pk, number)
    _managed(request, batch)
    form = importer.ItemForm(request.POST, batch=batch)
    if form.is_valid():
        code = form.cleaned_data["acceptance_no"]
        if batch.items.filter(acceptance_no=code).exists():
            form.add_error(
                "acceptance_no", _("本批次已有受理编号为 %(code)s 的件。") % {"code": code}
            )
        else:
            try:
                item = importer.open_item(
                    batch, form.cleaned_data, actor=request.user, now=timezone.now()
                )
            except TransitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("已登记 %(code)s（%(no)s）。") % {"code": code, "no": item.case_no}
                )
                return redirect("enforcement:forwarded_batch", batch.round_id, batch.number)
    return _batch_page(request, batch, status=400, item_form=form)


@login_required
@require_POST
def batch_dispatch(request: HttpRequest, round_pk: int, number: int) -> HttpResponse:
    """交办 the chosen items, each to the unit picked on its line."""
    batch = _batch(request, round_pk, number)
    _managed(request, batch)
    chosen: dict[int, Unit] = {}
    units = {str(u.pk): u for u in Unit.objects.active()}
    for key, value in request.POST.items():
        if not key.startswith("unit-") or not value:
            continue
        item_id = key.removeprefix("unit-")
        if not item_id.isdigit() or value not in units:
            return _batch_page(
                request, batch, status=400, dispatch_error=_("请求无效，请刷新页面后重试。")
            )
        chosen[int(item_id)] = units[value]
    if not chosen:
        return _batch_page(
            request, batch, status=400, dispatch_error=_("请至少为一件选择责任单位。")
        )
    done, failed = services.dispatch(batch, chosen, actor=request.user, now=timezone.now())
    if done:
        messages.success(request, _("已交办 %(n)d 件。") % {"n": len(done)})
    if failed:
        codes = dict(batch.items.filter(pk__in=failed).values_list("pk", "acceptance_no"))
        return _batch_page(
            request,
            batch,
            status=400 if not done else 200,
            dispatch_failures=[(codes.get(pk, pk), message) for pk, message in failed.items()],
        )
    return redirect("enforcement:forwarded_batch", batch.round_id, batch.number)


@login_required
@require_http_methods(["GET", "POST"])
def batch_publish(request: HttpRequest, round_pk: int, number: int) -> HttpResponse:
    """The draft 一览表 as the public will read it, and the signature that publishes it."""
    batch = _batch(request, round_pk, number)
    _managed(request, batch)
    error = ""
    if request.method == "POST":
        try:
            publication = services.publish(
                batch,
                actor=request.user,
                now=timezone.now(),
                expected=request.POST.get("digest", ""),
            )
        except TransitionError as refused:
            if refused.status == 403:
                raise PermissionDenied from None
            error = refused.message
        else:
            messages.success(
                request,
                _("已签发第%(batch)d批第%(n)d期一览表，共 %(count)d 件，已在公开页面发布。")
                % {
                    "batch": batch.number,
                    "n": publication.number,
                    "count": len(publication.entries),
                },
            )
            return redirect("enforcement:forwarded_batch", batch.round_id, batch.number)
    entries = services.draft(batch)
    return render(
        request,
        "inspection_rounds/publish.html",
        {
            "batch": batch,
            "round": batch.round,
            "entries": entries,
            "digest": services.digest_of(entries),
            "may_sign": services.may_sign(request.user, batch.round),
            "error": error,
            "publications": batch.publications.select_related("signed_by"),
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="forwarded-batch-template.csv"'
    return response


# --- 反馈问题整改: the 四清单 ---------------------------------------------------------------------


def _lists_page(
    request: HttpRequest, round: InspectionRound, *, status: int = 200, **extra: Any
) -> HttpResponse:
    now = timezone.now()
    may_manage = services.may_manage(request.user, round)
    visible = Case.objects.visible_to(request.user).values("pk")
    context = {
        "round": round,
        "lists": task_services.lists(round, visible),
        "plan_due": task_services.plan_due(round),
        "may_manage": may_manage,
        "problem_form": extra.pop("problem_form", None) or ProblemForm(round=round),
        "task_form": extra.pop("task_form", None) or TaskForm(round=round, now=now),
        "plan_form": extra.pop("plan_form", None) or PlanImportForm(),
        "now": now,
        **extra,
    }
    return render(request, "inspection_rounds/problems.html", context, status=status)


@login_required
@require_GET
def problem_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _lists_page(request, visible_round(request, pk))


@login_required
@require_POST
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = visible_round(request, pk)
    if not services.may_manage(request.user, round):
        raise PermissionDenied
    form = ProblemForm(request.POST, round=round)
    if not form.is_valid():
        return _lists_page(request, round, status=400, problem_form=form)
    problem = form.save(commit=False)
    problem.round = round
    problem.created_at = timezone.now()
    problem.save()
    messages.success(request, _("已登记问题%(n)d。") % {"n": problem.number})
    return redirect("enforcement:round_problems", round.pk)


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = visible_round(request, pk)
    if not services.may_manage(request.user, round):
        raise PermissionDenied
    now = timezone.now()
    form = TaskForm(request.POST, round=round, now=now)
    if form.is_valid():
        data = dict(form.cleaned_data)
        problem = data.pop("problem")
        try:
            task = task_services.open_task(
                problem,
                actor=request.user,
                now=now,
                co_units=list(data.pop("co_units")),
                **data,
            )
        except TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("已登记任务 %(no)s 并交办%(unit)s（%(case)s）。")
                % {"no": task.task_no, "unit": task.responsible_unit, "case": task.case_no},
            )
            return redirect("enforcement:round_problems", round.pk)
    return _lists_page(request, round, status=400, task_form=form)


@login_required
@require_POST
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The 整改方案 spreadsheet: problems and tasks at once."""
    round = visible_round(request, pk)
    if not services.may_manage(request.user, round):
        raise PermissionDenied
    return _run_import(
        PlanImportForm(request.POST, request.FILES),
        lambda data, name: plan_importer.import_plan(
            round, data, name=name, actor=request.user, now=timezone.now()
        ),
        lambda **extra: _lists_page(request, round, plan_form=extra.pop("form", None), **extra),
    )


@login_required
@require_GET
def plan_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(plan_importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rectification-plan-template.csv"'
    return response
