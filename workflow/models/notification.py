"""Notifications: one row per (event, rung or document, channel, recipient), delivered by the
workers. A document is a bureau's periodic output (a 日分析, a 月通报): it belongs to no case and
names the page it is read on (`link`).

In-app rows are delivered when created; e-mail and SMS rows are claimed by a worker with a
conditional update (pending → sending), sent outside any transaction, and marked sent or failed
with a retry time. The unique constraints make a redelivered task or a second sweep harmless.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models.case import Case
from workflow.models.escalation import Escalation
from workflow.models.event import CaseEvent


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class Notification(models.Model):
    #: None for someone outside the system (a complaint's reporter): the address is read from
    #: the case type's `external_contact` at send time and never stored here.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    #: A document's key ("daily:42") when the row delivers one instead of news of a case.
    document = models.CharField(_("文档"), max_length=60, blank=True)
    #: Where a document is read (a console path); a case's row links to its case.
    link = models.CharField(_("链接"), max_length=200, blank=True)
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    escalation = models.ForeignKey(
        Escalation,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("渠道"), max_length=20, choices=Channel.choices, default=Channel.IN_APP
    )
    message = models.CharField(_("内容"), max_length=300)
    #: SMS in China needs a pre-approved template: the code and its parameters, not free text.
    template_code = models.CharField(_("短信模板"), max_length=40, blank=True)
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(
        _("发送状态"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.SENT,
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [
            # A redelivered task or a second sweep sends nothing twice.
            models.UniqueConstraint(
                fields=["event", "channel", "recipient"],
                name="notification_once",
                condition=Q(event__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["escalation", "channel", "recipient"],
                name="notification_once_per_rung",
                condition=Q(escalation__isnull=False),
            ),
            # NULLs are distinct in a unique index: the reporter's rows need their own.
            models.UniqueConstraint(
                fields=["event", "channel"],
                name="notification_once_external",
                condition=Q(event__isnull=False, recipient__isnull=True),
            ),
            # A document reaches each person once per channel, however often it is sent.
            models.UniqueConstraint(
                fields=["document", "channel", "recipient"],
                name="notification_once_per_document",
                condition=~Q(document=""),
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | (~Q(document="") & Q(recipient__isnull=False)),
                name="notification_of_a_case_or_a_document",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["next_attempt_at"],
                name="notification_to_send",
                condition=Q(status__in=["pending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """The channels a person wants besides in-app, and their quiet hours (no SMS at night except
    for urgent rungs)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("接收电子邮件"), default=True)
    sms = models.BooleanField(_("接收短信"), default=True)
    quiet_start = models.TimeField(_("免打扰开始"), default=dt.time(22, 0))
    quiet_end = models.TimeField(_("免打扰结束"), default=dt.time(7, 0))

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)
