"""Settings for the test suite: same as local, fast hashing, in-memory e-mail."""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403

SECRET_KEY = "ecoloop-test-secret-key-not-for-production-use-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process unless the run provides a real worker (ECOLOOP_TEST_WORKER=1).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("ECOLOOP_TEST_WORKER") != "1"
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
