"""The embedded default a newcomer gets: DEBUG on, a development secret, everything local."""

from __future__ import annotations

import base64
import hashlib

from config.settings.base import *  # noqa: F403
from config.settings.base import ECOLOOP_PII_KEYS, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "ecoloop-local-development-only-not-for-production"  # noqa: F405
# Django 6.1 MAILERS (EMAIL_BACKEND is deprecated): mail is printed to the console.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Reporter identities: a development key derived from the SECRET_KEY unless one is configured.
if not ECOLOOP_PII_KEYS:
    ECOLOOP_PII_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"ecoloop-pii:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
