"""Contracts of the engine that no single transition shows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core import checks

from enforcement.models import SupervisionItem
from workflow.case_types import CaseType, DeadlinePolicy, registry
from workflow.models import Case

ROOT = Path(__file__).resolve().parents[2]
#: The only module allowed to call a transition method.
WRITE_PATH = ROOT / "workflow" / "transitions.py"


def transition_names() -> set[str]:
    names: set[str] = set()
    for case_type in registry:
        names |= {t.name for t in case_type.model().get_all_state_transitions()}
    return names


def test_django_fsm_collects_the_loop_transitions_on_a_multi_table_subclass():
    base = {t.name for t in Case().get_all_state_transitions()}
    sub = {t.name for t in SupervisionItem().get_all_state_transitions()}
    assert {"assign", "sign", "report", "start_verification", "approve_closure"} <= sub
    assert base <= sub


def test_a_subclass_instance_moves_through_its_inherited_transitions():
    item = SupervisionItem()
    assert [t.name for t in item.get_available_state_transitions()] == ["assign"]


def test_nothing_but_transition_case_calls_a_transition_method():
    names = transition_names()
    offenders = []
    for folder in ("workflow", "enforcement", "seeds", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == WRITE_PATH or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in names
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert offenders == [], "call transition_case() instead:\n" + "\n".join(offenders)


def test_nothing_but_the_engine_writes_case_events():
    offenders = []
    for folder in ("workflow", "enforcement", "seeds", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == WRITE_PATH or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                built = isinstance(func, ast.Name) and func.id == "CaseEvent"
                created = (
                    isinstance(func, ast.Attribute)
                    and func.attr in {"create", "bulk_create", "get_or_create"}
                    and "CaseEvent" in ast.unparse(func.value)
                )
                if built or created:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_a_case_type_naming_an_unknown_state_is_refused_by_a_system_check():
    broken = CaseType(
        kind="broken",
        label="broken",
        model=SupervisionItem,
        number_prefix="坏",
        deadlines=(DeadlinePolicy("no_such_state", "x", "x", length=1),),
    )
    registry._types["broken"] = broken
    try:
        errors = checks.run_checks()
    finally:
        del registry._types["broken"]
    assert [e.id for e in errors if "no_such_state" in e.msg] == ["workflow.E001"]


@pytest.mark.django_db
def test_the_registered_case_types_pass_the_system_checks():
    assert [e for e in checks.run_checks() if e.id.startswith("workflow.")] == []


def test_a_deployment_that_only_prints_sms_is_warned(settings):
    from workflow.checks import check_sms_delivery

    settings.SMS_BACKEND = "workflow.sms.ConsoleBackend"
    assert [m.id for m in check_sms_delivery()] == ["workflow.W010"]
    settings.SMS_BACKEND = "workflow.sms.AliyunBackend"
    settings.SMS_TEMPLATES = {"CASE_STATE": "SMS_1"}
    assert [m.id for m in check_sms_delivery()] == ["workflow.E010"]
    settings.SMS_TEMPLATES = {"CASE_STATE": "SMS_1", "ESCALATION": "SMS_2"}
    # A registered case type's own templates are required too (the complaint's reporter SMS).
    assert [m.id for m in check_sms_delivery()] == ["workflow.E010"]
    settings.SMS_TEMPLATES = {"CASE_STATE": "SMS_1", "ESCALATION": "SMS_2", "COMPLAINT_STATUS": "3"}
    assert check_sms_delivery() == []
