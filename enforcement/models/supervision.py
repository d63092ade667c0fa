"""Case types of the bureau. The first: a generic supervision item (督办事项)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models import Case


class SupervisionSource(models.TextChoices):
    LEADER_INSTRUCTION = "leader", _("领导批示")
    MEETING = "meeting", _("会议议定")
    UPPER_ASSIGNMENT = "upper", _("上级交办")
    INSPECTION = "inspection", _("督察发现")
    CAMPAIGN = "campaign", _("专项行动")
    DAILY = "daily", _("日常监管")
    OTHER = "other", _("其他")


class SupervisionItem(Case):
    """督办事项: a task assigned to a responsible unit with a rectification deadline, run through
    the shared closed loop 交办 → 签收 → 整改 → 反馈 → 核查 → 销号."""

    source = models.CharField(
        _("来源"), max_length=20, choices=SupervisionSource.choices, default=SupervisionSource.DAILY
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    requirement = models.TextField(_("整改要求"), blank=True)
    #: The 调度令 that dispatched it (a campaign's task).
    order = models.ForeignKey(
        "enforcement.CampaignOrder",
        verbose_name=_("调度令"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = pgettext_lazy("plural", "督办事项")
