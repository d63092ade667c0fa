"""我的待办: what waits for the signed-in person, the most urgent first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from workflow import selectors
from workflow.views.auth import login_required

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/inbox.html", {"page": page, "now": timezone.now()})
