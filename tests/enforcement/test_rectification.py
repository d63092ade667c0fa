"""反馈问题整改: a task with a lead and two co-units through 验收—公示—异议—重新整改—审签—
销号, 回头看, 长期坚持 reporting, and the clocks (整改方案 30 working days, the 公示 window)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from enforcement.inspection_rounds import ledger, plan_importer, task_services
from enforcement.models import (
    AcceptanceTier,
    Horizon,
    InspectionRound,
    PublicityObjection,
    RectificationProblem,
    RectificationTask,
    ReportSchedule,
    RoundLevel,
)
from tests.enforcement.rectification_steps import apply, new_task
from tests.enforcement.test_public_pages import captcha_of
from tests.factories import MONDAY, client_for, reload
from workflow import calendar
from workflow.models import Deadline, Unit
from workflow.models.case import CaseState
from workflow.transitions import InvalidTransition, TransitionDenied, transition_case


def test_a_task_with_two_co_units_through_acceptance_publicity_objection_and_closure(
    problem: Any, office: Any, leader: Any, district: Unit, town: Unit, dept: Unit,
    task_people: dict[str, Any], photo: Any,
) -> None:  # fmt: skip
    task = new_task(problem, office, district, [town, dept])
    assert (task.state, task.responsible_unit) == (CaseState.ASSIGNED, district)
    parts = list(task.children.order_by("pk"))
    assert [p.responsible_unit for p in parts] == [town, dept]
    assert all(reload(p).rectify_due == dt.date(2026, 8, 31) for p in parts)

    at = MONDAY + dt.timedelta(days=30)
    transition_case(task, "sign", actor=task_people["lead"], now=at)
    # The lead unit cannot apply while its co-units' parts are open.
    with pytest.raises(InvalidTransition):
        apply(task, task_people["lead"], photo, at)
    for part, who in zip(parts, ("town", "dept"), strict=True):
        apply(part, task_people[who], photo, at)
        transition_case(
            reload(part),
            "accept_part",
            actor=office,
            payload={"acceptance_opinion": "现场核查，清运到位。"},
            now=at,
        )
        assert reload(part).state == CaseState.CLOSED

    apply(task, task_people["lead"], photo, at)
    accepted = at + dt.timedelta(days=1)
    transition_case(
        reload(task),
        "accept",
        actor=office,
        payload={"acceptance_opinion": "经市级验收，达到整改目标。"},
        now=accepted,
    )
    task = reload(task)
    assert task.state == "publicizing" and task.verifier == office
    window = Deadline.objects.pending().get(case=task, kind="publicity")
    # 10 calendar days; the 10th (2026-07-12) is a Sunday, so the window ends on the Monday.
    assert window.due_date == calendar.add_days(calendar.local_date(accepted), 10).date
    assert window.due_date == dt.date(2026, 7, 13)

    objection = task_services.file_objection(
        task, grounds="河道东侧仍有约50立方米建筑垃圾未清运。", now=accepted + dt.timedelta(days=3)
    )
    assert reload(task).state == "publicity_objected"
    assert task_services.answer_to(objection) is None
    transition_case(
        reload(task),
        "uphold_objection",
        actor=office,
        note="经复核，异议属实，退回重新整改。",
        payload={"rectify_period": 10},
        now=accepted + dt.timedelta(days=4),
    )
    assert reload(task).state == CaseState.RECTIFYING
    answer = task_services.answer_to(objection)
    assert answer is not None and answer.transition == "uphold_objection"

    again = accepted + dt.timedelta(days=10)
    apply(task, task_people["lead"], photo, again)
    transition_case(
        reload(task),
        "accept",
        actor=office,
        payload={"acceptance_opinion": "复验合格。"},
        now=again,
    )
    # 审签 only once the 公示 window has run out; only a leader signs.
    with pytest.raises(InvalidTransition):
        transition_case(
            reload(task), "sign_off", actor=leader, payload={"filing_ref": ""}, now=again
        )
    over = again + dt.timedelta(days=11)
    with pytest.raises(TransitionDenied):
        transition_case(reload(task), "sign_off", actor=office, payload={}, now=over)
    transition_case(
        reload(task),
        "sign_off",
        actor=leader,
        payload={"filing_ref": "并督改〔2026〕3号"},
        now=over,
    )
    task = reload(task)
    assert task.state == CaseState.CLOSED and task.closed_at == over
    # A 公示期 runs out, it is not "late" when the leader signs after it.
    windows = Deadline.objects.filter(case=task, kind="publicity").order_by("pk")
    assert [w.status for w in windows] == ["met", "met"]
    assert task.filing_ref == "并督改〔2026〕3号"

    # 回头看 finds it back: reopened, counted against the unit.
    transition_case(
        task,
        "reopen_after_check",
        actor=office,
        note="回头看发现河道沿岸新增倾倒点。",
        payload={"rectify_period": 15},
        now=over + dt.timedelta(days=60),
    )
    task = reload(task)
    assert (task.state, task.rebounds, task.closed_at) == (CaseState.RECTIFYING, 1, None)


def test_a_province_tier_task_is_reviewed_above_before_closure(
    problem: Any, office: Any, leader: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> None:
    problem.tier = AcceptanceTier.PROVINCE
    problem.save()
    task = new_task(problem, office, district, [])
    apply(task, task_people["lead"], photo, MONDAY)
    transition_case(
        reload(task), "accept", actor=office, payload={"acceptance_opinion": "合格"}, now=MONDAY
    )
    over = MONDAY + dt.timedelta(days=12)
    with pytest.raises(InvalidTransition):
        transition_case(reload(task), "sign_off", actor=leader, payload={}, now=over)
    transition_case(reload(task), "sign_for_review", actor=leader, now=over)
    assert reload(task).state == "upper_review"
    transition_case(
        reload(task),
        "confirm_review",
        actor=leader,
        note="省督察整改办复核通过。",
        payload={"filing_ref": "晋督改〔2026〕8号"},
        now=over + dt.timedelta(days=5),
    )
    assert reload(task).state == CaseState.CLOSED


def test_a_rejected_acceptance_returns_the_task_with_a_new_date(
    problem: Any, office: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> None:
    task = new_task(problem, office, district, [])
    apply(task, task_people["lead"], photo, MONDAY)
    transition_case(
        reload(task),
        "reject_acceptance",
        actor=office,
        note="围挡未设置到位。",
        payload={"rectify_period": 5},
        now=MONDAY,
    )
    task = reload(task)
    assert task.state == CaseState.RECTIFYING
    assert task.rectify_due == calendar.add_workdays(MONDAY.date(), 5).date


def test_a_long_term_task_reports_monthly_and_never_closes(
    problem: Any, office: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> None:
    task = new_task(
        problem,
        office,
        district,
        [],
        task_no="1-2",
        horizon=Horizon.LONG_TERM,
        rectify_due=None,
        report_schedule=ReportSchedule.MONTHLY,
    )
    # 交办 on 2026-06-01: the first report is due by the end of July.
    assert (task.rectify_due, task.next_report_due) == (None, dt.date(2026, 7, 31))
    transition_case(task, "sign", actor=task_people["lead"], now=MONDAY)
    due = Deadline.objects.pending().get(case=task, for_state=CaseState.RECTIFYING)
    assert (due.kind, due.due_date) == ("progress_report", dt.date(2026, 7, 31))
    with pytest.raises(InvalidTransition):
        apply(task, task_people["lead"], photo, MONDAY)
    report_day = dt.datetime(2026, 7, 20, 10, 0, tzinfo=calendar.SHANGHAI)
    transition_case(
        reload(task),
        "report_progress",
        actor=task_people["lead"],
        note="7月巡查12次，新发现倾倒点2处，均已清理。",
        now=report_day,
    )
    task = reload(task)
    assert task.next_report_due == dt.date(2026, 8, 31)
    due = Deadline.objects.pending().get(case=task, for_state=CaseState.RECTIFYING)
    assert due.due_date == dt.date(2026, 8, 31)


def test_quarterly_reports_fall_due_at_the_end_of_the_next_quarter() -> None:
    from enforcement.models.rectification import next_report_day

    assert next_report_day(dt.date(2026, 5, 20), ReportSchedule.QUARTERLY) == dt.date(2026, 9, 30)
    assert next_report_day(dt.date(2026, 12, 5), ReportSchedule.MONTHLY) == dt.date(2027, 1, 31)
    assert next_report_day(dt.date(2026, 11, 5), ReportSchedule.QUARTERLY) == dt.date(2027, 3, 31)


def test_the_plan_is_due_30_working_days_after_feedback_across_national_day(
    round_: InspectionRound,
) -> None:
    round_.feedback_on = dt.date(2026, 9, 28)
    # + 15 working days is 2026-10-23 (the holiday skipped, the make-up Saturday 10-10 counted);
    # 15 more working days run to 2026-11-13.
    due = task_services.plan_due(round_)
    assert due is not None and due.date == dt.date(2026, 11, 13)
    round_.feedback_on = None
    assert task_services.plan_due(round_) is None


def test_only_the_public_page_files_an_objection(
    problem: Any, office: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> None:
    task = new_task(problem, office, district, [])
    apply(task, task_people["lead"], photo, MONDAY)
    transition_case(
        reload(task), "accept", actor=office, payload={"acceptance_opinion": "合格"}, now=MONDAY
    )
    with pytest.raises(TransitionDenied):
        transition_case(reload(task), "object_in_publicity", actor=office, note="x", now=MONDAY)
    assert RectificationTask.objects.get(pk=task.pk).state == "publicizing"


# --- pages ----------------------------------------------------------------------------------------


def in_publicity_now(
    problem: Any, office: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> Any:
    """A task accepted just now (the pages run on the real clock)."""
    now = timezone.now()
    task = task_services.open_task(
        problem,
        actor=office,
        now=now,
        task_no="1-3",
        title="整治张家河道两岸堆场",
        target="清理完毕，恢复河岸植被。",
        measures="清运、平整、复绿。",
        horizon=Horizon.IMMEDIATE,
        leader="李明 副区长",
        lead_unit=district,
        co_units=[],
        rectify_due=calendar.local_date(now) + dt.timedelta(days=30),
    )
    apply(task, task_people["lead"], photo, now)
    transition_case(
        reload(task),
        "accept",
        actor=office,
        payload={"acceptance_opinion": "经现场核查，村民王大海反映的堆场已清理。"},
        now=now,
    )
    return reload(task)


def test_the_public_reads_a_task_in_publicity_and_objects_with_a_code(
    client: Any, problem: Any, office: Any, district: Unit, task_people: dict[str, Any], photo: Any
) -> None:
    task = in_publicity_now(problem, office, district, task_people, photo)
    listing = client.get("/ducha/publicity/").content.decode()
    assert task.title in listing
    page = client.get(f"/ducha/publicity/{task.pk}/")
    text = page.content.decode()
    assert "王某某" in text and "王大海" not in text and task_people["lead"].first_name not in text

    refused = client.post(f"/ducha/publicity/{task.pk}/", {"grounds": "太短", **captcha_of(text)})
    assert refused.status_code == 400
    assert reload(task).state == "publicizing"

    page = client.get(f"/ducha/publicity/{task.pk}/").content.decode()
    grounds = "河道西侧仍堆有建筑垃圾约30立方米，未见复绿。"
    done = client.post(f"/ducha/publicity/{task.pk}/", {"grounds": grounds, **captcha_of(page)})
    assert done.status_code == 302
    objection = PublicityObjection.objects.get()
    assert done["Location"] == f"/ducha/objections/{objection.code}/"
    assert reload(task).state == "publicity_objected"
    tracking = client.get(done["Location"]).content.decode()
    assert grounds in tracking and "核实中" in tracking
    # The task is no longer in 公示: a second objection is a 404, not a second transition.
    assert client.get(f"/ducha/publicity/{task.pk}/").status_code == 404
    assert client.get("/ducha/objections/XXXX-XXXX-XXXX/").status_code == 404


def test_the_office_enters_problems_and_tasks_on_the_lists_page(
    round_: InspectionRound, office: Any, district: Unit, town: Unit
) -> None:
    page = client_for(office)
    url = f"/enforcement/rounds/{round_.pk}/problems/"
    assert page.get(url).status_code == 200
    # Reading is for the region's staff; entering for the round's office.
    assert page.post(f"{url}new/", {"number": 2}).status_code == 403
    round_.staff.add(office)
    response = page.post(
        f"{url}new/",
        {"number": 2, "text": "工业园区VOCs治理不到位。", "origin": "central", "tier": "city"},
    )
    assert response.status_code == 302
    problem = RectificationProblem.objects.get(number=2)
    bad = page.post(
        f"/enforcement/rounds/{round_.pk}/tasks/new/",
        {"problem": problem.pk, "task_no": "2-1", "horizon": "deadline"},
    )
    assert bad.status_code == 400 and not RectificationTask.objects.exists()
    due = calendar.local_date(timezone.now()) + dt.timedelta(days=90)
    response = page.post(
        f"/enforcement/rounds/{round_.pk}/tasks/new/",
        {
            "problem": problem.pk,
            "task_no": "2-1",
            "title": "园区企业VOCs深度治理",
            "target": "年底前完成12家企业治理设施升级。",
            "measures": "一企一策；在线监测联网。",
            "horizon": "deadline",
            "rectify_due": f"{due:%Y-%m-%d}",
            "lead_unit": district.pk,
            "co_units": [town.pk],
            "leader": "李明 副区长",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = RectificationTask.objects.get(parent__isnull=True)
    assert (task.state, task.responsible_unit, task.rectify_due) == ("assigned", district, due)
    assert task.children.get().responsible_unit == town
    lists = page.get(url).content.decode()
    assert "园区企业VOCs深度治理" in lists and "配合：北格镇" in lists


# --- the 整改方案 spreadsheet ---------------------------------------------------------------------

PLAN_HEADER = [
    "问题序号", "反馈问题", "任务编号", "任务名称", "整改目标", "整改措施", "整改类型",
    "完成时限", "报告周期", "牵头单位", "配合单位", "责任领导", "时间表",
]  # fmt: skip


def plan_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(PLAN_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_plan_spreadsheet_makes_problems_and_tasks_and_reports_bad_rows(
    round_: InspectionRound, office: Any, district: Unit, town: Unit, dept: Unit
) -> None:
    later = dt.datetime(2026, 9, 30)

    def row(
        no: str, title: str, horizon: str, due: Any, lead: str = "小店分局", **more: Any
    ) -> list:
        first = more.get("problem", 2)
        return [first, more.get("text", ""), no, title, "目标。", "措施。", horizon, due,
                more.get("schedule", ""), lead, more.get("co", ""), "李明 副区长",
                more.get("milestones", "")]  # fmt: skip

    rows = [
        row("2-1", "园区VOCs深度治理", "限期整改", later, text="工业园区VOCs治理不到位。",
            co="北格镇、小店区住建局", milestones="2026-07-31 完成排查"),
        row("2-2", "VOCs长效监管", "长期坚持", "", schedule="每月"),
        row("3-1", "缺问题文字", "限期整改", later, problem=3),
        row("2-3", "单位不存在", "限期整改", later, lead="不存在局"),
        row("2-4", "类型不对", "马上整改", later),
        row("2-5", "日期不对", "限期整改", "下个月"),
    ]  # fmt: skip
    data = plan_xlsx(rows)
    report = plan_importer.import_plan(round_, data, name="方案.xlsx", actor=office, now=MONDAY)
    assert (report.problems, report.created) == (1, 2)
    assert [n for n, _errors in report.rejected] == [4, 5, 6, 7]
    errors = dict(report.rejected)
    assert "反馈问题" in errors[4] and "不存在局" in errors[5]["牵头单位"][0]
    assert "整改类型" in errors[6] and "完成时限" in errors[7]
    task = RectificationTask.objects.get(task_no="2-1", parent__isnull=True)
    assert (task.responsible_unit, task.rectify_due) == (district, dt.date(2026, 9, 30))
    assert {c.responsible_unit for c in RectificationTask.objects.filter(parent=task)} == {
        town,
        dept,
    }
    standing = RectificationTask.objects.get(task_no="2-2")
    assert (standing.horizon, standing.report_schedule) == (Horizon.LONG_TERM, "monthly")
    again = plan_importer.import_plan(round_, data, name="方案.xlsx", actor=office, now=MONDAY)
    assert (again.problems, again.created, again.skipped) == (0, 0, 2)
    assert RectificationTask.objects.count() == 4


def test_the_ledger_lists_what_earlier_rounds_left_open_in_the_area(
    round_: InspectionRound, problem: Any, office: Any, district: Unit, other_district: Unit,
    photo: Any, task_people: dict[str, Any],
) -> None:  # fmt: skip
    open_task = new_task(problem, office, district, [], task_no="1-1")
    closed = new_task(problem, office, district, [], task_no="1-2")
    apply(closed, task_people["lead"], photo, MONDAY)
    elsewhere = new_task(problem, office, other_district, [], task_no="1-3")
    upcoming = InspectionRound.objects.create(
        level=RoundLevel.PROVINCIAL,
        name="省级督察",
        region=round_.region,
        lead_office=round_.lead_office,
        stationed_from=dt.date(2026, 12, 20),
        created_at=MONDAY,
    )
    upcoming.inspected_units.add(district)
    upcoming.staff.add(office)
    found = {e.case.pk: e for e in ledger.entries(upcoming, RectificationTask.objects.values("pk"))}
    # 1-2 is in 验收 (still open), 1-3 is outside the inspected district.
    assert set(found) == {open_task.pk, closed.pk}
    assert found[closed.pk].evidence == 1
    page = client_for(office).get(f"/enforcement/rounds/{upcoming.pk}/ledger/")
    assert "清理河道沿岸建筑垃圾" in page.content.decode()
    book = client_for(office).get(f"/enforcement/rounds/{upcoming.pk}/ledger/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and sheet.max_row == 4
    assert elsewhere.pk not in found


def test_a_district_tier_task_is_the_districts_and_its_verifier_accepts_it(
    problem: Any, office: Any, verifier: Any, district: Unit, town: Unit,
    task_people: dict[str, Any], photo: Any,
) -> None:  # fmt: skip
    problem.tier = AcceptanceTier.DISTRICT
    problem.save()
    task = new_task(problem, office, town, [])
    assert task.jurisdiction == district
    apply(task, task_people["town"], photo, MONDAY)
    transition_case(
        reload(task),
        "accept",
        actor=verifier,
        payload={"acceptance_opinion": "区级验收合格"},
        now=MONDAY,
    )
    assert reload(task).verifier == verifier
