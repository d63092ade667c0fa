"""The demo city: 太原市生态环境局, its branches and county bureaus, and one person per role.

Every district and county has a 执法大队 and one or two external responsible units (a town or
street, a district department), so a case can be assigned outside the bureau as in real life.
`region_code` is the 行政区划代码 (GB/T 2260) of the district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group

from enforcement.models import InspectorCredential
from workflow.models import Staff, Unit, UnitKind
from workflow.roles import Role

CITY_CODE = "TY"


@dataclass(frozen=True)
class District:
    code: str
    name: str
    short_name: str
    kind: UnitKind
    region_code: str


CITY_SECTIONS: tuple[tuple[str, str, UnitKind], ...] = (
    ("JCB", "监察办", UnitKind.SECTION),
    ("ZFD", "综合行政执法队", UnitKind.TEAM),
    ("FZK", "法制科", UnitKind.SECTION),
    ("DCB", "市督察整改办", UnitKind.SECTION),
)

BRANCH, COUNTY = UnitKind.BRANCH, UnitKind.COUNTY_BUREAU
DISTRICTS: tuple[District, ...] = (
    District("XD", "小店分局", "小店", BRANCH, "140105"),
    District("XHL", "杏花岭分局", "杏花岭", BRANCH, "140107"),
    District("YZ", "迎泽分局", "迎泽", BRANCH, "140106"),
    District("JCP", "尖草坪分局", "尖草坪", BRANCH, "140108"),
    District("WBL", "万柏林分局", "万柏林", BRANCH, "140109"),
    District("JY", "晋源分局", "晋源", BRANCH, "140110"),
    District("QX", "清徐县局", "清徐", COUNTY, "140121"),
    District("YQ", "阳曲县局", "阳曲", COUNTY, "140122"),
    District("LF", "娄烦县局", "娄烦", COUNTY, "140123"),
    District("GJ", "古交市局", "古交", COUNTY, "140181"),
)

TOWN, DEPT = UnitKind.TOWN, UnitKind.DEPARTMENT
#: Per district: (code suffix, name, kind) of the units outside the bureau that take assignments.
EXTERNAL_UNITS: dict[str, tuple[tuple[str, str, UnitKind], ...]] = {
    "XD": (("BG", "北格镇", TOWN), ("ZJJ", "小店区住房和城乡建设局", DEPT)),
    "XHL": (("JL", "巨轮街道", TOWN), ("CGJ", "杏花岭区城乡管理局", DEPT)),
    "YZ": (("LX", "柳巷街道", TOWN), ("SJJ", "迎泽区市场监督管理局", DEPT)),
    "JCP": (("CC", "柴村街道", TOWN), ("SWJ", "尖草坪区水务局", DEPT)),
    "WBL": (("XM", "西铭街道", TOWN), ("ZJJ", "万柏林区住房和城乡建设局", DEPT)),
    "JY": (("JC", "晋祠镇", TOWN), ("NYJ", "晋源区农业农村局", DEPT)),
    "QX": (("QY", "清源镇", TOWN), ("GXJ", "清徐县工业和信息化局", DEPT)),
    "YQ": (("HZ", "黄寨镇", TOWN), ("ZRJ", "阳曲县自然资源局", DEPT)),
    "LF": (("LF", "娄烦镇", TOWN),),
    "GJ": (("DQ", "东曲街道", TOWN), ("NYJ", "古交市能源局", DEPT)),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    unit_code: str
    title: str
    roles: tuple[Role, ...]
    superuser: bool = False
    #: 执法证号 (region code, year of issue, serial): inspectors and verifiers check on site.
    credential: str = ""


#: Every 执法证 of the demo is valid until the end of 2028.
CREDENTIALS_VALID_UNTIL = dt.date(2028, 12, 31)


#: One person per role in 小店 (the handler works in a town, the bureau's people in the city
#: bureau), and a second district's set in 迎泽 so that jurisdiction can be seen from both sides.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("intake", "刘敏", "TY", "监察办 受理员", (Role.INTAKE,)),
    DemoUser("xd_intake", "钱芳", "XD", "小店分局 受理员", (Role.INTAKE,)),
    DemoUser("dispatcher", "王强", "XD", "小店分局 调度员", (Role.DISPATCHER,)),
    DemoUser(
        "inspector",
        "赵磊",
        "XD-TEAM",
        "小店执法大队 执法人员",
        (Role.INSPECTOR,),
        credential="14010520260001",
    ),
    DemoUser(
        "inspector2",
        "孙浩",
        "XD-TEAM",
        "小店执法大队 执法人员",
        (Role.INSPECTOR,),
        credential="14010520260002",
    ),
    DemoUser("handler", "陈静", "XD-BG", "北格镇 环保专干", (Role.HANDLER,)),
    DemoUser(
        "verifier", "李娜", "XD", "小店分局 核查员", (Role.VERIFIER,), credential="14010520260003"
    ),
    DemoUser("supervisor", "张建国", "XD", "小店分局 副局长", (Role.SUPERVISOR,)),
    DemoUser("leader", "孙立新", "TY", "市生态环境局 副局长", (Role.LEADER,)),
    DemoUser("legal", "周洁", "TY", "法制科 法制审核员", (Role.LEGAL_REVIEWER,)),
    DemoUser("admin", "系统管理员", "TY", "信息中心", (Role.ADMIN,), superuser=True),
    # The 督察整改办 is staffed from the bureau and acts with its reach (its people sit on the
    # city bureau, as 监察办's do): the clerk 交办s and 审核s, the head 审签s and 签发s.
    DemoUser(
        "ducha",
        "杨帆",
        "TY",
        "市督察整改办 调度员",
        (Role.DISPATCHER, Role.VERIFIER),
        credential="14010020260001",
    ),
    DemoUser("ducha_head", "白雪", "TY", "市督察整改办 主任", (Role.SUPERVISOR,)),
    DemoUser("yz_dispatcher", "吴刚", "YZ", "迎泽分局 调度员", (Role.DISPATCHER,)),
    DemoUser(
        "yz_inspector",
        "马超",
        "YZ-TEAM",
        "迎泽执法大队 执法人员",
        (Role.INSPECTOR,),
        credential="14010620260001",
    ),
    DemoUser(
        "yz_inspector2",
        "刘洋",
        "YZ-TEAM",
        "迎泽执法大队 执法人员",
        (Role.INSPECTOR,),
        credential="14010620260002",
    ),
    DemoUser("yz_handler", "郑丽", "YZ-LX", "柳巷街道 环保专干", (Role.HANDLER,)),
    DemoUser(
        "yz_verifier",
        "冯涛",
        "YZ",
        "迎泽分局 核查员",
        (Role.VERIFIER,),
        credential="14010620260003",
    ),
    DemoUser("yz_supervisor", "何敏", "YZ", "迎泽分局 副局长", (Role.SUPERVISOR,)),
)

#: 小店执法大队's other inspectors: no demo login (their password is unusable), they are there so
#: that the 双随机 draw has an inspector pool large enough to pair every target with two people
#: who have not recently inspected it.
TEAM_MEMBERS: tuple[DemoUser, ...] = tuple(
    DemoUser(
        f"inspector{n - 1}",
        name,
        "XD-TEAM",
        "小店执法大队 执法人员",
        (Role.INSPECTOR,),
        credential=f"1401052026{n:04d}",
    )
    for n, name in ((4, "韩冬"), (5, "高宇"), (6, "郭婷"))
)


def build_units() -> dict[str, Unit]:
    """Create the unit tree; returns the units by code."""
    units: dict[str, Unit] = {}

    def add(code: str, name: str, kind: UnitKind, parent: Unit | None, **extra: str) -> Unit:
        unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, **extra)
        units[code] = unit
        return unit

    city = add(
        CITY_CODE,
        "太原市生态环境局",
        UnitKind.CITY_BUREAU,
        None,
        short_name="市局",
        case_prefix="并",
        region_code="140100",
    )
    for suffix, name, kind in CITY_SECTIONS:
        add(f"{CITY_CODE}-{suffix}", name, kind, city, short_name=name)
    for district in DISTRICTS:
        bureau = add(
            district.code,
            district.name,
            district.kind,
            city,
            short_name=district.short_name,
            case_prefix=district.short_name,
            region_code=district.region_code,
        )
        add(
            f"{district.code}-TEAM",
            f"{district.short_name}执法大队",
            UnitKind.TEAM,
            bureau,
            short_name=f"{district.short_name}大队",
        )
        for suffix, name, kind in EXTERNAL_UNITS[district.code]:
            add(f"{district.code}-{suffix}", name, kind, bureau, short_name=name[:20])
    return units


def build_users(units: dict[str, Unit]) -> dict[str, AbstractUser]:
    """Create the demo staff with the shared demo password (the team members without a login
    with an unusable one) and their 执法证; returns the users by username."""
    User = get_user_model()
    groups = {group.name: group for group in Group.objects.all()}
    # One hash for the one shared demo password: hashing it per user costs seconds at startup.
    password = make_password(settings.ECOLOOP_DEMO_PASSWORD)
    users: dict[str, AbstractUser] = {}
    for person in (*DEMO_USERS, *TEAM_MEMBERS):
        user = User.objects.create(
            username=person.username,
            first_name=person.name,
            password=password if person in DEMO_USERS else make_password(None),
            is_staff=person.superuser,
            is_superuser=person.superuser,
        )
        Staff.objects.create(user=user, unit=units[person.unit_code], title=person.title)
        user.groups.add(*(groups[role.value] for role in person.roles))
        if person.credential:
            InspectorCredential.objects.create(
                user=user, number=person.credential, valid_until=CREDENTIALS_VALID_UNTIL
            )
        users[person.username] = user
    return users
