"""The damage stories of the middle stages: 鉴定评估 and 磋商 to its outcomes (协议, 司法确认,
磋商不成, 诉讼 after a re-negotiation) and 终止. Told by seeds/damage.py.
"""

from __future__ import annotations

from seeds.damage_agenda import (
    Damage,
    agreement,
    confirmation,
    consult,
    lawsuit,
    meeting,
    notice,
    started,
)


def tell_middle_stages(d: Damage) -> None:
    """鉴定评估, 待磋商, 磋商中, 磋商不成, 已签订协议, 司法确认中, 诉讼中 (after one
    re-negotiation), 终止."""
    started(
        d,
        "jinyang-assessing",
        "assessing",
        d.damage_clue(
            "晋阳食品私设暗管排放废水污染村东沟渠",
            channel="penalty",
            obligor=(d.jinyang.name, d.jinyang.uscc),
            location="小店区北格镇村东沟渠",
            media="地表水、土壤",
            description="行政处罚案件筛查发现：私设暗管排放清洗废水，沟渠约800米受影响。",
        ),
        received=70,
    )
    started(
        d,
        "oil-assessed",
        "assessed",
        d.damage_clue(
            "龙城热电柴油储罐泄漏污染土壤",
            channel="incident",
            obligor=(d.power.name, d.power.uscc),
            location="小店区龙城热电厂区油库",
            media="土壤",
            description="突发事件：柴油储罐底阀破损，泄漏柴油约2吨渗入周边土壤。",
        ),
        received=90,
        mode=("simplified", "太原市生态环境损害鉴定评估专家库专家组", "180000"),
        report=(
            "晋环简评〔2026〕3号",
            "176000",
            {"cleanup": "96000", "remediation": "68000", "assessment": "12000"},
        ),
    )

    consulting = started(
        d,
        "dye-consulting",
        "consulting",
        d.damage_clue(
            "某印染厂偷排印染废水污染坑塘",
            channel="criminal",
            obligor=("太原市某印染有限公司", ""),
            location="小店区西温庄乡坑塘",
            media="地表水、沉积物",
            description="公安机关移送涉嫌污染环境罪案件，偷排印染废水约500吨。",
        ),
        received=130,
        report=(
            "晋环鉴〔2026〕21号",
            "1420000",
            {"investigation": "60000", "assessment": "180000", "remediation": "1180000"},
        ),
    )
    consult(
        d,
        consulting,
        50,
        (40, 20),
        (
            "赔偿义务人认可损害事实，对修复费用有异议，要求核减。",
            "就分期赔付和第三方修复方案交换意见，约定下次磋商前提交修复方案。",
        ),
    )

    failed = started(
        d,
        "waste-failed",
        "consultation_failed",
        d.damage_clue(
            "某物流园区非法填埋危险废物",
            channel="upper",
            obligor=("太原市某物流有限公司", ""),
            location="小店区刘家堡乡物流园区",
            media="土壤、地下水",
            description="省厅交办：园区空地下填埋废矿物油桶约120只。",
        ),
        received=110,
        report=(
            "晋环鉴〔2026〕18号",
            "2650000",
            {"cleanup": "1200000", "remediation": "1250000", "assessment": "200000"},
        ),
    )
    consult(d, failed, 40, (30,), ("赔偿义务人对鉴定结论提出异议，要求补充鉴定。",))
    failed.step(
        (10, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "absent"},
        note="赔偿义务人无正当理由未参加第二次磋商，视为磋商不成。",
    )

    signed = started(
        d,
        "mine-agreement",
        "agreement",
        d.damage_clue(
            "某建材厂越界取土破坏林地",
            channel="inspection",
            obligor=("太原市某建材有限公司", ""),
            location="小店区西温庄乡东山林地",
            media="林地、土壤",
            description="中央生态环境保护督察移交：越界取土破坏林地约12亩。",
        ),
        received=120,
        report=(
            "晋环鉴〔2026〕15号",
            "860000",
            {"remediation": "760000", "interim_loss": "60000", "assessment": "40000"},
        ),
    )
    consult(d, signed, 45, (35, 20))
    signed.step((5, "10:00"), "sign_agreement", "supervisor", agreement(d, "860000", "self"))

    confirming = started(
        d,
        "chem-confirmation",
        "judicial_confirmation",
        d.damage_clue(
            "某化工企业雨水排口排放高浓度废水",
            channel="public_interest",
            obligor=("山西某精细化工有限公司", ""),
            location="小店区太榆路雨水排口下游",
            media="地表水",
            description="检察机关公益诉讼诉前程序移送：雨水排口排放高浓度化工废水。",
        ),
        received=130,
        report=(
            "晋环鉴〔2026〕9号",
            "540000",
            {"cleanup": "200000", "remediation": "300000", "assessment": "40000"},
        ),
    )
    consult(d, confirming, 80, (70, 62))
    confirming.step(
        (55, "10:00"), "sign_agreement", "supervisor", agreement(d, "540000", "payment")
    )
    confirming.step((12, "10:00"), "apply_confirmation", "inspector", confirmation)

    suing = started(
        d,
        "tannery-litigating",
        "litigating",
        d.damage_clue(
            "某皮革厂含铬废水渗漏污染土壤",
            channel="penalty",
            obligor=("太原市某皮革制品有限公司", ""),
            location="小店区刘家堡乡皮革厂南侧",
            media="土壤、地下水",
            description="行政处罚案件筛查发现：含铬废水池防渗层破损，周边土壤六价铬超标。",
        ),
        received=160,
        report=(
            "晋环鉴〔2025〕31号",
            "3100000",
            {"cleanup": "900000", "remediation": "1900000", "permanent_loss": "300000"},
        ),
    )
    consult(d, suing, 110, (100,), ("赔偿义务人拒绝承担修复费用。",))
    suing.step(
        (95, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "absent"},
        note="赔偿义务人中途退出磋商。",
    )
    suing.step(
        (90, "10:00"),
        "reconsult",
        "supervisor",
        notice,
        note="赔偿义务人书面申请重新磋商，同意重新磋商一次。",
    )
    for day, text in (
        (85, "重新磋商：赔偿义务人提出以自行修复替代赔偿金。"),
        (80, "修复方案技术审查未通过，双方分歧较大。"),
        (75, "赔偿义务人仍不同意修复目标，未能达成一致。"),
    ):
        suing.step((day, "16:00"), "record_meeting", "inspector", meeting(text))
    suing.step(
        (70, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "meetings"},
        note="重新磋商三次仍未达成一致。",
    )
    suing.step((60, "10:00"), "file_lawsuit", "supervisor", lawsuit(57))

    ended = started(
        d,
        "plating-terminated",
        "terminated",
        d.damage_clue(
            "某电镀作坊废液倾倒",
            channel="complaint",
            obligor=("小店区某电镀作坊", ""),
            location="小店区小马村",
            media="土壤",
            description="群众举报电镀作坊夜间倾倒废液。",
        ),
        received=45,
    )
    ended.step(
        (15, "10:00"),
        "terminate",
        "supervisor",
        {"termination_reason": "no_obligor"},
        note="作坊经营者已死亡，作坊已注销，无财产可供执行，终止索赔；已由属地政府组织清理。",
    )
