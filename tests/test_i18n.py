"""Chinese first, English genuinely available.

Every string a person reads is written in Chinese inside gettext; the apps' `locale/en` catalogues
translate all of it, and the compiled `.mo` files are committed, so nothing needs GNU gettext at
run time. The case record (deadlines, events, notifications) stays in the bureau's language
whatever the browser asks for. Error pages are the console's own, in the reader's language.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.factories import MONDAY, assign_to, open_item
from workflow import notifications
from workflow.models import Deadline, Notification

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUES = sorted(BASE_DIR.glob("*/locale/*/LC_MESSAGES/django.po"))
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.fixture(autouse=True)
def _back_to_the_default_language() -> Iterator[None]:
    # LocaleMiddleware activates the request's language in this thread and leaves it active;
    # the tests that follow call the engine directly and expect Chinese.
    yield
    translation.deactivate()


def client_for(user: Any, headers: dict[str, str]) -> Client:
    client = Client(**headers)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


# --- the catalogues ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstr: tuple[str, ...]
    flags: frozenset[str]


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header excluded): enough of the format for our catalogues."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid", "") == "":
            continue
        plural = "msgid_plural" in fields
        msgstr = (fields["msgstr[0]"], fields["msgstr[1]"]) if plural else (fields["msgstr"],)
        entries.append(
            Entry(
                context=fields.get("msgctxt"),
                msgid=fields["msgid"],
                msgid_plural=fields.get("msgid_plural"),
                msgstr=msgstr,
                flags=frozenset(flags),
            )
        )
    return entries


def test_each_app_that_shows_text_ships_an_english_catalogue():
    assert {p.relative_to(BASE_DIR).parts[0] for p in CATALOGUES} >= {"workflow", "enforcement"}
    assert not (BASE_DIR / "locale").exists()  # the layout keeps catalogues with their apps
    assert settings.LOCALE_PATHS == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_entry_is_translated_and_none_is_fuzzy(po: Path):
    header = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
    entries = read_po(po)

    assert entries
    assert "fuzzy" not in header
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if not all(s.strip() for s in e.msgstr)] == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_a_translation_keeps_the_placeholders_of_its_source(po: Path):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in read_po(po):
        for msgstr in entry.msgstr:
            assert sorted(placeholder.findall(msgstr)) == sorted(
                placeholder.findall(entry.msgid)
            ), entry.msgid


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_the_committed_mo_is_compiled_from_the_po(po: Path):
    # given the .mo next to the .po, read as the standard library reads it
    with po.with_suffix(".mo").open("rb") as stream:
        mo = gettext.GNUTranslations(stream)
    # then every entry of the .po translates to its msgstr
    for entry in read_po(po):
        if entry.msgid_plural is not None:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr[1]
        elif entry.context is not None:
            assert mo.pgettext(entry.context, entry.msgid) == entry.msgstr[0], entry.msgid
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr[0], entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
@pytest.mark.parametrize("app", ["workflow", "enforcement"])
def test_the_catalogue_holds_every_string_of_its_app(app: str, tmp_path: Path):
    # given a copy of the app, with its catalogue, regenerated by makemessages
    copy = tmp_path / app
    shutil.copytree(BASE_DIR / app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    # then it names exactly the strings of the committed catalogue, all of them translated
    po = Path(app) / "locale/en/LC_MESSAGES/django.po"
    committed = {(e.context, e.msgid): e.msgstr for e in read_po(BASE_DIR / po)}
    regenerated = {(e.context, e.msgid): e.msgstr for e in read_po(tmp_path / po)}
    assert set(regenerated) == set(committed)
    assert regenerated == committed


# --- nothing a person reads escapes gettext -----------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}
#: Chinese that is data, not interface: the marks of the official case number 小店督〔2026〕0001号,
#: the title a child case is given (its parent's, with the unit's name in brackets), the legal
#: forms a reported unit's name is folded without, and a pattern of punctuation in phone numbers.
NOT_INTERFACE = {
    ("enforcement/case_types.py", "诉"),
    *(("enforcement/complaints/duplicates.py", f) for f in ("有限责任公司", "股份有限公司")),
    *(("enforcement/complaints/duplicates.py", f) for f in ("有限公司", "公司", "厂")),
    ("enforcement/complaints/submission.py", r"[\s()（）]"),
    ("workflow/transitions.py", "〔"),
    ("workflow/transitions.py", "〕"),
    ("workflow/transitions.py", "号"),
    ("enforcement/case_types.py", "督"),
    ("workflow/relations.py", "（"),
    ("workflow/relations.py", "）"),
    # Case-number abbreviations and the marks of 文号 (小店环罚〔2026〕3号) are data.
    *(("enforcement/case_types.py", mark) for mark in ("检", "执", "责改", "损", "即改")),
    *(("enforcement/penalties/numbers.py", m) for m in ("立", "检录", "责改", "罚告", "罚")),
    ("enforcement/case_types.py", "督察"),
    ("enforcement/case_types.py", "整改"),
    # The end of a bureau's name that is not its place, and how a cell lists several types.
    ("enforcement/inspection_rounds/importer.py", "生态环境局"),
    ("enforcement/inspection_rounds/importer.py", r"[、,，/;；\s]+"),
    # A date as a 整改方案 table writes it: 2027-06-30, 2027/6/30 or 2027年6月30日.
    ("enforcement/inspection_rounds/plan_importer.py", r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})"),
}
#: Files of patterns that match Chinese text, never shown (the masking of private details).
PATTERN_FILES = {"enforcement/inspection_rounds/masking.py"}


def _python_sources() -> Iterator[Path]:
    for app in ("workflow", "enforcement"):
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            parts = path.relative_to(BASE_DIR).parts
            # Command-line tools (management/: the commands and their preflight) write for the
            # operator's terminal (several bilingually), and the chain's reasons are printed by
            # one of them: neither is a page.
            if "migrations" in parts or "management" in parts or path.name == "chain.py":
                continue
            yield path


def test_python_code_shows_chinese_only_through_gettext():
    unwrapped = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        docstrings = {
            node.body[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if node in docstrings or not CJK.search(node.value):
                continue
            call = parent.get(node)
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") in GETTEXT_NAMES:
                continue
            name = str(path.relative_to(BASE_DIR))
            if name not in PATTERN_FILES and (name, node.value) not in NOT_INTERFACE:
                unwrapped.append(f"{name}:{node.lineno} {node.value!r}")
    assert unwrapped == [], "\n".join(unwrapped)


def test_templates_show_chinese_only_through_translate_tags():
    translated = re.compile(
        r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}|\{%\s*translate\s.*?%\}"
        r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        re.S,
    )
    # The round seal in the corner, a logo (aria-hidden), reads 环 in every language.
    logo = re.compile(r'<span class="[\w-]*brand__mark" aria-hidden="true">环</span>')
    untranslated = []
    for app in ("workflow", "enforcement"):
        for path in sorted((BASE_DIR / app / "templates").rglob("*.html")):
            text = logo.sub("", translated.sub("", path.read_text(encoding="utf-8")))
            untranslated += [f"{path.name}: {m}" for m in CJK.findall(text)]
    assert untranslated == []


# --- pages in the reader's language ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_reads_in_english_for_an_english_browser():
    response = Client(**ENGLISH).get(reverse("login"))

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Staff sign-in" in response.text
    assert "Username" in response.text
    assert "Sign in" in response.text
    assert "登录" not in response.text


@pytest.mark.django_db
def test_the_login_page_reads_in_chinese_for_a_chinese_browser_and_by_default():
    for client in (Client(**CHINESE), Client()):
        response = client.get(reverse("login"))

        assert '<html lang="zh-CN">' in response.text
        assert "工作人员登录" in response.text
        assert "Sign in" not in response.text


@pytest.mark.django_db
def test_the_case_page_reads_in_english_for_an_english_browser(dispatcher: Any, district: Any):
    # given a supervision item waiting for its dispatcher
    item = open_item(actor=dispatcher, jurisdiction=district)
    # when the dispatcher's browser asks for English
    response = client_for(dispatcher, ENGLISH).get(
        reverse("console:case_detail", kwargs={"pk": item.pk})
    )
    # then the page, its vocabulary and the Chinese record's known labels read in English
    page = response.text
    assert response.status_code == 200
    assert "Supervision item" in page
    assert ">Assign</a>" in page
    assert "Awaiting assignment" in page
    assert "Assignment deadline" in page  # the deadline row stores 交办期限
    assert "Assign within 1 working day of intake" in page
    assert "Responsible unit" in page
    assert "Case history" in page
    assert "Dispatcher" in page  # the top bar's role
    assert item.case_no in page  # the official number stays as issued
    for chinese in ("督办事项", "交办", "待交办", "交办期限", "办理记录"):
        assert chinese not in page


@pytest.mark.django_db
def test_the_case_page_reads_in_chinese_for_a_chinese_browser(dispatcher: Any, district: Any):
    item = open_item(actor=dispatcher, jurisdiction=district)

    response = client_for(dispatcher, CHINESE).get(
        reverse("console:case_detail", kwargs={"pk": item.pk})
    )

    page = response.text
    for chinese in ("督办事项", ">交办</a>", "待交办", "交办期限", "办理记录", "责任单位"):
        assert chinese in page
    assert "Supervision item" not in page


@pytest.mark.django_db
def test_an_english_transition_still_writes_the_record_in_chinese(
    dispatcher: Any, handler: Any, district: Any, town: Any
):
    # given an item assigned by a dispatcher whose browser reads English
    item = open_item(actor=dispatcher, jurisdiction=district)
    with translation.override("en"):
        event = assign_to(item, dispatcher=dispatcher, unit=town, period=5)
        notifications.deliver_event(event.pk, now=MONDAY)
    # then the deadlines and the notification are written in the bureau's language
    labels = set(
        Deadline.objects.filter(case=item, status="pending").values_list("label", flat=True)
    )
    assert labels == {"签收期限", "异议期限"}
    assert Notification.objects.get(event=event).message.endswith("：已交办")


@pytest.mark.django_db
def test_an_english_request_gets_english_engine_errors(dispatcher: Any, district: Any):
    item = open_item(actor=dispatcher, jurisdiction=district)

    response = client_for(dispatcher, ENGLISH).post(
        reverse("console:transition", kwargs={"pk": item.pk, "name": "assign"}),
        {"state": item.state},
    )

    assert response.status_code == 400
    assert "Please check what you entered." in response.text
    assert "Enter a rectification period or set a rectification deadline." in response.text


# --- error pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_address_is_the_chinese_404_page():
    assert settings.DEBUG is False

    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="zh-CN">' in response.text
    assert "页面不存在" in response.text
    assert "/static/console/console.css" in response.text
    assert reverse("console:inbox") in response.text


@pytest.mark.django_db
def test_the_404_page_reads_in_english_for_an_english_browser():
    response = Client(**ENGLISH).get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "页面不存在" not in response.text


@pytest.mark.django_db
def test_a_case_outside_the_jurisdiction_is_the_same_404_page(outsider: Any, dispatcher, district):
    item = open_item(actor=dispatcher, jurisdiction=district)

    response = client_for(outsider, {}).get(reverse("console:case_detail", kwargs={"pk": item.pk}))

    assert response.status_code == 404
    assert "页面不存在" in response.text


@pytest.mark.django_db
def test_a_forbidden_transition_is_refused_with_a_chinese_403_page(
    verifier: Any, dispatcher, district
):
    # given a verifier of the district: they see the case, but 交办 is the dispatcher's
    item = open_item(actor=dispatcher, jurisdiction=district)

    response = client_for(verifier, {}).get(
        reverse("console:transition", kwargs={"pk": item.pk, "name": "assign"})
    )

    assert response.status_code == 403
    assert '<html lang="zh-CN">' in response.text
    assert "您无权对本案执行此操作。" in response.text
    assert "刷新案件页面" in response.text


@pytest.mark.django_db
def test_a_permission_denied_page_is_the_chinese_403_page_with_its_reason(handler: Any):
    # when a handler opens the dispatcher's 新建督办事项 page
    response = client_for(handler, {}).get(reverse("enforcement:supervision_create"))
    # then the console's 403 page says why
    assert response.status_code == 403
    assert "无权访问" in response.text
    assert "只有调度员可以新建督办事项。" in response.text
    assert "/static/console/console.css" in response.text


@pytest.mark.django_db
def test_a_forbidden_transition_reads_in_english_for_an_english_browser(
    verifier: Any, dispatcher, district
):
    item = open_item(actor=dispatcher, jurisdiction=district)

    response = client_for(verifier, ENGLISH).get(
        reverse("console:transition", kwargs={"pk": item.pk, "name": "assign"})
    )

    assert response.status_code == 403
    assert "You are not authorised to perform this action on this case." in response.text


@pytest.mark.django_db
def test_a_csrf_failure_is_the_chinese_security_check_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "someone", "password": "x"})

    assert response.status_code == 403
    assert "安全校验失败" in response.text
    assert "CSRF verification failed" not in response.text


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_is_the_chinese_400_page():
    response = Client().get(reverse("login"), HTTP_HOST="not-our-host.example")

    assert response.status_code == 400
    assert "请求有误" in response.text


def test_the_500_page_renders_without_a_request_or_the_database():
    # given no database access in this test (pytest-django refuses any query)
    from django.views.defaults import server_error

    # when Django's own 500 handler renders the page
    response = server_error(RequestFactory().get("/"))
    # then it is the console's Chinese page with its stylesheet
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-CN">' in page
    assert "系统出错" in page
    assert "/static/console/console.css" in page
    assert "<script" not in page


def test_the_500_page_reads_in_english_when_english_is_active():
    from django.views.defaults import server_error

    with translation.override("en"):
        page = server_error(RequestFactory().get("/")).content.decode()

    assert "System error" in page
    assert '<html lang="en">' in page
