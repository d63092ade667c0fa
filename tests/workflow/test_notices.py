"""Numbered notices: 催办通知书, 督办单, … — numbered without gaps, readable, and discreet."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import MONDAY, TZ, assign_to, open_item, reload
from tests.workflow.test_concurrency import run_together
from workflow import documents, selectors
from workflow.models import Deadline, Escalation, Notice, NoticeKind, NoticeSequence, Rung
from workflow.notices import issue_notice
from workflow.transitions import CaseNotFound, TransitionDenied, transition_case

LATER = MONDAY + dt.timedelta(days=20)
REPORTER_TEXT = "举报人张三，电话13800138000"


def pdf_text(notice: Notice) -> str:
    with notice.pdf.file.open("rb") as stream:
        reader = PdfReader(io.BytesIO(stream.read()))
    return "".join(page.extract_text() for page in reader.pages)


def stored_bytes(notice: Notice) -> bytes:
    with notice.pdf.file.open("rb") as stream:
        return stream.read()


@pytest.fixture
def late_case(dispatcher: Any, handler: Any, district: Any, town: Any) -> Any:
    """A supervision item in 整改中 whose reporter's words are in the description."""
    case = open_item(actor=dispatcher, jurisdiction=district)
    case.description = REPORTER_TEXT
    case.save(update_fields=["description"])
    assign_to(case, dispatcher=dispatcher, unit=town, period=5)
    transition_case(reload(case), "sign", actor=handler, now=MONDAY + dt.timedelta(hours=1))
    return reload(case)


def chase(case: Any, actor: Any, *, now: dt.datetime = LATER, **kwargs: Any) -> Notice:
    return issue_notice(
        case, NoticeKind.CHASE, actor=actor, addressee=case.responsible_unit, now=now, **kwargs
    )


@pytest.mark.django_db
def test_the_pdf_of_a_chase_notice_reads_its_title_number_and_addressee(late_case, dispatcher):
    # when the dispatcher issues a 催办通知书 to the responsible town
    notice = chase(late_case, dispatcher)

    # then the number is the bureau's first 催 of the year, and a PDF extractor reads the Chinese
    assert notice.number == "小店环催〔2026〕1号"
    text = pdf_text(notice)
    for expected in ("催办通知书", "小店环催〔2026〕1号", "北格镇", "小店分局", "2026年6月21日"):
        assert expected in text
    assert late_case.case_no in text
    assert notice.pdf.content_type == "application/pdf"


@pytest.mark.django_db
def test_the_stored_pdf_matches_its_recorded_sha256(late_case, dispatcher):
    notice = chase(late_case, dispatcher)

    data = stored_bytes(notice)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == notice.pdf.sha256
    assert notice.pdf.event_id == notice.event_id


@pytest.mark.django_db
def test_the_html_is_a_print_friendly_notice_with_number_addressee_and_signature(
    late_case, dispatcher
):
    notice = chase(late_case, dispatcher)

    assert "小店环催〔2026〕1号" in notice.html
    assert "北格镇：" in notice.html
    assert "催办通知书" in notice.html
    assert "2026年6月21日" in notice.html
    # the default body names the missed deadline and what is expected
    assert "整改期限" in notice.body
    assert late_case.case_no in notice.body


@pytest.mark.django_db
def test_a_reporters_words_in_the_description_never_reach_a_notice(late_case, dispatcher):
    notice = chase(late_case, dispatcher, response_due=dt.date(2026, 6, 30))

    for text in (notice.html, notice.body, pdf_text(notice)):
        assert "张三" not in text
        assert "13800138000" not in text


@pytest.mark.django_db
def test_numbers_run_per_bureau_kind_and_year_and_restart_in_a_new_year(
    late_case, dispatcher, leader
):
    first = chase(late_case, dispatcher)
    second = chase(late_case, dispatcher, now=LATER + dt.timedelta(days=1))
    supervise = issue_notice(
        late_case,
        NoticeKind.SUPERVISE,
        actor=dispatcher,
        addressee=late_case.responsible_unit,
        now=LATER + dt.timedelta(days=2),
    )
    next_year = chase(late_case, leader, now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=TZ))

    assert [first.number, second.number] == ["小店环催〔2026〕1号", "小店环催〔2026〕2号"]
    assert supervise.number == "小店环督〔2026〕1号"
    assert (next_year.number, next_year.year, next_year.seq) == ("小店环催〔2027〕1号", 2027, 1)


@pytest.mark.django_db
def test_a_notice_is_dated_in_beijing_time(late_case, dispatcher):
    # 2026-12-31 17:00 UTC is already New Year's Day in Beijing
    notice = chase(late_case, dispatcher, now=dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC))

    assert notice.number == "小店环催〔2027〕1号"
    assert "2027年1月1日" in notice.html


@pytest.mark.django_db
def test_the_notice_appears_on_the_timeline_with_its_pdf(late_case, dispatcher):
    notice = chase(late_case, dispatcher, response_due=dt.date(2026, 6, 30))

    entry = selectors.timeline(late_case)[-1]
    assert entry.event == notice.event
    assert entry.label == "签发文书"
    assert entry.attachments == [notice.pdf]
    details = {row.label: row.value for row in entry.details}
    assert details == {
        "文号": notice.number,
        "文书类型": "催办通知书",
        "主送单位": "北格镇",
        "书面回复期限": "2026年6月30日",
    }


@pytest.mark.django_db
def test_a_required_reply_is_a_deadline_that_outlives_state_changes(late_case, dispatcher, handler):
    # given a 督办单 demanding a written reply by 30 June
    notice = issue_notice(
        late_case,
        NoticeKind.SUPERVISE,
        actor=dispatcher,
        addressee=late_case.responsible_unit,
        response_due=dt.date(2026, 6, 30),
        now=LATER,
    )
    reply = Deadline.objects.get(case=late_case, kind="notice_reply")
    assert (reply.label, reply.due_date, reply.is_main) == (
        "书面回复期限",
        notice.response_due,
        False,
    )
    assert notice.number in reply.basis

    # when the unit reports its rectification (the case leaves 整改中)
    transition_case(
        reload(late_case), "report", actor=handler, note="已整改", now=LATER + dt.timedelta(days=1)
    )

    # then the reply is still owed, and the case's own due date is not the reply's
    reply.refresh_from_db()
    assert reply.status == "pending"
    assert reload(late_case).due_at != reply.due_at


@pytest.mark.django_db
def test_the_ladder_issues_notices_as_the_system(late_case):
    notice = chase(late_case, None)

    assert notice.issued_by is None
    assert notice.event.actor is None
    assert notice.event.actor_role == "system"


@pytest.mark.django_db
def test_a_handler_cannot_issue_a_notice(late_case, handler):
    with pytest.raises(TransitionDenied):
        chase(late_case, handler)
    assert not Notice.objects.exists()
    assert not NoticeSequence.objects.filter(last__gt=0).exists()


@pytest.mark.django_db
def test_a_dispatcher_cannot_sign_a_leaders_notice(late_case, dispatcher, leader):
    with pytest.raises(TransitionDenied):
        issue_notice(
            late_case,
            NoticeKind.TALK,
            actor=dispatcher,
            addressee=late_case.responsible_unit,
            now=LATER,
        )
    notice = issue_notice(
        late_case, NoticeKind.TALK, actor=leader, addressee=late_case.responsible_unit, now=LATER
    )
    assert notice.number == "小店环约〔2026〕1号"
    assert "约谈通知书" in pdf_text(notice)


@pytest.mark.django_db
def test_an_outsider_cannot_issue_and_is_told_the_case_does_not_exist(late_case, outsider):
    with pytest.raises(CaseNotFound):
        chase(late_case, outsider)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
def test_the_notice_page_and_pdf_are_for_those_who_see_the_case(
    late_case, dispatcher, handler, outsider
):
    notice = chase(late_case, dispatcher)
    page = reverse("console:notice", args=[notice.pk])
    pdf = reverse("attachment", args=[notice.pdf_id])

    # the handler's unit, which received it, reads it and downloads the PDF
    response = _client(handler).get(page)
    assert response.status_code == 200
    assert "小店环催〔2026〕1号" in response.text
    assert "notices/notice.css" in response.text
    download = _client(handler).get(pdf)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == stored_bytes(notice)

    # another district's staff find nothing there
    assert _client(outsider).get(page).status_code == 404
    assert _client(outsider).get(pdf).status_code == 404


@pytest.mark.django_db
def test_the_case_page_lists_the_notice_with_its_links(late_case, dispatcher):
    notice = chase(late_case, dispatcher)

    response = _client(dispatcher).get(reverse("console:case_detail", args=[late_case.pk]))

    assert response.status_code == 200
    assert reverse("console:notice", args=[notice.pk]) in response.text
    assert reverse("attachment", args=[notice.pdf_id]) in response.text
    assert "签发文书" in response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuing_numbers_without_gaps_or_duplicates(
    dispatcher, supervisor, leader, handler, district, town
):
    # given three late cases of one bureau
    cases = []
    for title in ("排污口一", "排污口二", "排污口三"):
        case = open_item(actor=dispatcher, jurisdiction=district, title=title)
        assign_to(case, dispatcher=dispatcher, unit=town, period=5)
        cases.append(reload(case))
    issuers = [dispatcher, supervisor, leader, dispatcher, supervisor, leader]

    # when six 催办通知书 are issued at the same moment, two on each case
    results = run_together(
        *[
            lambda case=cases[i % 3], actor=actor: chase(case, actor)
            for i, actor in enumerate(issuers)
        ]
    )

    # then each got its own number and together they run 1..6
    assert all(isinstance(r, Notice) for r in results), results
    assert sorted(r.seq for r in results) == [1, 2, 3, 4, 5, 6]
    assert len({r.number for r in results}) == 6
    assert NoticeSequence.objects.get(region=district, kind="chase", year=2026).last == 6


def test_no_line_of_a_pdf_begins_with_a_comma_or_a_closing_mark():
    # given paragraphs whose comma falls at every position of a line in turn
    paragraphs = [f"{'整改' * n}{'改' * (n % 2)}，{'落实' * 30}。" for n in range(8, 30)]
    document = documents.Document(
        issuer="小店分局",
        number="小店环催〔2026〕1号",
        title="催办通知书",
        addressee_line="北格镇：",
        paragraphs=paragraphs,
        facts=[],
        signed_on="2026年6月21日",
    )

    # when it is rendered, then the wrapping hangs the mark instead of starting a line with it
    reader = PdfReader(io.BytesIO(documents.render_pdf(document)))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert len(lines) > len(paragraphs) * 2
    assert [line for line in lines if line[:1] in "，。、；：？！》”"] == []


@pytest.mark.django_db
def test_a_notice_of_a_ladder_rung_cites_the_deadline_that_rung_fired_on(late_case):
    # given a rung that fired on the (since met) 签收期限, not on the pending 整改期限
    signing = Deadline.objects.get(case=late_case, kind="sign")
    rung = Escalation.objects.create(
        case=late_case, deadline=signing, rung=Rung.CHASE, created_at=LATER
    )

    # when the ladder issues its notice
    notice = issue_notice(
        late_case,
        NoticeKind.CHASE,
        actor=None,
        addressee=late_case.responsible_unit,
        escalation=rung,
        now=LATER,
    )

    # then the notice is linked to the rung and names that deadline and its basis
    assert notice.escalation == rung
    assert signing.label in notice.body
    assert signing.basis in notice.body
    assert "整改期限" not in notice.body


@pytest.mark.django_db
def test_a_dispatcher_issues_a_notice_from_the_case_page(late_case, dispatcher):
    client = _client(dispatcher)
    case_page = client.get(reverse("console:case_detail", args=[late_case.pk]))
    issue_url = reverse("console:notice_issue", args=[late_case.pk])
    assert issue_url in case_page.text

    # the form offers the kinds a dispatcher signs, addressed by default to the responsible unit
    form = client.get(issue_url)
    assert form.status_code == 200
    assert "催办通知书" in form.text and "督办单" in form.text
    assert "约谈通知书" not in form.text

    # when they issue a 督办单 with a written reply due
    response = client.post(
        issue_url,
        {
            "kind": "supervise",
            "addressee": late_case.responsible_unit.pk,
            "response_due": "2099-06-30",
            "body": "",
        },
    )

    # then they land on the notice, numbered, with its reply deadline running
    notice = Notice.objects.get(case=late_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("console:notice", args=[notice.pk])
    assert notice.kind == "supervise" and notice.issued_by == dispatcher
    assert notice.number.startswith("小店环督〔")
    assert Deadline.objects.filter(case=late_case, kind="notice_reply").exists()


@pytest.mark.django_db
def test_a_reply_due_in_the_past_is_refused_and_nothing_is_numbered(late_case, dispatcher):
    response = _client(dispatcher).post(
        reverse("console:notice_issue", args=[late_case.pk]),
        {"kind": "chase", "addressee": late_case.responsible_unit.pk, "response_due": "2020-01-01"},
    )

    assert response.status_code == 400
    assert "书面回复期限须晚于今天。" in response.text
    assert not Notice.objects.exists()
    assert not NoticeSequence.objects.exists()


@pytest.mark.django_db
def test_the_issuing_page_is_refused_to_a_handler_and_hidden_from_an_outsider(
    late_case, handler, outsider
):
    issue_url = reverse("console:notice_issue", args=[late_case.pk])
    case_page = _client(handler).get(reverse("console:case_detail", args=[late_case.pk]))

    assert issue_url not in case_page.text
    assert _client(handler).get(issue_url).status_code == 403
    assert _client(handler).post(issue_url, {"kind": "chase"}).status_code == 403
    assert _client(outsider).get(issue_url).status_code == 404
    assert not Notice.objects.exists()
