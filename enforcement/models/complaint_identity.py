"""The reporter of a complaint: their identity, sealed, and who opened it.

The name and contacts live encrypted in `ReporterIdentity`, which only the intake role may open
(`enforcement.complaints.identity`), and every opening is logged in `IdentityReveal`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models.complaint import Complaint


class ReporterIdentity(models.Model):
    """The reporter's name and contacts, encrypted at rest (Fernet, key from the environment).

    Opened only through `enforcement.complaints.identity.reveal`, by the intake role, with a
    reason that is logged; the worker reads the contact to send the reporter's messages.
    """

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="reporter_identity"
    )
    ciphertext = models.TextField()
    #: A keyed digest of the phone number, to recognise the same person (同人) without reading it.
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    has_phone = models.BooleanField(default=False)
    has_email = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("举报人身份（加密）")
        verbose_name_plural = _("举报人身份（加密）")

    def __str__(self) -> str:
        return f"reporter of {self.complaint_id}"


class IdentityReveal(models.Model):
    """Who opened a reporter's identity, when and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="reveals")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("查看理由"), max_length=200)
    created_at = models.DateTimeField(_("查看时间"))

    class Meta:
        verbose_name = _("举报人信息查看记录")
        verbose_name_plural = _("举报人信息查看记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.actor_id} → {self.complaint_id}"
