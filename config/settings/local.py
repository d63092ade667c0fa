"""The embedded default a newcomer gets: DEBUG on, a development secret, everything local."""

from __future__ import annotations

import base64
import hashlib
import os

from config.settings.base import *  # noqa: F403
from config.settings.base import ECOLOOP_PII_KEYS, VAR_DIR, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "ecoloop-local-development-only-not-for-production"  # noqa: F405
# Django 6.1 MAILERS (EMAIL_BACKEND is deprecated): each e-mail is a readable file under
# var/mail/ (text messages go to var/sms/, see SMS_FOLDER); nothing a reporter wrote or is sent
# reaches the terminal or a log.
MAILERS = {
    "default": {
        "BACKEND": "workflow.mailbox.EmailFileBackend",
        "OPTIONS": {"folder": str(VAR_DIR / "mail")},
    }
}

# Reporter identities: a development key derived from the SECRET_KEY unless one is configured.
if not ECOLOOP_PII_KEYS:
    ECOLOOP_PII_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"ecoloop-pii:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

# Public links (tracking pages) printed by `seed --logins` in another terminal point at the
# address `runall` is serving, which it writes down while it runs.
_served = VAR_DIR / "server-url"
if not os.environ.get("ECOLOOP_PUBLIC_BASE_URL") and _served.exists():
    ECOLOOP_PUBLIC_BASE_URL = _served.read_text(encoding="utf-8").strip()
