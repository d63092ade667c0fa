"""Deadlines as rows, and the working calendar's editable data."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from workflow.models.case import Case, DeadlineClock


class DeadlineStatus(models.TextChoices):
    PENDING = "pending", _("计时中")
    MET = "met", _("按期完成")
    LATE = "late", _("逾期完成")
    SUPERSEDED = "superseded", _("已变更")
    CANCELLED = "cancelled", _("已取消")


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def pending(self) -> DeadlineQuerySet:
        return self.filter(status=DeadlineStatus.PENDING)

    def due(self, now: dt.datetime) -> DeadlineQuerySet:
        return self.pending().filter(due_at__lte=now)


class Deadline(models.Model):
    """A time limit a case must meet while it is in `for_state`.

    Planned when the case enters the state (from its case type's policy), closed when it leaves.
    The due moment is 24:00 Asia/Shanghai of `due_date` (民法典 第二百零三条), stored as `due_at`.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("期限类型"), max_length=40)
    label = models.CharField(_("名称"), max_length=60)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    for_state = models.CharField(_("所属状态"), max_length=40)
    clock = models.CharField(_("计算方式"), max_length=10, choices=DeadlineClock.choices)
    length = models.PositiveSmallIntegerField(_("时长"), null=True, blank=True)
    is_main = models.BooleanField(_("主期限"), default=True)
    starts_at = models.DateTimeField(_("起算时间"))
    due_date = models.DateField(_("到期日"))
    due_at = models.DateTimeField(_("到期时间"))
    warn_at = models.DateTimeField(_("预警时间"))
    provisional = models.BooleanField(_("暂定"), default=False)
    paused_intervals = models.JSONField(_("暂停区间"), default=list, blank=True)
    fired_rungs = models.JSONField(_("已触发级别"), default=list, blank=True)
    #: The moment the next automatic rung of the ladder is due; the sweep reads only rows whose
    #: moment has come (a partial index), so its cost follows what is due, not what is open.
    next_rung_at = models.DateTimeField(_("下次督办时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=DeadlineStatus.choices, default=DeadlineStatus.PENDING
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = pgettext_lazy("plural", "期限")
        ordering = ["due_at"]
        indexes = [
            # The sweep reads only pending rows: its cost follows what is due, not what exists.
            models.Index(
                fields=["due_at"], name="deadline_pending_due", condition=Q(status="pending")
            ),
            models.Index(
                fields=["warn_at"], name="deadline_pending_warn", condition=Q(status="pending")
            ),
            models.Index(
                fields=["next_rung_at"],
                name="deadline_next_rung",
                condition=Q(status="pending", next_rung_at__isnull=False),
            ),
            models.Index(
                fields=["case", "for_state"],
                name="deadline_pending_case",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.due_date:%Y-%m-%d}"


class CalendarYear(models.Model):
    """A year whose official 调休 schedule (国务院办公厅 notice) is known and entered."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    confirmed = models.BooleanField(_("已确认"), default=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    source = models.CharField(_("依据文件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = pgettext_lazy("plural", "日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    """A day whose working status differs from the packaged holiday data (it always wins)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = pgettext_lazy("plural", "日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        status = gettext("上班") if self.is_workday else gettext("休息")
        return f"{self.date:%Y-%m-%d} {status}"
