"""The staff console: each page for the right role, the engine's verdicts as pages, partials."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enforcement.models import SupervisionItem
from tests.conftest import photo_bytes
from tests.factories import MONDAY, make_staff, open_item
from workflow.deadline_status import deadline_tone
from workflow.models import Case, Notification
from workflow.roles import Role
from workflow.transitions import transition_case

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _monday() -> Any:
    """The console reads the clock; the cases are planned around MONDAY."""
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def detail_url(case: Case) -> str:
    return reverse("console:case_detail", kwargs={"pk": case.pk})


def transition_url(case: Case, name: str) -> str:
    return reverse("console:transition", kwargs={"pk": case.pk, "name": name})


def assign(case: Case, dispatcher: Any, town: Any, *, days: int = 10) -> Case:
    transition_case(
        case,
        "assign",
        actor=dispatcher,
        payload={"responsible_unit": town.pk, "rectify_period": days},
        now=MONDAY,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def item(dispatcher: Any, district: Any) -> SupervisionItem:
    return open_item(actor=dispatcher, jurisdiction=district)


# --- signing in and out --------------------------------------------------------------------------


def test_the_login_page_speaks_chinese_and_signs_a_person_in(client: Client, dispatcher: Any):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "工作人员登录" in page.text
    assert "生态环境执法与信访闭环系统" in page.text

    response = client.post(
        reverse("login"), {"username": "dispatcher", "password": "pw-for-tests-1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("console:inbox")


def test_repeated_wrong_passwords_lock_the_account_with_a_chinese_page(
    client: Client, dispatcher: Any, settings: Any
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "dispatcher", "password": "wrong"})

    assert response.status_code == 429
    assert "账号已暂时锁定" in response.text
    assert "30 分钟后再试" in response.text


def test_logout_is_a_post_and_returns_to_the_login_page(dispatcher: Any):
    client = client_for(dispatcher)
    assert client.get(reverse("logout")).status_code == 405

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("console:inbox")).status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client):
    response = client.get(reverse("console:case_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_htmx_poll_of_an_expired_session_sends_the_page_to_the_login_form(client: Client):
    response = client.get(
        reverse("console:bell"), HTTP_HX_CURRENT_URL="http://testserver/cases/", **HTMX
    )

    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"{reverse('login')}?next=/cases/"


# --- layout --------------------------------------------------------------------------------------


def test_the_top_bar_shows_who_is_signed_in_and_the_unread_count(dispatcher: Any, item: Any):
    Notification.objects.create(
        recipient=dispatcher, case=item, message="新的待办", created_at=MONDAY
    )

    page = client_for(dispatcher).get(reverse("console:inbox"))

    assert "调度员" in page.text  # name and role
    assert "小店分局" in page.text
    assert re.search(r'class="bell__count" data-count="1"', page.text)
    assert 'hx-trigger="every 60s"' in page.text
    assert "新建督办事项" in page.text
    assert "后台管理" not in page.text


def test_only_staff_accounts_see_the_admin_link(dispatcher: Any):
    dispatcher.is_staff = True
    dispatcher.save()
    assert "后台管理" in client_for(dispatcher).get(reverse("console:inbox")).text


def test_pages_carry_a_script_nonce_and_no_inline_styles(dispatcher: Any, item: Any):
    page = client_for(dispatcher).get(detail_url(item))

    assert "Content-Security-Policy" in page.headers
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts
    assert all("nonce=" in tag for tag in scripts)
    assert "style=" not in page.text
    assert "<style" not in page.text
    assert "//cdn" not in page.text and "https://" not in page.text


# --- 我的待办 -------------------------------------------------------------------------------------


def test_the_inbox_shows_what_awaits_the_user(dispatcher: Any, handler: Any, item: Any, town: Any):
    # given a new item: the dispatcher acts next
    assert item.case_no in client_for(dispatcher).get(reverse("console:inbox")).text
    assert item.case_no not in client_for(handler).get(reverse("console:inbox")).text

    # when it is assigned to the handler's town
    assign(item, dispatcher, town)

    # then it leaves the dispatcher's inbox and waits for the handler
    assert item.case_no not in client_for(dispatcher).get(reverse("console:inbox")).text
    page = client_for(handler).get(reverse("console:inbox"))
    assert item.case_no in page.text
    assert "北格镇" in page.text
    assert "已交办" in page.text


def test_the_inbox_is_sorted_by_due_date_and_coloured_by_urgency(dispatcher: Any, district: Any):
    # given two items opened a week apart (交办 within 1 working day)
    older = open_item(
        actor=dispatcher, jurisdiction=district, title="早立案", now=MONDAY - dt.timedelta(days=7)
    )
    newer = open_item(actor=dispatcher, jurisdiction=district, title="新立案")

    page = client_for(dispatcher).get(reverse("console:inbox")).text

    # then the overdue one comes first, in red; the fresh one is amber (1 wd < 3 wd warning)
    assert page.index(older.case_no) < page.index(newer.case_no)
    assert "badge--overdue" in page
    assert "已逾期" in page


def test_a_provisional_deadline_is_marked_暂定(dispatcher: Any, item: Any):
    Case.objects.filter(pk=item.pk).update(due_provisional=True)
    page = client_for(dispatcher).get(reverse("console:inbox"))
    assert "暂定" in page.text


@pytest.mark.parametrize(
    ("due", "warn", "closed", "tone"),
    [
        (MONDAY - dt.timedelta(hours=1), MONDAY - dt.timedelta(days=3), None, "overdue"),
        (MONDAY + dt.timedelta(days=1), MONDAY - dt.timedelta(hours=1), None, "warning"),
        (MONDAY + dt.timedelta(days=1), MONDAY, None, "warning"),
        (MONDAY + dt.timedelta(days=9), MONDAY + dt.timedelta(days=5), None, "ok"),
        (None, None, None, "none"),
        (MONDAY - dt.timedelta(days=1), MONDAY - dt.timedelta(days=3), MONDAY, "done"),
    ],
)
def test_the_badge_is_red_after_the_deadline_amber_from_the_warning_green_before(
    due: Any, warn: Any, closed: Any, tone: str
):
    case = SimpleNamespace(due_at=due, warn_at=warn, closed_at=closed)
    assert deadline_tone(case, MONDAY) == tone


# --- 案件列表 -------------------------------------------------------------------------------------


def test_the_case_list_shows_only_visible_cases(
    dispatcher: Any, outsider: Any, item: Any, other_district: Any
):
    theirs = open_item(actor=outsider, jurisdiction=other_district, title="迎泽的事项")

    mine = client_for(dispatcher).get(reverse("console:case_list")).text

    assert item.case_no in mine
    assert theirs.case_no not in mine


def test_the_case_list_filters_by_state_overdue_and_search(
    dispatcher: Any, district: Any, town: Any
):
    assigned = assign(
        open_item(actor=dispatcher, jurisdiction=district, title="扬尘治理"), dispatcher, town
    )
    waiting = open_item(actor=dispatcher, jurisdiction=district, title="噪声投诉")
    client = client_for(dispatcher)
    url = reverse("console:case_list")

    by_state = client.get(url, {"state": "assigned"}).text
    assert assigned.case_no in by_state and waiting.case_no not in by_state

    by_unit = client.get(url, {"responsible_unit": town.pk}).text
    assert assigned.case_no in by_unit and waiting.case_no not in by_unit

    by_search = client.get(url, {"q": "噪声"}).text
    assert waiting.case_no in by_search and assigned.case_no not in by_search

    by_kind = client.get(url, {"kind": "supervision"}).text
    assert waiting.case_no in by_kind and assigned.case_no in by_kind

    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        # 交办 and 签收 are due within one working day: both are late by Thursday
        overdue = client.get(url, {"overdue": "yes"}).text
        on_time = client.get(url, {"overdue": "no"}).text
    assert waiting.case_no in overdue and assigned.case_no in overdue
    assert waiting.case_no not in on_time


def test_an_unknown_filter_value_is_ignored_not_an_error(dispatcher: Any, item: Any):
    page = client_for(dispatcher).get(
        reverse("console:case_list"), {"state": "nonsense", "responsible_unit": "x"}
    )
    assert page.status_code == 200
    assert item.case_no in page.text


def test_the_case_list_paginates_by_25_and_keeps_the_filters_in_the_links(
    dispatcher: Any, district: Any, django_assert_max_num_queries: Any
):
    for n in range(27):
        open_item(actor=dispatcher, jurisdiction=district, title=f"排查事项{n:02d}")
    client = client_for(dispatcher)

    with django_assert_max_num_queries(12):
        first = client.get(
            reverse("console:case_list"), {"q": "排查", "state": "pending_assignment"}
        )

    assert first.text.count('class="case-no"') == 25
    assert "第 1 / 2 页" in first.text
    assert "?q=%E6%8E%92%E6%9F%A5&amp;state=pending_assignment&amp;page=2" in first.text
    second = client.get(reverse("console:case_list"), {"q": "排查", "page": 2})
    assert second.text.count('class="case-no"') == 2


def test_an_htmx_request_to_the_case_list_gets_only_the_results(dispatcher: Any, item: Any):
    response = client_for(dispatcher).get(reverse("console:case_list"), {"q": "河道"}, **HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="case-results"')
    assert "<html" not in response.text
    assert item.case_no in response.text
    assert "HX-Request" in response.headers["Vary"]


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_fields_deadlines_timeline_and_the_users_actions(
    dispatcher: Any, item: Any
):
    page = client_for(dispatcher).get(detail_url(item))

    assert page.status_code == 200
    text = page.text
    assert item.case_no in text
    assert "河道排污口整治" in text
    assert "待交办" in text
    assert "交办期限" in text and "受理后1个工作日内交办" in text  # deadline label and basis
    assert "立案" in text  # the first event of the timeline
    assert "日常监管" in text  # the case type's own field (来源), shown through its label
    assert transition_url(item, "assign") in text  # 交办 button


def test_the_case_page_costs_the_same_queries_however_long_the_timeline(
    dispatcher: Any, handler: Any, item: Any, town: Any, django_assert_max_num_queries: Any
):
    assign(item, dispatcher, town)
    transition_case(item, "sign", actor=handler, now=MONDAY)
    for n in range(6):
        item.refresh_from_db()
        photo = SimpleUploadedFile(f"p{n}.jpg", photo_bytes(), content_type="image/jpeg")
        transition_case(
            item, "record_progress", actor=handler, note=f"第{n}次", files=[photo], now=MONDAY
        )
    client = client_for(handler)

    with django_assert_max_num_queries(15):
        page = client.get(detail_url(item))

    assert page.text.count('class="attachment"') == 6


def test_a_user_without_a_move_sees_no_buttons(verifier: Any, item: Any):
    page = client_for(verifier).get(detail_url(item))
    assert page.status_code == 200
    assert "/transitions/" not in page.text
    assert "当前没有您可执行的操作" in page.text


def test_a_case_of_another_district_does_not_exist_for_the_outsider(outsider: Any, item: Any):
    client = client_for(outsider)

    assert client.get(detail_url(item)).status_code == 404
    assert client.get(transition_url(item, "assign")).status_code == 404
    response = client.post(transition_url(item, "assign"), {"note": "x"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == "pending_assignment"


def test_a_missing_case_is_404(dispatcher: Any):
    assert client_for(dispatcher).get("/cases/999999/").status_code == 404


def test_the_transition_form_arrives_as_an_htmx_partial(dispatcher: Any, item: Any, town: Any):
    response = client_for(dispatcher).get(transition_url(item, "assign"), **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'name="responsible_unit"' in response.text
    assert "北格镇" in response.text  # the responsible units below the district
    assert 'name="note"' in response.text
    assert 'name="files"' not in response.text  # 交办 takes no evidence
    assert f'name="state" value="{item.state}"' in response.text


def test_a_transition_with_evidence_offers_a_multiple_file_input(
    dispatcher: Any, handler: Any, item: Any, town: Any
):
    assign(item, dispatcher, town)
    transition_case(item, "sign", actor=handler, now=MONDAY)

    response = client_for(handler).get(transition_url(item, "record_progress"), **HTMX)

    assert 'type="file" name="files" id="id_files" multiple' in response.text
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in response.text


def test_the_wrong_role_is_refused_with_403(verifier: Any, item: Any):
    # given a verifier of the district: they see the case, but 交办 is the dispatcher's
    client = client_for(verifier)

    assert client.get(transition_url(item, "assign"), **HTMX).status_code == 403
    response = client.post(transition_url(item, "assign"), {"state": item.state}, **HTMX)

    assert response.status_code == 403
    assert "无权" in response.text
    item.refresh_from_db()
    assert item.state == "pending_assignment"


def test_an_invalid_form_comes_back_with_chinese_errors_and_the_input_kept(
    dispatcher: Any, item: Any
):
    # when the dispatcher forgets the responsible unit
    response = client_for(dispatcher).post(
        transition_url(item, "assign"),
        {"state": item.state, "rectify_period": "10", "note": "请尽快整改<到位>"},
        **HTMX,
    )

    # then the panel comes back with the error next to the field, and what they typed
    assert response.status_code == 400
    text = response.text
    assert "请检查填写的内容" in text
    field = text[text.index('name="responsible_unit"') :]
    assert field.index("该字段是必填项") < field.index('name="note"')
    assert "请尽快整改&lt;到位&gt;</textarea>" in text
    assert 'name="rectify_period" value="10"' in text
    item.refresh_from_db()
    assert item.state == "pending_assignment"


def test_a_missing_note_and_evidence_are_reported_on_their_fields(
    dispatcher: Any, handler: Any, item: Any, town: Any
):
    assign(item, dispatcher, town)
    transition_case(item, "sign", actor=handler, now=MONDAY)

    response = client_for(handler).post(
        transition_url(item, "record_progress"), {"state": "rectifying", "note": " "}
    )

    assert response.status_code == 400
    assert "<html" in response.text  # without htmx, a whole page
    assert re.search(r'id="id_note_error"><li>请填写意见或说明', response.text)
    assert re.search(r'id="id_files_error"><li>请上传至少一份证据', response.text)


def test_a_successful_transition_redirects_to_the_case_with_a_banner(
    dispatcher: Any, item: Any, town: Any
):
    client = client_for(dispatcher)

    response = client.post(
        transition_url(item, "assign"),
        {"state": item.state, "responsible_unit": town.pk, "rectify_period": "10"},
    )

    assert response.status_code == 302
    assert response.url == detail_url(item)
    item.refresh_from_db()
    assert item.state == "assigned"
    page = client.get(detail_url(item)).text
    assert "已完成“交办”" in page
    assert "北格镇" in page


def test_an_htmx_transition_redirects_the_browser_on_success(
    dispatcher: Any, handler: Any, item: Any, town: Any
):
    assign(item, dispatcher, town)
    client = client_for(handler)
    upload = SimpleUploadedFile("现场.jpg", photo_bytes(), content_type="image/jpeg")

    transition_case(item, "sign", actor=handler, now=MONDAY)
    response = client.post(
        transition_url(item, "record_progress"),
        {"state": "rectifying", "note": "已封堵排污口", "files": [upload]},
        **HTMX,
    )

    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == detail_url(item)
    page = client.get(detail_url(item)).text
    assert "记录整改进展" in page and "已封堵排污口" in page
    assert "现场.jpg" in page  # the attachment, linked or named


def test_acting_on_a_stale_page_is_a_409_with_a_reload_link(dispatcher: Any, item: Any, town: Any):
    # given the dispatcher's page still shows 待交办, but the case was assigned meanwhile
    assign(item, dispatcher, town)

    response = client_for(dispatcher).post(
        transition_url(item, "reassign"),
        {"state": "pending_assignment", "responsible_unit": town.pk, "rectify_period": "5"},
        **HTMX,
    )

    assert response.status_code == 409
    assert "案件状态已由“待交办”变为“已交办”" in response.text
    assert f'href="{detail_url(item)}"' in response.text


# --- notifications -------------------------------------------------------------------------------


def test_the_bell_partial_counts_unread_and_the_list_marks_them_read(dispatcher: Any, item: Any):
    for n in range(3):
        Notification.objects.create(
            recipient=dispatcher, case=item, message=f"通知{n}", created_at=MONDAY
        )
    client = client_for(dispatcher)

    bell = client.get(reverse("console:bell"), **HTMX)
    assert bell.status_code == 200
    assert 'data-count="3"' in bell.text
    assert "<html" not in bell.text

    listing = client.get(reverse("console:notifications"))
    assert listing.text.count("notices__item--unread") == 3
    assert not Notification.objects.filter(recipient=dispatcher, read_at__isnull=True).exists()
    assert 'data-count="0"' in client.get(reverse("console:bell")).text


# --- 新建督办事项 ---------------------------------------------------------------------------------


def test_a_dispatcher_opens_a_supervision_item(dispatcher: Any, district: Any):
    client = client_for(dispatcher)
    url = reverse("enforcement:supervision_create")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "title": "汾河支流排污口排查",
            "description": "群众反映夜间排放",
            "jurisdiction": district.pk,
            "source": "leader",
            "location": "北格镇",
            "requirement": "7日内完成封堵",
        },
    )

    item = SupervisionItem.objects.get(title="汾河支流排污口排查")
    assert response.status_code == 302
    assert response.url == detail_url(item)
    assert item.state == "pending_assignment"
    assert item.source == "leader"
    assert item.events.get().transition == "open"
    assert "已新建督办事项" in client.get(response.url).text


def test_only_a_dispatcher_may_open_a_supervision_item(handler: Any):
    assert client_for(handler).get(reverse("enforcement:supervision_create")).status_code == 403


def test_a_dispatcher_cannot_open_an_item_in_another_district(dispatcher: Any, other_district: Any):
    response = client_for(dispatcher).post(
        reverse("enforcement:supervision_create"),
        {"title": "越权立案", "jurisdiction": other_district.pk, "source": "daily"},
    )

    assert response.status_code == 400
    assert "越权立案" in response.text  # the title is kept
    assert "选择一个有效的选项" in response.text
    assert not SupervisionItem.objects.filter(title="越权立案").exists()


def test_a_city_dispatcher_may_choose_any_district(city: Any, district: Any, other_district: Any):
    chief = make_staff("city-dispatcher", city, Role.DISPATCHER)
    page = client_for(chief).get(reverse("enforcement:supervision_create")).text
    assert "小店分局" in page and "迎泽分局" in page and "太原市生态环境局" in page
