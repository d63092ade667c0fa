"""The demo registry of 排污单位: a dozen enterprises across the districts and tiers, several of
them the units the demo complaints name (by credit code or by name), imported through the same
importer as the console's upload."""

from __future__ import annotations

import csv
import datetime as dt
import io

from enforcement.registry.importer import ImportReport, header_titles, import_enterprises
from enforcement.validators import uscc_check_char
from seeds.complaint_story import HENGDA_USCC, JINYANG_USCC


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


#: (单位名称, 统一社会信用代码, 地址, 管辖单位, 行业, 监管类别, 排污许可证编号, 法定代表人,
#:  环保联系人, 联系电话, 纬度, 经度) — the template's columns, in its order.
ENTERPRISES: tuple[tuple[str, ...], ...] = (
    (
        "小店区恒达化工有限公司",
        HENGDA_USCC,
        "小店区北格镇工业园3号",
        "XD",
        "化学原料和化学制品制造业",
        "重点监管",
        "91140105MA0L3F8P1X001P",
        "郭志刚",
        "田晓燕",
        "0351-7021188",
        "37.712400",
        "112.601300",
    ),
    (
        "太原市晋阳食品有限公司",
        JINYANG_USCC,
        "小店区北格镇张花村",
        "XD",
        "食品制造业",
        "一般监管",
        "91140105MA0KB7R2XY001U",
        "王德顺",
        "刘佳",
        "0351-7035566",
        "37.705100",
        "112.588200",
    ),
    (
        "北格镇鑫源铸造厂",
        _uscc("92140105MA0N5K2L4"),
        "小店区北格镇南畔村",
        "XD",
        "铸造及其他金属制品制造",
        "重点监管",
        "",
        "闫国平",
        "闫国平",
        "13903510001",
        "37.698700",
        "112.612900",
    ),
    (
        "北格镇某某石材加工厂",
        _uscc("92140105MA0P7Q3M6"),
        "小店区北格镇北格村",
        "XD",
        "石材加工",
        "一般监管",
        "",
        "赵二虎",
        "赵二虎",
        "13903510002",
        "",
        "",
    ),
    (
        "太原市龙城热电有限公司",
        _uscc("91140105MA0Q8R4N7"),
        "小店区坞城路88号",
        "XD",
        "电力、热力生产和供应业",
        "重点监管",
        "91140105MA0Q8R4N7A001P",
        "孙立新",
        "马红",
        "0351-7229900",
        "37.778600",
        "112.573400",
    ),
    (
        "迎泽区某某火锅",
        _uscc("92140106MA0R9T5P8"),
        "迎泽区柳巷南路12号",
        "YZ",
        "餐饮业",
        "一般",
        "",
        "李春华",
        "李春华",
        "13803510003",
        "37.860200",
        "112.566700",
    ),
    (
        "迎泽区某某烧烤",
        _uscc("92140106MA0T1U6Q9"),
        "迎泽区桥头街36号",
        "YZ",
        "餐饮业",
        "一般",
        "",
        "张大勇",
        "张大勇",
        "13803510004",
        "",
        "",
    ),
    (
        "太原市迎泽医院",
        _uscc("12140106MA0U2W7R1"),
        "迎泽区双塔西街9号",
        "YZ",
        "医疗卫生",
        "特殊",
        "12140106MA0U2W7R1B001V",
        "周文",
        "吴静",
        "0351-4021200",
        "37.845500",
        "112.578800",
    ),
    (
        "万柏林区兴华汽修有限公司",
        _uscc("91140109MA0W3X8T2"),
        "万柏林区千峰南路77号",
        "WBL",
        "汽车修理与维护",
        "一般监管",
        "",
        "冯建军",
        "冯建军",
        "13703510005",
        "",
        "",
    ),
    (
        "太原钢联焦化有限公司",
        _uscc("91140108MA0X4Y9U3"),
        "尖草坪区柴村街道工业路1号",
        "JCP",
        "炼焦",
        "重点",
        "91140108MA0X4Y9U3C001P",
        "高山",
        "钱丽",
        "0351-6188800",
        "37.935100",
        "112.512400",
    ),
    (
        "清徐县老陈醋酿造厂",
        _uscc("91140121MA0Y5A1W4"),
        "清徐县清源镇醋都路5号",
        "QX",
        "酒、饮料和精制茶制造业",
        "一般监管",
        "91140121MA0Y5A1W4D001Q",
        "武建平",
        "武丽",
        "0351-5721321",
        "37.607300",
        "112.358200",
    ),
    (
        "古交市东曲选煤有限公司",
        _uscc("91140181MA0B6C2X5"),
        "古交市东曲街道矿区路",
        "GJ",
        "煤炭洗选",
        "特殊监管",
        "91140181MA0B6C2X5E001P",
        "韩强",
        "韩梅",
        "0351-5512000",
        "37.907800",
        "112.175600",
    ),
)


def enterprises_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header_titles())
    writer.writerows(ENTERPRISES)
    return buffer.getvalue().encode("utf-8")


def seed_enterprises(*, now: dt.datetime) -> ImportReport:
    """Register the demo enterprises; every row must import."""
    report = import_enterprises(enterprises_csv(), name="demo-enterprises.csv", now=now)
    if report.rejected:
        raise ValueError(f"demo enterprises rejected: {report.rejected}")
    return report
