"""How a demo case is told: one story per case, each a list of steps through the closed loop.

The stories themselves are in `seeds/xiaodian.py` and `seeds/yingze.py`.

A step's moment is given in working days before the seed's `now` and a clock time, so the demo
looks the same whenever it is seeded: the overdue cases are overdue, the fresh ones are fresh.
Stories run through `open_case()` and `transition_case()` like any user's action would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from enforcement.models import SupervisionSource

#: (working days before now, "HH:MM" Beijing time)
When = tuple[int, str]


@dataclass(frozen=True)
class Step:
    transition: str
    actor: str
    at: When
    note: str = ""
    #: Transition payload; a "responsible_unit" is given as a unit code.
    payload: Mapping[str, Any] = field(default_factory=dict)
    photo: bool = False


@dataclass(frozen=True)
class Story:
    title: str
    #: The code of the bureau whose case it is.
    district: str
    opened_by: str
    opened: When
    description: str
    location: str
    source: SupervisionSource
    requirement: str
    steps: tuple[Step, ...]
    #: The state the story ends in (checked by the seed: a story that stops early is a bug).
    ends_in: str


def assign(actor: str, at: When, unit: str, period: int, note: str = "") -> Step:
    return Step("assign", actor, at, note, {"responsible_unit": unit, "rectify_period": period})


def worked(handler: str, signed: When, progress: When, note: str) -> tuple[Step, ...]:
    """签收, then a progress record with a site photo."""
    return (
        Step("sign", handler, signed),
        Step("record_progress", handler, progress, note, photo=True),
    )


def verified(verifier: str, started: When, passed: When, note: str) -> tuple[Step, ...]:
    return (
        Step("start_verification", verifier, started),
        Step("pass_verification", verifier, passed, note, photo=True),
    )


DAILY = SupervisionSource.DAILY
HOTLINE = SupervisionSource.OTHER
UPPER = SupervisionSource.UPPER_ASSIGNMENT
LEADER = SupervisionSource.LEADER_INSTRUCTION
INSPECTION = SupervisionSource.INSPECTION
