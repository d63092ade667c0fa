"""The case and the closed loop every case type shares: 交办 → 签收 → 整改 → 反馈 → 核查 → 销号.

Transition methods change in-memory fields only; `workflow.transitions.transition_case` is the one
place that calls them, inside a transaction, and records the event and the deadlines.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflow import permissions as perms
from workflow.models.unit import Unit

if TYPE_CHECKING:
    from workflow.case_types import CaseType


class CaseState(models.TextChoices):
    PENDING_ASSIGNMENT = "pending_assignment", _("待交办")
    ASSIGNED = "assigned", _("已交办")
    OBJECTED = "objected", _("异议退回")
    RECTIFYING = "rectifying", _("整改中")
    REPORTED = "reported", _("已反馈")
    VERIFYING = "verifying", _("核查中")
    PENDING_CLOSURE = "pending_closure", _("待销号")
    CLOSED = "closed", _("已销号")


class Clock(models.TextChoices):
    WORKDAYS = "workdays", _("工作日")
    DAYS = "days", _("自然日")


class DeadlineClock(models.TextChoices):
    """How a deadline row was counted: a period a person sets (`Clock`), or hours to the minute
    (即知即改: 响应 2 小时, 处置 24 小时), which climb the hour ladder (`CaseType.ladder_for`)."""

    WORKDAYS = Clock.WORKDAYS.value, Clock.WORKDAYS.label
    DAYS = Clock.DAYS.value, Clock.DAYS.label
    HOURS = "hours", _("小时")


#: Transitions whose actor does the responsible unit's work; such a person may not verify or
#: approve the same case.
HANDLER_TRANSITIONS = ("sign", "object", "record_progress", "report", "request_extension")


# --- transition conditions: pure predicates on the case --------------------------------------
# A condition sees only the instance; transition_case puts the moment of the transition on it as
# `transition_now`, so that time-dependent conditions never read the clock.


def transition_now(case: Any) -> dt.datetime | None:
    """The moment of the transition being taken (`transition_case` puts it on the instance), for
    conditions and transition methods; None outside a transition (a page listing actions)."""
    now: dt.datetime | None = case.__dict__.get("transition_now")
    return now


def objection_window_open(case: Any) -> bool:
    """信访工作条例 第二十三条: a unit may object within 5 working days of receiving the task."""
    window = case.deadlines.pending().filter(kind="objection").first()
    if window is None:
        return True
    now = transition_now(case)
    return now is None or now <= window.due_at


def no_pending_extension(case: Any) -> bool:
    return case.pending_extension_days is None


def has_pending_extension(case: Any) -> bool:
    return case.pending_extension_days is not None


def children_closed(case: Any) -> bool:
    """A parent case (a multi-unit task) waits for all its child cases before 销号."""
    return not case.children.filter(closed_at__isnull=True).exists()


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(closed_at__isnull=True)

    def closed(self) -> CaseQuerySet:
        return self.filter(closed_at__isnull=False)

    def visible_to(self, user: Any) -> CaseQuerySet:
        from workflow.querysets import visible_cases_q

        return self.filter(visible_cases_q(user))

    def overdue(self, now: dt.datetime) -> CaseQuerySet:
        return self.open().filter(due_at__lt=now)

    def due_soon(self, now: dt.datetime) -> CaseQuerySet:
        return self.open().filter(due_at__gte=now, warn_at__lte=now)

    def on_track(self, now: dt.datetime) -> CaseQuerySet:
        return self.open().filter(Q(due_at__isnull=True) | Q(warn_at__gt=now))

    def awaiting(self, user: Any) -> CaseQuerySet:
        """Cases waiting for an action of this user: 我的待办."""
        from workflow.querysets import awaiting_q

        return self.open().filter(awaiting_q(user))


class Case(ConcurrentTransitionMixin, models.Model):
    """The concrete base of every case type (multi-table inheritance).

    Deadlines, events, the inbox and rankings are single-table queries on this table;
    `case.specific` reaches the subtype.
    """

    case_no = models.CharField(_("案件编号"), max_length=60, unique=True, editable=False)
    kind = models.CharField(_("案件类型"), max_length=40, editable=False, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("情况描述"), blank=True)
    state = FSMField(
        _("状态"),
        max_length=40,
        default=CaseState.PENDING_ASSIGNMENT,
        protected=True,
        db_index=True,
    )
    jurisdiction = models.ForeignKey(
        Unit,
        verbose_name=_("管辖单位"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("负责本案的局（市局或分局/县局）。"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        null=True,
        blank=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查员"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级案件"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    pending_extension_days = models.PositiveSmallIntegerField(
        _("申请延期(工作日)"), null=True, blank=True
    )
    # The current main deadline, denormalised from the pending Deadline rows for lists and sorting.
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    #: A rung fired on the case itself, not on a deadline (a repeat complaint: the 2nd → 督办,
    #: the 3rd → 提级办理): the level never drops below it while the case is open.
    escalation_floor = models.PositiveSmallIntegerField(_("最低督办级别"), default=0)
    created_at = models.DateTimeField(_("创建时间"), editable=False)
    updated_at = models.DateTimeField(_("更新时间"), editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = pgettext_lazy("plural", "案件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["jurisdiction", "state"],
                name="case_open_by_unit",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["responsible_unit", "state"],
                name="case_open_by_resp_unit",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"], name="case_open_due", condition=Q(closed_at__isnull=True)
            ),
        ]
        permissions = [("view_all_cases", "Can view every case")]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"

    # --- reading ------------------------------------------------------------------------------

    @property
    def case_type(self) -> CaseType:
        from workflow.case_types import registry

        return registry.get(self.kind)

    @cached_property
    def specific(self) -> Case:
        """The subtype instance (Complaint, SupervisionItem, …) behind this row."""
        model = self.case_type.model
        if type(self) is model:
            return self
        return model.objects.select_related(
            "jurisdiction", "responsible_unit", "assignee", "verifier"
        ).get(pk=self.pk)

    def get_state_display(self) -> str:
        return self.case_type.state_label(self.state) if self.kind else str(self.state)

    def handler_ids(self) -> set[int]:
        """Users who did the responsible unit's work on this case (cached per instance)."""
        cached: set[int] | None = self.__dict__.get("_handler_ids")
        if cached is None:
            cached = set(
                self.events.filter(transition__in=HANDLER_TRANSITIONS, actor__isnull=False)
                .values_list("actor_id", flat=True)
                .distinct()
            )
            if self.assignee_id:
                cached.add(self.assignee_id)
            self.__dict__["_handler_ids"] = cached
        return cached

    def rectify_due_limit(self) -> dt.date | None:
        """The latest rectification deadline 交办 may set: a case type with a statutory period
        of its own (a complaint's 办结期限) keeps the unit's deadline inside it."""
        return None

    def forget_handlers(self) -> None:
        self.__dict__.pop("_handler_ids", None)

    # --- the closed loop ----------------------------------------------------------------------
    # `custom` describes each transition to the engine and the console: its label, the form that
    # validates its payload, whether a note or evidence is required.

    @transition(
        field=state,
        source=CaseState.PENDING_ASSIGNMENT,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={"label": _("交办"), "form": "workflow.forms.AssignForm", "style": "primary"},
    )
    def assign(self, *, responsible_unit: Unit, rectify_due: dt.date) -> None:
        self.responsible_unit = responsible_unit
        self.rectify_due = rectify_due
        self.assignee = None

    @transition(
        field=state,
        source=CaseState.ASSIGNED,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.handle"),
        custom={"label": _("签收"), "style": "primary"},
    )
    def sign(self, *, actor: Any) -> None:
        self.assignee = actor

    @transition(
        field=state,
        source=CaseState.ASSIGNED,
        target=CaseState.OBJECTED,
        permission=perms.rule("workflow.handle"),
        conditions=[objection_window_open],
        custom={"label": _("提出异议"), "note": "required", "style": "danger"},
    )
    def object(self) -> None:
        self.assignee = None

    @transition(
        field=state,
        source=CaseState.OBJECTED,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={"label": _("改派"), "form": "workflow.forms.AssignForm", "style": "primary"},
    )
    def reassign(self, *, responsible_unit: Unit, rectify_due: dt.date) -> None:
        self.responsible_unit = responsible_unit
        self.rectify_due = rectify_due
        self.assignee = None

    @transition(
        field=state,
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.handle"),
        custom={"label": _("记录整改进展"), "note": "required", "evidence": "required"},
    )
    def record_progress(self) -> None:
        """整改: evidence of the work, recorded on the timeline; the state does not change."""

    @transition(
        field=state,
        source=CaseState.RECTIFYING,
        target=CaseState.REPORTED,
        permission=perms.rule("workflow.handle"),
        conditions=[no_pending_extension],
        custom={
            "label": _("整改反馈"),
            "form": "workflow.forms.ReportForm",
            "note": "required",
            "evidence": "required_or_recorded",
            "style": "primary",
        },
    )
    def report(self, co_units: str = "") -> None:
        """反馈: the unit reports the rectification done, with evidence; a lead unit's report
        sums up its co-units' (`co_units`, recorded on the timeline)."""

    @transition(
        field=state,
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.handle"),
        conditions=[no_pending_extension],
        custom={
            "label": _("申请延期"),
            "form": "workflow.forms.ExtensionRequestForm",
            "note": "required",
        },
    )
    def request_extension(self, *, days: int) -> None:
        self.pending_extension_days = days

    @transition(
        field=state,
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.decide_extension"),
        conditions=[has_pending_extension],
        custom={
            "label": _("批准延期"),
            "form": "workflow.forms.ApproveExtensionForm",
            "replan": True,
            "style": "primary",
        },
    )
    def approve_extension(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.pending_extension_days = None

    @transition(
        field=state,
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.decide_extension"),
        conditions=[has_pending_extension],
        custom={"label": _("不予延期"), "note": "required", "style": "danger"},
    )
    def reject_extension(self) -> None:
        self.pending_extension_days = None

    @transition(
        field=state,
        source=CaseState.REPORTED,
        target=CaseState.VERIFYING,
        permission=perms.rule("workflow.start_verification"),
        custom={"label": _("开始核查"), "style": "primary"},
    )
    def start_verification(self, *, actor: Any) -> None:
        self.verifier = actor

    @transition(
        field=state,
        source=CaseState.VERIFYING,
        target=CaseState.PENDING_CLOSURE,
        permission=perms.rule("workflow.conclude_verification"),
        custom={
            "label": _("核查通过"),
            "note": "required",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def pass_verification(self) -> None:
        """核查: the verifier confirms the rectification on site."""

    @transition(
        field=state,
        source=CaseState.VERIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.conclude_verification"),
        custom={
            "label": _("核查不通过，退回整改"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "evidence": "optional",
            "style": "danger",
        },
    )
    def fail_verification(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None

    @transition(
        field=state,
        source=CaseState.PENDING_CLOSURE,
        target=CaseState.CLOSED,
        permission=perms.rule("workflow.decide_closure"),
        conditions=[children_closed],
        custom={"label": _("批准销号"), "style": "primary"},
    )
    def approve_closure(self) -> None:
        """销号."""

    @transition(
        field=state,
        source=CaseState.PENDING_CLOSURE,
        target=CaseState.VERIFYING,
        permission=perms.rule("workflow.decide_closure"),
        custom={"label": _("不予销号，退回核查"), "note": "required", "style": "danger"},
    )
    def reject_closure(self) -> None:
        """The verification stands reopened with the same verifier."""


class CaseSequence(models.Model):
    """The last number used per (region, case type, year): case numbers are gap-free because the
    counter is incremented in the transaction that inserts the case."""

    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案件编号序列")
        verbose_name_plural = pgettext_lazy("plural", "案件编号序列")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.kind}/{self.year}: {self.last}"


class LinkKind(models.TextChoices):
    DUPLICATE_OF = "duplicate_of", _("重复件")
    DOUBLE_INVESTIGATION = "double_investigation", _("一案双查")
    SPAWNED_FROM = "spawned_from", _("由此派生")
    RELATED = "related", _("相关")


class CaseLink(models.Model):
    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关联类型"), max_length=30, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("案件关联")
        verbose_name_plural = pgettext_lazy("plural", "案件关联")
        constraints = [
            models.UniqueConstraint(
                fields=["from_case", "to_case", "kind"], name="case_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.kind} {self.to_case_id}"
