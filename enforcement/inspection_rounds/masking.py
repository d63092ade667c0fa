"""What the public 一览表 may say about people: nothing that identifies a private person.

The texts of a 督察 item are written by the team and the unit and may name a private person (a
reported household, a 个体户), a phone, an ID number or a flat. Before a text is published it is
masked here: phones, ID numbers and flat numbers are starred, a private person's name keeps its
surname (张某某). Organisations (公司, 厂, 酒店 …) are public and stay. The supervisor who signs
the list reads the masked text, so whatever a rule misses is caught before it is public.
"""

from __future__ import annotations

import re

HAN = "\u4e00-\u9fff"
#: Words that make a name an organisation's, which is published as written.
ORGANISATION = re.compile(
    "公司|厂|场|店|馆|院|所|站|中心|酒店|宾馆|医院|学校|合作社|企业|集团|工地|项目|小区|村委|"
    "委员会|政府|局|街道|社区|镇|乡|村|部|队|园|市场|商行|车间|矿|基地|中学|小学|幼儿园|银行"
)
#: "村民张三" / "个体户李四" / "居民王五": a person named by what they are.
PERSON_AFTER = re.compile(
    rf"(村民|居民|个体户|个体经营者|业主|户主|住户|经营者|养殖户|租户|摊主|老板)([{HAN}]{{2,3}})"
)
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)")
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])"
)
FLAT = re.compile(
    r"\d+\s*(?:号楼|栋|幢)\s*\d+\s*单元\s*\d+\s*(?:室|号|户)?|\d+\s*单元\s*\d+\s*(?:室|号|户)"
)


def is_private_person(name: str) -> bool:
    """A 反映对象 of two to four Han characters with no organisation word: a person."""
    name = name.strip()
    return bool(re.fullmatch(rf"[{HAN}]{{2,4}}", name)) and not ORGANISATION.search(name)


def masked_name(name: str) -> str:
    return name[0] + "某某"


def mask(text: str, *, people: tuple[str, ...] = ()) -> str:
    """The text with phones, ID numbers, flats and the given people's names masked."""
    text = ID_NUMBER.sub("******************", text)
    text = MOBILE.sub(r"\1****\2", text)
    text = LANDLINE.sub(r"\1-********", text)
    text = FLAT.sub("**", text)
    text = PERSON_AFTER.sub(lambda m: m.group(1) + masked_name(m.group(2)), text)
    for name in sorted(set(people), key=len, reverse=True):
        if name:
            text = text.replace(name, masked_name(name))
    return text


def public_target(target: str) -> str:
    return masked_name(target.strip()) if is_private_person(target) else mask(target)


def people_in(target: str) -> tuple[str, ...]:
    return (target.strip(),) if is_private_person(target) else ()
