"""Production: PostgreSQL, Redis, HTTPS. Every secret comes from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
# Without these the base settings fall back to the embedded SQLite database and broker: fine for
# a newcomer's laptop, silent data loss waiting to happen on a server.
for required in ("DATABASE_URL", "REDIS_URL"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"{required} must be set in production (PostgreSQL, Redis).")

# Reporters' identities are encrypted with these keys (enforcement/complaints/identity.py);
# without one the bureau could not keep 《环境保护法》第五十七条's promise of secrecy.
if not ECOLOOP_PII_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "ECOLOOP_PII_KEY must be set in production: a Fernet key (python -c 'from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 60 * 60 * 8
ECOLOOP_DEMO_SEED = env_bool("ECOLOOP_DEMO_SEED", False)
# Django 6.1 MAILERS replaces EMAIL_BACKEND/EMAIL_HOST/…: SMTP configured from the environment.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ecoloop@localhost")
