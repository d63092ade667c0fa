"""The demo city's public complaints (信访 / 投诉举报), one or more in every complaint state.

Each complaint is filed through `enforcement.complaints.services.submit` and moved only by
`transition_case`, like a reporter's or a clerk's action would, at moments before the seed's `now`.
The steps of all the complaints run in one time order, so numbers follow the order of receipt and
a merge climbs its original's ladder at the moment it happened, between the original's own steps.

The stories are written with seeds/complaint_story.py, in two lists told in this order:
seeds/complaints_at_intake.py (the intake's triage) and seeds/complaints_in_loop.py (accepted).
Reporters are obviously fictitious (某某, 138000000xx, example.org).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.complaints.identity import Identity
from enforcement.complaints.services import Submission, submit, tracking_url
from enforcement.models import Complaint, ComplaintState
from seeds.complaint_story import ComplaintStory
from seeds.complaints_at_intake import AT_INTAKE
from seeds.complaints_in_loop import IN_LOOP
from seeds.stories import Step
from workflow.case_types import registry
from workflow.models import Unit
from workflow.transitions import transition_case

#: Every demo complaint, in the order they are told (their index breaks ties between moments).
COMPLAINTS: tuple[ComplaintStory, ...] = (*AT_INTAKE, *IN_LOOP)


class ComplaintSeedError(Exception):
    """A complaint did not end where its story says."""


# --- telling the complaints ---------------------------------------------------------------------


def seed_complaints(
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    now: dt.datetime,
    moment: Any,
    photo: Any,
) -> list[Complaint]:
    """File and move the demo complaints, every step of every story in one time order."""
    filed: dict[str, Complaint] = {}
    agenda: list[tuple[dt.datetime, int, ComplaintStory, int]] = []
    for order, story in enumerate(COMPLAINTS):
        agenda.append((moment(now, story.received), order, story, 0))
        previous = agenda[-1][0]
        for number, step in enumerate(story.steps, start=1):
            at = moment(now, step.at)
            if at <= previous:
                raise ComplaintSeedError(f"{story.key}: step {number} goes back in time")
            agenda.append((at, order, story, number))
            previous = at
    for at, _order, story, number in sorted(agenda, key=lambda item: (item[0], item[1], item[3])):
        if number == 0:
            filed[story.key] = _file(story, units=units, users=users, at=at)
            continue
        step = story.steps[number - 1]
        complaint = filed[story.key]
        transition_case(
            complaint,
            step.transition,
            actor=users[step.actor] if step.actor else None,
            note=step.note,
            payload=_payload(step, units=units, filed=filed),
            files=[photo(f"{story.key}-{number}")] if step.photo else [],
            now=at,
        )
        complaint.refresh_from_db()
    for story in COMPLAINTS:
        complaint = filed[story.key]
        complaint.refresh_from_db()
        if complaint.state != story.ends_in:
            raise ComplaintSeedError(
                f"{story.key}: ended in {complaint.state}, expected {story.ends_in}"
            )
    return [filed[story.key] for story in COMPLAINTS]


def _file(
    story: ComplaintStory,
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    at: dt.datetime,
) -> Complaint:
    reporter = story.reporter
    latitude = longitude = None
    if story.coordinates is not None:
        latitude, longitude = (Decimal(value) for value in story.coordinates)
    submission = Submission(
        category=story.category,
        description=story.description,
        location=story.location,
        jurisdiction=units[story.district],
        target_name=story.target_name,
        target_uscc=story.target_uscc,
        target_address=story.target_address,
        latitude=latitude,
        longitude=longitude,
        anonymous=reporter is None,
        wants_reply=story.wants_reply,
        channel=story.channel,
    )
    identity = (
        Identity(name=reporter.name, phone=reporter.phone, email=reporter.email)
        if reporter is not None
        else Identity()
    )
    actor = users[story.clerk] if story.clerk else None
    return submit(submission, identity, now=at, actor=actor)


def _payload(
    step: Step, *, units: dict[str, Unit], filed: Mapping[str, Complaint]
) -> dict[str, Any]:
    payload = dict(step.payload)
    if "responsible_unit" in payload:
        payload["responsible_unit"] = units[payload["responsible_unit"]].pk
    if "original" in payload:
        payload["original"] = filed[payload["original"]].case_no
    return payload


# --- what the summary shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrackedComplaint:
    case_no: str
    state: str
    url: str = field(default="")


#: The states whose tracking pages are worth opening in a demo, in the order they are listed.
SHOWCASE_STATES = (
    ComplaintState.REPLIED,
    "rectifying",
    ComplaintState.NOT_ACCEPTED,
    "closed",
)


def demo_tracking(city_code: str) -> tuple[TrackedComplaint, ...]:
    """A few seeded complaints' public tracking pages (the code is in the address)."""
    complaint_type = registry.for_model(Complaint)
    found: list[TrackedComplaint] = []
    seeded = Complaint.objects.filter(jurisdiction__path__startswith=f"{city_code}/")
    for state in SHOWCASE_STATES:
        complaint = seeded.filter(state=state).order_by("pk").first()
        if complaint is not None:
            found.append(
                TrackedComplaint(
                    complaint.case_no, complaint_type.state_label(state), tracking_url(complaint)
                )
            )
    return tuple(found)
