"""The public 边督边改 pages: every signed 公开情况一览表 by round, batch and day, as a page and as
the Excel the province asks for. Everything shown comes from the publication's stored entries
(masked, allow-listed when signed), never from the live cases."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from enforcement.complaints import ratelimit
from enforcement.complaints.services import normalise_tracking_code
from enforcement.inspection_rounds import masking, services, task_services
from enforcement.inspection_rounds.task_forms import ObjectionForm
from enforcement.models import ForwardedPublication, InspectionRound, PublicityObjection
from workflow import calendar
from workflow.transitions import TransitionError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The 一览表's columns: (entry key, heading).
COLUMNS = (
    ("code", gettext_lazy("受理编号")),
    ("summary", gettext_lazy("交办问题基本情况")),
    ("area", gettext_lazy("行政区域")),
    ("pollution", gettext_lazy("污染类型")),
    ("findings", gettext_lazy("调查核实情况")),
    ("truth", gettext_lazy("是否属实")),
    ("actions", gettext_lazy("处理和整改情况")),
    ("accountability", gettext_lazy("责任追究情况")),
    ("status", gettext_lazy("办理状态")),
)


def headings() -> list[tuple[str, str]]:
    return [(key, str(title)) for key, title in COLUMNS]


def title_of(publication: ForwardedPublication) -> str:
    return _("%(round)s群众信访举报转办和边督边改公开情况一览表（第%(batch)d批·第%(n)d期）") % {
        "round": publication.batch.round.name,
        "batch": publication.batch.number,
        "n": publication.number,
    }


def _publication(pk: int) -> ForwardedPublication:
    publication = (
        ForwardedPublication.objects.select_related("batch__round__region").filter(pk=pk).first()
    )
    if publication is None:
        raise Http404
    return publication


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = []
    for round in InspectionRound.objects.filter(batches__publications__isnull=False).distinct():
        publications = list(
            ForwardedPublication.objects.filter(batch__round=round)
            .select_related("batch")
            .order_by("-day", "-batch__number", "-number")
        )
        rounds.append((round, publications))
    return render(request, "inspection_rounds/public/index.html", {"rounds": rounds})


@require_GET
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    item = _publication(pk)
    return render(
        request,
        "inspection_rounds/public/publication.html",
        {
            "publication": item,
            "title": title_of(item),
            "headings": headings(),
            "entries": item.entries,
            "verified": services.verify(item),
        },
    )


@require_GET
def publication_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    item = _publication(pk)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("一览表")
    sheet.append([title_of(item)])
    sheet.append(
        [
            _("公开日期：%(day)s　签发时间：%(at)s")
            % {
                "day": f"{item.day:%Y-%m-%d}",
                "at": item.signed_at.astimezone(calendar.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            }
        ]
    )
    sheet.append([_("序号"), *(title for _key, title in headings())])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for number, entry in enumerate(item.entries, start=1):
        sheet.append([number, *(_as_text(entry.get(key, "")) for key, _title in COLUMNS)])
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (6, 20, 40, 14, 10, 40, 10, 40, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = _("边督边改公开情况一览表-第%(batch)d批-第%(n)d期-%(day)s.xlsx") % {
        "batch": item.batch.number,
        "n": item.number,
        "day": item.day,
    }
    fallback = f"forwarded-{item.batch.number}-{item.number}-{item.day}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


def _as_text(value: str) -> str:
    """A cell beginning with "=" stays text, never a spreadsheet formula."""
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value


# --- 公示 of finished tasks, and the public's written objections -------------------------------


@require_GET
def publicity(request: HttpRequest) -> HttpResponse:
    tasks = list(task_services.in_publicity())
    windows = task_services.publicity_windows(tasks)
    rows = [(task, windows.get(task.pk)) for task in tasks]
    return render(request, "inspection_rounds/public/publicity.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def publicity_task(request: HttpRequest, pk: int) -> HttpResponse:
    """One task in 公示: what was done and accepted, and the written objection form."""
    task = task_services.in_publicity().filter(pk=pk).first()
    if task is None:
        raise Http404
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not form.is_valid():
            pass
        elif not ratelimit.allow(request, "publicity_objection", settings.ECOLOOP_OBJECTION_RATE):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        else:
            try:
                objection = task_services.file_objection(
                    task, grounds=form.cleaned_data["grounds"], now=timezone.now()
                )
            except TransitionError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                return redirect("ducha:objection", objection.code)
    people = masking.people_in(task.title)
    context = {
        "task": task,
        "window": task_services.publicity_windows([task]).get(task.pk),
        "form": form,
        "self_acceptance": masking.mask(task.self_acceptance, people=people),
        "acceptance_opinion": masking.mask(task.acceptance_opinion, people=people),
        "parts": task.children.select_related("responsible_unit").order_by("pk"),
    }
    return render(request, "inspection_rounds/public/publicity_task.html", context, status=status)


@require_GET
def objection(request: HttpRequest, code: str) -> HttpResponse:
    found = (
        PublicityObjection.objects.select_related("task__responsible_unit", "task__problem")
        .filter(code=normalise_tracking_code(code))
        .first()
    )
    if found is None:
        raise Http404
    answer = task_services.answer_to(found)
    return render(
        request,
        "inspection_rounds/public/objection.html",
        {"objection": found, "answer": answer},
    )
