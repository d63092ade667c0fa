"""The escalation ladder's record: every rung that fired, was suggested or was issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.models.case import Case
from workflow.models.deadline import Deadline


class Rung(models.IntegerChoices):
    """DESIGN.md §5's ladder. The value is the level shown on the case."""

    REMINDER = 0, _("提醒")
    YELLOW = 1, _("黄色预警")
    ORANGE = 2, _("橙色预警")
    CHASE = 3, _("催办")
    SUPERVISE = 4, _("督办")
    ELEVATE = 5, _("提级办理")
    LISTED = 6, _("挂牌督办")
    TALK = 7, _("约谈")
    CIRCULAR = 8, _("通报")
    ACCOUNTABILITY = 9, _("问责建议")


class EscalationStatus(models.TextChoices):
    FIRED = "fired", _("已触发")  # an automatic rung
    SUGGESTED = "suggested", _("待领导决定")  # a leader rung the ladder proposes
    ISSUED = "issued", _("已签发")  # a leader rung a leader decided
    DISMISSED = "dismissed", _("不予采纳")


class Escalation(models.Model):
    """One rung on one deadline. An automatic rung fires at most once per deadline (the unique
    constraint is what makes a redelivered task or two concurrent sweeps harmless)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    deadline = models.ForeignKey(
        Deadline, on_delete=models.PROTECT, related_name="escalations", null=True, blank=True
    )
    rung = models.PositiveSmallIntegerField(_("级别"), choices=Rung.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=EscalationStatus.choices, default=EscalationStatus.FIRED
    )
    #: When the rung was due by the ladder; `created_at` is when it actually fired (after an
    #: outage the two differ, and the notice is dated when it was really issued).
    scheduled_at = models.DateTimeField(_("应触发时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("触发时间"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["case_id", "created_at", "rung"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "rung"],
                name="escalation_once_per_deadline",
                condition=Q(deadline__isnull=False),
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="escalation_suggested",
                condition=Q(status="suggested"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_rung_display()}"
