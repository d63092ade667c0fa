"""What a penalty case (`EnforcementCase`) records, and the facts its procedure reads from it.

The vocabularies of the case's fields, the conditions its transitions check, and the fields
themselves as an abstract model that `EnforcementCase` inherits: the ordinary procedure alone,
one transition a step, fills `enforcement.models.penalty`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.validators import validate_uscc
from workflow import calendar
from workflow.models.case import transition_now


class ClueSource(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    COMPLAINT = "complaint", _("信访举报")
    MONITORING = "monitoring", _("在线监控报警")
    CENTRAL = "central", _("督察交办")
    UPPER = "upper", _("上级交办")
    TRANSFER = "transfer", _("其他部门移送")
    INSPECTION = "inspection", _("日常检查发现")


class EnforcementState(models.TextChoices):
    CLUE = "clue", _("线索")
    FILING_REVIEW = "filing_review", _("立案审批")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    SUSPENDED = "suspended", _("中止调查")
    TERMINATED = "terminated", _("终止调查")
    POLICE_REVIEW = "police_review", _("移送公安审批")
    POLICE_TRANSFER = "police_transfer", _("待移送公安")
    CASE_REVIEW = "case_review", _("案审/法制审核")
    NOTICE_SERVED = "notice_served", _("已事先告知")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("听证已安排")
    DECISION_PENDING = "decision_pending", _("待决定")
    DECIDED = "decided", _("已决定待送达")
    EXECUTING = "executing", _("履行中")
    COURT = "court", _("申请法院强制执行")
    PERFORMED = "performed", _("已履行")


class SuspensionReason(models.TextChoices):
    """生态环境行政处罚办法 第三十五条."""

    CRIMINAL = "criminal", _("涉嫌犯罪移送，须待刑事处理结果")
    INTERPRETATION = "interpretation", _("须待有权机关作出法律适用解释或确认")
    PARTY_UNAVAILABLE = "party", _("当事人死亡或终止，尚未确定权利义务承受人")
    OTHER_CASE = "other_case", _("须以相关案件的裁判结果或其他行政决定为依据")
    FORCE_MAJEURE = "force_majeure", _("因不可抗力致使案件暂时无法调查")
    OTHER = "other", _("其他应当中止调查的情形")


class TerminationReason(models.TextChoices):
    """生态环境行政处罚办法 第三十六条."""

    PARTY_GONE = "party_gone", _("当事人死亡或终止，无权利义务承受人")
    NO_VIOLATION = "no_violation", _("违法事实不能成立")
    TIME_BARRED = "time_barred", _("违法行为已过追责时效")
    TRANSFERRED = "transferred", _("移送司法机关追究刑事责任，不再给予行政处罚")
    OTHER = "other", _("其他应当终止调查的情形")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    SUSPENSION = "suspension", _("责令停产整治、停产停业")
    PERMIT = "permit", _("暂扣、降低资质等级、吊销许可证件")
    RESTRICTION = "restriction", _("限制开展生产经营活动")


class PoliceReferralKind(models.TextChoices):
    DETENTION = "detention", _("移送行政拘留（环境保护法第六十三条）")
    CRIMINAL = "criminal", _("涉嫌犯罪移送")


# --- conditions -----------------------------------------------------------------------------------


def filing_not_extended(case: Any) -> bool:
    return not case.filing_extended


def legal_review_done(case: Any) -> bool:
    """行政处罚法 第五十八条: no decision (and, here, no advance notice) before 法制审核."""
    return case.legal_reviewed_at is not None


def hearing_window_open(case: Any) -> bool:
    """第六十四条: the party asks for a hearing within 5 working days of the notice."""
    now = transition_now(case)
    if not case.hearing_eligible or case.hearing_request_due is None:
        return False
    return now is None or now <= calendar.end_of_day(case.hearing_request_due)


def notice_windows_closed(case: Any) -> bool:
    """The decision waits until the party's windows have lapsed, unless they were waived (the
    waiver is recorded by `waive_rights`)."""
    if case.rights_waived:
        return True
    now = transition_now(case)
    last = max(d for d in (case.defence_due, case.hearing_request_due) if d is not None)
    return now is None or now > calendar.end_of_day(last)


def first_decision_extension(case: Any) -> bool:
    return case.decision_extended_days is None


def has_fine(case: Any) -> bool:
    return bool(case.fine_amount)


class EnforcementCaseRecord(models.Model):
    """The fields of a 行政处罚案件, in the order the procedure fills them."""

    enterprise = models.ForeignKey(
        "enforcement.Enterprise",
        verbose_name=_("当事人（排污单位）"),
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        null=True,
        blank=True,
    )
    party_name = models.CharField(_("当事人"), max_length=200)
    party_uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    party_address = models.CharField(_("当事人地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    clue_source = models.CharField(
        _("线索来源"), max_length=20, choices=ClueSource.choices, default=ClueSource.INSPECTION
    )
    clue_at = models.DateTimeField(_("发现线索时间"))
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人员"),
        related_name="enforcement_cases",
        blank=True,
    )
    source_inspection = models.ForeignKey(
        "enforcement.Inspection",
        verbose_name=_("来源检查"),
        on_delete=models.PROTECT,
        related_name="cases_opened",
        null=True,
        blank=True,
    )
    source_complaint = models.ForeignKey(
        "enforcement.Complaint",
        verbose_name=_("来源投诉举报"),
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        null=True,
        blank=True,
    )
    violation_facts = models.TextField(_("违法事实"), blank=True)
    violated_provisions = models.TextField(_("违反的规定"), blank=True)
    penalty_provisions = models.TextField(_("处罚依据"), blank=True)
    violation_started_on = models.DateField(_("违法行为发生日期"), null=True, blank=True)

    # 立案
    filing_due = models.DateField(_("立案期限"), null=True, blank=True)
    filing_extended = models.BooleanField(_("立案期限已延长"), default=False)
    filing_no = models.CharField(_("立案审批表编号"), max_length=60, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    not_filed_reason = models.TextField(_("不予立案理由"), blank=True)

    # 中止 / 终止
    suspension_reason = models.CharField(
        _("中止理由"), max_length=20, choices=SuspensionReason.choices, blank=True
    )
    termination_reason = models.CharField(
        _("终止理由"), max_length=20, choices=TerminationReason.choices, blank=True
    )

    # 移送公安
    police_kind = models.CharField(
        _("移送类型"), max_length=20, choices=PoliceReferralKind.choices, blank=True
    )
    police_approved_at = models.DateTimeField(_("批准移送时间"), null=True, blank=True)
    police_transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    police_receipt_no = models.CharField(_("公安机关回执号"), max_length=60, blank=True)

    # 案审 / 法制审核 / 集体讨论
    legal_review_opinion = models.TextField(_("法制审核意见"), blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法制审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_reviewed_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    collective_discussion = models.BooleanField(_("经集体讨论"), default=False)
    collective_minutes = models.TextField(_("集体讨论纪要"), blank=True)

    # 事先告知
    notice_no = models.CharField(_("事先告知书编号"), max_length=60, blank=True)
    notice_served_at = models.DateTimeField(_("事先告知送达时间"), null=True, blank=True)
    proposed_penalty = models.TextField(_("拟处罚内容"), blank=True)
    proposed_fine = models.DecimalField(
        _("拟罚款金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_eligible = models.BooleanField(_("告知听证权利"), default=False)
    defence_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    hearing_request_due = models.DateField(_("听证申请期限"), null=True, blank=True)
    defence_statement = models.TextField(_("陈述申辩意见"), blank=True)
    rights_waived = models.BooleanField(_("当事人放弃陈述申辩和听证"), default=False)

    # 听证
    hearing_requested_at = models.DateTimeField(_("申请听证时间"), null=True, blank=True)
    hearing_notified_at = models.DateTimeField(_("听证通知送达时间"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("听证主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)

    # 决定
    decision_due = models.DateField(_("决定期限"), null=True, blank=True)
    decision_extended_days = models.PositiveSmallIntegerField(
        _("负责人批准延长(日)"), null=True, blank=True
    )
    decision_further_days = models.PositiveSmallIntegerField(_("集体讨论决定延长(日)"), default=0)
    decision_no = models.CharField(_("处罚决定书文号"), max_length=60, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_amount = models.DecimalField(
        _("罚款金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision_text = models.TextField(_("处罚决定内容"), blank=True)
    served_at = models.DateTimeField(_("决定书送达时间"), null=True, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_at = models.DateTimeField(_("缴款时间"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("缴款金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    court_applied_at = models.DateTimeField(_("申请强制执行时间"), null=True, blank=True)
    closing_summary = models.TextField(_("结案报告"), blank=True)

    class Meta:
        abstract = True
