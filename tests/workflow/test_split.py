"""分办: a dispatcher gives a 督办事项's shares to several co-units in one form (or one API call),
all or none; the lead unit's 反馈 waits for theirs and sums them up; the parent waits to close."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.factories import MONDAY, UnitFactory, assign_to, client_for, open_item, reload
from workflow.models import Case, Unit, UnitKind
from workflow.transitions import InvalidTransition, transition_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_units(district: Unit) -> list[Unit]:
    return [
        UnitFactory(code=code, name=name, kind=UnitKind.DEPARTMENT, parent=district)
        for code, name in (
            ("XD-ZJJ", "小店区住建局"),
            ("XD-CGJ", "小店区城管局"),
            ("XD-JTJ", "小店区交通局"),
        )
    ]


def _rows(*shares: dict[str, Any], blank: int = 0) -> dict[str, Any]:
    """The console form's POST: one row per share, then `blank` untouched rows."""
    data: dict[str, Any] = {
        "share-TOTAL_FORMS": len(shares) + blank,
        "share-INITIAL_FORMS": 0,
        "share-MIN_NUM_FORMS": 0,
        "share-MAX_NUM_FORMS": 20,
    }
    for i, share in enumerate(shares):
        data.update({f"share-{i}-{k}": v for k, v in share.items()})
    for i in range(len(shares), len(shares) + blank):
        data[f"share-{i}-rectify_clock"] = "workdays"
    return data


def test_a_dispatcher_splits_a_case_among_three_units_in_one_form(
    dispatcher: Any, district: Unit, town: Unit, co_units: list[Unit]
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    client = client_for(dispatcher)
    assert 'id="split"' in client.get(f"/cases/{case.pk}/").content.decode()
    form = client.get(f"/cases/{case.pk}/split/").content.decode()
    # Blank rows for three co-units; the lead unit is not offered.
    assert form.count('id="share-') == 3
    assert town.name not in form.split("<select")[1].split("</select>")[0]
    shares = [
        {"responsible_unit": unit.pk, "note": f"负责{unit.name}的部分", "rectify_period": 5 + i}
        for i, unit in enumerate(co_units)
    ]
    response = client.post(f"/cases/{case.pk}/split/", _rows(*shares, blank=1))
    assert response.status_code == 302
    children = list(Case.objects.filter(parent=case).order_by("pk"))
    assert [c.responsible_unit for c in children] == co_units
    assert {c.state for c in children} == {"assigned"}
    assert children[0].events.filter(transition="open", note="负责小店区住建局的部分").exists()
    dues = [c.rectify_due for c in children]
    assert None not in dues and len(set(dues)) == 3  # each its own deadline
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert all(c.case_no in shown for c in children)
    assert reload(case).events.filter(transition="child_opened").count() == 3
    # The units that hold a share are not offered again.
    again = client.get(f"/cases/{case.pk}/split/").content.decode()
    assert not any(f'value="{u.pk}"' in again for u in co_units)


def test_one_bad_row_splits_nothing(
    dispatcher: Any, district: Unit, town: Unit, co_units: list[Unit]
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    client = client_for(dispatcher)
    good = {"responsible_unit": co_units[0].pk, "note": "渣土车辆", "rectify_period": 5}
    for rows in (
        _rows(good, {"responsible_unit": co_units[1].pk, "note": "无期限"}),
        _rows(good, {**good, "note": "同一单位两次"}),
        _rows(blank=3),
    ):
        response = client.post(f"/cases/{case.pk}/split/", rows)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not Case.objects.filter(parent=case).exists()
    assert (
        "同一单位只能分办一次"
        in client.post(
            f"/cases/{case.pk}/split/", _rows(good, {**good, "note": "x"})
        ).content.decode()
    )


def test_others_may_not_split(dispatcher: Any, handler: Any, district: Unit, outsider: Any) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    assert client_for(handler).get(f"/cases/{case.pk}/split/").status_code in (403, 404)
    assert client_for(outsider).get(f"/cases/{case.pk}/split/").status_code == 404


def _sign_and_report(case: Case, handler: Any, note: str, photo: Any, now: dt.datetime) -> None:
    transition_case(reload(case), "sign", actor=handler, now=now)
    photo.seek(0)
    transition_case(reload(case), "report", actor=handler, note=note, files=[photo], now=now)


def test_the_lead_unit_reports_once_its_co_units_have_and_sums_them_up(
    dispatcher: Any, district: Unit, town: Unit, co_units: list[Unit], photo: Any
) -> None:
    from tests.factories import make_staff
    from workflow.relations import split_case
    from workflow.roles import Role
    from workflow.selectors import timeline

    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    assign_to(case, dispatcher=dispatcher, unit=town)
    due = dt.date(2026, 6, 12)
    children = split_case(
        reload(case),
        [{"responsible_unit": u, "note": "配合", "rectify_due": due} for u in co_units[:2]],
        actor=dispatcher,
        now=MONDAY,
    )
    lead = make_staff("lead", town, Role.HANDLER, name="北格镇承办人")
    helpers = [make_staff(f"co{i}", u, Role.HANDLER) for i, u in enumerate(co_units[:2])]
    later = MONDAY + dt.timedelta(days=1)
    transition_case(reload(case), "sign", actor=lead, now=later)
    _sign_and_report(children[0], helpers[0], "渣土车辆已全部密闭运输", photo, later)
    photo.seek(0)
    with pytest.raises(InvalidTransition) as refused:
        transition_case(reload(case), "report", actor=lead, note="汇总", files=[photo], now=later)
    assert "小店区城管局" in str(refused.value.errors)
    assert "小店区住建局" not in str(refused.value.errors)
    _sign_and_report(children[1], helpers[1], "占道堆放已清理", photo, later)
    photo.seek(0)
    transition_case(reload(case), "report", actor=lead, note="汇总反馈", files=[photo], now=later)
    report = reload(case).events.get(transition="report")
    summary = report.payload["co_units"]
    assert "小店区住建局" in summary and "渣土车辆已全部密闭运输" in summary
    assert children[1].case_no in summary and "占道堆放已清理" in summary
    rows = {r.label: r.value for r in timeline(reload(case))[-1].details}
    assert rows["配合单位办理情况"] == summary


def test_a_case_without_co_units_reports_as_before(
    dispatcher: Any, handler: Any, district: Unit, town: Unit, photo: Any
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    assign_to(case, dispatcher=dispatcher, unit=town)
    _sign_and_report(case, handler, "已整改", photo, MONDAY)
    assert reload(case).events.get(transition="report").payload == {}


def test_the_api_splits_all_or_nothing(
    dispatcher: Any, handler: Any, district: Unit, town: Unit, co_units: list[Unit]
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY)
    assign_to(case, dispatcher=dispatcher, unit=town)
    client = client_for(dispatcher)
    url = f"/api/cases/{case.pk}/children/"
    post = lambda body: client.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    bad = post(
        {
            "shares": [
                {"responsible_unit": co_units[0].pk, "note": "a", "rectify_period": 5},
                {"responsible_unit": co_units[1].pk, "note": "b"},
            ]
        }
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["detail"] and "rectify_period" in body["errors"]["shares"][1]
    assert not Case.objects.filter(parent=case).exists()
    assert post({"shares": []}).status_code == 400
    assert post({"shares": "x"}).status_code == 400
    done = post(
        {
            "shares": [
                {"responsible_unit": u.pk, "note": f"第{i}部分", "rectify_due": "2026-12-31"}
                for i, u in enumerate(co_units)
            ]
        }
    )
    assert done.status_code == 201, done.content
    made = done.json()
    assert [c["responsible_unit"] for c in made] == [u.name for u in co_units]
    assert {c["state"] for c in made} == {"assigned"}
    listed = client.get(url).json()
    assert [c["case_no"] for c in listed] == [c["case_no"] for c in made]
    detail = client.get(f"/api/cases/{case.pk}/").json()
    assert [c["case_no"] for c in detail["children"]] == [c["case_no"] for c in made]
    denied = client_for(handler).post(
        url,
        json.dumps({"shares": [{"responsible_unit": town.pk}]}),
        content_type="application/json",
    )
    assert denied.status_code in (403, 404)
    assert Case.objects.filter(parent=case).count() == 3
