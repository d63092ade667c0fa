"""The demo city's public complaints (信访 / 投诉举报), one or more in every complaint state.

Each complaint is filed through `enforcement.complaints.services.submit` and moved only by
`transition_case`, like a reporter's or a clerk's action would, at moments before the seed's `now`.
The steps of all the complaints run in one time order, so numbers follow the order of receipt and
a merge climbs its original's ladder at the moment it happened, between the original's own steps.

Reporters are obviously fictitious (某某, 138000000xx, example.org).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser

from enforcement.complaints.identity import Identity
from enforcement.complaints.services import Submission, submit, tracking_url
from enforcement.models import Complaint, ComplaintCategory, ComplaintState, IntakeChannel
from enforcement.validators import uscc_check_char
from seeds.stories import Step, When
from workflow.case_types import registry
from workflow.models import Unit
from workflow.transitions import transition_case

#: The step actor meaning "the reporter on the public page" or "the system" (no login).
PUBLIC = ""


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


JINYANG_USCC = _uscc("91140105MA0KB7R2X")
HENGDA_USCC = _uscc("91140105MA0L3F8P1")


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComplaintStory:
    #: How other stories name this one (a merge's "original").
    key: str
    district: str
    received: When
    category: str
    description: str
    location: str
    ends_in: str
    target_name: str = ""
    target_uscc: str = ""
    target_address: str = ""
    coordinates: tuple[str, str] | None = None
    channel: str = IntakeChannel.WEB
    #: None: anonymous.
    reporter: Reporter | None = None
    wants_reply: bool = False
    #: Who typed it in (a phone call or a letter); PUBLIC for the web form.
    clerk: str = PUBLIC
    steps: tuple[Step, ...] = ()


# --- step helpers ---------------------------------------------------------------------------------


def accept(intake: str, at: When, track: str) -> Step:
    return Step("accept", intake, at, payload={"track": track})


def assign(dispatcher: str, at: When, unit: str, period: int) -> Step:
    return Step(
        "assign", dispatcher, at, payload={"responsible_unit": unit, "rectify_period": period}
    )


def merge(intake: str, at: When, original: str) -> Step:
    return Step("merge", intake, at, payload={"original": original})


def reply(handler: str, at: When, opinion: str, *, petition: bool) -> Step:
    payload: dict[str, Any] = {"reply_opinion": opinion, "reply_outcome": "support"}
    if petition:
        payload |= {
            "reply_request": "要求停止污染行为，改善周边环境",
            "reply_facts": "经现场核查，反映情况基本属实",
            "reply_basis": "《中华人民共和国环境保护法》第二十五条",
        }
    return Step("report", handler, at, "已办理完毕，拟答复反映人。", payload, photo=True)


def loop(
    who: Mapping[str, str], track: str, *times: When, period: int = 0, opinion: str = ""
) -> tuple[Step, ...]:
    """受理 → 交办 → 签收 → 办理反馈（拟答复） → 核查 → 核查通过 → 审核签发答复, as far as `times`
    go: one time a step, in that order. The unit and the people are the district's (`who`); a
    petition's reply carries the parts of the 处理意见书."""
    makers = (
        lambda at: accept(who["intake"], at, track),
        lambda at: assign(who["dispatcher"], at, who["unit"], period),
        lambda at: Step("sign", who["handler"], at),
        lambda at: reply(who["handler"], at, opinion, petition=track == "petition"),
        lambda at: Step("start_verification", who["verifier"], at),
        lambda at: Step("pass_verification", who["verifier"], at, "现场核查，答复内容与实际相符。"),
        lambda at: Step("approve_closure", who["supervisor"], at),
    )
    if len(times) > len(makers):
        raise ValueError(f"the loop has {len(makers)} steps, not {len(times)}")
    return tuple(make(at) for make, at in zip(makers, times, strict=False))


#: Who works a complaint of each district, and the unit its complaints go to.
XD = {
    "intake": "xd_intake",
    "dispatcher": "dispatcher",
    "handler": "handler",
    "verifier": "verifier",
    "supervisor": "supervisor",
    "unit": "XD-BG",
}
YZ = {
    "intake": "intake",
    "dispatcher": "yz_dispatcher",
    "handler": "yz_handler",
    "verifier": "yz_verifier",
    "supervisor": "yz_supervisor",
    "unit": "YZ-LX",
}

AIR, WATER, NOISE = ComplaintCategory.AIR, ComplaintCategory.WATER, ComplaintCategory.NOISE
DUST, ODOUR, FUMES = (
    ComplaintCategory.DUST,
    ComplaintCategory.ODOUR,
    ComplaintCategory.CATERING_FUMES,
)
WASTE, OTHER = ComplaintCategory.SOLID_WASTE, ComplaintCategory.OTHER
RADIATION = ComplaintCategory.RADIATION
PHONE, LETTER = IntakeChannel.PHONE, IntakeChannel.LETTER
CLOSED = "closed"

#: Two points about 75 m apart in 北格镇: the second complaint is suggested as a repeat.
SITE = ("37.690100", "112.620100")
NEAR_SITE = ("37.690700", "112.620500")

COMPLAINTS: tuple[ComplaintStory, ...] = (
    # --- 已登记 -------------------------------------------------------------------------------
    ComplaintStory(
        key="foundry",
        district="XD",
        received=(1, "09:20"),
        category=AIR,
        description="北格镇一铸造厂每天傍晚冒黄烟，气味刺鼻，附近村民开窗就咳嗽。",
        location="小店区北格镇北格村西",
        target_name="北格镇鑫源铸造厂",
        ends_in=ComplaintState.REGISTERED,
    ),
    ComplaintStory(
        key="site_again",
        district="XD",
        received=(1, "16:40"),
        category=DUST,
        description="安置房工地旁边又在拉土，车辆没有苫盖，路上全是土。",
        location="小店区北格镇安置房项目北侧",
        coordinates=NEAR_SITE,
        ends_in=ComplaintState.REGISTERED,
    ),
    ComplaintStory(
        key="ktv",
        district="YZ",
        received=(2, "10:00"),
        category=NOISE,
        description="楼下 KTV 每晚营业到凌晨两点，低音炮震得睡不着。",
        location="迎泽区柳巷北口某商业楼",
        target_name="迎泽区某某量贩式 KTV",
        channel=PHONE,
        clerk="intake",
        reporter=Reporter("测试者甲", "13800000003"),
        wants_reply=True,
        ends_in=ComplaintState.REGISTERED,
    ),
    ComplaintStory(
        key="tower",
        district="WBL",
        received=(1, "11:10"),
        category=RADIATION,
        description="小区楼顶新装了通信基站，担心辐射影响健康，希望检测。",
        location="万柏林区西铭街道某小区 3 号楼楼顶",
        ends_in=ComplaintState.REGISTERED,
    ),
    # --- 不予受理 / 告知其他途径 --------------------------------------------------------------
    ComplaintStory(
        key="neighbour",
        district="XD",
        received=(12, "20:15"),
        category=NOISE,
        description="邻居装修把我家墙面震裂，要求环保局责令其赔偿维修费用。",
        location="小店区坞城路某小区",
        reporter=Reporter("测试者乙", email="reporter-b@example.org"),
        wants_reply=True,
        steps=(
            Step(
                "reject",
                "xd_intake",
                (11, "10:00"),
                payload={
                    "reason": "legal",
                    "public_reason": "您要求的损害赔偿属于民事纠纷，请通过协商、人民调解"
                    "或向人民法院提起诉讼解决；装修噪声扰民可向物业或街道反映。",
                },
            ),
        ),
        ends_in=ComplaintState.NOT_ACCEPTED,
    ),
    ComplaintStory(
        key="restaurant_hygiene",
        district="YZ",
        received=(9, "12:30"),
        category=OTHER,
        description="某饭店后厨卫生很差，吃完拉肚子。",
        location="迎泽区南十方街",
        target_name="迎泽区某某家常菜馆",
        steps=(
            Step(
                "redirect",
                "intake",
                (8, "09:40"),
                payload={
                    "redirect_to": "迎泽区市场监督管理局（12315）",
                    "public_reason": "食品安全问题由市场监督管理部门负责，请拨打 12315 或向迎泽区"
                    "市场监督管理局反映。",
                },
            ),
        ),
        ends_in=ComplaintState.REDIRECTED,
    ),
    # --- 重复件: 第2件 → 督办 -----------------------------------------------------------------
    ComplaintStory(
        key="jinyang",
        district="XD",
        received=(30, "08:50"),
        category=WATER,
        description="食品厂夜里往村东沟渠排污水，水发白发臭。",
        location="小店区北格镇张花村东沟渠",
        target_name="太原市晋阳食品有限公司",
        target_uscc=JINYANG_USCC,
        target_address="小店区北格镇张花村",
        reporter=Reporter("测试者丙", "13800000001"),
        wants_reply=True,
        steps=(
            *loop(XD, "report", (29, "09:30"), (29, "14:00"), (28, "09:00"), period=15),
            Step("record_progress", "handler", (20, "16:00"), "已责令企业封堵暗管。", photo=True),
        ),
        ends_in="rectifying",
    ),
    ComplaintStory(
        key="jinyang_again",
        district="XD",
        received=(10, "21:05"),
        category=WATER,
        description="晋阳食品公司又在晚上排水，沟里有死鱼。",
        location="小店区北格镇张花村东",
        target_name="太原市 晋阳食品公司",
        channel=PHONE,
        clerk="xd_intake",
        steps=(merge("xd_intake", (9, "10:00"), "jinyang"),),
        ends_in=ComplaintState.MERGED,
    ),
    # --- 重复件: 第2件 → 督办，第3件 → 提级办理 -----------------------------------------------
    ComplaintStory(
        key="hengda",
        district="XD",
        received=(25, "10:00"),
        category=ODOUR,
        description="化工厂一带常年有刺鼻的化学气味，晚上尤其重。",
        location="小店区北格镇工业园区",
        target_name="小店区恒达化工有限公司",
        target_uscc=HENGDA_USCC,
        reporter=Reporter("测试者丁", "13800000002"),
        wants_reply=True,
        steps=(*loop(XD, "petition", (24, "09:00"), (24, "11:00"), (23, "09:30"), period=10),),
        ends_in="rectifying",
    ),
    ComplaintStory(
        key="hengda_2",
        district="XD",
        received=(15, "19:30"),
        category=ODOUR,
        description="恒达化工附近臭味还是很大。",
        location="小店区北格镇工业园区",
        target_uscc=HENGDA_USCC,
        channel=PHONE,
        clerk="xd_intake",
        steps=(merge("xd_intake", (14, "09:10"), "hengda"),),
        ends_in=ComplaintState.MERGED,
    ),
    ComplaintStory(
        key="hengda_3",
        district="XD",
        received=(6, "08:30"),
        category=ODOUR,
        description="来信反映：恒达化工异味问题反映多次仍未解决。",
        location="小店区北格镇工业园区",
        target_name="小店区恒达化工公司",
        channel=LETTER,
        clerk="xd_intake",
        reporter=Reporter("测试者戊", "13800000006"),
        steps=(merge("xd_intake", (5, "09:10"), "hengda"),),
        ends_in=ComplaintState.MERGED,
    ),
    # --- 受理后的闭环 -------------------------------------------------------------------------
    ComplaintStory(
        key="bins",
        district="XD",
        received=(3, "14:00"),
        category=WASTE,
        description="村口垃圾堆放多日无人清运，已经发臭。",
        location="小店区北格镇南畔村村口",
        steps=loop(XD, "report", (2, "09:15")),
        ends_in="pending_assignment",
    ),
    ComplaintStory(
        key="barbecue",
        district="YZ",
        received=(5, "22:10"),
        category=FUMES,
        description="烧烤店油烟直接排到居民楼道里。",
        location="迎泽区迎泽公园东门",
        target_name="迎泽区某某烧烤",
        steps=(*loop(YZ, "report", (4, "09:00"), (3, "10:00"), period=10),),
        ends_in="assigned",
    ),
    ComplaintStory(
        key="site",
        district="XD",
        received=(8, "10:30"),
        category=DUST,
        description="安置房工地裸土没有覆盖，刮风时满天黄土。",
        location="小店区北格镇安置房项目工地",
        target_name="北格镇安置房二期项目",
        coordinates=SITE,
        reporter=Reporter(phone="13800000007"),
        steps=(
            *loop(XD, "report", (7, "09:00"), (7, "11:00"), (6, "09:00"), period=10),
            Step("record_progress", "handler", (4, "15:00"), "已督促覆盖裸土 80%。", photo=True),
        ),
        ends_in="rectifying",
    ),
    ComplaintStory(
        key="river",
        district="XD",
        received=(40, "09:00"),
        category=WATER,
        description="汾河支流岸边多个排口排放黑水，涉及多家单位。",
        location="小店区汾河东岸支流",
        channel=LETTER,
        clerk="xd_intake",
        reporter=Reporter("测试者己", "13800000008"),
        wants_reply=True,
        steps=(
            *loop(XD, "petition", (39, "10:00"), (39, "15:00"), (38, "09:00"), period=20),
            Step(
                "extend_handling",
                "leader",
                (3, "10:00"),
                "涉及多个排口和多家单位，需水务部门配合溯源，情况复杂。",
                {"days": 30},
            ),
        ),
        ends_in="rectifying",
    ),
    ComplaintStory(
        key="generator",
        district="YZ",
        received=(12, "23:20"),
        category=NOISE,
        description="商场楼顶发电机夜间运行，噪声很大。",
        location="迎泽区柳巷某商场楼顶",
        target_name="迎泽区某某商场",
        steps=(
            *loop(
                YZ,
                "report",
                (11, "09:00"),
                (11, "11:00"),
                (10, "09:00"),
                (3, "10:00"),
                period=8,
                opinion="已责令商场加装隔声罩，夜间停用发电机。",
            ),
        ),
        ends_in="reported",
    ),
    ComplaintStory(
        key="boiler",
        district="XD",
        received=(14, "08:40"),
        category=AIR,
        description="小区旁边的锅炉房烟囱冒黑烟。",
        location="小店区北格镇某小区东侧",
        channel=PHONE,
        clerk="xd_intake",
        reporter=Reporter("测试者庚", "13800000004"),
        wants_reply=True,
        steps=(
            *loop(
                XD,
                "petition",
                (13, "09:00"),
                (13, "11:00"),
                (12, "09:00"),
                (5, "10:00"),
                (2, "09:30"),
                period=8,
                opinion="锅炉已完成清洁能源改造。",
            ),
        ),
        ends_in="verifying",
    ),
    ComplaintStory(
        key="noodle",
        district="XD",
        received=(16, "12:10"),
        category=FUMES,
        description="面馆油烟机没有净化器，油烟熏到楼上。",
        location="小店区北格镇商业街",
        target_name="北格镇某某面馆",
        steps=(
            *loop(
                XD,
                "report",
                (15, "09:00"),
                (15, "10:30"),
                (14, "09:00"),
                (8, "10:00"),
                (6, "09:00"),
                (5, "11:00"),
                period=8,
                opinion="面馆已安装油烟净化器并正常使用。",
            ),
        ),
        ends_in="pending_closure",
    ),
    # --- 已答复，待评价 -----------------------------------------------------------------------
    ComplaintStory(
        key="cutting",
        district="XD",
        received=(18, "22:30"),
        category=NOISE,
        description="石材加工厂晚上十点以后还在切割，噪声很大。",
        location="小店区北格镇贾家寨村",
        target_name="北格镇某某石材加工厂",
        reporter=Reporter("测试者辛", "13800000005"),
        wants_reply=True,
        steps=(
            *loop(
                XD,
                "petition",
                (17, "09:00"),
                (17, "10:00"),
                (16, "09:00"),
                (9, "10:00"),
                (7, "09:00"),
                (6, "11:00"),
                (3, "10:00"),
                period=8,
                opinion="已责令石材厂夜间22时后停止切割作业，并安装隔声屏障。",
            ),
        ),
        ends_in=ComplaintState.REPLIED,
    ),
    # --- 不满意 / 复查 ------------------------------------------------------------------------
    ComplaintStory(
        key="crossing",
        district="YZ",
        received=(20, "09:30"),
        category=DUST,
        description="迎泽大街工地出入口车辆带泥上路。",
        location="迎泽区迎泽大街东段",
        target_name="迎泽大街综合改造项目",
        reporter=Reporter(email="reporter-c@example.org"),
        steps=(
            *loop(
                YZ,
                "report",
                (19, "09:00"),
                (19, "10:00"),
                (18, "09:00"),
                (12, "10:00"),
                (10, "09:00"),
                (9, "11:00"),
                (6, "10:00"),
                period=8,
                opinion="工地已设置车辆冲洗平台，道路已清扫。",
            ),
            Step("rate_dissatisfied", PUBLIC, (4, "20:00"), "晚上车辆还是带泥上路，冲洗台没人管。"),
        ),
        ends_in=ComplaintState.DISSATISFIED,
    ),
    ComplaintStory(
        key="wetland",
        district="XD",
        received=(35, "09:00"),
        category=WATER,
        description="来信反映：湿地公园水体发绿发臭，要求查明原因并治理。",
        location="小店区汾河湿地公园",
        channel=LETTER,
        clerk="xd_intake",
        reporter=Reporter("测试者壬", "13800000009"),
        wants_reply=True,
        steps=(
            *loop(
                XD,
                "petition",
                (34, "10:00"),
                (34, "15:00"),
                (33, "09:00"),
                (25, "10:00"),
                (23, "09:00"),
                (22, "11:00"),
                (20, "10:00"),
                period=10,
                opinion="水体富营养化系补水不足所致，已协调增加补水并打捞藻类。",
            ),
            Step("rate_dissatisfied", PUBLIC, (18, "19:00"), "水还是绿的，没有根本治理。"),
            Step("request_review", PUBLIC, (17, "19:30"), "请求上级机关复查处理意见。"),
        ),
        ends_in=ComplaintState.REVIEW_REQUESTED,
    ),
    # --- 已办结: 满意 / 基本满意 / 未评价 -----------------------------------------------------
    ComplaintStory(
        key="paint",
        district="XD",
        received=(30, "10:00"),
        category=AIR,
        description="汽修店露天喷漆，漆味很重。",
        location="小店区北格镇环城南路",
        target_name="北格镇某某汽修店",
        reporter=Reporter(phone="13800000010"),
        steps=(
            *loop(
                XD,
                "report",
                (29, "09:00"),
                (29, "10:00"),
                (28, "09:00"),
                (22, "10:00"),
                (20, "09:00"),
                (19, "11:00"),
                (17, "10:00"),
                period=8,
                opinion="汽修店已停止露天喷漆，喷漆房正在建设。",
            ),
            Step("rate", PUBLIC, (16, "21:00"), payload={"rating": "satisfied"}),
        ),
        ends_in=CLOSED,
    ),
    ComplaintStory(
        key="hotpot",
        district="YZ",
        received=(28, "13:00"),
        category=FUMES,
        description="火锅店排烟管道对着居民窗户。",
        location="迎泽区柳巷南口",
        target_name="迎泽区某某火锅",
        reporter=Reporter("测试者癸", "13800000011"),
        steps=(
            *loop(
                YZ,
                "petition",
                (27, "09:00"),
                (27, "10:00"),
                (26, "09:00"),
                (20, "10:00"),
                (18, "09:00"),
                (17, "11:00"),
                (15, "10:00"),
                period=8,
                opinion="火锅店已改造排烟管道，高空排放。",
            ),
            Step("rate", PUBLIC, (14, "20:30"), payload={"rating": "basically"}),
        ),
        ends_in=CLOSED,
    ),
    ComplaintStory(
        key="tyres",
        district="XD",
        received=(50, "09:00"),
        category=WASTE,
        description="废旧轮胎堆在路边，有人焚烧。",
        location="小店区北格镇环城南路西段",
        steps=(
            *loop(
                XD,
                "report",
                (49, "09:00"),
                (49, "10:00"),
                (48, "09:00"),
                (42, "10:00"),
                (40, "09:00"),
                (39, "11:00"),
                (30, "10:00"),
                period=8,
                opinion="废旧轮胎已全部清运，设立禁烧警示牌。",
            ),
            # The rating window (15 days) passed long ago: the beat closes it unrated.
            Step("close_unrated", PUBLIC, (2, "01:00")),
        ),
        ends_in=CLOSED,
    ),
)


class ComplaintSeedError(Exception):
    """A complaint did not end where its story says."""


# --- telling the complaints ---------------------------------------------------------------------


def seed_complaints(
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    now: dt.datetime,
    moment: Any,
    photo: Any,
) -> list[Complaint]:
    """File and move the demo complaints, every step of every story in one time order."""
    filed: dict[str, Complaint] = {}
    agenda: list[tuple[dt.datetime, int, ComplaintStory, int]] = []
    for order, story in enumerate(COMPLAINTS):
        agenda.append((moment(now, story.received), order, story, 0))
        previous = agenda[-1][0]
        for number, step in enumerate(story.steps, start=1):
            at = moment(now, step.at)
            if at <= previous:
                raise ComplaintSeedError(f"{story.key}: step {number} goes back in time")
            agenda.append((at, order, story, number))
            previous = at
    for at, _order, story, number in sorted(agenda, key=lambda item: (item[0], item[1], item[3])):
        if number == 0:
            filed[story.key] = _file(story, units=units, users=users, at=at)
            continue
        step = story.steps[number - 1]
        complaint = filed[story.key]
        transition_case(
            complaint,
            step.transition,
            actor=users[step.actor] if step.actor else None,
            note=step.note,
            payload=_payload(step, units=units, filed=filed),
            files=[photo(f"{story.key}-{number}")] if step.photo else [],
            now=at,
        )
        complaint.refresh_from_db()
    for story in COMPLAINTS:
        complaint = filed[story.key]
        complaint.refresh_from_db()
        if complaint.state != story.ends_in:
            raise ComplaintSeedError(
                f"{story.key}: ended in {complaint.state}, expected {story.ends_in}"
            )
    return [filed[story.key] for story in COMPLAINTS]


def _file(
    story: ComplaintStory,
    *,
    units: dict[str, Unit],
    users: dict[str, AbstractUser],
    at: dt.datetime,
) -> Complaint:
    reporter = story.reporter
    latitude = longitude = None
    if story.coordinates is not None:
        latitude, longitude = (Decimal(value) for value in story.coordinates)
    submission = Submission(
        category=story.category,
        description=story.description,
        location=story.location,
        jurisdiction=units[story.district],
        target_name=story.target_name,
        target_uscc=story.target_uscc,
        target_address=story.target_address,
        latitude=latitude,
        longitude=longitude,
        anonymous=reporter is None,
        wants_reply=story.wants_reply,
        channel=story.channel,
    )
    identity = (
        Identity(name=reporter.name, phone=reporter.phone, email=reporter.email)
        if reporter is not None
        else Identity()
    )
    actor = users[story.clerk] if story.clerk else None
    return submit(submission, identity, now=at, actor=actor)


def _payload(
    step: Step, *, units: dict[str, Unit], filed: Mapping[str, Complaint]
) -> dict[str, Any]:
    payload = dict(step.payload)
    if "responsible_unit" in payload:
        payload["responsible_unit"] = units[payload["responsible_unit"]].pk
    if "original" in payload:
        payload["original"] = filed[payload["original"]].case_no
    return payload


# --- what the summary shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrackedComplaint:
    case_no: str
    state: str
    url: str = field(default="")


#: The states whose tracking pages are worth opening in a demo, in the order they are listed.
SHOWCASE_STATES = (
    ComplaintState.REPLIED,
    "rectifying",
    ComplaintState.NOT_ACCEPTED,
    "closed",
)


def demo_tracking(city_code: str) -> tuple[TrackedComplaint, ...]:
    """A few seeded complaints' public tracking pages (the code is in the address)."""
    complaint_type = registry.for_model(Complaint)
    found: list[TrackedComplaint] = []
    seeded = Complaint.objects.filter(jurisdiction__path__startswith=f"{city_code}/")
    for state in SHOWCASE_STATES:
        complaint = seeded.filter(state=state).order_by("pk").first()
        if complaint is not None:
            found.append(
                TrackedComplaint(
                    complaint.case_no, complaint_type.state_label(state), tracking_url(complaint)
                )
            )
    return tuple(found)
