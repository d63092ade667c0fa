"""巡查记录: a shift's patrol of an area or route (24小时巡查及响应机制), and what it found.

Each finding becomes a 即知即改事项 at once (`enforcement.patrols.services.record_finding`): its
photos are the evidence of the case's first event, with the time and place they were taken.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enforcement.models.geo import latitude_field, longitude_field
from workflow.models.unit import Unit


class Shift(models.TextChoices):
    DAY = "day", _("白班")
    NIGHT = "night", _("夜班")
    ALL_DAY = "all_day", _("24小时值守")


class Patrol(models.Model):
    """One shift's patrol: who went where, when, under which campaign."""

    region = models.ForeignKey(
        Unit,
        verbose_name=_("管辖单位"),
        on_delete=models.PROTECT,
        related_name="patrols",
        help_text=_("巡查所属的局（市局或分局/县局），即知即改事项在此立案。"),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("巡查单位"), on_delete=models.PROTECT, related_name="patrols_done"
    )
    campaign = models.ForeignKey(
        "enforcement.Campaign",
        verbose_name=_("专项行动"),
        on_delete=models.PROTECT,
        related_name="patrols",
        null=True,
        blank=True,
    )
    shift = models.CharField(_("班次"), max_length=10, choices=Shift.choices, default=Shift.DAY)
    area = models.CharField(_("巡查区域或路线"), max_length=200)
    patrollers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("巡查人员"), related_name="patrols"
    )
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary = models.TextField(_("巡查小结"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = pgettext_lazy("plural", "巡查记录")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["region", "started_at"], name="patrol_by_region")]

    def __str__(self) -> str:
        return f"{self.area} {self.started_at:%Y-%m-%d %H:%M}"


class PatrolFinding(models.Model):
    """A problem found on patrol, where and when, and the 即知即改事项 it became."""

    patrol = models.ForeignKey(
        Patrol, verbose_name=_("巡查记录"), on_delete=models.PROTECT, related_name="findings"
    )
    place = models.ForeignKey(
        "enforcement.Place",
        verbose_name=_("点位"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    location = models.CharField(_("发现地点"), max_length=200)
    description = models.TextField(_("发现问题"))
    found_at = models.DateTimeField(_("发现时间"))
    longitude = longitude_field()
    latitude = latitude_field()
    case = models.OneToOneField(
        "enforcement.RapidItem",
        verbose_name=_("即知即改事项"),
        on_delete=models.PROTECT,
        related_name="finding",
    )

    class Meta:
        verbose_name = _("巡查发现问题")
        verbose_name_plural = pgettext_lazy("plural", "巡查发现问题")
        ordering = ["found_at", "pk"]

    def __str__(self) -> str:
        return f"{self.location} {self.found_at:%Y-%m-%d %H:%M}"
