"""文号 of the enforcement documents: 小店环罚〔2026〕3号, gap-free per bureau, mark and year."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import pgettext

from workflow import calendar
from workflow.models.notice import NoticeSequence
from workflow.models.unit import Unit
from workflow.transitions import next_in_sequence

#: The mark of each numbered document in its 文号.
FILING = "立"  # 立案审批表
INSPECTION_RECORD = "检录"  # 现场检查笔录
CORRECTION = "责改"  # 责令改正违法行为决定书
ADVANCE_NOTICE = "罚告"  # 行政处罚事先告知书
DECISION = "罚"  # 行政处罚决定书


def document_number(region: Unit, mark: str, now: dt.datetime) -> str:
    """The next 文号; call inside the transaction that records the document."""
    year = calendar.local_date(now).year
    seq = next_in_sequence(NoticeSequence, region=region, kind=f"doc-{mark}", year=year)
    prefix = region.case_prefix or region.short_name or region.name
    # Translators: an official 文号 is data, the same in every language.
    return pgettext("document number", "%(prefix)s环%(mark)s〔%(year)d〕%(seq)d号") % {
        "prefix": prefix,
        "mark": mark,
        "year": year,
        "seq": seq,
    }
