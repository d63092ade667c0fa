"""The demo's 即知即改: 小店分局's register of places (a field where straw is burnt, a food stall, a
road, a yard), last night's patrol of 北格镇 under the 秋冬防 campaign with three findings — one
answered and disposed of in time, one answered late, one 交办 this minute and due in 2 hours — and
an inspector's finding this morning, waiting for the dispatcher's 交办 within the hour.

Log in as `dispatcher` (巡查: the patrols, the findings' cases), `handler` (北格镇: the items to
签收 within their hours) or `leader` (数据看板: 第一时间响应率).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.models import Campaign, Place, PlaceKind, Shift
from enforcement.patrols import services
from seeds.stories import When
from workflow.models import Unit
from workflow.transitions import transition_case

Moment = Callable[[dt.datetime, When], dt.datetime]
Photo = Callable[[str], Any]

#: (key, name, type, where, 责任主体) in 北格镇.
PLACES: tuple[tuple[str, str, PlaceKind, str, str], ...] = (
    ("field", "张花村东侧农田", PlaceKind.BURNING, "北格镇张花村东200米", ""),
    ("stall", "北格镇老街烧烤摊", PlaceKind.CATERING, "北格镇老街与北格大道交口", "个体经营者"),
    ("road", "北格大道（G208至南中环段）", PlaceKind.ROAD, "北格大道G208至南中环", ""),
    ("yard", "北格镇西堆煤场", PlaceKind.YARD, "北格镇西温庄路口西侧", "太原某煤炭经销部"),
)


def seed_places(units: dict[str, Unit], *, now: dt.datetime) -> dict[str, Place]:
    return {
        key: Place.objects.create(
            name=name,
            kind=kind,
            address=address,
            jurisdiction=units["XD"],
            responsible_unit=units["XD-BG"],
            owner=owner,
            created_at=now,
        )
        for key, name, kind, address, owner in PLACES
    }


def seed_patrols(
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    campaign: Campaign,
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> int:
    """The patrols and their findings; returns the number of findings."""
    places = seed_places(units, now=moment(now, (2, "09:00")))
    dispatcher, handler = users["dispatcher"], users["handler"]
    town = units["XD-BG"]
    night = services.start_patrol(
        actor=dispatcher,
        area="北格镇—张花村—北格大道",
        shift=Shift.NIGHT,
        patrollers=[users["inspector"], users["inspector2"]],
        campaign=campaign,
        now=moment(now, (1, "20:00")),
    )

    def found(at: dt.datetime, place: str, what: str, requirement: str, key: str) -> Any:
        finding = services.Finding(
            description=what, location="", place=places[place], requirement=requirement, unit=town
        )
        return services.record_finding(
            night, finding, actor=dispatcher, files=[photo(key)], now=at
        ).case

    # Answered in 25 minutes, put out and reported before morning: in time on both counts.
    fire_at = moment(now, (1, "21:10"))
    fire = found(
        fire_at,
        "field",
        "农田内焚烧秸秆，明火约10平方米，烟雾飘向村庄",
        "立即扑灭明火，清理焚烧残留物，对农户开展禁烧宣传",
        "patrol-fire",
    )
    transition_case(fire, "sign", actor=handler, now=fire_at + dt.timedelta(minutes=25))
    fire.refresh_from_db()
    transition_case(
        fire,
        "report",
        actor=handler,
        note="明火已于21:50扑灭，残留物已清运，已对涉事农户进行批评教育并签订禁烧承诺书。",
        files=[photo("patrol-fire-done")],
        now=fire_at + dt.timedelta(hours=2),
    )
    # Answered 2 h 35 min after 交办: a late response, still being dealt with.
    stall_at = moment(now, (1, "22:05"))
    stall = found(
        stall_at,
        "stall",
        "露天烧烤未安装油烟净化设施，油烟直排",
        "当晚停止露天烧烤，限期安装油烟净化设施并入室经营",
        "patrol-stall",
    )
    transition_case(stall, "sign", actor=handler, now=stall_at + dt.timedelta(hours=2, minutes=35))
    night = services.end_patrol(
        night,
        summary="巡查3.5小时，发现问题2处，均已当场交办北格镇。",
        now=moment(now, (1, "23:30")),
    )
    # This morning: the dispatcher's day patrol hands a dusty road to 北格镇 a minute ago: due
    # within 2 hours.
    day = services.start_patrol(
        actor=dispatcher,
        area="北格大道沿线",
        shift=Shift.DAY,
        patrollers=[users["inspector"]],
        campaign=campaign,
        now=now - dt.timedelta(minutes=40),
    )
    services.record_finding(
        day,
        services.Finding(
            description="渣土车未密闭运输，道路遗撒约300米",
            location="",
            place=places["road"],
            requirement="立即组织清扫冲洗，查明渣土车所属工地并通报住建部门",
            unit=town,
        ),
        actor=dispatcher,
        files=[photo("patrol-road")],
        # A minute ago: every demo event lies in the past.
        now=now - dt.timedelta(minutes=1),
    )
    # An inspector's own patrol: the finding waits for the dispatcher's 交办 within the hour.
    own = services.start_patrol(
        actor=users["inspector"],
        area="北格镇西温庄路口",
        shift=Shift.DAY,
        patrollers=[],
        campaign=campaign,
        now=now - dt.timedelta(minutes=30),
    )
    services.record_finding(
        own,
        services.Finding(
            description="堆煤场未苫盖，大风天气扬尘明显",
            location="",
            place=places["yard"],
            requirement="立即苫盖，配备喷淋设施",
        ),
        actor=users["inspector"],
        files=[photo("patrol-yard")],
        now=now - dt.timedelta(minutes=5),
    )
    return 4
