"""年度指标值 / 实际完成值 parsing and the met / missed decision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.selfeval_values import Value, met, parse, same_unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥30次", ("≥", Decimal(30), "次")),
        ("53次", (None, Decimal(53), "次")),
        ("100%", (None, Decimal(100), "%")),
        ("１００％", (None, Decimal(100), "%")),
        ("≤3个月", ("≤", Decimal(3), "月")),
        ("3个月以内", ("≤", Decimal(3), "月")),
        ("30人次以上", ("≥", Decimal(30), "人次")),
        (">=95 %", ("≥", Decimal(95), "%")),
        ("不超过5万元", ("≤", Decimal(5), "万元")),
        ("1,200.5万元", (None, Decimal("1200.5"), "万元")),
        ("优", (None, None, "")),
        ("有效减轻", (None, None, "")),
        ("", (None, None, "")),
    ],
)
def test_parse(text: str, expected: tuple[object, ...]) -> None:
    v = parse(text)
    assert (v.op, v.number, v.unit) == expected


def test_nature_column_gives_the_sign() -> None:
    assert parse("30", "≤").op == "≤"
    assert parse("≥30", "≤").op == "≥"  # the value's own sign wins


@pytest.mark.parametrize(
    ("target", "actual", "reverse", "expected"),
    [
        ("≥30次", "53次", False, True),
        ("≥30次", "28次", False, False),
        ("≤3个月", "2个月", False, True),
        ("≤3个月", "4个月", False, False),
        ("100%", "100%", False, True),
        ("100%", "98%", False, False),
        ("=12期", "12期", False, True),
        ("=12期", "11期", False, False),
        ("5万元", "4.8万元", True, False),  # a target without a sign is exact: below it misses
        ("5万元", "5.2万元", True, False),  # and so does above it
        ("5万元", "5万元", True, True),
        ("90%", "95%", False, False),  # overachieving an exact target misses it too
        ("优", "优", False, True),
        ("良", "优", False, True),
        ("优", "良", False, False),
        ("有效减轻", "有效减轻", False, True),
        ("明显提高", "未完成", False, False),
        ("明显提高", "有所提高", False, None),  # texts that do not compare: no verdict
        ("≥30次", "30人", False, None),  # units differ: F454's business
        ("≥30次", "", False, None),
    ],
)
def test_met(target: str, actual: str, reverse: bool, expected: bool | None) -> None:
    assert met(parse(target), parse(actual), reverse=reverse) is expected


def test_same_unit() -> None:
    assert same_unit(parse("≥30次"), parse("53次"))
    assert same_unit(parse("≥30"), parse("53次"))  # a bare number takes the other's unit
    assert not same_unit(parse("≥30次"), parse("30人"))
    assert not same_unit(parse("5万元"), parse("50000元"))
    assert same_unit(parse("优"), parse("30人"))
    assert Value("x").blank is False and Value("").blank
