"""Ecological damage compensation (生态环境损害赔偿), from the first clue to the last repair.

生态环境损害赔偿管理规定 (环法规〔2022〕31号) and 关于深入推进生态环境损害赔偿制度改革若干具体问题
的意见 (环法规〔2025〕6号); reference/domain.md §4 and §(a4). The case runs 线索 → 筛查 → 初步核查
(30 days) → 立案启动 or 不启动 → 调查 → 鉴定评估 → 磋商 (≤ 90 days, ≤ 3 meetings) → 赔偿协议
(→ 司法确认) or 诉讼 → 修复/赔付 → 修复效果评估 → 结案, and 终止 from any open state.

The moments each rate counts (筛查, 启动, 磋商 concluded, 修复 begun and completed) are kept as
fields, so the metrics are plain aggregate queries (`enforcement.damage.metrics`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.validators import validate_uscc
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case
from workflow.models.case import CaseState, transition_now


class ClueChannel(models.TextChoices):
    """管理规定: the channels a damage clue comes from."""

    INSPECTION = "inspection", _("中央和省级生态环境保护督察")
    INCIDENT = "incident", _("突发生态环境事件")
    PENALTY = "penalty", _("资源与环境行政处罚案件")
    CRIMINAL = "criminal", _("涉嫌构成破坏环境资源保护犯罪的案件")
    PUBLIC_INTEREST = "public_interest", _("检察公益诉讼")
    SUPERVISION = "supervision", _("日常监管、执法巡查、专项行动")
    PROPOSAL = "proposal", _("人大建议、政协提案")
    COMPLAINT = "complaint", _("信访投诉举报、媒体曝光")
    UPPER = "upper", _("上级交办")
    OTHER = "other", _("其他")


class DamageState(models.TextChoices):
    CLUE = "clue", _("线索")
    EXCLUDED = "excluded", _("筛查排除")
    PRELIM_CHECK = "prelim_check", _("初步核查")
    NOT_STARTED = "not_started", _("不启动")
    INVESTIGATING = "investigating", _("调查")
    ASSESSING = "assessing", _("鉴定评估")
    ASSESSED = "assessed", _("待磋商")
    CONSULTING = "consulting", _("磋商中")
    CONSULTATION_FAILED = "consultation_failed", _("磋商不成")
    AGREEMENT = "agreement", _("已签订赔偿协议")
    JUDICIAL_CONFIRMATION = "judicial_confirmation", _("司法确认中")
    LITIGATING = "litigating", _("诉讼中")
    REMEDIATING = "remediating", _("修复/赔付中")
    EFFECT_EVALUATION = "effect_evaluation", _("修复效果评估")
    TERMINATED = "terminated", _("终止")


class NotStartedReason(models.TextChoices):
    """管理规定 第十八条 (and 2025 意见): grounds for not starting (or, found later, 终止)."""

    PERFORMED = "performed", _("赔偿义务人已履行赔偿义务")
    JUDGED = "judged", _("人民法院已就同一损害作出生效裁判")
    MINOR = "minor", _("损害显著轻微，不需要赔偿")
    NO_OBLIGOR = "no_obligor", _("赔偿义务人已死亡或终止，且无财产可供执行")
    LAWFUL = "lawful", _("属于合法排放或经许可的行为造成")
    REMEDIED = "remedied", _("已通过行政执法或诉讼得到救济")
    OTHER = "other", _("其他")


class AssessmentMode(models.TextChoices):
    COMMISSIONED = "commissioned", _("委托鉴定评估")
    EXPERT = "expert", _("专家意见")
    SIMPLIFIED = "simplified", _("简易评估")


class ConsultationFailure(models.TextChoices):
    """The situations in which 磋商 counts as failed (视为磋商不成)."""

    REFUSED = "refused", _("赔偿义务人拒绝磋商或逾期未答复")
    ABSENT = "absent", _("赔偿义务人无故不参加或中途退出磋商")
    MEETINGS = "meetings", _("已磋商三次仍难以达成一致")
    EXPIRED = "expired", _("磋商期限届满仍未达成一致")
    OTHER = "other", _("其他")


class RemediationMode(models.TextChoices):
    SELF = "self", _("赔偿义务人自行修复")
    THIRD_PARTY = "third_party", _("委托第三方修复")
    SUBSTITUTE = "substitute", _("替代修复")
    PAYMENT = "payment", _("支付赔偿金")


class EvaluationExemption(models.TextChoices):
    """2025 意见 (第十四条): when no 修复效果评估 is needed (wording to be checked against the
    text before go-live: see the issue note)."""

    PAYMENT_ONLY = "payment_only", _("仅以赔偿金方式承担责任，无需开展修复")
    ACCEPTED = "accepted", _("修复工程已经有关部门竣工验收，验收已涵盖修复效果")
    NATURAL = "natural", _("采取自然恢复方式，不涉及人工修复")


# --- conditions -----------------------------------------------------------------------------------


def consultation_open(case: Any) -> bool:
    """≤ 90 days from serving the 磋商通知: after that, no meeting and no agreement."""
    now = transition_now(case)
    due = case.consultation_due
    return due is None or now is None or now <= calendar.end_of_day(due)


def meetings_left(case: Any) -> bool:
    """≤ 3 meetings per 磋商 (the count restarts with a re-negotiation)."""
    return bool(case.meetings_held < int(settings.ECOLOOP_DAMAGE_MAX_MEETINGS))


def not_reconsulted(case: Any) -> bool:
    return not case.reconsulted


def publicity_over(case: Any) -> bool:
    """司法确认: the court publishes the agreement for at least 30 days before ruling."""
    now = transition_now(case)
    if case.publicity_end is None:
        return False
    return now is None or calendar.local_date(now) > case.publicity_end


def confirmation_not_pending(case: Any) -> bool:
    return case.state != DamageState.JUDICIAL_CONFIRMATION or publicity_over(case)


class DamageCase(Case):
    """生态环境损害赔偿案件."""

    channel = models.CharField(_("线索来源"), max_length=20, choices=ClueChannel.choices)
    clue_received_at = models.DateTimeField(_("发现/收到线索时间"))
    location = models.CharField(_("损害发生地点"), max_length=200, blank=True)
    media = models.CharField(_("受损环境要素"), max_length=200, blank=True)
    red_line_area = models.BooleanField(_("位于生态保护红线内"), default=False)
    repeat_within_two_years = models.BooleanField(_("两年内再次发生同类违法"), default=False)
    major_case = models.BooleanField(_("重大案件"), default=False)

    # 筛查 and 初步核查
    screening_batch = models.CharField(_("筛查批次"), max_length=10, blank=True)
    screened_at = models.DateTimeField(_("筛查时间"), null=True, blank=True)
    prelim_due = models.DateField(_("初步核查期限"), null=True, blank=True)
    prelim_result = models.TextField(_("初步核查结论"), blank=True)
    not_started_reason = models.CharField(
        _("不启动/终止理由"), max_length=20, choices=NotStartedReason.choices, blank=True
    )
    started_at = models.DateTimeField(_("立案启动时间"), null=True, blank=True)
    prelim_concluded_at = models.DateTimeField(_("初步核查结束时间"), null=True, blank=True)

    # 鉴定评估
    assessment_mode = models.CharField(
        _("鉴定评估方式"), max_length=20, choices=AssessmentMode.choices, blank=True
    )
    estimated_damage = models.DecimalField(
        _("初估损害数额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assessment_agency = models.CharField(_("鉴定评估机构/专家"), max_length=200, blank=True)
    assessment_report_no = models.CharField(_("鉴定评估报告编号"), max_length=60, blank=True)
    damage_amount = models.DecimalField(
        _("损害数额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: {item: amount as a string}: 调查, 鉴定评估, 清除污染, 修复, 期间损害, 永久性损害 …
    costs = models.JSONField(_("费用明细"), default=dict, blank=True)
    remediation_feasible = models.BooleanField(_("具备修复条件"), default=True)

    # 磋商
    consultation_notice_served_at = models.DateTimeField(
        _("磋商通知送达时间"), null=True, blank=True
    )
    consultation_due = models.DateField(_("磋商期限"), null=True, blank=True)
    meetings_held = models.PositiveSmallIntegerField(_("已磋商次数"), default=0)
    reconsulted = models.BooleanField(_("已重新磋商"), default=False)
    procuratorate_invited = models.BooleanField(_("邀请检察机关参与"), default=False)
    consultation_failure = models.CharField(
        _("磋商不成情形"), max_length=20, choices=ConsultationFailure.choices, blank=True
    )
    consultation_concluded_at = models.DateTimeField(_("磋商结束时间"), null=True, blank=True)
    consultation_succeeded = models.BooleanField(_("磋商成功"), null=True, blank=True)

    # 协议 / 司法确认 / 诉讼
    agreement_no = models.CharField(_("赔偿协议编号"), max_length=60, blank=True)
    agreement_signed_at = models.DateTimeField(_("协议签订时间"), null=True, blank=True)
    compensation_amount = models.DecimalField(
        _("赔偿金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    remediation_mode = models.CharField(
        _("修复/赔偿方式"), max_length=20, choices=RemediationMode.choices, blank=True
    )
    confirmation_court = models.CharField(_("司法确认法院"), max_length=100, blank=True)
    confirmation_applied_at = models.DateTimeField(_("申请司法确认时间"), null=True, blank=True)
    publicity_end = models.DateField(_("公告期届满日"), null=True, blank=True)
    court = models.CharField(_("受诉法院"), max_length=100, blank=True)
    lawsuit_filed_at = models.DateTimeField(_("起诉时间"), null=True, blank=True)
    court_case_no = models.CharField(_("法院案号"), max_length=60, blank=True)
    judgment_at = models.DateTimeField(_("判决生效时间"), null=True, blank=True)

    # 修复 / 赔付 → 修复效果评估 → 结案
    remediation_plan = models.TextField(_("修复方案"), blank=True)
    remediation_due = models.DateField(_("修复/赔付完成期限"), null=True, blank=True)
    remediation_started_at = models.DateTimeField(_("修复开始时间"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("已到账赔偿金(元)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    remediation_completed_at = models.DateTimeField(_("修复完成时间"), null=True, blank=True)
    evaluation_exemption = models.CharField(
        _("免于效果评估情形"), max_length=20, choices=EvaluationExemption.choices, blank=True
    )
    evaluation_report = models.TextField(_("修复效果评估结论"), blank=True)
    termination_reason = models.CharField(
        _("终止理由"), max_length=20, choices=NotStartedReason.choices, blank=True
    )

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
