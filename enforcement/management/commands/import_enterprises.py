"""`manage.py import_enterprises FILE [--unit CODE]`: the registry's CSV/Excel import from the
shell, with the same report as the web page. Exit code 1 when any row was rejected."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.registry.importer import ROW_ERROR, ImportRefused, import_enterprises
from workflow.models import Unit


class Command(BaseCommand):
    help = "从 CSV 或 Excel（.xlsx）文件导入排污单位；有被拒收的行时退出码为 1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or .xlsx file with the template's header row")
        parser.add_argument(
            "--unit", help="import as this unit (code): jurisdictions must lie within it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        actor_unit = None
        if options.get("unit"):
            actor_unit = Unit.objects.filter(code=options["unit"]).first()
            if actor_unit is None:
                raise CommandError(_("没有编码为“%(code)s”的单位。") % {"code": options["unit"]})
        try:
            report = import_enterprises(path, actor_unit=actor_unit, now=timezone.now())
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(report.summary())
        for row, errors in report.rejected:
            for column, messages in errors.items():
                where = _("第 %(row)d 行") % {"row": row}
                if column != ROW_ERROR:
                    where = f"{where} {column}"
                for message in messages:
                    self.stderr.write(f"{where}：{message}")
        if report.rejected:
            sys.exit(1)
