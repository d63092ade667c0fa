"""分办 in the console: a dispatcher gives a 督办事项's share to a co-unit; the parent waits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import MONDAY, UnitFactory, assign_to, client_for, open_item, reload
from workflow.models import Case, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_a_dispatcher_splits_a_case_and_the_parent_shows_the_child(
    dispatcher: Any, district: Unit, town: Unit
) -> None:
    dept = UnitFactory(
        code="XD-ZJJ", name="小店区住建局", kind=UnitKind.DEPARTMENT, parent=district
    )
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    client = client_for(dispatcher)
    page = client.get(f"/cases/{case.pk}/")
    assert 'id="split"' in page.content.decode()
    form = client.get(f"/cases/{case.pk}/split/")
    assert form.status_code == 200
    # The lead unit is not offered again.
    assert town.name not in form.content.decode().split("<select")[1].split("</select>")[0]
    response = client.post(
        f"/cases/{case.pk}/split/",
        {"responsible_unit": dept.pk, "note": "负责渣土车辆管控", "rectify_period": 5},
    )
    assert response.status_code == 302
    child = Case.objects.get(parent=case)
    assert (child.responsible_unit, child.state) == (dept, "assigned")
    assert child.events.filter(transition="open", note="负责渣土车辆管控").exists()
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert child.case_no in shown and "小店区住建局" in shown
    assert reload(case).events.filter(transition="child_opened").exists()


def test_bad_input_is_a_400_and_others_may_not_split(
    dispatcher: Any, handler: Any, district: Unit, town: Unit, outsider: Any
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    client = client_for(dispatcher)
    bad = client.post(f"/cases/{case.pk}/split/", {"responsible_unit": town.pk})
    assert bad.status_code == 400 and not Case.objects.filter(parent=case).exists()
    assert client_for(handler).get(f"/cases/{case.pk}/split/").status_code in (403, 404)
    assert client_for(outsider).get(f"/cases/{case.pk}/split/").status_code == 404
