"""信访事项处理意见书 (《信访工作条例》第三十二条) / 举报答复意见书 as PDF.

The document states the request, the facts and reasons, the opinion, its basis and the outcome
(支持 / 解释说明 / 不予支持), under the bureau's mark and the case number. Until a supervisor
signs the reply (已答复) it is marked 草稿. Our rule is stricter than the 条例, which allows
addressing the petitioner by name: a reporter's identity is never on a document, so it is
addressed to "信访人" / "举报人". The text is escaped by `workflow.documents.render_pdf`
(`xml.sax.saxutils.escape` on every Paragraph).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from enforcement.models import Complaint, Track
from workflow import calendar
from workflow.documents import Document, render_pdf
from workflow.record_language import in_record_language


def _date(complaint: Complaint) -> str:
    assert complaint.replied_at is not None
    day = calendar.local_date(complaint.replied_at)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def opinion_document(complaint: Complaint) -> Document:
    """The opinion's content, in the record's language."""
    with in_record_language():
        petition = complaint.track == Track.PETITION
        signed = complaint.replied_at is not None
        title = _("信访事项处理意见书") if petition else _("举报答复意见书")
        if not signed:
            title = _("%(title)s（草稿）") % {"title": title}
        addressee = _("信访人：") if petition else _("举报人：")
        paragraphs: list[str] = []
        if not signed:
            paragraphs.append(_("【草稿】本意见书尚未审核签发，不得送达。"))
        sections = [
            (_("信访请求") if petition else _("举报事项"), complaint.reply_request),
            (_("事实和理由"), complaint.reply_facts),
            (_("处理意见"), complaint.reply_opinion),
            (_("依据"), complaint.reply_basis),
        ]
        for label, text in sections:
            text = text.strip()
            if text:
                paragraphs.append(_("%(label)s：%(text)s") % {"label": label, "text": text})
        if complaint.reply_outcome:
            paragraphs.append(
                _("处理结论：%(outcome)s") % {"outcome": complaint.get_reply_outcome_display()}
            )
        if petition and signed:
            paragraphs.append(
                _(
                    "如对本处理意见不服，可以自收到本意见书之日起30日内"
                    "请求原办理机关的上一级机关复查。"
                )
            )
        facts = [
            (_("案件编号"), complaint.case_no),
            (_("问题类别"), str(complaint.get_category_display())),
            (_("收到时间"), calendar.local_date(complaint.received_at).isoformat()),
        ]
        if complaint.accepted_at is not None:
            facts.append((_("受理时间"), calendar.local_date(complaint.accepted_at).isoformat()))
        issuer = complaint.jurisdiction.name
        signed_on = _date(complaint) if signed else _("（草稿，未签发）")
        return Document(
            issuer=issuer,
            number=complaint.case_no,
            title=title,
            addressee_line=addressee,
            paragraphs=paragraphs,
            facts=facts,
            signed_on=signed_on,
        )


def opinion_pdf(complaint: Complaint) -> bytes:
    return render_pdf(opinion_document(complaint))
