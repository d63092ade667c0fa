"""关联案件: link two cases by number (一案双查 and the like); both case pages show the link."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import open_item
from workflow.models import CaseLink
from workflow.models.case import LinkKind

pytestmark = pytest.mark.django_db


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_cases_are_linked_by_number_and_each_page_shows_the_other(
    district: Any, dispatcher: Any
) -> None:
    # given two cases of the district (the damage-compensation type comes later: any two do)
    first = open_item(actor=dispatcher, jurisdiction=district, title="超标排放")
    second = open_item(actor=dispatcher, jurisdiction=district, title="生态环境损害赔偿线索")
    client = client_as(dispatcher)

    # when the dispatcher links them as 一案双查
    response = client.post(
        reverse("console:case_links", args=[first.pk]),
        {"other": second.case_no, "kind": LinkKind.DOUBLE_INVESTIGATION, "note": "同一违法行为"},
    )

    # then the link is recorded once and both pages list it with its kind
    assert response.status_code == 302
    assert response["Location"] == reverse("console:case_detail", args=[first.pk])
    link = CaseLink.objects.get()
    assert (link.from_case_id, link.to_case_id) == (first.pk, second.pk)
    for case, other in ((first, second), (second, first)):
        page = client.get(reverse("console:case_detail", args=[case.pk])).content.decode()
        assert "一案双查" in page
        assert other.case_no in page
        assert reverse("console:case_links", args=[case.pk]) in page


def test_an_unknown_or_invisible_number_is_refused_and_nothing_is_linked(
    district: Any, other_district: Any, dispatcher: Any, outsider: Any
) -> None:
    mine = open_item(actor=dispatcher, jurisdiction=district)
    theirs = open_item(actor=outsider, jurisdiction=other_district)
    client = client_as(dispatcher)
    url = reverse("console:case_links", args=[mine.pk])

    for number in ("不存在-1", theirs.case_no):
        response = client.post(url, {"other": number, "kind": LinkKind.RELATED})
        assert response.status_code == 400
        assert "未找到该编号的案件，或您无权查看。" in response.content.decode()
    response = client.post(url, {"other": mine.case_no, "kind": LinkKind.RELATED})
    assert response.status_code == 400
    assert "案件不能与自身关联。" in response.content.decode()
    assert not CaseLink.objects.exists()


def test_the_same_link_twice_is_a_400(district: Any, dispatcher: Any) -> None:
    first = open_item(actor=dispatcher, jurisdiction=district)
    second = open_item(actor=dispatcher, jurisdiction=district)
    client = client_as(dispatcher)
    url = reverse("console:case_links", args=[first.pk])
    data = {"other": second.case_no, "kind": LinkKind.RELATED}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "这两个案件已经以此方式关联。" in again.content.decode()
    assert CaseLink.objects.count() == 1


def test_an_outsider_cannot_reach_the_link_form(
    district: Any, dispatcher: Any, outsider: Any
) -> None:
    case = open_item(actor=dispatcher, jurisdiction=district)
    assert client_as(outsider).get(reverse("console:case_links", args=[case.pk])).status_code == 404
