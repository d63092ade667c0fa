"""Numbered official notices: 催办通知书, 督办单, 挂牌督办通知, 约谈通知书, 通报."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models.case import Case
from workflow.models.event import Attachment, CaseEvent
from workflow.models.unit import Unit


class NoticeKind(models.TextChoices):
    CHASE = "chase", _("催办通知书")
    SUPERVISE = "supervise", _("督办单")
    LISTED = "listed", _("挂牌督办通知")
    TALK = "talk", _("约谈通知书")
    CIRCULAR = "circular", _("通报")


class NoticeSequence(models.Model):
    """The last 文号 sequence per (issuing bureau, kind, year): gap-free, like case numbers."""

    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year"], name="notice_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.kind}/{self.year}: {self.last}"


class Notice(models.Model):
    """An issued notice. Its PDF is an Attachment of the event that issued it, so it is stored
    under its sha256 and served by the same permission-checked view as evidence."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("文号"), max_length=60, unique=True)
    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    addressee = models.ForeignKey(
        Unit, verbose_name=_("主送单位"), on_delete=models.PROTECT, related_name="notices_received"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    html = models.TextField(_("HTML"))
    response_due = models.DateField(_("书面回复期限"), null=True, blank=True)
    issued_at = models.DateTimeField(_("签发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation = models.ForeignKey(
        "workflow.Escalation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("通知文书")
        verbose_name_plural = _("通知文书")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year", "seq"], name="notice_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class YuetanSubject(models.TextChoices):
    UNIT = "unit", _("单位")
    OFFICIAL = "official", _("负责人")
    ENTERPRISE = "enterprise", _("企业")


class YuetanRecord(models.Model):
    """约谈台账: who was talked to, why, and the rectification report due within 30 days."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="yuetan_records", null=True, blank=True
    )
    subject_type = models.CharField(_("约谈对象类型"), max_length=12, choices=YuetanSubject.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="yuetan_records"
    )
    official = models.CharField(_("负责人"), max_length=50, blank=True)
    enterprise = models.CharField(_("企业"), max_length=200, blank=True)
    reason = models.TextField(_("约谈事由"))
    held_on = models.DateField(_("约谈日期"))
    minutes = models.TextField(_("约谈纪要"), blank=True)
    report_due = models.DateField(_("整改报告期限"))
    report_received_at = models.DateTimeField(_("整改报告收到时间"), null=True, blank=True)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["unit", "held_on"], name="yuetan_by_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on:%Y-%m-%d}"
