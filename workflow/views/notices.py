"""An issued notice, as the print-friendly page it was rendered to; its PDF is an attachment."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from workflow import selectors
from workflow.views.auth import login_required


@login_required
@require_safe
def notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of a case the user may see; any other is a 404, as a missing one is."""
    notice = selectors.visible_notice(request.user, pk)
    if notice is None:
        raise Http404
    response = render(request, "notices/page.html", {"notice": notice})
    response["Cache-Control"] = "private, no-store"
    return response
