"""`manage.py verify_chain [--case CASE_NO] [--files]`: recompute the hash chains of the timeline.

Prints one line per broken case and a summary; exits with status 1 when any chain is broken (or,
with --files, when any stored evidence file no longer matches its sha256), so a cron job or a
monitoring check can alert on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from workflow import evidence
from workflow.chain import ChainReport, verify_all, verify_chain
from workflow.models import Attachment, Case


class Command(BaseCommand):
    help = "校验案件记录的哈希链（及证据文件），发现篡改时以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", metavar="CASE_NO", help="只校验这一件案件（案件编号）")
        parser.add_argument(
            "--files", action="store_true", help="同时逐一校验证据文件的 SHA-256（较慢）"
        )
        parser.add_argument("--batch-size", type=int, default=200, help="每批校验的案件数")

    def handle(self, *args: Any, **options: Any) -> None:
        case_no: str | None = options["case"]
        if case_no:
            case = Case.objects.filter(case_no=case_no).first()
            if case is None:
                raise CommandError(f"案件不存在：{case_no}")
            reports: Iterable[ChainReport] = [verify_chain(case)]
            attachments = Attachment.objects.filter(case=case)
        else:
            reports = verify_all(batch_size=options["batch_size"])
            attachments = Attachment.objects.all()

        cases = events = broken = 0
        for report in reports:
            cases += 1
            events += report.events
            if not report.ok:
                broken += 1
                self.stdout.write(self.style.ERROR(_broken_line(report)))

        bad_files = 0
        if options["files"]:
            bad_files = self._check_files(attachments)

        summary = f"已校验 {cases} 件案件、{events} 条记录"
        if options["files"]:
            summary += "及其证据文件"
        if broken or bad_files:
            problems = []
            if broken:
                problems.append(f"{broken} 件案件的记录链断裂")
            if bad_files:
                problems.append(f"{bad_files} 个证据文件缺失或被改动")
            raise CommandError(f"{summary}：{'，'.join(problems)}。", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{summary}：全部完整。"))

    def _check_files(self, attachments: QuerySet[Attachment]) -> int:
        bad = 0
        rows = (
            attachments.select_related("case")
            .order_by("pk")
            .only("pk", "file", "sha256", "case__case_no")
        )
        for attachment in rows.iterator(chunk_size=500):
            if not evidence.stored_file_matches(attachment):
                bad += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"{attachment.case.case_no}\t附件 {attachment.pk}\t"
                        f"证据文件缺失或与登记的 SHA-256 不符：{attachment.file.name}"
                    )
                )
        return bad


def _broken_line(report: ChainReport) -> str:
    return f"{report.case_no}\t第 {report.broken_at} 条\t{report.reason}"
