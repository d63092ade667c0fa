"""Filters of the API's lists: ids, codes, free text and moments that a database can always
take, so a request the schema allows never overflows into a server error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field

from workflow import calendar
from workflow.models import Case


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number a database column can hold (no fractions, no overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


CODE_PATTERN = r"^[a-z_]{1,40}$"


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN})
class CodeFilter(django_filters.CharFilter):
    """A program code (a state such as `assigned`, a kind such as `supervision`): one that
    exists nowhere finds nothing; anything that is not a code at all is refused."""

    field_class = forms.RegexField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("regex", CODE_PATTERN)
        super().__init__(*args, **kwargs)


class SearchField(forms.CharField):
    """Free text to search for: a NUL byte (which no stored text holds, and PostgreSQL refuses
    in a query) is dropped rather than refused."""

    def to_python(self, value: Any) -> str:
        # Before the validators run, so the null-character one finds nothing to refuse.
        return str(super().to_python(value)).replace("\x00", "")


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


#: The moments a record can have; a range bound beyond them is the same as the edge itself.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


def _bounded(moment: dt.datetime | None) -> dt.datetime | None:
    """A bound in UTC within the records' span: the database accepts neither a year outside its
    calendar nor an offset such as +19:27, though both are valid ISO 8601."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=calendar.SHANGHAI)
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError:
        return EARLIEST if moment.year < EARLIEST.year else LATEST
    return min(max(moment, EARLIEST), LATEST)


class MomentRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """`name_after` / `name_before` as ISO 8601 moments, any offset, any year."""

    def filter(self, qs: Any, value: Any) -> Any:
        if value:
            value = slice(_bounded(value.start), _bounded(value.stop))
        return super().filter(qs, value)


class CaseFilter(django_filters.FilterSet):
    state = CodeFilter(label=gettext_lazy("状态"))
    kind = CodeFilter(label=gettext_lazy("类型"))
    # By id, not by choice: an id that names no unit (or none the user sees) finds no case,
    # like any other filter, instead of refusing the request.
    jurisdiction = IdFilter(field_name="jurisdiction_id", label=gettext_lazy("管辖单位"))
    responsible_unit = IdFilter(field_name="responsible_unit_id", label=gettext_lazy("责任单位"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("已逾期"))
    q = SearchFilter(method="filter_q", label=gettext_lazy("编号或标题"))

    class Meta:
        model = Case
        fields = ["state", "kind", "responsible_unit", "jurisdiction"]

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        now = timezone.now()
        overdue = queryset.overdue(now)  # type: ignore[attr-defined]
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(case_no__icontains=value) | queryset.filter(title__icontains=value)
