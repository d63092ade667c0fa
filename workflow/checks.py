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


#: The SMS templates the code sends; a real provider must map each to an approved template.
SMS_TEMPLATE_CODES = ("CASE_STATE", "ESCALATION")
PRINTING_SMS_BACKENDS = (
    "workflow.sms.ConsoleBackend",
    "workflow.sms.FileBackend",
    "workflow.sms.LocmemBackend",
)


@checks.register(checks.Tags.security, deploy=True)
def check_sms_delivery(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A deployment that only prints its SMS would let escalations go unheard."""
    from django.conf import settings

    backend = getattr(settings, "SMS_BACKEND", "")
    if backend in PRINTING_SMS_BACKENDS:
        return [
            checks.Warning(
                f"SMS_BACKEND is {backend}: text messages are only printed or written to "
                "files, never sent.",
                hint="Set ECOLOOP_SMS_BACKEND to workflow.sms.AliyunBackend or "
                "workflow.sms.TencentBackend (with the sms-aliyun / sms-tencent extra), or add "
                "workflow.W010 to SILENCED_SYSTEM_CHECKS if the bureau uses no SMS.",
                id="workflow.W010",
            )
        ]
    from workflow.case_types import registry

    templates = getattr(settings, "SMS_TEMPLATES", {}) or {}
    codes = [*SMS_TEMPLATE_CODES, *(c for t in registry for c in t.sms_templates)]
    missing = [code for code in codes if code not in templates]
    if missing:
        return [
            checks.Error(
                f"SMS_TEMPLATES maps no approved provider template for {', '.join(missing)}.",
                hint='Set ECOLOOP_SMS_TEMPLATES, e.g. {"CASE_STATE": "SMS_123", '
                '"ESCALATION": "SMS_456"}.',
                id="workflow.E010",
            )
        ]
    return []
