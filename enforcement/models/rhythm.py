"""The bureau's rhythm (日分析·周调度·月通报): documents taken once by the beat, then frozen like a
ranking snapshot, and the 问责建议 a 月通报 proposes."""

from __future__ import annotations

from django.conf import settings
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


class WeeklyAgenda(models.Model):
    """周调度: a week's agenda for the bureau's 调度会 — the units at the bottom of last week's
    周排名, the oldest overdue items and the campaigns behind their 清零 date — taken on Monday
    morning and frozen. A leader acts from it: a 督办事项 (会议议定) to a lagging unit, a 调度令
    of a campaign, a notice on an overdue case."""

    region = models.ForeignKey(
        Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="weekly_agendas"
    )
    #: The Monday of the week the agenda is for.
    first_day = models.DateField(_("周一"))
    #: [{"unit", "name", "rank", "score", "of"}] from the 周排名 snapshot, the lowest first.
    lagging = models.JSONField(_("排名靠后的单位"))
    #: [{"case_id", "case_no", "title", "unit", "due_at", "days", "level"}], the oldest first.
    overdue = models.JSONField(_("逾期事项"))
    #: [{"campaign_id", "name", "clear_by", "open", "days_left"}]: behind or near 清零.
    campaigns = models.JSONField(_("滞后的专项行动"))
    digest = models.CharField(_("校验值"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("周调度")
        verbose_name_plural = pgettext_lazy("plural", "周调度")
        ordering = ["-first_day", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "first_day"], name="weekly_agenda_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.first_day:%Y-%m-%d}"


class MonthlyBulletin(models.Model):
    """月通报: the bureau's numbered bulletin of a month (〔year〕n号), built on the month's 月考核
    snapshot and its 约谈, 督办 and 督察 figures, with the 一票否决 and 问责建议 the rules give;
    frozen, delivered to every unit, printed as a PDF from what is stored."""

    region = models.ForeignKey(
        Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="bulletins"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60, unique=True)
    snapshot = models.ForeignKey(
        "enforcement.RankingSnapshot",
        verbose_name=_("月考核快照"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=120)
    #: The text as printed: paragraphs, then (label, value) lines.
    paragraphs = models.JSONField(_("正文"))
    facts = models.JSONField(_("附表"))
    #: The month's figures: {"yuetan", "supervised", "ducha_open", "ducha_overdue", …}.
    figures = models.JSONField(_("数据"))
    #: 一票否决: [{"unit", "name", "reasons": [...]}] — no 评优 for the year.
    vetoed = models.JSONField(_("一票否决"))
    digest = models.CharField(_("校验值"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("月通报")
        verbose_name_plural = pgettext_lazy("plural", "月通报")
        ordering = ["-year", "-month", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month"], name="monthly_bulletin_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="monthly_bulletin_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("待领导决定")
    ADOPTED = "adopted", _("已采纳")
    DISMISSED = "dismissed", _("不予采纳")


class AccountabilitySuggestion(models.Model):
    """问责建议 for a unit ranked at the bottom again and again (多次排名靠后): proposed by a
    月通报, decided by a leader of the bureau, who gives the reason either way."""

    bulletin = models.ForeignKey(
        MonthlyBulletin,
        verbose_name=_("月通报"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("建议理由"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.SUGGESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    note = models.TextField(_("决定意见"), blank=True)

    class Meta:
        verbose_name = _("问责建议")
        verbose_name_plural = pgettext_lazy("plural", "问责建议")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "unit"], name="suggestion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin.number} {self.unit.name}"
