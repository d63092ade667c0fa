"""Programmes: lists that hold cases (a 督察 round, a 专项行动), known to the engine only as a
filter of its case lists (DESIGN.md §8). The domain registers each kind at startup with the
choices a person may pick and the cases a choice holds; the engine never reads their tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Programme:
    #: The prefix of its choices' keys: "round" → "round:12".
    kind: str
    label: str | Promise
    #: (user) -> [(key, label)]: the programmes of this kind the person may filter by.
    choices: Callable[[Any], list[tuple[str, str]]]
    #: (key) -> Q over Case: the cases the programme holds (NOTHING for an unknown key).
    cases: Callable[[str], Q]


class ProgrammeRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, Programme] = {}

    def register(self, programme: Programme) -> None:
        self._kinds[programme.kind] = programme

    def __iter__(self) -> Iterator[Programme]:
        return iter(self._kinds.values())

    def choices(self, user: Any) -> list[tuple[str, str]]:
        return [choice for programme in self for choice in programme.choices(user)]

    def cases(self, key: str) -> Q:
        """The cases of "kind:id"; NOTHING for a key no programme knows."""
        kind, _sep, _rest = key.partition(":")
        programme = self._kinds.get(kind)
        return programme.cases(key) if programme is not None else NOTHING


programmes = ProgrammeRegistry()
