"""System checks: a case type must only name states its model's transitions know."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def check_case_types(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from workflow.case_types import registry

    errors: list[checks.CheckMessage] = []
    for case_type in registry:
        states = case_type.states()
        named = (
            {p.state for p in case_type.deadlines}
            | set(case_type.actors)
            | set(case_type.terminal_states)
        )
        for state in sorted(named - states):
            errors.append(
                checks.Error(
                    f"case type {case_type.kind!r} names unknown state {state!r}",
                    hint="Every state in a deadline policy, actor map or terminal set must be a "
                    "source or target of one of the model's transitions.",
                    obj=case_type.model,
                    id="workflow.E001",
                )
            )
        for policy in case_type.deadlines:
            if policy.from_field and not hasattr(case_type.model, policy.from_field):
                errors.append(
                    checks.Error(
                        f"deadline {policy.kind!r} reads missing field {policy.from_field!r}",
                        obj=case_type.model,
                        id="workflow.E002",
                    )
                )
    return errors
