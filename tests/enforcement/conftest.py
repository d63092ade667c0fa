"""Fixtures of the field work: a district's 执法大队, two inspectors with 执法证, a 法制审核员
and an enterprise."""

from __future__ import annotations

from typing import Any

import pytest

from enforcement.models import Enterprise
from tests.enforcement.field import make_enterprise, make_inspector
from tests.factories import UnitFactory, make_staff
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
