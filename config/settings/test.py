"""Settings for the test suite: same as local, fast hashing, in-memory e-mail."""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, ECOLOOP_PII_KEYS

SECRET_KEY = "ecoloop-test-secret-key-not-for-production-use-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = "workflow.sms.LocmemBackend"
SMS_TEMPLATES = {
    "CASE_STATE": "SMS_0001",
    "ESCALATION": "SMS_0002",
    "COMPLAINT_STATUS": "SMS_0003",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process. The worker tests (tests/test_worker.py, run when ECOLOOP_TEST_WORKER=1
# provides a real worker) turn eager mode off for themselves only: tests that capture on-commit
# callbacks inside an uncommitted test transaction must not hand their ids to another process.
# One process: an in-memory cache, emptied before every test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not shared-cache memory: concurrent tests then see WAL + IMMEDIATE locking exactly as
    # the embedded default does. One file per test process, so parallel runs never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "ECOLOOP_TEST_SQLITE",
            str(Path(tempfile.gettempdir()) / f"ecoloop-test-{os.getpid()}.sqlite3"),
        )
    }

# Reporter identities: a development key derived from the SECRET_KEY unless one is configured.
if not ECOLOOP_PII_KEYS:
    ECOLOOP_PII_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"ecoloop-pii:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
