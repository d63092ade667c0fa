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
