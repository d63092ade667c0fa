"""The Celery app. Tasks are thin: ids in, one service call; the database is the source of truth."""

from __future__ import annotations

import os

import kombu.transport.sqlalchemy as kombu_sqlalchemy
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# The embedded SQLite broker polls; the transport option would be passed to create_engine() and
# crash it, so the interval is set on the class (kombu 5.7, sqlalchemy transport).
kombu_sqlalchemy.Transport.polling_interval = 0.1

app = Celery("ecoloop", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
