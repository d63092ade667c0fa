"""Filing a complaint, and the complaint type's hooks into the engine.

* `submit` files a complaint from the public form, the Open311 API or a clerk's entry: numbered,
  registered (已登记) with its 15-day acceptance period, the identity encrypted beside it.
* `after_transition` keeps the complaint's own records inside the transition's transaction: the
  statutory 办结期限 (planned at 受理, moved by an extension, closed when the reply is signed) and
  a merged original's repeat count, link and escalation.
* `after_event` tells the reporter (SMS / e-mail, where they gave a contact), in the worker.
* `close_unrated` closes complaints whose rating window passed without a rating (beat).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enforcement.complaints import identity as identities
from enforcement.complaints.duplicates import target_key
from enforcement.models import Complaint, ComplaintCategory, ComplaintState, IntakeChannel, Track
from workflow import calendar, deadlines
from workflow.escalation import escalate_case
from workflow.models import Case, Unit
from workflow.models.case import LinkKind
from workflow.models.escalation import Rung
from workflow.models.event import CaseEvent
from workflow.notifications import notify_external
from workflow.record_language import in_record_language
from workflow.relations import link_cases
from workflow.transitions import (
    TransitionError,
    lock_case,
    open_case,
    prepare_files,
    transition_case,
)

logger = logging.getLogger(__name__)

#: Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits
HANDLE_DEADLINE_KIND = "handle"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_tracking_code(value: str) -> str:
    """What a person typed, as stored: upper case, look-alikes mapped, grouped by four."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
    raw = "".join(c for c in (value or "").upper().translate(table) if c in CODE_ALPHABET)
    if len(raw) != CODE_LENGTH:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def tracking_url(complaint: Complaint) -> str:
    base = str(settings.ECOLOOP_PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("complaints:track", kwargs={"code": complaint.tracking_code})


@dataclass(frozen=True)
class Submission:
    """What a person reports, validated by the public form or the Open311 serializer."""

    category: str
    description: str
    location: str
    jurisdiction: Unit
    target_name: str = ""
    target_uscc: str = ""
    target_address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    since: dt.date | None = None
    ongoing: bool = True
    anonymous: bool = True
    wants_reply: bool = False
    wants_reward: bool = False
    channel: str = IntakeChannel.WEB


def submit(
    submission: Submission,
    identity: identities.Identity,
    *,
    files: Iterable[UploadedFile] = (),
    now: dt.datetime,
    actor: Any = None,
) -> Complaint:
    """File a complaint. `actor` None is the public (the caller checked CAPTCHA and rate limit).

    Raises `TransitionError` subclasses with field errors; nothing is saved then.
    """
    if submission.anonymous:
        identity = identities.Identity()
    with in_record_language():
        title = _("%(category)s：%(subject)s") % {
            "category": ComplaintCategory(submission.category).label,
            "subject": submission.target_name or submission.location,
        }
    prepared = prepare_files(files)  # before the transaction: no lock while images re-encode
    with transaction.atomic():
        complaint = open_case(
            Complaint,
            actor=actor,
            actor_role="public" if actor is None else "",
            jurisdiction=submission.jurisdiction,
            title=title[:200],
            description=submission.description,
            files=prepared,
            now=now,
            tracking_code=new_tracking_code(),
            channel=submission.channel,
            category=submission.category,
            target_name=submission.target_name,
            target_key=target_key(submission.target_name),
            target_uscc=submission.target_uscc,
            target_address=submission.target_address,
            location=submission.location,
            latitude=submission.latitude,
            longitude=submission.longitude,
            since=submission.since,
            ongoing=submission.ongoing,
            anonymous=submission.anonymous,
            wants_reply=submission.wants_reply,
            wants_reward=submission.wants_reward and not submission.anonymous,
            received_at=now,
        )
        assert isinstance(complaint, Complaint)
        identities.store(complaint, identity, now=now)
    return complaint


# --- inside the transition -------------------------------------------------------------------


def after_transition(case: Case, name: str, from_state: str, actor: Any, now: dt.datetime) -> None:
    assert isinstance(case, Complaint)
    if name == "accept":
        with in_record_language():
            if case.track == Track.PETITION:
                label = _("信访件办结期限")
                basis = _("《信访工作条例》第三十四条：自受理之日起60日内办结")
            else:
                label = _("举报件办结期限")
                basis = _("举报件自受理之日起%(n)d日内办结（本地规定）") % {
                    "n": int(settings.ECOLOOP_REPORT_HANDLING_DAYS)
                }
        assert case.handle_due is not None
        deadlines.plan_standing_deadline(
            case,
            kind=HANDLE_DEADLINE_KIND,
            label=label,
            basis=basis,
            due_date=case.handle_due,
            now=now,
        )
    elif name == "extend_handling":
        assert case.handle_due is not None
        deadlines.move_standing_deadline(
            case, kind=HANDLE_DEADLINE_KIND, due_date=case.handle_due, now=now
        )
    elif name == "approve_closure":
        deadlines.close_standing_deadline(case, kind=HANDLE_DEADLINE_KIND, now=now)
    elif name == "merge":
        _record_repeat(case, actor=actor, now=now)


def _record_repeat(duplicate: Complaint, *, actor: Any, now: dt.datetime) -> None:
    """The original counts one more complaint about its matter; the n-th climbs the ladder."""
    assert duplicate.merged_into_id is not None
    original = lock_case(Complaint, duplicate.merged_into_id)
    assert isinstance(original, Complaint)
    original.repeat_count += 1
    original.save(update_fields=["repeat_count"])
    link_cases(duplicate, original, kind=LinkKind.DUPLICATE_OF, actor=actor, now=now)
    rungs: dict[int, int] = dict(settings.ECOLOOP_REPEAT_COMPLAINT_RUNGS)
    rung = rungs.get(original.submission_number)
    if rung is not None and rung > original.escalation_floor:
        with in_record_language():
            reason = _("同一事项第%(n)d次投诉") % {"n": original.submission_number}
        escalate_case(original, Rung(rung), reason=reason, now=now)


# --- telling the reporter --------------------------------------------------------------------

#: What the reporter is told after each transition (record language: the message is a record).
REPORTER_MESSAGES = {
    "open": "received",
    "accept": "accepted",
    "reject": "not_accepted",
    "redirect": "redirected",
    "merge": "merged",
    "extend_handling": "extended",
    "approve_closure": "replied",
    "uphold_on_review": "reviewed",
    "redo_on_review": "reviewed",
}


def reporter_message(complaint: Complaint, what: str) -> str:
    with in_record_language():
        texts = {
            "received": _(
                "您反映的问题已收到，查询码 %(code)s，请妥善保存，可凭查询码查询办理进展：%(url)s"
            ),
            "accepted": _("您反映的问题（%(no)s）已受理，将在%(due)s前办结。查询：%(url)s"),
            "not_accepted": _("您反映的问题（%(no)s）不予受理，理由请见查询页面：%(url)s"),
            "redirected": _("您反映的问题（%(no)s）应通过其他途径解决，详见查询页面：%(url)s"),
            "merged": _(
                "您反映的问题已有人反映并正在办理，已并案处理，可继续凭查询码查询：%(url)s"
            ),
            "extended": _("您反映的问题（%(no)s）情况复杂，办理期限延长至%(due)s。查询：%(url)s"),
            "replied": _("您反映的问题（%(no)s）已答复，请在%(rate_by)s前查看答复并评价：%(url)s"),
            "reviewed": _("您申请复查的问题（%(no)s）已有复查意见，详见：%(url)s"),
        }
        rating_days = int(settings.ECOLOOP_RATING_WINDOW_DAYS)
        rate_by = ""
        if complaint.replied_at is not None:
            replied = calendar.local_date(complaint.replied_at)
            rate_by = f"{calendar.add_days(replied, rating_days).date:%Y-%m-%d}"
        return texts[what] % {
            "code": complaint.tracking_code,
            "no": complaint.case_no,
            "due": f"{complaint.handle_due:%Y-%m-%d}" if complaint.handle_due else "",
            "url": tracking_url(complaint),
            "rate_by": rate_by,
        }


def after_event(event: CaseEvent, now: dt.datetime) -> None:
    """Tell the reporter of the transitions that concern them (idempotent: one row per event
    and channel)."""
    what = REPORTER_MESSAGES.get(event.transition)
    if what is None:
        return
    complaint = Complaint.objects.get(pk=event.case_id)
    notify_external(
        event,
        reporter_message(complaint, what),
        now=now,
        template_code="COMPLAINT_STATUS",
        params={"case_no": complaint.case_no, "status": what, "url": tracking_url(complaint)},
    )


def external_contact(case: Case, channel: str) -> str | None:
    assert isinstance(case, Complaint)
    return identities.contact(case, channel)


# --- the beat ---------------------------------------------------------------------------------


def close_unrated(now: dt.datetime, *, batch_size: int = 200) -> int:
    """Close the replied complaints whose rating window has passed (评价: 未评价)."""
    ids = list(
        Complaint.objects.filter(
            state=ComplaintState.REPLIED,
            deadlines__kind="rating",
            deadlines__status="pending",
            deadlines__due_at__lt=now,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    closed = 0
    for pk in ids:
        complaint = Complaint.objects.get(pk=pk)
        try:
            transition_case(complaint, "close_unrated", actor=None, now=now)
        except TransitionError as exc:
            # Rated or moved meanwhile: nothing to do; anything else is logged and retried.
            logger.info("complaint %s not closed unrated: %s", pk, exc.message)
            continue
        closed += 1
    return closed
