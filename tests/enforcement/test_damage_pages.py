"""The damage case's pages: open a clue (一案双查 from an enforcement case, from a complaint,
standalone), the quarter's screening batch, and the case panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.damage import views as damage_views
from enforcement.damage.services import open_damage_clue
from enforcement.models import DamageCase, DamageParty, DamageState
from tests.enforcement.field import USCCS, at, open_clue, reload_enf
from tests.enforcement.test_damage_lifecycle import meeting, to_consulting
from tests.factories import file_complaint
from workflow.models import CaseLink
from workflow.models.case import LinkKind
from workflow.transitions import InvalidTransition, transition_case

pytestmark = pytest.mark.django_db

CREATE = reverse("enforcement:damage_create")
SCREENING = reverse("enforcement:damage_screening")
VALID_USCC = USCCS[0]


def page(pk: int) -> str:
    return reverse("console:case_detail", args=[pk])


def recent() -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def clue(actor: Any, when: dt.datetime, title: str = "渗坑倾倒化工废液", **extra: Any) -> Any:
    fields: dict[str, Any] = {"channel": "supervision", "parties": [("晋阳化工", "")]}
    fields.update(extra)
    return open_damage_clue(actor=actor, now=when, title=title, **fields)


# --- opening a clue ------------------------------------------------------------------------------


def test_an_enforcement_case_opens_its_damage_clue_in_one_action_linked_both_ways(
    client: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    enforcement = open_clue(inspector, inspector2, factory_site)
    client.force_login(inspector)
    # The enforcement case's page offers the 一案双查 referral.
    body = client.get(page(enforcement.pk)).content.decode()
    assert f"{CREATE}?enforcement={enforcement.pk}" in body

    url = f"{CREATE}?enforcement={enforcement.pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert enforcement.title in form.content.decode()
    response = client.post(
        url,
        {
            "title": "化工废水外排致河道污染（损害赔偿线索）",
            "description": "外排废水致下游河道受损",
            "location": "小店区北格镇",
            "elements": "地表水",
            "clue_received_at": recent(),
            "red_line_area": "on",
        },
    )
    damage = DamageCase.objects.get()
    assert response.status_code == 302 and response["Location"] == page(damage.pk)
    assert damage.channel == "penalty" and damage.state == DamageState.CLUE
    assert damage.red_line_area and damage.media == "地表水"
    assert [p.name for p in damage.parties.all()] == [enforcement.party_name]
    assert CaseLink.objects.filter(
        from_case=damage, to_case=enforcement, kind=LinkKind.DOUBLE_INVESTIGATION
    ).exists()
    # Both case pages show the other.
    assert damage.case_no in client.get(page(enforcement.pk)).content.decode()
    damage_page = client.get(page(damage.pk)).content.decode()
    assert enforcement.case_no in damage_page
    assert "一案双查" in damage_page


def test_a_complaint_refers_a_damage_clue(client: Any, dispatcher: Any, district: Any) -> None:
    complaint = file_complaint(jurisdiction=district, target_name="某化工厂")
    client.force_login(dispatcher)
    assert f"{CREATE}?complaint={complaint.pk}" in client.get(page(complaint.pk)).content.decode()
    response = client.post(
        f"{CREATE}?complaint={complaint.pk}",
        {"title": "河道发黑发臭（损害赔偿线索）", "clue_received_at": recent()},
    )
    damage = DamageCase.objects.get()
    assert response.status_code == 302
    assert damage.channel == "complaint"
    assert CaseLink.objects.filter(
        from_case=damage, to_case=complaint, kind=LinkKind.SPAWNED_FROM
    ).exists()
    assert damage.case_no in client.get(page(complaint.pk)).content.decode()
    assert complaint.case_no in client.get(page(damage.pk)).content.decode()


def test_a_standalone_clue_with_a_bad_uscc_is_refused_and_nothing_is_saved(
    client: Any, inspector: Any
) -> None:
    client.force_login(inspector)
    data = {
        "title": "林地非法开垦",
        "channel": "supervision",
        "clue_received_at": recent(),
        "party_name_1": "某矿业公司",
        "party_uscc_1": "91140100MA0GRXQ537",
    }
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert "统一社会信用代码" in response.content.decode()
    assert not DamageCase.objects.exists() and not DamageParty.objects.exists()

    data["party_uscc_1"] = VALID_USCC
    data.update(party_name_2="某运输公司")
    response = client.post(CREATE, data)
    assert response.status_code == 302
    damage = DamageCase.objects.get()
    assert damage.channel == "supervision"
    assert [(p.name, p.uscc) for p in damage.parties.all()] == [
        ("某矿业公司", VALID_USCC),
        ("某运输公司", ""),
    ]


def test_a_future_receipt_time_is_refused(client: Any, inspector: Any) -> None:
    client.force_login(inspector)
    later = timezone.localtime(timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        CREATE, {"title": "林地非法开垦", "channel": "other", "clue_received_at": later}
    )
    assert response.status_code == 400
    assert not DamageCase.objects.exists()


def test_an_outsider_gets_404_and_a_non_handler_403(
    client: Any, inspector: Any, inspector2: Any, factory_site: Any, outsider: Any, supervisor: Any
) -> None:
    enforcement = open_clue(inspector, inspector2, factory_site)
    url = f"{CREATE}?enforcement={enforcement.pk}"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "clue_received_at": recent()}).status_code == 404
    client.force_login(supervisor)  # a head decides; the handlers open clues
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "clue_received_at": recent()}).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert f"{CREATE}?enforcement=" not in client.get(page(enforcement.pk)).content.decode()
    assert not DamageCase.objects.exists()


# --- the screening batch -------------------------------------------------------------------------


@pytest.fixture
def batch(inspector: Any) -> list[Any]:
    return [
        clue(inspector, at(dt.date(2026, 10, 12)), title="甲 渗坑"),
        clue(inspector, at(dt.date(2026, 10, 20)), title="乙 尾矿"),
        clue(inspector, at(dt.date(2026, 11, 2)), title="丙 林地"),
    ]


def test_the_batch_lists_its_clues_with_their_deadlines_and_screens_them_in_bulk(
    client: Any, inspector: Any, batch: list[Any]
) -> None:
    a, b, c = batch
    client.force_login(inspector)
    body = client.get(f"{SCREENING}?batch=2026Q4").content.decode()
    for case in batch:
        assert case.case_no in body
        assert f"{case.prelim_due:%Y-%m-%d}" in body
    # 2026Q3's batch does not reach October's clues.
    assert a.case_no not in client.get(f"{SCREENING}?batch=2026Q3").content.decode()

    response = client.post(f"{SCREENING}?batch=2026Q4", {"clues": [a.pk, b.pk], "action": "in"})
    assert response.status_code == 302
    assert reload_enf(a).state == reload_enf(b).state == DamageState.PRELIM_CHECK
    assert reload_enf(a).screening_batch == "2026Q4"

    # Out needs a reason and a note: refused without, nothing done.
    response = client.post(f"{SCREENING}?batch=2026Q4", {"clues": [c.pk], "action": "out"})
    assert response.status_code == 400
    assert reload_enf(c).state == DamageState.CLUE
    response = client.post(
        f"{SCREENING}?batch=2026Q4",
        {"clues": [c.pk], "action": "out", "not_started_reason": "minor", "note": "仅少量倾倒"},
    )
    assert response.status_code == 302
    c = reload_enf(c)
    assert c.state == DamageState.EXCLUDED and c.not_started_reason == "minor"
    body = client.get(f"{SCREENING}?batch=2026Q4").content.decode()
    screened = body.split('id="screened"')[1]
    for case in batch:
        assert case.case_no in screened


def test_one_refusal_undoes_the_whole_batch(
    client: Any, inspector: Any, batch: list[Any], monkeypatch: Any
) -> None:
    a, b, _c = batch
    real = transition_case

    def refuse_second(case: Any, name: str, **kwargs: Any) -> Any:
        if case.pk == b.pk:
            raise InvalidTransition("该线索已被他人筛查。")
        return real(case, name, **kwargs)

    monkeypatch.setattr(damage_views, "transition_case", refuse_second)
    client.force_login(inspector)
    response = client.post(f"{SCREENING}?batch=2026Q4", {"clues": [a.pk, b.pk], "action": "in"})
    assert response.status_code == 400
    assert "该线索已被他人筛查。" in response.content.decode()
    assert reload_enf(a).state == DamageState.CLUE and reload_enf(a).screened_at is None


def test_an_outsider_sees_no_clue_of_the_batch(
    client: Any, outsider: Any, batch: list[Any]
) -> None:
    client.force_login(outsider)
    body = client.get(f"{SCREENING}?batch=2026Q4").content.decode()
    assert batch[0].case_no not in body
    response = client.post(f"{SCREENING}?batch=2026Q4", {"clues": [batch[0].pk], "action": "in"})
    assert response.status_code == 400
    assert reload_enf(batch[0]).state == DamageState.CLUE


# --- the panel -----------------------------------------------------------------------------------


def test_the_panel_shows_the_stage_the_next_step_with_its_deadline_and_the_meetings(
    client: Any, inspector: Any, supervisor: Any
) -> None:
    start = dt.date(2026, 9, 1)
    case = to_consulting(
        clue(inspector, at(start), red_line_area=True), inspector, supervisor, start
    )
    meeting(case, inspector, at(dt.date(2026, 10, 20)))
    meeting(case, inspector, at(dt.date(2026, 11, 3)))
    client.force_login(inspector)
    body = client.get(page(case.pk)).content.decode()
    panel = body.split('id="damage-panel"')[1]
    assert 'stepper__step--current" aria-current="step">磋商' in panel
    assert "下一步" in panel and "记录磋商会议" in panel
    assert "磋商期限" in panel and f"{reload_enf(case).consultation_due:%Y-%m-%d}" in panel
    assert "2/3" in panel
    assert "就修复方案交换意见" in panel
    assert "生态保护红线" in panel
    # The assessment's cost items and their total.
    assert "1860000.00" in panel.split('id="cost-items"')[1]


def test_a_clue_not_started_shows_its_reason_and_a_stopped_stage(
    client: Any, inspector: Any, supervisor: Any
) -> None:
    case = clue(inspector, at(dt.date(2026, 10, 12)))
    transition_case(
        case,
        "screen_in",
        actor=inspector,
        payload={"screening_batch": "2026Q4"},
        now=at(dt.date(2026, 10, 13)),
    )
    transition_case(
        reload_enf(case),
        "not_start",
        actor=supervisor,
        payload={"prelim_result": "损害已由当事人清除", "not_started_reason": "performed"},
        now=at(dt.date(2026, 10, 20)),
    )
    client.force_login(inspector)
    panel = client.get(page(case.pk)).content.decode().split('id="damage-panel"')[1]
    assert "stepper__step--stopped" in panel and ">初步核查<" in panel
    assert "不启动理由" in panel and "赔偿义务人已履行赔偿义务" in panel
    assert "下一步" not in panel


def test_the_forms_render_and_a_bad_batch_is_refused(client: Any, inspector: Any) -> None:
    client.force_login(inspector)
    body = client.get(CREATE).content.decode()
    assert 'name="channel"' in body and 'name="party_uscc_1"' in body
    assert client.get(f"{SCREENING}?batch=2026Q5").status_code == 400
    assert client.get(SCREENING).status_code == 200
