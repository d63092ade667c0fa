"""周排名 and 月考核: immutable snapshots of the units' scores, with their formula and inputs.

A snapshot is written once per (kind, scope, period) by `enforcement.assessment.ranking.take`;
a database trigger refuses to change or delete it (`enforcement.assessment.triggers`), and a
re-run for the same period recomputes and compares instead of writing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.models.unit import Unit


class SnapshotKind(models.TextChoices):
    WEEKLY = "weekly", _("周排名")
    MONTHLY = "monthly", _("月考核")


class RankingSnapshot(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=SnapshotKind.choices)
    #: The bureau whose responsible units are ranked.
    scope = models.ForeignKey(
        Unit, verbose_name=_("考核范围"), on_delete=models.PROTECT, related_name="+"
    )
    first_day = models.DateField(_("起始日"))
    last_day = models.DateField(_("截止日"))
    #: The formula's version and text, and the weights in force (settings at the time).
    formula = models.TextField(_("计分公式"))
    weights = models.JSONField(_("权重"))
    #: [{unit: code, name, inputs: {...}, score: "87.50" | null, rank: 1 | null, excellence_void}]
    rows = models.JSONField(_("排名结果"))
    #: sha256 of the canonical rows, weights and formula: a re-run compares with it.
    digest = models.CharField(_("校验值"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("排名考核快照")
        verbose_name_plural = pgettext_lazy("plural", "排名考核快照")
        ordering = ["-first_day", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "first_day"], name="ranking_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope} {self.first_day:%Y-%m-%d}"


#: The penalty inputs an 应急响应期间 may count double (the weights' names in the formula).
DOUBLED_INDICATORS = ("overdue", "returns", "repeats", "yuetan")


class EmergencyResponse(models.Model):
    """应急响应期间 (a heavy-pollution alert, a flood): while it lasts, the chosen penalty
    indicators of the bureau's rankings count double — a 周排名 or 月考核 whose period overlaps it
    takes their weights ×2 (stored on the snapshot with the other weights). Entered in the admin
    before the rankings of its period are taken: a snapshot already taken keeps its weights, and
    a re-run of it would then report the history as changed."""

    region = models.ForeignKey(
        Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="emergencies"
    )
    name = models.CharField(_("应急响应"), max_length=100)
    starts_on = models.DateField(_("起始日"))
    ends_on = models.DateField(_("截止日"))
    #: Of DOUBLED_INDICATORS: which count double.
    indicators = models.JSONField(_("加倍计分的指标"), default=list)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("应急响应期间")
        verbose_name_plural = pgettext_lazy("plural", "应急响应期间")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_on:%Y-%m-%d}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("截止日不能早于起始日。")})
        unknown = [i for i in self.indicators or [] if i not in DOUBLED_INDICATORS]
        if unknown or not self.indicators:
            raise ValidationError(
                {"indicators": _("请从 overdue、returns、repeats、yuetan 中选择加倍的指标。")}
            )
