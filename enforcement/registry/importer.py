"""Importing enterprises (排污单位) from a CSV or Excel file, row by row, with a report.

Every row is validated by `EnterpriseRowForm` (all the model's validators, the credit code's
check digit among them) and saved in its own savepoint, so a bad row never undoes a good one. A
row whose credit code is registered already updates that enterprise. A file that cannot be read
at all (not CSV or Excel, no header, a required column missing, no rows) is refused as a whole
and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from enforcement.complaints.duplicates import target_key
from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.spreadsheets import (
    ROW_ERROR,
    ImportRefused,
    fold,
    header_csv,
    map_header,
    read_rows,
    renderings,
    row_errors,
)
from enforcement.validators import normalise_uscc
from workflow.models import Unit

#: The template's header row: (model field, column title). Order as in the downloadable template.
#: A file's header is read in every language the site speaks; the template is written in the
#: bureau's (LANGUAGE_CODE), the one the spreadsheets it receives are in.
COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("name", pgettext_lazy("import column", "单位名称")),
    ("uscc", pgettext_lazy("import column", "统一社会信用代码")),
    ("address", pgettext_lazy("import column", "地址")),
    ("jurisdiction", pgettext_lazy("import column", "管辖单位")),
    ("industry", pgettext_lazy("import column", "行业")),
    ("tier", pgettext_lazy("import column", "监管类别")),
    ("permit_no", pgettext_lazy("import column", "排污许可证编号")),
    ("legal_representative", pgettext_lazy("import column", "法定代表人")),
    ("contact_name", pgettext_lazy("import column", "环保联系人")),
    ("contact_phone", pgettext_lazy("import column", "联系电话")),
    ("latitude", pgettext_lazy("import column", "纬度")),
    ("longitude", pgettext_lazy("import column", "经度")),
)
REQUIRED = ("name", "uscc", "address", "jurisdiction")

#: Other titles people give the same columns.
SYNONYMS: tuple[tuple[str, Promise], ...] = (
    ("name", pgettext_lazy("import column", "企业名称")),
    ("name", pgettext_lazy("import column", "排污单位名称")),
    ("name", pgettext_lazy("import column", "名称")),
    ("uscc", pgettext_lazy("import column", "信用代码")),
    ("uscc", pgettext_lazy("import column", "社会信用代码")),
    ("address", pgettext_lazy("import column", "详细地址")),
    ("address", pgettext_lazy("import column", "生产经营场所地址")),
    ("jurisdiction", pgettext_lazy("import column", "管辖")),
    ("jurisdiction", pgettext_lazy("import column", "监管单位")),
    ("industry", pgettext_lazy("import column", "所属行业")),
    ("industry", pgettext_lazy("import column", "行业类别")),
    ("tier", pgettext_lazy("import column", "监管级别")),
    ("permit_no", pgettext_lazy("import column", "排污许可证号")),
    ("legal_representative", pgettext_lazy("import column", "法人代表")),
    ("contact_name", pgettext_lazy("import column", "联系人")),
    ("contact_phone", pgettext_lazy("import column", "联系方式")),
)

#: 监管类别 as written in a file: the tier's label or its short form.
TIER_WORDS: tuple[tuple[str, Promise], ...] = (
    *((value, label) for value, label in SupervisionTier.choices),
    (SupervisionTier.KEY, pgettext_lazy("supervision tier, short", "重点")),
    (SupervisionTier.GENERAL, pgettext_lazy("supervision tier, short", "一般")),
    (SupervisionTier.SPECIAL, pgettext_lazy("supervision tier, short", "特殊")),
)


def header_titles() -> list[str]:
    """The template's header row, in the bureau's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return [str(title) for _field, title in COLUMNS]


@dataclass
class ImportReport:
    name: str
    #: What a row is counted as: 家 (enterprises), 个 (places).
    measure: str | Promise = field(
        default_factory=lambda: pgettext_lazy("measure word, enterprises", "家")
    )
    created: int = 0
    updated: int = 0
    #: (row number as in the spreadsheet, header = 1; {column title: [messages]})
    rejected: list[tuple[int, dict[str, list[str]]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + len(self.rejected)

    def summary(self) -> str:
        return _(
            "%(name)s：共 %(total)d 行，新增 %(created)d %(measure)s，"
            "更新 %(updated)d %(measure)s，拒收 %(rejected)d 行。"
        ) % {
            "name": self.name,
            "measure": self.measure,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "rejected": len(self.rejected),
        }


def region_named(value: str, actor_unit: Unit | None) -> Unit:
    """The bureau a row names (by code, name or short name), within the importer's reach."""
    value = value.strip()
    units = Unit.objects.active()
    unit = (
        units.filter(code=value).first()
        or units.filter(name=value).first()
        or units.filter(short_name=value).first()
    )
    if unit is None:
        raise forms.ValidationError(_("没有名为“%(unit)s”的单位。") % {"unit": value})
    if not Unit.objects.regions().filter(pk=unit.pk).exists():
        raise forms.ValidationError(
            _("“%(unit)s”不是市局、分局或县局，不能作为管辖单位。") % {"unit": unit.name}
        )
    if actor_unit is not None and not (
        Unit.objects.subtree_of(actor_unit).filter(pk=unit.pk).exists()
    ):
        raise forms.ValidationError(
            _("“%(unit)s”不在本单位（%(own)s）的管辖范围内。")
            % {"unit": unit.name, "own": actor_unit.name}
        )
    return unit


class EnterpriseRowForm(forms.ModelForm):
    """One row of the import: the model's fields and validators, the unit and tier as people
    write them."""

    jurisdiction = forms.CharField(label=gettext_lazy("管辖单位"))
    tier = forms.CharField(label=gettext_lazy("监管类别"), required=False)

    class Meta:
        model = Enterprise
        fields = [name for name, _title in COLUMNS]

    def __init__(self, *args: Any, actor_unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_unit = actor_unit

    def clean_uscc(self) -> str:
        return normalise_uscc(self.cleaned_data.get("uscc", ""))

    def clean_jurisdiction(self) -> Unit:
        return region_named(self.cleaned_data.get("jurisdiction") or "", self.actor_unit)

    def clean_tier(self) -> str:
        value = (self.cleaned_data.get("tier") or "").strip()
        if not value:
            return SupervisionTier.GENERAL
        if value in SupervisionTier.values:
            return value
        try:
            return renderings(TIER_WORDS)[fold(value)]
        except KeyError:
            raise forms.ValidationError(
                _("监管类别“%(value)s”无效，应为重点监管、一般监管或特殊监管。") % {"value": value}
            ) from None


def import_enterprises(
    source: bytes | str | Path,
    *,
    name: str = "",
    actor_unit: Unit | None = None,
    now: dt.datetime,
) -> ImportReport:
    """Import the rows of a CSV or XLSX file (bytes, or a path). Raises `ImportRefused` when
    the file as a whole cannot be read."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        data = path.read_bytes()
        name = name or path.name
    else:
        data = source
    rows = read_rows(data, name=name)
    header, body = rows[0], rows[1:]
    columns = _map_header(header)
    if not any(any(cell.strip() for cell in row) for row in body):
        raise ImportRefused(_("文件中没有数据行。"))
    titles = {f: str(EnterpriseRowForm.base_fields[f].label) for f, _title in COLUMNS}
    report = ImportReport(name=name or _("上传的文件"))
    seen: dict[str, int] = {}
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            field_name: (row[index].strip() if index < len(row) else "")
            for index, field_name in columns.items()
        }
        uscc = normalise_uscc(values.get("uscc", ""))
        if uscc and uscc in seen:
            report.rejected.append(
                (
                    number,
                    {
                        titles["uscc"]: [
                            _("统一社会信用代码与第 %(row)d 行重复。") % {"row": seen[uscc]}
                        ]
                    },
                )
            )
            continue
        existing = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
        if (
            existing is not None
            and actor_unit is not None
            and not existing.jurisdiction.path.startswith(actor_unit.path)
        ):
            # Another bureau's enterprise: an import here must not move or rewrite it.
            report.rejected.append(
                (
                    number,
                    {
                        titles["uscc"]: [
                            _("该统一社会信用代码已由%(unit)s登记，不在本单位的管辖范围内。")
                            % {"unit": existing.jurisdiction.name}
                        ]
                    },
                )
            )
            continue
        form = EnterpriseRowForm(data=values, instance=existing, actor_unit=actor_unit)
        if not form.is_valid():
            report.rejected.append((number, row_errors(form, titles)))
            continue
        if uscc:
            seen[uscc] = number
        enterprise = form.save(commit=False)
        enterprise.name_key = target_key(enterprise.name)
        enterprise.updated_at = now
        if existing is None:
            enterprise.created_at = now
        try:
            with transaction.atomic():
                enterprise.save()
        except DatabaseError as error:  # a constraint the form did not foresee
            report.rejected.append(
                (number, {ROW_ERROR: [_("保存失败：%(error)s") % {"error": error}]})
            )
            continue
        if existing is None:
            report.created += 1
        else:
            report.updated += 1
    return report


def _map_header(header: list[str]) -> dict[int, str]:
    return map_header(header, COLUMNS, SYNONYMS, REQUIRED)


def template_csv() -> bytes:
    """The import template: the header row, UTF-8 with a BOM so that Excel opens it right."""
    return header_csv(header_titles())
