"""The case timeline: append-only events in a per-case hash chain, with their evidence files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models.case import Case


class CaseEvent(models.Model):
    """One thing that happened to a case: the timeline, the audit log and the notification outbox.

    Rows are never updated or deleted (a database trigger refuses it, see migration 0002), except
    `notified_at`, which the outbox sets once and which is not part of the hash.
    `hash = sha256(prev_hash + canonical fields)`; `workflow.chain.verify_chain` recomputes it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("序号"))
    transition = models.CharField(_("操作"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("操作人角色"), max_length=30, blank=True)
    actor_unit = models.CharField(_("操作人单位"), max_length=100, blank=True)
    note = models.TextField(_("意见/说明"), blank=True)
    payload = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = pgettext_lazy("plural", "案件记录")
        ordering = ["case_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="case_event_unnotified",
                condition=Q(notified_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.transition}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under the content hash: names chosen by uploaders never reach the file system.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """An evidence file (photo or document) attached to a case event. Append-only, like events."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("证据附件")
        verbose_name_plural = pgettext_lazy("plural", "证据附件")
        ordering = ["event_id", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
