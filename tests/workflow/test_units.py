"""The jurisdiction tree: what a unit sees follows its place in the tree."""

from __future__ import annotations

import pytest

from tests.factories import UnitFactory
from workflow.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_a_moved_unit_takes_its_subtree_along(city, district, other_district, town):
    # given a town below 小店 with a village committee below it
    village = UnitFactory(code="XD-BG-1", name="北格村", kind=UnitKind.TOWN, parent=town)
    # when the town is moved to 迎泽
    town.parent = other_district
    town.save()
    # then the town and everything below it sits under 迎泽
    village.refresh_from_db()
    assert town.path == "TY/YZ/XD-BG/"
    assert village.path == "TY/YZ/XD-BG/XD-BG-1/"
    assert set(Unit.objects.subtree_of(other_district)) == {other_district, town, village}
    assert village.region() == other_district


def test_a_unit_cannot_be_placed_below_itself(district, town):
    district.parent = town
    with pytest.raises(Exception, match="上级单位"):
        district.full_clean()


def test_confirming_a_year_in_the_admin_recomputes_its_deadlines(
    admin_client, dispatcher, district
):
    # given a deadline that counts into unconfirmed 2027
    import datetime as dt

    from tests.factories import open_item
    from workflow.models import CalendarYear, Deadline

    open_item(
        actor=dispatcher, jurisdiction=district, now=dt.datetime(2026, 12, 31, 9, tzinfo=dt.UTC)
    )
    assert Deadline.objects.pending().get().provisional
    year = CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    # when an administrator confirms 2027
    response = admin_client.post(
        "/admin/workflow/calendaryear/",
        {"action": "confirm_years", "_selected_action": [year.pk]},
        follow=True,
    )
    # then the year is confirmed and the deadline is no longer provisional
    assert response.status_code == 200
    assert CalendarYear.objects.get(year=2027).confirmed
    assert not Deadline.objects.pending().get().provisional
