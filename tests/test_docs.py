"""The README and docs/ stay true: the landing page stays short, its commands and logins are the
real ones, and every setting, link and command the manual names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from seeds.taiyuan import DEMO_USERS, build_units
from workflow.roles import Role

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MANUAL = [README, *DOCS]

#: Where a setting or variable may be read: the code, its tests, the CI script and the images.
SOURCE_DIRS = ("config", "workflow", "enforcement", "seeds", "tests", "bench")
SOURCE_FILES = (".ci/run", "docker-compose.yml", "Dockerfile", "manage.py", "pyproject.toml")

NAME = re.compile(r"\b((?:ECOLOOP|DJANGO)_[A-Z0-9_]*)(<[A-Z]+>|\*)?")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def source_text() -> str:
    paths = [path for d in SOURCE_DIRS for path in (ROOT / d).rglob("*.py")]
    paths += [ROOT / name for name in SOURCE_FILES]
    return "\n".join(text(p) for p in paths if p.exists() and p.name != Path(__file__).name)


def names_in_source() -> set[str]:
    names = set(re.findall(r"\b(?:ECOLOOP|DJANGO)_[A-Z0-9_]+", source_text()))
    # base.py reads the SMS provider options as f"ECOLOOP_SMS_{name.upper()}".
    return names | {f"ECOLOOP_SMS_{option.upper()}" for option in settings.SMS_OPTIONS}


def fenced_blocks(markdown: str, language: str) -> list[list[str]]:
    return [
        [line for line in body.splitlines() if line.strip()]
        for body in re.findall(rf"^```{language}\n(.*?)^```", markdown, re.M | re.S)
    ]


def table(markdown: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header line is `header`, as stripped cells."""
    lines = markdown.splitlines()
    start = lines.index(header) + 2  # the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def logins(cell: str) -> list[str]:
    return re.findall(r"`([a-z0-9_]+)`", cell)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    plain = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return plain.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text(path), re.M)}


# --- the landing page ---------------------------------------------------------------------------


def test_the_readme_is_a_landing_page_of_at_most_150_lines():
    assert len(text(README).splitlines()) <= 150


def test_the_readme_gives_exactly_the_two_set_up_commands_in_one_sh_block():
    assert fenced_blocks(text(README), "sh") == [["uv run manage.py runall", "uv run pytest"]]


def test_the_runall_options_the_readme_names_are_the_commands_own():
    parser = load_command_class("workflow", "runall").create_parser("manage.py", "runall")
    known = {option for action in parser._actions for option in action.option_strings}
    named = set(re.findall(r"^\* `(--[a-z-]+)", text(README), re.M))
    assert named, "the README names runall's options"
    assert named <= known


@pytest.mark.django_db
def test_every_login_in_the_readme_is_a_demo_user_with_that_name_unit_and_role():
    # given the seed's people and its unit tree (the units only: no cases are written)
    units = {code: unit.name for code, unit in build_units().items()}
    seeded = {
        user.username: (
            user.name,
            units[user.unit_code],
            "、".join(str(Role(role).label) for role in user.roles),
        )
        for user in DEMO_USERS
    }

    # when the README's logins table is read
    rows = table(text(README), "| login | person | unit | role |")
    listed = {logins(login)[0]: (person, unit, role) for login, person, unit, role in rows}

    # then every row is a demo user as the seed writes them, and every demo user is listed
    assert listed == seeded


def test_the_logins_suggested_for_each_job_are_demo_users():
    rows = table(text(README), "| job | login | where |")
    suggested = {login for _, cell, _ in rows for login in logins(cell)}
    assert suggested
    assert suggested <= {user.username for user in DEMO_USERS}


# --- the whole manual ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", MANUAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_setting_the_manual_names_is_read_by_the_code(path):
    known = names_in_source()
    # A name followed by `<NAME>` or `*` (`ECOLOOP_SMS_<NAME>`, `ECOLOOP_*`) is a prefix that
    # some real names share; any other name must be read as it is written.
    unknown = [
        name + family
        for name, family in NAME.findall(text(path))
        if not (any(k.startswith(name) for k in known) if family else name in known)
    ]
    assert unknown == []


@pytest.mark.parametrize("path", MANUAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_in_the_manual_points_to_an_existing_file(path):
    broken = []
    for target in LINK.findall(text(path)):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists() or (
            anchor and linked.suffix == ".md" and anchor not in anchors(linked)
        ):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("path", MANUAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_manage_py_command_the_manual_names_exists(path):
    commands = get_commands()
    assert sorted(set(COMMAND.findall(text(path))) - set(commands)) == []


def test_the_readme_links_every_page_of_the_manual():
    linked = {(ROOT / target).resolve() for target in LINK.findall(text(README))}
    assert {p.resolve() for p in DOCS if p.name != "README.md"} <= linked
