"""The demo registry of 排污单位: imported through the importer, across tiers and districts,
and matched to the demo complaints that name them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.validators import validate_uscc
from seeds.complaint_story import HENGDA_USCC
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_registers_a_dozen_enterprises_of_every_tier_in_several_districts(demo):
    # The campaign's construction sites are on the register of places, not here.
    assert Enterprise.objects.count() == demo.enterprises == 12
    enterprises = list(Enterprise.objects.select_related("jurisdiction"))
    assert {e.tier for e in enterprises} == set(SupervisionTier.values)
    assert len({e.jurisdiction.code for e in enterprises}) >= 5
    for enterprise in enterprises:
        validate_uscc(enterprise.uscc)
        assert enterprise.name_key


def test_a_demo_enterprise_lists_the_demo_complaints_about_it(demo):
    hengda = Enterprise.objects.get(uscc=HENGDA_USCC)
    dispatcher = get_user_model().objects.get(username="dispatcher")
    page = client_for(dispatcher).get(reverse("enforcement:enterprise_detail", args=[hengda.pk]))
    assert page.status_code == 200
    # Three complaints name 恒达化工: two by its credit code, one by its name only (the page
    # also lists the demo's inspections, cases and orders about it).
    assert len(set(re.findall(r"小店诉〔\d{4}〕\d{4}号", page.content.decode()))) == 3
