"""How a demo complaint's story is written: its reporter, its steps, the loop's ladder of steps,
the people of each district, and the enterprises the stories name.

The stories are in seeds/complaints_at_intake.py and seeds/complaints_in_loop.py;
seeds/complaints.py tells them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enforcement.models import ComplaintCategory, IntakeChannel
from enforcement.validators import uscc_check_char
from seeds.stories import Step, When

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
