"""`seed_demo()`: the Taiyuan demo city, its people and cases in every state of the loop.

Cases are built only through `open_case()` and `transition_case()` with explicit moments before
`now`, so their numbers, events, hash chains and deadline rows are exactly what real use makes.
The whole seed is one transaction: it is there completely or not at all, and a second run finds
the city bureau and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from enforcement.models import (
    Campaign,
    Complaint,
    ConsultationMeeting,
    CorrectionOrder,
    DamageCase,
    EnforcementCase,
    ForwardedComplaint,
    Inspection,
    Patrol,
    Place,
    RandomInspectionPlan,
    RapidItem,
    RectificationTask,
    SupervisionItem,
)
from enforcement.models.enterprise import Enterprise
from seeds.assessment import count_snapshots, seed_assessment
from seeds.campaigns import seed_campaign
from seeds.complaints import COMPLAINTS, TrackedComplaint, demo_tracking, seed_complaints
from seeds.damage import seed_damage
from seeds.enterprises import seed_enterprises
from seeds.field import seed_field
from seeds.inspection_rounds import seed_inspection_round, seed_upcoming_round
from seeds.patrols import seed_patrols
from seeds.rectification import seed_rectification
from seeds.rhythm import seed_daily_analyses, seed_weekly_and_monthly
from seeds.stories import Step, Story, When
from seeds.taiyuan import CITY_CODE, DEMO_USERS, DemoUser, build_units, build_users
from seeds.xiaodian import XIAODIAN
from seeds.yingze import YINGZE
from workflow import calendar
from workflow.models import Case, Unit
from workflow.transitions import open_case, transition_case

STORIES: tuple[Story, ...] = XIAODIAN + YINGZE


class SeedError(Exception):
    """A story did not end where it says it does: the seed script and the engine disagree."""


@dataclass(frozen=True)
class SeedResult:
    #: False when the demo city was already there and nothing was written.
    created: bool
    units: int
    cases: int
    logins: tuple[DemoUser, ...]
    states: dict[str, int] = field(default_factory=dict)
    #: Of `cases`, the public complaints (信访投诉).
    complaints: int = 0
    #: A few complaints' public tracking pages, to open as the reporter would.
    tracking: tuple[TrackedComplaint, ...] = ()
    #: The registered 排污单位 (排污单位名录).
    enterprises: int = 0
    #: Of `cases`, the field work: 现场检查, 行政处罚案件 and 责令改正.
    inspections: int = 0
    enforcement_cases: int = 0
    correction_orders: int = 0
    #: 双随机抽查计划 (not cases: their tasks are inspections).
    random_plans: int = 0
    #: Of `cases`, the 生态环境损害赔偿 cases, and their 磋商 meetings (not cases).
    damage_cases: int = 0
    consultation_meetings: int = 0
    #: 周排名 and 月考核 snapshots (last week's and last month's of every demo bureau).
    ranking_snapshots: int = 0
    #: Of `cases`, the 督察 round's 边督边改交办件.
    forwarded_items: int = 0
    #: Of `cases`, its 反馈问题整改任务 (co-units' parts included).
    rectification_tasks: int = 0
    #: 专项行动 (not cases: their 调度令 open 督办事项 and 现场检查).
    campaigns: int = 0
    #: 点位 on the register, 巡查记录 (not cases), and of `cases` the 即知即改事项 they found.
    places: int = 0
    patrols: int = 0
    rapid_items: int = 0
    #: The states of `states` per case kind ("supervision", "complaint", "enforcement" …).
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def supervision_items(self) -> int:
        return (
            self.cases
            - self.complaints
            - self.inspections
            - self.enforcement_cases
            - self.correction_orders
            - self.damage_cases
            - self.forwarded_items
            - self.rectification_tasks
            - self.rapid_items
        )


def is_seeded() -> bool:
    return Unit.objects.filter(code=CITY_CODE).exists()


def demo_logins() -> tuple[DemoUser, ...]:
    """The demo people whose accounts exist (an administrator may have removed some)."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[u.username for u in DEMO_USERS], is_active=True)
        .values_list("username", flat=True)
    )
    return tuple(u for u in DEMO_USERS if u.username in existing)


def seed_demo(*, now: dt.datetime | None = None) -> SeedResult:
    """Build the demo city as of `now` (default: the current time), unless it exists."""
    now = now or timezone.now()
    if is_seeded():
        return _existing()
    with transaction.atomic():
        units = build_units()
        users = build_users(units)
        # Oldest first, so case numbers run in the order the cases were opened.
        stories = sorted(STORIES, key=lambda story: moment(now, story.opened))
        for story in stories:
            _tell(story, units=units, users=users, now=now)
        complaints = seed_complaints(
            units=units, users=users, now=now, moment=moment, photo=site_photo
        )
        seed_enterprises(now=now)
        by_key = {story.key: c for story, c in zip(COMPLAINTS, complaints, strict=True)}
        fieldwork = seed_field(
            users=users, complaints=by_key, now=now, moment=moment, photo=site_photo
        )
        # After the field work: 一案双查 opens a clue from one of its penalty cases.
        damage = seed_damage(
            users=users, complaints=by_key, now=now, moment=moment, photo=site_photo
        )
        round = seed_inspection_round(units=units, users=users, now=now, moment=moment)
        tasks = seed_rectification(
            round, units=units, users=users, now=now, moment=moment, photo=site_photo
        )
        seed_upcoming_round(units=units, users=users, now=now)
        campaign = seed_campaign(units=units, users=users, now=now, moment=moment, photo=site_photo)
        seed_patrols(
            units=units,
            users=users,
            campaign=campaign,
            now=now,
            moment=moment,
            photo=site_photo,
        )
        seed_daily_analyses(now=now)
        # Last: the rankings read the whole seeded history, the 周调度 and 月通报 the rankings.
        assessment = seed_assessment(now=now)
        seed_weekly_and_monthly(now=now)
    result = _existing()
    return SeedResult(
        created=True,
        units=len(units),
        cases=result.cases,
        logins=DEMO_USERS,
        states=result.states,
        complaints=len(complaints),
        tracking=demo_tracking(CITY_CODE),
        enterprises=result.enterprises,
        inspections=result.inspections,
        enforcement_cases=fieldwork.enforcement_cases,
        correction_orders=fieldwork.correction_orders,
        random_plans=fieldwork.random_plans,
        damage_cases=damage.damage_cases,
        consultation_meetings=damage.meetings,
        ranking_snapshots=assessment.snapshots,
        forwarded_items=ForwardedComplaint.objects.filter(batch__round=round).count(),
        rectification_tasks=tasks,
        campaigns=result.campaigns,
        places=result.places,
        patrols=result.patrols,
        rapid_items=result.rapid_items,
        kinds=result.kinds,
    )


def _existing() -> SeedResult:
    seeded_units = Unit.objects.filter(path__startswith=f"{CITY_CODE}/")
    cases = Case.objects.filter(jurisdiction__in=seeded_units)
    kinds: dict[str, Counter[str]] = {}
    for kind, state in cases.values_list("kind", "state"):
        kinds.setdefault(kind, Counter())[state] += 1
    states = sum(kinds.values(), Counter[str]())

    def count(model: type[Case]) -> int:
        return model.objects.filter(jurisdiction__in=seeded_units).count()

    return SeedResult(
        created=False,
        units=seeded_units.count(),
        cases=sum(states.values()),
        logins=demo_logins(),
        states=dict(states),
        complaints=count(Complaint),
        tracking=demo_tracking(CITY_CODE),
        enterprises=Enterprise.objects.filter(jurisdiction__in=seeded_units).count(),
        inspections=count(Inspection),
        enforcement_cases=count(EnforcementCase),
        correction_orders=count(CorrectionOrder),
        random_plans=RandomInspectionPlan.objects.filter(jurisdiction__in=seeded_units).count(),
        damage_cases=count(DamageCase),
        consultation_meetings=ConsultationMeeting.objects.filter(
            case__jurisdiction__in=seeded_units
        ).count(),
        ranking_snapshots=count_snapshots(),
        forwarded_items=count(ForwardedComplaint),
        rectification_tasks=count(RectificationTask),
        campaigns=Campaign.objects.filter(region__in=seeded_units).count(),
        places=Place.objects.filter(jurisdiction__in=seeded_units).count(),
        patrols=Patrol.objects.filter(region__in=seeded_units).count(),
        rapid_items=count(RapidItem),
        kinds={kind: dict(counter) for kind, counter in kinds.items()},
    )


# --- telling one story ------------------------------------------------------------------------


def moment(now: dt.datetime, when: When) -> dt.datetime:
    """`when` = (working days before now's date, "HH:MM" Beijing time)."""
    workdays_ago, clock = when
    if workdays_ago < 1:
        raise ValueError("demo steps happen on earlier working days, never later than now")
    day = calendar.add_workdays(calendar.local_date(now), -workdays_ago).date
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.SHANGHAI)


def _tell(
    story: Story, *, units: dict[str, Unit], users: dict[str, AbstractUser], now: dt.datetime
) -> Case:
    opened_at = moment(now, story.opened)
    case = open_case(
        SupervisionItem,
        actor=users[story.opened_by],
        jurisdiction=units[story.district],
        title=story.title,
        description=story.description,
        location=story.location,
        source=story.source,
        requirement=story.requirement,
        now=opened_at,
    )
    previous = opened_at
    for number, step in enumerate(story.steps, start=1):
        at = moment(now, step.at)
        if at <= previous:
            raise SeedError(f"{story.title}: step {number} ({step.transition}) goes back in time")
        transition_case(
            case,
            step.transition,
            actor=users[step.actor],
            note=step.note,
            payload=_payload(step, units),
            files=[site_photo(f"{story.title}-{number}")] if step.photo else [],
            now=at,
        )
        case.refresh_from_db()
        previous = at
    if case.state != story.ends_in:
        raise SeedError(f"{story.title}: ended in {case.state}, expected {story.ends_in}")
    return case


def _payload(step: Step, units: dict[str, Unit]) -> dict[str, Any]:
    payload = dict(step.payload)
    if "responsible_unit" in payload:
        payload["responsible_unit"] = units[payload["responsible_unit"]].pk
    return payload


def site_photo(seed: str) -> SimpleUploadedFile:
    """A small generated JPEG standing in for a site photo (distinct per step, so the stored
    evidence hashes differ as real photos would)."""
    tone = zlib.crc32(seed.encode())
    sky = (120 + tone % 80, 160 + tone % 60, 200)
    ground = (70 + tone % 50, 110 + (tone >> 8) % 60, 60)
    image = Image.new("RGB", (320, 240), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 150, 320, 240), fill=ground)
    draw.rectangle((40 + tone % 120, 90, 130 + tone % 120, 150), fill=(150, 150, 150))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("现场照片.jpg", out.getvalue(), content_type="image/jpeg")


def demo_password() -> str:
    return str(settings.ECOLOOP_DEMO_PASSWORD)
