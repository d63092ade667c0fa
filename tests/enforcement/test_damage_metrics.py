"""The damage-compensation metrics on seeded cases with known answers: the five rates for 2026Q3
per bureau and in total, the period's boundaries (23:59 on 09-30 is Q3, 00:00 on 10-01 is Q4;
screening or closing after the period's end does not count in it), — for an empty cohort; the
page's permissions, the drill-down and the Excel export read back."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from enforcement.damage import metrics_views
from enforcement.damage.metrics import Period, rates
from enforcement.damage.metrics_views import chosen_period
from enforcement.damage.services import open_damage_clue
from enforcement.models import DamageCase
from tests.enforcement.field import TZ, at, reload_enf
from tests.factories import make_staff
from workflow.roles import Role
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)
Q4 = Period.quarter(2026, 4)
D = dt.date


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def clue(actor: Any, title: str, when: dt.datetime) -> DamageCase:
    return open_damage_clue(
        actor=actor,
        title=title,
        channel="penalty",
        now=when,
        parties=[("太原市晋阳化工有限公司", "")],
    )


def step(case: Any, name: str, actor: Any, when: dt.datetime, **payload: Any) -> Any:
    note = payload.pop("note", "")
    return transition_case(
        reload_enf(case), name, actor=actor, payload=payload, note=note, now=when
    )


def screen_in(case: Any, actor: Any, when: dt.datetime) -> None:
    step(case, "screen_in", actor, when, screening_batch="2026Q3")


def start(case: Any, head: Any, when: dt.datetime) -> None:
    step(case, "start", head, when, prelim_result="确有损害")


def to_consulting(case: Any, inspector: Any, day: dt.date) -> None:
    step(
        case,
        "commission_assessment",
        inspector,
        at(day),
        assessment_mode="commissioned",
        assessment_agency="山西省环境科学研究院",
    )
    step(
        case,
        "complete_assessment",
        inspector,
        at(day + dt.timedelta(days=5)),
        assessment_report_no="晋环鉴〔2026〕12号",
        damage_amount="500000",
        cost_remediation="500000",
        remediation_feasible=True,
    )
    served = at(day + dt.timedelta(days=6))
    step(
        case,
        "serve_consultation_notice",
        inspector,
        served,
        consultation_notice_served_at=served.strftime("%Y-%m-%dT%H:%M"),
    )


@pytest.fixture
def yz_inspector(other_district: Any) -> Any:
    return make_staff("yz_inspector", other_district, Role.INSPECTOR, name="迎泽执法人员")


@pytest.fixture
def seeded(
    inspector: Any, supervisor: Any, verifier: Any, outsider: Any, yz_inspector: Any
) -> dict[str, DamageCase]:
    """Ten cases; the comments say where each counts in 2026Q3."""
    c: dict[str, DamageCase] = {}
    # XD ---------------------------------------------------------------------------------------
    # A: received, screened and started in Q3; still open.
    c["A"] = clue(inspector, "A 汾河支流油污", at(D(2026, 7, 5)))
    screen_in(c["A"], inspector, at(D(2026, 7, 10)))
    start(c["A"], supervisor, at(D(2026, 7, 20)))
    # B: received 09-30 23:59 (Q3), screened 10-02 (after Q3's end: not screened in Q3).
    c["B"] = clue(inspector, "B 夜间倾倒", moment(D(2026, 9, 30), 23, 59))
    screen_in(c["B"], inspector, at(D(2026, 10, 2)))
    # C: received 10-01 00:00: Q4, not Q3.
    c["C"] = clue(inspector, "C 零点线索", moment(D(2026, 10, 1), 0, 0))
    # D: received and screened out in Q3.
    c["D"] = clue(inspector, "D 合法排放", at(D(2026, 7, 2)))
    step(
        c["D"],
        "screen_out",
        inspector,
        at(D(2026, 7, 3)),
        screening_batch="2026Q3",
        not_started_reason="lawful",
        note="经许可排放",
    )
    # E: received in Q2, screened and not started in Q3 (counts for 启动率 only).
    c["E"] = clue(inspector, "E 显著轻微", at(D(2026, 6, 20)))
    screen_in(c["E"], inspector, at(D(2026, 7, 1)))
    step(
        c["E"],
        "not_start",
        supervisor,
        at(D(2026, 7, 15)),
        prelim_result="损害显著轻微",
        not_started_reason="minor",
        note="显著轻微",
    )
    # F: received 07-01 00:00 (Q3's first instant); agreement, remediation, closed in Q3.
    c["F"] = clue(inspector, "F 渗坑修复", moment(D(2026, 7, 1), 0, 0))
    screen_in(c["F"], inspector, at(D(2026, 7, 1)))
    start(c["F"], supervisor, at(D(2026, 7, 3)))
    to_consulting(c["F"], inspector, D(2026, 7, 6))
    step(
        c["F"],
        "sign_agreement",
        supervisor,
        at(D(2026, 7, 20)),
        agreement_no="小店损协〔2026〕1号",
        agreement_signed_at="2026-07-20T09:00",
        compensation_amount="500000",
        remediation_mode="payment",
    )
    step(
        c["F"],
        "start_remediation",
        inspector,
        at(D(2026, 7, 25)),
        remediation_plan="支付赔偿金",
        remediation_due="2026-12-31",
    )
    step(c["F"], "record_progress", inspector, at(D(2026, 8, 10)), note="到账", paid="500000")
    step(c["F"], "verify_remediation", verifier, at(D(2026, 8, 12)), note="已核对到账凭证")
    step(
        c["F"],
        "pass_evaluation",
        supervisor,
        at(D(2026, 8, 20)),
        evaluation_exemption="payment_only",
    )
    # G: started in Q3, 磋商不成 in Q3, terminated 10-05 (after Q3's end: not closed in Q3).
    c["G"] = clue(inspector, "G 拒绝磋商", at(D(2026, 7, 3)))
    screen_in(c["G"], inspector, at(D(2026, 7, 4)))
    start(c["G"], supervisor, at(D(2026, 7, 6)))
    to_consulting(c["G"], inspector, D(2026, 7, 8))
    step(
        c["G"],
        "fail_consultation",
        inspector,
        at(D(2026, 8, 1)),
        note="义务人拒绝",
        consultation_failure="refused",
    )
    step(
        c["G"],
        "terminate",
        supervisor,
        at(D(2026, 10, 5)),
        termination_reason="no_obligor",
        note="义务人已注销",
    )
    # H: started and terminated in Q3.
    c["H"] = clue(inspector, "H 已判决", at(D(2026, 8, 1)))
    screen_in(c["H"], inspector, at(D(2026, 8, 2)))
    start(c["H"], supervisor, at(D(2026, 8, 5)))
    step(
        c["H"],
        "terminate",
        supervisor,
        at(D(2026, 9, 1)),
        termination_reason="judged",
        note="法院已判决",
    )
    # YZ ---------------------------------------------------------------------------------------
    c["Y1"] = clue(yz_inspector, "Y1 迎泽线索", at(D(2026, 8, 1)))
    screen_in(c["Y1"], outsider, at(D(2026, 8, 2)))
    start(c["Y1"], outsider, at(D(2026, 8, 10)))
    c["Y2"] = clue(yz_inspector, "Y2 迎泽未筛查", at(D(2026, 8, 5)))
    return c


def counts(cases: Any, period: Period) -> dict[str, tuple[int, int]]:
    return {r.code: r.counts() for r in rates(cases, period)}


def names(queryset: Any) -> set[str]:
    return {title.split()[0] for title in queryset.values_list("title", flat=True)}


# --- known answers --------------------------------------------------------------------------------


def test_the_five_rates_of_2026q3_per_district(
    seeded: dict[str, DamageCase], district: Any
) -> None:
    xd = DamageCase.objects.filter(jurisdiction=district)
    assert counts(xd, Q3) == {
        "screening": (5, 6),  # A B D F G H received; B screened only on 10-02
        "start": (4, 5),  # A E F G H concluded; E not started
        "closure": (2, 4),  # A F G H started; F closed, H terminated (G only on 10-05)
        "consultation": (1, 2),  # F agreement, G 磋商不成
        "remediation": (1, 1),  # F
    }
    found = {r.code: r for r in rates(xd, Q3)}
    assert names(found["screening"].denominator) == {"A", "B", "D", "F", "G", "H"}
    assert names(found["screening"].numerator) == {"A", "D", "F", "G", "H"}
    assert names(found["closure"].numerator) == {"F", "H"}
    assert found["closure"].value == 0.5


def test_period_boundaries_are_beijing_dates_both_ends_included(
    seeded: dict[str, DamageCase], district: Any
) -> None:
    xd = DamageCase.objects.filter(jurisdiction=district)
    q3 = {r.code: r for r in rates(xd, Q3)}
    q4 = {r.code: r for r in rates(xd, Q4)}
    assert "B" in names(q3["screening"].denominator)  # 09-30 23:59
    assert "C" not in names(q3["screening"].denominator)  # 10-01 00:00
    assert "F" in names(q3["screening"].denominator)  # 07-01 00:00
    assert names(q4["screening"].denominator) == {"C"}
    assert q4["screening"].counts() == (0, 1)
    # G closed on 10-05: in Q4's time, but its cohort (started) is Q3's.
    assert q4["closure"].counts() == (0, 0) and q4["closure"].value is None
    # Over the whole year B counts as screened (by the year's end); C is still a clue.
    year = Period(D(2026, 1, 1), D(2026, 12, 31))
    assert counts(xd, year)["screening"] == (7, 8)


def test_a_unit_or_rate_without_cases_is_a_dash_not_zero(
    seeded: dict[str, DamageCase], other_district: Any
) -> None:
    yz = DamageCase.objects.filter(jurisdiction=other_district)
    assert counts(yz, Q3) == {
        "screening": (1, 2),
        "start": (1, 1),
        "closure": (0, 1),
        "consultation": (0, 0),
        "remediation": (0, 0),
    }
    assert {r.code: r.value for r in rates(yz, Q3)}["consultation"] is None


def test_the_page_counts_what_the_rates_count_in_one_query_per_row(
    seeded: dict[str, DamageCase], district: Any, django_assert_num_queries: Any
) -> None:
    xd = DamageCase.objects.filter(jurisdiction=district)
    for period in (Q3, Q4, Period(D(2026, 1, 1), D(2026, 12, 31))):
        assert metrics_views.counts(xd, period) == counts(xd, period)
    with django_assert_num_queries(1):
        metrics_views.counts(xd, Q3)


def test_the_period_parameters() -> None:
    now = at(D(2026, 9, 30))
    assert chosen_period({}, now).key == "2026Q3"
    # 2026-09-30 16:30 UTC is 10-01 00:30 in Beijing: the current quarter is Q4.
    late = dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.UTC)
    assert chosen_period({}, late).key == "2026Q4"
    assert chosen_period({"period": "2026"}, now).period == Period(D(2026, 1, 1), D(2026, 12, 31))
    custom = chosen_period({"from": "2026-07-01", "to": "2026-07-31"}, now)
    assert custom.period == Period(D(2026, 7, 1), D(2026, 7, 31))


# --- the page -------------------------------------------------------------------------------------


def page(client: Client, user: Any, **params: str) -> Any:
    client.force_login(user)
    return client.get(reverse("enforcement:damage_metrics"), params)


def cells(html: str) -> dict[str, list[str]]:
    """{row label: ["n/d = x%", …]} from the metrics table."""
    table = html[html.index('id="metrics"') :]
    table = table[: table.index("</table>")]
    result = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        label = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        values = [
            re.sub(r"<[^>]+>", "", td).replace(" ", "")
            for td in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        assert label is not None
        result[label[1].strip()] = values
    return result


def test_the_table_per_bureau_with_the_total_and_definitions(
    client: Client, seeded: dict[str, DamageCase], leader: Any, district: Any, other_district: Any
) -> None:
    response = page(client, leader, period="2026Q3")
    assert response.status_code == 200
    html = response.content.decode()
    table = cells(html)
    assert table[district.name] == [
        "5/6=83.3%",
        "4/5=80.0%",
        "2/4=50.0%",
        "1/2=50.0%",
        "1/1=100.0%",
    ]
    assert table[other_district.name] == ["1/2=50.0%", "1/1=100.0%", "0/1=0.0%", "0/0=—", "0/0=—"]
    assert table["合计"] == ["6/8=75.0%", "5/6=83.3%", "2/5=40.0%", "1/2=50.0%", "1/1=100.0%"]
    # the city's own row: nothing entered any stage there
    assert all(value.endswith("=—") for value in table[district.parent.name])
    # definitions written on the page, with the rules of the period
    assert "期内收到的线索中，截至期末已完成筛查的比例" in html
    assert "起止日均包含在内" in html and "截至期末" in html
    assert "metric-bars__fill metric-bars__fill--75" in html and 'style="' not in html


def test_who_may_see_the_page(
    client: Client, seeded: dict[str, DamageCase], inspector: Any, handler: Any, legal: Any
) -> None:
    assert page(client, inspector).status_code == 403
    assert page(client, handler).status_code == 403
    assert page(client, legal).status_code == 200
    client.logout()
    response = client.get(reverse("enforcement:damage_metrics"))
    assert response.status_code in (302, 403)


def test_an_outsider_sees_only_their_own_district(
    client: Client, seeded: dict[str, DamageCase], outsider: Any, district: Any, other_district: Any
) -> None:
    response = page(client, outsider, period="2026Q3")
    table = cells(response.content.decode())
    assert set(table) == {other_district.name, "合计"}
    assert table["合计"] == table[other_district.name]
    assert page(client, outsider, period="2026Q3", unit=district.code).status_code == 404
    drill = client.get(
        reverse("enforcement:damage_metric_cases"),
        {"rate": "screening", "part": "denominator", "period": "2026Q3", "unit": district.code},
    )
    assert drill.status_code == 404


def test_the_unit_filter_and_bad_periods(
    client: Client, seeded: dict[str, DamageCase], leader: Any, district: Any
) -> None:
    table = cells(page(client, leader, period="2026Q3", unit=district.code).content.decode())
    assert set(table) == {district.name, "合计"}
    assert table["合计"][0] == "5/6=83.3%"
    for bad in (
        {"period": "2026Q5"},
        {"from": "2026-07-01"},
        {"from": "x", "to": "2026-07-01"},
        {"from": "9999-12-30", "to": "9999-12-31"},  # the calendar's edge: a 400, not a 500
    ):
        response = page(client, leader, **bad)
        assert response.status_code == 400
        assert 'id="period-error"' in response.content.decode()
    reverse_range = page(client, leader, **{"from": "2026-08-01", "to": "2026-07-01"})
    assert "结束日期不能早于开始日期" in reverse_range.content.decode()


def test_the_drill_down_lists_exactly_the_cases_of_the_cell(
    client: Client, seeded: dict[str, DamageCase], supervisor: Any, district: Any
) -> None:
    response = page(client, supervisor, period="2026Q3")
    html = response.content.decode()
    # every number is a link to its cases
    links = re.findall(r'href="(/enforcement/damage/metrics/cases/\?[^"]+)"', html)
    assert len(links) == 2 * 5 * 2  # XD and the total, five rates, numerator and denominator
    link = next(
        url.replace("&amp;", "&")
        for url in links
        if "rate=screening" in url and "part=numerator" in url and f"unit={district.code}" in url
    )
    listed = client.get(link).content.decode()
    shown = set(re.findall(r'class="case-no"[^>]*>([^<]+)<', listed))
    expected = {seeded[k].case_no for k in ("A", "D", "F", "G", "H")}
    assert shown == expected
    assert "期内收到的线索中，截至期末已完成筛查的比例" in listed
    closure = client.get(
        reverse("enforcement:damage_metric_cases"),
        {"rate": "closure", "part": "numerator", "period": "2026Q3"},
    ).content.decode()
    assert set(re.findall(r'class="case-no"[^>]*>([^<]+)<', closure)) == {
        seeded["F"].case_no,
        seeded["H"].case_no,
    }
    bad = client.get(reverse("enforcement:damage_metric_cases"), {"rate": "x", "part": "numerator"})
    assert bad.status_code == 400 and 'id="drill-error"' in bad.content.decode()


def test_a_custom_range_or_a_year_and_the_filtered_total(
    client: Client, seeded: dict[str, DamageCase], leader: Any, district: Any
) -> None:
    by_quarter = cells(page(client, leader, period="2026Q3").content.decode())
    by_dates = page(client, leader, **{"from": "2026-07-01", "to": "2026-09-30"}).content.decode()
    assert cells(by_dates) == by_quarter
    by_year = cells(page(client, leader, period="2026").content.decode())
    assert by_year[district.name][0] == "7/8=87.5%"  # C is the year's, and still a clue
    # Under a unit filter the total's numbers list that unit's cases only.
    html = page(client, leader, period="2026Q3", unit=district.code).content.decode()
    total_link = next(
        url.replace("&amp;", "&")
        for url in re.findall(r'href="(/enforcement/damage/metrics/cases/\?[^"]+)"', html)
        if "rate=start" in url and "part=denominator" in url and "within=" in url
    )
    listed = client.get(total_link).content.decode()
    assert set(re.findall(r'class="case-no"[^>]*>([^<]+)<', listed)) == {
        seeded[k].case_no for k in ("A", "E", "F", "G", "H")
    }


def test_only_viewers_may_drill_down(
    client: Client, seeded: dict[str, DamageCase], inspector: Any
) -> None:
    client.force_login(inspector)
    response = client.get(
        reverse("enforcement:damage_metric_cases"),
        {"rate": "screening", "part": "numerator", "period": "2026Q3"},
    )
    assert response.status_code == 403


def test_the_drill_down_is_paginated(
    client: Client,
    seeded: dict[str, DamageCase],
    supervisor: Any,
    district: Any,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr("enforcement.damage.metrics_views.PAGE_SIZE", 4)
    client.force_login(supervisor)
    params = {"rate": "screening", "part": "denominator", "period": "2026Q3", "unit": district.code}
    url = reverse("enforcement:damage_metric_cases")
    shown = []
    for number in (1, 2):
        html = client.get(url, {**params, "page": str(number)}).content.decode()
        shown += re.findall(r'class="case-no"[^>]*>([^<]+)<', html)
    assert sorted(shown) == sorted(seeded[k].case_no for k in ("A", "B", "D", "F", "G", "H"))


# --- Excel ----------------------------------------------------------------------------------------


def test_the_workbook_reads_back(
    client: Client, seeded: dict[str, DamageCase], leader: Any, district: Any
) -> None:
    response = page(client, leader, period="2026Q3", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="damage-metrics-2026Q3.xlsx";')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "损害赔偿指标-2026Q3.xlsx"
    assert disposition.encode("latin-1")  # the header itself is ASCII
    book = load_workbook(BytesIO(response.content))
    rates_sheet, definitions_sheet, cases_sheet = book.worksheets
    values = [list(row) for row in rates_sheet.iter_rows(values_only=True)]
    assert "2026-07-01" in str(values[1]) and "2026-09-30" in str(values[1])
    assert values[2][0] == "生成时间" and values[2][1]
    by_unit = {row[0]: tuple(row[1:]) for row in values[5:]}
    assert by_unit[district.name][:3] == (5, 6, pytest.approx(5 / 6, abs=1e-4))
    assert by_unit["合计"] == (
        6,
        8,
        0.75,
        5,
        6,
        pytest.approx(5 / 6, abs=1e-4),
        2,
        5,
        0.4,
        1,
        2,
        0.5,
        1,
        1,
        1,
    )
    assert by_unit[district.parent.name][2] == "—"
    definitions = [row[1] for row in definitions_sheet.iter_rows(min_row=2, values_only=True)]
    assert "期内收到的线索中，截至期末已完成筛查的比例" in definitions
    header, *rows = list(cases_sheet.iter_rows(values_only=True))
    assert header == (
        "案件编号",
        "标题",
        "管辖单位",
        "状态",
        "线索来源",
        "收到线索时间",
        "立案启动时间",
        "结案时间",
    )
    listed = {row[0] for row in rows}
    # every case of a total denominator: all but C (Q4)
    assert listed == {c.case_no for k, c in seeded.items() if k != "C"}
    text = " ".join(str(v) for row in rows for v in row)
    assert "晋阳化工" not in text and "reporter" not in text.lower()
    b_row = next(row for row in rows if row[0] == seeded["B"].case_no)
    assert b_row[5] == "2026-09-30 23:59"


def test_the_drill_down_exports_its_cases(
    client: Client, seeded: dict[str, DamageCase], supervisor: Any
) -> None:
    client.force_login(supervisor)
    response = client.get(
        reverse("enforcement:damage_metric_cases"),
        {"rate": "consultation", "part": "denominator", "period": "2026Q3", "format": "xlsx"},
    )
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {seeded["F"].case_no, seeded["G"].case_no}
