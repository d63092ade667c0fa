"""Before a `manage.py` command reads the database: is there one, and is it migrated?

On a fresh clone the SQLite file does not exist yet. A command that reads a table would create an
empty file and end in a long `no such table` traceback; instead it says in one line what to do
and exits 2, and the file is never created. Commands that set the database up, or need none,
run as usual; `duedate` counts from the packaged calendar without a database.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

#: Commands that create or migrate the database, look at the code only, or open a shell.
NEEDS_NO_MIGRATED_DATABASE = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "diffsettings",
        "duedate",  # counts from the packaged calendar when there is no database yet
        "findstatic",
        "help",
        "inspectdb",
        "makemessages",
        "makemigrations",
        "migrate",
        "optimizemigration",
        "runall",  # migrates first
        "sendtestemail",
        "shell",
        "showmigrations",
        "spectacular",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "squashmigrations",
        "startapp",
        "startproject",
        "test",
        "version",
    }
)

EXIT_NOT_READY = 2
NOT_READY = "数据库尚未创建或尚未迁移：请先运行 uv run manage.py migrate 或 uv run manage.py runall"


def database_file_missing() -> bool:
    """An SQLite database whose file does not exist (connecting would create it empty)."""
    database = settings.DATABASES["default"]
    if not str(database["ENGINE"]).endswith("sqlite3"):
        return False
    name = str(database["NAME"])
    return name != ":memory:" and not name.startswith("file:") and not Path(name).exists()


def database_ready() -> bool:
    """The database exists and every migration is applied. Never creates an SQLite file."""
    if database_file_missing():
        return False
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def refuse_unless_migrated(argv: Sequence[str]) -> None:
    """Exit 2 with one line when `argv`'s command needs a migrated database that is not there."""
    command = argv[1] if len(argv) > 1 else "help"
    if command.startswith("-") or command in NEEDS_NO_MIGRATED_DATABASE:
        return
    import django

    django.setup()
    try:
        ready = database_ready()
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(f"无法连接数据库：{first_line}\n")
        sys.exit(EXIT_NOT_READY)
    if not ready:
        sys.stderr.write(f"{NOT_READY}\n")
        sys.exit(EXIT_NOT_READY)
