"""What a damage case (`DamageCase`) records, and the facts its procedure reads from it.

The vocabularies of the case's fields, the conditions its transitions check, and the fields
themselves as an abstract model that `DamageCase` inherits, as the penalty case does
(`enforcement.models.penalty_record`); the procedure is `enforcement.models.damage`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow import calendar
from workflow.models.case import transition_now


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


class DamageCaseRecord(models.Model):
    """The fields of a 生态环境损害赔偿案件, in the order the case runs."""

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
        abstract = True
