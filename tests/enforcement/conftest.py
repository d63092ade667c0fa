"""Fixtures of the field work: a district's 执法大队, two inspectors with 执法证, a 法制审核员
and an enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from enforcement.models import (
    AcceptanceTier,
    Enterprise,
    InspectionRound,
    RectificationProblem,
    RoundLevel,
)
from tests.enforcement.field import make_enterprise, make_inspector
from tests.factories import MONDAY, UnitFactory, make_staff
from workflow.models import Unit, UnitKind
from workflow.roles import Role


@pytest.fixture
def team(district: Unit) -> Unit:
    return UnitFactory(code="XD-TEAM", name="小店执法大队", kind=UnitKind.TEAM, parent=district)


@pytest.fixture
def inspector(team: Unit) -> Any:
    return make_inspector("inspector", team, "14010001")


@pytest.fixture
def inspector2(team: Unit) -> Any:
    return make_inspector("inspector2", team, "14010002")


@pytest.fixture
def legal(city: Unit) -> Any:
    return make_staff("legal", city, Role.LEGAL_REVIEWER, name="法制审核员")


@pytest.fixture
def factory_site(district: Unit) -> Enterprise:
    return make_enterprise(district)


# --- 督察整改: a round with its office, a problem, the units and people of its tasks ----------


@pytest.fixture
def round_(city: Unit, district: Unit) -> InspectionRound:
    office = UnitFactory(code="TY-DCB", name="市督察整改办", kind=UnitKind.SECTION, parent=city)
    return InspectionRound.objects.create(
        level=RoundLevel.CENTRAL,
        name="第三轮第二批中央生态环境保护督察",
        region=city,
        lead_office=office,
        stationed_from=dt.date(2026, 4, 1),
        feedback_on=dt.date(2026, 5, 20),
        created_at=MONDAY,
    )


@pytest.fixture
def problem(round_: InspectionRound) -> RectificationProblem:
    return RectificationProblem.objects.create(
        round=round_,
        number=1,
        text="城乡结合部建筑垃圾乱堆乱倒问题突出，部分河道沿岸堆存未清理。",
        tier=AcceptanceTier.CITY,
        created_at=MONDAY,
    )


@pytest.fixture
def office(city: Unit) -> Any:
    return make_staff("ducha", city, Role.DISPATCHER, Role.VERIFIER, name="整改办")


@pytest.fixture
def dept(district: Unit) -> Unit:
    return UnitFactory(
        code="XD-ZJJ", name="小店区住建局", kind=UnitKind.DEPARTMENT, parent=district
    )


@pytest.fixture
def task_people(district: Unit, town: Unit, dept: Unit) -> dict[str, Any]:
    return {
        "lead": make_staff("xd_handler", district, Role.HANDLER, name="分局承办人"),
        "town": make_staff("town_handler", town, Role.HANDLER, name="镇承办人"),
        "dept": make_staff("dept_handler", dept, Role.HANDLER, name="住建承办人"),
    }
