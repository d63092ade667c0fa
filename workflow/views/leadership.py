"""督办建议 (the leader's queue), a leader's rung taken on a case, the unit page, 约谈台账.

Each POST is handed to a service in `workflow.leadership`, which decides who may.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from workflow import calendar, leadership, selectors
from workflow.models import Case, Escalation, Rung, Unit
from workflow.models.notice import YuetanSubject
from workflow.models.unit import unit_of
from workflow.permissions import is_leader
from workflow.transitions import CaseNotFound, TransitionDenied, TransitionError
from workflow.views.auth import login_required

PAGE_SIZE = 25


def rung_choices() -> list[tuple[int, str]]:
    return [(int(rung), f"L{int(rung)} {rung.label}") for rung in leadership.LEADER_RUNGS]


def _chosen_rung(raw: str | None) -> Rung | None:
    try:
        rung = Rung(int(raw or ""))
    except ValueError:
        return None
    return rung if rung in leadership.LEADER_RUNGS else None


def _require_leader(user: Any) -> None:
    if not is_leader(user):
        raise PermissionDenied(_("只有局领导可以查看督办建议。"))


def _queue(
    request: HttpRequest, *, error_pk: int | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    page = Paginator(leadership.suggestions_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rungs": rung_choices(),
        "error_pk": error_pk,
        "error": error,
    }
    return render(request, "console/suggestions.html", context, status=status)


@login_required
@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    """督办建议: leader rungs the ladder suggested in the leader's jurisdiction, oldest first."""
    _require_leader(request.user)
    return _queue(request)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """签发 or 不予采纳 one suggestion."""
    _require_leader(request.user)
    escalation = Escalation.objects.filter(pk=pk).first()
    if escalation is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("issue", "dismiss"):
        return _queue(request, error_pk=pk, error=_("请选择签发或不予采纳。"), status=400)
    try:
        notice = leadership.decide_suggestion(
            escalation,
            actor=request.user,
            issue=decision == "issue",
            rung=_chosen_rung(request.POST.get("rung")),
            note=request.POST.get("note", ""),
            now=timezone.now(),
        )
    except CaseNotFound:
        raise Http404 from None
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except TransitionError as exc:
        return _queue(request, error_pk=pk, error=exc.message, status=400)
    if notice is not None:
        messages.success(request, _("已签发%(number)s。") % {"number": notice.number})
        return redirect("console:case_detail", pk=escalation.case_id)
    messages.success(request, _("已不予采纳该督办建议。"))
    return redirect("console:suggestions")


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader takes 挂牌督办, 约谈, 通报 or 问责建议 on a case, with a note."""
    try:
        case = selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not leadership.can_escalate(request.user, case):
        raise PermissionDenied(_("只有本级或上级局领导可以决定挂牌督办、约谈、通报和问责建议。"))
    rung = _chosen_rung(request.POST.get("rung"))
    try:
        if rung is None:
            raise TransitionError(_("请选择督办级别。"))
        leadership.escalate_by_leader(
            case, rung, actor=request.user, note=request.POST.get("note", ""), now=timezone.now()
        )
    except CaseNotFound:
        raise Http404 from None
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except TransitionError as exc:
        messages.error(request, exc.message)
        return redirect("console:case_detail", pk=case.pk)
    messages.success(request, _("已签发%(rung)s。") % {"rung": rung.label})
    return redirect("console:case_detail", pk=case.pk)


@login_required
@require_safe
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit, for those whose unit is it or above it: open cases, 约谈 this year, 评优."""
    mine = unit_of(request.user)
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or mine is None or not unit.is_within(mine):
        raise Http404
    now = timezone.now()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if not 1900 <= year <= 2999:  # absent, not a number, or no year a record can have
        year = calendar.local_date(now).year
    cases = (
        Case.objects.visible_to(request.user)
        .open()
        .filter(responsible_unit__path__startswith=unit.path)
        .select_related("responsible_unit")
        .order_by("due_at", "pk")
    )
    talks = unit.yuetan_records.filter(held_on__year=year).order_by("-held_on", "-pk")
    context = {
        "unit": unit,
        "year": year,
        "now": now,
        "page": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page")),
        "overdue": cases.overdue(now).count(),
        "talks": talks,
        "talk_count": leadership.yuetan_count(unit, year),
        "disqualified": leadership.disqualified_from_excellence(unit, year),
    }
    return render(request, "console/unit_detail.html", context)


class YuetanForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("被约谈单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("请选择被约谈单位"),
    )
    subject_type = forms.ChoiceField(
        label=gettext_lazy("约谈对象类型"), choices=YuetanSubject.choices
    )
    official = forms.CharField(label=gettext_lazy("负责人"), required=False, max_length=50)
    enterprise = forms.CharField(label=gettext_lazy("企业"), required=False, max_length=200)
    case_no = forms.CharField(
        label=gettext_lazy("案件编号"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("因案件约谈的，填写案件编号；系统将为整改报告计时。"),
    )
    reason = forms.CharField(
        label=gettext_lazy("约谈事由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    held_on = forms.DateField(
        label=gettext_lazy("约谈日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes = forms.CharField(
        label=gettext_lazy("约谈纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        mine = unit_of(user)
        unit_field.queryset = (
            Unit.objects.active().filter(path__startswith=mine.path)
            if mine is not None
            else Unit.objects.none()
        )

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("约谈日期不能晚于今天。"))
        return held_on

    def clean_case_no(self) -> Case | None:
        number = self.cleaned_data.get("case_no", "").strip()
        if not number:
            return None
        case = Case.objects.visible_to(self.user).filter(case_no=number).first()
        if case is None:
            raise forms.ValidationError(_("案件不存在或您无权查看。"))
        return case


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def yuetan_ledger(request: HttpRequest) -> HttpResponse:
    """约谈台账: the 约谈 of the leader's unit and the units below it, and the form to enter one."""
    if not is_leader(request.user):
        raise PermissionDenied(_("只有局领导可以查看约谈台账。"))
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    form = YuetanForm(data, user=request.user, today=calendar.local_date(now))
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            leadership.record_yuetan(
                values["case_no"],
                actor=request.user,
                unit=values["unit"],
                subject_type=values["subject_type"],
                official=values["official"],
                enterprise=values["enterprise"],
                reason=values["reason"],
                held_on=values["held_on"],
                minutes=values["minutes"],
                now=now,
            )
        except CaseNotFound:
            raise Http404 from None
        except TransitionDenied as exc:
            raise PermissionDenied(exc.message) from None
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记约谈。"))
            return redirect("console:yuetan_ledger")
    page = Paginator(leadership.yuetan_ledger(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    status = 400 if data is not None else 200
    return render(
        request, "console/yuetan_ledger.html", {"page": page, "form": form}, status=status
    )


@login_required
@require_POST
def yuetan_report(request: HttpRequest, pk: int) -> HttpResponse:
    """收到整改报告: the 约谈 record and its deadline are closed."""
    if not is_leader(request.user):
        raise PermissionDenied(_("只有局领导可以登记整改报告。"))
    record = leadership.yuetan_ledger(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    try:
        leadership.receive_yuetan_report(record, actor=request.user, now=timezone.now())
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("已登记收到整改报告。"))
    return redirect("console:yuetan_ledger")
