"""专项行动 (a campaign) and its 调度令: a named drive with a period, a lead unit, participating
units, its own checklist and targets, and a 清零 date; a 调度令 dispatches it in one action —
one 督办事项 to each unit and one 专项检查 to each target, every one a case of the loop."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models import Unit


class CampaignKind(models.TextChoices):
    ENFORCEMENT = "enforcement", _("专项执法")
    RECTIFICATION = "rectification", _("专项整治")
    TACKLING = "tackling", _("攻坚行动")
    SEASONAL = "seasonal", _("季节性管控")


class Campaign(models.Model):
    name = models.CharField(_("行动名称"), max_length=200)
    kind = models.CharField(_("行动类别"), max_length=20, choices=CampaignKind.choices)
    #: The bureau that runs it: its 调度令 are numbered there and its cases are in its reach.
    region = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("参与单位"), related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    #: 清零: every task and check of the campaign done by this day.
    clear_by = models.DateField(_("清零日期"))
    requirement = models.TextField(_("工作要求"), blank=True)
    #: The campaign's own checklist (工地“六个百分百”, 餐饮油烟 …): [{"code", "item"}]; its checks
    #: answer it instead of the general one.
    checklist = models.JSONField(_("检查清单"), default=list, blank=True)
    targets = models.ManyToManyField(
        "enforcement.Enterprise", verbose_name=_("检查对象"), related_name="campaigns", blank=True
    )
    places = models.ManyToManyField(
        "enforcement.Place", verbose_name=_("点位"), related_name="campaigns", blank=True
    )
    #: 即知即改 within the campaign: a finding is to be answered (签收) and disposed of (反馈)
    #: within these hours of its 交办; empty, the bureau's settings.
    response_hours = models.PositiveSmallIntegerField(_("响应时限（小时）"), null=True, blank=True)
    disposal_hours = models.PositiveSmallIntegerField(_("处置时限（小时）"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = pgettext_lazy("plural", "专项行动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def checklist_items(self) -> list[tuple[str, str]]:
        return [(str(row["code"]), str(row["item"])) for row in self.checklist]


class CampaignOrder(models.Model):
    """调度令: numbered per bureau and year (太原环调令〔2026〕3号) and frozen once issued; the
    cases it made point back to it (`SupervisionItem.order`, `Inspection.order`)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="orders"
    )
    region = models.ForeignKey(
        Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    requirement = models.TextField(_("调度要求"))
    #: The units' 整改期限 and the checks' 检查期限.
    rectify_due = models.DateField(_("完成时限"), null=True, blank=True)
    inspect_by = models.DateField(_("检查期限"), null=True, blank=True)
    #: As issued: [{"id", "name"}] of the units, and the number of targets.
    units = models.JSONField(_("交办单位"), default=list)
    target_count = models.PositiveIntegerField(_("检查对象数"), default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("签发时间"))

    class Meta:
        verbose_name = _("调度令")
        verbose_name_plural = pgettext_lazy("plural", "调度令")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="campaign_order_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def unit_names(self) -> list[Any]:
        return [row["name"] for row in self.units]
