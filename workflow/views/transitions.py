"""The console's write path: a transition's form, and its POST handed to `transition_case()`.

The view only translates between HTTP and the engine. The engine decides everything (who may act,
what a valid payload is, whether the case moved meanwhile); its errors come back as pages:
InvalidTransition → 400 with the person's input kept, TransitionDenied → 403,
TransitionConflict → 409 with a reload link, CaseNotFound → 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.forms import BaseForm, BoundField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from workflow import selectors
from workflow.models import Case
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionConflict,
    TransitionDenied,
    TransitionError,
    TransitionSpec,
    available_transitions,
    may_take,
    not_from_here,
    transition_case,
    transition_specs,
)
from workflow.views.auth import login_required

TEMPLATE = "console/transition.html"
#: What the evidence input accepts; the engine sniffs the bytes whatever the browser says.
EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


@dataclass
class FormState:
    """Everything the transition panel shows: the form, the person's input, the engine's verdict."""

    spec: TransitionSpec
    payload_form: BaseForm | None
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""
    had_files: bool = False

    @property
    def fields(self) -> list[tuple[BoundField, list[str]]]:
        if self.payload_form is None:
            return []
        return [(bf, self.errors.get(bf.name, [])) for bf in self.payload_form]

    @property
    def general_errors(self) -> list[str]:
        """Errors that belong to no visible input (the form as a whole, unknown fields)."""
        shown = {"note", "files"}
        if self.payload_form is not None:
            shown |= set(self.payload_form.fields)
        return [msg for key, msgs in self.errors.items() if key not in shown for msg in msgs]


def _payload_form(
    spec: TransitionSpec, case: Case, user: Any, now: dt.datetime, data: QueryDict | None = None
) -> BaseForm | None:
    form_class = spec.form_class
    if form_class is None:
        return None
    form: BaseForm = form_class(data, case=case, user=user, now=now)
    return form


def _payload(form: BaseForm | None, data: QueryDict) -> dict[str, Any]:
    """The raw values of the payload form's fields, one value each (a QueryDict holds lists)."""
    if form is None:
        return {}
    return {
        name: f.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, f in form.fields.items()
    }


def _visible_case(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.visible_case(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _render_panel(
    request: HttpRequest, case: Case, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    template = f"{TEMPLATE}#panel" if getattr(request, "htmx", False) else TEMPLATE
    return render(
        request,
        template,
        {"case": case, "evidence_accept": EVIDENCE_ACCEPT, **context},
        status=status,
    )


def _refusal(request: HttpRequest, case: Case, error: TransitionError) -> HttpResponse:
    """A refusal that input cannot fix: the panel shows why, with a way back to a fresh page."""
    return _render_panel(
        request,
        case,
        {"problem": error.message, "reload": error.status in (400, 409)},
        status=error.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    now = timezone.now()
    case = _visible_case(request, pk)
    user = request.user

    if request.method == "GET":
        allowed = {spec.name: spec for spec in available_transitions(case, user, now=now)}
        if name in allowed:
            spec = allowed[name]
            form_state = FormState(spec=spec, payload_form=_payload_form(spec, case, user, now))
            return _render_panel(request, case, {"form_state": form_state})
        spec_here = transition_specs(case).get(name)
        if spec_here is None:
            return _refusal(request, case, not_from_here(case, name))
        if not may_take(getattr(case, name), user):
            return _refusal(request, case, TransitionDenied(_("您无权对本案执行此操作。")))
        return _refusal(
            request,
            case,
            InvalidTransition(_("当前不满足“%(action)s”的条件。") % {"action": spec_here.label}),
        )

    spec_or_none = transition_specs(case).get(name)
    note = request.POST.get("note", "")
    files = request.FILES.getlist("files")
    form = _payload_form(spec_or_none, case, user, now, request.POST) if spec_or_none else None
    try:
        transition_case(
            case,
            name,
            actor=user,
            note=note,
            payload=_payload(form, request.POST),
            files=files,
            now=now,
            # The page the person acted on showed this state; if the case moved since, their
            # choice was made on stale facts and the engine refuses it as a conflict.
            expected_state=request.POST.get("state") or None,
        )
    except CaseNotFound:
        raise Http404 from None
    except (TransitionDenied, TransitionConflict) as exc:
        return _refusal(request, case, exc)
    except InvalidTransition as exc:
        if spec_or_none is None or not exc.errors:
            return _refusal(request, case, exc)
        form_state = FormState(
            spec=spec_or_none,
            payload_form=form,
            note=note,
            errors=exc.errors,
            message=exc.message,
            had_files=bool(files),
        )
        return _render_panel(request, case, {"form_state": form_state}, status=400)

    assert spec_or_none is not None  # the engine refuses a transition that has no spec
    messages.success(request, _("已完成“%(action)s”。") % {"action": spec_or_none.label})
    url = reverse("console:case_detail", kwargs={"pk": case.pk})
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
