"""整改调度: each task's progress read off the case, and the monthly 调度 report (beat and on
demand), numbered, frozen, as a page, an Excel and a PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from openpyxl import load_workbook

from enforcement.inspection_rounds import dispatch
from enforcement.models import DispatchReport, Horizon, RectificationTask, ReportSchedule
from enforcement.periods import Period
from tests.enforcement.rectification_steps import apply, new_task
from tests.factories import MONDAY, client_for, make_staff, reload
from workflow import calendar
from workflow.roles import Role
from workflow.transitions import transition_case

JUNE = Period.month(2026, 6)
#: The first working day of July 2026 (a Wednesday), 07:00 Beijing.
JULY_FIRST = dt.datetime(2026, 7, 1, 7, 0, tzinfo=calendar.SHANGHAI)


def test_progress_is_done_on_track_lagging_or_overdue(
    problem: Any, office: Any, district: Any, task_people: dict[str, Any], photo: Any
) -> None:
    on_track = new_task(problem, office, district, [], task_no="1-1")
    lagging = new_task(
        problem, office, district, [], task_no="1-2", milestones="2026-06-15 完成排查建档"
    )
    overdue = new_task(
        problem, office, district, [], task_no="1-3", rectify_due=dt.date(2026, 6, 10)
    )
    standing = new_task(
        problem,
        office,
        district,
        [],
        task_no="1-4",
        horizon=Horizon.LONG_TERM,
        rectify_due=None,
        report_schedule=ReportSchedule.MONTHLY,
    )
    done = new_task(problem, office, district, [], task_no="1-5")
    apply(done, task_people["lead"], photo, MONDAY)
    transition_case(
        reload(done), "accept", actor=office, payload={"acceptance_opinion": "合格"}, now=MONDAY
    )
    leader = make_staff("round_leader", district.parent, Role.LEADER)
    transition_case(
        reload(done),
        "sign_off",
        actor=leader,
        payload={"filing_ref": ""},
        now=MONDAY + dt.timedelta(days=12),
    )
    for task in (on_track, lagging, overdue, standing):
        transition_case(reload(task), "sign", actor=task_people["lead"], now=MONDAY)
    now = dt.datetime(2026, 6, 20, 10, 0, tzinfo=calendar.SHANGHAI)
    status = {line.task.task_no: line.status for line in dispatch.lines(problem.round, now)}
    assert status == {
        "1-1": dispatch.ON_TRACK,
        "1-2": dispatch.LAGGING,
        "1-3": dispatch.OVERDUE,
        "1-4": dispatch.ON_TRACK,
        "1-5": dispatch.DONE,
    }
    # Progress recorded after the milestone brings the lagging task back on track.
    transition_case(
        reload(lagging),
        "record_progress",
        actor=task_people["lead"],
        note="已建档",
        files=[photo],
        now=now,
    )
    later = now + dt.timedelta(hours=1)
    status = {line.task.task_no: line.status for line in dispatch.lines(problem.round, later)}
    assert status["1-2"] == dispatch.ON_TRACK
    assert {on_track.pk, overdue.pk, standing.pk} <= set(
        RectificationTask.objects.values_list("pk", flat=True)
    )


def test_the_beat_takes_last_months_report_once_on_the_first_working_day(
    problem: Any, office: Any, district: Any
) -> None:
    new_task(problem, office, district, [], task_no="1-1")
    assert dispatch.monthly(JULY_FIRST - dt.timedelta(days=1)) == []
    [report] = dispatch.monthly(JULY_FIRST)
    assert (report.first_day, report.last_day) == (JUNE.first, JUNE.last)
    assert report.number == "并督改调〔2026〕1号"
    assert dispatch.verify(report)
    assert dispatch.monthly(JULY_FIRST + dt.timedelta(hours=2)) == [report]
    # On demand: the month so far, numbered next.
    mid_july = dt.datetime(2026, 7, 15, 16, 0, tzinfo=calendar.SHANGHAI)
    now_report = dispatch.take(problem.round, dispatch.month_so_far(mid_july), now=mid_july)
    assert now_report.number == "并督改调〔2026〕2号"
    assert (now_report.first_day, now_report.last_day) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 15),
    )
    assert DispatchReport.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_cannot_be_changed(problem: Any, office: Any, district: Any) -> None:
    new_task(problem, office, district, [], task_no="1-1")
    report = dispatch.take(problem.round, JUNE, now=JULY_FIRST)
    with pytest.raises(DatabaseError), transaction.atomic():
        DispatchReport.objects.filter(pk=report.pk).update(rows=[])


def test_the_report_reads_as_a_page_an_excel_and_a_pdf(
    problem: Any, office: Any, district: Any
) -> None:
    problem.round.staff.add(office)
    new_task(problem, office, district, [], task_no="1-1", rectify_due=dt.date(2026, 6, 10))
    client = client_for(office)
    base = f"/enforcement/rounds/{problem.round_id}/dispatch/"
    assert "清理河道沿岸建筑垃圾" in client.get(base).content.decode()
    response = client.post(f"{base}new/")
    assert response.status_code == 302
    report = DispatchReport.objects.get()
    page = client.get(f"{base}{report.pk}/").content.decode()
    assert report.number in page and "逾期" in page
    book = load_workbook(io.BytesIO(client.get(f"{base}{report.pk}.xlsx").content))
    sheet = book.active
    assert sheet is not None
    assert sheet.cell(4, 2).value == "1-1" and sheet.cell(4, 10).value == "逾期"
    pdf = client.get(f"{base}{report.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_case_list_filters_by_round(
    problem: Any, office: Any, district: Any, dispatcher: Any
) -> None:
    from enforcement.models import SupervisionItem
    from tests.factories import open_item

    task = new_task(problem, office, district, [], task_no="1-1")
    other = open_item(actor=dispatcher, jurisdiction=district)
    client = client_for(office)
    page = client.get("/cases/", {"programme": f"round:{problem.round_id}"})
    text = page.content.decode()
    assert task.case_no in text and other.case_no not in text
    assert problem.round.name in client.get("/cases/").content.decode()
    # A stale or made-up key lists nothing rather than failing.
    assert client.get("/cases/", {"programme": "round:abc"}).status_code == 200
    assert SupervisionItem.objects.count() == 1


def test_a_task_lagging_month_after_month_climbs_the_ladder(
    problem: Any, office: Any, district: Any, task_people: dict[str, Any]
) -> None:
    from workflow.models.escalation import Escalation

    lagging = new_task(
        problem, office, district, [], task_no="1-1", milestones="2026-06-15 完成排查建档"
    )
    transition_case(reload(lagging), "sign", actor=task_people["lead"], now=MONDAY)
    [june] = dispatch.monthly(JULY_FIRST)
    assert dispatch.lagging_months(june) == {lagging.case_no: 1}
    assert [e.rung for e in Escalation.objects.filter(case=lagging)] == [3]
    assert reload(lagging).escalation_level == 3
    # A re-run the same day fires nothing more; an on-demand report never fires.
    dispatch.monthly(JULY_FIRST + dt.timedelta(hours=1))
    mid = dt.datetime(2026, 7, 20, 9, 0, tzinfo=calendar.SHANGHAI)
    so_far = dispatch.take(problem.round, dispatch.month_so_far(mid), now=mid)
    assert dispatch.escalate_laggards(so_far, now=mid) == 0
    assert Escalation.objects.filter(case=lagging).count() == 1
    # Still lagging at the next month's report: 督办.
    august_first = dt.datetime(2026, 8, 3, 7, 0, tzinfo=calendar.SHANGHAI)
    [july] = dispatch.monthly(august_first)
    assert dispatch.lagging_months(july) == {lagging.case_no: 2}
    assert sorted(e.rung for e in Escalation.objects.filter(case=lagging)) == [3, 4]
    told = lagging.events.filter(transition="escalate").order_by("seq")
    assert [e.payload["rung"] for e in told] == [3, 4]
    assert "连续2个月滞后于时间表" in told.last().payload["reason"]


def test_the_dashboard_counts_a_rounds_cases_only(
    problem: Any, office: Any, district: Any, dispatcher: Any, town: Any, leader: Any
) -> None:
    from tests.factories import assign_to, open_item

    task = new_task(problem, office, town, [], task_no="1-1")
    assign_to(open_item(actor=dispatcher, jurisdiction=district), dispatcher=dispatcher, unit=town)
    client = client_for(leader)
    period = f"{calendar.local_date(MONDAY):%Y-%m}"
    board = client.get("/enforcement/dashboard/", {"period": period, "unit": "TY"}).context["board"]
    key = f"round:{problem.round_id}"
    only = client.get("/enforcement/dashboard/", {"period": period, "unit": "TY", "programme": key})
    assert only.status_code == 200 and problem.round.name in only.content.decode()
    # Both are left unsigned, overdue at the month's end: the round's board counts its own.
    assert (board.total.data.overdue, only.context["board"].total.data.overdue) == (2, 1)
    drill = only.context["board"].total.links["overdue"]
    assert f"programme=round%3A{problem.round_id}" in drill
    cases = client.get(drill).context["cases"]
    assert [c.pk for c in cases] == [task.pk]
    bad = client.get("/enforcement/dashboard/", {"programme": "round:999999"})
    assert bad.status_code == 400
