"""Ecological damage compensation (生态环境损害赔偿), from the first clue to the last repair.

生态环境损害赔偿管理规定 (环法规〔2022〕31号) and 关于深入推进生态环境损害赔偿制度改革若干具体问题
的意见 (环法规〔2025〕6号); reference/domain.md §4 and §(a4). The case runs 线索 → 筛查 → 初步核查
(30 days) → 立案启动 or 不启动 → 调查 → 鉴定评估 → 磋商 (≤ 90 days, ≤ 3 meetings) → 赔偿协议
(→ 司法确认) or 诉讼 → 修复/赔付 → 修复效果评估 → 结案, and 终止 from any open state.

The moments each rate counts (筛查, 启动, 磋商 concluded, 修复 begun and completed) are kept as
fields (`enforcement.models.damage_record`), so the metrics are plain aggregate queries
(`enforcement.damage.metrics`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.models.damage_record import (
    DamageCaseRecord,
    DamageState,
    confirmation_not_pending,
    consultation_open,
    meetings_left,
    not_reconsulted,
)
from enforcement.validators import validate_uscc
from workflow import permissions as perms
from workflow.models import Case
from workflow.models.case import CaseState, transition_now


# Case first: the case keeps Case's table parent and Meta (its ordering); the record adds fields.
class DamageCase(Case, DamageCaseRecord):
    """生态环境损害赔偿案件."""

    class Meta:
        verbose_name = _("生态环境损害赔偿案件")
        verbose_name_plural = pgettext_lazy("plural", "生态环境损害赔偿案件")
        indexes = [
            # The metrics count by these moments (the jurisdiction is on the parent table).
            models.Index(fields=["clue_received_at"], name="damage_by_received"),
            models.Index(fields=["started_at"], name="damage_by_started"),
        ]

    # --- 筛查 → 初步核查 → 启动 / 不启动 -------------------------------------------------------

    @transition(
        field="state",
        source=DamageState.CLUE,
        target=DamageState.PRELIM_CHECK,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("筛查：纳入初步核查"),
            "form": "enforcement.damage.forms.ScreenForm",
            "style": "primary",
        },
    )
    def screen_in(self, *, screening_batch: str) -> None:
        self.screening_batch = screening_batch
        self.screened_at = transition_now(self)

    @transition(
        field="state",
        source=DamageState.CLUE,
        target=DamageState.EXCLUDED,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("筛查：排除"),
            "form": "enforcement.damage.forms.ScreenOutForm",
            "note": "required",
            "style": "danger",
        },
    )
    def screen_out(self, *, screening_batch: str, not_started_reason: str) -> None:
        self.screening_batch = screening_batch
        self.screened_at = transition_now(self)
        self.not_started_reason = not_started_reason

    @transition(
        field="state",
        source=DamageState.PRELIM_CHECK,
        target=DamageState.INVESTIGATING,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("立案启动"),
            "form": "enforcement.damage.forms.StartForm",
            "style": "primary",
        },
    )
    def start(self, *, prelim_result: str) -> None:
        self.prelim_result = prelim_result
        self.started_at = self.prelim_concluded_at = transition_now(self)

    @transition(
        field="state",
        source=DamageState.PRELIM_CHECK,
        target=DamageState.NOT_STARTED,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("不启动"),
            "form": "enforcement.damage.forms.NotStartForm",
            "style": "danger",
        },
    )
    def not_start(self, *, prelim_result: str, not_started_reason: str) -> None:
        self.prelim_result = prelim_result
        self.not_started_reason = not_started_reason
        self.prelim_concluded_at = transition_now(self)

    # --- 调查 → 鉴定评估 ------------------------------------------------------------------------

    @transition(
        field="state",
        source=DamageState.INVESTIGATING,
        target=DamageState.ASSESSING,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("委托鉴定评估"),
            "form": "enforcement.damage.forms.CommissionForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def commission_assessment(
        self, *, assessment_mode: str, estimated_damage: Decimal | None, assessment_agency: str
    ) -> None:
        self.assessment_mode = assessment_mode
        self.estimated_damage = estimated_damage
        self.assessment_agency = assessment_agency

    @transition(
        field="state",
        source=DamageState.ASSESSING,
        target=DamageState.ASSESSED,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("登记鉴定评估结论"),
            "form": "enforcement.damage.forms.AssessmentForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def complete_assessment(
        self,
        *,
        assessment_report_no: str,
        damage_amount: Decimal,
        costs: dict[str, str],
        remediation_feasible: bool,
    ) -> None:
        self.assessment_report_no = assessment_report_no
        self.damage_amount = damage_amount
        self.costs = costs
        self.remediation_feasible = remediation_feasible

    # --- 磋商 ----------------------------------------------------------------------------------

    @transition(
        field="state",
        source=DamageState.ASSESSED,
        target=DamageState.CONSULTING,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("送达磋商通知"),
            "form": "enforcement.damage.forms.ConsultationNoticeForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def serve_consultation_notice(
        self,
        *,
        consultation_notice_served_at: dt.datetime,
        consultation_due: dt.date,
        procuratorate_invited: bool,
    ) -> None:
        self._open_consultation(
            consultation_notice_served_at, consultation_due, procuratorate_invited
        )

    def _open_consultation(self, served_at: dt.datetime, due: dt.date, invited: bool) -> None:
        self.consultation_notice_served_at = served_at
        self.consultation_due = due
        self.procuratorate_invited = invited
        self.meetings_held = 0

    @transition(
        field="state",
        source=DamageState.CONSULTING,
        target=None,
        permission=perms.rule("enforcement.damage_handle"),
        conditions=[consultation_open, meetings_left],
        custom={
            "label": _("记录磋商会议"),
            "form": "enforcement.damage.forms.MeetingForm",
            "evidence": "optional",
        },
    )
    def record_meeting(self, *, held_at: dt.datetime, participants: str, minutes: str) -> None:
        self.meetings_held += 1
        # The meeting's row is written by the after-transition hook, with its number.
        self.__dict__["meeting"] = {
            "held_at": held_at,
            "participants": participants,
            "minutes": minutes,
        }

    @transition(
        field="state",
        source=DamageState.CONSULTING,
        target=DamageState.AGREEMENT,
        permission=perms.rule("enforcement.damage_decide"),
        conditions=[consultation_open],
        custom={
            "label": _("签订赔偿协议"),
            "form": "enforcement.damage.forms.AgreementForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def sign_agreement(
        self,
        *,
        agreement_no: str,
        agreement_signed_at: dt.datetime,
        compensation_amount: Decimal,
        remediation_mode: str,
    ) -> None:
        self.agreement_no = agreement_no
        self.agreement_signed_at = agreement_signed_at
        self.compensation_amount = compensation_amount
        self.remediation_mode = remediation_mode
        self.consultation_concluded_at = transition_now(self)
        self.consultation_succeeded = True

    @transition(
        field="state",
        source=DamageState.CONSULTING,
        target=DamageState.CONSULTATION_FAILED,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("磋商不成"),
            "form": "enforcement.damage.forms.ConsultationFailureForm",
            "note": "required",
            "style": "danger",
        },
    )
    def fail_consultation(self, *, consultation_failure: str) -> None:
        self.consultation_failure = consultation_failure
        self.consultation_concluded_at = transition_now(self)
        self.consultation_succeeded = False

    @transition(
        field="state",
        source=DamageState.CONSULTATION_FAILED,
        target=DamageState.CONSULTING,
        permission=perms.rule("enforcement.damage_decide"),
        conditions=[not_reconsulted],
        custom={
            "label": _("重新磋商"),
            "form": "enforcement.damage.forms.ConsultationNoticeForm",
            "note": "required",
        },
    )
    def reconsult(
        self,
        *,
        consultation_notice_served_at: dt.datetime,
        consultation_due: dt.date,
        procuratorate_invited: bool,
    ) -> None:
        """2025 意见: once, a new notice and a new period; the failed round stays recorded."""
        self.reconsulted = True
        self._open_consultation(
            consultation_notice_served_at, consultation_due, procuratorate_invited
        )
        self.consultation_failure = ""
        self.consultation_concluded_at = None
        self.consultation_succeeded = None

    @transition(
        field="state",
        source=DamageState.CONSULTATION_FAILED,
        target=DamageState.LITIGATING,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("提起诉讼"),
            "form": "enforcement.damage.forms.LawsuitForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def file_lawsuit(
        self, *, court: str, court_case_no: str, lawsuit_filed_at: dt.datetime
    ) -> None:
        self.court = court
        self.court_case_no = court_case_no
        self.lawsuit_filed_at = lawsuit_filed_at

    # --- 司法确认, 判决 → 修复 -------------------------------------------------------------------

    @transition(
        field="state",
        source=DamageState.AGREEMENT,
        target=DamageState.JUDICIAL_CONFIRMATION,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("申请司法确认"),
            "form": "enforcement.damage.forms.ConfirmationForm",
            "evidence": "optional",
        },
    )
    def apply_confirmation(
        self,
        *,
        confirmation_court: str,
        confirmation_applied_at: dt.datetime,
        publicity_end: dt.date,
    ) -> None:
        self.confirmation_court = confirmation_court
        self.confirmation_applied_at = confirmation_applied_at
        self.publicity_end = publicity_end

    @transition(
        field="state",
        source=[DamageState.AGREEMENT, DamageState.JUDICIAL_CONFIRMATION, DamageState.LITIGATING],
        target=DamageState.REMEDIATING,
        permission=perms.rule("enforcement.damage_handle"),
        conditions=[confirmation_not_pending],
        custom={
            "label": _("开始修复/赔付"),
            "form": "enforcement.damage.forms.RemediationForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def start_remediation(
        self, *, remediation_plan: str, remediation_due: dt.date, judgment: bool
    ) -> None:
        self.remediation_plan = remediation_plan
        self.remediation_due = remediation_due
        self.remediation_started_at = transition_now(self)
        if judgment:
            self.judgment_at = transition_now(self)

    @transition(
        field="state",
        source=DamageState.REMEDIATING,
        target=None,
        permission=perms.rule("enforcement.damage_handle"),
        custom={
            "label": _("记录修复进展/赔偿金到账"),
            "form": "enforcement.damage.forms.ProgressForm",
            "note": "required",
            "evidence": "optional",
        },
    )
    def record_progress(self, *, paid: Decimal | None) -> None:
        """The loop's 记录整改进展 on the obligor: whoever records it may not verify it."""
        if paid:
            self.paid_amount += paid

    @transition(
        field="state",
        source=DamageState.REMEDIATING,
        target=DamageState.EFFECT_EVALUATION,
        permission=perms.rule("enforcement.damage_verify"),
        custom={
            "label": _("核查：修复/赔付已完成"),
            "note": "required",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def verify_remediation(self) -> None:
        """核查 by someone other than who recorded the progress (separation of duties)."""

    @transition(
        field="state",
        source=DamageState.EFFECT_EVALUATION,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("效果评估通过，结案"),
            "form": "enforcement.damage.forms.EvaluationForm",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def pass_evaluation(self, *, evaluation_report: str, evaluation_exemption: str) -> None:
        self.evaluation_report = evaluation_report
        self.evaluation_exemption = evaluation_exemption
        self.remediation_completed_at = transition_now(self)

    @transition(
        field="state",
        source=DamageState.EFFECT_EVALUATION,
        target=DamageState.REMEDIATING,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("未达到修复目标，继续修复"),
            "form": "enforcement.damage.forms.ContinueRemediationForm",
            "note": "required",
            "style": "danger",
        },
    )
    def fail_evaluation(self, *, remediation_due: dt.date) -> None:
        self.remediation_due = remediation_due

    # --- 终止 ---------------------------------------------------------------------------------

    @transition(
        field="state",
        source=[
            DamageState.INVESTIGATING,
            DamageState.ASSESSING,
            DamageState.ASSESSED,
            DamageState.CONSULTING,
            DamageState.CONSULTATION_FAILED,
            DamageState.AGREEMENT,
            DamageState.JUDICIAL_CONFIRMATION,
            DamageState.LITIGATING,
            DamageState.REMEDIATING,
            DamageState.EFFECT_EVALUATION,
        ],
        target=DamageState.TERMINATED,
        permission=perms.rule("enforcement.damage_decide"),
        custom={
            "label": _("终止"),
            "form": "enforcement.damage.forms.TerminateForm",
            "note": "required",
            "style": "danger",
        },
    )
    def terminate(self, *, termination_reason: str) -> None:
        self.termination_reason = termination_reason


class PartyRole(models.TextChoices):
    OBLIGOR = "obligor", _("赔偿义务人")
    THIRD_PARTY = "third_party", _("第三人")


class DamageParty(models.Model):
    """赔偿义务人 (and other parties) of a damage case."""

    case = models.ForeignKey(DamageCase, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("名称"), max_length=200)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    role = models.CharField(
        _("身份"), max_length=20, choices=PartyRole.choices, default=PartyRole.OBLIGOR
    )

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = pgettext_lazy("plural", "当事人")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ConsultationMeeting(models.Model):
    """A 磋商 meeting, numbered within its round (≤ 3), with its minutes."""

    case = models.ForeignKey(DamageCase, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField(_("磋商轮次"), default=1)
    number = models.PositiveSmallIntegerField(_("第几次"))
    held_at = models.DateTimeField(_("磋商时间"))
    participants = models.TextField(_("参加人员"))
    minutes = models.TextField(_("会议纪要"))

    class Meta:
        verbose_name = _("磋商会议")
        verbose_name_plural = pgettext_lazy("plural", "磋商会议")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round", "number"], name="consultation_meeting_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.round}-{self.number}"
