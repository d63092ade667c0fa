"""The timeline is tamper-evident: the database refuses edits, and the hash chain exposes the ones
made by someone who removed the refusal first (DESIGN.md §5 CaseEvent)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import photo_bytes
from tests.factories import MONDAY, assign_to, open_item
from workflow import audit_triggers
from workflow.chain import canonical, compute_hash, verify_all, verify_chain
from workflow.models import Attachment, Case, CaseEvent
from workflow.transitions import append_event, transition_case


@pytest.fixture
def case(dispatcher: Any, handler: Any, district: Any, town: Any) -> Case:
    """An item opened, assigned, signed and with progress recorded: seq 1–4, a photo on seq 4."""
    item = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(item, dispatcher=dispatcher, unit=town)
    item.refresh_from_db()
    transition_case(item, "sign", actor=handler, now=MONDAY + dt.timedelta(hours=1))
    item.refresh_from_db()
    transition_case(
        item,
        "record_progress",
        actor=handler,
        note="已封堵排污口",
        files=[SimpleUploadedFile("整改照片.jpg", photo_bytes())],
        now=MONDAY + dt.timedelta(days=1),
    )
    item.refresh_from_db()
    return item


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.fixture
def without_triggers() -> Iterator[None]:
    """What someone with the database owner's rights can do: lift the append-only triggers."""
    audit_triggers.remove(connection)
    yield
    audit_triggers.install(connection)


def event_id(case: Case, seq: int) -> int:
    return CaseEvent.objects.get(case=case, seq=seq).pk


def json_param() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


# --- an honest timeline ---------------------------------------------------------------------------


def test_an_untouched_timeline_verifies_from_its_first_to_its_last_event(case):
    # given a case walked through four steps at Beijing times, with a photo

    # when its chain is recomputed from the rows read back (in UTC)
    report = verify_chain(case)

    # then every event matches
    assert report.ok, report
    assert report.events == 4
    assert report.case_no == case.case_no


def test_numbers_in_a_payload_hash_the_same_after_the_database_has_stored_them(case, dispatcher):
    # given an event whose payload holds numbers PostgreSQL's jsonb writes back differently
    # (1e16 comes back as the integer 10000000000000000)
    append_event(
        case,
        transition="record_measurement",
        from_state=case.state,
        actor=dispatcher,
        actor_role="dispatcher",
        note="",
        payload={"cod_mg_per_l": 1e16, "ratio": 1.5e-7, "whole": 2.0, "nested": [{"x": 0.1}]},
        files=[],
        now=timezone.now(),
    )

    # when the chain is verified
    report = verify_chain(case)

    # then it is intact
    assert report.ok, report


def test_decimals_and_datetimes_hash_as_the_json_field_would_store_them():
    # given a payload with a fine amount and a time, and the same as a JSON encoder writes them
    at = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    typed = {"fine": Decimal("1500.50"), "at": at, "count": 3.0}
    stored = {"fine": "1500.50", "at": "2026-06-01T09:00:00+08:00", "count": 3}

    # then both have one canonical form
    assert canonical(typed) == canonical(stored)


# --- tampering the chain detects ------------------------------------------------------------------


def test_a_note_rewritten_in_raw_sql_is_detected_at_that_event(case, without_triggers):
    # given someone rewrote the dispatcher's instruction on seq 2 behind the application's back
    execute(
        "UPDATE workflow_caseevent SET note = %s WHERE id = %s",
        ["无需整改", event_id(case, 2)],
    )

    # when the chain is verified
    report = verify_chain(case)

    # then it points at seq 2
    assert not report.ok
    assert report.broken_at == 2
    assert "记录被改动" in report.reason


def test_a_payload_rewritten_in_raw_sql_is_detected_at_that_event(case, without_triggers):
    # given someone stretched the rectification deadline recorded in seq 2's payload
    event = CaseEvent.objects.get(case=case, seq=2)
    payload = dict(event.payload)
    payload["forged"] = True
    execute(
        f"UPDATE workflow_caseevent SET payload = {json_param()} WHERE id = %s",
        [json.dumps(payload), event.pk],
    )

    # when / then
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 2)


def test_a_backdated_event_is_detected(case, without_triggers):
    # given the sign-off time of seq 3 moved a day earlier
    event = CaseEvent.objects.get(case=case, seq=3)
    execute(
        "UPDATE workflow_caseevent SET created_at = %s WHERE id = %s",
        [event.created_at - dt.timedelta(days=1), event.pk],
    )

    # when / then
    assert verify_chain(case).broken_at == 3


def test_an_event_deleted_from_the_middle_is_detected_where_the_gap_is(case, without_triggers):
    # given the sign-off (seq 3) deleted
    execute("DELETE FROM workflow_caseevent WHERE id = %s", [event_id(case, 3)])

    # when / then the chain breaks at seq 3
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 3)


def test_an_event_deleted_and_the_rest_renumbered_is_still_detected(case, without_triggers):
    # given seq 3 deleted and seq 4 moved into its place, so the numbers run on
    seq4 = event_id(case, 4)
    execute("DELETE FROM workflow_caseevent WHERE id = %s", [event_id(case, 3)])
    execute("UPDATE workflow_caseevent SET seq = 3 WHERE id = %s", [seq4])

    # when / then
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 3)
    assert "前序哈希不符" in report.reason


def test_the_last_event_deleted_is_detected_because_the_case_state_no_longer_follows(
    case, handler, without_triggers
):
    # given a report (反馈) whose event is then deleted: the chain that is left is consistent
    transition_case(case, "report", actor=handler, note="整改完成", now=MONDAY + dt.timedelta(2))
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert last is not None and last.seq == 5
    execute("DELETE FROM workflow_caseevent WHERE id = %s", [last.pk])

    # when / then the case says 已反馈 but its timeline ends in 整改中
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 5)
    assert "案件当前状态" in report.reason


def test_two_events_swapped_are_detected(case, without_triggers):
    # given seq 2 and seq 3 swapped
    two, three = event_id(case, 2), event_id(case, 3)
    execute("UPDATE workflow_caseevent SET seq = 99 WHERE id = %s", [two])
    execute("UPDATE workflow_caseevent SET seq = 2 WHERE id = %s", [three])
    execute("UPDATE workflow_caseevent SET seq = 3 WHERE id = %s", [two])

    # when / then
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 2)


def test_an_evidence_record_pointed_at_another_file_is_detected(case, without_triggers):
    # given the photo's record rewritten to name a different file
    attachment = Attachment.objects.get(case=case)
    execute("UPDATE workflow_attachment SET sha256 = %s WHERE id = %s", ["0" * 64, attachment.pk])

    # when / then the event that carried it no longer matches
    assert verify_chain(case).broken_at == 4


def test_a_rewritten_event_whose_hash_was_recomputed_breaks_the_next_link(case, without_triggers):
    # given seq 2 rewritten, with its own hash recomputed to match
    event = CaseEvent.objects.get(case=case, seq=2)
    event.note = "无需整改"
    execute(
        "UPDATE workflow_caseevent SET note = %s, hash = %s WHERE id = %s",
        [event.note, compute_hash(event, []), event.pk],
    )

    # when / then seq 3 still remembers the original
    report = verify_chain(case)
    assert (report.ok, report.broken_at) == (False, 3)


# --- the database refuses ---------------------------------------------------------------------


ORM_EDITS = {
    "save() of a changed note": lambda e: (setattr(e, "note", "改"), e.save()),
    "queryset update()": lambda e: CaseEvent.objects.filter(pk=e.pk).update(note="改"),
    "delete()": lambda e: e.delete(),
    "queryset delete()": lambda e: CaseEvent.objects.filter(pk=e.pk).delete(),
}


@pytest.mark.parametrize("edit", ORM_EDITS.values(), ids=ORM_EDITS.keys())
def test_the_database_refuses_to_change_or_delete_an_event_through_the_orm(case, edit):
    # given an event of the timeline
    event = CaseEvent.objects.get(case=case, seq=2)
    note = event.note

    # when it is changed or deleted through the ORM, then the database refuses
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        edit(event)
    assert CaseEvent.objects.filter(pk=event.pk, note=note).exists()


RAW_EDITS = {
    "update note": "UPDATE workflow_caseevent SET note = 'x' WHERE id = %s",
    "update hash": "UPDATE workflow_caseevent SET hash = 'x' WHERE id = %s",
    "update seq": "UPDATE workflow_caseevent SET seq = 99 WHERE id = %s",
    "delete": "DELETE FROM workflow_caseevent WHERE id = %s",
}


@pytest.mark.parametrize("sql", RAW_EDITS.values(), ids=RAW_EDITS.keys())
def test_the_database_refuses_raw_sql_that_changes_or_deletes_an_event(case, sql):
    # given an event
    pk = event_id(case, 2)

    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        execute(sql, [pk])
    assert verify_chain(case).ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflow_attachment SET original_name = 'x' WHERE id = %s",
        "DELETE FROM workflow_attachment WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_an_evidence_record(case, sql):
    attachment = Attachment.objects.get(case=case)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        execute(sql, [attachment.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        attachment.delete()


def test_sqlite_insert_or_replace_cannot_overwrite_an_event(case):
    if connection.vendor != "sqlite":
        pytest.skip("INSERT OR REPLACE is SQLite's")
    # given an event, and an INSERT OR REPLACE reusing its id (it deletes without delete triggers)
    pk = event_id(case, 2)
    columns = ", ".join(audit_triggers.EVENT_COLUMNS)
    forged = columns.replace("note", "'无需整改'")

    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        execute(
            f"INSERT OR REPLACE INTO workflow_caseevent ({columns}) "
            f"SELECT {forged} FROM workflow_caseevent WHERE id = %s",
            [pk],
        )
    assert verify_chain(case).ok


def test_postgresql_refuses_to_truncate_the_timeline(case):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    # given the rows of this test checked (TRUNCATE refuses to run over pending FK checks)
    execute("SET CONSTRAINTS ALL IMMEDIATE")

    # when / then
    for table in ("workflow_attachment, workflow_caseevent", "workflow_attachment"):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            execute(f"TRUNCATE {table} CASCADE")
    assert CaseEvent.objects.filter(case=case).count() == 4


def test_marking_an_event_notified_is_allowed_and_leaves_the_chain_intact(case):
    # given an event the outbox has delivered
    event = CaseEvent.objects.get(case=case, seq=2)

    # when the notifier marks it, in both the ways it may
    CaseEvent.objects.filter(pk=event.pk).update(notified_at=MONDAY)
    event.notified_at = MONDAY + dt.timedelta(minutes=1)
    event.save(update_fields=["notified_at"])

    # then the mark is kept and the chain still verifies
    assert CaseEvent.objects.get(pk=event.pk).notified_at == MONDAY + dt.timedelta(minutes=1)
    assert verify_chain(case).ok


def test_every_event_column_except_notified_at_is_guarded_by_the_trigger():
    # A column added to CaseEvent later must be added to the trigger, or it becomes editable.
    columns = {f.column for f in CaseEvent._meta.concrete_fields}
    assert columns - {"notified_at"} == set(audit_triggers.EVENT_COLUMNS)
    assert {f.column for f in Attachment._meta.concrete_fields} == set(
        audit_triggers.ATTACHMENT_COLUMNS
    )


# --- all cases, and the command ----------------------------------------------------------------


def test_verifying_all_cases_costs_the_same_queries_for_two_cases_as_for_six(dispatcher, district):
    # given two cases, then six
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports = list(verify_all(batch_size=50))
        assert all(r.ok for r in reports)
        return len(captured)

    for title in ("一", "二"):
        open_item(actor=dispatcher, jurisdiction=district, title=title)
    with_two = queries()
    for title in ("三", "四", "五", "六"):
        open_item(actor=dispatcher, jurisdiction=district, title=title)

    # when / then the count of queries does not grow with the cases (one batch)
    assert queries() == with_two


def test_verifying_all_cases_in_small_batches_reports_each_case_once(dispatcher, district):
    cases = [open_item(actor=dispatcher, jurisdiction=district, title=f"案{i}") for i in range(5)]

    reports = list(verify_all(batch_size=2))

    assert [r.case_no for r in reports] == [c.case_no for c in cases]


def test_the_command_reports_intact_chains_and_exits_zero(case):
    out = StringIO()

    call_command("verify_chain", stdout=out)

    assert "已校验 1 件案件、4 条记录：全部完整。" in out.getvalue()


def test_the_command_names_the_broken_case_and_event_and_exits_non_zero(
    case, dispatcher, district, without_triggers
):
    # given two cases, one with seq 2 rewritten
    intact = open_item(actor=dispatcher, jurisdiction=district, title="另一件")
    execute("UPDATE workflow_caseevent SET note = 'x' WHERE id = %s", [event_id(case, 2)])
    out = StringIO()

    # when the command runs, then it fails with status 1
    with pytest.raises(CommandError) as failure:
        call_command("verify_chain", stdout=out)
    assert failure.value.returncode == 1
    assert "已校验 2 件案件" in str(failure.value)
    assert "1 件案件的记录链断裂" in str(failure.value)
    # and prints the broken case with the event and the reason
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].split("\t") == [case.case_no, "第 2 条", "记录内容与哈希不符（记录被改动）"]
    assert intact.case_no not in out.getvalue()


def test_the_command_checks_one_case_by_its_number(case, dispatcher, district, without_triggers):
    # given another case whose chain is broken
    other = open_item(actor=dispatcher, jurisdiction=district, title="另一件")
    execute("UPDATE workflow_caseevent SET note = 'x' WHERE case_id = %s", [other.pk])
    out = StringIO()

    # when only the first case is checked, then it passes
    call_command("verify_chain", "--case", case.case_no, stdout=out)
    assert "已校验 1 件案件" in out.getvalue()
    # and the other fails
    with pytest.raises(CommandError):
        call_command("verify_chain", "--case", other.case_no, stdout=StringIO())


def test_the_command_refuses_an_unknown_case_number(db):
    with pytest.raises(CommandError, match="案件不存在"):
        call_command("verify_chain", "--case", "小店督〔2026〕9999号")


def test_the_command_with_files_detects_an_evidence_file_changed_on_disk(case):
    # given the stored photo overwritten on disk
    attachment = Attachment.objects.get(case=case)
    with attachment.file.storage.open(attachment.file.name, "wb") as stored:
        stored.write(photo_bytes(with_gps=True))
    out = StringIO()

    # when / then the chain alone is intact, but the file check fails
    call_command("verify_chain", stdout=StringIO())
    with pytest.raises(CommandError, match="1 个证据文件缺失或被改动"):
        call_command("verify_chain", "--files", stdout=out)
    assert attachment.file.name in out.getvalue()
