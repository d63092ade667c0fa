"""`manage.py confirm_calendar_year YEAR [--source TEXT]`: the year's 调休 schedule is entered.

Run it after the 国务院办公厅 notice's days are in `CalendarOverride` (or in the `holidays`
release): every provisional deadline is recomputed, and those no longer touching an unconfirmed
year lose their 暂定 mark.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workflow import calendar
from workflow.deadline_calendar import confirm_year

FIRST_YEAR, LAST_YEAR = 2004, 2100


class Command(BaseCommand):
    help = (
        "确认某年节假日安排并重算暂定期限 / Confirm a year's holiday schedule; recompute deadlines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", help="年份 / year, e.g. 2027")
        parser.add_argument(
            "--source",
            default="",
            help="依据文件 / the notice, e.g. 国办发明电〔2026〕X号",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = int(options["year"])
        except ValueError:
            raise CommandError(
                f"年份应为整数 / YEAR must be a number: {options['year']!r}"
            ) from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(
                f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间 / YEAR must be {FIRST_YEAR}–{LAST_YEAR}"
            )
        calendar.data.invalidate()
        if not calendar.makeup_workdays(year):
            # Confirming a year with no 调休 days entered is almost always a slip: say so.
            self.stderr.write(
                f"注意：{year} 年没有任何调休上班日数据 / warning: no make-up working days are "
                f"known for {year}; enter the notice in 日历调整 first if it has any."
            )
        recomputed = confirm_year(year, source=options["source"], now=timezone.now())
        self.stdout.write(
            f"{year} 年节假日安排已确认，重算暂定期限 {recomputed} 条 / "
            f"{year} confirmed; {recomputed} provisional deadlines recomputed"
        )
