"""The numbered documents of the ordinary procedure as PDF (生态环境行政处罚办法 附件文书格式).

立案审批表 (`filing_no`), 行政处罚事先告知书 (`notice_no`), 行政处罚决定书 (`decision_no`) and
责令改正违法行为决定书 (`order_no`). A document exists once its 文号 does: the number is drawn in
the transaction that records the step, so "no number" means "not issued yet". The text is in the
record's language; `workflow.documents.render_pdf` escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enforcement.models import CorrectionOrder, EnforcementCase, PenaltyKind
from workflow import calendar
from workflow.documents import Document, render_pdf
from workflow.record_language import in_record_language

FILING, NOTICE, DECISION = "filing", "notice", "decision"


def _joined(items: Iterable[str]) -> str:
    return pgettext("list separator", "、").join(items)


def _day(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return "—"
    day = calendar.local_date(moment) if isinstance(moment, dt.datetime) else moment
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else _("%(amount)s元") % {"amount": f"{amount:,.2f}"}


def _party(case: EnforcementCase) -> list[tuple[str, str]]:
    facts = [(_("当事人"), case.party_name)]
    if case.party_uscc:
        facts.append((_("统一社会信用代码"), case.party_uscc))
    if case.party_address:
        facts.append((_("地址"), case.party_address))
    if case.legal_representative:
        facts.append((_("法定代表人"), case.legal_representative))
    return facts


def _investigators(case: EnforcementCase) -> str:
    names = []
    for user in case.investigators.select_related("credential").order_by("pk"):
        name = user.get_full_name() or user.get_username()
        credential = getattr(user, "credential", None)
        names.append(
            _("%(name)s（%(number)s）") % {"name": name, "number": credential.number}
            if credential
            else name
        )
    return _joined(names)


def filing_document(case: EnforcementCase) -> Document:
    """立案审批表: the lead, the suspected violation and the approval."""
    with in_record_language():
        facts = [
            (_("案件编号"), case.case_no),
            (_("案由"), case.title),
            *_party(case),
            (_("线索来源"), str(case.get_clue_source_display())),
            (_("发现线索时间"), _day(case.clue_at)),
            (_("承办人员"), _investigators(case)),
            (_("立案时间"), _day(case.filed_at)),
        ]
        paragraphs = [
            _("涉嫌违法事实：%(text)s") % {"text": case.violation_facts or "—"},
            _("涉嫌违反的规定：%(text)s") % {"text": case.violated_provisions or "—"},
            _("审批意见：同意立案。"),
        ]
        return Document(
            issuer=case.jurisdiction.name,
            number=case.filing_no,
            title=_("立案审批表"),
            addressee_line="",
            paragraphs=paragraphs,
            facts=facts,
            signed_on=_day(case.filed_at),
        )


def notice_document(case: EnforcementCase) -> Document:
    """行政处罚事先告知书 (行政处罚法 第四十四条): facts, grounds, the penalty proposed, and the
    party's rights with their deadlines: 陈述申辩 within 3 working days, and, where the penalty
    warrants it, a hearing asked for within 5 working days (第六十三、六十四条)."""
    with in_record_language():
        paragraphs = [
            _("经查，你（单位）存在以下违法事实：%(text)s") % {"text": case.violation_facts or "—"},
            _("以上事实违反了%(rule)s。依据%(basis)s，本机关拟对你（单位）作出如下行政处罚：%(p)s")
            % {
                "rule": case.violated_provisions or "—",
                "basis": case.penalty_provisions or "—",
                "p": case.proposed_penalty or "—",
            },
        ]
        if case.proposed_fine:
            fine = _money(case.proposed_fine)
            paragraphs.append(_("拟罚款金额：%(amount)s。") % {"amount": fine})
        paragraphs.append(
            _(
                "根据《中华人民共和国行政处罚法》第四十五条的规定，你（单位）有权进行陈述和申辩。"
                "如需陈述申辩，请于%(due)s前向本机关提出，逾期视为放弃陈述申辩权利。"
            )
            % {"due": _day(case.defence_due)}
        )
        if case.hearing_eligible:
            paragraphs.append(
                _(
                    "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权"
                    "要求举行听证。如要求听证，请于%(due)s前向本机关提出，逾期视为放弃听证权利。"
                )
                % {"due": _day(case.hearing_request_due)}
            )
        facts = [
            (_("案件编号"), case.case_no),
            *_party(case),
            (_("陈述申辩期限"), _day(case.defence_due)),
        ]
        if case.hearing_eligible:
            facts.append((_("听证申请期限"), _day(case.hearing_request_due)))
        return Document(
            issuer=case.jurisdiction.name,
            number=case.notice_no,
            title=_("行政处罚事先告知书"),
            addressee_line=_("%(party)s：") % {"party": case.party_name},
            paragraphs=paragraphs,
            facts=facts,
            signed_on=_day(case.notice_served_at),
        )


def decision_document(case: EnforcementCase) -> Document:
    """行政处罚决定书 (第五十九条): facts, grounds, the penalty, how and when to pay (15 days,
    第六十七条) and the remedies: 行政复议 within 60 days, 行政诉讼 within 6 months."""
    with in_record_language():
        kinds = _joined(str(PenaltyKind(k).label) for k in case.penalty_kinds) or "—"
        paragraphs = [
            _("经查，你（单位）存在以下违法事实：%(text)s") % {"text": case.violation_facts or "—"},
            _(
                "以上事实违反了%(rule)s。依据%(basis)s，本机关决定对你（单位）作出如下行政处罚：%(p)s"
            )
            % {
                "rule": case.violated_provisions or "—",
                "basis": case.penalty_provisions or "—",
                "p": case.decision_text or "—",
            },
        ]
        if case.fine_amount:
            paragraphs.append(
                _(
                    "罚款%(amount)s，限于收到本决定书之日起15日内缴至指定银行。"
                    "逾期不缴纳的，每日按罚款数额的3%%加处罚款。"
                )
                % {"amount": _money(case.fine_amount)}
            )
        paragraphs.append(
            _(
                "如不服本决定，可以在收到本决定书之日起60日内申请行政复议，"
                "也可以在6个月内依法向人民法院提起行政诉讼。申请行政复议或者提起行政诉讼的，"
                "行政处罚不停止执行，法律另有规定的除外。"
            )
        )
        facts = [
            (_("案件编号"), case.case_no),
            *_party(case),
            (_("处罚种类"), kinds),
            (_("罚款金额"), _money(case.fine_amount)),
        ]
        return Document(
            issuer=case.jurisdiction.name,
            number=case.decision_no,
            title=_("行政处罚决定书"),
            addressee_line=_("%(party)s：") % {"party": case.party_name},
            paragraphs=paragraphs,
            facts=facts,
            signed_on=_day(case.decided_at),
        )


def correction_document(order: CorrectionOrder) -> Document:
    """责令改正违法行为决定书 (行政处罚法 第二十八条; 部令28号 第十条)."""
    with in_record_language():
        enterprise = order.enterprise
        paragraphs = [
            _("经查，你（单位）存在以下违法行为：%(text)s") % {"text": order.violation},
        ]
        if order.basis:
            paragraphs.append(_("依据：%(text)s") % {"text": order.basis})
        if order.immediate:
            paragraphs.append(_("现责令你（单位）立即改正（停止）上述违法行为。"))
        paragraphs.append(_("改正要求：%(text)s") % {"text": order.requirement})
        paragraphs.append(
            _("请于%(due)s前改正，并将改正情况书面报告本机关。") % {"due": _day(order.correct_by)}
        )
        paragraphs.append(
            _(
                "本机关将在送达本决定书之日起30日内对改正情况进行复查。拒不改正的，"
                "依法实施按日连续处罚。"
            )
        )
        paragraphs.append(
            _(
                "如不服本决定，可以在收到本决定书之日起60日内申请行政复议，"
                "也可以在6个月内依法向人民法院提起行政诉讼。"
            )
        )
        facts = [
            (_("当事人"), enterprise.name),
            (_("统一社会信用代码"), enterprise.uscc),
            (_("地址"), enterprise.address),
            (_("改正期限"), _day(order.correct_by)),
        ]
        return Document(
            issuer=order.jurisdiction.name,
            number=order.order_no,
            title=_("责令改正违法行为决定书"),
            addressee_line=_("%(party)s：") % {"party": enterprise.name},
            paragraphs=paragraphs,
            facts=facts,
            signed_on=_day(order.served_at),
        )


#: Each document of a case: its builder and the field holding its 文号.
CASE_DOCUMENTS: dict[str, tuple[Callable[[EnforcementCase], Document], str]] = {
    FILING: (filing_document, "filing_no"),
    NOTICE: (notice_document, "notice_no"),
    DECISION: (decision_document, "decision_no"),
}


def issued(case: EnforcementCase, doc: str) -> bool:
    entry = CASE_DOCUMENTS.get(doc)
    return entry is not None and bool(getattr(case, entry[1]))


def enforcement_pdf(case: EnforcementCase, doc: str) -> bytes | None:
    """The document's PDF, or None while it has not been issued."""
    if not issued(case, doc):
        return None
    return render_pdf(CASE_DOCUMENTS[doc][0](case))


def correction_pdf(order: CorrectionOrder) -> bytes | None:
    return render_pdf(correction_document(order)) if order.order_no else None
