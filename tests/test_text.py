"""Parsing labels, codes and numbers the way clerks write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.text import (
    clean,
    fold,
    parse_code,
    parse_number,
    split_leading_code,
    split_project,
    strip_ordinal,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("基本工 资", "基本工资"),
        ("机关事\n业单位基本养老保险缴费", "机关事业单位基本养老保险缴费"),
        ("  因公出国（境）费用 ", "因公出国(境)费用"),
        ("IT 运维\u3000服务", "IT运维服务"),
        ("Office 365 licence", "Office 365 licence"),
        ("２０８", "208"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_fold_ignores_quotes_and_spaces() -> None:
    assert fold("一般公共预算“三公”经费支出预算表") == fold('一般公共预算"三公" 经费支出预算表')


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,672.81", Decimal("1672.81")), ("１，６７２．８１", Decimal("1672.81")), (" -5 ", Decimal(-5)),
     ("(12.50)", Decimal("-12.50")), ("0", Decimal(0)), ("1,2", None), ("待定", None), ("", None), ("1.2.3", None),
     ("12,345,678.9", Decimal("12345678.9"))],
)
def test_parse_number(raw: str, expected: Decimal | None) -> None:
    assert parse_number(raw) == expected


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_what_excel_displays(value: Decimal) -> None:
    assert parse_number(f"{value:,.2f}") == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2080505", "2080505"), ("208 05 05", "2080505"), ("208.05.05", "2080505"), ("208-05", "20805"),
     ("30101", "30101"), ("20", None), ("12345678", None), ("合计", None)],
)
def test_parse_code(raw: str, expected: str | None) -> None:
    assert parse_code(raw) == expected


def test_leading_codes_and_project_codes() -> None:
    assert split_leading_code("2080505 行政单位离退休") == ("2080505", "行政单位离退休")
    assert split_leading_code("[101001]某某局") == ("101001", "某某局")
    assert split_leading_code("【101】某某局") == ("101", "某某局")
    assert split_leading_code("一般公共服务支出") == (None, "一般公共服务支出")
    assert split_project("51110021T000000123456-医保信息化建设") == ("51110021T000000123456", "医保信息化建设")
    assert split_project("51110021T0000 00123456-医保信息化建设") == ("51110021T000000123456", "医保信息化建设")
    assert split_project("51110021T0000\n00123456－医保信息化建设") == ("51110021T000000123456", "医保信息化建设")
    assert split_project("P001：信息化") == (None, "P001:信息化")
    assert split_project("医保信息化建设") == (None, "医保信息化建设")


def test_strip_ordinal() -> None:
    assert [strip_ordinal(fold(x)) for x in ("一、一般公共预算拨款收入", "（一）财政拨款小计", "1.一般公共预算", "其中：财政拨款", "2080505")] == [
        "一般公共预算拨款收入", "财政拨款小计", "一般公共预算", "财政拨款", "2080505",
    ]
