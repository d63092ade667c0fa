"""Issuing numbered official notices: 催办通知书, 督办单, 挂牌督办通知, 约谈通知书, 通报.

A notice is the bureau's record, so it is written in the record's language whatever the issuer's
browser reads. It shows only public-safe case fields, taken from an explicit allow-list
(`NoticeFacts`): never the case description, which may carry what a reporter wrote, and never
anyone's personal data (DESIGN.md §6).

文号 format: ``{prefix}环{mark}〔{year}〕{seq}号``, e.g. ``并环催〔2026〕15号``, where `prefix` is
the issuing bureau's `case_prefix` (并 for the city bureau, 小店 for a district), 环 the issuing
authority's sector, `mark` one character per kind (催 督 挂 约 通), and `seq` runs from 1 per
(bureau, kind, year) without gaps, unpadded as 公文 numbers are (GB/T 9704-2012 7.2.4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import rules
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from workflow import calendar, deadlines, documents, evidence
from workflow.models import (
    Case,
    Deadline,
    Escalation,
    Notice,
    NoticeKind,
    NoticeSequence,
    Unit,
)
from workflow.models.deadline import DeadlineStatus
from workflow.models.event import CaseEvent
from workflow.outbox import enqueue_on_commit
from workflow.permissions import (
    can_view_case,
    has_role,
    in_jurisdiction,
    is_dispatcher,
    is_leader,
    is_supervisor,
)
from workflow.record_language import in_record_language
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    TransitionDenied,
    append_event,
    lock_case,
    next_in_sequence,
)

# Translators: the kind's mark in an official 文号 (并环催〔2026〕15号); keep the Chinese.
NUMBER_MARKS: dict[str, Promise] = {
    NoticeKind.CHASE: pgettext_lazy("notice number mark", "催"),
    NoticeKind.SUPERVISE: pgettext_lazy("notice number mark", "督"),
    NoticeKind.LISTED: pgettext_lazy("notice number mark", "挂"),
    NoticeKind.TALK: pgettext_lazy("notice number mark", "约"),
    NoticeKind.CIRCULAR: pgettext_lazy("notice number mark", "通"),
}
#: Rungs a leader decides (DESIGN.md §5, L6–L8): only a leader signs their notices.
LEADER_KINDS = frozenset({NoticeKind.LISTED, NoticeKind.TALK, NoticeKind.CIRCULAR})

#: The deadline a notice's required written reply opens. It belongs to no state of the case
#: (`deadlines.close_deadlines` closes only the rows of the state a case leaves), so the reply
#: stays owed while the case moves on; it is not a main deadline, so the case's due date and
#: ladder are not moved by it.
REPLY_DEADLINE_KIND = "notice_reply"

NOTICE_EVENT = "notice_issued"
NOTICE_EVENT_LABELS = {NOTICE_EVENT: gettext_lazy("签发文书")}
NOTICE_PAYLOAD_LABELS = {
    "number": gettext_lazy("文号"),
    "kind": gettext_lazy("文书类型"),
    "addressee": gettext_lazy("主送单位"),
    "response_due": gettext_lazy("书面回复期限"),
}

may_issue = (is_dispatcher | is_supervisor | is_leader) & in_jurisdiction
may_issue_leader_notice = is_leader & in_jurisdiction
rules.add_rule("workflow.issue_notice", may_issue)
rules.add_rule("workflow.issue_leader_notice", may_issue_leader_notice)


def can_issue_notice(user: Any, case: Case, kind: str) -> bool:
    """Dispatchers, supervisors and leaders of the case's bureau issue 催办 and 督办; the
    leader rungs' notices (挂牌督办, 约谈, 通报) are a leader's to sign."""
    rule = "workflow.issue_leader_notice" if kind in LEADER_KINDS else "workflow.issue_notice"
    return bool(rules.test_rule(rule, user, case))


def issuable_kinds(user: Any, case: Case) -> list[NoticeKind]:
    """The kinds of notice this user may issue on the case (the issuing form's choices)."""
    return [kind for kind in NoticeKind if can_issue_notice(user, case, kind)]


def addressee_choices(case: Case) -> QuerySet[Unit]:
    """Whom a notice of the case may be sent to: units of its bureau, and its responsible unit."""
    return Unit.objects.active().filter(
        Q(path__startswith=case.jurisdiction.path) | Q(pk=case.responsible_unit_id)
    )


# --- what a notice may say ------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeFacts:
    """The allow-list: every case fact a notice may print. Add a field here only if it is public."""

    case_no: str
    case_title: str
    case_type: str
    responsible_unit: str
    deadline_label: str
    deadline_basis: str
    deadline_due: dt.date | None
    response_due: dt.date | None

    @classmethod
    def of(cls, case: Case, deadline: Deadline | None, response_due: dt.date | None) -> NoticeFacts:
        return cls(
            case_no=case.case_no,
            case_title=case.title,
            case_type=str(case.case_type.label),
            responsible_unit=case.responsible_unit.name if case.responsible_unit else "",
            deadline_label=deadline.label if deadline else "",
            deadline_basis=deadline.basis if deadline else "",
            deadline_due=deadline.due_date if deadline else None,
            response_due=response_due,
        )


def chinese_date(day: dt.date) -> str:
    """2026年11月24日: GB/T 9704-2012 7.3.5.3 writes the 成文日期 in Arabic numerals, unpadded."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def notice_number(region: Unit, kind: str, year: int, seq: int) -> str:
    prefix = region.case_prefix or region.short_name or region.name
    # Translators: the official 文号 (并环催〔2026〕15号) is data, the same in every language.
    return pgettext("notice number", "%(prefix)s环%(mark)s〔%(year)d〕%(seq)d号") % {
        "prefix": prefix,
        "mark": NUMBER_MARKS[kind],
        "year": year,
        "seq": seq,
    }


_ACTIONS = {
    NoticeKind.CHASE: gettext_lazy("现予催办。"),
    NoticeKind.SUPERVISE: gettext_lazy("经催办仍未落实，现予督办。"),
    NoticeKind.LISTED: gettext_lazy("经研究，决定对该案件实行挂牌督办。"),
    NoticeKind.TALK: gettext_lazy("经研究，决定约谈你单位主要负责人。"),
    NoticeKind.CIRCULAR: gettext_lazy("现予通报。"),
}


def default_body(kind: str, facts: NoticeFacts) -> str:
    """The body a notice carries unless its issuer writes one: paragraphs, one per line."""
    values = {
        "unit": facts.responsible_unit or _("你单位"),
        "case_no": facts.case_no,
        "title": facts.case_title,
        "deadline": facts.deadline_label,
        "due": chinese_date(facts.deadline_due) if facts.deadline_due else "",
        "basis": facts.deadline_basis,
        "reply": chinese_date(facts.response_due) if facts.response_due else "",
    }
    if facts.deadline_due is not None:
        opening = _(
            "%(unit)s承办的%(case_no)s《%(title)s》，%(deadline)s已于%(due)s届满，至今未按期办结。"
        )
    else:
        opening = _("%(unit)s承办的%(case_no)s《%(title)s》至今未办结。")
    paragraphs = [(opening % values) + str(_ACTIONS[NoticeKind(kind)])]
    if facts.deadline_basis:
        paragraphs.append(_("依据：%(basis)s。") % values)
    if facts.response_due is not None:
        paragraphs.append(_("请于%(reply)s前将整改落实情况书面报送我局。") % values)
    else:
        paragraphs.append(_("请接到本通知后立即组织办理，并将办理情况及时报送我局。"))
    return "\n".join(paragraphs)


def _fact_rows(facts: NoticeFacts) -> list[tuple[str, str]]:
    rows = [
        (_("案件编号"), facts.case_no),
        (_("案件名称"), facts.case_title),
        (_("案件类型"), facts.case_type),
        (_("责任单位"), facts.responsible_unit),
    ]
    if facts.deadline_due is not None:
        rows.append((facts.deadline_label, chinese_date(facts.deadline_due)))
    if facts.deadline_basis:
        rows.append((_("依据"), facts.deadline_basis))
    if facts.response_due is not None:
        rows.append((_("书面回复期限"), chinese_date(facts.response_due)))
    return [(label, value) for label, value in rows if value]


def compose(
    *,
    kind: str,
    number: str,
    issuer: Unit,
    addressee: Unit,
    facts: NoticeFacts,
    body: str,
    issued_on: dt.date,
) -> documents.Document:
    """The document in the record's language. Call inside `in_record_language()`."""
    return documents.Document(
        issuer=issuer.name,
        number=number,
        title=str(NoticeKind(kind).label),
        addressee_line=_("%(unit)s：") % {"unit": addressee.name},
        paragraphs=[line.strip() for line in body.splitlines() if line.strip()],
        facts=_fact_rows(facts),
        signed_on=chinese_date(issued_on),
    )


def render_html(document: documents.Document, *, kind: str) -> str:
    """The print-friendly HTML of a notice (its A4 styles live in the page that shows it)."""
    with in_record_language():
        return render_to_string("notices/notice.html", {"doc": document, "kind": kind})


# --- issuing ---------------------------------------------------------------------------------


def _missed_deadline(case: Case, escalation: Escalation | None) -> Deadline | None:
    """The deadline the notice is about: the escalated one, else the case's main deadline."""
    if escalation is not None and escalation.deadline_id is not None:
        return escalation.deadline
    main = Deadline.objects.filter(case=case, is_main=True)
    return (
        main.pending().order_by("due_at").first()
        or main.filter(status=DeadlineStatus.LATE).order_by("-due_at").first()
    )


def _next_seq(region: Unit, kind: str, year: int) -> int:
    return next_in_sequence(NoticeSequence, region=region, kind=kind, year=year)


def _reply_deadline(notice: Notice, *, now: dt.datetime) -> Deadline:
    assert notice.response_due is not None
    due = notice.response_due
    with in_record_language():
        label = _("书面回复期限")
        basis = _("%(number)s《%(title)s》要求书面回复") % {
            "number": notice.number,
            "title": notice.title,
        }
    return deadlines.plan_standing_deadline(
        notice.case, kind=REPLY_DEADLINE_KIND, label=label, basis=basis, due_date=due, now=now
    )


def issue_notice(
    case: Case,
    kind: str,
    *,
    actor: Any,
    addressee: Unit,
    body: str = "",
    response_due: dt.date | None = None,
    escalation: Escalation | None = None,
    now: dt.datetime,
    notify_event: bool = True,
) -> Notice:
    """Issue a numbered notice on a case. `actor` None is the system (the ladder firing a rung).

    1. Lock the case; refuse if the actor may not see it (404) or may not issue this kind (403).
    2. Take the next 文号 of (the case's bureau, kind, year) under a row lock.
    3. Compose the document from the allow-listed case facts; render HTML and PDF.
    4. Append a `notice_issued` event with the PDF as its attachment (stored under its sha256,
       served by the evidence view to whoever may see the case).
    5. Create the Notice, and a 书面回复期限 deadline when a reply is required.
    6. After commit, deliver the event's notifications — unless `notify_event` is False (the
       ladder, which has told the rung's recipients itself).
    """
    kind = NoticeKind(kind)
    if escalation is not None and escalation.case_id != case.pk:
        raise ValueError(f"escalation {escalation.pk} is not of case {case.case_no}")
    with transaction.atomic():
        locked = lock_case(case.case_type.model, case.pk)
        if actor is not None:
            if not can_view_case(actor, locked):
                raise CaseNotFound(_("案件不存在或您无权查看。"))
            if not can_issue_notice(actor, locked, kind):
                raise TransitionDenied(
                    _("您无权签发“%(kind)s”。") % {"kind": NoticeKind(kind).label}
                )
        region = locked.jurisdiction
        issued_on = calendar.local_date(now)
        seq = _next_seq(region, kind, issued_on.year)
        with in_record_language():
            number = notice_number(region, kind, issued_on.year, seq)
            facts = NoticeFacts.of(locked, _missed_deadline(locked, escalation), response_due)
            body = body.strip() or default_body(kind, facts)
            document = compose(
                kind=kind,
                number=number,
                issuer=region,
                addressee=addressee,
                facts=facts,
                body=body,
                issued_on=issued_on,
            )
            kind_label = str(kind.label)
        html = render_html(document, kind=kind)
        pdf = documents.render_pdf(document)
        prepared = evidence.PreparedFile(
            original_name=f"{number}{document.title}.pdf",
            content=pdf,
            content_type="application/pdf",
            extension=".pdf",
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        event = append_event(
            locked,
            transition=NOTICE_EVENT,
            from_state=locked.state,
            actor=actor,
            actor_role=_issuing_role(actor, kind),
            note="",
            payload={
                "number": number,
                "kind": kind_label,
                "addressee": {"id": addressee.pk, "name": addressee.name},
                "response_due": response_due.isoformat() if response_due else None,
            },
            files=[prepared],
            now=now,
        )
        notice = Notice.objects.create(
            case=locked,
            kind=kind,
            number=number,
            region=region,
            year=issued_on.year,
            seq=seq,
            addressee=addressee,
            title=document.title,
            body=body,
            html=html,
            response_due=response_due,
            issued_at=now,
            issued_by=actor,
            escalation=escalation,
            event=event,
            pdf=event.attachments.get(),
        )
        if response_due is not None:
            _reply_deadline(notice, now=now)
        if notify_event:
            _after_commit(event.pk)
        else:
            CaseEvent.objects.filter(pk=event.pk).update(notified_at=now)
    return notice


def _issuing_role(actor: Any, kind: str) -> str:
    if actor is None:
        return "system"
    candidates = (Role.LEADER,) if kind in LEADER_KINDS else ()
    for role in (*candidates, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER):
        if has_role(actor, role):
            return role.value
    return ""


def _after_commit(event_id: int) -> None:
    from workflow.tasks import deliver_event_notifications

    enqueue_on_commit(deliver_event_notifications, event_id)
