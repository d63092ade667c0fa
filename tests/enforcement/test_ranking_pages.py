"""周排名 / 月考核 pages: who may see them, the table with the snapshot's own formula and
weights, the comparison with the previous period, generation on demand (idempotent, a mismatch
reported and never overwritten) and both exports read back."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from enforcement.assessment import ranking
from enforcement.models import RankingSnapshot, SnapshotKind
from enforcement.periods import Period
from tests.factories import MONDAY, UnitFactory, assign_to, make_staff, open_item, reload
from workflow import calendar
from workflow.models import UnitKind
from workflow.roles import Role
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db
LIST = reverse("enforcement:rankings")
TZ = MONDAY.tzinfo
MAY = Period(dt.date(2026, 5, 25), dt.date(2026, 5, 31))
JUNE = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 7))


def signed(dispatcher: Any, district: Any, unit: Any, monday: dt.datetime, late: bool) -> None:
    """Assigned Monday 09:00 (签收 due Tuesday), signed that day or on Thursday (late)."""
    case = open_item(actor=dispatcher, jurisdiction=district, now=monday)
    assign_to(case, dispatcher=dispatcher, unit=unit, now=monday)
    handler = make_staff(f"h-{unit.code}-{case.pk}", unit, Role.HANDLER)
    when = monday + dt.timedelta(days=3 if late else 0, hours=1)
    transition_case(reload(case), "sign", actor=handler, now=when)


@pytest.fixture
def snapshots(dispatcher: Any, district: Any) -> dict[str, RankingSnapshot]:
    a = UnitFactory(code="XD-A", name="甲镇", kind=UnitKind.TOWN, parent=district)
    b = UnitFactory(code="XD-B", name="乙镇", kind=UnitKind.TOWN, parent=district)
    UnitFactory(code="XD-C", name="丙镇", kind=UnitKind.TOWN, parent=district)
    may = MONDAY - dt.timedelta(days=7)
    signed(dispatcher, district, a, may, late=False)
    signed(dispatcher, district, b, may, late=True)
    signed(dispatcher, district, a, MONDAY, late=True)
    signed(dispatcher, district, b, MONDAY, late=False)
    now = dt.datetime(2026, 6, 8, 7, tzinfo=TZ)
    return {
        "may": ranking.take(SnapshotKind.WEEKLY, district, MAY, now=now),
        "june": ranking.take(SnapshotKind.WEEKLY, district, JUNE, now=now),
    }


def detail(snapshot: RankingSnapshot) -> str:
    return reverse("enforcement:ranking_detail", kwargs={"pk": snapshot.pk})


def test_staff_see_the_snapshots_newest_first_others_are_refused(
    client: Any, snapshots: Any, supervisor: Any, leader: Any, dispatcher: Any, handler: Any
) -> None:
    for user in (supervisor, leader, dispatcher):
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code == 200
        listed = [s.pk for s, _period in response.context["snapshots"]]
        assert listed == [snapshots["june"].pk, snapshots["may"].pk]
    assert "排名考核" in response.content.decode()  # the nav link
    client.force_login(handler)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(snapshots["june"])).status_code == 403
    client.logout()
    assert client.get(LIST).status_code in (302, 403)


def test_a_bureau_outside_ones_reach_is_not_found(
    client: Any, snapshots: Any, outsider: Any
) -> None:
    client.force_login(outsider)
    assert client.get(LIST).context["snapshots"] == []
    assert client.get(detail(snapshots["june"])).status_code == 404
    assert client.get(detail(snapshots["june"]), {"format": "xlsx"}).status_code == 404


def test_the_table_formula_weights_and_the_comparison(
    client: Any, snapshots: Any, supervisor: Any, settings: Any
) -> None:
    # Today's settings differ: the page shows the snapshot's own weights.
    settings.ECOLOOP_RANKING_WEIGHTS = {**settings.ECOLOOP_RANKING_WEIGHTS, "on_time": 0.55}
    client.force_login(supervisor)
    response = client.get(detail(snapshots["june"]))
    assert response.status_code == 200
    rows = {item.row["unit"]: item for item in response.context["rows"]}
    assert (rows["XD-B"].row["rank"], rows["XD-B"].row["score"]) == (1, "100.00")
    assert (rows["XD-A"].row["rank"], rows["XD-A"].row["score"]) == (2, "0.00")
    assert rows["XD-C"].row["rank"] is None  # no cases: listed, not ranked
    assert rows["XD-B"].rank_change == 1 and rows["XD-B"].score_delta == "+100.00"
    assert rows["XD-A"].rank_change == -1 and rows["XD-A"].score_delta == "-100.00"
    assert response.context["previous"] == snapshots["may"]
    body = response.content.decode()
    assert "↑1" in body and "↓1" in body and "本期无办件" in body
    assert "2026-06-01至2026-06-07" in body and "2026-05-25至2026-05-31" in body
    assert "得分 = 100 ×（按期办结率 × 按期权重 + 满意率 × 满意权重）" in body
    assert "按期办结率权重" in body and ">0.7<" in body and "0.55" not in body
    assert snapshots["june"].digest in body

    first = client.get(detail(snapshots["may"]))
    assert first.context["previous"] is None
    assert "没有上期快照" in first.content.decode()


def test_a_leader_generates_a_past_period_once(
    client: Any, snapshots: Any, leader: Any, supervisor: Any, district: Any
) -> None:
    client.force_login(leader)
    data = {"kind": "monthly", "period": "2026-05", "scope": "XD"}
    response = client.post(LIST, data)
    snapshot = RankingSnapshot.objects.get(kind="monthly", scope=district)
    assert response.status_code == 302 and response["Location"] == detail(snapshot)
    assert (snapshot.first_day, snapshot.last_day) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    again = client.post(LIST, data)
    assert again["Location"] == detail(snapshot)
    assert RankingSnapshot.objects.filter(kind="monthly").count() == 1
    # A week by any of its days: the existing June snapshot, not a new one.
    week = client.post(LIST, {"kind": "weekly", "period": "2026-06-03", "scope": "XD"})
    assert week["Location"] == detail(snapshots["june"])
    assert RankingSnapshot.objects.count() == 3

    client.force_login(supervisor)
    assert client.post(LIST, data).status_code == 403


def test_bad_generation_input_is_refused_with_a_message(
    client: Any, snapshots: Any, leader: Any
) -> None:
    client.force_login(leader)
    before = RankingSnapshot.objects.count()
    this_month = calendar.local_date(timezone.now()).strftime("%Y-%m")
    for data, message in (
        ({"kind": "monthly", "period": "2026/5", "scope": "XD"}, "2026-05 的格式"),
        ({"kind": "weekly", "period": "下周", "scope": "XD"}, "该周内任一日期"),
        ({"kind": "yearly", "period": "2026", "scope": "XD"}, "请选择周排名或月考核"),
        ({"kind": "monthly", "period": this_month, "scope": "XD"}, "只能生成已经结束的期间"),
        ({"kind": "monthly", "period": "2999-01", "scope": "XD"}, "2000至2100年"),
        ({"kind": "weekly", "period": "9999-12-31", "scope": "XD"}, "该周内任一日期"),
    ):
        response = client.post(LIST, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert (
        client.post(LIST, {"kind": "weekly", "period": "2026-06-01", "scope": "NO"}).status_code
        == 404
    )
    assert RankingSnapshot.objects.count() == before


def test_a_mismatch_is_shown_and_the_snapshot_is_kept(
    client: Any, snapshots: Any, leader: Any, settings: Any
) -> None:
    stored = snapshots["june"]
    settings.ECOLOOP_RANKING_WEIGHTS = {**settings.ECOLOOP_RANKING_WEIGHTS, "on_time": 0.55}
    client.force_login(leader)
    response = client.post(LIST, {"kind": "weekly", "period": "2026-06-01", "scope": "XD"})
    assert response.status_code == 409
    assert "与已保存的快照不一致" in response.content.decode()
    kept = RankingSnapshot.objects.get(pk=stored.pk)
    assert (kept.digest, kept.weights) == (stored.digest, stored.weights)


def test_the_workbook_reads_back(client: Any, snapshots: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    response = client.get(detail(snapshots["june"]), {"format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    table, about = book.worksheets
    header = [c.value for c in table[1]]
    assert header[:4] == ["名次", "单位代码", "单位", "得分"]
    rows = {r[1]: r for r in table.iter_rows(min_row=2, values_only=True)}
    assert rows["XD-B"][0] == "1" and rows["XD-B"][3] == "100.00"
    assert rows["XD-B"][header.index("名次变化")] == "+1"
    assert rows["XD-A"][header.index("名次变化")] == "-1"
    assert rows["XD-C"][0] == "—" and rows["XD-C"][3] == "本期无办件"
    facts = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r and r[0]}
    assert facts["统计期间"] == "2026-06-01至2026-06-07"
    assert facts["校验值"] == snapshots["june"].digest
    assert facts["按期办结率权重"] == "0.7"
    text = "\n".join(str(r[0]) for r in about.iter_rows(values_only=True) if r and r[0])
    assert "得分 = 100 ×（按期办结率" in text


def test_a_unit_name_is_never_a_spreadsheet_formula(
    client: Any, snapshots: Any, supervisor: Any, district: Any
) -> None:
    UnitFactory(code="XD-Z", name="=HYPERLINK(1)", kind=UnitKind.TOWN, parent=district)
    now = dt.datetime(2026, 6, 8, 7, tzinfo=TZ)
    snapshot = ranking.take(SnapshotKind.MONTHLY, district, Period.month(2026, 5), now=now)
    client.force_login(supervisor)
    response = client.get(detail(snapshot), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_the_pdf_reads_back(client: Any, snapshots: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    response = client.get(detail(snapshots["june"]), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    compact = "".join(text.split())
    assert "周排名" in compact
    assert "2026-06-01至2026-06-07" in compact
    assert "第1名乙镇" in compact and "计分公式" in compact
