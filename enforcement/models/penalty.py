"""Administrative penalty cases (行政处罚, 普通程序).

`EnforcementCase` follows the ordinary procedure of 行政处罚法 (2021) and 生态环境行政处罚办法
(2023) with its clocks: 线索 → 立案审批 (15 days, +15) → 调查 → 案审/法制审核 → 事先告知
(陈述申辩 3 working days, 听证 request 5) → 听证 (notice ≥ 7 working days ahead) → 决定 (90 days
from 立案, paused while 中止 or during a hearing, extended by the head, further by collective
discussion) → 送达 (7 working days) → 履行 (payment 15 days) → 结案; the 移送公安 branch and
不予立案/终止. The 90-day decision period runs through several states: it is a standing main
deadline, planned at 立案 and paused, moved and closed by the case type's hook. The correction
orders a case serves are their own case type (`enforcement.models.penalty_correction`). See
reference/domain.md §2.2 and §2.6.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.models.penalty_record import (
    EnforcementCaseRecord,
    EnforcementState,
    filing_not_extended,
    has_fine,
    hearing_window_open,
    legal_review_done,
    notice_windows_closed,
)
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case
from workflow.models.case import CaseState, transition_now


# Case first: the case keeps Case's table parent and Meta (its ordering); the record adds fields.
class EnforcementCase(Case, EnforcementCaseRecord):
    """行政处罚案件 (普通程序)."""

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = pgettext_lazy("plural", "行政处罚案件")

    # --- 线索 → 立案 ----------------------------------------------------------------------------

    @transition(
        field="state",
        source=EnforcementState.CLUE,
        target=EnforcementState.FILING_REVIEW,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("提请立案"),
            "form": "enforcement.penalties.forms.FilingForm",
            "style": "primary",
        },
    )
    def submit_filing(
        self, *, violation_facts: str, violated_provisions: str, violation_started_on: Any
    ) -> None:
        self.violation_facts = violation_facts
        self.violated_provisions = violated_provisions
        self.violation_started_on = violation_started_on

    @transition(
        field="state",
        source=[EnforcementState.CLUE, EnforcementState.FILING_REVIEW],
        target=None,
        permission=perms.rule("enforcement.decide"),
        conditions=[filing_not_extended],
        custom={"label": _("延长立案期限"), "note": "required"},
    )
    def extend_filing(self) -> None:
        """《生态环境行政处罚办法》: 15 days more, once, with the head's approval."""
        assert self.filing_due is not None
        self.filing_extended = True
        self.filing_due = calendar.add_days(
            self.filing_due, int(settings.ECOLOOP_FILING_EXTENSION_DAYS)
        ).date

    @transition(
        field="state",
        source=EnforcementState.FILING_REVIEW,
        target=EnforcementState.INVESTIGATING,
        permission=perms.rule("enforcement.decide"),
        custom={"label": _("批准立案"), "style": "primary"},
    )
    def approve_filing(self) -> None:
        self.filed_at = transition_now(self)

    @transition(
        field="state",
        source=[EnforcementState.CLUE, EnforcementState.FILING_REVIEW],
        target=EnforcementState.NOT_FILED,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("不予立案"),
            "form": "enforcement.penalties.forms.NotFiledForm",
            "style": "danger",
        },
    )
    def reject_filing(self, *, not_filed_reason: str) -> None:
        self.not_filed_reason = not_filed_reason

    # --- 调查: 中止, 终止, 移送公安 ---------------------------------------------------------------

    @transition(
        field="state",
        source=[EnforcementState.INVESTIGATING, EnforcementState.CASE_REVIEW],
        target=EnforcementState.SUSPENDED,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("中止调查"),
            "form": "enforcement.penalties.forms.SuspendForm",
            "note": "required",
            "style": "danger",
        },
    )
    def suspend(self, *, suspension_reason: str) -> None:
        self.suspension_reason = suspension_reason

    @transition(
        field="state",
        source=EnforcementState.SUSPENDED,
        target=EnforcementState.INVESTIGATING,
        permission=perms.rule("enforcement.decide"),
        custom={"label": _("恢复调查"), "note": "required", "style": "primary"},
    )
    def resume(self) -> None:
        self.suspension_reason = ""

    @transition(
        field="state",
        source=[EnforcementState.INVESTIGATING, EnforcementState.SUSPENDED],
        target=EnforcementState.TERMINATED,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("终止调查"),
            "form": "enforcement.penalties.forms.TerminateForm",
            "note": "required",
            "style": "danger",
        },
    )
    def terminate(self, *, termination_reason: str) -> None:
        self.termination_reason = termination_reason

    @transition(
        field="state",
        source=EnforcementState.INVESTIGATING,
        target=EnforcementState.POLICE_REVIEW,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("提请移送公安"),
            "form": "enforcement.penalties.forms.PoliceReferralForm",
            "note": "required",
        },
    )
    def refer_police(self, *, police_kind: str) -> None:
        self.police_kind = police_kind

    @transition(
        field="state",
        source=EnforcementState.POLICE_REVIEW,
        target=EnforcementState.POLICE_TRANSFER,
        permission=perms.rule("enforcement.decide"),
        custom={"label": _("批准移送"), "style": "primary"},
    )
    def approve_police(self) -> None:
        self.police_approved_at = transition_now(self)

    @transition(
        field="state",
        source=EnforcementState.POLICE_REVIEW,
        target=EnforcementState.INVESTIGATING,
        permission=perms.rule("enforcement.decide"),
        custom={"label": _("不批准移送"), "note": "required", "style": "danger"},
    )
    def reject_police(self) -> None:
        self.police_kind = ""

    @transition(
        field="state",
        source=EnforcementState.POLICE_TRANSFER,
        target=EnforcementState.INVESTIGATING,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("已移送公安"),
            "form": "enforcement.penalties.forms.PoliceTransferForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def transfer_police(self, *, police_receipt_no: str) -> None:
        """The administrative case goes on (a fine and detention are separate); 终止 ends it
        when the courts take the matter over."""
        self.police_transferred_at = transition_now(self)
        self.police_receipt_no = police_receipt_no

    # --- 案审 / 法制审核 ---------------------------------------------------------------------

    @transition(
        field="state",
        source=EnforcementState.INVESTIGATING,
        target=EnforcementState.CASE_REVIEW,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("调查终结，提交案审"),
            "form": "enforcement.penalties.forms.CaseReviewForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def submit_review(
        self,
        *,
        violation_facts: str,
        penalty_provisions: str,
        proposed_penalty: str,
        proposed_fine: Decimal | None,
    ) -> None:
        self.violation_facts = violation_facts
        self.penalty_provisions = penalty_provisions
        self.proposed_penalty = proposed_penalty
        self.proposed_fine = proposed_fine
        self.legal_reviewed_at = None

    @transition(
        field="state",
        source=EnforcementState.CASE_REVIEW,
        target=None,
        permission=perms.rule("enforcement.legal_review"),
        custom={
            "label": _("法制审核"),
            "form": "enforcement.penalties.forms.LegalReviewForm",
            "style": "primary",
        },
    )
    def record_legal_review(
        self,
        *,
        legal_review_opinion: str,
        collective_discussion: bool,
        collective_minutes: str,
        actor: Any,
    ) -> None:
        self.legal_review_opinion = legal_review_opinion
        self.collective_discussion = collective_discussion
        self.collective_minutes = collective_minutes
        self.legal_reviewer = actor
        self.legal_reviewed_at = transition_now(self)

    @transition(
        field="state",
        source=EnforcementState.CASE_REVIEW,
        target=EnforcementState.INVESTIGATING,
        permission=perms.rule("enforcement.review_or_decide"),
        custom={"label": _("退回补充调查"), "note": "required", "style": "danger"},
    )
    def return_to_investigation(self) -> None:
        self.legal_reviewed_at = None

    @transition(
        field="state",
        source=EnforcementState.CASE_REVIEW,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.decide"),
        conditions=[legal_review_done],
        custom={"label": _("决定不予处罚并结案"), "note": "required", "style": "danger"},
    )
    def decide_no_penalty(self) -> None:
        """行政处罚法 第三十三条 (首违不罚, 轻微并及时改正) and 第五十七条."""

    # --- 事先告知 → 陈述申辩 / 听证 -------------------------------------------------------------

    @transition(
        field="state",
        source=EnforcementState.CASE_REVIEW,
        target=EnforcementState.NOTICE_SERVED,
        permission=perms.rule("enforcement.investigate"),
        conditions=[legal_review_done],
        custom={
            "label": _("送达事先告知书"),
            "form": "enforcement.penalties.forms.AdvanceNoticeForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def serve_notice(
        self,
        *,
        notice_served_at: dt.datetime,
        proposed_penalty: str,
        proposed_fine: Decimal | None,
        hearing_eligible: bool,
        defence_due: dt.date,
        hearing_request_due: dt.date | None,
    ) -> None:
        self.notice_served_at = notice_served_at
        self.proposed_penalty = proposed_penalty
        self.proposed_fine = proposed_fine
        self.hearing_eligible = hearing_eligible
        self.defence_due = defence_due
        self.hearing_request_due = hearing_request_due
        self.rights_waived = False

    @transition(
        field="state",
        source=EnforcementState.NOTICE_SERVED,
        target=None,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("记录陈述申辩"),
            "form": "enforcement.penalties.forms.DefenceForm",
            "evidence": "optional",
        },
    )
    def record_defence(self, *, defence_statement: str) -> None:
        self.defence_statement = defence_statement

    @transition(
        field="state",
        source=EnforcementState.NOTICE_SERVED,
        target=None,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("记录当事人放弃陈述申辩和听证"),
            "note": "required",
            "evidence": "optional",
        },
    )
    def waive_rights(self) -> None:
        self.rights_waived = True

    @transition(
        field="state",
        source=EnforcementState.NOTICE_SERVED,
        target=EnforcementState.HEARING_REQUESTED,
        permission=perms.rule("enforcement.investigate"),
        conditions=[hearing_window_open],
        custom={"label": _("当事人申请听证"), "note": "optional", "evidence": "optional"},
    )
    def request_hearing(self) -> None:
        self.hearing_requested_at = transition_now(self)

    @transition(
        field="state",
        source=EnforcementState.HEARING_REQUESTED,
        target=EnforcementState.HEARING_SCHEDULED,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("安排听证"),
            "form": "enforcement.penalties.forms.HearingScheduleForm",
            "style": "primary",
        },
    )
    def schedule_hearing(
        self,
        *,
        hearing_notified_at: dt.datetime,
        hearing_at: dt.datetime,
        hearing_place: str,
        hearing_chair: Any,
    ) -> None:
        self.hearing_notified_at = hearing_notified_at
        self.hearing_at = hearing_at
        self.hearing_place = hearing_place
        self.hearing_chair = hearing_chair

    @transition(
        field="state",
        source=EnforcementState.HEARING_SCHEDULED,
        target=EnforcementState.DECISION_PENDING,
        permission=perms.rule("enforcement.chair_hearing"),
        custom={
            "label": _("听证结束"),
            "form": "enforcement.penalties.forms.HearingRecordForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def hold_hearing(self, *, hearing_record: str) -> None:
        self.hearing_record = hearing_record

    @transition(
        field="state",
        source=EnforcementState.NOTICE_SERVED,
        target=EnforcementState.DECISION_PENDING,
        permission=perms.rule("enforcement.investigate"),
        conditions=[notice_windows_closed],
        custom={"label": _("告知期满，提请决定"), "style": "primary"},
    )
    def submit_decision(self) -> None:
        """The windows have lapsed (or the party waived them): the case goes to the head."""

    # --- 决定 -------------------------------------------------------------------------------------

    @transition(
        field="state",
        source=[
            EnforcementState.INVESTIGATING,
            EnforcementState.CASE_REVIEW,
            EnforcementState.NOTICE_SERVED,
            EnforcementState.HEARING_REQUESTED,
            EnforcementState.HEARING_SCHEDULED,
            EnforcementState.DECISION_PENDING,
        ],
        target=None,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("延长决定期限"),
            "form": "enforcement.penalties.forms.DecisionExtensionForm",
            "note": "required",
        },
    )
    def extend_decision(self, *, days: int, collective: bool, collective_minutes: str) -> None:
        """The head extends once (≤ 30 days); beyond that only the leadership's collective
        discussion (the minutes are recorded)."""
        assert self.decision_due is not None
        if collective:
            self.decision_further_days += days
            self.collective_discussion = True
            self.collective_minutes = collective_minutes
        else:
            self.decision_extended_days = days
        self.decision_due = calendar.add_days(self.decision_due, days).date

    @transition(
        field="state",
        source=EnforcementState.DECISION_PENDING,
        target=EnforcementState.DECIDED,
        permission=perms.rule("enforcement.decide"),
        conditions=[legal_review_done],
        custom={
            "label": _("作出处罚决定"),
            "form": "enforcement.penalties.forms.DecisionForm",
            "style": "primary",
        },
    )
    def decide(
        self, *, penalty_kinds: list[str], fine_amount: Decimal | None, decision_text: str
    ) -> None:
        self.penalty_kinds = list(penalty_kinds)
        self.fine_amount = fine_amount
        self.decision_text = decision_text
        self.decided_at = transition_now(self)

    @transition(
        field="state",
        source=EnforcementState.DECIDED,
        target=EnforcementState.EXECUTING,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("送达处罚决定书"),
            "form": "enforcement.penalties.forms.ServiceForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def serve_decision(self, *, served_at: dt.datetime, payment_due: dt.date | None) -> None:
        self.served_at = served_at
        self.payment_due = payment_due

    # --- 履行 → 结案 ------------------------------------------------------------------------------

    @transition(
        field="state",
        source=[EnforcementState.EXECUTING, EnforcementState.COURT],
        target=EnforcementState.PERFORMED,
        permission=perms.rule("enforcement.investigate"),
        custom={
            "label": _("确认履行"),
            "form": "enforcement.penalties.forms.PerformanceForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def record_performance(
        self, *, paid_at: dt.datetime | None, paid_amount: Decimal | None
    ) -> None:
        self.paid_at = paid_at
        self.paid_amount = paid_amount

    @transition(
        field="state",
        source=EnforcementState.EXECUTING,
        target=EnforcementState.COURT,
        permission=perms.rule("enforcement.decide"),
        conditions=[has_fine],
        custom={"label": _("申请法院强制执行"), "note": "required", "evidence": "optional"},
    )
    def apply_court(self) -> None:
        """行政强制法 第五十三、五十四条: after a 催告 has gone unanswered for 10 working days."""
        self.court_applied_at = transition_now(self)

    @transition(
        field="state",
        source=EnforcementState.PERFORMED,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.decide"),
        custom={
            "label": _("批准结案"),
            "form": "enforcement.penalties.forms.ClosingForm",
            "style": "primary",
        },
    )
    def close_case(self, *, closing_summary: str) -> None:
        self.closing_summary = closing_summary
