"""The demo's 专项行动: the city's 秋冬季大气污染防治攻坚行动 with the 工地“六个百分百” checklist,
20 construction sites as its targets and one 调度令 to the 19 towns and departments of the districts
— each a 督办事项 in the loop — and a 专项检查 of every site; 北格镇 has reported, one site has
been inspected against the checklist.

The sites are on the register of places (点位名录: a 工地 has no credit code of its own), each
with its 施工单位 as the 责任主体 and its district's first town as the 属地 unit.

Log in as `ducha` (the city bureau's dispatcher: 签发 调度令), `leader` or `dispatcher`, and
open 专项行动.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.campaigns import services
from enforcement.inspections.services import record_inspection
from enforcement.models import (
    Campaign,
    CampaignKind,
    Inspection,
    Place,
    PlaceKind,
    SupervisionItem,
)
from seeds.field_agenda import stamp
from seeds.stories import When
from seeds.taiyuan import EXTERNAL_UNITS
from workflow import calendar
from workflow.models import Unit
from workflow.transitions import transition_case

Moment = Callable[[dt.datetime, When], dt.datetime]
Photo = Callable[[str], Any]

NAME = "2026—2027年秋冬季大气污染防治攻坚行动"
SITE_CHECKLIST = (
    "施工工地周边100%围挡",
    "物料堆放100%覆盖",
    "出入车辆100%冲洗",
    "施工现场地面100%硬化",
    "拆迁工地100%湿法作业",
    "渣土车辆100%密闭运输",
)
#: (管辖单位, 工地): the 施工单位 and its project, as the site is named on its 公示牌.
SITES: tuple[tuple[str, str], ...] = (
    ("XD", "中建二局第三建筑工程有限公司（万科城三期项目）"),
    ("XD", "山西建设投资集团有限公司（龙城大街改造工程）"),
    ("XD", "山西四建集团有限公司（北格镇安置房项目）"),
    ("XD", "太原市政建设集团有限公司（南中环东延工程）"),
    ("XHL", "山西一建集团有限公司（巨轮街道棚改项目）"),
    ("XHL", "中铁十七局集团有限公司（杏花岭区地铁2号线工地）"),
    ("YZ", "山西八建集团有限公司（老军营片区改造）"),
    ("YZ", "中国建筑第八工程局有限公司（迎泽大街地下综合管廊）"),
    ("JCP", "山西三建集团有限公司（柴村物流园工程）"),
    ("JCP", "太原市第一建筑工程集团有限公司（尖草坪区学校新建）"),
    ("WBL", "中建三局集团有限公司（西山生态修复项目）"),
    ("WBL", "山西五建集团有限公司（西铭街道安置房）"),
    ("WBL", "中铁三局集团有限公司（万柏林区道路改造）"),
    ("JY", "山西二建集团有限公司（晋祠路拓宽工程）"),
    ("JY", "中国化学工程第十三建设有限公司（晋源区污水厂扩建）"),
    ("QX", "山西六建集团有限公司（清源镇产业园）"),
    ("QX", "清徐县建筑安装工程有限公司（县医院迁建）"),
    ("YQ", "阳曲县城乡建设工程有限公司（黄寨镇道路工程）"),
    ("LF", "娄烦县汾源建筑有限公司（汾河水库周边整治）"),
    ("GJ", "古交市建筑工程有限公司（东曲街道老旧小区改造）"),
)


def _sites(units: dict[str, Unit], at: dt.datetime) -> list[Place]:
    places = []
    for code, name in SITES:
        builder, project = name.rstrip("）").split("（", 1)
        town = EXTERNAL_UNITS[code][0][0]
        places.append(
            Place.objects.create(
                name=project,
                kind=PlaceKind.SITE,
                address=project,
                jurisdiction=units[code],
                responsible_unit=units[f"{code}-{town}"],
                owner=builder,
                created_at=at,
            )
        )
    return places


def seed_campaign(
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    now: dt.datetime,
    moment: Moment,
    photo: Photo,
) -> Campaign:
    today = calendar.local_date(now)
    created = moment(now, (8, "09:00"))
    campaign = Campaign.objects.create(
        name=NAME,
        kind=CampaignKind.SEASONAL,
        region=units["TY"],
        lead_unit=units["TY-JCB"],
        starts_on=calendar.local_date(created),
        ends_on=dt.date(today.year + (today.month > 3), 3, 31),
        clear_by=today + dt.timedelta(days=30),
        requirement="全市在建工地逐一排查，落实扬尘治理“六个百分百”；问题即知即改，月底前全部清零。",
        checklist=[{"code": f"c{n}", "item": item} for n, item in enumerate(SITE_CHECKLIST, 1)],
        created_by=users["leader"],  # type: ignore[misc]
        created_at=created,
    )
    towns = [units[f"{d}-{suffix}"] for d, rows in EXTERNAL_UNITS.items() for suffix, *_ in rows]
    campaign.units.set(towns)
    sites = _sites(units, created)
    campaign.places.set(sites)
    # Yesterday afternoon, after the demo's other field work was opened: case numbers run in
    # the order cases were opened.
    issued = moment(now, (1, "14:00"))
    order = services.issue_order(
        campaign,
        actor=users["ducha"],
        title="工地扬尘“六个百分百”专项整治",
        requirement="各单位对辖区在建工地逐一排查，发现问题立即整改，整改完成后附照片反馈。",
        units=towns,
        targets=sites,
        rectify_due=today + dt.timedelta(days=14),
        inspect_by=today + dt.timedelta(days=7),
        now=issued,
    )
    # 北格镇 has signed and reported with a photo.
    task = SupervisionItem.objects.get(order=order, responsible_unit=units["XD-BG"])
    handler = users["handler"]
    transition_case(task, "sign", actor=handler, now=issued + dt.timedelta(minutes=30))
    transition_case(
        SupervisionItem.objects.get(pk=task.pk),
        "report",
        actor=handler,
        note="辖区3处在建工地已逐一排查，补齐围挡40米，裸土全部覆盖，出入口冲洗设施已安装。",
        files=[photo("campaign-beige")],
        now=issued + dt.timedelta(hours=3),
    )
    # One site inspected against the campaign's checklist, one line not met.
    check = Inspection.objects.get(order=order, place=sites[0])
    at = issued + dt.timedelta(hours=3, minutes=30)
    record = {
        "inspectors": [users["inspector"].pk, users["inspector2"].pk],
        "started_at": stamp(at - dt.timedelta(minutes=70)),
        "ended_at": stamp(at - dt.timedelta(minutes=10)),
        "location": "万科城三期施工现场及出入口",
        "on_site_person": "项目经理",
        "findings": "围挡、覆盖、硬化到位；出入口冲洗设施未正常使用，车辆带泥上路。",
    }
    for n, _item in enumerate(SITE_CHECKLIST, 1):
        record[f"check_c{n}"] = "problem" if n == 3 else "ok"
        record[f"note_c{n}"] = "冲洗设施停用" if n == 3 else ""
    record_inspection(
        check, actor=users["inspector"], record=record, files=[photo("campaign-site")], now=at
    )
    return campaign
