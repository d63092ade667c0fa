"""Database triggers that make the audit tables append-only, on SQLite and PostgreSQL.

CaseEvent rows may change only in `notified_at` (the outbox mark, outside the hash); Attachment
rows never change. An attacker with the database owner's rights can drop a trigger: the hash
chain (`workflow.chain`) is what detects an edit made that way.
"""

from __future__ import annotations

from typing import Any

EVENT_COLUMNS = (
    "id", "case_id", "seq", "transition", "from_state", "to_state", "actor_id", "actor_role",
    "actor_unit", "note", "payload", "created_at", "prev_hash", "hash",
)  # fmt: skip
ATTACHMENT_COLUMNS = (
    "id", "case_id", "event_id", "file", "original_name", "content_type", "extension", "size",
    "sha256", "uploaded_by_id", "created_at",
)  # fmt: skip

EVENT_TABLE = "workflow_caseevent"
ATTACHMENT_TABLE = "workflow_attachment"


def _sqlite_install() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in EVENT_COLUMNS)
    return [
        f"CREATE TRIGGER IF NOT EXISTS ecoloop_event_no_update BEFORE UPDATE ON {EVENT_TABLE} "
        f"WHEN {changed} BEGIN SELECT RAISE(ABORT, 'append-only: case events cannot be changed'); END;",
        f"CREATE TRIGGER IF NOT EXISTS ecoloop_event_no_delete BEFORE DELETE ON {EVENT_TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'append-only: case events cannot be deleted'); END;",
        f"CREATE TRIGGER IF NOT EXISTS ecoloop_attachment_no_update BEFORE UPDATE ON {ATTACHMENT_TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'append-only: attachments cannot be changed'); END;",
        f"CREATE TRIGGER IF NOT EXISTS ecoloop_attachment_no_delete BEFORE DELETE ON {ATTACHMENT_TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'append-only: attachments cannot be deleted'); END;",
    ]


def _sqlite_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name};"
        for name in (
            "ecoloop_event_no_update",
            "ecoloop_event_no_delete",
            "ecoloop_attachment_no_update",
            "ecoloop_attachment_no_delete",
        )
    ]


def _pg_install() -> list[str]:
    new = ", ".join(f"NEW.{c}" for c in EVENT_COLUMNS)
    old = ", ".join(f"OLD.{c}" for c in EVENT_COLUMNS)
    return [
        f"""
        CREATE OR REPLACE FUNCTION ecoloop_event_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'append-only: case events cannot be deleted';
            END IF;
            IF ROW({new}) IS DISTINCT FROM ROW({old}) THEN
                RAISE EXCEPTION 'append-only: case events cannot be changed';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE OR REPLACE FUNCTION ecoloop_attachment_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'append-only: attachments cannot be changed or deleted';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"DROP TRIGGER IF EXISTS ecoloop_event_append_only ON {EVENT_TABLE};",
        f"CREATE TRIGGER ecoloop_event_append_only BEFORE UPDATE OR DELETE ON {EVENT_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION ecoloop_event_append_only();",
        f"DROP TRIGGER IF EXISTS ecoloop_attachment_append_only ON {ATTACHMENT_TABLE};",
        f"CREATE TRIGGER ecoloop_attachment_append_only BEFORE UPDATE OR DELETE ON {ATTACHMENT_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION ecoloop_attachment_append_only();",
    ]


def _pg_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ecoloop_event_append_only ON {EVENT_TABLE};",
        f"DROP TRIGGER IF EXISTS ecoloop_attachment_append_only ON {ATTACHMENT_TABLE};",
    ]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_install() if install else _sqlite_remove()
    if vendor == "postgresql":
        return _pg_install() if install else _pg_remove()
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
