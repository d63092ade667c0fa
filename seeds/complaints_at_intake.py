"""The demo complaints that show the intake's triage: registered and waiting for it, not accepted
or sent to another channel, and repeats merged into their original (the originals run the loop).

Listed in the order they are told (seeds/complaints.py), before seeds/complaints_in_loop.py's.
"""

from __future__ import annotations

from enforcement.models import ComplaintState
from seeds.complaint_story import (
    AIR,
    DUST,
    HENGDA_USCC,
    JINYANG_USCC,
    LETTER,
    NEAR_SITE,
    NOISE,
    ODOUR,
    OTHER,
    PHONE,
    RADIATION,
    WATER,
    XD,
    ComplaintStory,
    Reporter,
    loop,
    merge,
)
from seeds.stories import Step

AT_INTAKE: tuple[ComplaintStory, ...] = (
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
)
