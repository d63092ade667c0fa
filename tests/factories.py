"""Factories for the test suite: units, staff with roles, cases opened through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def later(days: float = 0, hours: float = 0, *, start: dt.datetime = MONDAY) -> dt.datetime:
    """`days` and `hours` after `start` (by default MONDAY, 09:00)."""
    return start + dt.timedelta(days=days, hours=hours)


def client_for(user: Any) -> Any:
    """A test client logged in as `user` (the model backend: no password round trip)."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


#: The reply a handler drafts with 反馈: every part a petition's 处理意见书 needs.
REPLY = {
    "reply_request": "要求停止夜间排放黑烟",
    "reply_facts": "经现场核查，该企业锅炉除尘设施故障",
    "reply_opinion": "已责令企业停产检修除尘设施，现已恢复正常运行",
    "reply_basis": "《大气污染防治法》第九十九条",
    "reply_outcome": "support",
}

#: The staff steps from 受理 to the signed reply, each with the state it leaves the complaint in:
#: 受理, 交办, 签收, 反馈 (the reply draft), 开始核查, 核查通过, 审核签发答复.
REPLY_STEPS = (
    ("accept", "pending_assignment"),
    ("assign", "assigned"),
    ("sign", "rectifying"),
    ("report", "reported"),
    ("start_verification", "verifying"),
    ("pass_verification", "pending_closure"),
    ("approve_closure", "replied"),
)

#: When each of REPLY_STEPS happens, after `start`: within the first day, then days 1 and 5-8.
REPLY_TIMES = (
    dt.timedelta(hours=1),
    dt.timedelta(hours=2),
    dt.timedelta(days=1),
    dt.timedelta(days=5),
    dt.timedelta(days=6),
    dt.timedelta(days=7),
    dt.timedelta(days=8),
)


def reply_to_complaint(
    complaint: Any,
    *,
    intake: Any = None,
    dispatcher: Any = None,
    handler: Any = None,
    verifier: Any = None,
    supervisor: Any = None,
    unit: Any = None,
    track: str = "petition",
    start: dt.datetime = MONDAY,
    at: Sequence[dt.datetime] | None = None,
    period: int = 10,
    reply: dict[str, str] | None = None,
    report_note: str = "",
    verification_note: str = "现场核查属实，已整改",
    stop_at: str | None = None,
) -> Any:
    """Staff take the complaint on from where it stands through 受理 → 交办 → 签收 → 反馈 → 核查 →
    审核签发答复 and stop once it reaches the state `stop_at` (by default: replied). The steps it
    runs happen at `at`, one time a step; by default at REPLY_TIMES after `start`. Only the
    people of the steps it runs are needed."""
    from workflow.transitions import transition_case

    complaint = reload(complaint)
    states = [state for _, state in REPLY_STEPS]
    begin = 0 if complaint.state == "registered" else states.index(complaint.state) + 1
    end = len(states) if stop_at is None else states.index(stop_at) + 1
    steps = [name for name, _ in REPLY_STEPS[begin:end]]
    times = list(at) if at is not None else [start + offset for offset in REPLY_TIMES[begin:end]]
    if len(times) != len(steps):
        raise ValueError(f"{len(steps)} steps ({', '.join(steps)}) need as many times")
    for name, now in zip(steps, times, strict=True):
        kwargs: dict[str, Any] = {}
        if name == "accept":
            actor, kwargs["payload"] = intake, {"track": track}
        elif name == "assign":
            actor = dispatcher
            kwargs["payload"] = {"responsible_unit": unit.pk, "rectify_period": period}
        elif name == "sign":
            actor = handler
        elif name == "report":
            actor, kwargs["payload"] = handler, REPLY if reply is None else reply
            if report_note:
                kwargs["note"] = report_note
        elif name == "start_verification":
            actor = verifier
        elif name == "pass_verification":
            actor, kwargs["note"] = verifier, verification_note
        else:
            actor = supervisor
        transition_case(reload(complaint), name, actor=actor, now=now, **kwargs)
    return reload(complaint)


def assigned_complaint(
    *,
    jurisdiction: Unit,
    intake: Any,
    dispatcher: Any,
    unit: Any,
    track: str = "petition",
    start: dt.datetime = MONDAY,
    **fields: Any,
) -> Any:
    """A complaint filed at `start`, accepted an hour later and assigned to `unit` after two."""
    complaint = file_complaint(jurisdiction=jurisdiction, now=start, **fields)
    return reply_to_complaint(
        complaint,
        intake=intake,
        dispatcher=dispatcher,
        unit=unit,
        track=track,
        start=start,
        stop_at="assigned",
    )


def extend(complaint: Any, *, by: Any, days: int, now: dt.datetime, note: str = "情况复杂") -> Any:
    """延期: `by` extends the statutory 办结期限 by `days` days."""
    from workflow.transitions import transition_case

    return transition_case(
        reload(complaint),
        "extend_handling",
        actor=by,
        payload={"days": days},
        note=note,
        now=now,
    )
