"""The bell (polled by htmx) and the notification list, which marks what it shows as read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from workflow import selectors
from workflow.models import Notification
from workflow.views.auth import login_required

PAGE_SIZE = 30


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "console/_bell.html", {"unread": selectors.unread_count(request.user)})


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    unread_ids = [n.pk for n in shown if n.read_at is None]
    if unread_ids:
        # Only the rows on this page: what the person has actually seen. Rows keep their
        # unread look for this one rendering, so the list still shows what was new.
        Notification.objects.filter(pk__in=unread_ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return render(
        request,
        "console/notifications.html",
        {"page": page, "notifications": shown, "unread_ids": set(unread_ids)},
    )
