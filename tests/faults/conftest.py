"""Fault tests: real processes killed on purpose. They run on the PostgreSQL + Redis leg of
.ci/run (ECOLOOP_TEST_WORKER=1), and print their figures at the end of the run."""

from __future__ import annotations

import os
from typing import Any

import pytest

FIGURES: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="fault tests run on PostgreSQL + Redis (ECOLOOP_TEST_WORKER=1)")
    for item in items:
        if "tests/faults/" in item.nodeid and os.environ.get("ECOLOOP_TEST_WORKER") != "1":
            item.add_marker(skip)


@pytest.fixture
def figures() -> Any:
    """Lines a fault test reports: printed in the run's summary, pass or fail."""
    return FIGURES.append


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("fault test figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
