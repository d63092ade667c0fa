"""现场检查笔录 as a numbered PDF.

Under the bureau's mark and the record's number (小店检录〔2026〕0001号): who was inspected, when
and where, by which inspectors with their 执法证号, who stood for the enterprise, the checklist as
answered, the findings, and the evidence list with each file's sha256 (the same digest the case's
event chain holds, so the paper copy can be matched to the stored files).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enforcement.inspections.forms import CheckResult
from enforcement.models import Inspection
from workflow import calendar
from workflow.documents import Document, render_pdf
from workflow.models import Attachment
from workflow.record_language import in_record_language


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _inspectors(inspection: Inspection) -> str:
    people = []
    for user in inspection.inspectors.select_related("credential").order_by("pk"):
        name = f"{user.last_name}{user.first_name}".strip() or user.get_username()
        credential = getattr(user, "credential", None)
        number = credential.number if credential is not None else "—"
        people.append(_("%(name)s（执法证号 %(no)s）") % {"name": name, "no": number})
    return pgettext("list separator", "；").join(people) or "—"


def record_document(inspection: Inspection) -> Document:
    """The record's content, in the record's language."""
    with in_record_language():
        enterprise, place = inspection.enterprise, inspection.place
        results = dict(CheckResult.CHOICES)
        if enterprise is not None:
            target = [
                (_("被检查单位"), enterprise.name),
                (_("统一社会信用代码"), enterprise.uscc),
                (_("地址"), enterprise.address or "—"),
            ]
        else:
            assert place is not None
            target = [
                (_("被检查点位"), str(place)),
                (_("责任主体"), place.owner or "—"),
                (_("位置"), place.address or "—"),
            ]
        facts: list[tuple[str, str]] = [
            *target,
            (
                _("检查时间"),
                _("%(start)s 至 %(end)s")
                % {"start": _moment(inspection.started_at), "end": _moment(inspection.ended_at)},
            ),
            (_("检查地点"), inspection.location or "—"),
            (_("检查人员及执法证号"), _inspectors(inspection)),
            (_("现场负责人"), inspection.on_site_person or "—"),
            (_("检查类型"), str(inspection.get_inspection_type_display())),
        ]
        for line in inspection.checklist:
            result = str(results.get(line.get("result", ""), line.get("result", "")))
            note = str(line.get("note", "")).strip()
            value = _("%(result)s：%(note)s") % {"result": result, "note": note} if note else result
            facts.append((str(line.get("item", "")), value))
        facts.append((_("检查情况"), inspection.findings or "—"))
        attachments = Attachment.objects.filter(case=inspection).order_by("pk")
        evidence = [
            _("%(n)d. %(name)s SHA-256：%(digest)s")
            % {"n": n, "name": a.original_name, "digest": a.sha256}
            for n, a in enumerate(attachments, start=1)
        ]
        if not evidence:
            facts.append((_("证据清单"), _("无")))
        for n, line in enumerate(evidence):
            facts.append((_("证据清单") if n == 0 else "", line))
        day = calendar.local_date(inspection.ended_at or inspection.updated_at)
        return Document(
            issuer=inspection.jurisdiction.name,
            number=inspection.record_no,
            title=_("现场检查笔录"),
            addressee_line=_("案件编号：%(no)s") % {"no": inspection.case_no},
            paragraphs=[
                _("本机关执法人员出示执法证件，依法对下列单位进行了现场检查，情况记录如下：")
            ],
            facts=facts,
            signed_on=_("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day},
        )


def record_pdf(inspection: Inspection) -> bytes:
    return render_pdf(record_document(inspection))
