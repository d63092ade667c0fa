"""数据看板: known answers per unit (rates, counts, a unit without cases shown as —), the cases
behind each number, the filters (case type, period boundary), who may look, and a bounded
number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import MONDAY, UnitFactory, assign_to, make_staff, open_item, reload
from workflow.models import UnitKind
from workflow.models.notice import YuetanRecord, YuetanSubject
from workflow.roles import Role
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

TZ = MONDAY.tzinfo
URL = "/enforcement/dashboard/"
CASES = "/enforcement/dashboard/cases/"


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def towns(district: Any) -> dict[str, Any]:
    return {
        code: UnitFactory(code=code, name=name, kind=UnitKind.TOWN, parent=district)
        for code, name in (("XD-A", "甲镇"), ("XD-B", "乙镇"), ("XD-C", "丙镇"), ("XD-D", "丁镇"))
    }


def signed(dispatcher: Any, district: Any, unit: Any, sign: dt.datetime | None) -> Any:
    """A case assigned Monday 1 June 09:00 (签收 due Tuesday 24:00), signed at `sign`."""
    case = open_item(actor=dispatcher, jurisdiction=district, title=f"{unit.code} 事项")
    assign_to(case, dispatcher=dispatcher, unit=unit)
    if sign is not None:
        handler = make_staff(f"h-{unit.code}-{case.pk}", unit, Role.HANDLER)
        transition_case(reload(case), "sign", actor=handler, now=sign)
    return reload(case)


@pytest.fixture
def week(dispatcher: Any, district: Any, towns: dict[str, Any]) -> dict[str, Any]:
    return {
        "a_on_time": signed(dispatcher, district, towns["XD-A"], at(1)),
        "a_late": signed(dispatcher, district, towns["XD-A"], at(4)),
        "b_on_time": signed(dispatcher, district, towns["XD-B"], at(1)),
        "b_unsigned": signed(dispatcher, district, towns["XD-B"], None),
        "d_on_time": signed(dispatcher, district, towns["XD-D"], at(2)),
        "d_late": signed(dispatcher, district, towns["XD-D"], at(7, 23, 30)),  # Sunday night
    }


def rows(response: Any) -> dict[str, Any]:
    return {row.unit.code: row for row in response.context["board"].rows}


def row_html(response: Any, code: str) -> str:
    match = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', response.content.decode(), re.S)
    assert match, code
    return match[1]


def drill(client: Any, **params: str) -> list[str]:
    response = client.get(CASES, params)
    assert response.status_code == 200
    return sorted(case.case_no for case in response.context["page"].paginator.object_list)


def test_known_answers_per_unit(client: Any, supervisor: Any, week: Any) -> None:
    client.force_login(supervisor)
    response = client.get(URL, {"period": "2026-W23"})
    assert response.status_code == 200
    found = rows(response)
    assert found["XD-A"].on_time_rate == "50.0%"
    assert found["XD-B"].on_time_rate == "100.0%"
    assert found["XD-D"].on_time_rate == "50.0%"
    # 乙镇's unsigned case: 签收 due 2 June 24:00, five days overdue at the week's end.
    assert (found["XD-B"].data.overdue, found["XD-B"].data.overdue_oldest_days) == (1, 5)
    assert found["XD-A"].data.overdue == 0
    total = response.context["board"].total
    assert (total.data.on_time, total.data.closed_deadlines) == (3, 5)
    # A unit with no cases shows — and no links.
    empty = row_html(response, "XD-C")
    assert empty.count("—") >= 6 and "<a " not in empty.split('data-cell="trend"')[0]
    assert "50.0%" in row_html(response, "XD-A")
    # The definitions are on the page.
    assert "按期办结率" in response.content.decode() and 'id="definitions"' in (
        response.content.decode()
    )


def test_the_trend_holds_eight_weeks_ending_with_the_period(
    client: Any, supervisor: Any, week: Any
) -> None:
    client.force_login(supervisor)
    board = client.get(URL, {"period": "2026-W23"}).context["board"]
    assert [w.key for w in board.weeks][-1] == "2026-W23" and len(board.weeks) == 8
    assert board.weeks[0].key == "2026-W16"
    trend = board.total.trend
    assert str(trend.rates[-1]) == str(board.total.data.on_time_rate)
    assert trend.rates[:-1] == [None] * 7
    assert trend.overdue[-1] == 1
    by_unit = rows_trend = {row.unit.code: row.trend for row in board.rows}
    assert by_unit["XD-B"].overdue[-1] == 1 and rows_trend["XD-A"].overdue[-1] == 0
    content = client.get(URL, {"period": "2026-W23"}).content.decode()
    assert "<svg" in content and "style=" not in content.split("<main")[-1]


def test_drill_down_lists_exactly_the_cases(
    client: Any, supervisor: Any, week: Any, district: Any
) -> None:
    client.force_login(supervisor)
    w = {"period": "2026-W23"}
    assert drill(client, indicator="late", unit="XD-A", **w) == [week["a_late"].case_no]
    assert drill(client, indicator="overdue", unit="XD-B", **w) == [week["b_unsigned"].case_no]
    assert drill(client, indicator="closed_deadlines", unit="XD-C", **w) == []
    everything = drill(client, indicator="closed_deadlines", unit=district.code, **w)
    expected = [c.case_no for k, c in week.items() if k != "b_unsigned"]
    assert everything == sorted(expected)
    # The links of the dashboard lead to those lists.
    response = client.get(URL, w)
    link = rows(response)["XD-A"].links["late"]
    listed = client.get(link)
    assert listed.context["count"] == 1 and 'id="definition"' in listed.content.decode()
    assert 'href="' + link.replace("&", "&amp;") in response.content.decode()


def test_the_case_type_filter_excludes_other_kinds(client: Any, supervisor: Any, week: Any) -> None:
    client.force_login(supervisor)
    response = client.get(URL, {"period": "2026-W23", "kind": "complaint"})
    assert all(row.empty for row in rows(response).values())
    assert drill(client, indicator="late", unit="XD-A", period="2026-W23", kind="complaint") == []
    kept = client.get(URL, {"period": "2026-W23", "kind": "supervision"})
    assert rows(kept)["XD-A"].on_time_rate == "50.0%"
    assert client.get(URL, {"kind": "nonsense"}).status_code == 400


def test_the_period_boundary(client: Any, supervisor: Any, week: Any, dispatcher: Any) -> None:
    client.force_login(supervisor)
    # 丁镇 signed late on Sunday 7 June 23:30: in W23, not in W24.
    assert rows(client.get(URL, {"period": "2026-W23"}))["XD-D"].data.closed_deadlines == 2
    assert rows(client.get(URL, {"period": "2026-W24"}))["XD-D"].data.closed_deadlines == 0
    # The month holds the week; the quarter the month.
    assert rows(client.get(URL, {"period": "2026-06"}))["XD-D"].data.closed_deadlines == 2
    assert rows(client.get(URL, {"period": "2026Q2"}))["XD-D"].data.closed_deadlines == 2
    assert rows(client.get(URL, {"period": "2026-05"}))["XD-D"].empty


def test_bad_period_is_a_clear_error(client: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    for bad in ("2026-W60", "2026-13", "June", "2026Q5"):
        response = client.get(URL, {"period": bad})
        assert response.status_code == 400
        assert 'id="filter-error"' in response.content.decode()
    response = client.get(CASES, {"indicator": "nonsense", "period": "2026-W23"})
    assert response.status_code == 400


def test_the_default_is_this_month_and_the_users_bureau(
    client: Any, supervisor: Any, district: Any
) -> None:
    client.force_login(supervisor)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["scope"] == district
    assert re.match(r"^\d{4}-\d{2}$", response.context["chosen"].key)


def test_yuetan_twice_voids_the_excellence_rating(
    client: Any, supervisor: Any, towns: Any, week: Any
) -> None:
    cases = {dt.date(2026, 3, 2): None, dt.date(2026, 6, 3): week["a_late"]}
    for day, case in cases.items():
        YuetanRecord.objects.create(
            subject_type=YuetanSubject.UNIT,
            unit=towns["XD-A"],
            case=case,
            reason="逾期未办",
            held_on=day,
            report_due=day + dt.timedelta(days=15),
            created_at=at(3),
        )
    client.force_login(supervisor)
    response = client.get(URL, {"period": "2026-06"})
    row = rows(response)["XD-A"]
    assert (row.data.yuetan, row.data.yuetan_year, row.data.excellence_void) == (1, 2, True)
    assert "取消评优" in row_html(response, "XD-A")
    assert "取消评优" not in row_html(response, "XD-B")
    # The 约谈 of the period lead to the case it was held on; the year's to the same one (the
    # March 约谈 names no case).
    june = {"unit": "XD-A", "period": "2026-06"}
    assert drill(client, indicator="yuetan", **june) == [week["a_late"].case_no]
    assert drill(client, indicator="yuetan_year", **june) == [week["a_late"].case_no]
    assert drill(client, indicator="yuetan", unit="XD-B", period="2026-06") == []


def test_permissions(
    client: Any,
    handler: Any,
    outsider: Any,
    leader: Any,
    dispatcher: Any,
    week: Any,
    district: Any,
    other_district: Any,
    city: Any,
) -> None:
    client.force_login(handler)
    assert client.get(URL).status_code == 403
    assert client.get(CASES, {"indicator": "late", "unit": "XD-A"}).status_code == 403

    client.force_login(outsider)
    response = client.get(URL, {"period": "2026-W23"})
    assert response.status_code == 200 and response.context["scope"] == other_district
    assert "XD-A" not in rows(response)
    assert client.get(URL, {"unit": district.code}).status_code == 404
    assert (
        client.get(CASES, {"indicator": "late", "unit": "XD-A", "period": "2026-W23"}).status_code
        == 404
    )

    client.force_login(dispatcher)
    assert client.get(URL, {"period": "2026-W23"}).status_code == 200

    client.force_login(leader)
    response = client.get(URL, {"period": "2026-W23"})
    assert response.context["scope"] == city
    assert {b.code for b in response.context["bureaus"]} >= {city.code, district.code}
    assert rows(response)["XD-A"].on_time_rate == "50.0%"
    narrowed = client.get(URL, {"period": "2026-W23", "unit": other_district.code})
    assert "XD-A" not in rows(narrowed)


def test_the_query_count_does_not_grow_with_the_units(
    client: Any,
    supervisor: Any,
    dispatcher: Any,
    district: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_towns(numbers: range) -> None:
        for n in numbers:
            unit = UnitFactory(code=f"XD-T{n}", name=f"镇{n}", kind=UnitKind.TOWN, parent=district)
            signed(dispatcher, district, unit, at(1 + n % 4))

    client.force_login(supervisor)
    add_towns(range(2))
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"period": "2026-W23"})
    add_towns(range(2, 10))
    with django_assert_max_num_queries(100):
        response = client.get(URL, {"period": "2026-W23"})
    assert len(rows(response)) >= 10
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"period": "2026-W23"})
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(30):
        client.get(CASES, {"indicator": "closed_deadlines", "unit": district.code})


def test_the_nav_links_the_dashboard(client: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    assert reverse("enforcement:dashboard") in client.get(URL).content.decode()


def test_satisfaction_counts_the_rated_complaints(
    client: Any, supervisor: Any, district: Any, town: Any, people: dict[str, Any]
) -> None:
    from tests.factories import file_complaint, later, reply_to_complaint

    complaints = [
        reply_to_complaint(file_complaint(jurisdiction=district), **people) for _ in "abc"
    ]
    for complaint, rating in zip(complaints[:2], ("satisfied", "basically"), strict=True):
        transition_case(complaint, "rate", actor=None, payload={"rating": rating}, now=later(9))
    transition_case(
        complaints[2], "rate_dissatisfied", actor=None, note="黑烟仍在排放", now=later(days=9)
    )
    client.force_login(supervisor)
    response = client.get(URL, {"period": "2026-06"})
    row = rows(response)[town.code]
    assert (row.data.satisfied, row.data.rated, row.satisfaction_rate) == (2, 3, "66.7%")
    listed = drill(client, indicator="rated", unit=town.code, period="2026-06")
    assert listed == sorted(c.case_no for c in complaints)
    # Another case type: no complaints, no rate.
    only_items = client.get(URL, {"period": "2026-06", "kind": "supervision"})
    assert rows(only_items)[town.code].satisfaction_rate == "—"
    # The rating week holds them, the week before does not.
    assert rows(client.get(URL, {"period": "2026-W24"}))[town.code].data.rated == 3
    assert rows(client.get(URL, {"period": "2026-W23"}))[town.code].data.rated == 0


def test_returns_and_repeats_drill_down_to_their_cases(
    client: Any,
    supervisor: Any,
    district: Any,
    town: Any,
    intake: Any,
    verifier: Any,
    people: dict[str, Any],
) -> None:
    from tests.factories import file_complaint, later, reply_to_complaint

    returned = reply_to_complaint(
        file_complaint(jurisdiction=district), **people, stop_at="verifying"
    )
    transition_case(
        returned,
        "fail_verification",
        actor=verifier,
        note="仍有排放",
        payload={"rectify_period": 5},
        now=later(days=12),
    )
    repeat = file_complaint(jurisdiction=district, now=later(days=13))
    transition_case(
        repeat, "merge", actor=intake, payload={"original": returned.case_no}, now=later(days=13)
    )
    client.force_login(supervisor)
    row = rows(client.get(URL, {"period": "2026-06"}))[town.code]
    assert (row.data.returns, row.data.repeats) == (1, 1)
    assert drill(client, indicator="returns", unit=town.code, period="2026-06") == [
        returned.case_no
    ]
    assert drill(client, indicator="repeats", unit=town.code, period="2026-06") == [
        returned.case_no
    ]
    # Before the return and the merge, none.
    before = rows(client.get(URL, {"period": "2026-05"}))[town.code]
    assert (before.data.returns, before.data.repeats) == (0, 0)


def test_the_drill_down_is_paginated(
    client: Any, supervisor: Any, dispatcher: Any, district: Any, towns: Any
) -> None:
    made = [signed(dispatcher, district, towns["XD-C"], None) for _ in range(27)]
    client.force_login(supervisor)
    params = {"indicator": "overdue", "unit": "XD-C", "period": "2026-W23"}
    first = client.get(CASES, params)
    second = client.get(CASES, {**params, "page": 2})
    assert first.context["count"] == 27
    assert len(first.context["cases"]) == 25 and len(second.context["cases"]) == 2
    shown = {c.pk for c in first.context["cases"]} | {c.pk for c in second.context["cases"]}
    assert shown == {c.pk for c in made}
