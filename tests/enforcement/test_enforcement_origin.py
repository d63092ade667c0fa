"""An enforcement case started by a complaint is linked to it both ways, and the 执法大队's
inspectors see their bureau's complaints to do so (`Unit.reach`)."""

from __future__ import annotations

from typing import Any

import pytest

from enforcement.models import Complaint
from tests.enforcement.field import open_clue
from tests.factories import MONDAY, file_complaint
from workflow.models import Case, CaseLink
from workflow.models.case import LinkKind
from workflow.relations import link_cases

pytestmark = pytest.mark.django_db


def test_a_team_inspector_sees_the_bureaus_cases_and_nobody_elses(
    district: Any, other_district: Any, team: Any, inspector: Any
) -> None:
    here = file_complaint(jurisdiction=district, category="water", location="北格镇")
    there = file_complaint(jurisdiction=other_district, category="water", location="柳巷")
    visible = set(Case.objects.visible_to(inspector).values_list("pk", flat=True))
    assert here.pk in visible and there.pk not in visible
    assert team.reach() == district and district.reach() == district


def test_a_case_opened_from_a_complaint_is_linked_on_both_timelines(
    district: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    complaint = file_complaint(jurisdiction=district, category="water", location="北格镇")
    case = open_clue(inspector, inspector2, factory_site, source_complaint=complaint)
    assert case.source_complaint_id == complaint.pk
    assert CaseLink.objects.filter(
        from_case=case, to_case=complaint, kind=LinkKind.SPAWNED_FROM
    ).exists()
    assert Complaint.objects.get(pk=complaint.pk).enforcement_cases.get() == case
    for end in (case, complaint):
        assert end.events.filter(transition="link").exists()


def test_an_enforcement_case_and_a_damage_clue_link_both_ways(
    district: Any, inspector: Any, inspector2: Any, factory_site: Any, dispatcher: Any
) -> None:
    """一案双查: the link is a `CaseLink` of kind double_investigation, listed from either end
    (the damage-compensation case type itself comes with its own issue)."""
    from tests.factories import open_item

    case = open_clue(inspector, inspector2, factory_site)
    clue = open_item(actor=dispatcher, jurisdiction=district, title="生态环境损害赔偿线索")
    link_cases(case, clue, kind=LinkKind.DOUBLE_INVESTIGATION, actor=inspector, now=MONDAY)
    assert case.links_out.get().to_case_id == clue.pk
    assert clue.links_in.get().from_case_id == case.pk
