"""The demo's public complaints: every complaint state, repeats on the ladder, tracking pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from enforcement.complaints.duplicates import suggest_originals
from enforcement.models import Complaint, ComplaintState, Rating, ReporterIdentity
from seeds.demo import seed_demo
from tests.seeds.conftest import NOW
from workflow.chain import verify_chain
from workflow.models import CaseEvent, CaseLink, Deadline, Escalation, Notice
from workflow.models.escalation import Rung
from workflow.permissions import has_role
from workflow.roles import Role

pytestmark = pytest.mark.django_db

#: Every state a complaint can be in: its own, and the loop's between 受理 and 答复.
COMPLAINT_STATES = {
    *ComplaintState.values,
    "pending_assignment",
    "assigned",
    "rectifying",
    "reported",
    "verifying",
    "pending_closure",
    "closed",
}


def test_the_demo_has_a_complaint_in_every_complaint_state(demo):
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states >= COMPLAINT_STATES
    assert demo.complaints == Complaint.objects.count()
    # Closed with each rating, the unrated one closed by the system.
    closed = Complaint.objects.filter(state="closed")
    assert set(closed.values_list("rating", flat=True)) >= {
        Rating.SATISFIED,
        Rating.BASICALLY,
        Rating.NONE,
    }
    unrated = closed.get(rating=Rating.NONE)
    assert unrated.events.order_by("seq").last().transition == "close_unrated"


def test_demo_complaints_mix_tracks_channels_reporters_and_districts(demo):
    complaints = Complaint.objects.all()
    assert set(complaints.exclude(track="").values_list("track", flat=True)) == {
        "petition",
        "report",
    }
    assert set(complaints.values_list("channel", flat=True)) >= {"web", "phone", "letter"}
    assert complaints.filter(anonymous=True).exists()
    assert complaints.filter(anonymous=False).exists()
    assert len(set(complaints.values_list("category", flat=True))) >= 6
    assert set(complaints.values_list("jurisdiction__code", flat=True)) >= {"XD", "YZ", "WBL"}
    # Real-name reporters are kept encrypted; the anonymous ones have no identity row.
    assert not ReporterIdentity.objects.filter(complaint__anonymous=True).exists()
    for row in ReporterIdentity.objects.all():
        assert "138000000" not in row.ciphertext and "测试者" not in row.ciphertext


def test_demo_complaints_were_built_through_the_write_path_in_the_past(demo):
    for complaint in Complaint.objects.all():
        events = list(complaint.events.order_by("seq"))
        assert events[0].transition == "open"
        assert all(event.created_at < NOW for event in events)
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert verify_chain(complaint).ok
    not_accepted = Complaint.objects.get(state=ComplaintState.NOT_ACCEPTED)
    assert not_accepted.public_reason and not_accepted.not_accepted_reason
    assert Complaint.objects.get(state=ComplaintState.REDIRECTED).redirect_to
    extended = Complaint.objects.get(handle_extended_days__isnull=False)
    assert extended.handle_extended_days == 30
    assert Deadline.objects.filter(case=extended, kind="handle", status="superseded").exists()


def test_repeats_are_merged_and_climb_their_originals_ladder(demo):
    merged = Complaint.objects.filter(state=ComplaintState.MERGED)
    assert merged.count() == 3
    originals = Complaint.objects.filter(repeat_count__gt=0).order_by("repeat_count")
    assert [c.repeat_count for c in originals] == [1, 2]
    second, third = originals
    # The 2nd complaint about a matter → 督办, with a 《督办单》 to the responsible unit.
    assert list(Escalation.objects.filter(case=second).values_list("rung", flat=True)) == [
        Rung.SUPERVISE
    ]
    assert second.escalation_level >= Rung.SUPERVISE
    assert Notice.objects.filter(case=second, kind="supervise").exists()
    # The 3rd → 提级办理, and 挂牌督办 suggested for a leader.
    rungs = set(Escalation.objects.filter(case=third).values_list("rung", "status"))
    assert {(Rung.SUPERVISE, "fired"), (Rung.ELEVATE, "fired"), (Rung.LISTED, "suggested")} <= rungs
    assert third.escalation_level >= Rung.ELEVATE
    for repeat in merged:
        assert repeat.merged_into_id in {second.pk, third.pk}
        assert CaseLink.objects.filter(
            from_case=repeat, to_case_id=repeat.merged_into_id, kind="duplicate_of"
        ).exists()
        assert CaseEvent.objects.filter(case=repeat, transition="link").exists()


def test_a_registered_complaint_has_a_suggested_duplicate_nearby(demo):
    registered = Complaint.objects.filter(state=ComplaintState.REGISTERED)
    with_suggestion = [c for c in registered if suggest_originals(c)]
    assert with_suggestion
    nearby = with_suggestion[0]
    assert nearby.latitude is not None
    assert all(s.state == "rectifying" for s in suggest_originals(nearby))


def test_the_intake_role_has_a_login_in_the_city_and_in_xiaodian(demo):
    User = get_user_model()
    intakes = {user.staff.unit.code for user in User.objects.all() if has_role(user, Role.INTAKE)}
    assert {"TY", "XD"} <= intakes
    xd_intake = User.objects.get(username="xd_intake")
    assert Complaint.objects.visible_to(xd_intake).filter(jurisdiction__code="XD").exists()
    assert not Complaint.objects.visible_to(xd_intake).filter(jurisdiction__code="YZ").exists()


def test_seeding_again_adds_no_complaint(demo):
    before = (
        Complaint.objects.count(),
        ReporterIdentity.objects.count(),
        Escalation.objects.count(),
        CaseEvent.objects.count(),
    )
    again = seed_demo(now=NOW + dt.timedelta(days=30))
    assert not again.created
    assert again.complaints == demo.complaints
    assert {t.case_no for t in again.tracking} == {t.case_no for t in demo.tracking}
    assert before == (
        Complaint.objects.count(),
        ReporterIdentity.objects.count(),
        Escalation.objects.count(),
        CaseEvent.objects.count(),
    )


def test_the_listed_tracking_pages_open_for_the_public(demo, client):
    assert {item.state for item in demo.tracking} >= {"已答复", "不予受理", "已办结"}
    for item in demo.tracking:
        path = "/" + item.url.split("://", 1)[1].split("/", 1)[1]
        response = client.get(path)
        assert response.status_code == 200, item
        complaint = Complaint.objects.get(case_no=item.case_no)
        assert complaint.tracking_code in path
