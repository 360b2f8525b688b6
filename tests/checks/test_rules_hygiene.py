"""H0xx: data hygiene, and the code lists (codes.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rulekit import Build, data, found, messages

from gongkai.core import codes


def expenditure(*rows: dict[str, object], money_unit: str = "万元"):
    return data("budget.expenditure", list(rows), money_unit=money_unit)


def item(code: str, total: object = "5.00", basic: object = "5.00", project: object = "0") -> dict[str, object]:
    parts = {"类": code[:3]}
    if len(code) >= 5:
        parts["款"] = code[3:5]
    if len(code) >= 7:
        parts["项"] = code[5:]
    return {**parts, "科目名称": f"科目{code}", "合计": total, "基本支出": basic, "项目支出": project}


def test_h001_number_stored_as_text(build: Build) -> None:
    book = build(expenditure(item("2080505", total="5.00"), item("2080506", total=5.0, basic=5.0)))
    assert found(book, "H") == []
    # layout writes str values as text: "5.00" typed as text in a number column
    book = build(expenditure({"类": "208", "款": "05", "项": "05", "科目名称": "x", "合计": "1,672.81", "基本支出": Decimal("1672.81")}))
    assert found(book, "H") == [("表1-2!E6", "H001", "warning")]
    assert messages(book, "H001") == ["「1,672.81」是存为文本的数字，请改为数值格式（Excel 求和会忽略文本）"]


def test_h002_text_in_an_amount_cell(build: Build) -> None:
    book = build(expenditure({"类": "208", "款": "05", "项": "05", "科目名称": "x", "合计": "待定", "基本支出": Decimal(1), "项目支出": "-"}))
    assert found(book, "H") == [("表1-2!E6", "H002", "error")]


def test_h003_negative_amount(build: Build) -> None:
    book = build(expenditure(item("2080505", total=Decimal("-5.00"), basic=Decimal("-5.00"))))
    assert found(book, "H003") == [("表1-2!E6", "H003", "error"), ("表1-2!F6", "H003", "error")]
    assert found(build(expenditure(item("2080505", total=Decimal("5.00"), basic=Decimal("5.00")))), "H003") == []


def test_h003_a_surplus_may_be_negative(build: Build) -> None:
    rows = [{"类": "208", "款": "05", "项": "05", "科目名称": "x", "年初结转和结余": Decimal(-3), "本年收入": Decimal(5),
             "本年支出/小计": Decimal(4), "本年支出/基本支出": Decimal(4), "本年支出/项目支出": Decimal(0), "年末结转和结余": Decimal(-2)}]
    assert found(build(data("final.fund", rows)), "H003") == []


def test_h004_code_under_the_wrong_parent(build: Build) -> None:
    rows = [item("208", "10.00", "10.00"), item("20805", "10.00", "10.00"), item("2101101", "10.00", "10.00"),
            item("210", "1.00", "1.00"), item("21011", "1.00", "1.00"), item("2101101", "1.00", "1.00")]
    book = build(expenditure(*rows))
    assert found(book, "H004") == [("表1-2!C8", "H004", "error")]
    assert messages(book, "H004") == ["科目编码 2101101 与上级科目 20805 科目20805 不符（应以 20805 开头）"]


def test_h004_rows_of_each_unit_are_checked_apart(build: Build) -> None:
    rows = [{"科目名称": "101001 本级", "合计": Decimal(5)}, item("208"), item("20805"),
            {"科目名称": "101002 中心", "合计": Decimal(5)}, item("2080505")]
    assert found(build(expenditure(*rows)), "H004") == []


def test_h005_code_not_in_the_list(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(codes.OFFICIAL, "function", True)  # as if the year's official list were shipped
    book = build(expenditure(item("2089998"), item("2080505")))
    assert found(book, "H005") == [("表1-2!C6", "H005", "warning")]


def test_h005_is_silent_without_an_official_list(build: Build) -> None:
    """Real codes the curated list lacks (2089999 其他社会保障和就业支出, published by 万里街道) never warn."""
    assert not codes.official("function")
    assert found(build(expenditure(item("2089999"), item("2089998"))), "H005") == []


def test_h006_malformed_code(build: Build) -> None:
    rows = [{"类": "2080", "科目名称": "x", "合计": Decimal(5), "基本支出": Decimal(5)},
            {"类": "302", "科目名称": "y", "合计": Decimal(5), "基本支出": Decimal(5)},
            item("2080505")]
    assert found(build(expenditure(*rows)), "H006") == [("表1-2!A6", "H006", "error"), ("表1-2!A7", "H006", "error")]


def test_code_lists() -> None:
    assert codes.name("2080505", "function") == "机关事业单位基本养老保险缴费支出"
    assert codes.name("30108", "economic") == "机关事业单位基本养老保险缴费"
    assert codes.known("3010201", "economic")  # provincial sub-item: its 款 is known
    assert not codes.known("2089998", "function")
    assert (codes.parent("2080505"), codes.parent("20805"), codes.parent("208")) == ("20805", "208", None)
    assert codes.class_of("2080505") == "208"
    assert [codes.well_formed(c, "function") for c in ("208", "20805", "2080505", "2080", "302")] == [True, True, True, False, False]
    assert codes.codes("function") is codes.codes("function")  # loaded once
