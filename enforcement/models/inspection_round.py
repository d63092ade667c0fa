"""督察轮次 and its 边督边改 batches: the programme a 督察 item belongs to (DESIGN.md §8).

A round is a central or provincial 生态环境保护督察 (not a 现场检查, which is `Inspection`):
the team is stationed (进驻) for about a month and forwards the public's complaints in numbered
daily batches (第N批), each with a reply deadline; later it gives its feedback (反馈). The
forwarded items are cases (`ForwardedComplaint`); what the public reads of them is an
immutable `ForwardedPublication` signed by a supervisor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models.unit import Unit


class RoundLevel(models.TextChoices):
    CENTRAL = "central", _("中央生态环境保护督察")
    PROVINCIAL = "provincial", _("省级生态环境保护督察")
    SPECIAL = "special", _("专项督察")
    YELLOW_RIVER = "yellow_river", _("黄河警示片")
    PATROL = "patrol", _("巡视反馈")
    OTHER = "other", _("其他上级交办")


class InspectionRound(models.Model):
    level = models.CharField(_("督察类别"), max_length=20, choices=RoundLevel.choices)
    name = models.CharField(
        _("名称"), max_length=100, help_text=_("如：第三轮第二批中央生态环境保护督察")
    )
    #: The bureau whose cases the round's items are (the city): its staff see the round.
    region = models.ForeignKey(
        Unit, verbose_name=_("被督察地区"), on_delete=models.PROTECT, related_name="+"
    )
    lead_office = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("如：市督察整改办"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), blank=True, related_name="+"
    )
    inspected_units = models.ManyToManyField(
        Unit, verbose_name=_("被督察单位"), blank=True, related_name="+"
    )
    stationed_from = models.DateField(_("进驻日期"))
    stationed_until = models.DateField(_("进驻结束日期"), null=True, blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    #: The 整改方案: due N working days after the feedback (`task_services.plan_due`).
    plan_published_on = models.DateField(_("整改方案公开日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("督察轮次")
        verbose_name_plural = pgettext_lazy("plural", "督察轮次")
        ordering = ["-stationed_from", "-pk"]

    def __str__(self) -> str:
        return self.name


class ForwardedBatch(models.Model):
    """第N批: the complaints the team forwarded on one day, with the reply deadline it set."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("督察轮次"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    number = models.PositiveSmallIntegerField(_("批次"))
    received_at = models.DateTimeField(_("接收时间"))
    #: Often days, sometimes hours after receipt; each item's 反馈期限 is this instant.
    reply_due_at = models.DateTimeField(_("反馈期限"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("边督边改批次")
        verbose_name_plural = pgettext_lazy("plural", "边督边改批次")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="forwarded_batch_unique"),
            models.CheckConstraint(
                condition=models.Q(reply_due_at__gt=models.F("received_at")),
                name="forwarded_batch_due_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return _("%(round)s 第%(number)d批") % {"round": self.round, "number": self.number}


class ForwardedPublication(models.Model):
    """A 公开情况一览表 of a batch, as signed on a day: the public page and the Excel are built
    from `entries` alone, which hold only public-safe, masked fields (a database trigger keeps
    the row as it was signed)."""

    batch = models.ForeignKey(
        ForwardedBatch,
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    #: 第N期 of the batch's lists: a supervisor may sign twice on one day.
    number = models.PositiveSmallIntegerField(_("期次"))
    day = models.DateField(_("公开日期"))
    #: [{"code", "summary", "area", "pollution", "findings", "truth", "actions",
    #:   "accountability", "status"}] in the order published
    entries = models.JSONField(_("公开内容"))
    digest = models.CharField(_("校验值"), max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"))

    class Meta:
        verbose_name = _("边督边改公开情况一览表")
        verbose_name_plural = pgettext_lazy("plural", "边督边改公开情况一览表")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="forwarded_publication_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.day:%Y-%m-%d}"


class DispatchReport(models.Model):
    """月调度: a round's rectification progress as it stood when the report was taken, numbered
    (a gap-free 文号 per bureau and year) and frozen like a ranking snapshot; its Excel and PDF
    are made from `rows` and `summary` alone."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("督察轮次"),
        on_delete=models.PROTECT,
        related_name="dispatch_reports",
    )
    #: The bureau that issues it: 文号 run per bureau and year across its rounds.
    region = models.ForeignKey(
        Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    first_day = models.DateField(_("起始日"))
    last_day = models.DateField(_("截止日"))
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60)
    #: [{"problem", "task", "title", "horizon", "lead", "parts", "leader", "due", "state",
    #:   "progress", "rebounds"}] in the lists' order
    rows = models.JSONField(_("调度内容"))
    #: {"by_unit": {...}, "by_leader": {...}, "by_problem": {...}, "total": {...}}: counts per
    #: progress status
    summary = models.JSONField(_("汇总"))
    digest = models.CharField(_("校验值"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("督察整改月调度")
        verbose_name_plural = pgettext_lazy("plural", "督察整改月调度")
        ordering = ["-first_day", "-pk"]
        constraints = [
            # The beat's report of a whole month, or one taken on demand for the month so far.
            models.UniqueConstraint(
                fields=["round", "first_day", "last_day"], name="dispatch_report_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="dispatch_report_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number
