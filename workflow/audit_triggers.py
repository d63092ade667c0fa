"""Database triggers that make the audit tables append-only, on SQLite and PostgreSQL.

CaseEvent rows may change only in `notified_at` (the outbox mark, outside the hash); Attachment
rows never change. Both backends refuse with an integrity error (SQLite's RAISE(ABORT), SQLSTATE
23001 on PostgreSQL), so callers catch `IntegrityError` on either.

Two side doors are shut as well: SQLite's `INSERT OR REPLACE` deletes the old row without firing
delete triggers, so an insert may not reuse an existing id or (case, seq); PostgreSQL's TRUNCATE
skips row triggers, so a statement trigger refuses it. An attacker with the database owner's rights
can still drop a trigger: the hash chain (`workflow.chain`) is what detects an edit made that way.
Changing these statements needs a migration that calls `install()` again (it is idempotent).
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


def _sqlite_triggers() -> dict[str, tuple[str, str]]:
    """Trigger name → (when it fires, the message it aborts with)."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in EVENT_COLUMNS)
    return {
        "ecoloop_event_no_update": (
            f"BEFORE UPDATE ON {EVENT_TABLE} WHEN {changed}",
            "case events cannot be changed",
        ),
        "ecoloop_event_no_delete": (
            f"BEFORE DELETE ON {EVENT_TABLE}",
            "case events cannot be deleted",
        ),
        "ecoloop_event_no_replace": (
            f"BEFORE INSERT ON {EVENT_TABLE} WHEN EXISTS (SELECT 1 FROM {EVENT_TABLE} "
            "WHERE id = NEW.id OR (case_id = NEW.case_id AND seq = NEW.seq))",
            "case events cannot be replaced",
        ),
        "ecoloop_attachment_no_update": (
            f"BEFORE UPDATE ON {ATTACHMENT_TABLE}",
            "attachments cannot be changed",
        ),
        "ecoloop_attachment_no_delete": (
            f"BEFORE DELETE ON {ATTACHMENT_TABLE}",
            "attachments cannot be deleted",
        ),
        "ecoloop_attachment_no_replace": (
            f"BEFORE INSERT ON {ATTACHMENT_TABLE} "
            f"WHEN EXISTS (SELECT 1 FROM {ATTACHMENT_TABLE} WHERE id = NEW.id)",
            "attachments cannot be replaced",
        ),
    }


def _sqlite_install() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {message}'); END;"
        for name, (when, message) in _sqlite_triggers().items()
    ]


def _sqlite_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in _sqlite_triggers()]


def _pg_install() -> list[str]:
    new = ", ".join(f"NEW.{c}" for c in EVENT_COLUMNS)
    old = ", ".join(f"OLD.{c}" for c in EVENT_COLUMNS)
    return [
        f"""
        CREATE OR REPLACE FUNCTION ecoloop_event_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'append-only: case events cannot be deleted'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            IF ROW({new}) IS DISTINCT FROM ROW({old}) THEN
                RAISE EXCEPTION 'append-only: case events cannot be changed'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE OR REPLACE FUNCTION ecoloop_attachment_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'append-only: attachments cannot be changed or deleted'
                USING ERRCODE = 'restrict_violation';
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE OR REPLACE FUNCTION ecoloop_refuse_truncate() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'append-only: % cannot be truncated', TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"DROP TRIGGER IF EXISTS ecoloop_event_append_only ON {EVENT_TABLE};",
        f"CREATE TRIGGER ecoloop_event_append_only BEFORE UPDATE OR DELETE ON {EVENT_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION ecoloop_event_append_only();",
        f"DROP TRIGGER IF EXISTS ecoloop_attachment_append_only ON {ATTACHMENT_TABLE};",
        "CREATE TRIGGER ecoloop_attachment_append_only BEFORE UPDATE OR DELETE "
        f"ON {ATTACHMENT_TABLE} FOR EACH ROW EXECUTE FUNCTION ecoloop_attachment_append_only();",
        *(
            f"DROP TRIGGER IF EXISTS ecoloop_no_truncate ON {table};"
            for table in (EVENT_TABLE, ATTACHMENT_TABLE)
        ),
        *(
            f"CREATE TRIGGER ecoloop_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ecoloop_refuse_truncate();"
            for table in (EVENT_TABLE, ATTACHMENT_TABLE)
        ),
    ]


def _pg_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ecoloop_event_append_only ON {EVENT_TABLE};",
        f"DROP TRIGGER IF EXISTS ecoloop_attachment_append_only ON {ATTACHMENT_TABLE};",
        f"DROP TRIGGER IF EXISTS ecoloop_no_truncate ON {EVENT_TABLE};",
        f"DROP TRIGGER IF EXISTS ecoloop_no_truncate ON {ATTACHMENT_TABLE};",
    ]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_install() if install else _sqlite_remove()
    if vendor == "postgresql":
        return _pg_install() if install else _pg_remove()
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


# --- frozen tables: other apps' records that never change once written --------------------------

#: Tables (of apps built on the engine) whose rows may be inserted but never changed or deleted:
#: a 周排名 / 月考核 snapshot. An app adds its table in `AppConfig.ready` (`freeze`) and installs
#: the triggers in the migration that creates it (`install_frozen`); flush lifts them all.
FROZEN_TABLES: set[str] = set()


def freeze(table: str) -> None:
    FROZEN_TABLES.add(table)


def _frozen_statements(vendor: str, table: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        names = {
            f"ecoloop_frozen_{table}_no_update": f"BEFORE UPDATE ON {table}",
            f"ecoloop_frozen_{table}_no_delete": f"BEFORE DELETE ON {table}",
        }
        if not install:
            return [f"DROP TRIGGER IF EXISTS {name};" for name in names]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} "
            f"BEGIN SELECT RAISE(ABORT, 'frozen: {table} rows cannot be changed'); END;"
            for name, when in names.items()
        ]
    if vendor == "postgresql":
        drop = f"DROP TRIGGER IF EXISTS ecoloop_frozen ON {table};"
        if not install:
            return [drop]
        return [
            """
            CREATE OR REPLACE FUNCTION ecoloop_frozen() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'frozen: % rows cannot be changed or deleted', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql;
            """,
            drop,
            f"CREATE TRIGGER ecoloop_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ecoloop_frozen();",
        ]
    raise NotImplementedError(f"frozen-table triggers are not written for {vendor}")


def install_frozen(connection: Any, tables: set[str] | None = None) -> None:
    with connection.cursor() as cursor:
        for table in sorted(FROZEN_TABLES if tables is None else tables):
            for statement in _frozen_statements(connection.vendor, table, install=True):
                cursor.execute(statement)


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)
    existing = set(connection.introspection.table_names())
    install_frozen(connection, FROZEN_TABLES & existing)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
        for table in sorted(FROZEN_TABLES & set(connection.introspection.table_names())):
            for statement in _frozen_statements(connection.vendor, table, install=False):
                cursor.execute(statement)
