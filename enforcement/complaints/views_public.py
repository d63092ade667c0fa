"""The public's pages (no login): file a complaint, the receipt, track it by code, rate the reply,
ask for a 复查.

Whoever holds a tracking code is the reporter as far as these pages know: the code is the proof
the engine's public transitions (`actor=None`) rely on. What a page shows of a complaint comes
from `progress.public_progress` and nothing else; lookups by code are rate-limited per client so
the 60-bit codes cannot be scanned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enforcement.complaints import qr, ratelimit
from enforcement.complaints.progress import public_progress
from enforcement.complaints.public_forms import (
    ComplaintForm,
    LookupForm,
    PublicRatingForm,
    ReviewRequestForm,
)
from enforcement.complaints.services import normalise_tracking_code, submit
from enforcement.models import Complaint, Rating
from workflow.transitions import TransitionConflict, TransitionError, transition_case

TEMPLATES = "complaints/public/"
#: The engine names the uploads "files"; the form's field is "attachments".
UPLOAD_FIELDS = {"files": "attachments"}


def _private(response: HttpResponse, *, referrer: str = "no-referrer") -> HttpResponse:
    """A page that carries a tracking code: kept out of caches, referrers and search engines."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex"
    return response


def _with_retry_after(response: HttpResponse, rate: str) -> HttpResponse:
    _count, seconds = ratelimit.parse_rate(rate)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def _too_many(request: HttpRequest, rate: str) -> HttpResponse:
    response = render(request, TEMPLATES + "too_many.html", status=429)
    return _private(_with_retry_after(response, rate))


def _see_other(to: str) -> HttpResponse:
    """After a POST (or a lookup), the browser GETs the page it is sent to."""
    return HttpResponseRedirect(to, status=303)


def _lookup_allowed(request: HttpRequest) -> bool:
    return ratelimit.allow(request, "lookup", settings.ECOLOOP_PUBLIC_LOOKUP_RATE)


def _not_found(request: HttpRequest) -> HttpResponse:
    # A malformed code and an unknown one get the same answer: nothing to learn from the reply.
    return _private(render(request, TEMPLATES + "not_found.html", status=404))


def _complaint_for(code: str) -> Complaint | None:
    normalised = normalise_tracking_code(code)
    if not normalised:
        return None
    return Complaint.objects.filter(tracking_code=normalised).first()


def _complaint_or_refusal(request: HttpRequest, code: str) -> Complaint | HttpResponse:
    """The complaint a code in the address names, or the answer when the client has looked up
    too many codes or the code names none."""
    if not _lookup_allowed(request):
        return _too_many(request, settings.ECOLOOP_PUBLIC_LOOKUP_RATE)
    complaint = _complaint_for(code)
    if complaint is None:
        return _not_found(request)
    return complaint


def _add_errors(
    form: forms.Form, errors: Mapping[str, list[str]], names: Mapping[str, str]
) -> None:
    """The engine's field errors beside the form's fields (`names`: engine name → form field);
    an error of a field the form does not have goes to the top of the form."""
    for name, field_errors in errors.items():
        target = names.get(name, name)
        for error in field_errors:
            form.add_error(target if target in form.fields else None, error)


# --- filing -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def new_complaint(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    if request.method != "POST":
        response = render(request, TEMPLATES + "form.html", {"form": ComplaintForm(now=now)})
        response["Cache-Control"] = "no-store"  # the CAPTCHA is single-use
        return response
    if not ratelimit.allow(request, "submit", settings.ECOLOOP_PUBLIC_SUBMIT_RATE):
        # Refused unread; what was typed is handed back so it can be sent again later.
        form = ComplaintForm.refilled(request.POST, now=now)
        response = render(
            request, TEMPLATES + "form.html", {"form": form, "throttled": True}, status=429
        )
        return _with_retry_after(response, settings.ECOLOOP_PUBLIC_SUBMIT_RATE)
    form = ComplaintForm(request.POST, request.FILES, now=now)
    if form.is_valid():
        try:
            complaint = submit(
                form.submission(), form.identity(), files=form.cleaned_data["attachments"], now=now
            )
        except TransitionError as exc:
            # A rejected upload (type, size, too many) or a model check: shown beside its field,
            # the rest of what was typed stays in the form.
            _add_errors(form, exc.errors, UPLOAD_FIELDS)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            return _see_other(
                reverse("complaints:receipt", kwargs={"code": complaint.tracking_code})
            )
    response = render(request, TEMPLATES + "form.html", {"form": form}, status=400)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _complaint_or_refusal(request, code)
    if isinstance(complaint, HttpResponse):
        return complaint
    context = {
        "complaint": complaint,
        "progress": public_progress(complaint, now=timezone.now()),
        "qr": qr.inline_qr(complaint),
        "notice_days": settings.ECOLOOP_ACCEPTANCE_NOTICE_DAYS,
    }
    return _private(render(request, TEMPLATES + "receipt.html", context))


# --- tracking -----------------------------------------------------------------------------------


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """The code typed by hand (a GET form: the result is a page to bookmark, nothing changes)."""
    if "code" not in request.GET:
        return _private(render(request, TEMPLATES + "lookup.html", {"form": LookupForm()}))
    if not _lookup_allowed(request):
        return _too_many(request, settings.ECOLOOP_PUBLIC_LOOKUP_RATE)
    form = LookupForm(request.GET)
    status = 400
    if form.is_valid():
        normalised = normalise_tracking_code(form.cleaned_data["code"])
        if not normalised:
            form.add_error(
                "code", _("查询码应为12位字母和数字（可带短横线），如 ABCD-EFGH-JKMN，请核对。")
            )
        elif not Complaint.objects.filter(tracking_code=normalised).exists():
            form.add_error("code", _("没有找到这个查询码对应的反映事项，请核对后重新输入。"))
            status = 404
        else:
            return _private(_see_other(reverse("complaints:track", kwargs={"code": normalised})))
    return _private(render(request, TEMPLATES + "lookup.html", {"form": form}, status=status))


def _track_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    form: PublicRatingForm | ReviewRequestForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The tracking page; `form`, a public form sent back with its errors, is shown open."""
    rating_form = form if isinstance(form, PublicRatingForm) else None
    review_form = form if isinstance(form, ReviewRequestForm) else None
    progress = public_progress(complaint, now=timezone.now())
    seen = {"seen_state": complaint.state}
    context: dict[str, Any] = {
        "code": complaint.tracking_code,
        "progress": progress,
        "rating_form": rating_form or PublicRatingForm(initial=seen),
        "review_form": review_form or ReviewRequestForm(initial=seen),
        "error": error,
        "rating_open": rating_form is not None,
        "review_open": review_form is not None,
    }
    if progress.review_due is not None:
        # The window ends at 24:00 of its last day (stored as the next day's first instant).
        context["review_last_day"] = timezone.localtime(
            progress.review_due - dt.timedelta(seconds=1)
        ).date()
    response = render(request, TEMPLATES + "track.html", context, status=status)
    if progress.can_rate or progress.can_request_review:
        # Under "no-referrer" browsers send `Origin: null` with a form's POST, which Django's
        # CSRF check refuses; "same-origin" still never tells another site the address.
        return _private(response, referrer="same-origin")
    return _private(response)


@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _complaint_or_refusal(request, code)
    if isinstance(complaint, HttpResponse):
        return complaint
    if code != complaint.tracking_code:
        # Typed in lower case or without dashes: one address per complaint.
        return _private(
            HttpResponseRedirect(
                reverse("complaints:track", kwargs={"code": complaint.tracking_code})
            )
        )
    return _track_page(request, complaint)


@require_safe
def qr_code(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _complaint_or_refusal(request, code)
    if isinstance(complaint, HttpResponse):
        return complaint
    response = HttpResponse(qr.tracking_qr_svg(complaint), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{complaint.tracking_code}.svg"'
    return _private(response)


# --- the reporter acts --------------------------------------------------------------------------


#: The engine's note is the public forms' "reason".
PUBLIC_FIELDS = {"note": "reason"}


@dataclass(frozen=True)
class PublicAct:
    """A public transition the reporter asked for: what the engine runs, and what they are told."""

    name: str
    done: str
    note: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


def _public_post(
    request: HttpRequest,
    code: str,
    form_class: type[PublicRatingForm] | type[ReviewRequestForm],
    act: Callable[[dict[str, Any]], PublicAct],
) -> HttpResponse:
    """A public POST from the tracking page: whoever proves the code runs the transition `act`
    makes of the form (with `actor=None`); a refusal comes back on the page, beside the form."""
    complaint = _complaint_or_refusal(request, code)
    if isinstance(complaint, HttpResponse):
        return complaint
    form = form_class(request.POST)
    if not form.is_valid():
        return _track_page(request, complaint, form=form, error=_("请检查填写的内容。"), status=400)
    chosen = act(form.cleaned_data)
    seen = form.cleaned_data.get("seen_state") or complaint.state
    try:
        transition_case(
            complaint,
            chosen.name,
            actor=None,
            note=chosen.note,
            payload=chosen.payload or None,
            now=timezone.now(),
            expected_state=seen,
        )
    except TransitionConflict as exc:
        fresh = Complaint.objects.get(pk=complaint.pk)
        return _track_page(request, fresh, error=exc.message, status=409)
    except TransitionError as exc:
        _add_errors(form, exc.errors, PUBLIC_FIELDS)
        return _track_page(request, complaint, form=form, error=exc.message, status=exc.status)
    messages.success(request, chosen.done)
    return _private(
        _see_other(reverse("complaints:track", kwargs={"code": complaint.tracking_code}))
    )


def _rating(data: dict[str, Any]) -> PublicAct:
    if data["rating"] == Rating.DISSATISFIED:
        return PublicAct(
            "rate_dissatisfied",
            note=data["reason"],
            done=_("已收到您的评价和理由，我们将重新研究处理并告知您结果。"),
        )
    return PublicAct(
        "rate", payload={"rating": data["rating"]}, done=_("感谢您的评价，本件已办结。")
    )


def _review(data: dict[str, Any]) -> PublicAct:
    return PublicAct(
        "request_review",
        note=data["reason"],
        done=_("复查申请已提交，上一级机关将在30日内出具复查意见。"),
    )


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    return _public_post(request, code, PublicRatingForm, _rating)


@require_POST
def request_review(request: HttpRequest, code: str) -> HttpResponse:
    return _public_post(request, code, ReviewRequestForm, _review)
