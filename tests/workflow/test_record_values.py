"""Every recorded value renders in words: a walk over every transition form of every case type
(and every field of its model) with a representative value of each field's kind finds no Python
value, no JSON and no ISO timestamp on the rendered record; people are named, never by login."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.module_loading import import_string

from tests.factories import make_staff
from workflow.calendar import SHANGHAI
from workflow.case_types import registry
from workflow.models import Unit
from workflow.record_values import in_words
from workflow.roles import Role
from workflow.selectors import payload_rows
from workflow.transitions import _json_safe

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(r"True|False|None|\[\{|\{'|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
MOMENT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


def _sample(field: Any, person: Any, flag: bool) -> Any:
    """A representative value of a form or model field, as the transition would pass it."""
    if isinstance(field, forms.BooleanField | models.BooleanField):
        return flag
    if isinstance(field, forms.DateTimeField | models.DateTimeField):
        return MOMENT
    if isinstance(field, forms.DateField | models.DateField):
        return MOMENT.date()
    if isinstance(field, forms.DecimalField | models.DecimalField):
        return Decimal("12.50")
    if isinstance(field, forms.IntegerField | models.IntegerField):
        return 3
    if isinstance(field, forms.ModelMultipleChoiceField | models.ManyToManyField):
        return [person, person]
    if isinstance(field, forms.ModelChoiceField | models.ForeignKey):
        model = getattr(field, "related_model", None) or field.queryset.model
        return person if model is get_user_model() else {"id": 1, "name": "北格镇"}
    if isinstance(field, models.JSONField):
        return [{"code": "c1", "item": "施工工地周边100%围挡", "result": "ok", "note": ""}]
    choices = list(getattr(field, "flatchoices", None) or getattr(field, "choices", None) or [])
    choices = [value for value, _label in choices if value not in ("", None)]
    if choices:
        return choices[0]
    return "文字"


def _forms() -> list[tuple[Any, Any]]:
    found = []
    for case_type in registry:
        for transition in case_type.model().get_all_state_transitions():  # type: ignore[attr-defined]
            path = (transition.custom or {}).get("form")
            found.append((case_type.model, import_string(path) if path else None))
    return found


@pytest.mark.parametrize("flag", [True, False])
def test_no_transition_of_any_case_type_records_a_python_value(district: Unit, flag: bool) -> None:
    person = make_staff("record_person", district, Role.INSPECTOR, name="检查员")
    checked = 0
    for model, form_class in _forms():
        fields: dict[str, Any] = dict(form_class.base_fields if form_class is not None else {})
        for model_field in model._meta.get_fields():
            if getattr(model_field, "concrete", False) or isinstance(
                model_field, models.ManyToManyField
            ):
                fields.setdefault(model_field.name, model_field)
        payload = _json_safe({name: _sample(f, person, flag) for name, f in fields.items()})
        for row in payload_rows(model, form_class, payload):
            text = str(row.value)
            assert not FORBIDDEN.search(text), (model.__name__, row.label, text)
            assert "record_person" not in text, (model.__name__, row.label, text)
            checked += 1
    assert checked > 500


def test_values_in_words() -> None:
    assert str(in_words(True)) == "是" and str(in_words(False)) == "否"
    assert str(in_words("2026-12-01T02:00:00+00:00")) == "2026年12月1日 10:00"
    assert str(in_words("2026-12-01")) == "2026年12月1日"
    shown = in_words(
        [{"code": "c1", "item": "围挡", "result": "problem", "note": "缺口"}],
        choices={"problem": "存在问题"},
    )
    assert shown.rows == [("围挡", "存在问题", "缺口")]


def test_people_are_named_with_their_credential(district: Unit) -> None:
    from enforcement.models import InspectorCredential

    user = make_staff("zhao_lei", district, Role.INSPECTOR, name="磊")
    get_user_model().objects.filter(pk=user.pk).update(last_name="赵")
    InspectorCredential.objects.create(user=user, number="14010001")
    shown = in_words([_json_safe(user)], people=True)
    assert str(shown) == "赵磊（执法证号14010001）"
