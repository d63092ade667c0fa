"""Importing a round's 整改方案 spreadsheet: one row per task, its problem created at the first
row that names it. Each row is read into the words a clerk types (units by name, 立行立改 …) and
validated by the same `TaskForm` as the page, then opened with its co-units through `open_task`
in its own transaction: a bad row is reported by its number and the others go in; a task number
already under its problem is skipped, so a second import of the file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from enforcement.inspection_rounds import task_services
from enforcement.inspection_rounds.importer import LIST_SEPARATORS
from enforcement.inspection_rounds.task_forms import TaskForm
from enforcement.models import (
    AcceptanceTier,
    Horizon,
    InspectionRound,
    ProblemOrigin,
    RectificationProblem,
    ReportSchedule,
)
from enforcement.spreadsheets import (
    ROW_ERROR,
    ImportRefused,
    fold,
    header_csv,
    map_header,
    read_rows,
    renderings,
)
from workflow.models import Unit
from workflow.transitions import TransitionError

COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("problem_no", pgettext_lazy("import column", "问题序号")),
    ("problem_text", pgettext_lazy("import column", "反馈问题")),
    ("task_no", pgettext_lazy("import column", "任务编号")),
    ("title", pgettext_lazy("import column", "任务名称")),
    ("target", pgettext_lazy("import column", "整改目标")),
    ("measures", pgettext_lazy("import column", "整改措施")),
    ("horizon", pgettext_lazy("import column", "整改类型")),
    ("rectify_due", pgettext_lazy("import column", "完成时限")),
    ("report_schedule", pgettext_lazy("import column", "报告周期")),
    ("lead_unit", pgettext_lazy("import column", "牵头单位")),
    ("co_units", pgettext_lazy("import column", "配合单位")),
    ("leader", pgettext_lazy("import column", "责任领导")),
    ("milestones", pgettext_lazy("import column", "时间表")),
    ("origin", pgettext_lazy("import column", "问题来源")),
    ("tier", pgettext_lazy("import column", "验收层级")),
)
REQUIRED = (
    "problem_no",
    "task_no",
    "title",
    "target",
    "measures",
    "horizon",
    "lead_unit",
    "leader",
)
SYNONYMS: tuple[tuple[str, Promise], ...] = (
    ("problem_no", pgettext_lazy("import column", "问题编号")),
    ("problem_text", pgettext_lazy("import column", "问题清单")),
    ("problem_text", pgettext_lazy("import column", "存在问题")),
    ("title", pgettext_lazy("import column", "整改任务")),
    ("measures", pgettext_lazy("import column", "措施清单")),
    ("rectify_due", pgettext_lazy("import column", "整改时限")),
    ("rectify_due", pgettext_lazy("import column", "完成时间")),
    ("lead_unit", pgettext_lazy("import column", "责任单位")),
    ("co_units", pgettext_lazy("import column", "协同单位")),
    ("leader", pgettext_lazy("import column", "责任领导（姓名职务）")),
    ("milestones", pgettext_lazy("import column", "时间表·路线图")),
)
#: Words for the columns with a vocabulary: the labels, and what 整改方案 tables also write.
WORDS: dict[str, tuple[tuple[str, Promise], ...]] = {
    "horizon": (
        *Horizon.choices,
        (Horizon.IMMEDIATE, pgettext_lazy("horizon", "立行立改类")),
        (Horizon.DEADLINE, pgettext_lazy("horizon", "限期整改类")),
        (Horizon.LONG_TERM, pgettext_lazy("horizon", "长期坚持类")),
    ),
    "report_schedule": (
        *ReportSchedule.choices,
        (ReportSchedule.MONTHLY, pgettext_lazy("report schedule", "每月")),
        (ReportSchedule.MONTHLY, pgettext_lazy("report schedule", "月度")),
        (ReportSchedule.QUARTERLY, pgettext_lazy("report schedule", "每季度")),
        (ReportSchedule.QUARTERLY, pgettext_lazy("report schedule", "季度")),
    ),
    "origin": tuple(ProblemOrigin.choices),
    "tier": tuple(AcceptanceTier.choices),
}
DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def template_csv() -> bytes:
    return header_csv([str(title) for _field, title in COLUMNS])


@dataclass
class PlanReport:
    created: int = 0
    problems: int = 0
    skipped: int = 0
    rejected: list[tuple[int, dict[str, list[str]]]] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "新增问题 %(problems)d 个、任务 %(created)d 项，已导入过 %(skipped)d 项，"
            "拒收 %(rejected)d 行。"
        ) % {
            "problems": self.problems,
            "created": self.created,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
        }


def import_plan(
    round: InspectionRound, data: bytes, *, name: str = "", actor: Any, now: dt.datetime
) -> PlanReport:
    rows = read_rows(data, name=name)
    columns = map_header(rows[0], COLUMNS, SYNONYMS, REQUIRED)
    if not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise ImportRefused(_("文件中没有数据行。"))
    titles = dict(COLUMNS)
    units = _units(round)
    words = {key: renderings(choices) for key, choices in WORDS.items()}
    report = PlanReport()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {key: (row[i].strip() if i < len(row) else "") for i, key in columns.items()}
        errors: dict[str, list[str]] = {}
        problem = _problem(round, values, words, errors, titles, now, report)
        if problem is None:
            report.rejected.append((number, errors))
            continue
        if problem.tasks.filter(task_no=values["task_no"], parent__isnull=True).exists():
            report.skipped += 1
            continue
        data_for_form = _task_data(problem, values, units, words, errors, titles)
        form = TaskForm(data=data_for_form, round=round, now=now)
        if errors or not form.is_valid():
            for key, messages in form.errors.items():
                label = str(titles.get(key, key)) if key != ROW_ERROR else ROW_ERROR
                errors.setdefault(label, []).extend(str(m) for m in messages)
            report.rejected.append((number, errors))
            continue
        cleaned = dict(form.cleaned_data)
        cleaned.pop("problem")
        try:
            task_services.open_task(
                problem,
                actor=actor,
                now=now,
                co_units=list(cleaned.pop("co_units")),
                **cleaned,
            )
        except TransitionError as error:
            report.rejected.append((number, {ROW_ERROR: [error.message]}))
            continue
        report.created += 1
    return report


def _units(round: InspectionRound) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    for unit in Unit.objects.subtree_of(round.region).active():
        for name in (unit.name, unit.short_name):
            if name:
                found.setdefault(fold(name), unit)
    return found


def _problem(
    round: InspectionRound,
    values: dict[str, str],
    words: dict[str, dict[str, str]],
    errors: dict[str, list[str]],
    titles: dict[str, Promise],
    now: dt.datetime,
    report: PlanReport,
) -> RectificationProblem | None:
    raw = values.get("problem_no", "")
    if not raw.isdigit() or not 0 < int(raw) < 1000:
        errors[str(titles["problem_no"])] = [_("问题序号应为1到999的整数。")]
        return None
    existing = RectificationProblem.objects.filter(round=round, number=int(raw)).first()
    if existing is not None:
        return existing
    text = values.get("problem_text", "")
    if not text:
        errors[str(titles["problem_text"])] = [
            _("问题%(n)s首次出现，请填写反馈问题。") % {"n": raw}
        ]
        return None
    choice = {}
    for key in ("origin", "tier"):
        word = values.get(key, "")
        if word:
            choice[key] = words[key].get(fold(word))
            if choice[key] is None:
                errors[str(titles[key])] = [_("“%(word)s”无效。") % {"word": word}]
                return None
    with transaction.atomic():
        problem = RectificationProblem.objects.create(
            round=round,
            number=int(raw),
            text=text,
            created_at=now,
            **{k: v for k, v in choice.items() if v},
        )
    report.problems += 1
    return problem


def _task_data(
    problem: RectificationProblem,
    values: dict[str, str],
    units: dict[str, Unit],
    words: dict[str, dict[str, str]],
    errors: dict[str, list[str]],
    titles: dict[str, Promise],
) -> dict[str, Any]:
    """The row as the task form's data: units and vocabularies as the page would post them."""

    def unit(name: str, key: str) -> int | None:
        found = units.get(fold(name))
        if found is None:
            errors.setdefault(str(titles[key]), []).append(
                _("没有名为“%(unit)s”的单位。") % {"unit": name}
            )
            return None
        return found.pk

    data: dict[str, Any] = {
        "problem": problem.pk,
        "task_no": values["task_no"],
        "title": values["title"],
        "target": values["target"],
        "measures": values["measures"],
        "leader": values["leader"],
        "milestones": values.get("milestones", ""),
        "horizon": words["horizon"].get(fold(values["horizon"]), values["horizon"]),
        "report_schedule": words["report_schedule"].get(
            fold(values.get("report_schedule", "")), values.get("report_schedule", "")
        ),
        "lead_unit": unit(values["lead_unit"], "lead_unit") if values["lead_unit"] else None,
        "co_units": [
            pk
            for name in LIST_SEPARATORS.split(values.get("co_units", ""))
            if name and (pk := unit(name, "co_units")) is not None
        ],
    }
    due = values.get("rectify_due", "")
    match = DAY.search(due)
    if match:
        data["rectify_due"] = "-".join(match.groups())
    elif due:
        errors.setdefault(str(titles["rectify_due"]), []).append(
            _("完成时限“%(value)s”不是日期（如 2027-06-30）。") % {"value": due}
        )
    return data
