"""周调度 and 月通报: taken once and frozen from stored snapshots; 一票否决 (a 督察 task overdue, or
the 约谈 threshold) and 多次排名靠后 (→ a 问责建议 a leader decides) read what was published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from enforcement.models import (
    AccountabilitySuggestion,
    MonthlyBulletin,
    RankingSnapshot,
    SnapshotKind,
    SuggestionStatus,
    WeeklyAgenda,
)
from enforcement.rhythm import monthly, rules, weekly
from tests.factories import UnitFactory, client_for, make_staff
from workflow import calendar
from workflow.models import Notification, Unit, UnitKind
from workflow.roles import Role

pytestmark = pytest.mark.django_db

TZ = calendar.SHANGHAI
#: Tuesday 2026-12-01, the first working day of December: November's bulletin is due.
FIRST_WORKDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def towns(district: Unit) -> list[Unit]:
    return [
        UnitFactory(code=f"XD-T{n}", name=f"第{n}镇", kind=UnitKind.TOWN, parent=district)
        for n in range(1, 6)
    ]


def _snapshot(district: Unit, year: int, month: int, ranks: dict[str, int]) -> RankingSnapshot:
    """A stored 月考核 as the ranking would have frozen it (rank per town code)."""
    first = dt.date(year, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    rows = [
        {
            "unit": code,
            "name": Unit.objects.get(code=code).name,
            "inputs": {"yuetan_year": 2 if code == "XD-T1" else 0},
            "score": f"{100 - 5 * rank}.00",
            "rank": rank,
            "excellence_void": code == "XD-T1" and month == 11,
        }
        for code, rank in sorted(ranks.items(), key=lambda item: item[1])
    ]
    return RankingSnapshot.objects.create(
        kind=SnapshotKind.MONTHLY,
        scope=district,
        first_day=first,
        last_day=last,
        formula="v1",
        weights={},
        rows=rows,
        digest=f"{year}{month}",
        created_at=timezone.now(),
    )


@pytest.fixture
def history(district: Unit, towns: list[Unit]) -> None:
    """September to November: 第5镇 last three times, 第4镇 once in the bottom two."""
    _snapshot(district, 2026, 9, {"XD-T1": 1, "XD-T2": 2, "XD-T3": 3, "XD-T4": 4, "XD-T5": 5})
    _snapshot(district, 2026, 10, {"XD-T1": 1, "XD-T2": 2, "XD-T4": 3, "XD-T3": 4, "XD-T5": 5})
    _snapshot(district, 2026, 11, {"XD-T1": 1, "XD-T3": 2, "XD-T2": 3, "XD-T4": 4, "XD-T5": 5})


def test_bottom_ranks_again_and_again_earn_a_suggestion(
    history: None, district: Unit, settings: Any
) -> None:
    settings.ECOLOOP_LAGGARD_RULE = {"bottom": 2, "times": 2, "periods": 3}
    found = rules.laggards(district, dt.date(2026, 11, 30))
    # 第5镇 bottom 3 times; 第4镇 in the bottom two in September and November; 第3镇 once.
    assert [v.unit for v in found] == ["XD-T4", "XD-T5"]
    assert "3次排名后2位" in found[1].reasons[0] and "2026年11月第5名" in found[1].reasons[0]
    settings.ECOLOOP_LAGGARD_RULE = {"bottom": 1, "times": 3, "periods": 3}
    assert [v.unit for v in rules.laggards(district, dt.date(2026, 11, 30))] == ["XD-T5"]
    # Only the snapshots up to the day are read.
    assert rules.laggards(district, dt.date(2026, 10, 31)) == []


def test_an_overdue_ducha_task_or_the_yuetan_threshold_vetoes_the_year(
    history: None, district: Unit, towns: list[Unit], dispatcher: Any
) -> None:
    from tests.factories import open_item
    from workflow.models import Deadline

    task = open_item(actor=dispatcher, jurisdiction=district, now=FIRST_WORKDAY)
    task.__class__.objects.filter(pk=task.pk).update(
        kind="rectification", responsible_unit=towns[2]
    )
    Deadline.objects.filter(case=task).update(
        due_at=dt.datetime(2026, 11, 20, tzinfo=TZ), is_main=True
    )
    verdicts = {v.unit: v.reasons for v in rules.vetoed(district, 2026, dt.date(2026, 11, 30))}
    assert set(verdicts) == {"XD-T1", "XD-T3"}
    assert "约谈2次" in verdicts["XD-T1"][0]
    assert verdicts["XD-T3"] == [f"督察交办事项逾期1项（{task.case_no}）"]


def test_the_bulletin_is_numbered_frozen_delivered_once_and_printed(
    history: None,
    district: Unit,
    towns: list[Unit],
    supervisor: Any,
    leader: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ECOLOOP_LAGGARD_RULE = {"bottom": 1, "times": 2, "periods": 3}
    head = make_staff("t5_head", towns[4], Role.HANDLER, name="第5镇专干")
    with django_capture_on_commit_callbacks(execute=True):
        [*_, bulletin] = [b for b in monthly.monthly(FIRST_WORKDAY) if b.region == district]
    assert bulletin.number == "小店环通〔2026〕1号" and monthly.verify(bulletin)
    assert bulletin.title == "关于2026年11月各单位生态环境工作考核情况的通报"
    assert any("第1镇" in p and "一票否决" in p for p in bulletin.paragraphs)
    assert ["第1名", "第1镇：95.00分"] in bulletin.facts
    [suggestion] = bulletin.suggestions.all()
    assert suggestion.unit == towns[4] and suggestion.status == SuggestionStatus.SUGGESTED
    # Once: a second beat the same day, or the next day, gives the same bulletin.
    again = monthly.monthly(FIRST_WORKDAY + dt.timedelta(hours=2))
    assert bulletin in again and MonthlyBulletin.objects.filter(region=district).count() == 1
    assert monthly.monthly(FIRST_WORKDAY + dt.timedelta(days=1)) == []
    rows = Notification.objects.filter(document=f"bulletin:{bulletin.pk}")
    assert rows.filter(recipient=head).exists() and rows.filter(recipient=supervisor).exists()
    count = rows.count()
    monthly.deliver(bulletin, now=FIRST_WORKDAY + dt.timedelta(hours=3))
    assert rows.count() == count
    with pytest.raises(DatabaseError), transaction.atomic():
        MonthlyBulletin.objects.filter(pk=bulletin.pk).update(title="改过的标题")
    # The page, the PDF, a leader's decision.
    page = client_for(head).get(f"/enforcement/rhythm/bulletins/{bulletin.pk}/")
    assert page.status_code == 200 and "第5镇" in page.content.decode()
    assert "记录决定" not in page.content.decode()
    pdf = client_for(head).get(f"/enforcement/rhythm/bulletins/{bulletin.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    url = f"/enforcement/rhythm/suggestions/{suggestion.pk}/decide/"
    assert client_for(head).post(url, {f"s{suggestion.pk}-decision": "adopted"}).status_code == 403
    refused = client_for(leader).post(url, {f"s{suggestion.pk}-decision": "adopted"})
    assert refused.status_code == 400 and "该字段是必填项" in refused.content.decode()
    done = client_for(leader).post(
        url, {f"s{suggestion.pk}-decision": "adopted", f"s{suggestion.pk}-note": "约谈主要负责人"}
    )
    assert done.status_code == 302
    suggestion = AccountabilitySuggestion.objects.get(pk=suggestion.pk)
    assert suggestion.status == SuggestionStatus.ADOPTED and suggestion.decided_by == leader


def test_the_weekly_agenda_lists_the_lagging_the_overdue_and_is_taken_once(
    district: Unit, town: Unit, dispatcher: Any, supervisor: Any
) -> None:
    from tests.factories import assign_to, open_item
    from workflow.models import Case

    monday = dt.datetime(2026, 12, 7, 8, 30, tzinfo=TZ)
    late = open_item(actor=dispatcher, jurisdiction=district, now=monday - dt.timedelta(days=20))
    assign_to(late, dispatcher=dispatcher, unit=town)
    Case.objects.filter(pk=late.pk).update(due_at=monday - dt.timedelta(days=6))
    [agenda] = [a for a in weekly.weekly(monday) if a.region == district]
    assert [row["case_no"] for row in agenda.overdue] == [late.case_no]
    assert agenda.overdue[0]["days"] >= 5 and weekly.verify(agenda)
    assert weekly.weekly(monday + dt.timedelta(hours=4))[0].pk in set(
        WeeklyAgenda.objects.values_list("pk", flat=True)
    )
    assert WeeklyAgenda.objects.filter(region=district).count() == 1
    assert Notification.objects.filter(document=f"weekly:{agenda.pk}", recipient=supervisor)
    page = client_for(dispatcher).get("/enforcement/rhythm/weekly/").content.decode()
    assert late.case_no in page
