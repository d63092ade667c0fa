"""The case-type registry. The engine knows no case type; enforcement/ registers them at startup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow.models.case import CaseState, Clock, DeadlineClock
from workflow.models.escalation import Rung
from workflow.roles import Role

if TYPE_CHECKING:
    from workflow.models.case import Case
    from workflow.models.deadline import Deadline
    from workflow.models.event import CaseEvent

StrOrPromise = str | Promise


@dataclass(frozen=True)
class DeadlinePolicy:
    """A time limit planned when a case enters `state`.

    `length` counts on `clock` from the moment of entry (the start day not counted), unless
    `from_field` names a date field of the case that holds the due date (the rectification
    deadline set at 交办), or a datetime field holding the instant (an hour-precise limit).
    """

    state: str
    kind: str
    label: StrOrPromise
    clock: Clock = Clock.WORKDAYS
    length: int | None = None
    from_field: str | None = None
    basis: StrOrPromise = ""
    is_main: bool = True
    #: With `from_field`: how the date in the field was counted (a 陈述申辩 window in working
    #: days); calendar days unless said; `DeadlineClock.HOURS` for an instant counted in hours,
    #: which climbs the hour ladder. Shown with the deadline, and moves it after a pause.
    counted: str = Clock.DAYS
    #: With `from_field`: an empty field plans no deadline (an inspection logged on the spot has
    #: no scheduled day) instead of being an error.
    optional: bool = False
    #: A window that runs out rather than is met (a 公示期: objections come within it, the
    #: closure after it): leaving the state after its end is its normal end, never "late". (A
    #: reporter's 评价期限 is not one: an unrated reply is closed late, and counted so.)
    window: bool = False

    def __post_init__(self) -> None:
        if (self.length is None) == (self.from_field is None):
            raise ValueError(f"{self.kind}: give exactly one of length and from_field")


#: Who acts next in each loop state: the inbox (我的待办) is built from this.
LOOP_ACTORS: Mapping[str, Role] = {
    CaseState.PENDING_ASSIGNMENT: Role.DISPATCHER,
    CaseState.OBJECTED: Role.DISPATCHER,
    CaseState.ASSIGNED: Role.HANDLER,
    CaseState.RECTIFYING: Role.HANDLER,
    CaseState.REPORTED: Role.VERIFIER,
    CaseState.VERIFYING: Role.VERIFIER,
    CaseState.PENDING_CLOSURE: Role.SUPERVISOR,
}

#: DESIGN.md §5: the default deadline on entering each loop state.
LOOP_DEADLINES: tuple[DeadlinePolicy, ...] = (
    DeadlinePolicy(
        CaseState.PENDING_ASSIGNMENT,
        "dispatch",
        _("交办期限"),
        length=1,
        basis=_("受理后1个工作日内交办"),
    ),
    DeadlinePolicy(
        CaseState.ASSIGNED, "sign", _("签收期限"), length=1, basis=_("交办后1个工作日内签收")
    ),
    DeadlinePolicy(
        CaseState.ASSIGNED,
        "objection",
        _("异议期限"),
        length=5,
        is_main=False,
        basis=_("《信访工作条例》第二十三条：不属于本单位职责范围的，5个工作日内提出异议"),
    ),
    DeadlinePolicy(
        CaseState.OBJECTED, "reroute", _("改派期限"), length=1, basis=_("异议退回后1个工作日内改派")
    ),
    DeadlinePolicy(
        CaseState.RECTIFYING,
        "rectify",
        _("整改期限"),
        from_field="rectify_due",
        basis=_("交办时确定的整改期限"),
    ),
    DeadlinePolicy(
        CaseState.REPORTED,
        "verify_start",
        _("核查启动期限"),
        length=5,
        basis=_("反馈后5个工作日内开始核查"),
    ),
    DeadlinePolicy(
        CaseState.VERIFYING, "verify", _("核查期限"), length=5, basis=_("5个工作日内完成现场核查")
    ),
    DeadlinePolicy(
        CaseState.PENDING_CLOSURE,
        "closure",
        _("销号审批期限"),
        length=3,
        basis=_("3个工作日内审批销号"),
    ),
)


class Audience(StrEnum):
    """Who a rung tells, resolved from the unit tree and the roles (DESIGN.md §5, "to")."""

    #: the assignee; else the responsible unit's handlers; before 交办 the jurisdiction's
    #: dispatchers, who must act
    HANDLER = "handler"
    #: every handler of the responsible unit (催办 is addressed to the unit, not a person)
    UNIT = "unit"
    #: supervisors of the responsible unit and of its bureau (the unit head)
    UNIT_HEADS = "unit_heads"
    #: the parent unit's supervisors (a town's district office, a section's bureau)
    PARENT_UNIT = "parent_unit"
    #: leaders of the jurisdiction and above (分管局领导)
    LEADERS = "leaders"
    #: the jurisdiction's dispatchers, who issue 催办 and 督办
    DISPATCHERS = "dispatchers"


WARNED = frozenset({Audience.HANDLER})
WARNED_UP = frozenset({Audience.HANDLER, Audience.UNIT_HEADS, Audience.LEADERS})
CHASED = frozenset(
    {Audience.HANDLER, Audience.UNIT, Audience.UNIT_HEADS, Audience.LEADERS, Audience.DISPATCHERS}
)


@dataclass(frozen=True)
class EscalationRule:
    """When one rung of the ladder (DESIGN.md §5) falls due on a main deadline.

    `anchor` is the moment counted from: "start" (when the period began) or "due" (D, the due
    date). `clock` says how `offset` counts:

    * "fraction": `offset` percent of the period, from `starts_at` to `due_at` (anchor "start");
    * "workdays": the start (00:00 Beijing) of the working day `offset` working days from the
      anchor's date (negative counts back: D − 3 wd);
    * "days": the start of the calendar day `offset` days from the anchor's date, not rolled to a
      working day. "D + 1 d" is therefore 00:00 of the day after D, which is D's 24:00 — the
      first instant the deadline is missed (`Deadline.due_at`);
    * "hours": `offset` hours from the anchor's instant, to the minute ("due" + 0 h is the
      first instant an hour-precise deadline is missed).

    Only `automatic` rungs are fired by the sweep; leader rungs are suggested and decided.
    `audience` says who is told, per rung; a case type may tell more or fewer people.
    """

    rung: Rung
    anchor: Literal["start", "due"]
    offset: int
    clock: Literal["workdays", "days", "fraction", "hours"]
    automatic: bool = True
    audience: frozenset[Audience] = WARNED

    def __post_init__(self) -> None:
        if self.clock == "fraction" and (self.anchor != "start" or not 0 <= self.offset <= 100):
            raise ValueError(f"{self.rung}: a fraction counts 0..100 percent from the start")


#: DESIGN.md §5's automatic rungs. L6–L9 are leaders' decisions: L6 挂牌督办 is suggested when
#: L5 fires; none of them is timed.
DEFAULT_LADDER: tuple[EscalationRule, ...] = (
    EscalationRule(Rung.REMINDER, "start", 50, "fraction", audience=WARNED),
    EscalationRule(Rung.YELLOW, "due", -3, "workdays", audience=WARNED),
    EscalationRule(Rung.ORANGE, "due", -1, "workdays", audience=WARNED_UP),
    EscalationRule(Rung.CHASE, "due", 1, "days", audience=CHASED),
    EscalationRule(Rung.SUPERVISE, "due", 5, "workdays", audience=CHASED),
    EscalationRule(Rung.ELEVATE, "due", 15, "workdays", audience=CHASED),
)


#: The ladder of a deadline counted in hours (即知即改: 响应 2 小时, 处置 24 小时): a period
#: of hours has no working days before it to warn on, so the warnings are fractions of it, and
#: the missed limit is chased at once, not at the next midnight. 督办 a day and 提级办理 three
#: days after a missed hour limit are EcoLoop's choice (the seeds say only "第一时间响应、第一时间
#: 处置"); a case type may give its own.
HOUR_LADDER: tuple[EscalationRule, ...] = (
    EscalationRule(Rung.REMINDER, "start", 50, "fraction", audience=WARNED),
    EscalationRule(Rung.ORANGE, "start", 75, "fraction", audience=WARNED_UP),
    EscalationRule(Rung.CHASE, "due", 0, "hours", audience=CHASED),
    EscalationRule(Rung.SUPERVISE, "due", 24, "hours", audience=CHASED),
    EscalationRule(Rung.ELEVATE, "due", 72, "hours", audience=CHASED),
)


@dataclass(frozen=True)
class CaseType:
    kind: str
    label: StrOrPromise
    model: type[Case]
    #: The abbreviation in case numbers: 小店督〔2026〕0001号.
    number_prefix: str
    deadlines: tuple[DeadlinePolicy, ...] = LOOP_DEADLINES
    actors: Mapping[str, Role] = field(default_factory=lambda: dict(LOOP_ACTORS))
    #: The state `open_case` creates a case in (a complaint starts 已登记, before the loop).
    initial_state: str = CaseState.PENDING_ASSIGNMENT
    #: Whether the type runs the shared loop (交办 … 销号): its cases show the loop's facts
    #: (核查员, 整改期限). An inspection or a penalty case has its own procedure.
    runs_loop: bool = True
    #: Whether a dispatcher may 分办 a case of this type: a child case per co-unit, each with its
    #: own requirement and deadline (`workflow/views/children.py`).
    splits: bool = False
    #: Who may open a case of this type (within their reach): a verifier logs the inspection
    #: that checks a complaint on site.
    openers: frozenset[Role] = frozenset(
        {Role.DISPATCHER, Role.INTAKE, Role.INSPECTOR, Role.LEADER}
    )
    terminal_states: frozenset[str] = frozenset({CaseState.CLOSED})
    #: The escalation ladder of this type's main deadlines, and of those counted in hours.
    ladder: tuple[EscalationRule, ...] = DEFAULT_LADDER
    hour_ladder: tuple[EscalationRule, ...] = HOUR_LADDER
    state_labels: Mapping[str, StrOrPromise] = field(
        default_factory=lambda: {s.value: s.label for s in CaseState}
    )
    #: Called inside `transition_case`'s transaction after the case is saved and its state's
    #: deadlines are re-planned, before the event: `(case, transition, from_state, actor, now)`.
    #: For the type's own records of a transition (a complaint's statutory period, a merged
    #: original).
    after_transition: Callable[[Case, str, str, Any, dt.datetime], None] | None = None
    #: Called by the notifier (in a worker, after commit) for every event of this type, after
    #: the staff are told: a complaint tells its reporter. Must be idempotent.
    after_event: Callable[[CaseEvent, dt.datetime], None] | None = None
    #: The address of someone outside the system (a reporter) for a notification row that has no
    #: recipient: `(case, channel) -> phone or e-mail`, or None when they gave none. Read at send
    #: time only, so the address is never stored beside the message.
    external_contact: Callable[[Case, str], str | None] | None = None
    #: A panel of the type's own on the console's case page: a template included in the facts
    #: card, and `(case, user, now) -> context` for it (under the name `panel`).
    detail_template: str = ""
    detail_context: Callable[[Case, Any, dt.datetime], dict[str, Any]] | None = None
    #: The SMS template codes this type sends besides the engine's (a deployment must map each
    #: to an approved provider template: the check workflow.E010).
    sms_templates: tuple[str, ...] = ()

    def ladder_for(self, deadline: Deadline) -> tuple[EscalationRule, ...]:
        """The ladder a deadline climbs: the hour ladder for one counted in hours."""
        return self.hour_ladder if deadline.clock == DeadlineClock.HOURS else self.ladder

    def state_label(self, state: str) -> str:
        return str(self.state_labels.get(state, state))

    def deadlines_for(self, state: str) -> list[DeadlinePolicy]:
        return [policy for policy in self.deadlines if policy.state == state]

    def states(self) -> set[str]:
        """Every state the model's transitions name."""
        found: set[str] = set()
        for transition in self.model().get_all_state_transitions():  # type: ignore[attr-defined]
            found.add(str(transition.source))
            if transition.target is not None:
                found.add(str(transition.target))
        found.discard("*")
        return found


class CaseTypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, CaseType] = {}

    def register(self, case_type: CaseType) -> CaseType:
        existing = self._types.get(case_type.kind)
        if existing is not None and existing.model is not case_type.model:
            raise ValueError(f"case type {case_type.kind!r} is registered twice")
        self._types[case_type.kind] = case_type
        return case_type

    def get(self, kind: str) -> CaseType:
        try:
            return self._types[kind]
        except KeyError:
            raise LookupError(f"no case type {kind!r} is registered") from None

    def for_model(self, model: type[Case]) -> CaseType:
        for case_type in self._types.values():
            if case_type.model is model:
                return case_type
        raise LookupError(f"{model.__name__} is not a registered case type")

    def __iter__(self) -> Iterator[CaseType]:
        return iter(self._types.values())

    def choices(self) -> list[tuple[str, str]]:
        return [(t.kind, str(t.label)) for t in self._types.values()]


registry = CaseTypeRegistry()
