"""Recorded values in words: what a transition's payload holds, as a reader of the file says it.

A payload is stored as JSON (`transitions._json_safe`): booleans, ISO timestamps, `{"id",
"name"}` for a row, lists of them, the answered checklist as a list of rows. None of that may
reach a page or a PDF as it is stored. `in_words` turns one value into text — 是/否, a Beijing
time as 2026年12月1日 10:00, a person as their name and 执法证号 (never a login), a list joined
with 、 — or into table rows for a list of records (an inspection's checklist: item, result,
note), using the vocabulary the transition's form gives (`choices`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from workflow.calendar import SHANGHAI

ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The columns of a list of records, in the order a table shows them, with their headings.
RECORD_COLUMNS = ("item", "result", "note")


@dataclass(frozen=True)
class Shown:
    """A value as a page shows it: a line of text, or a table (a checklist)."""

    text: str = ""
    head: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.rows:
            return self.text
        return pgettext("clause separator", "；").join(
            pgettext("label separator", "：").join(cell for cell in row if cell)
            for row in self.rows
        )


def on_page(value: Any, **kwargs: Any) -> str | Shown:
    """`in_words` for a page: its text, or the table itself when the value is a list of records."""
    shown = in_words(value, **kwargs)
    return shown if shown.rows else shown.text


def moment_in_words(moment: dt.datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return _("%(y)d年%(m)d月%(d)d日 %(hm)s") % {
        "y": local.year,
        "m": local.month,
        "d": local.day,
        "hm": f"{local:%H:%M}",
    }


def day_in_words(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def full_name(user: Any) -> str:
    """A person's name in Chinese order (姓 + 名); "" when none is on file."""
    return f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()


def person_in_words(user: Any) -> str:
    """Name (执法证号) where the person holds one: the record names people, not accounts."""
    name = full_name(user) or _("（未登记姓名）")
    credential = getattr(user, "credential", None)
    number = str(getattr(credential, "number", None) or "")
    if number:
        return _("%(name)s（执法证号%(number)s）") % {"name": name, "number": number}
    return name


def _people(ids: list[int]) -> dict[int, str]:
    User = get_user_model()
    users = User.objects.filter(pk__in=ids)
    if "credential" in {f.name for f in User._meta.get_fields()}:
        users = users.select_related("credential")  # a case type's 执法证 (one query, not N)
    return {u.pk: person_in_words(u) for u in users}


def in_words(
    value: Any, *, choices: Mapping[Any, Any] | None = None, people: bool = False
) -> Shown:
    """One stored value in words. `choices` maps the field's codes to labels (a list of records
    maps its `result` column through it); `people` says the ids are of persons."""
    choices = choices or {}
    if isinstance(value, bool):
        return Shown(str(choices.get(value, _("是") if value else _("否"))))
    if value is None or value == "" or value == [] or value == {}:
        return Shown("—")
    if isinstance(value, str):
        if value in choices:
            return Shown(str(choices[value]))
        if ISO_MOMENT.match(value):
            return Shown(moment_in_words(dt.datetime.fromisoformat(value.replace("Z", "+00:00"))))
        if ISO_DAY.match(value):
            return Shown(day_in_words(dt.date.fromisoformat(value)))
        return Shown(value)
    if isinstance(value, Mapping):
        if people and isinstance(value.get("id"), int):
            return Shown(_people([value["id"]]).get(value["id"], str(value.get("name", ""))))
        if "name" in value:
            return Shown(str(value["name"]))
        return _records([value], choices)
    if isinstance(value, list | tuple):
        if all(isinstance(v, Mapping) and "name" in v for v in value):
            ids = [v["id"] for v in value if isinstance(v.get("id"), int)]
            names = _people(ids) if people else {}
            return Shown(
                pgettext("list separator", "、").join(
                    names.get(v.get("id"), str(v["name"])) for v in value
                )
            )
        if all(isinstance(v, Mapping) for v in value):
            return _records(list(value), choices)
        return Shown(
            pgettext("list separator", "、").join(str(in_words(v, choices=choices)) for v in value)
        )
    return Shown(str(value))


def _records(records: list[Mapping[str, Any]], choices: Mapping[Any, Any]) -> Shown:
    """A list of records as a table: the item, its result in words, its note."""
    head = (_("事项"), _("结果"), _("说明"))
    rows: list[tuple[str, ...]] = []
    for record in records:
        item = str(record.get("item") or record.get("label") or record.get("code") or "")
        result = record.get("result", "")
        shown = str(choices.get(result, in_words(result))) if result != "" else ""
        rows.append((item, shown, str(record.get("note") or "")))
    return Shown(head=head, rows=rows)
