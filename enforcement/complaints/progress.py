"""What the public may know of a complaint: its stage in plain language, the dates, the reply.

Built from the complaint's own public fields and the *names and dates* of its transitions; never
from event notes (internal opinions), never the units' staff, never the reporter's identity.
The tracking page, the receipt and the Open311 API all read this one function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enforcement.models import Complaint, ComplaintState, Track
from workflow.models.case import CaseState


class Stage:
    RECEIVED = "received"
    NOT_ACCEPTED = "not_accepted"
    REDIRECTED = "redirected"
    ACCEPTED = "accepted"
    HANDLING = "handling"
    REPLIED = "replied"
    REVIEW = "review"
    CLOSED = "closed"


STAGE_LABELS: dict[str, Promise] = {
    Stage.RECEIVED: _("已收到，待受理"),
    Stage.NOT_ACCEPTED: _("不予受理"),
    Stage.REDIRECTED: _("请通过其他途径反映"),
    Stage.ACCEPTED: _("已受理，正在交办"),
    Stage.HANDLING: _("正在办理"),
    Stage.REPLIED: _("已答复，请评价"),
    Stage.REVIEW: _("复查中"),
    Stage.CLOSED: _("已办结"),
}

STAGE_EXPLANATIONS: dict[str, Promise] = {
    Stage.RECEIVED: _("我们已收到您反映的问题，将在15日内告知是否受理。"),
    Stage.NOT_ACCEPTED: _("您反映的事项不予受理，理由见下。"),
    Stage.REDIRECTED: _("您反映的事项应当通过其他法定途径或向其他机关反映，详见下方说明。"),
    Stage.ACCEPTED: _("您反映的问题已受理，正在交由责任单位办理。"),
    Stage.HANDLING: _("责任单位正在调查处理，处理结果经现场核查后答复您。"),
    Stage.REPLIED: _("处理结果已答复，请查看答复内容并评价。"),
    Stage.REVIEW: _("您申请的复查正在办理，上一级机关将在30日内出具复查意见。"),
    Stage.CLOSED: _("本件已办结。感谢您对生态环境保护工作的支持。"),
}

#: The loop's states seen from outside: accepted until the unit signs, then being handled.
STATE_STAGES = {
    ComplaintState.REGISTERED: Stage.RECEIVED,
    ComplaintState.NOT_ACCEPTED: Stage.NOT_ACCEPTED,
    ComplaintState.REDIRECTED: Stage.REDIRECTED,
    CaseState.PENDING_ASSIGNMENT: Stage.ACCEPTED,
    CaseState.ASSIGNED: Stage.ACCEPTED,
    CaseState.OBJECTED: Stage.ACCEPTED,
    CaseState.RECTIFYING: Stage.HANDLING,
    CaseState.REPORTED: Stage.HANDLING,
    CaseState.VERIFYING: Stage.HANDLING,
    CaseState.PENDING_CLOSURE: Stage.HANDLING,
    ComplaintState.REPLIED: Stage.REPLIED,
    ComplaintState.DISSATISFIED: Stage.HANDLING,
    ComplaintState.REVIEW_REQUESTED: Stage.REVIEW,
    CaseState.CLOSED: Stage.CLOSED,
}

#: The transitions whose date the public sees, and how each is called there.
PUBLIC_STEPS: dict[str, Promise] = {
    "open": _("收到"),
    "accept": _("受理"),
    "reject": _("不予受理"),
    "redirect": _("告知其他途径"),
    "merge": _("并案办理"),
    "assign": _("交办责任单位"),
    "sign": _("责任单位开始办理"),
    "extend_handling": _("延长办理期限"),
    "approve_closure": _("答复"),
    "rate": _("评价"),
    "rate_dissatisfied": _("评价"),
    "close_unrated": _("办结"),
    "redo": _("重新办理"),
    "uphold_reply": _("办结"),
    "request_review": _("申请复查"),
    "uphold_on_review": _("复查意见"),
    "redo_on_review": _("复查意见"),
}


@dataclass(frozen=True)
class Step:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicProgress:
    case_no: str
    category: str
    stage: str
    stage_label: str
    explanation: str
    received_at: dt.datetime
    updated_at: dt.datetime
    #: When the complaint is due to be answered (the statutory 办结期限), once accepted.
    due_date: dt.date | None
    steps: list[Step] = field(default_factory=list)
    public_reason: str = ""
    redirect_to: str = ""
    #: The signed reply, once replied: {label: text} in the 处理意见书's order.
    reply: list[tuple[str, str]] = field(default_factory=list)
    reply_outcome: str = ""
    replied_at: dt.datetime | None = None
    rating: str = ""
    can_rate: bool = False
    can_request_review: bool = False
    review_due: dt.datetime | None = None
    merged: bool = False


def public_progress(complaint: Complaint, *, now: dt.datetime) -> PublicProgress:
    """The public's view of a complaint. A merged complaint shows its original's progress (the
    matter is handled there), with its own receipt date and number."""
    subject = complaint
    merged = complaint.state == ComplaintState.MERGED and complaint.merged_into_id is not None
    if merged:
        from enforcement.complaints.duplicates import root_of

        subject = root_of(complaint)
    stage = STATE_STAGES.get(subject.state, Stage.HANDLING)
    own_steps = _steps(complaint) if merged else []
    steps = own_steps + [
        s for s in _steps(subject) if not merged or s.label != str(PUBLIC_STEPS["open"])
    ]
    steps.sort(key=lambda s: s.at)
    reply: list[tuple[str, str]] = []
    if subject.replied_at is not None:
        parts = [
            (_("信访请求"), subject.reply_request),
            (_("事实和理由"), subject.reply_facts),
            (_("处理意见"), subject.reply_opinion),
            (_("依据"), subject.reply_basis),
        ]
        reply = [(str(label), text) for label, text in parts if text]
    can_review = (
        not merged
        and subject.track == Track.PETITION
        and subject.replied_at is not None
        and subject.state in (ComplaintState.REPLIED, ComplaintState.DISSATISFIED, CaseState.CLOSED)
        and now <= subject.review_request_due_at()
    )
    return PublicProgress(
        case_no=complaint.case_no,
        category=complaint.get_category_display(),
        stage=stage,
        stage_label=str(STAGE_LABELS[stage]),
        explanation=str(STAGE_EXPLANATIONS[stage]),
        received_at=complaint.received_at,
        updated_at=max(complaint.updated_at, subject.updated_at),
        due_date=subject.handle_due,
        steps=steps,
        public_reason=complaint.public_reason,
        redirect_to=complaint.redirect_to,
        reply=reply,
        reply_outcome=subject.get_reply_outcome_display() if subject.replied_at else "",
        replied_at=subject.replied_at,
        rating=subject.get_rating_display() if subject.rating else "",
        can_rate=not merged and subject.state == ComplaintState.REPLIED,
        can_request_review=can_review,
        review_due=subject.review_request_due_at() if can_review else None,
        merged=merged,
    )


def _steps(complaint: Complaint) -> list[Step]:
    """The dated public steps of one complaint: names and dates only, never notes or actors."""
    rows = complaint.events.filter(transition__in=PUBLIC_STEPS).values_list(
        "transition", "created_at"
    )
    return [Step(str(PUBLIC_STEPS[name]), at) for name, at in rows]
