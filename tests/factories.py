"""Factories for the test suite: units, staff with roles, cases opened through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enforcement.models import SupervisionItem
from workflow.models import Staff, Unit, UnitKind
from workflow.roles import Role
from workflow.transitions import open_case

TZ = dt.timezone(dt.timedelta(hours=8))
#: A Monday in a confirmed calendar year, 09:00 Beijing time.
MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda o: f"单位{o.code}")
    short_name = factory.LazyAttribute(lambda o: o.name[:4])
    kind = UnitKind.SECTION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("pw-for-tests-1")


def make_staff(username: str, unit: Unit, *roles: Role, name: str = "") -> Any:
    user = UserFactory(username=username, first_name=name or username)
    Staff.objects.update_or_create(user=user, defaults={"unit": unit})
    for role in roles:
        # get_or_create: transactional tests flush the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def open_item(
    *, actor: Any, jurisdiction: Unit, now: dt.datetime = MONDAY, title: str = "河道排污口整治"
) -> SupervisionItem:
    case = open_case(SupervisionItem, actor=actor, jurisdiction=jurisdiction, title=title, now=now)
    assert isinstance(case, SupervisionItem)
    return case


def assign_to(
    case: Any, *, dispatcher: Any, unit: Unit, period: int = 10, now: dt.datetime = MONDAY
) -> Any:
    """交办 through the engine: the case goes to `unit` with `period` working days."""
    from workflow.transitions import transition_case

    return transition_case(
        case,
        "assign",
        actor=dispatcher,
        payload={"responsible_unit": unit.pk, "rectify_period": period},
        now=now,
    )


def reload(case: Any) -> Any:
    """A fresh copy of the case as its subtype (what the next request would read)."""
    from workflow.models import Case

    return Case.objects.get(pk=case.pk).specific


def file_complaint(
    *,
    jurisdiction: Unit,
    now: dt.datetime = MONDAY,
    name: str = "",
    phone: str = "",
    email: str = "",
    files: Any = (),
    **fields: Any,
) -> Any:
    """A complaint filed by the public (anonymous unless a name or contact is given)."""
    from enforcement.complaints.identity import Identity
    from enforcement.complaints.services import Submission, submit

    anonymous = not (name or phone or email)
    data = {
        "category": "air",
        "description": "夜间排放黑烟，气味刺鼻",
        "location": "小店区北格镇工业园",
        "target_name": "太原某某化工有限公司",
        "anonymous": anonymous,
        **fields,
    }
    submission = Submission(jurisdiction=jurisdiction, **data)
    return submit(submission, Identity(name=name, phone=phone, email=email), files=files, now=now)


def accept_complaint(
    complaint: Any, *, intake: Any, track: str = "petition", now: dt.datetime = MONDAY
) -> Any:
    from workflow.transitions import transition_case

    return transition_case(complaint, "accept", actor=intake, payload={"track": track}, now=now)


def deliver_all(now: dt.datetime) -> None:
    """What the workers do after commit (which a test's open transaction never reaches): tell
    whoever each event concerns, then send the e-mail and SMS rows due by `now`."""
    from workflow import delivery, notifications

    notifications.deliver_pending(now=now, older_than=dt.timedelta(0), batch=10_000)
    delivery.deliver_due(now, batch_size=10_000)
