"""The embedded default a newcomer gets: DEBUG on, a development secret, everything local."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "ecoloop-local-development-only-not-for-production"  # noqa: F405
# Django 6.1 MAILERS (EMAIL_BACKEND is deprecated): mail is printed to the console.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
