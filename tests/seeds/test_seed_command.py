"""`manage.py seed` on an empty database: what it prints, when it refuses.

Kept apart from the modules that share one seeded demo (tests/seeds/conftest.py): these start
from nothing.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from enforcement.models import Complaint, ComplaintState
from tests.seeds.conftest import NOW
from workflow.models import Unit

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_logins_on_the_first_run_only(settings):
    first, second = StringIO(), StringIO()
    call_command("seed", "--now", NOW.isoformat(), stdout=first)
    call_command("seed", stdout=second)

    assert "dispatcher" in first.getvalue()
    assert settings.ECOLOOP_DEMO_PASSWORD in first.getvalue()
    assert "未做更改" in second.getvalue()
    assert settings.ECOLOOP_DEMO_PASSWORD not in second.getvalue()
    assert "dispatcher" not in second.getvalue()


def test_the_quiet_command_prints_one_line_and_no_password(settings):
    out = StringIO()
    call_command("seed", "--now", NOW.isoformat(), verbosity=0, stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 1
    assert settings.ECOLOOP_DEMO_PASSWORD not in out.getvalue()


def test_the_command_refuses_where_demo_data_is_disabled(settings):
    settings.ECOLOOP_DEMO_SEED = False
    with pytest.raises(CommandError, match="ECOLOOP_DEMO_SEED"):
        call_command("seed", stdout=StringIO())
    assert not Unit.objects.exists()


def test_the_command_needs_a_moment_with_a_time_zone():
    with pytest.raises(CommandError, match="时区"):
        call_command("seed", "--now", "2026-06-10T10:30", stdout=StringIO())


def test_the_command_prints_the_intake_logins_and_tracking_pages(settings):
    first, logins = StringIO(), StringIO()
    call_command("seed", "--now", NOW.isoformat(), stdout=first)
    call_command("seed", "--logins", stdout=logins)

    for out in (first.getvalue(), logins.getvalue()):
        assert "xd_intake" in out and "小店分局 受理员（受理员）" in out
        assert "intake" in out and "监察办 受理员（受理员）" in out
        codes = [c.tracking_code for c in Complaint.objects.all() if c.tracking_code in out]
        assert len(codes) >= 3
    assert "信访投诉" in first.getvalue()
    replied = Complaint.objects.get(state=ComplaintState.REPLIED)
    assert f"/complaints/track/{replied.tracking_code}/" in first.getvalue()
