"""What the staff pages that open cases share: the origin a GET parameter names (visible or
404), the bureau's enterprises, and the POST handling of a page that opens a case through a
service (403 on refusal, 400 with the errors beside the fields, the case page on success)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from enforcement.models import Enterprise
from workflow.models.unit import Unit, unit_of
from workflow.transitions import TransitionDenied, TransitionError


def bureau_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The enterprises of the person's bureau: a 执法大队 inspects and opens cases for its
    bureau (as `open_case` lets a bureau's teams open its cases)."""
    unit = unit_of(user)
    if unit is None:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(jurisdiction__path__startswith=unit.region().path)


def origin[M: Model](request: HttpRequest, name: str, model: type[M]) -> M | None:
    """The object a GET parameter names, if the person may see it; a 404 otherwise."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    manager: Any = model._default_manager
    queryset = (
        manager.visible_to(request.user)
        if hasattr(manager, "visible_to")
        else bureau_enterprises(request.user)
    )
    found = queryset.filter(pk=int(raw)).first()
    if found is None:
        raise Http404
    return cast("M", found)


def apply_errors(form: forms.Form, error: TransitionError) -> None:
    for name, errors in (error.errors or {"__all__": [error.message]}).items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def create_page(
    request: HttpRequest,
    form: forms.Form,
    create: Callable[[dict[str, Any]], tuple[Any, str]],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page that opens a case through a service: the form, then the case page with a message;
    the service's refusal is a 403, its objections go beside the fields (400, nothing saved)."""
    if request.method == "POST":
        if form.is_valid():
            try:
                case, done = create(form.cleaned_data)
            except TransitionDenied as exc:
                raise PermissionDenied(exc.message) from None
            except TransitionError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("console:case_detail", pk=case.pk)
        return render(request, template, {"form": form, **context}, status=400)
    return render(request, template, {"form": form, **context})


def home_bureau(unit: Unit) -> Unit | None:
    """The bureau (region) whose cases the person works: the top of what they may choose."""
    try:
        reach = unit.reach()
        return reach if reach.is_region else reach.region()
    except ValueError:  # a unit outside every bureau's tree
        return None


def bureaus_within_reach(unit: Unit, *, active_only: bool = False) -> list[Unit]:
    """The bureaus (regions) of the person's reach, top first."""
    root = home_bureau(unit)
    if root is None:
        return []
    bureaus = Unit.objects.subtree_of(root).regions()
    if active_only:
        bureaus = bureaus.filter(active=True)
    return list(bureaus.order_by("path"))
