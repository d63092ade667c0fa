"""专项行动: a campaign's 调度令 dispatches one task to each unit and one check to each target in
one transaction, numbered; its page counts per unit and drills down; the 清零 countdown."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from enforcement.campaigns import services
from enforcement.inspections.forms import RecordForm
from enforcement.models import (
    Campaign,
    CampaignKind,
    CampaignOrder,
    Enterprise,
    Inspection,
    SupervisionItem,
)
from seeds.campaigns import SITE_CHECKLIST
from tests.enforcement.field import make_enterprise
from tests.factories import UnitFactory, client_for, make_staff, reload
from workflow import calendar
from workflow.models import Unit, UnitKind
from workflow.roles import Role
from workflow.transitions import InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def shi(city: Unit) -> Any:
    """The city bureau's dispatcher, who runs the campaign."""
    return make_staff("shi_dispatcher", city, Role.DISPATCHER, name="市局调度员")


@pytest.fixture
def units(district: Unit, other_district: Unit, dept: Unit) -> list[Unit]:
    return [district, other_district, dept]


@pytest.fixture
def sites(district: Unit, other_district: Unit) -> list[Enterprise]:
    return [
        make_enterprise(district, name="小店区万科城三期工地"),
        make_enterprise(district, name="小店区龙城大街改造工地"),
        make_enterprise(other_district, name="迎泽区老军营棚改工地"),
    ]


def _today() -> dt.date:
    return calendar.local_date(timezone.now())


@pytest.fixture
def campaign(
    city: Unit, district: Unit, units: list[Unit], sites: list[Enterprise], shi: Any
) -> Campaign:
    today = _today()
    campaign = Campaign.objects.create(
        name="2026年秋冬季大气污染防治攻坚行动",
        kind=CampaignKind.SEASONAL,
        region=city,
        lead_unit=district,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
        clear_by=today + dt.timedelta(days=60),
        checklist=[{"code": f"c{n}", "item": item} for n, item in enumerate(SITE_CHECKLIST, 1)],
        created_by=shi,
        created_at=timezone.now(),
    )
    campaign.units.set(units)
    campaign.targets.set(sites)
    return campaign


def _issue(
    campaign: Campaign, actor: Any, units: list[Unit], targets: list[Enterprise]
) -> CampaignOrder:
    today = _today()
    return services.issue_order(
        campaign,
        actor=actor,
        title="工地扬尘专项整治",
        requirement="对辖区在建工地逐一排查，落实“六个百分百”。",
        units=units,
        targets=targets,
        rectify_due=today + dt.timedelta(days=20),
        inspect_by=today + dt.timedelta(days=10),
        now=timezone.now(),
    )


def test_an_order_opens_one_task_per_unit_and_one_check_per_target(
    campaign: Campaign, shi: Any, units: list[Unit], sites: list[Enterprise]
) -> None:
    order = _issue(campaign, shi, units, sites)
    year = _today().year
    assert order.number == f"并环调令〔{year}〕1号"
    tasks = SupervisionItem.objects.filter(order=order).order_by("pk")
    assert [t.responsible_unit for t in tasks] == units
    assert {t.state for t in tasks} == {"assigned"}
    assert all(t.rectify_due == order.rectify_due for t in tasks)
    assert tasks[0].events.filter(transition="assign", note__contains=order.number).exists()
    checks = Inspection.objects.filter(order=order).order_by("pk")
    assert [c.enterprise for c in checks] == sites
    assert {c.state for c in checks} == {"scheduled"}
    assert checks[2].jurisdiction.code == "YZ"
    # A campaign's check answers the campaign's checklist, not the general one.
    form = RecordForm(case=checks[0], user=shi, now=timezone.now())
    assert tuple(label for _code, label in form.items) == SITE_CHECKLIST
    assert "check_c6" in form.fields and "check_eia" not in form.fields
    assert _issue(campaign, shi, units[:1], []).number == f"并环调令〔{year}〕2号"


def test_an_order_is_all_or_nothing(
    campaign: Campaign, shi: Any, units: list[Unit], sites: list[Enterprise]
) -> None:
    elsewhere = UnitFactory(code="JZ", name="晋中市生态环境局", kind=UnitKind.CITY_BUREAU)
    with pytest.raises(InvalidTransition):
        _issue(campaign, shi, [*units, elsewhere], sites)
    assert not CampaignOrder.objects.exists()
    assert not SupervisionItem.objects.exists()
    assert not Inspection.objects.exists()
    # No number was used up.
    assert _issue(campaign, shi, units, []).sequence == 1


def test_only_the_organising_bureau_issues_orders(
    campaign: Campaign, dispatcher: Any, units: list[Unit]
) -> None:
    # The district's dispatcher may see the city's campaign (the district takes part) but not
    # dispatch it — unless the district is the lead unit: here it is.
    assert services.may_manage(dispatcher, campaign)
    campaign.lead_unit = units[1]
    campaign.save()
    assert not services.may_manage(dispatcher, campaign)
    with pytest.raises(TransitionDenied):
        _issue(campaign, dispatcher, units, [])
    response = client_for(dispatcher).get(f"/enforcement/campaigns/{campaign.pk}/orders/new/")
    assert response.status_code == 403


def test_the_countdown_to_clearing(campaign: Campaign, shi: Any, units: list[Unit]) -> None:
    order = _issue(campaign, shi, units[:1], [])
    now = timezone.now()
    countdown = services.countdown(campaign, now)
    assert (countdown.days_left, countdown.open_items) == (60, 1)
    assert not countdown.cleared and not countdown.late
    late = services.countdown(campaign, now + dt.timedelta(days=62))
    assert late.late and late.days_late == 2
    SupervisionItem.objects.filter(order=order).update(closed_at=now, state="closed")
    assert services.countdown(campaign, now + dt.timedelta(days=62)).cleared


def test_the_page_counts_per_unit_and_every_number_drills_down(
    campaign: Campaign, shi: Any, district: Unit, units: list[Unit], sites: list[Enterprise]
) -> None:
    order = _issue(campaign, shi, units, sites)
    handler = make_staff("xd_handler", district, Role.HANDLER, name="分局承办人")
    task = SupervisionItem.objects.get(order=order, responsible_unit=district)
    transition_case(task, "sign", actor=handler)
    late = SupervisionItem.objects.get(order=order, responsible_unit=units[2])
    SupervisionItem.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client = client_for(shi)
    page = client.get(f"/enforcement/campaigns/{campaign.pk}/").content.decode()
    assert 'id="unit-progress"' in page and "小店分局" in page and "迎泽分局" in page
    assert "距清零 60 天，6 件未办结" in page.replace("\n", "")
    base = f"/enforcement/campaigns/{campaign.pk}/cases/"
    rectifying = client.get(f"{base}?unit={district.pk}&stage=rectifying").content.decode()
    assert task.case_no in rectifying and late.case_no not in rectifying
    overdue = client.get(f"{base}?stage=overdue").content.decode()
    assert late.case_no in overdue and task.case_no not in overdue
    checks = client.get(f"{base}?of=checks&stage=assigned").content.decode()
    assert all(site.name in checks for site in sites)
    # A stale or edited link shows every case instead of failing.
    assert client.get(f"{base}?unit=abc&stage=zzz&of=x").status_code == 200
    # The engine's case list filters by the campaign too.
    listed = client.get(f"/cases/?programme=campaign:{campaign.pk}").content.decode()
    assert task.case_no in listed and reload(late).case_no in listed


def test_the_ledger_is_a_workbook_of_tasks_and_checks(
    campaign: Campaign, shi: Any, units: list[Unit], sites: list[Enterprise]
) -> None:
    _issue(campaign, shi, units, sites)
    response = client_for(shi).get(f"/enforcement/campaigns/{campaign.pk}/ledger.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    tasks, checks = book.worksheets
    assert tasks.max_row == 1 + len(units) and checks.max_row == 1 + len(sites)
    assert checks.cell(2, 3).value == sites[0].name


def test_a_dispatcher_creates_a_campaign_and_issues_its_order_on_the_web(
    city: Unit, district: Unit, units: list[Unit], sites: list[Enterprise], shi: Any
) -> None:
    client = client_for(shi)
    today = _today()
    data = {
        "name": "城乡垃圾污水专项整治行动",
        "kind": "rectification",
        "lead_unit": district.pk,
        "units": [u.pk for u in units],
        "starts_on": f"{today}",
        "ends_on": f"{today + dt.timedelta(days=60)}",
        "clear_by": f"{today + dt.timedelta(days=45)}",
        "requirement": "全面排查农村生活垃圾和污水乱排问题",
        "checklist_text": "垃圾收集点\n污水直排口\n\n",
        "targets_text": f"{sites[0].uscc}\n{sites[1].name}\n不存在的工地",
    }
    refused = client.post("/enforcement/campaigns/new/", data)
    assert refused.status_code == 400 and "不存在的工地" in refused.content.decode()
    assert not Campaign.objects.exists()
    made = client.post(
        "/enforcement/campaigns/new/",
        {**data, "targets_text": data["targets_text"].rsplit("\n", 1)[0]},
    )
    assert made.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.checklist_items() == [("c1", "垃圾收集点"), ("c2", "污水直排口")]
    assert set(campaign.targets.all()) == set(sites[:2])
    url = f"/enforcement/campaigns/{campaign.pk}/orders/new/"
    order = {
        "title": "第一次调度",
        "requirement": "十日内完成排查",
        "units": [u.pk for u in units[:2]],
        "rectify_due": f"{today + dt.timedelta(days=50)}",  # after the 清零 date
        "check_targets": "on",
        "inspect_by": f"{today + dt.timedelta(days=10)}",
    }
    too_late = client.post(url, order)
    assert too_late.status_code == 400 and "清零日期" in too_late.content.decode()
    assert not CampaignOrder.objects.exists()
    issued = client.post(url, {**order, "rectify_due": f"{today + dt.timedelta(days=20)}"})
    assert issued.status_code == 302
    assert SupervisionItem.objects.filter(order__campaign=campaign).count() == 2
    assert Inspection.objects.filter(order__campaign=campaign).count() == 2
    # The targets are checked once: a second order has none left to check.
    form = client.get(url).content.decode()
    assert "都已安排过检查" in form and 'name="check_targets"' not in form
    again = client.post(url, {**order, "rectify_due": f"{today + dt.timedelta(days=20)}"})
    assert again.status_code == 302
    assert Inspection.objects.filter(order__campaign=campaign).count() == 2


def test_who_sees_a_campaign(campaign: Campaign, handler: Any, dept: Unit) -> None:
    # The town's handler works under the district, which takes part: the campaign is listed.
    assert campaign in services.campaigns_for(handler)
    stranger_city = UnitFactory(code="JZ", name="晋中市生态环境局", kind=UnitKind.CITY_BUREAU)
    stranger = make_staff("jz", stranger_city, Role.DISPATCHER)
    assert client_for(stranger).get(f"/enforcement/campaigns/{campaign.pk}/").status_code == 404
    assert campaign.name not in client_for(stranger).get("/enforcement/campaigns/").content.decode()


def test_targets_stay_open_for_checks_after_an_order_without_checks(
    campaign: Campaign, shi: Any, units: list[Unit], sites: list[Enterprise]
) -> None:
    from enforcement.campaigns.forms import OrderForm

    _issue(campaign, shi, units[:1], [])  # an order of tasks only
    form = OrderForm(campaign=campaign, now=timezone.now())
    assert list(form.open_targets()) == sites and "check_targets" in form.fields
    _issue(campaign, shi, [], sites[:2])
    assert list(OrderForm(campaign=campaign, now=timezone.now()).open_targets()) == sites[2:]


def test_a_place_without_a_credit_code_is_a_target_checked_against_the_checklist(
    campaign: Campaign, shi: Any, district: Unit, town: Unit
) -> None:
    from enforcement.campaigns.forms import CampaignForm
    from enforcement.inspections.record_pdf import record_document
    from enforcement.models import Place, PlaceKind

    stall = Place.objects.create(
        name="龙城大街烧烤摊",
        kind=PlaceKind.CATERING,
        address="龙城大街与长风街交口",
        jurisdiction=district,
        responsible_unit=town,
        owner="个体经营者",
        created_at=timezone.now(),
    )
    form = CampaignForm(
        {
            "name": "餐饮油烟专项整治",
            "kind": CampaignKind.RECTIFICATION,
            "lead_unit": district.pk,
            "units": [district.pk],
            "starts_on": _today(),
            "ends_on": _today() + dt.timedelta(days=30),
            "clear_by": _today() + dt.timedelta(days=30),
            "targets_text": "龙城大街烧烤摊\n小店区万科城三期工地\n不存在的摊点",
        },
        region=campaign.region,
    )
    assert not form.is_valid() and "不存在的摊点" in str(form.errors["targets_text"])
    campaign.places.set([stall])
    order = _issue(campaign, shi, [], [*campaign.targets.all(), stall])
    check = Inspection.objects.get(order=order, place=stall)
    assert check.enterprise is None and check.target == stall
    assert check.jurisdiction == district and check.location == stall.address
    page = client_for(shi).get(f"/enforcement/campaigns/{campaign.pk}/cases/?of=checks")
    assert "龙城大街烧烤摊" in page.content.decode()
    facts = dict(record_document(check).facts)
    assert facts["被检查点位"] == "龙城大街烧烤摊（餐饮）" and facts["责任主体"] == "个体经营者"


def test_the_campaign_ranks_its_units_on_its_own_cases(
    campaign: Campaign, shi: Any, town: Unit, handler: Any
) -> None:
    from enforcement.campaigns.views import campaign_ranking

    campaign.units.add(town)
    order = _issue(campaign, shi, [town], [])
    task = SupervisionItem.objects.get(order=order)
    transition_case(task, "sign", actor=handler, now=timezone.now())
    rows = campaign_ranking(campaign, timezone.now())
    assert [(row["name"], row["rank"]) for row in rows] == [("北格镇", 1)]
    page = client_for(shi).get(f"/enforcement/campaigns/{campaign.pk}/").content.decode()
    assert "本行动排名" in page
