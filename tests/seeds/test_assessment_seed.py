"""The demo's 周排名 and 月考核: last week's and last month's snapshot of every demo bureau, taken
with the seed's `now`; a re-run for the same periods reproduces them; the back office shows them
read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from enforcement.assessment import ranking
from enforcement.models import RankingSnapshot, SnapshotKind
from seeds.assessment import demo_bureaus
from seeds.demo import seed_demo
from tests.seeds.conftest import NOW

pytestmark = pytest.mark.django_db

#: NOW is Wednesday 10 June 2026: last week is 1–7 June, last month is May.
WEEK = (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
MONTH = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def test_every_demo_bureau_has_last_weeks_and_last_months_snapshot(demo):
    bureaus = demo_bureaus()
    assert {b.code for b in bureaus} >= {"TY", "XD", "YZ"}
    for bureau in bureaus:
        weekly = RankingSnapshot.objects.get(kind=SnapshotKind.WEEKLY, scope=bureau)
        monthly = RankingSnapshot.objects.get(kind=SnapshotKind.MONTHLY, scope=bureau)
        assert (weekly.first_day, weekly.last_day) == WEEK
        assert (monthly.first_day, monthly.last_day) == MONTH
        assert weekly.created_at == monthly.created_at == NOW
        assert weekly.rows and monthly.rows  # every unit of the bureau is listed
    assert demo.ranking_snapshots == 2 * len(bureaus) == RankingSnapshot.objects.count()


def test_the_demo_ranks_someone_in_the_month(demo):
    # given the seeded history, then May's assessment of 小店 has units with a score and rank
    monthly = RankingSnapshot.objects.get(kind=SnapshotKind.MONTHLY, scope__code="XD")
    ranked = [row for row in monthly.rows if row["rank"] is not None]
    assert ranked
    assert ranked[0]["rank"] == 1
    assert all(row["score"] is not None for row in ranked)


def test_taking_the_periods_again_reproduces_the_same_digest(demo):
    stored = {s.pk: s.digest for s in RankingSnapshot.objects.all()}
    later = NOW + dt.timedelta(days=20)
    periods = {
        SnapshotKind.WEEKLY: ranking.last_week(NOW),
        SnapshotKind.MONTHLY: ranking.last_month(NOW),
    }
    assert [(p.first, p.last) for p in periods.values()] == [WEEK, MONTH]
    for bureau in demo_bureaus():
        for kind, period in periods.items():
            # when the period is taken again later (the beat, or by hand)
            again = ranking.take(kind, bureau, period, now=later)
            # then it is the stored snapshot, and recomputing gives its digest
            assert stored[again.pk] == again.digest
            recomputed = ranking.digest(
                kind,
                bureau,
                period,
                again.formula,
                again.weights,
                ranking.rows(bureau, period),
            )
            assert recomputed == again.digest
    assert RankingSnapshot.objects.count() == len(stored)


def test_seeding_again_reports_the_snapshots_and_writes_none(demo):
    again = seed_demo(now=NOW + dt.timedelta(days=30))
    assert not again.created
    assert again.ranking_snapshots == demo.ranking_snapshots


def test_the_back_office_shows_snapshots_read_only(demo, client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(root)
    snapshot = RankingSnapshot.objects.get(kind=SnapshotKind.MONTHLY, scope__code="XD")

    listing = client.get(reverse("admin:enforcement_rankingsnapshot_changelist"))
    assert listing.status_code == 200
    assert snapshot.digest[:12] in listing.text

    detail = client.get(reverse("admin:enforcement_rankingsnapshot_change", args=[snapshot.pk]))
    assert detail.status_code == 200
    assert snapshot.digest in detail.text
    assert 'name="_save"' not in detail.text

    assert client.get(reverse("admin:enforcement_rankingsnapshot_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:enforcement_rankingsnapshot_change", args=[snapshot.pk]),
            {"kind": "weekly"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:enforcement_rankingsnapshot_delete", args=[snapshot.pk]),
            {"post": "yes"},
        ).status_code
        == 403
    )
    assert RankingSnapshot.objects.get(pk=snapshot.pk).digest == snapshot.digest
