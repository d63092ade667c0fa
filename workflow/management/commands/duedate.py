"""`manage.py duedate START N workdays|days`: the due date the engine would compute.

Prints `YYYY-MM-DD`, followed by ` provisional` when the period touches a year whose 调休 schedule
is not confirmed yet. For checking a date by hand against a notice or a court's reckoning.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow import calendar
from workflow.management.preflight import database_ready

CLOCKS = {"workdays": "workdays", "工作日": "workdays", "days": "days", "自然日": "days"}


class Command(BaseCommand):
    # A calculator: the system checks would open (and so create) the database it may not need.
    requires_system_checks: list[str] = []
    help = "计算期限到期日 / Compute a due date: START N workdays|days (the start day not counted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="起算日 / start date, YYYY-MM-DD")
        parser.add_argument("n", help="期限长度 / period length (negative workdays count back)")
        parser.add_argument("clock", help="workdays (工作日) | days (自然日)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(
                f"起算日格式应为 YYYY-MM-DD / START must be a date YYYY-MM-DD: {options['start']!r}"
            ) from None
        try:
            n = int(options["n"])
        except ValueError:
            raise CommandError(
                f"期限长度应为整数 / N must be a whole number: {options['n']!r}"
            ) from None
        clock = CLOCKS.get(options["clock"].strip().lower())
        if clock is None:
            raise CommandError(
                f"计算方式应为 workdays 或 days / the clock must be workdays or days: "
                f"{options['clock']!r}"
            )
        if clock == "days" and n < 0:
            raise CommandError("自然日期限不能为负数 / a calendar-day period cannot be negative")
        if not database_ready():
            # A fresh clone: the packaged schedule answers; the admin's overrides come later.
            calendar.data.use_packaged_data()
            self.stderr.write(
                "（数据库尚未迁移：按随附的节假日与调休数据计算，未含后台录入的调整）"
            )
        try:
            due = calendar.add_period(start, n, clock)
        except (ValueError, OverflowError) as exc:
            raise CommandError(f"无法计算该期限 / cannot compute this period: {exc}") from None
        self.stdout.write(f"{due.date:%Y-%m-%d}{' provisional' if due.provisional else ''}")
