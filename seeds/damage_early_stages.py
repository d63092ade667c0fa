"""The damage stories of the early stages: 线索, 筛查排除, 初步核查, 不启动, and the clues 一案双查
opens from the 恒达 penalty case and from a complaint; and 迎泽's one, under investigation.
Told by seeds/damage.py.
"""

from __future__ import annotations

import datetime as dt

from enforcement.damage.services import clue_from_complaint, clue_from_enforcement
from enforcement.models import EnforcementCase
from seeds.damage_agenda import Damage, after, batch, started
from seeds.field_agenda import on
from workflow import calendar

#: The penalty case whose 一案双查 opens a damage clue (seeds/field_cases.py), and the complaint
#: whose report of black water in the 汾河 tributary does (seeds/complaints_in_loop.py).
HENGDA_CASE = "恒达化工超标排放水污染物案"
RIVER_COMPLAINT = "river"


def tell_early_stages(d: Damage) -> None:
    """线索, 筛查排除, 初步核查 (its 30 days nearly run), 不启动, and 一案双查 from 恒达."""
    river = d.complaints[RIVER_COMPLAINT]
    fresh = d.story("river-clue", "clue")
    fresh.open(
        (d.in_quarter(2), "14:00"),
        after(
            river,
            lambda at: clue_from_complaint(
                river,
                actor=d.users["inspector"],
                now=at,
                media="地表水、沉积物",
                parties=[("小店区汾河东岸支流沿岸排污单位（待查明）", "")],
            ),
        ),
    )

    excluded = d.story("carwash-excluded", "excluded")
    excluded.open(
        (d.in_quarter(8), "09:00"),
        d.damage_clue(
            "许西村洗车点洗车废水漫流",
            channel="supervision",
            obligor=("许西村某洗车点", ""),
            location="小店区许西村",
            media="土壤",
            description="日常巡查发现洗车废水漫流至路边空地。",
        ),
    )
    excluded.step(
        (d.in_quarter(5), "15:00"),
        "screen_out",
        "inspector",
        lambda at: {**batch(at), "not_started_reason": "minor"},
        note="废水量小，已当场清理，未造成土壤污染，损害显著轻微。",
    )

    today = calendar.local_date(d.now)
    received = on(calendar.next_workday_on_or_after(today - dt.timedelta(days=26)), "09:30")
    checking = d.story("slag-prelim", "prelim_check")
    checking.open(
        received,
        d.damage_clue(
            "北格镇废弃砂坑倾倒铸造废砂",
            channel="supervision",
            obligor=(d.foundry.name, d.foundry.uscc),
            location="小店区北格镇张花村废弃砂坑",
            media="土壤、地下水",
            description="专项行动发现废弃砂坑内倾倒铸造废砂约300吨，疑含重金属。",
        ),
    )
    checking.step(received + dt.timedelta(days=1, hours=5), "screen_in", "inspector", batch)

    declined = d.story("stone-not-started", "not_started")
    declined.open(
        (30, "09:30"),
        d.damage_clue(
            "某某石材加工厂废水外溢污染农田",
            channel="complaint",
            obligor=(d.stone.name, d.stone.uscc),
            location="小店区北格镇石材加工厂东侧农田",
            media="土壤",
            description="村民反映石材切割废水外溢至东侧农田约0.2亩。",
        ),
    )
    declined.step((29, "15:00"), "screen_in", "inspector", batch)
    declined.step(
        (18, "16:00"),
        "not_start",
        "supervisor",
        {
            "prelim_result": "经核查，当事人已清除农田沉积石粉并与村民达成赔偿，损害已得到填补。",
            "not_started_reason": "performed",
        },
    )

    hengda = EnforcementCase.objects.get(title=HENGDA_CASE)
    started(
        d,
        "hengda-double",
        "investigating",
        after(
            hengda,
            lambda at: clue_from_enforcement(
                hengda,
                actor=d.users["inspector"],
                now=at,
                location="小店区汾河东岸排洪沟",
                media="地表水、沉积物",
            ),
        ),
        received=28,
        result="超标废水排入排洪沟，沟底沉积物受污染，启动索赔并与行政处罚同步调查（一案双查）。",
    )


def tell_yingze(d: Damage) -> None:
    """迎泽's one: a 汽修厂's waste oil, started and under investigation."""
    t = d.story("yz-oil", "investigating")
    t.open(
        (20, "09:30"),
        d.damage_clue(
            "某汽修厂废机油倾倒雨水井",
            channel="complaint",
            obligor=("迎泽区某汽车维修服务部", ""),
            location="迎泽区柳巷街道某小区雨水井",
            media="地表水、土壤",
            description="群众举报汽修厂将废机油倒入雨水井。",
            by="yz_inspector",
        ),
    )
    t.step((18, "15:00"), "screen_in", "yz_inspector", batch)
    t.step(
        (10, "16:00"),
        "start",
        "yz_supervisor",
        {"prelim_result": "雨水井及下游管段油污明显，启动索赔。"},
    )
