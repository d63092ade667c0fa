"""月通报: on the month's first working day, each bureau's numbered bulletin of last month — the
月考核 ranking as it was frozen, the month's 约谈, 督办 and 督察 figures, the units losing 评优
for the year (一票否决) and the 问责建议 of units ranked at the bottom again and again — stored
once and frozen, delivered to every ranked unit and the bureau's heads, printed as a PDF from
what is stored (`document`), never recomputed.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enforcement.assessment import ranking
from enforcement.assessment.indicators import ranked_units
from enforcement.models import (
    AccountabilitySuggestion,
    MonthlyBulletin,
    RankingSnapshot,
    SnapshotKind,
)
from enforcement.numbering import next_number
from enforcement.periods import Period
from enforcement.rhythm import bureau_readers, digest, rules, unit_readers
from workflow import calendar
from workflow.documents import Document
from workflow.models import Case, Escalation, Unit
from workflow.models.escalation import Rung
from workflow.models.notice import YuetanRecord
from workflow.notifications import notify_document
from workflow.record_language import in_record_language


def figures(region: Unit, period: Period, now: dt.datetime) -> dict[str, int]:
    """The month's counts the bulletin quotes, over the bureau's cases and ranked units."""
    units = ranked_units(region)
    cases = Case.objects.filter(jurisdiction__path__startswith=region.path)
    fired = Escalation.objects.filter(case__in=cases).filter(period.within("created_at"))
    ducha = cases.filter(kind__in=("rectification", "forwarded"))
    return {
        "yuetan": YuetanRecord.objects.filter(
            unit__in=units, held_on__gte=period.first, held_on__lte=period.last
        ).count(),
        "supervised": fired.filter(rung=Rung.SUPERVISE).count(),
        "listed": fired.filter(rung=Rung.LISTED, status="issued").count(),
        "ducha_closed": ducha.filter(period.within("closed_at")).count(),
        "ducha_open": ducha.filter(closed_at__isnull=True).count(),
        "ducha_overdue": ducha.filter(closed_at__isnull=True, due_at__lt=now).count(),
    }


def _text(
    region: Unit,
    period: Period,
    snapshot: RankingSnapshot,
    counts: dict[str, int],
    vetoed: list[rules.Verdict],
    laggards: list[rules.Verdict],
) -> tuple[str, list[str], list[list[str]]]:
    """The title, the paragraphs and the ranking table, in the record's language."""
    month = _("%(year)d年%(month)d月") % {"year": period.first.year, "month": period.first.month}
    title = _("关于%(month)s各单位生态环境工作考核情况的通报") % {"month": month}
    ranked = [row for row in snapshot.rows if row.get("rank") is not None]
    paragraphs = [
        _("现将%(month)s各责任单位的月考核结果和重点工作情况通报如下。") % {"month": month},
        _(
            "本月共约谈%(yuetan)d次，督办%(supervised)d次，挂牌督办%(listed)d件；督察整改任务"
            "本月办结%(ducha_closed)d项，尚在办理%(ducha_open)d项，其中逾期%(ducha_overdue)d项。"
        )
        % counts,
    ]
    if ranked:
        separator = pgettext("list separator", "、")
        first = [row["name"] for row in ranked if row["rank"] == ranked[0]["rank"]]
        last = [row["name"] for row in ranked if row["rank"] == ranked[-1]["rank"]]
        paragraphs.append(
            _("月考核%(n)d个单位参与排名，%(first)s排名第一，%(last)s排名末位。")
            % {"n": len(ranked), "first": separator.join(first), "last": separator.join(last)}
        )
    for verdict in vetoed:
        paragraphs.append(
            _("%(unit)s：%(reasons)s，取消本年度评优资格（一票否决）。")
            % {
                "unit": verdict.name,
                "reasons": pgettext("clause separator", "；").join(verdict.reasons),
            }
        )
    for verdict in laggards:
        paragraphs.append(
            _("%(unit)s%(reason)s，建议予以问责，报局领导决定。")
            % {"unit": verdict.name, "reason": verdict.reasons[0]}
        )
    table = []
    for row in snapshot.rows:
        if row.get("rank") is None:
            table.append([_("未排名"), _("%(name)s：本期无办件") % {"name": row["name"]}])
        else:
            table.append(
                [
                    _("第%(rank)d名") % {"rank": row["rank"]},
                    _("%(name)s：%(score)s分") % {"name": row["name"], "score": row["score"]},
                ]
            )
    return title, paragraphs, table


def digest_of(bulletin: MonthlyBulletin) -> str:
    return digest(
        {
            "number": bulletin.number,
            "snapshot": bulletin.snapshot.digest,
            "title": bulletin.title,
            "paragraphs": bulletin.paragraphs,
            "facts": bulletin.facts,
            "figures": bulletin.figures,
            "vetoed": bulletin.vetoed,
        }
    )


def verify(bulletin: MonthlyBulletin) -> bool:
    return digest_of(bulletin) == bulletin.digest


def issue(region: Unit, period: Period, *, now: dt.datetime) -> MonthlyBulletin:
    """The bureau's 月通报 of the month, issued once: numbered, frozen, its 问责建议 proposed."""
    existing = MonthlyBulletin.objects.filter(
        region=region, year=period.first.year, month=period.first.month
    ).first()
    if existing is not None:
        return existing
    snapshot = ranking.stored_or_taken(SnapshotKind.MONTHLY, region, period, now=now)
    counts = figures(region, period, now)
    with in_record_language():
        vetoed = rules.vetoed(region, period.first.year, period.last)
        laggards = rules.laggards(region, period.last)
        title, paragraphs, table = _text(region, period, snapshot, counts, vetoed, laggards)
        series = pgettext("document number", "环通")
    year = calendar.local_date(now).year
    units = {u.code: u for u in ranked_units(region)}
    try:
        with transaction.atomic():
            sequence, number = next_number(MonthlyBulletin, region, year, series)
            bulletin = MonthlyBulletin(
                region=region,
                year=period.first.year,
                month=period.first.month,
                sequence=sequence,
                number=number,
                snapshot=snapshot,
                title=title,
                paragraphs=paragraphs,
                facts=table,
                figures=counts,
                vetoed=[v.as_json() for v in vetoed],
                created_at=now,
            )
            bulletin.digest = digest_of(bulletin)
            bulletin.save()
            AccountabilitySuggestion.objects.bulk_create(
                AccountabilitySuggestion(bulletin=bulletin, unit=units[v.unit], reason=v.reasons[0])
                for v in laggards
                if v.unit in units
            )
    except IntegrityError:  # another worker issued it first (its number is the one)
        return MonthlyBulletin.objects.get(
            region=region, year=period.first.year, month=period.first.month
        )
    return bulletin


def document(bulletin: MonthlyBulletin) -> Document:
    """The bulletin as printed (`workflow.documents.render_pdf`), from what is stored."""
    day = calendar.local_date(bulletin.created_at)
    with in_record_language():
        return Document(
            issuer=bulletin.region.name,
            number=bulletin.number,
            title=bulletin.title,
            addressee_line=_("各责任单位："),
            paragraphs=bulletin.paragraphs,
            facts=[(label, value) for label, value in bulletin.facts],
            signed_on=_("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day},
        )


def deliver(bulletin: MonthlyBulletin, *, now: dt.datetime) -> int:
    """To every ranked unit (its heads, else its handlers) and the bureau's heads, leaders and
    dispatchers, in-app and by e-mail, once each."""
    region = bulletin.region
    key = f"bulletin:{bulletin.pk}"
    link = reverse("enforcement:bulletin_detail", args=[bulletin.pk])
    with in_record_language():
        message = _("%(number)s %(title)s") % {"number": bulletin.number, "title": bulletin.title}
    people = list(bureau_readers(region))
    codes = [row["unit"] for row in bulletin.snapshot.rows]
    for unit in Unit.objects.filter(code__in=codes):
        people += unit_readers(unit)
    return len(notify_document(people, message, document=key, link=link, now=now))


def monthly(now: dt.datetime) -> list[MonthlyBulletin]:
    """The beat's job: on the month's first working day, every bureau's 月通报 of last month,
    delivered (other days: nothing)."""
    if not ranking.first_workday_of_month(calendar.local_date(now)):
        return []
    period = ranking.last_month(now)
    issued = []
    for region in ranking.scopes():
        bulletin = issue(region, period, now=now)
        with transaction.atomic():
            deliver(bulletin, now=now)
        issued.append(bulletin)
    return issued
