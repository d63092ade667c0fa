"""Open311 GeoReport v2: a client lists services, files a report, turns its token into an id and
follows the request, which shows only what the public may know."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client

from enforcement.complaints.identity import reveal
from enforcement.complaints.progress import public_progress
from enforcement.models import Complaint, ComplaintCategory, IntakeChannel
from tests.factories import (
    MONDAY,
    accept_complaint,
    file_complaint,
    later,
    reload,
    reply_to_complaint,
)
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"


def post(client: Client, data: dict[str, str], fmt: str = "json", **extra: Any) -> Any:
    from urllib.parse import urlencode

    return client.post(f"{BASE}/requests.{fmt}", urlencode(data), content_type=FORM, **extra)


def report(**overrides: str) -> dict[str, str]:
    return {
        "service_code": "water",
        "lat": "37.802100",
        "long": "112.551200",
        "description": "河道里有一个暗管一直排黑水，气味很臭",
        **overrides,
    }


def test_a_georeport_client_files_a_report_and_follows_it_to_closure(
    city: Any, district: Any, intake: Any, people: dict[str, Any]
) -> None:
    client = Client()
    with time_machine.travel(MONDAY, tick=False):
        # given: the client lists the services
        services = client.get(f"{BASE}/services.json")
        assert services.status_code == 200
        assert services["Content-Type"] == "application/json; charset=utf-8"
        by_code = {s["service_code"]: s for s in services.json()}
        assert list(by_code) == list(ComplaintCategory.values)
        water = by_code["water"]
        assert water["service_name"] == "水" and water["group"] == "生态环境"
        assert water["type"] == "batch" and water["metadata"] is True
        assert "media_url" in water["description"]

        # when: it posts a form-encoded report with coordinates and a description
        created = post(
            client,
            report(
                address_string="小店区北格镇南畔村东河道",
                last_name="张",
                first_name="三",
                phone="13912345678",
                email="zhang@example.com",
                media_url="http://example.com/photo.jpg",
                api_key="anything",
                device_id="abc",
                **{"attribute[jurisdiction]": "XD"},
            ),
        )
    assert created.status_code == 201, created.content.decode()
    [answer] = created.json()
    token = answer["token"]
    assert set(answer) == {"token", "service_notice"}  # the spec: a token, or an id, never both
    complaint = Complaint.objects.get()
    assert token == complaint.tracking_code
    assert complaint.channel == IntakeChannel.OPEN311
    assert complaint.category == "water" and complaint.location == "小店区北格镇南畔村东河道"
    assert str(complaint.latitude) == "37.802100" and not complaint.anonymous
    assert reveal(complaint, actor=intake, reason="核实", now=later()).name == "张三"

    # then: the token gives the public case number, which gives the request
    [pair] = client.get(f"{BASE}/tokens/{token}.json").json()
    assert pair == {"service_request_id": complaint.case_no, "token": token}
    request_url = f"{BASE}/requests/{quote(complaint.case_no)}.json"
    [request] = client.get(request_url).json()
    assert request["status"] == "open"
    assert request["status_notes"] == "已收到，待受理"
    assert request["service_code"] == "water" and request["agency_responsible"] == "小店分局"
    assert request["requested_datetime"] == "2026-06-01T09:00:00+08:00"

    # when staff accept it, it is open with the statutory due date; when they close it, closed
    accept_complaint(reload(complaint), intake=intake, now=later(hours=1))
    [request] = client.get(request_url).json()
    assert request["status"] == "open" and request["status_notes"] == "已受理，正在交办"
    assert request["expected_datetime"] == "2026-07-31T23:59:59+08:00"

    # 交办 → 签收 → 反馈 → 核查 → 签发答复 → the reporter rates it: closed.
    reply_to_complaint(
        complaint,
        **people,
        at=[later(hours=2), *(later(days=day) for day in (1, 3, 4, 4, 5))],
    )
    transition_case(
        reload(complaint), "rate", actor=None, payload={"rating": "satisfied"}, now=later(days=6)
    )
    [request] = client.get(request_url).json()
    assert request["status"] == "closed" and request["status_notes"] == "已办结"
    assert request["updated_datetime"] == "2026-06-07T09:00:00+08:00"  # when it was closed
    assert request["expected_datetime"] is None


def test_the_xml_variants_follow_the_spec_shapes(city: Any, district: Any) -> None:
    client = Client()
    with time_machine.travel(MONDAY, tick=False):
        services = client.get(f"{BASE}/services.xml")
        assert services["Content-Type"] == "text/xml; charset=utf-8"
        assert services.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        root = ET.fromstring(services.content)
        assert root.tag == "services"
        assert [s.findtext("service_code") for s in root] == list(ComplaintCategory.values)
        assert root[0].findtext("metadata") == "true"

        definition = ET.fromstring(client.get(f"{BASE}/services/noise.xml").content)
        assert definition.tag == "service_definition"
        assert definition.findtext("service_code") == "noise"
        codes = [a.findtext("code") for a in definition.iterfind("attributes/attribute")]
        assert "target_name" in codes and "wants_reward" in codes
        bureaus = definition.find("attributes/attribute[code='jurisdiction']/values")
        assert bureaus is not None and {v.findtext("key") for v in bureaus} >= {"TY", "XD"}

        created = post(client, report(), fmt="xml")
    assert created.status_code == 201
    token = ET.fromstring(created.content).findtext("request/token")
    assert token == Complaint.objects.get().tracking_code
    pair = ET.fromstring(client.get(f"{BASE}/tokens/{token}.xml").content)
    assert pair.tag == "service_requests"
    case_no = pair.findtext("request/service_request_id")
    request = ET.fromstring(client.get(f"{BASE}/requests/{quote(str(case_no))}.xml").content)
    assert request.findtext("request/status") == "open"

    missing = client.get(f"{BASE}/requests/nope.xml")
    assert missing.status_code == 404
    error = ET.fromstring(missing.content)
    assert error.tag == "errors" and error.findtext("error/code") == "404"
    assert error.findtext("error/description")


def test_the_json_service_definition_lists_optional_attributes(city: Any, district: Any) -> None:
    body = Client().get(f"{BASE}/services/air.json").json()
    assert body["service_code"] == "air"
    attributes = {a["code"]: a for a in body["attributes"]}
    assert all(a["required"] is False and a["variable"] is True for a in attributes.values())
    assert [a["order"] for a in body["attributes"]] == list(range(1, len(attributes) + 1))
    assert attributes["ongoing"]["values"] == [
        {"key": "true", "name": "是"},
        {"key": "false", "name": "否"},
    ]


def test_an_unknown_service_code_is_not_found_in_the_spec_format(city: Any) -> None:
    client = Client()
    response = client.get(f"{BASE}/services/potholes.json")
    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and "potholes" in error["description"]

    # The spec's POST errors: 404 when the service_code is not found, 400 when not provided.
    response = post(client, report(service_code="potholes"))
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    response = post(client, report(service_code=""))
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "service_code：请提供 service_code。"}]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"lat": "", "long": ""}, "address_string"),
        ({"lat": "", "long": "", "address_id": "545483"}, "address_id"),
        ({"long": ""}, "address_string"),
        ({"description": ""}, "description"),
        ({"description": "太臭了"}, "description"),  # the form's minimum length
        ({"lat": "91", "address_string": "某地"}, "lat"),
        ({"last_name": "王", "email": "not-an-e-mail"}, "email"),
        ({"last_name": "王", "phone": "12345"}, "phone"),
        ({"last_name": "王"}, "phone"),  # real name without any contact
        ({"phone": "13912345678"}, "last_name"),  # a contact without a name
        ({"attribute[wants_reward]": "true"}, "attribute[wants_reward]"),  # anonymous reward
        ({"attribute[target_uscc]": "91140100MA0K000000"}, "attribute[target_uscc]"),
        ({"attribute[jurisdiction]": "nowhere"}, "attribute[jurisdiction]"),
    ],
)
def test_an_invalid_report_gets_the_spec_error_array_and_nothing_is_filed(
    city: Any, district: Any, overrides: dict[str, str], parameter: str
) -> None:
    response = post(Client(), report(**overrides))
    assert response.status_code == 400, response.content.decode()
    errors = response.json()
    assert all(e["code"] == 400 for e in errors)
    assert any(e["description"].startswith(f"{parameter}：") for e in errors), errors
    assert not Complaint.objects.exists()


def test_all_errors_of_a_report_come_back_together(city: Any) -> None:
    response = post(Client(), {"service_code": "air", "email": "bad", "last_name": "王"})
    assert response.status_code == 400
    described = " ".join(e["description"] for e in response.json())
    assert "address_string：" in described and "description：" in described
    assert "email：" in described


def test_attributes_carry_the_reported_unit_and_the_bureau(city: Any, district: Any) -> None:
    with time_machine.travel(MONDAY, tick=False):
        response = post(
            Client(),
            report(
                **{
                    "attribute[target_name]": "太原某洗涤有限公司",
                    "attribute[target_address]": "北格镇工业路8号",
                    "attribute[jurisdiction]": "XD",
                    "attribute[since]": "2026-05-20T00:00:00+08:00",
                    "attribute[ongoing]": "false",
                }
            ),
        )
    assert response.status_code == 201, response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.target_name == "太原某洗涤有限公司"
    assert complaint.jurisdiction == district and complaint.case_no.startswith("小店")
    assert complaint.since == dt.date(2026, 5, 20) and complaint.ongoing is False
    assert complaint.anonymous and complaint.location.startswith("坐标 37.802100")


def test_public_posts_are_throttled_per_client(city: Any, settings: Any) -> None:
    settings.ECOLOOP_PUBLIC_SUBMIT_RATE = "2/hour"
    client = Client()
    with time_machine.travel(MONDAY, tick=False):
        assert post(client, report()).status_code == 201
        assert post(client, report(description="")).status_code == 400  # attempts count too
        throttled = post(client, report())
        other_client = post(client, report(), REMOTE_ADDR="10.0.0.9")
    assert throttled.status_code == 429
    [error] = throttled.json()
    assert error["code"] == 429 and "请" in error["description"]
    assert int(throttled["Retry-After"]) > 0
    assert other_client.status_code == 201
    assert Complaint.objects.count() == 2
    # A client cannot dodge the limit by claiming another address in a header.
    with time_machine.travel(MONDAY, tick=False):
        spoofed = post(client, report(), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert spoofed.status_code == 429
    # Reading is not throttled by the submit rate.
    assert client.get(f"{BASE}/services.json").status_code == 200


def test_token_lookups_are_throttled(city: Any, settings: Any) -> None:
    settings.ECOLOOP_PUBLIC_LOOKUP_RATE = "2/minute"
    client = Client()
    codes = [client.get(f"{BASE}/tokens/0000-0000-0000.json").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_a_post_needs_no_csrf_token_and_ignores_a_session(city: Any, intake: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(intake)
    with time_machine.travel(MONDAY, tick=False):
        response = post(client, report())
    assert response.status_code == 201
    assert Complaint.objects.get().created_by is None  # filed by the public, not by the clerk


def test_the_list_shows_only_public_safe_fields(city: Any, district: Any, intake: Any) -> None:
    # given: a real-name noise complaint about a neighbour, with an address and coordinates
    from decimal import Decimal

    complaint = file_complaint(
        jurisdiction=district,
        category="noise",
        name="李四邻",
        phone="13700001111",
        email="lisi@example.com",
        description="楼下401室每晚敲打到凌晨两点",
        location="迎泽区某某小区3号楼401室",
        target_name="某某小区401室住户",
        target_address="迎泽区某某小区3号楼",
        latitude=Decimal("37.850000"),
        longitude=Decimal("112.560000"),
        now=later(),
    )
    client = Client()
    with time_machine.travel(later(days=1), tick=False):
        listing = client.get(f"{BASE}/requests.json")
        single = client.get(f"{BASE}/requests/{quote(complaint.case_no)}.json")
        xml = client.get(f"{BASE}/requests.xml")
    # then: the request is listed, with nothing that identifies the place, the reporter or the key
    [row] = listing.json()
    assert row == single.json()[0]
    assert set(row) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    }
    for body in (listing.content, single.content, xml.content):
        text = body.decode()
        for secret in (
            "李四邻",
            "13700001111",
            "lisi@example.com",
            "敲打",
            "401",
            "37.85",
            "112.56",
            complaint.tracking_code,
        ):
            assert secret not in text


def test_list_filters_follow_the_spec(city: Any, district: Any, intake: Any) -> None:
    air = file_complaint(jurisdiction=district, category="air", now=later())
    noise = file_complaint(jurisdiction=district, category="noise", now=later(days=1))
    rejected = file_complaint(jurisdiction=district, category="noise", now=later(days=2))
    transition_case(
        rejected,
        "reject",
        actor=intake,
        payload={"reason": "outside", "public_reason": "不属于生态环境部门职责"},
        now=later(days=3),
    )
    old = file_complaint(jurisdiction=district, category="air", now=later(days=-120))
    client = Client()

    def ids(query: str) -> list[str]:
        with time_machine.travel(later(days=5), tick=False):
            response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content.decode()
        return [r["service_request_id"] for r in response.json()]

    # Default: the last 90 days, newest first.
    assert ids("") == [rejected.case_no, noise.case_no, air.case_no]
    assert ids("service_code=noise") == [rejected.case_no, noise.case_no]
    assert ids("service_code=air,noise&status=open") == [noise.case_no, air.case_no]
    assert ids("status=closed") == [rejected.case_no]
    assert ids("status=open,closed") == [rejected.case_no, noise.case_no, air.case_no]
    assert ids("start_date=2026-06-02T00:00:00%2B08:00&end_date=2026-06-02T23:59:59%2B08:00") == [
        noise.case_no
    ]
    assert ids("start_date=2026-06-02") == [rejected.case_no, noise.case_no]
    # service_request_id overrides everything else, even the 90 days.
    assert ids(f"service_request_id={quote(old.case_no)},{quote(air.case_no)}&status=closed") == [
        air.case_no,
        old.case_no,
    ]
    with time_machine.travel(later(days=5), tick=False):
        [row] = client.get(f"{BASE}/requests.json?status=closed").json()
    assert row["status_notes"] == "不予受理"
    assert "职责" not in str(row)  # the explanation is for the reporter's own page


@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "service_code=potholes",
        "start_date=yesterday",
        "start_date=2026-01-01&end_date=2026-06-01",  # more than 90 days
        "start_date=2026-06-01&end_date=2026-05-01",
    ],
)
def test_invalid_list_arguments_get_400(city: Any, query: str) -> None:
    response = Client().get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert all(e["code"] == 400 and e["description"] for e in response.json())


def test_a_merged_complaint_reports_the_progress_of_its_original(
    city: Any, district: Any, intake: Any
) -> None:
    original = file_complaint(jurisdiction=district, now=later())
    accept_complaint(original, intake=intake, now=later(hours=1))
    repeat = file_complaint(jurisdiction=district, now=later(days=1))
    transition_case(
        repeat, "merge", actor=intake, payload={"original": original.case_no}, now=later(days=1)
    )
    client = Client()
    with time_machine.travel(later(days=2), tick=False):
        [one] = client.get(f"{BASE}/requests/{quote(repeat.case_no)}.json").json()
        rows = client.get(f"{BASE}/requests.json").json()
    assert one["service_request_id"] == repeat.case_no
    assert one["status_notes"] == public_progress(reload(repeat), now=later(days=2)).stage_label
    assert one["status_notes"] == "已受理，正在交办"
    assert one in rows  # the list derives the same row as the single request


def test_unknown_ids_and_tokens_are_404_in_the_spec_format(city: Any) -> None:
    client = Client()
    for url in (f"{BASE}/requests/{quote('小店诉〔2026〕9999号')}.json", f"{BASE}/tokens/x.json"):
        response = client.get(url)
        assert response.status_code == 404
        [error] = response.json()
        assert error["code"] == 404 and error["description"]


def test_a_method_the_resource_does_not_have_is_refused_in_the_spec_format(city: Any) -> None:
    response = Client().post(f"{BASE}/services.json", {}, content_type=FORM)
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


def test_a_json_body_is_refused_with_400_because_the_spec_posts_a_form(city: Any) -> None:
    response = Client().post(f"{BASE}/requests.json", report(), content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and error["description"]
    assert not Complaint.objects.exists()


def test_a_report_that_fails_while_filing_gets_400_with_its_field_errors(
    city: Any, monkeypatch: Any
) -> None:
    from enforcement.complaints.open311 import requests as open311
    from workflow.transitions import InvalidTransition

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise InvalidTransition("请检查填写的内容。", errors={"location": ["地点无法识别。"]})

    monkeypatch.setattr(open311, "submit", refuse)
    response = post(Client(), report())
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "address_string：地点无法识别。"}]


def test_service_discovery_points_at_this_endpoint(settings: Any) -> None:
    settings.ECOLOOP_PUBLIC_BASE_URL = "https://hb.example.gov.cn/"
    client = Client()
    body = client.get(f"{BASE}/discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://hb.example.gov.cn/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    xml = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert xml.tag == "discovery"
    assert [f.text for f in xml.iterfind("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


# --- bad input: always a 4xx in the spec's error format ----------------------------------------


def errors_of(response: Any) -> list[str]:
    body = response.json()
    assert isinstance(body, list) and all(set(e) == {"code", "description"} for e in body)
    assert {e["code"] for e in body} == {response.status_code}
    return [e["description"] for e in body]


def test_a_post_without_a_body_is_a_400_in_the_spec_format(city: Any) -> None:
    response = Client().post(f"{BASE}/requests.json")
    assert response.status_code == 400
    assert errors_of(response) == ["service_code：请提供 service_code。"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31T23:00:00+08:00"])
def test_dates_outside_the_calendar_are_a_400(city: Any, day: str) -> None:
    response = Client().get(f"{BASE}/requests.json", {"start_date": day})
    assert response.status_code == 400
    assert errors_of(response) == ["start_date：日期须在 1900 年至 2999 年之间。"]


def test_a_body_over_the_limit_is_a_413_in_the_spec_format(city: Any) -> None:
    response = post(Client(), report(description="很" * 4_000_000))
    assert response.status_code == 413
    assert errors_of(response) == ["请求内容过大，请减少文字或附件后重试。"]


def test_too_many_fields_is_a_400_in_the_spec_format(city: Any) -> None:
    response = post(Client(), report(**{f"attribute[x{n}]": "1" for n in range(1100)}))
    assert response.status_code == 400
    assert errors_of(response) == ["请求包含的字段或文件过多。"]


def test_a_nul_byte_is_named_as_such(city: Any) -> None:
    response = post(Client(), report(description="河道里有暗管排黑水\x00气味很臭"))
    assert response.status_code == 400
    assert errors_of(response) == ["description：不能包含空字符（\\x00）。"]


def test_a_latitude_out_of_range_is_reported_as_such(city: Any) -> None:
    response = post(Client(), report(lat="-91"))
    assert response.status_code == 400
    assert errors_of(response) == ["lat：纬度须在 -90 到 90 之间。"]
