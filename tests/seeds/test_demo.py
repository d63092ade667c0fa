"""The demo city a newcomer logs into: every loop state, both sides of a district boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from seeds.demo import seed_demo
from tests.seeds.conftest import NOW
from workflow.chain import verify_chain
from workflow.models import Case, CaseEvent, CaseState, Unit

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_demo_has_a_case_in_every_state_of_the_loop(demo):
    assert demo.created
    supervision = Case.objects.filter(kind="supervision")
    assert set(supervision.values_list("state", flat=True)) == set(CaseState.values)
    assert Case.objects.count() == demo.cases == sum(demo.states.values())
    assert supervision.count() == demo.supervision_items


def test_some_demo_cases_are_overdue_and_one_waits_for_an_extension_decision(demo):
    overdue = Case.objects.overdue(NOW)
    assert {case.state for case in overdue} >= {
        CaseState.PENDING_ASSIGNMENT,
        CaseState.ASSIGNED,
        CaseState.RECTIFYING,
        CaseState.PENDING_CLOSURE,
    }
    assert Case.objects.open().filter(due_at__gte=NOW).exists()
    waiting = Case.objects.filter(pending_extension_days__isnull=False)
    assert waiting.count() == 1
    assert waiting.get().state == CaseState.RECTIFYING


def test_demo_cases_were_built_through_the_write_path_in_the_past(demo):
    for case in Case.objects.all():
        events = list(case.events.order_by("seq"))
        assert events[0].transition == "open"
        assert events[-1].to_state == case.state
        assert all(event.created_at < NOW for event in events)
        assert verify_chain(case).ok
    assert CaseEvent.objects.filter(transition="request_extension").exists()
    assert CaseEvent.objects.filter(transition="fail_verification").exists()


def test_case_numbers_follow_the_order_the_cases_were_opened(demo):
    for prefix in ("小店督", "迎泽督", "小店诉", "迎泽诉", "小店督察", "迎泽督察"):
        # A batch is imported at one moment: its items are numbered in their rows' order (pk).
        cases = Case.objects.filter(case_no__startswith=f"{prefix}〔").order_by("created_at", "pk")
        numbers = [case.case_no for case in cases]
        assert numbers == sorted(numbers)
        assert numbers[0] == f"{prefix}〔2026〕0001号"


def test_the_city_tree_has_every_district_with_a_team_and_external_units(demo):
    city = Unit.objects.get(code="TY")
    assert (city.name, city.case_prefix) == ("太原市生态环境局", "并")
    bureaus = Unit.objects.filter(parent=city).regions()
    assert {unit.short_name for unit in bureaus} == {
        "小店",
        "杏花岭",
        "迎泽",
        "尖草坪",
        "万柏林",
        "晋源",
        "清徐",
        "阳曲",
        "娄烦",
        "古交",
    }
    for bureau in bureaus:
        kinds = set(bureau.children.values_list("kind", flat=True))
        assert "team" in kinds
        assert kinds & {"town", "department"}
        assert bureau.case_prefix == bureau.short_name
    assert set(
        city.children.exclude(kind__in=["branch", "county_bureau"]).values_list("name", flat=True)
    ) == {"监察办", "综合行政执法队", "法制科", "市督察整改办"}


def test_every_demo_login_works_with_the_demo_password(demo, settings):
    for person in demo.logins:
        account = user(person.username)
        assert account.is_active
        assert account.check_password(settings.ECOLOOP_DEMO_PASSWORD)
    admin = user("admin")
    assert admin.is_superuser and admin.groups.filter(name="admin").exists()


def test_each_district_sees_its_own_cases_and_the_city_sees_all(demo):
    # A district sees its own cases and the city's assigned to its units (a 督察 task led by a
    # town of the district).
    xiaodian = Case.objects.filter(
        Q(jurisdiction__code="XD") | Q(responsible_unit__path__startswith="TY/XD/")
    )
    yingze = Case.objects.filter(
        Q(jurisdiction__code="YZ") | Q(responsible_unit__path__startswith="TY/YZ/")
    )
    assert xiaodian.filter(jurisdiction__code="XD").exists() and yingze.exists()

    assert set(Case.objects.visible_to(user("dispatcher"))) == set(xiaodian)
    assert set(Case.objects.visible_to(user("yz_dispatcher"))) == set(yingze)
    assert Case.objects.visible_to(user("leader")).count() == Case.objects.count()
    handler_sees = Case.objects.visible_to(user("handler"))
    assert handler_sees.exists()
    assert not handler_sees.filter(jurisdiction__code="YZ").exists()


def test_each_role_of_the_loop_has_something_waiting_in_the_demo(demo):
    for username in ("dispatcher", "handler", "verifier", "supervisor", "yz_dispatcher"):
        assert Case.objects.awaiting(user(username)).exists(), username


def test_seeding_again_changes_nothing(demo):
    # given the seeded demo
    before = row_counts()
    # when it is seeded again, later
    again = seed_demo(now=NOW + dt.timedelta(days=30))
    # then nothing was written, and the result describes what is there
    assert not again.created
    assert row_counts() == before
    assert (again.cases, again.units) == (demo.cases, demo.units)
    assert again.enterprises == demo.enterprises == 12
    assert again.states == demo.states
