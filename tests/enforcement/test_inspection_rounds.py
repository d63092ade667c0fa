"""督察 rounds and 边督边改 batches: import, the item's loop with 阶段性办结, the signed public
一览表."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from enforcement.inspection_rounds import importer, masking, services
from enforcement.inspection_rounds.forms import BatchForm, ReplyUnit, reply_due
from enforcement.models import (
    ForwardedBatch,
    ForwardedComplaint,
    ForwardedPublication,
    HandlingStatus,
    InspectionRound,
    RoundLevel,
)
from enforcement.spreadsheets import ImportRefused
from tests.factories import MONDAY, UnitFactory, client_for, make_staff, reload
from workflow import calendar, selectors
from workflow.models import Deadline, Unit, UnitKind
from workflow.models.case import CaseLink, CaseState
from workflow.roles import Role
from workflow.transitions import InvalidTransition, transition_case

HEADER = ["序号", "受理编号", "交办问题基本情况", "行政区域", "污染类型", "反映对象"]


@pytest.fixture
def office(city: Unit) -> Unit:
    return UnitFactory(code="TY-DCB", name="市督察整改办", kind=UnitKind.SECTION, parent=city)


@pytest.fixture
def ducha(city: Unit) -> Any:
    """The 督察整改办's clerk: 交办 and 审核 (the loop's 核查)."""
    return make_staff("ducha", city, Role.DISPATCHER, Role.VERIFIER, name="督察整改办")


@pytest.fixture
def ducha_head(city: Unit) -> Any:
    return make_staff("ducha_head", city, Role.SUPERVISOR, name="整改办主任")


@pytest.fixture
def round_(city: Unit, office: Unit, district: Unit, ducha: Any, ducha_head: Any) -> Any:
    round = InspectionRound.objects.create(
        level=RoundLevel.CENTRAL,
        name="第三轮第二批中央生态环境保护督察",
        region=city,
        lead_office=office,
        stationed_from=MONDAY.date(),
        created_at=MONDAY,
    )
    round.staff.add(ducha, ducha_head)
    return round


@pytest.fixture
def batch(round_: InspectionRound, ducha: Any) -> ForwardedBatch:
    return ForwardedBatch.objects.create(
        round=round_,
        number=1,
        received_at=MONDAY,
        reply_due_at=reply_due(MONDAY, 5, ReplyUnit.DAYS),
        created_by=ducha,
        created_at=MONDAY,
    )


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\ufeff" + "\n".join(lines)).encode()


def xlsx_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    ["1", "D3SX202506010001", "反映小店区某汽修厂喷漆废气扰民", "太原市小店区", "大气", "某汽修厂"],
    ["2", "D3SX202506010002", "反映北格镇河道有人倾倒建筑垃圾", "太原市小店区", "固废、水", ""],
    ["3", "D3SX202506010003", "反映迎泽区餐饮油烟", "太原市迎泽区", "油烟", "某饭店"],
]


# --- import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_import_keeps_good_rows_reports_bad_ones_by_row_number_and_is_idempotent(
    batch: ForwardedBatch, ducha: Any, other_district: Unit, make: Any
) -> None:
    bad = [
        ["4", "bad code!", "内容", "太原市小店区", "大气", ""],
        ["5", "D3SX202506010005", "", "太原市小店区", "大气", ""],
        ["6", "D3SX202506010006", "反映异味", "北京市朝阳区", "大气", ""],
        ["7", "D3SX202506010007", "反映光污染", "太原市小店区", "光", ""],
        ["8", "D3SX202506010001", "同一文件重复", "太原市小店区", "大气", ""],
    ]
    data = make(ROWS + bad)
    report = importer.import_batch(batch, data, name="第1批.x", actor=ducha, now=MONDAY)
    assert report.created == 3
    assert [number for number, _errors in report.rejected] == [5, 6, 7, 8, 9]
    messages = {number: errors for number, errors in report.rejected}
    assert "受理编号" in messages[5]
    assert "交办问题基本情况" in messages[6]
    assert "北京市朝阳区" in messages[7]["行政区域"][0]
    assert "光" in messages[8]["污染类型"][0]
    assert "第 2 行" in messages[9]["受理编号"][0]

    items = {i.acceptance_no: i for i in ForwardedComplaint.objects.all()}
    assert items["D3SX202506010001"].jurisdiction.code == "XD"
    assert items["D3SX202506010003"].jurisdiction.code == "YZ"
    assert items["D3SX202506010002"].pollution == "solid_waste,water"
    assert items["D3SX202506010002"].pollution_display() == "固废、水"
    assert items["D3SX202506010003"].pollution == "air"
    first = items["D3SX202506010001"]
    assert first.state == CaseState.PENDING_ASSIGNMENT
    assert first.description == "反映小店区某汽修厂喷漆废气扰民"
    assert first.reply_due_at == batch.reply_due_at

    again = importer.import_batch(batch, data, name="第1批.x", actor=ducha, now=MONDAY)
    # The in-file duplicate of an imported number is now simply already there.
    assert (again.created, again.skipped) == (0, 4)
    assert [number for number, _errors in again.rejected] == [5, 6, 7, 8]
    assert ForwardedComplaint.objects.count() == 3


def test_a_file_without_the_required_columns_is_refused_whole(
    batch: ForwardedBatch, ducha: Any
) -> None:
    with pytest.raises(ImportRefused, match="受理编号"):
        importer.import_batch(
            batch, csv_bytes([["x", "y"]], header=["编号错", "内容错"]), actor=ducha, now=MONDAY
        )
    with pytest.raises(ImportRefused):
        importer.import_batch(batch, b"", actor=ducha, now=MONDAY)
    assert not ForwardedComplaint.objects.exists()


def test_header_synonyms_and_gbk_csv_are_read(batch: ForwardedBatch, ducha: Any) -> None:
    text = "编号,反映内容,区域,问题类型\nD3SX202506010009,反映噪音扰民,小店区,噪音\n"
    report = importer.import_batch(batch, text.encode("gbk"), actor=ducha, now=MONDAY)
    assert report.created == 1
    assert ForwardedComplaint.objects.get().pollution_display() == "噪声"


def test_the_same_number_or_target_in_a_later_batch_is_a_repeat(
    batch: ForwardedBatch, ducha: Any
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS), actor=ducha, now=MONDAY)
    later = ForwardedBatch.objects.create(
        round=batch.round,
        number=2,
        received_at=MONDAY + dt.timedelta(days=1),
        reply_due_at=MONDAY + dt.timedelta(days=1, hours=8),
        created_at=MONDAY,
    )
    rows = [
        ["1", "D3SX202506020001", "再次反映汽修厂喷漆", "太原市小店区", "大气", "某汽修厂"],
        ["2", "D3SX202506010002", "再次反映倾倒垃圾", "太原市小店区", "固废", ""],
        ["3", "D3SX202506020003", "新问题", "太原市小店区", "水", "某洗车店"],
    ]
    report = importer.import_batch(later, csv_bytes(rows), actor=ducha, now=MONDAY)
    assert (report.created, report.repeats) == (3, 2)
    firsts = {i.acceptance_no: i for i in batch.items.all()}
    by_code = {i.acceptance_no: i for i in later.items.all()}
    assert by_code["D3SX202506020001"].repeat_of == firsts["D3SX202506010001"]
    assert by_code["D3SX202506010002"].repeat_of == firsts["D3SX202506010002"]
    assert by_code["D3SX202506020003"].repeat_of is None
    assert services.progress(later, MONDAY)["repeats"] == 2
    # Linked on both timelines.
    link = CaseLink.objects.get(from_case=by_code["D3SX202506010002"])
    assert (link.to_case_id, link.kind) == (firsts["D3SX202506010002"].pk, "duplicate_of")
    assert firsts["D3SX202506010002"].events.filter(transition="link").exists()


# --- clocks -------------------------------------------------------------------------------------


def test_a_reply_deadline_in_hours_is_precise_to_the_minute(
    round_: InspectionRound, ducha: Any
) -> None:
    received = MONDAY.replace(hour=10, minute=30)
    batch = ForwardedBatch.objects.create(
        round=round_,
        number=3,
        received_at=received,
        reply_due_at=reply_due(received, 8, ReplyUnit.HOURS),
        created_at=received,
    )
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=received)
    item = ForwardedComplaint.objects.get()
    deadline = Deadline.objects.pending().get(case=item)
    assert deadline.due_at == MONDAY.replace(hour=18, minute=30)
    assert item.due_at == deadline.due_at
    # Overdue at 18:31, not at midnight.
    assert item in ForwardedComplaint.objects.overdue(MONDAY.replace(hour=18, minute=31))
    assert item not in ForwardedComplaint.objects.overdue(MONDAY.replace(hour=18, minute=29))


def test_a_reply_deadline_at_24_00_falls_on_its_day_not_the_next(
    batch: ForwardedBatch, ducha: Any
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    deadline = Deadline.objects.pending().get()
    # Received Monday 06-01, 5 days: Saturday 06-06 at 24:00, the team working through it.
    assert deadline.due_date == dt.date(2026, 6, 6)
    assert calendar.limit_text(deadline.due_at) == "2026-06-06 24:00"
    assert ForwardedComplaint.objects.get().get_reply_due_at_display() == "2026-06-06 24:00"


def test_a_reply_deadline_in_days_ends_at_midnight_and_counts_the_weekend() -> None:
    friday = dt.datetime(2026, 6, 5, 16, 0, tzinfo=calendar.SHANGHAI)
    # The team works through the weekend: 2 days from a Friday end with Sunday.
    assert reply_due(friday, 2, ReplyUnit.DAYS) == dt.datetime(
        2026, 6, 8, 0, 0, tzinfo=calendar.SHANGHAI
    )


def test_the_batch_form_takes_hours_days_or_an_instant(round_: InspectionRound) -> None:
    base = {"number": 4, "received_at": "2026-06-01T09:00"}
    form = BatchForm({**base, "reply_within": 4, "reply_unit": "hours"}, round=round_)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reply_due_at"] == MONDAY + dt.timedelta(hours=4)
    form = BatchForm(base, round=round_)
    assert not form.is_valid() and "reply_within" in form.errors
    form = BatchForm({**base, "reply_due_at": "2026-06-01T08:00"}, round=round_)
    assert not form.is_valid() and "reply_due_at" in form.errors


# --- the item's loop, 阶段性办结, two publications ----------------------------------------------


def report_payload(**extra: Any) -> dict[str, Any]:
    return {
        "truth": "true",
        "findings": (
            "经现场核查，村民张大山在自家院内喷漆，联系电话13912345678，住3号楼2单元301室。"
        ),
        "actions": "已责令停止喷漆作业，立案处罚。",
        "handling_status": "done",
        "penalty_cases": 1,
        "penalty_amount": "2.50",
        "criminal_cases": 0,
        "interviewed": 0,
        "held_accountable": 0,
        **extra,
    }


def walk_to_signed(
    item: Any, *, handler: Any, ducha: Any, ducha_head: Any, now: dt.datetime, **report: Any
) -> Any:
    if item.state == CaseState.ASSIGNED:
        transition_case(item, "sign", actor=handler, now=now)
    transition_case(
        reload(item), "report", actor=handler, payload=report_payload(**report), now=now
    )
    transition_case(reload(item), "start_verification", actor=ducha, now=now)
    transition_case(reload(item), "pass_verification", actor=ducha, note="审核属实", now=now)
    name = "approve_phase" if report.get("handling_status") == "phased" else "approve_closure"
    transition_case(reload(item), name, actor=ducha_head, now=now)
    return reload(item)


def publish_now(batch: ForwardedBatch, signer: Any, now: dt.datetime) -> ForwardedPublication:
    return services.publish(
        batch, actor=signer, now=now, expected=services.digest_of(services.draft(batch))
    )


def test_an_item_phased_then_done_is_published_twice(
    batch: ForwardedBatch, ducha: Any, ducha_head: Any, handler: Any, town: Unit, photo: Any
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    item = ForwardedComplaint.objects.get()
    done, failed = services.dispatch(batch, {item.pk: town}, actor=ducha, now=MONDAY)
    assert (len(done), failed) == (1, {})
    item = reload(item)
    assert item.state == CaseState.ASSIGNED
    assert item.responsible_unit == town

    noon = MONDAY.replace(hour=12)
    item = walk_to_signed(
        item,
        handler=handler,
        ducha=ducha,
        ducha_head=ducha_head,
        now=noon,
        handling_status="phased",
        phase_due="2026-06-30",
    )
    item = reload(item)
    assert item.state == "phased" and item.closed_at is None
    # The record reads in words: 部分属实, 阶段性办结, not the stored values.
    reported = next(e for e in selectors.timeline(item) if e.event.transition == "report")
    details = {row.label: row.value for row in reported.details}
    assert (details["是否属实"], details["办理状态"]) == ("属实", "阶段性办结")
    phase = Deadline.objects.pending().get(case=item)
    assert (phase.kind, phase.due_date) == ("phase", dt.date(2026, 6, 30))

    first = publish_now(batch, ducha_head, noon)
    assert [e["status"] for e in first.entries] == ["阶段性办结"]
    assert reload(item).published_status == HandlingStatus.PHASED
    assert services.draft(batch) == []

    later = MONDAY + dt.timedelta(days=10)
    transition_case(
        reload(item),
        "record_phase_progress",
        actor=handler,
        note="喷漆设施已拆除一半",
        files=[photo],
        now=later - dt.timedelta(days=2),
    )
    walk_to_signed(
        reload(item),
        handler=handler,
        ducha=ducha,
        ducha_head=ducha_head,
        now=later,
        actions="已拆除喷漆设施，恢复原状。",
    )
    item = reload(item)
    assert item.state == CaseState.CLOSED and item.closed_at is not None
    second = publish_now(batch, ducha_head, later)
    assert second.number == 2
    assert [(e["code"], e["status"]) for e in second.entries] == [("D3SX202506010001", "已办结")]
    assert second.entries[0]["accountability"] == "立案处罚1起，罚款2.50万元"
    assert services.verify(first) and services.verify(second)


def test_a_phased_report_needs_its_completion_date(
    batch: ForwardedBatch, ducha: Any, handler: Any, town: Unit
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    item = ForwardedComplaint.objects.get()
    services.dispatch(batch, {item.pk: town}, actor=ducha, now=MONDAY)
    transition_case(reload(item), "sign", actor=handler, now=MONDAY)
    with pytest.raises(InvalidTransition) as refused:
        transition_case(
            reload(item),
            "report",
            actor=handler,
            payload=report_payload(handling_status="phased"),
            now=MONDAY,
        )
    assert "phase_due" in refused.value.errors
    assert reload(item).state == CaseState.RECTIFYING


def test_no_extension_of_the_teams_deadline(
    batch: ForwardedBatch, ducha: Any, handler: Any, town: Unit
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    item = ForwardedComplaint.objects.get()
    services.dispatch(batch, {item.pk: town}, actor=ducha, now=MONDAY)
    transition_case(reload(item), "sign", actor=handler, now=MONDAY)
    with pytest.raises(InvalidTransition):
        transition_case(
            reload(item), "request_extension", actor=handler, payload={"days": 3}, now=MONDAY
        )


def test_only_a_signer_publishes_and_a_changed_draft_is_refused(
    batch: ForwardedBatch, ducha: Any, ducha_head: Any, handler: Any, town: Unit
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:2]), actor=ducha, now=MONDAY)
    first, second = batch.items.order_by("acceptance_no")
    services.dispatch(batch, {first.pk: town, second.pk: town}, actor=ducha, now=MONDAY)
    walk_to_signed(reload(first), handler=handler, ducha=ducha, ducha_head=ducha_head, now=MONDAY)
    seen = services.digest_of(services.draft(batch))
    with pytest.raises(services.TransitionDenied):
        services.publish(batch, actor=ducha, now=MONDAY, expected=seen)
    walk_to_signed(reload(second), handler=handler, ducha=ducha, ducha_head=ducha_head, now=MONDAY)
    with pytest.raises(services.TransitionError, match="已有变化"):
        services.publish(batch, actor=ducha_head, now=MONDAY, expected=seen)
    assert not ForwardedPublication.objects.exists()
    publication = publish_now(batch, ducha_head, MONDAY)
    assert len(publication.entries) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_signed_list_cannot_be_changed(
    batch: ForwardedBatch, ducha: Any, ducha_head: Any, handler: Any, town: Unit
) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    item = batch.items.get()
    services.dispatch(batch, {item.pk: town}, actor=ducha, now=MONDAY)
    walk_to_signed(reload(item), handler=handler, ducha=ducha, ducha_head=ducha_head, now=MONDAY)
    publication = publish_now(batch, ducha_head, MONDAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        ForwardedPublication.objects.filter(pk=publication.pk).update(entries=[])
    with pytest.raises(DatabaseError), transaction.atomic():
        ForwardedPublication.objects.filter(pk=publication.pk).delete()


# --- privacy ------------------------------------------------------------------------------------


def test_masking_hides_people_phones_ids_and_flats_but_not_companies() -> None:
    text = (
        "村民李四反映，张大山（身份证140105199001011234，电话13912345678、0351-7654321）"
        "住5号楼1单元302室"
    )
    masked = masking.mask(text, people=("张大山",))
    for secret in ("李四", "张大山", "140105199001011234", "13912345678", "7654321", "302"):
        assert secret not in masked
    assert "村民李某某" in masked and "张某某" in masked and "139****5678" in masked
    assert masking.is_private_person("张大山")
    assert not masking.is_private_person("某汽修厂")
    assert masking.public_target("太原市某某化工有限公司") == "太原市某某化工有限公司"


def test_no_private_detail_reaches_any_public_page_or_export(
    client: Any, batch: ForwardedBatch, ducha: Any, ducha_head: Any, handler: Any, town: Unit
) -> None:
    rows = [
        [
            "1",
            "D3SX202506010001",
            "反映王小明在院内焚烧垃圾，电话13800001111",
            "太原市小店区",
            "大气",
            "王小明",
        ]
    ]
    importer.import_batch(batch, csv_bytes(rows), actor=ducha, now=MONDAY)
    item = batch.items.get()
    services.dispatch(batch, {item.pk: town}, actor=ducha, now=MONDAY)
    walk_to_signed(reload(item), handler=handler, ducha=ducha, ducha_head=ducha_head, now=MONDAY)
    publication = publish_now(batch, ducha_head, MONDAY)

    secrets = ("王小明", "张大山", "13800001111", "13912345678", "301室", handler.first_name)
    pages = [
        client.get("/ducha/").content.decode(),
        client.get(f"/ducha/{publication.pk}/").content.decode(),
    ]
    workbook = load_workbook(io.BytesIO(client.get(f"/ducha/{publication.pk}.xlsx").content))
    sheet = workbook.active
    assert sheet is not None
    pages.append(
        "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    )
    for page in pages:
        for secret in secrets:
            assert secret not in page, secret
    assert "王某某" in pages[1] and "D3SX202506010001" in pages[1]
    assert "王某某" in pages[2]


# --- pages --------------------------------------------------------------------------------------


def test_the_office_imports_dispatches_and_signs_through_the_pages(
    batch: ForwardedBatch, ducha: Any, ducha_head: Any, handler: Any, town: Unit
) -> None:
    # The pages work at the real time: the team's deadline is tomorrow.
    now = timezone.now()
    ForwardedBatch.objects.filter(pk=batch.pk).update(
        received_at=now, reply_due_at=now + dt.timedelta(days=1)
    )
    office = client_for(ducha)
    page = office.get(f"/enforcement/rounds/{batch.round_id}/batches/1/")
    assert page.status_code == 200
    upload = io.BytesIO(csv_bytes(ROWS))
    upload.name = "第1批.csv"
    response = office.post(
        f"/enforcement/rounds/{batch.round_id}/batches/1/import/", {"file": upload}
    )
    assert response.status_code == 200
    assert "新增 3 件" in response.content.decode()
    item = batch.items.get(acceptance_no="D3SX202506010001")
    response = office.post(
        f"/enforcement/rounds/{batch.round_id}/batches/1/dispatch/", {f"unit-{item.pk}": town.pk}
    )
    assert response.status_code == 302
    assert reload(item).state == CaseState.ASSIGNED
    walk_to_signed(reload(item), handler=handler, ducha=ducha, ducha_head=ducha_head, now=now)

    publish_url = f"/enforcement/rounds/{batch.round_id}/batches/1/publish/"
    assert office.post(publish_url, {"digest": "x"}).status_code == 403
    head = client_for(ducha_head)
    page = head.get(publish_url)
    digest = page.context["digest"]
    assert head.post(publish_url, {"digest": digest}).status_code == 302
    assert ForwardedPublication.objects.filter(batch=batch).count() == 1


def test_a_handler_cannot_open_the_batch_tools_and_outsiders_see_no_round(
    batch: ForwardedBatch, handler: Any, outsider: Any
) -> None:
    url = f"/enforcement/rounds/{batch.round_id}/batches/1/import/"
    assert client_for(handler).post(url, {}).status_code == 403
    assert client_for(outsider).get("/enforcement/rounds/").status_code == 200
    response = client_for(handler).get(f"/enforcement/rounds/{batch.round_id}/batches/1/")
    assert response.status_code == 200
    assert "导入转办清单" not in response.content.decode()


def test_bad_dispatch_input_is_a_400_and_changes_nothing(batch: ForwardedBatch, ducha: Any) -> None:
    importer.import_batch(batch, csv_bytes(ROWS[:1]), actor=ducha, now=MONDAY)
    url = f"/enforcement/rounds/{batch.round_id}/batches/1/dispatch/"
    office = client_for(ducha)
    assert office.post(url, {"unit-abc": "1"}).status_code == 400
    assert office.post(url, {}).status_code == 400
    assert batch.items.get().state == CaseState.PENDING_ASSIGNMENT


def test_the_batch_page_reads_a_fixed_number_of_queries_however_many_items(
    batch: ForwardedBatch, ducha: Any, other_district: Unit
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = client_for(ducha)
    url = f"/enforcement/rounds/{batch.round_id}/batches/1/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).status_code == 200
        return len(captured)

    importer.import_batch(batch, csv_bytes(ROWS), actor=ducha, now=MONDAY)
    few = queries()
    many = [
        [
            str(n),
            f"D3SX2026060199{n:02d}",
            f"问题{n}",
            "太原市小店区" if n % 2 else "太原市迎泽区",
            "水",
            "",
        ]
        for n in range(30)
    ]
    importer.import_batch(batch, csv_bytes(many), actor=ducha, now=MONDAY)
    assert queries() <= few + 2
