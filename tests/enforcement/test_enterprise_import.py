"""The registry's import (issue 5, item 1): good rows are saved, each bad one is reported with its
row number and message, a file that cannot be read is refused with nothing saved."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from enforcement.models.enterprise import Enterprise, SupervisionTier
from enforcement.registry.importer import ImportRefused, import_enterprises, template_csv
from enforcement.validators import uscc_check_char
from workflow.models import Unit

NOW = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HEADER = (
    "单位名称,统一社会信用代码,地址,管辖单位,行业,监管类别,"
    "排污许可证编号,法定代表人,环保联系人,联系电话,纬度,经度"
)


def code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


GOOD_A = code("91140105MA0KB7R2X")
GOOD_B = code("91140106MA0L3F8P1")
GOOD_C = code("91140100MA0M1234A")


def bad_check(good: str) -> str:
    wrong = "0" if good[-1] != "0" else "1"
    return good[:-1] + wrong


def csv_bytes(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *rows]).encode(encoding)


@pytest.fixture
def units(city: Unit, district: Unit, other_district: Unit, town: Unit) -> dict[str, Unit]:
    return {"city": city, "district": district, "other": other_district, "town": town}


def test_good_rows_import_and_each_bad_row_is_reported(units: dict[str, Unit]) -> None:
    data = csv_bytes(
        f"太原市晋阳食品有限公司,{GOOD_A},小店区北格镇张花村,XD,食品制造,重点,P-001,张三,李四,0351-1234567,37.75,112.55",
        f"校验位错误公司,{bad_check(GOOD_B)},小店区,小店分局,,一般,,,,,,",
        f"无名管辖公司,{GOOD_C},小店区,火星分局,,一般,,,,,,",
        f",{code('91140105MA0YYYYY1')},小店区,XD,,一般,,,,,,",
        f"类别错误公司,{code('91140105MA0YYYYY2')},小店区,XD,,很重要,,,,,,",
        f"重复代码公司,{GOOD_A.lower()},迎泽区,YZ,,一般,,,,,,",
        f"迎泽某某火锅,{GOOD_B},迎泽区,迎泽,餐饮,特殊监管,,,,,,",
    )
    report = import_enterprises(data, name="registry.csv", actor_unit=None, now=NOW)

    assert (report.created, report.updated) == (2, 0)
    rejected = dict(report.rejected)
    assert sorted(rejected) == [3, 4, 5, 6, 7]
    assert "校验位不正确" in rejected[3]["统一社会信用代码"][0]
    assert "火星分局" in rejected[4]["管辖单位"][0]
    assert rejected[5]["单位名称"]
    assert "很重要" in rejected[6]["监管类别"][0]
    assert "第 2 行" in rejected[7]["统一社会信用代码"][0]
    assert "拒收 5 行" in report.summary()

    jinyang = Enterprise.objects.get(uscc=GOOD_A)
    assert jinyang.jurisdiction == units["district"]
    assert jinyang.tier == SupervisionTier.KEY
    assert jinyang.name_key == "太原市晋阳食品"
    assert str(jinyang.latitude) == "37.750000"
    assert jinyang.created_at == NOW == jinyang.updated_at
    hotpot = Enterprise.objects.get(uscc=GOOD_B)
    assert (hotpot.jurisdiction, hotpot.tier) == (units["other"], SupervisionTier.SPECIAL)
    assert Enterprise.objects.count() == 2


def test_jurisdiction_must_be_a_bureau_within_the_importers_unit(units: dict[str, Unit]) -> None:
    data = csv_bytes(
        f"镇上的厂,{GOOD_A},北格镇,XD-BG,,,,,,,,",
        f"迎泽的厂,{GOOD_B},迎泽区,YZ,,,,,,,,",
        f"小店的厂,{GOOD_C},小店区,小店,,,,,,,,",
    )
    report = import_enterprises(data, name="a.csv", actor_unit=units["district"], now=NOW)
    rejected = dict(report.rejected)
    assert report.created == 1
    assert "不是市局、分局或县局" in rejected[2]["管辖单位"][0]
    assert "不在本单位" in rejected[3]["管辖单位"][0]
    assert Enterprise.objects.get().tier == SupervisionTier.GENERAL


def test_gbk_csv_as_excel_saves_it(units: dict[str, Unit]) -> None:
    data = csv_bytes(
        f"小店区恒达化工有限公司,{GOOD_B},小店区,小店分局,化工,重点监管,,,,,,", encoding="gbk"
    )
    report = import_enterprises(data, name="gbk.csv", actor_unit=None, now=NOW)
    assert (report.created, report.rejected) == (1, [])
    assert Enterprise.objects.get().name == "小店区恒达化工有限公司"


def test_utf8_with_bom_and_synonym_headers(units: dict[str, Unit]) -> None:
    data = f"\ufeff企业名称,信用代码,详细地址,管辖\n甲厂,{GOOD_A},小店区,XD\n".encode()
    report = import_enterprises(data, name="bom.csv", actor_unit=None, now=NOW)
    assert report.created == 1


def test_xlsx_first_sheet(units: dict[str, Unit]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "太原市晋阳食品有限公司",
            GOOD_A,
            "小店区",
            "XD",
            "食品",
            "一般",
            None,
            None,
            None,
            13800000000,
            37.7,
            112.5,
        ]
    )
    sheet.append(["坏行", "123", "小店区", "XD"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_enterprises(buffer.getvalue(), name="r.xlsx", actor_unit=None, now=NOW)
    assert report.created == 1
    assert [row for row, _errors in report.rejected] == [3]
    assert "18位" in report.rejected[0][1]["统一社会信用代码"][0]
    assert Enterprise.objects.get().contact_phone == "13800000000"


def test_an_existing_code_updates_the_enterprise(units: dict[str, Unit]) -> None:
    import_enterprises(csv_bytes(f"旧名称厂,{GOOD_A},小店区,XD,,一般,,,,,,"), now=NOW)
    later = NOW + dt.timedelta(days=3)
    report = import_enterprises(
        csv_bytes(f"新名称有限公司,{GOOD_A},迎泽区,YZ,,重点,,,,,,"), name="b.csv", now=later
    )
    assert (report.created, report.updated) == (0, 1)
    enterprise = Enterprise.objects.get()
    assert (enterprise.name, enterprise.name_key, enterprise.tier) == (
        "新名称有限公司",
        "新名称",
        "key",
    )
    assert enterprise.jurisdiction == units["other"]
    assert (enterprise.created_at, enterprise.updated_at) == (NOW, later)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "空"),
        (b"\x00\x01\x02\x03binary", "x.xls", "CSV 或 Excel"),
        (b"PK\x03\x04not really a zip", "x.xlsx", "Excel"),
        ("名称,地址\n甲,乙\n".encode(), "x.csv", "统一社会信用代码、管辖单位"),
        (HEADER.encode() + b"\n", "x.csv", "没有数据行"),
    ],
)
def test_an_unreadable_file_is_refused_with_nothing_saved(
    units: dict[str, Unit], data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_enterprises(data, name=name, actor_unit=None, now=NOW)
    assert message in refused.value.message
    assert not Enterprise.objects.exists()


def test_the_template_is_the_header_with_a_bom(units: dict[str, Unit]) -> None:
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").strip() == HEADER


def test_the_command_reports_and_exits_1_on_rejected_rows(
    units: dict[str, Unit], tmp_path: Path, capsys: Any
) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(f"甲厂,{GOOD_A},小店区,XD,,,,,,,,"))
    call_command("import_enterprises", str(good))
    assert "新增 1 家" in capsys.readouterr().out

    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(
        csv_bytes(f"乙厂,{GOOD_B},迎泽区,YZ,,,,,,,,", f"丙厂,{GOOD_C},迎泽区,YZ,,,,,,,,")
    )
    with pytest.raises(SystemExit) as exited:
        call_command("import_enterprises", str(mixed), "--unit", "XD")
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "拒收 2 行" in captured.out
    assert "第 2 行" in captured.err and "不在本单位" in captured.err
    assert Enterprise.objects.count() == 1

    with pytest.raises(CommandError):
        call_command("import_enterprises", str(tmp_path / "missing.csv"))


def test_a_header_in_english_and_short_tier_words_are_read(units: dict[str, Unit]) -> None:
    data = (
        "Enterprise name, Unified social credit code ,Address,Jurisdiction,Supervision tier\n"
        f"Acme Chemicals,{GOOD_A},Xiaodian,XD,Key\n"
    ).encode()
    report = import_enterprises(data, name="en.csv", actor_unit=None, now=NOW)
    assert (report.created, report.rejected) == (1, [])
    assert Enterprise.objects.get().tier == SupervisionTier.KEY


def test_an_import_does_not_take_over_another_bureaus_enterprise(units: dict[str, Unit]) -> None:
    import_enterprises(csv_bytes(f"迎泽的厂,{GOOD_A},迎泽区,YZ,,一般,,,,,,"), now=NOW)
    report = import_enterprises(
        csv_bytes(f"改名的厂,{GOOD_A},小店区,XD,,重点,,,,,,"),
        name="take.csv",
        actor_unit=units["district"],
        now=NOW,
    )
    assert (report.created, report.updated) == (0, 0)
    assert "迎泽分局" in report.rejected[0][1]["统一社会信用代码"][0]
    enterprise = Enterprise.objects.get()
    assert (enterprise.name, enterprise.jurisdiction) == ("迎泽的厂", units["other"])
