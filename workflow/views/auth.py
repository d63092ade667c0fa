"""Signing in and out. Failed attempts are counted by django-axes (AxesStandaloneBackend)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import decorators as auth_decorators
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or an image tag cannot sign a person out."""


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django's `login_required`, except that an htmx request of an expired session sends the
    whole page to the login form: following the redirect would swap the login page into the
    bell or the transition panel."""
    guarded = auth_decorators.login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            current = request.htmx.current_url_abs_path or request.get_full_path()  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(redirect_to_login(current).url)
        return guarded(request, *args, **kwargs)

    return wrapper
