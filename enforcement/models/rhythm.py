"""日分析: a bureau's open work per responsible unit as it stood on a working day's morning —
taken once by the beat (or on demand), then frozen like a ranking snapshot."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models import Unit


class DailyAnalysis(models.Model):
    region = models.ForeignKey(
        Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="daily_analyses"
    )
    day = models.DateField(_("日期"))
    #: [{"unit_id", "unit", "new", "due_today", "overdue", "escalated", "open"}], the units with
    #: anything to report, most overdue first.
    rows = models.JSONField(_("各单位情况"))
    #: The same counts over the whole bureau.
    totals = models.JSONField(_("合计"))
    digest = models.CharField(_("校验值"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("日分析")
        verbose_name_plural = pgettext_lazy("plural", "日分析")
        ordering = ["-day", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="daily_analysis_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.day:%Y-%m-%d}"
