"""Importing 污染源/点位 (places without a credit code) from a CSV or Excel file, as the enterprise
register is imported (`enforcement.registry.importer`): every row validated by `PlaceRowForm`,
saved in its own savepoint, reported by row number. A place is known by its bureau, type and
name: a second import of the same file updates, never duplicates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from enforcement.models import Place, PlaceKind
from enforcement.registry.importer import ImportReport, region_named
from enforcement.spreadsheets import (
    ROW_ERROR,
    fold,
    header_csv,
    map_header,
    read_rows,
    renderings,
    row_errors,
)
from enforcement.spreadsheets import ImportRefused as ImportRefused
from workflow.models import Unit

COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("name", pgettext_lazy("import column", "点位名称")),
    ("kind", pgettext_lazy("import column", "点位类型")),
    ("address", pgettext_lazy("import column", "位置")),
    ("jurisdiction", pgettext_lazy("import column", "管辖单位")),
    ("responsible_unit", pgettext_lazy("import column", "属地责任单位")),
    ("owner", pgettext_lazy("import column", "责任主体")),
    ("latitude", pgettext_lazy("import column", "纬度")),
    ("longitude", pgettext_lazy("import column", "经度")),
)
REQUIRED = ("name", "kind", "address", "jurisdiction")
SYNONYMS: tuple[tuple[str, Promise], ...] = (
    ("name", pgettext_lazy("import column", "名称")),
    ("name", pgettext_lazy("import column", "项目名称")),
    ("kind", pgettext_lazy("import column", "类型")),
    ("address", pgettext_lazy("import column", "地址")),
    ("address", pgettext_lazy("import column", "详细地址")),
    ("responsible_unit", pgettext_lazy("import column", "属地")),
    ("responsible_unit", pgettext_lazy("import column", "责任单位")),
    ("owner", pgettext_lazy("import column", "建设单位")),
    ("owner", pgettext_lazy("import column", "经营者")),
)
#: 点位类型 as written in a file: the label, or the short word people use.
KIND_WORDS: tuple[tuple[str, Promise], ...] = (
    *((value, label) for value, label in PlaceKind.choices),
    (PlaceKind.SITE, pgettext_lazy("place kind, short", "工地")),
    (PlaceKind.CATERING, pgettext_lazy("place kind, short", "餐饮油烟")),
    (PlaceKind.BURNING, pgettext_lazy("place kind, short", "露天焚烧")),
    (PlaceKind.OUTFALL, pgettext_lazy("place kind, short", "排污口")),
)


class PlaceRowForm(forms.ModelForm):
    jurisdiction = forms.CharField(label=gettext_lazy("管辖单位"))
    kind = forms.CharField(label=gettext_lazy("点位类型"))
    responsible_unit = forms.CharField(label=gettext_lazy("属地责任单位"), required=False)

    class Meta:
        model = Place
        fields = [name for name, _title in COLUMNS]

    def __init__(self, *args: Any, actor_unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_unit = actor_unit

    def clean_jurisdiction(self) -> Unit:
        return region_named(self.cleaned_data.get("jurisdiction") or "", self.actor_unit)

    def validate_constraints(self) -> None:
        # A place already registered under its bureau, type and name is updated, not refused
        # (`import_places` saves with update_or_create on that key).
        return

    def clean_kind(self) -> str:
        value = (self.cleaned_data.get("kind") or "").strip()
        if value in PlaceKind.values:
            return value
        try:
            return renderings(KIND_WORDS)[fold(value)]
        except KeyError:
            raise forms.ValidationError(
                _("点位类型“%(value)s”无效，应为%(kinds)s之一。")
                % {
                    "value": value,
                    "kinds": pgettext("list separator", "、").join(map(str, PlaceKind.labels)),
                }
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        region = cleaned.get("jurisdiction")
        name = (self.data.get("responsible_unit") or "").strip()
        if isinstance(region, Unit) and name:
            units = Unit.objects.subtree_of(region).active()
            found = units.filter(name=name).first() or units.filter(short_name=name).first()
            if found is None:
                self.add_error(
                    "responsible_unit",
                    _("%(region)s下没有名为“%(unit)s”的单位。")
                    % {"region": region.name, "unit": name},
                )
            cleaned["responsible_unit"] = found
        else:
            cleaned["responsible_unit"] = None
        return cleaned


def import_places(
    data: bytes, *, name: str = "", actor_unit: Unit | None = None, now: dt.datetime
) -> ImportReport:
    """Import the rows of a CSV or XLSX file of places. Raises `ImportRefused` when the file as
    a whole cannot be read."""
    rows = read_rows(data, name=name)
    header, body = rows[0], rows[1:]
    columns = map_header(header, COLUMNS, SYNONYMS, REQUIRED)
    if not any(any(cell.strip() for cell in row) for row in body):
        raise ImportRefused(_("文件中没有数据行。"))
    titles = {f: str(PlaceRowForm.base_fields[f].label) for f, _title in COLUMNS}
    report = ImportReport(
        name=name or _("上传的文件"), measure=pgettext_lazy("measure word, places", "个")
    )
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            field_name: (row[index].strip() if index < len(row) else "")
            for index, field_name in columns.items()
        }
        form = PlaceRowForm(data=values, actor_unit=actor_unit)
        if not form.is_valid():
            report.rejected.append((number, row_errors(form, titles)))
            continue
        data_ = form.cleaned_data
        key = {"jurisdiction": data_["jurisdiction"], "kind": data_["kind"], "name": data_["name"]}
        fields = {f: data_[f] for f, _title in COLUMNS if f not in key}
        try:
            with transaction.atomic():
                _place, created = Place.objects.update_or_create(
                    **key, defaults=fields, create_defaults={**fields, "created_at": now}
                )
        except DatabaseError as error:  # a constraint the form did not foresee
            report.rejected.append(
                (number, {ROW_ERROR: [_("保存失败：%(error)s") % {"error": error}]})
            )
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def template_csv() -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return header_csv([str(title) for _field, title in COLUMNS])
