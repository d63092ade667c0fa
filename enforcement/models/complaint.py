"""Public complaints (信访 / 投诉举报): the intake before the closed loop and the reply after it.

A complaint is registered (已登记) from the public form, the Open311 API or by a clerk; the intake
role triages it (受理, 不予受理, 导入法定途径, 合并重复件); an accepted one runs the shared loop
交办 → 签收 → 整改 → 反馈 → 核查, where the unit's 反馈 carries the draft reply; a supervisor signs
the reply (已答复), the reporter rates it, and 不满意 leads to 重办 or, on the petition track, a
复查 by the level above. See reference/domain.md §1 and §(a1).

The reporter's identity is not here: it lives encrypted in `enforcement.models.complaint_identity`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import transition

from enforcement.models.geo import latitude_field, longitude_field
from enforcement.validators import validate_uscc
from workflow import calendar
from workflow import permissions as perms
from workflow.models import Case
from workflow.models.case import CaseState, children_closed, no_pending_extension, transition_now


class ComplaintCategory(models.TextChoices):
    AIR = "air", _("大气")
    WATER = "water", _("水")
    NOISE = "noise", _("噪声")
    SOLID_WASTE = "solid_waste", _("固体废物")
    SOIL = "soil", _("土壤")
    RADIATION = "radiation", _("辐射")
    ECOLOGY = "ecology", _("生态破坏")
    CATERING_FUMES = "catering_fumes", _("餐饮油烟")
    DUST = "dust", _("扬尘")
    ODOUR = "odour", _("恶臭")
    OTHER = "other", _("其他")


class Track(models.TextChoices):
    """环发〔2015〕111号: 环保业务类 reports go the enforcement route; only 信访类 petitions follow
    受理–办理–答复–复查–复核."""

    PETITION = "petition", _("信访")
    REPORT = "report", _("举报")


class IntakeChannel(models.TextChoices):
    WEB = "web", _("网上投诉")
    OPEN311 = "open311", _("开放接口")
    PHONE = "phone", _("电话（12345）")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PLATFORM = "platform", _("全国信访投诉举报平台")
    UPPER = "upper", _("上级转办")


class NotAcceptedReason(models.TextChoices):
    OUTSIDE_COMPETENCE = "outside", _("不属于生态环境部门职责范围")
    LEGAL_PROCEDURE = "legal", _("应当通过诉讼、仲裁、行政复议等法定途径解决")
    ALREADY_ACCEPTED = "already", _("同一事项已受理，正在办理")
    REVIEWED = "reviewed", _("已复查复核终结，同一事实和理由不再受理")
    UNCLEAR = "unclear", _("反映内容不清，无法核实")
    OTHER = "other", _("其他")


class ReplyOutcome(models.TextChoices):
    """《信访工作条例》第三十二条: the opinion supports, explains, or does not support."""

    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    REJECT = "reject", _("不予支持")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NONE = "none", _("未评价")


class ComplaintState(models.TextChoices):
    """The complaint's own states; between 受理 and 答复 it runs the loop's (`CaseState`)."""

    REGISTERED = "registered", _("已登记")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    REDIRECTED = "redirected", _("已告知其他途径")
    MERGED = "merged", _("已合并")
    REPLIED = "replied", _("已答复")
    DISSATISFIED = "dissatisfied", _("不满意待处理")
    REVIEW_REQUESTED = "review_requested", _("复查中")


#: The loop states in which the statutory 办结期限 can be extended (accepted, not yet replied).
HANDLING_STATES = [
    CaseState.PENDING_ASSIGNMENT,
    CaseState.ASSIGNED,
    CaseState.OBJECTED,
    CaseState.RECTIFYING,
    CaseState.REPORTED,
    CaseState.VERIFYING,
    CaseState.PENDING_CLOSURE,
]


# --- conditions ---------------------------------------------------------------------------------


def not_extended(case: Any) -> bool:
    """《信访工作条例》第三十四条: one extension of at most 30 days."""
    return case.handle_extended_days is None and case.handle_due is not None


def rating_window_passed(case: Any) -> bool:
    """The reporter did not rate within the window: the system closes the complaint unrated."""
    window = case.deadlines.pending().filter(kind="rating").first()
    now = transition_now(case)
    return window is not None and now is not None and now > window.due_at


def review_window_open(case: Any) -> bool:
    """《信访工作条例》第三十五条: a petitioner may ask for 复查 within 30 days of the reply."""
    if case.track != Track.PETITION or case.replied_at is None:
        return False
    now = transition_now(case)
    return now is None or now <= case.review_request_due_at()


# --- permissions --------------------------------------------------------------------------------
# A public transition's permission sees `user` None: the public view proved the tracking code.


def _staff_or_public(rule_name: str) -> Any:
    staff_rule = perms.rule(rule_name)

    def check(case: Case, user: Any) -> bool:
        return user is None or bool(staff_rule(case, user))

    check.__name__ = f"public_or_{staff_rule.__name__}"
    return check


def _system_only(case: Any, user: Any) -> bool:
    return user is None


class Complaint(Case):
    """信访/投诉举报件."""

    #: The reporter's key to the public progress page and the rating: unguessable, never shown
    #: to staff pages other than the intake's.
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=IntakeChannel.choices, default=IntakeChannel.WEB
    )
    category = models.CharField(_("问题类别"), max_length=20, choices=ComplaintCategory.choices)
    track = models.CharField(_("办理类别"), max_length=10, choices=Track.choices, blank=True)

    target_name = models.CharField(_("被反映单位"), max_length=200, blank=True)
    #: The name folded for matching duplicates (width, case, spaces and punctuation removed).
    target_key = models.CharField(max_length=200, blank=True, editable=False)
    target_uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    target_address = models.CharField(_("被反映单位地址"), max_length=200, blank=True)
    location = models.CharField(_("问题发生地点"), max_length=200)
    latitude = latitude_field()
    longitude = longitude_field()
    since = models.DateField(_("问题开始时间"), null=True, blank=True)
    ongoing = models.BooleanField(_("问题仍在持续"), default=True)

    anonymous = models.BooleanField(_("匿名"), default=True)
    wants_reply = models.BooleanField(_("需要答复"), default=False)
    wants_reward = models.BooleanField(_("申请举报奖励"), default=False)

    received_at = models.DateTimeField(_("收到时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    handle_due = models.DateField(_("法定办结期限"), null=True, blank=True)
    handle_extended_days = models.PositiveSmallIntegerField(
        _("延长办理期限(日)"), null=True, blank=True
    )

    not_accepted_reason = models.CharField(
        _("不予受理理由"), max_length=20, choices=NotAcceptedReason.choices, blank=True
    )
    redirect_to = models.CharField(_("告知途径/机关"), max_length=200, blank=True)
    #: What the public progress page says about a not-accepted or redirected complaint.
    public_reason = models.TextField(_("向反映人说明"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
    )
    repeat_count = models.PositiveSmallIntegerField(_("重复投诉次数"), default=0)

    # 信访处理意见书 (第三十二条): 请求, 事实和理由, 处理意见, 依据; for a report the opinion is the
    # reply to the reporter.
    reply_request = models.TextField(_("信访请求"), blank=True)
    reply_facts = models.TextField(_("事实和理由"), blank=True)
    reply_opinion = models.TextField(_("处理意见"), blank=True)
    reply_basis = models.TextField(_("依据"), blank=True)
    reply_outcome = models.CharField(
        _("处理结论"), max_length=10, choices=ReplyOutcome.choices, blank=True
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rating = models.CharField(_("评价"), max_length=15, choices=Rating.choices, blank=True)
    rating_reason = models.TextField(_("评价理由"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    review_requested_at = models.DateTimeField(_("申请复查时间"), null=True, blank=True)
    review_opinion = models.TextField(_("复查意见"), blank=True)
    review_decided_at = models.DateTimeField(_("复查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信访投诉")
        verbose_name_plural = pgettext_lazy("plural", "信访投诉")
        indexes = [
            models.Index(fields=["category", "received_at"], name="complaint_category_received"),
            models.Index(
                fields=["target_uscc"], name="complaint_target_uscc", condition=~Q(target_uscc="")
            ),
            models.Index(
                fields=["target_key"], name="complaint_target_key", condition=~Q(target_key="")
            ),
        ]

    # --- reading ------------------------------------------------------------------------------

    def rectify_due_limit(self) -> dt.date | None:
        return self.handle_due

    def review_request_due_at(self) -> dt.datetime:
        assert self.replied_at is not None
        days = int(getattr(settings, "ECOLOOP_REVIEW_REQUEST_DAYS", 30))
        due = calendar.add_days(calendar.local_date(self.replied_at), days).date
        return calendar.end_of_day(due)

    @property
    def submission_number(self) -> int:
        """This complaint is the n-th about the same matter (1 + the repeats merged into it)."""
        return 1 + self.repeat_count

    # --- intake (受理员) ----------------------------------------------------------------------

    @transition(
        field="state",
        source=ComplaintState.REGISTERED,
        target=CaseState.PENDING_ASSIGNMENT,
        permission=perms.rule("enforcement.triage_complaint"),
        custom={
            "label": _("受理"),
            "form": "enforcement.complaints.forms.AcceptForm",
            "style": "primary",
        },
    )
    def accept(self, *, track: str, handle_due: dt.date) -> None:
        self.track = track
        self.accepted_at = transition_now(self)
        self.handle_due = handle_due

    @transition(
        field="state",
        source=ComplaintState.REGISTERED,
        target=ComplaintState.NOT_ACCEPTED,
        permission=perms.rule("enforcement.triage_complaint"),
        custom={
            "label": _("不予受理"),
            "form": "enforcement.complaints.forms.NotAcceptForm",
            "style": "danger",
        },
    )
    def reject(self, *, reason: str, public_reason: str) -> None:
        self.not_accepted_reason = reason
        self.public_reason = public_reason

    @transition(
        field="state",
        source=ComplaintState.REGISTERED,
        target=ComplaintState.REDIRECTED,
        permission=perms.rule("enforcement.triage_complaint"),
        custom={
            "label": _("告知其他途径"),
            "form": "enforcement.complaints.forms.RedirectForm",
        },
    )
    def redirect(self, *, redirect_to: str, public_reason: str) -> None:
        self.redirect_to = redirect_to
        self.public_reason = public_reason

    @transition(
        field="state",
        source=ComplaintState.REGISTERED,
        target=ComplaintState.MERGED,
        permission=perms.rule("enforcement.triage_complaint"),
        custom={"label": _("合并重复件"), "form": "enforcement.complaints.forms.MergeForm"},
    )
    def merge(self, *, original: Complaint) -> None:
        self.merged_into = original

    # --- handling: the loop's 反馈 carries the draft reply ------------------------------------

    @transition(
        field="state",
        source=CaseState.RECTIFYING,
        target=CaseState.REPORTED,
        permission=perms.rule("workflow.handle"),
        conditions=[no_pending_extension],
        custom={
            "label": _("办理反馈（拟答复）"),
            "form": "enforcement.complaints.forms.ReplyDraftForm",
            "note": "optional",
            "evidence": "optional",
            "style": "primary",
        },
    )
    def report(
        self,
        *,
        reply_request: str,
        reply_facts: str,
        reply_opinion: str,
        reply_basis: str,
        reply_outcome: str,
    ) -> None:
        self.reply_request = reply_request
        self.reply_facts = reply_facts
        self.reply_opinion = reply_opinion
        self.reply_basis = reply_basis
        self.reply_outcome = reply_outcome

    @transition(
        field="state",
        source=HANDLING_STATES,
        target=None,
        permission=perms.rule("enforcement.extend_handling"),
        conditions=[not_extended],
        custom={
            "label": _("延长办理期限"),
            "form": "enforcement.complaints.forms.ExtendHandlingForm",
            "note": "required",
        },
    )
    def extend_handling(self, *, days: int, handle_due: dt.date) -> None:
        self.handle_extended_days = days
        self.handle_due = handle_due

    @transition(
        field="state",
        source=CaseState.PENDING_CLOSURE,
        target=ComplaintState.REPLIED,
        permission=perms.rule("workflow.decide_closure"),
        conditions=[children_closed],
        custom={"label": _("审核签发答复"), "style": "primary"},
    )
    def approve_closure(self, *, actor: Any) -> None:
        """The supervisor signs the reply; the reporter is told and asked to rate it."""
        self.replied_at = transition_now(self)
        self.reply_signed_by = actor

    @transition(
        field="state",
        source=CaseState.PENDING_CLOSURE,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.decide_closure"),
        custom={
            "label": _("退回修改答复"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "style": "danger",
        },
    )
    def return_reply(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None

    # --- evaluation (评价) ---------------------------------------------------------------------

    @transition(
        field="state",
        source=ComplaintState.REPLIED,
        target=CaseState.CLOSED,
        permission=_staff_or_public("enforcement.callback_complaint"),
        custom={
            "label": _("满意评价"),
            "form": "enforcement.complaints.forms.RateForm",
            "anonymous": "public",
            "style": "primary",
        },
    )
    def rate(self, *, rating: str) -> None:
        self.rating = rating
        self.rated_at = transition_now(self)

    @transition(
        field="state",
        source=ComplaintState.REPLIED,
        target=ComplaintState.DISSATISFIED,
        permission=_staff_or_public("enforcement.callback_complaint"),
        custom={
            "label": _("不满意评价"),
            "note": "required",
            "anonymous": "public",
            "style": "danger",
        },
    )
    def rate_dissatisfied(self) -> None:
        self.rating = Rating.DISSATISFIED
        self.rated_at = transition_now(self)

    @transition(
        field="state",
        source=ComplaintState.REPLIED,
        target=CaseState.CLOSED,
        permission=_system_only,
        conditions=[rating_window_passed],
        custom={"label": _("逾期未评价，自动办结"), "anonymous": "system"},
    )
    def close_unrated(self) -> None:
        self.rating = Rating.NONE

    @transition(
        field="state",
        source=ComplaintState.DISSATISFIED,
        target=CaseState.RECTIFYING,
        permission=perms.rule("workflow.decide_closure"),
        custom={
            "label": _("重办"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "style": "primary",
        },
    )
    def redo(self, *, rectify_due: dt.date) -> None:
        self.rectify_due = rectify_due
        self.verifier = None
        self.redo_count += 1

    @transition(
        field="state",
        source=ComplaintState.DISSATISFIED,
        target=CaseState.CLOSED,
        permission=perms.rule("workflow.decide_closure"),
        custom={"label": _("维持答复，办结"), "note": "required"},
    )
    def uphold_reply(self) -> None:
        """The reply stands; the note says why (the reporter is told)."""

    # --- 复查 (petition track) ----------------------------------------------------------------

    @transition(
        field="state",
        source=[ComplaintState.REPLIED, ComplaintState.DISSATISFIED, CaseState.CLOSED],
        target=ComplaintState.REVIEW_REQUESTED,
        permission=_staff_or_public("enforcement.callback_complaint"),
        conditions=[review_window_open],
        custom={
            "label": _("申请复查"),
            "note": "required",
            "anonymous": "public",
        },
    )
    def request_review(self) -> None:
        self.review_requested_at = transition_now(self)

    @transition(
        field="state",
        source=ComplaintState.REVIEW_REQUESTED,
        target=CaseState.CLOSED,
        permission=perms.rule("enforcement.review_complaint"),
        custom={"label": _("复查维持"), "note": "required", "style": "primary"},
    )
    def uphold_on_review(self) -> None:
        self.review_decided_at = transition_now(self)

    @transition(
        field="state",
        source=ComplaintState.REVIEW_REQUESTED,
        target=CaseState.RECTIFYING,
        permission=perms.rule("enforcement.review_complaint"),
        custom={
            "label": _("复查撤销，责令重办"),
            "form": "workflow.forms.ReturnForm",
            "note": "required",
            "style": "danger",
        },
    )
    def redo_on_review(self, *, rectify_due: dt.date) -> None:
        self.review_decided_at = transition_now(self)
        self.rectify_due = rectify_due
        self.verifier = None
        self.redo_count += 1
