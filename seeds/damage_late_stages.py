"""The damage stories of the late stages: 修复/赔付, 修复效果评估 and 结案, through 磋商 (with
司法确认) and through 诉讼. Told by seeds/damage.py.
"""

from __future__ import annotations

import datetime as dt

from seeds.damage_agenda import (
    Damage,
    agreement,
    confirmation,
    consult,
    lawsuit,
    remediation,
    started,
)
from workflow import calendar


def tell_late_stages(d: Damage) -> None:
    """修复/赔付中, 修复效果评估, 结案 through 磋商 (with 司法确认) and through 诉讼."""
    today = calendar.local_date(d.now)

    repairing = started(
        d,
        "coking-remediating",
        "remediating",
        d.damage_clue(
            "某焦化厂焦油渣露天堆放污染土壤",
            channel="supervision",
            obligor=("山西某焦化集团有限公司", ""),
            location="小店区刘家堡乡焦化厂东侧",
            media="土壤",
            description="执法检查发现焦油渣露天堆放约50吨，堆场土壤多环芳烃超标。",
        ),
        received=200,
        report=(
            "晋环鉴〔2025〕27号",
            "1250000",
            {"cleanup": "450000", "remediation": "700000", "assessment": "100000"},
        ),
    )
    consult(d, repairing, 150, (140, 130))
    repairing.step((125, "10:00"), "sign_agreement", "supervisor", agreement(d, "1250000", "self"))
    repairing.step(
        (120, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "清运焦油渣，堆场土壤异位热脱附处理，分三期支付赔偿金。", today + dt.timedelta(days=90)
        ),
    )
    d.evidenced(
        repairing,
        (80, "15:00"),
        "record_progress",
        "inspector",
        "焦油渣已全部清运处置；第一期赔偿金到账。",
        {"paid": "300000"},
    )
    d.evidenced(
        repairing,
        (30, "15:00"),
        "record_progress",
        "inspector",
        "热脱附处理完成约60%；第二期赔偿金到账。",
        {"paid": "200000"},
    )

    evaluating = started(
        d,
        "brick-evaluation",
        "effect_evaluation",
        d.damage_clue(
            "某砖厂粉煤灰倾倒占用河道",
            channel="proposal",
            obligor=("太原市某新型墙材有限公司", ""),
            location="小店区北格镇潇河河道",
            media="河道、地表水",
            description="区人大代表建议：砖厂向潇河河道倾倒粉煤灰约2000吨。",
        ),
        received=210,
        report=(
            "晋环鉴〔2025〕22号",
            "680000",
            {"cleanup": "420000", "remediation": "220000", "assessment": "40000"},
        ),
    )
    consult(d, evaluating, 170, (160,))
    evaluating.step(
        (155, "10:00"), "sign_agreement", "supervisor", agreement(d, "680000", "third_party")
    )
    evaluating.step(
        (150, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "委托第三方清运粉煤灰，恢复河道断面并护坡绿化。", today + dt.timedelta(days=30)
        ),
    )
    d.evidenced(
        evaluating,
        (60, "15:00"),
        "record_progress",
        "inspector",
        "粉煤灰清运完毕。",
        {"paid": "680000"},
    )
    d.evidenced(evaluating, (20, "15:00"), "record_progress", "inspector", "河道护坡绿化完成。")
    d.evidenced(
        evaluating,
        (8, "11:00"),
        "verify_remediation",
        "verifier",
        "现场核查：河道断面已恢复，护坡植被成活，赔偿金已全额到账。",
    )

    agreed = started(
        d,
        "paper-closed-agreement",
        "closed",
        d.damage_clue(
            "某造纸厂黑液泄漏污染排洪渠",
            channel="incident",
            obligor=("太原市某纸业有限公司", ""),
            location="小店区刘家堡乡排洪渠",
            media="地表水、沉积物",
            description="突发事件：黑液储池溢流，约200吨黑液进入排洪渠。",
        ),
        received=200,
        report=(
            "晋环鉴〔2025〕25号",
            "920000",
            {"cleanup": "380000", "remediation": "480000", "assessment": "60000"},
        ),
    )
    consult(d, agreed, 140, (130, 120))
    agreed.step(
        (110, "10:00"), "sign_agreement", "supervisor", agreement(d, "920000", "third_party")
    )
    agreed.step((100, "10:00"), "apply_confirmation", "inspector", confirmation)
    agreed.step(
        (45, "10:00"),
        "start_remediation",
        "inspector",
        remediation(
            "法院裁定确认协议有效；委托第三方清淤并生态修复排洪渠。", today + dt.timedelta(days=60)
        ),
    )
    d.evidenced(
        agreed,
        (30, "15:00"),
        "record_progress",
        "inspector",
        "清淤完成，赔偿金全额到账。",
        {"paid": "920000"},
    )
    d.evidenced(
        agreed, (20, "11:00"), "verify_remediation", "verifier", "现场核查清淤及生态修复已完成。"
    )
    agreed.step(
        (12, "15:00"),
        "pass_evaluation",
        "supervisor",
        {"evaluation_report": "修复效果评估报告：排洪渠水质和沉积物指标均达到修复目标。"},
    )

    judged = started(
        d,
        "mine-closed-lawsuit",
        "closed",
        d.damage_clue(
            "某洗煤厂煤泥水直排污染农田",
            channel="penalty",
            obligor=("太原市某洗煤有限公司", ""),
            location="小店区西温庄乡农田",
            media="土壤",
            description="行政处罚案件筛查发现：煤泥水直排致农田约30亩板结。",
        ),
        received=260,
        report=(
            "晋环鉴〔2025〕11号",
            "450000",
            {"remediation": "380000", "interim_loss": "40000", "assessment": "30000"},
        ),
    )
    consult(d, judged, 210, (205, 200, 195), ("赔偿义务人否认因果关系。",))
    judged.step(
        (193, "15:00"),
        "fail_consultation",
        "inspector",
        {"consultation_failure": "meetings"},
        note="三次磋商仍未达成一致。",
    )
    judged.step((185, "10:00"), "file_lawsuit", "supervisor", lawsuit(12))
    judged.step(
        (95, "10:00"),
        "start_remediation",
        "inspector",
        lambda at: remediation(
            "判决生效：被告支付生态环境修复费用及期间损失，由属地政府组织替代修复。",
            calendar.local_date(at) + dt.timedelta(days=60),
        ),
    )
    d.evidenced(
        judged,
        (80, "15:00"),
        "record_progress",
        "inspector",
        "判决款项全额到账。",
        {"paid": "450000"},
    )
    d.evidenced(
        judged, (75, "11:00"), "verify_remediation", "verifier", "已核对法院执行款到账凭证。"
    )
    judged.step(
        (70, "15:00"),
        "pass_evaluation",
        "supervisor",
        {"evaluation_exemption": "payment_only"},
    )
