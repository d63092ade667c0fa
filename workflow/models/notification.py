"""In-app notifications (the bell). E-mail and SMS channels arrive with the escalation work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models.case import Case
from workflow.models.event import CaseEvent


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="notifications", null=True
    )
    channel = models.CharField(_("渠道"), max_length=20, default="in_app")
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("plural", "通知")
        ordering = ["-created_at"]
        constraints = [
            # A redelivered task sends nothing twice.
            models.UniqueConstraint(
                fields=["event", "channel", "recipient"], name="notification_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.message
