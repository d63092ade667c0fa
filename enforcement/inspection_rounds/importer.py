"""Importing a 边督边改 batch from the 转办清单 the team sends (Excel or CSV, the 一览表's column
names), or one item typed by hand: every item is a case opened through `open_case`.

A bad row is reported with its row number and the others go in; a 受理编号 already in the batch is
skipped, so importing the same file twice changes nothing. A 受理编号 or a 反映对象 that an
earlier batch of the round already forwarded makes the new item a repeat (重复交办) of the first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from enforcement.complaints.duplicates import target_key
from enforcement.models import ForwardedBatch, ForwardedComplaint, Pollution
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
from workflow.models import Unit
from workflow.models.case import LinkKind
from workflow.relations import link_cases
from workflow.transitions import TransitionError, open_case

COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("acceptance_no", pgettext_lazy("import column", "受理编号")),
    ("summary", pgettext_lazy("import column", "交办问题基本情况")),
    ("area", pgettext_lazy("import column", "行政区域")),
    ("pollution", pgettext_lazy("import column", "污染类型")),
    ("target", pgettext_lazy("import column", "反映对象")),
)
REQUIRED = ("acceptance_no", "summary", "area")
SYNONYMS: tuple[tuple[str, Promise], ...] = (
    ("acceptance_no", pgettext_lazy("import column", "编号")),
    ("acceptance_no", pgettext_lazy("import column", "受理号")),
    ("acceptance_no", pgettext_lazy("import column", "件号")),
    ("summary", pgettext_lazy("import column", "反映内容")),
    ("summary", pgettext_lazy("import column", "信访内容")),
    ("summary", pgettext_lazy("import column", "举报内容")),
    ("summary", pgettext_lazy("import column", "群众反映问题")),
    ("area", pgettext_lazy("import column", "区域")),
    ("area", pgettext_lazy("import column", "所属区域")),
    ("area", pgettext_lazy("import column", "属地")),
    ("pollution", pgettext_lazy("import column", "问题类型")),
    ("pollution", pgettext_lazy("import column", "污染类别")),
    ("target", pgettext_lazy("import column", "被反映对象")),
    ("target", pgettext_lazy("import column", "被举报对象")),
)

#: Other words people write for the 一览表's pollution types.
POLLUTION_WORDS: tuple[tuple[str, Promise], ...] = (
    *((value, label) for value, label in Pollution.choices),
    (Pollution.NOISE, pgettext_lazy("pollution type", "噪音")),
    (Pollution.SOLID_WASTE, pgettext_lazy("pollution type", "固体废物")),
    (Pollution.SOLID_WASTE, pgettext_lazy("pollution type", "垃圾")),
    (Pollution.AIR, pgettext_lazy("pollution type", "大气污染")),
    (Pollution.AIR, pgettext_lazy("pollution type", "废气")),
    (Pollution.AIR, pgettext_lazy("pollution type", "油烟")),
    (Pollution.AIR, pgettext_lazy("pollution type", "扬尘")),
    (Pollution.AIR, pgettext_lazy("pollution type", "恶臭")),
    (Pollution.AIR, pgettext_lazy("pollution type", "异味")),
    (Pollution.WATER, pgettext_lazy("pollution type", "水污染")),
    (Pollution.WATER, pgettext_lazy("pollution type", "废水")),
    (Pollution.WATER, pgettext_lazy("pollution type", "地下水")),
    (Pollution.SOIL, pgettext_lazy("pollution type", "土壤污染")),
    (Pollution.NOISE, pgettext_lazy("pollution type", "噪声污染")),
    (Pollution.ECOLOGY, pgettext_lazy("pollution type", "生态破坏")),
)
#: How a cell lists several types: 大气、噪声 / 大气,噪声 / 大气/噪声.
LIST_SEPARATORS = re.compile(r"[、,，/;；\s]+")
ACCEPTANCE_NO = re.compile(r"[A-Z0-9][A-Z0-9-]{5,39}")


def header_titles() -> list[str]:
    return [str(title) for _field, title in COLUMNS]


def template_csv() -> bytes:
    return header_csv(header_titles())


@dataclass
class BatchReport:
    created: int = 0
    skipped: int = 0
    repeats: int = 0
    rejected: list[tuple[int, dict[str, list[str]]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.skipped + len(self.rejected)

    def summary(self) -> str:
        return _(
            "共 %(total)d 行：新增 %(created)d 件（其中重复交办 %(repeats)d 件），"
            "已导入过 %(skipped)d 件，拒收 %(rejected)d 行。"
        ) % {
            "total": self.total,
            "created": self.created,
            "repeats": self.repeats,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
        }


class ItemForm(forms.Form):
    """One forwarded item, from a row of the file or typed by hand."""

    acceptance_no = forms.CharField(label=gettext_lazy("受理编号"), max_length=40)
    summary = forms.CharField(
        label=gettext_lazy("交办问题基本情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    area = forms.CharField(
        label=gettext_lazy("行政区域"),
        max_length=100,
        help_text=gettext_lazy("如：太原市小店区"),
    )
    pollution = forms.CharField(
        label=gettext_lazy("污染类型"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("大气、水、土壤、噪声、固废、生态、辐射、海洋、其他，可填多项。"),
    )
    target = forms.CharField(label=gettext_lazy("反映对象"), max_length=200, required=False)

    def __init__(
        self, *args: Any, batch: ForwardedBatch, bureaus: list[Unit] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        #: The region's bureaus, read once per import rather than once per row.
        self.bureaus = bureaus

    def clean_acceptance_no(self) -> str:
        code = "".join(self.cleaned_data["acceptance_no"].split()).upper()
        if not ACCEPTANCE_NO.fullmatch(code):
            raise forms.ValidationError(
                _("受理编号“%(code)s”格式不对：应为6到40位字母和数字，如 D3SX202505280018。")
                % {"code": code}
            )
        return code

    def clean_area(self) -> Unit:
        text = self.cleaned_data["area"].strip()
        unit = region_for(text, self.batch.round.region, bureaus=self.bureaus)
        if unit is None:
            raise forms.ValidationError(
                _("行政区域“%(area)s”不在%(region)s的辖区内。")
                % {"area": text, "region": self.batch.round.region.name}
            )
        self.cleaned_data["area_text"] = text
        return unit

    def clean_pollution(self) -> str:
        """The types as `Pollution` values, comma-separated, in the order written."""
        text = self.cleaned_data.get("pollution", "").strip()
        words = renderings(POLLUTION_WORDS)
        found: list[str] = []
        for word in LIST_SEPARATORS.split(text):
            if not word:
                continue
            kind = words.get(fold(word))
            if kind is None:
                raise forms.ValidationError(
                    _("污染类型“%(word)s”无效，应为：%(kinds)s。")
                    % {
                        "word": word,
                        "kinds": pgettext("list separator", "、").join(
                            str(label) for label in Pollution.labels
                        ),
                    }
                )
            if kind not in found:
                found.append(kind)
        return ",".join(found)


def region_place(region: Unit) -> str:
    """The place a bureau is named for: 太原市生态环境局 → 太原市."""
    return region.name.removesuffix(BUREAU_SUFFIX)


#: The end of a bureau's name that is not its place (data: the unit names are in Chinese).
BUREAU_SUFFIX = "生态环境局"


def bureaus_of(region: Unit) -> list[Unit]:
    return list(Unit.objects.subtree_of(region).regions().active().exclude(pk=region.pk))


def region_for(text: str, region: Unit, *, bureaus: list[Unit] | None = None) -> Unit | None:
    """The bureau of the round's region whose place the text names ("太原市小店区" → 小店分局);
    the region's own bureau when the text names only the region."""
    if bureaus is None:
        bureaus = bureaus_of(region)
    named = [b for b in bureaus if b.short_name and b.short_name in text]
    if named:
        return max(named, key=lambda b: len(b.short_name))
    own = {region.name, region.short_name, region_place(region)}
    if any(word and word in text for word in own):
        return region
    return None


def open_item(
    batch: ForwardedBatch, data: dict[str, Any], *, actor: Any, now: dt.datetime
) -> ForwardedComplaint:
    """Open the case of a valid item (`ItemForm.cleaned_data`), a repeat if the round has seen
    its number or its target in an earlier batch."""
    key = target_key(data.get("target", ""))
    earlier = ForwardedComplaint.objects.filter(batch__round_id=batch.round_id).exclude(batch=batch)
    first = earlier.filter(acceptance_no=data["acceptance_no"]).order_by(
        "created_at", "pk"
    ).first() or (
        earlier.filter(target_key=key).order_by("created_at", "pk").first() if key else None
    )
    if first is not None and first.repeat_of_id:
        first = first.repeat_of
    summary = data["summary"].strip()
    title = data.get("target") or summary[:60]
    with transaction.atomic():
        case = open_case(
            ForwardedComplaint,
            actor=actor,
            jurisdiction=data["area"],
            title=title[:200],
            description=summary,
            now=now,
            batch=batch,
            acceptance_no=data["acceptance_no"],
            target=data.get("target", ""),
            target_key=key,
            area=data["area_text"],
            pollution=data.get("pollution", ""),
            reply_due_at=batch.reply_due_at,
            repeat_of=first,
        )
        if first is not None:
            # On both timelines, as a merged complaint's 重复件 is.
            link_cases(
                case,
                first,
                kind=LinkKind.DUPLICATE_OF,
                actor=actor,
                note=_("重复交办（第%(n)d批）") % {"n": batch.number},
                now=now,
            )
    assert isinstance(case, ForwardedComplaint)
    return case


def import_batch(
    batch: ForwardedBatch, data: bytes, *, name: str = "", actor: Any, now: dt.datetime
) -> BatchReport:
    """Import the rows of a 转办清单. Raises `ImportRefused` when the file cannot be read."""
    rows = read_rows(data, name=name)
    columns = map_header(rows[0], COLUMNS, SYNONYMS, REQUIRED)
    body = rows[1:]
    if not any(any(cell.strip() for cell in row) for row in body):
        raise ImportRefused(_("文件中没有数据行。"))
    titles = {f: str(ItemForm.base_fields[f].label) for f, _title in COLUMNS}
    known = set(batch.items.values_list("acceptance_no", flat=True))
    bureaus = bureaus_of(batch.round.region)
    seen: dict[str, int] = {}
    report = BatchReport()
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            name: (row[index].strip() if index < len(row) else "")
            for index, name in columns.items()
        }
        form = ItemForm(data=values, batch=batch, bureaus=bureaus)
        if not form.is_valid():
            report.rejected.append((number, row_errors(form, titles)))
            continue
        code = form.cleaned_data["acceptance_no"]
        if code in known:
            report.skipped += 1
            continue
        if code in seen:
            report.rejected.append(
                (
                    number,
                    {titles["acceptance_no"]: [_("与第 %(row)d 行重复。") % {"row": seen[code]}]},
                )
            )
            continue
        try:
            case = open_item(batch, form.cleaned_data, actor=actor, now=now)
        except TransitionError as error:
            report.rejected.append((number, {ROW_ERROR: [error.message]}))
            continue
        seen[code] = number
        report.created += 1
        report.repeats += case.repeat_of_id is not None
    return report
