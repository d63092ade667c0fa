"""`flush`, aware of the append-only triggers: they are lifted for the flush and put back.

Test runs flush the database between transactional tests; SQLite's flush deletes rows, which the
triggers refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from workflow import audit_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        audit_triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            audit_triggers.install(connection)
