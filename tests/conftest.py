"""Personas of the closed loop (healthchecks' alice/bob/charlie), in a small city.

市局 (TY) ─┬─ 小店分局 (XD) ─┬─ 小店执法大队 (XD-TEAM)
           │                 └─ 北格镇 (XD-BG, a town: the responsible unit)
           └─ 迎泽分局 (YZ)     (the outsider's district)
"""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from PIL import Image

from tests.factories import UnitFactory, make_staff
from workflow.models import Unit, UnitKind
from workflow.roles import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores what the migrations seeded (content types, groups,
    the calendar) when it ends. Without `serialized_rollback` its flush is followed by
    post_migrate, which recreates content types under new ids, and the next serialized test's
    restore then fails on their unique key: a suite that passes only in one order."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Rate limits, CAPTCHA state and a helper service's outage never leak from one test into
    the next."""
    from django.core.cache import cache

    from enforcement.complaints import ratelimit
    from workflow import outbox

    cache.clear()
    ratelimit.reset_local()
    outbox.broker.reset()
    yield
    cache.clear()
    ratelimit.reset_local()
    outbox.broker.reset()


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Any:
    from workflow import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Any:
    from workflow import calendar

    calendar.data.invalidate()
    yield
    calendar.data.invalidate()


@pytest.fixture
def city(db: Any) -> Unit:
    return UnitFactory(
        code="TY",
        name="太原市生态环境局",
        short_name="市局",
        kind=UnitKind.CITY_BUREAU,
        case_prefix="并",
    )


@pytest.fixture
def district(city: Unit) -> Unit:
    return UnitFactory(
        code="XD",
        name="小店分局",
        short_name="小店",
        kind=UnitKind.BRANCH,
        parent=city,
        case_prefix="小店",
    )


@pytest.fixture
def other_district(city: Unit) -> Unit:
    return UnitFactory(
        code="YZ",
        name="迎泽分局",
        short_name="迎泽",
        kind=UnitKind.BRANCH,
        parent=city,
        case_prefix="迎泽",
    )


@pytest.fixture
def town(district: Unit) -> Unit:
    return UnitFactory(code="XD-BG", name="北格镇", kind=UnitKind.TOWN, parent=district)


@pytest.fixture
def intake(district: Unit) -> Any:
    return make_staff("intake", district, Role.INTAKE, name="受理员")


@pytest.fixture
def dispatcher(district: Unit) -> Any:
    return make_staff("dispatcher", district, Role.DISPATCHER, name="调度员")


@pytest.fixture
def handler(town: Unit) -> Any:
    return make_staff("handler", town, Role.HANDLER, name="承办人")


@pytest.fixture
def verifier(district: Unit) -> Any:
    return make_staff("verifier", district, Role.VERIFIER, name="核查员")


@pytest.fixture
def supervisor(district: Unit) -> Any:
    return make_staff("supervisor", district, Role.SUPERVISOR, name="科长")


@pytest.fixture
def leader(city: Unit) -> Any:
    return make_staff("leader", city, Role.LEADER, Role.SUPERVISOR, name="局领导")


@pytest.fixture
def outsider(other_district: Unit) -> Any:
    """A supervisor, verifier and dispatcher — of another district."""
    return make_staff(
        "outsider",
        other_district,
        Role.DISPATCHER,
        Role.VERIFIER,
        Role.SUPERVISOR,
        name="外区人员",
    )


def photo_bytes(*, with_gps: bool = False) -> bytes:
    image = Image.new("RGB", (64, 48), (30, 120, 60))
    out = io.BytesIO()
    if with_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "N", 2: (37.0, 51.0, 0.0)}  # GPS IFD
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def photo() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("整改照片.jpg", photo_bytes(), content_type="image/jpeg")


@pytest.fixture
def people(
    town: Unit, intake: Any, dispatcher: Any, handler: Any, verifier: Any, supervisor: Any
) -> dict[str, Any]:
    """Everyone `reply_to_complaint` needs, by its keyword names (the unit is the town)."""
    return {
        "intake": intake,
        "dispatcher": dispatcher,
        "handler": handler,
        "verifier": verifier,
        "supervisor": supervisor,
        "unit": town,
    }
