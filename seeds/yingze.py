"""迎泽: a second district, so that a login of one district is seen not to reach the other."""

from __future__ import annotations

from seeds.stories import (
    DAILY,
    HOTLINE,
    INSPECTION,
    Step,
    Story,
    assign,
    verified,
    worked,
)

YINGZE: tuple[Story, ...] = (
    Story(
        title="迎泽公园周边餐饮油烟扰民",
        district="YZ",
        opened_by="yz_dispatcher",
        opened=(1, "10:00"),
        description="群众反映迎泽公园东门附近餐饮店油烟直排。",
        location="迎泽区迎泽公园东门",
        source=HOTLINE,
        requirement="安装油烟净化设施并正常运行。",
        steps=(),
        ends_in="pending_assignment",
    ),
    Story(
        title="柳巷商业街夜间施工噪声",
        district="YZ",
        opened_by="yz_dispatcher",
        opened=(20, "09:00"),
        description="柳巷步行街商铺装修夜间施工。",
        location="迎泽区柳巷步行街",
        source=HOTLINE,
        requirement="夜间禁止产生噪声的装修作业。",
        steps=(
            assign("yz_dispatcher", (20, "11:00"), "YZ-LX", 10),
            *worked("yz_handler", (19, "09:00"), (14, "15:00"), "已约谈施工单位。"),
        ),
        ends_in="rectifying",
    ),
    Story(
        title="迎泽大街沿线工地扬尘",
        district="YZ",
        opened_by="yz_dispatcher",
        opened=(12, "09:00"),
        description="迎泽大街沿线工地围挡破损、裸土未覆盖。",
        location="迎泽区迎泽大街",
        source=DAILY,
        requirement="修复围挡，覆盖裸土，落实洒水降尘。",
        steps=(
            assign("yz_dispatcher", (12, "10:00"), "YZ-LX", 8),
            *worked("yz_handler", (11, "09:00"), (8, "15:00"), "围挡已修复，裸土已覆盖。"),
            Step("report", "yz_handler", (6, "10:00"), "整改完成。"),
            *verified("yz_verifier", (4, "09:00"), (2, "11:00"), "现场核实整改到位。"),
        ),
        ends_in="pending_closure",
    ),
    Story(
        title="南十方街汽修店废机油随意倾倒",
        district="YZ",
        opened_by="yz_dispatcher",
        opened=(18, "09:00"),
        description="汽修店将废机油倒入路边雨水口。",
        location="迎泽区南十方街",
        source=INSPECTION,
        requirement="废机油按危险废物收集贮存，委托有资质单位处置。",
        steps=(
            assign("yz_dispatcher", (18, "10:00"), "YZ-LX", 5),
            *worked("yz_handler", (17, "09:00"), (15, "15:00"), "已清理雨水口，签订危废处置合同。"),
            Step("report", "yz_handler", (14, "10:00"), "整改完成。"),
            *verified("yz_verifier", (12, "09:00"), (11, "11:00"), "核实已规范贮存。"),
            Step("approve_closure", "yz_supervisor", (10, "10:00")),
        ),
        ends_in="closed",
    ),
)
