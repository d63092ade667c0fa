"""反馈问题整改: the feedback's 问题清单 and each problem's tasks (任务清单), with 验收—公示—销号.

A `RectificationProblem` belongs to a 督察 round; each of its tasks is a case
(`RectificationTask`) whose lead unit is the case's responsible unit and whose co-units each
have a child case (`workflow.relations.open_child_case`), so the four lists are the rows
themselves: 问题清单 (problems), 任务清单 (target, measures, 完成时限, horizon, 时间表·路线图),
责任清单 (lead and co-units, 责任领导) and 结果清单 (the self-acceptance, acceptance and evidence
on the timeline).

Closure is the sub-loop of `shared/reference/domain.md` (a3-ii) and §3.3 instead of the plain
销号: 申请验收 (自行验收, with evidence) → 验收 by the tier the problem names (谁验收、谁负责; a
rejection returns the task to 整改中) → 公示 for a window (anyone may object in writing) → 审签 by
a leader → 上级复核 where the tier is the province's → 销号 with its 报备. A co-unit's part is
accepted by the lead unit's bureau and closes at once; the lead task waits for its parts. A
closed task can be reopened by 回头看 (反弹), which is counted. A 长期坚持 task never closes: it
reports progress on a schedule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.models.inspection_round import InspectionRound
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case, Unit
from workflow.models.case import CaseState, children_closed, transition_now


class ProblemOrigin(models.TextChoices):
    """ "1+1+N": whose finding the problem is."""

    CENTRAL = "central", _("中央督察反馈")
    PROVINCIAL = "provincial", _("省级督察反馈")
    LOCAL = "local", _("本地排查发现")


class AcceptanceTier(models.TextChoices):
    DISTRICT = "district", _("区级验收")
    CITY = "city", _("市级验收")
    PROVINCE = "province", _("省级验收")


class RectificationProblem(models.Model):
    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("督察轮次"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    number = models.PositiveSmallIntegerField(_("问题序号"))
    text = models.TextField(_("反馈问题"))
    origin = models.CharField(
        _("问题来源"), max_length=12, choices=ProblemOrigin.choices, default=ProblemOrigin.CENTRAL
    )
    tier = models.CharField(
        _("验收层级"), max_length=10, choices=AcceptanceTier.choices, default=AcceptanceTier.CITY
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("反馈问题")
        verbose_name_plural = pgettext_lazy("plural", "反馈问题")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="rectification_problem_unique")
        ]

    def __str__(self) -> str:
        return _("问题%(n)d") % {"n": self.number}


class Horizon(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class ReportSchedule(models.TextChoices):
    MONTHLY = "monthly", _("每月报告")
    QUARTERLY = "quarterly", _("每季度报告")


class RectificationState(models.TextChoices):
    ACCEPTING = "accepting", _("验收中")
    PUBLICIZING = "publicizing", _("公示中")
    PUBLICITY_OBJECTED = "publicity_objected", _("公示异议待核")
    UPPER_REVIEW = "upper_review", _("上级复核中")


def next_report_day(after: dt.date, schedule: str) -> dt.date:
    """The last day of the month (or quarter) after the one `after` falls in: a progress report
    is due by the end of the next period."""
    months = 3 if schedule == ReportSchedule.QUARTERLY else 1
    first = after.replace(day=1)
    if months == 3:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    year, month = divmod(first.month - 1 + 2 * months, 12)
    return dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1)


# --- conditions ---------------------------------------------------------------------------------


def is_long_term(case: Any) -> bool:
    return bool(case.horizon == Horizon.LONG_TERM)


def closes(case: Any) -> bool:
    """A dated task (立行立改, 限期整改) is accepted and closed; a 长期坚持 one reports instead."""
    return not is_long_term(case)


def may_apply(case: Any) -> bool:
    return closes(case) and children_closed(case) and case.pending_extension_days is None


def is_part(case: Any) -> bool:
    """A co-unit's part of a task: accepted by the lead unit's bureau, no 公示 of its own."""
    return case.parent_id is not None


def is_whole(case: Any) -> bool:
    return case.parent_id is None


def publicity_over(case: Any) -> bool:
    """审签 comes after the 公示 window has run out (the moment of the transition against it)."""
    window = case.deadlines.pending().filter(kind="publicity").first()
    now = transition_now(case)
    return window is None or now is None or now >= window.due_at


def needs_upper_review(case: Any) -> bool:
    return bool(case.problem.tier == AcceptanceTier.PROVINCE)


def without_upper_review(case: Any) -> bool:
    return not needs_upper_review(case)


def public_only(case: Any, user: Any) -> bool:
    """Taken from the public 公示 page only (`actor=None`), never by staff."""
    return user is None


def never(case: Any) -> bool:
    """The loop's 反馈 → 核查 → 销号 is replaced by 申请验收 → 验收 → 公示 → 审签 for tasks."""
    return False


class RectificationTask(Case):
    problem = models.ForeignKey(
        RectificationProblem,
        verbose_name=_("反馈问题"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    task_no = models.CharField(_("任务编号"), max_length=20)
    target = models.TextField(_("整改目标"))
    measures = models.TextField(_("整改措施"))
    horizon = models.CharField(_("整改类型"), max_length=10, choices=Horizon.choices)
    leader = models.CharField(_("责任领导"), max_length=100)
    milestones = models.TextField(
        _("时间表·路线图"), blank=True, help_text=_("每行一个节点，如：2027-03-31 完成方案编制")
    )
    report_schedule = models.CharField(
        _("报告周期"), max_length=10, choices=ReportSchedule.choices, blank=True
    )
    next_report_due = models.DateField(_("下次进展报告期限"), null=True, blank=True)
    self_acceptance = models.TextField(_("自行验收情况"), blank=True)
    acceptance_opinion = models.TextField(_("验收意见"), blank=True)
    filing_ref = models.CharField(_("销号报备文号"), max_length=60, blank=True)
    rebounds = models.PositiveSmallIntegerField(_("回头看反弹次数"), default=0)

    class Meta:
        verbose_name = _("反馈问题整改任务")
        verbose_name_plural = pgettext_lazy("plural", "反馈问题整改任务")

    def __str__(self) -> str:
        return f"{self.task_no} {self.title}"

    # --- 交办 to the lead unit: a date, or for 长期坚持 the first progress report -----------------

    @transition(
        field="state",
        source=CaseState.PENDING_ASSIGNMENT,
        target=CaseState.ASSIGNED,
        permission=perms.rule("workflow.assign"),
        custom={
            "label": _("交办"),
            "form": "enforcement.inspection_rounds.task_forms.TaskAssignForm",
            "style": "primary",
        },
    )
    def assign(self, *, responsible_unit: Unit, rectify_due: dt.date | None) -> None:
        self.responsible_unit = responsible_unit
        self.rectify_due = rectify_due
        self.assignee = None
        now = transition_now(self)
        if is_long_term(self) and now is not None:
            self.next_report_due = next_report_day(calendar.local_date(now), self.report_schedule)

    # --- the loop's ending is the acceptance sub-loop --------------------------------------------

    @transition(
        field="state",
        source=CaseState.RECTIFYING,
        target=CaseState.REPORTED,
        permission=perms.rule("workflow.handle"),
        conditions=[never],
        custom={"label": _("整改反馈")},
    )
    def report(self) -> None:
        """Not used: a task applies for acceptance instead."""

    @transition(
        field="state",
        source=CaseState.RECTIFYING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.handle"),
        conditions=[is_long_term],
        custom={
            "label": _("报告整改进展"),
            "note": "required",
            "evidence": "optional",
            "replan": True,
            "style": "primary",
        },
    )
    def report_progress(self) -> None:
        """长期坚持: the period's report; the next one is due by the end of the next period."""
        now = transition_now(self)
        assert now is not None
        self.next_report_due = next_report_day(calendar.local_date(now), self.report_schedule)

    @transition(
        field="state",
        source=CaseState.RECTIFYING,
        target=RectificationState.ACCEPTING,
        permission=perms.rule("workflow.handle"),
        conditions=[may_apply],
        custom={
            "label": _("申请验收"),
            "form": "enforcement.inspection_rounds.task_forms.ApplyAcceptanceForm",
            "evidence": "required_or_recorded",
            "style": "primary",
        },
    )
    def apply_acceptance(self, *, self_acceptance: str) -> None:
        self.self_acceptance = self_acceptance

    @transition(
        field="state",
        source=RectificationState.ACCEPTING,
        target=RectificationState.PUBLICIZING,
        permission=perms.rule("workflow.start_verification"),
        conditions=[is_whole],
        custom={
            "label": _("验收通过，公示"),
            "form": "enforcement.inspection_rounds.task_forms.AcceptForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def accept(self, *, actor: Any, acceptance_opinion: str) -> None:
        self.verifier = actor
        self.acceptance_opinion = acceptance_opinion

    @transition(
        field="state",
        source=RectificationState.ACCEPTING,
        target=CaseState.CLOSED,
        permission=perms.rule("workflow.start_verification"),
        conditions=[is_part],
        custom={
            "label": _("验收通过（牵头单位验收）"),
            "form": "enforcement.inspection_rounds.task_forms.AcceptForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def accept_part(self, *, actor: Any, acceptance_opinion: str) -> None:
        self.verifier = actor
        self.acceptance_opinion = acceptance_opinion

    @transition(
        field="state",
        source=RectificationState.ACCEPTING,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.start_verification"),
        custom={
            "label": _("验收不通过，退回整改"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "evidence": "optional",
            "style": "danger",
        },
    )
    def reject_acceptance(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due

    # --- 公示: the public may object --------------------------------------------------------------

    @transition(
        field="state",
        source=RectificationState.PUBLICIZING,
        target=RectificationState.PUBLICITY_OBJECTED,
        permission=public_only,
        custom={"label": _("公示期间收到异议"), "anonymous": "public", "note": "required"},
    )
    def object_in_publicity(self) -> None:
        """A written objection from the public page (the grounds are the note)."""

    @transition(
        field="state",
        source=RectificationState.PUBLICITY_OBJECTED,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.assign"),
        custom={
            "label": _("异议成立，重新整改"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "style": "danger",
        },
    )
    def uphold_objection(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None

    @transition(
        field="state",
        source=RectificationState.PUBLICITY_OBJECTED,
        target=RectificationState.PUBLICIZING,
        permission=perms.rule("workflow.assign"),
        custom={"label": _("异议不成立，继续公示"), "note": "required"},
    )
    def dismiss_objection(self) -> None:
        """The objection is answered; the window runs again from now."""

    # --- 审签, 上级复核, 销号 ---------------------------------------------------------------------

    @transition(
        field="state",
        source=RectificationState.PUBLICIZING,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.sign_rectification"),
        conditions=[publicity_over, children_closed, without_upper_review],
        custom={
            "label": _("审签销号"),
            "form": "enforcement.inspection_rounds.task_forms.SignOffForm",
            "style": "primary",
        },
    )
    def sign_off(self, *, filing_ref: str) -> None:
        self.filing_ref = filing_ref

    @transition(
        field="state",
        source=RectificationState.PUBLICIZING,
        target=RectificationState.UPPER_REVIEW,
        permission=perms.rule("enforcement.sign_rectification"),
        conditions=[publicity_over, children_closed, needs_upper_review],
        custom={"label": _("审签，报请上级复核"), "style": "primary"},
    )
    def sign_for_review(self) -> None:
        """省级验收的: the leader signs and the province reviews before 销号."""

    @transition(
        field="state",
        source=RectificationState.UPPER_REVIEW,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.sign_rectification"),
        custom={
            "label": _("上级复核通过，销号"),
            "form": "enforcement.inspection_rounds.task_forms.SignOffForm",
            "note": "required",
            "style": "primary",
        },
    )
    def confirm_review(self, *, filing_ref: str) -> None:
        self.filing_ref = filing_ref

    @transition(
        field="state",
        source=RectificationState.UPPER_REVIEW,
        target=CaseState.RECTIFYING,
        permission=perms.rule("enforcement.sign_rectification"),
        custom={
            "label": _("上级复核未通过，退回整改"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "style": "danger",
        },
    )
    def fail_review(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None

    # --- 回头看 -----------------------------------------------------------------------------------

    @transition(
        field="state",
        source=CaseState.CLOSED,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.start_verification"),
        custom={
            "label": _("回头看发现反弹，重新整改"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "evidence": "optional",
            "style": "danger",
        },
    )
    def reopen_after_check(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None
        self.rebounds += 1


class PublicityObjection(models.Model):
    """A written objection to a task's 公示, filed on the public page without an account; the
    objector follows it with `code`. No name or contact is asked for: the grounds are what
    count. Its outcome is the office's answer on the task's timeline (异议成立 or 不成立, the first
    after it was filed), shown to whoever holds the code."""

    task = models.ForeignKey(
        RectificationTask,
        verbose_name=_("整改任务"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    grounds = models.TextField(_("异议理由"))
    filed_at = models.DateTimeField(_("提出时间"))

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = pgettext_lazy("plural", "公示异议")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.task} {self.filed_at:%Y-%m-%d}"
