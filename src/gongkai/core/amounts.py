"""Money: 元 → 万元 rounding as departments do it, and the 舍位 verdict for a total against its parts."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .findings import Severity

CENT = Decimal("0.01")
_FRACTION = re.compile(r"\d\.(\d+)\s*$")
UNIT_FACTORS = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
"""How many 万元 one of the sheet's 金额单位 is."""


def wan(yuan: Decimal | int) -> Decimal:
    """元 → 万元, rounded half-up to 0.01 as printed tables are."""
    return (Decimal(yuan) / 10000).quantize(CENT, ROUND_HALF_UP)


def total(values: Iterable[Decimal | None]) -> Decimal:
    """Sum, a blank counted as zero (a printed table leaves zero cells blank)."""
    return sum((v for v in values if v is not None), Decimal(0))


def tolerance(parts: int, per_part: Decimal = Decimal("0.005"), money_unit: str = "万元") -> Decimal:
    """The largest 舍位 difference a total of ``parts`` printed parts may show, in 万元."""
    return per_part * max(parts, 1) * UNIT_FACTORS.get(money_unit, Decimal(1))


def decimals(raw: object) -> int:
    """How many decimals an amount carries, read from the value (trailing zeros of a format are not precision)."""
    if isinstance(raw, float):
        if raw.is_integer() or not math.isfinite(raw):
            return 0
        text = repr(raw)
        return min(len(text.split(".")[1]), 6) if "e" not in text else 6
    if isinstance(raw, str):
        m = _FRACTION.search(raw)
        return min(len(m.group(1).rstrip("0")), 6) if m else 0
    return 0


def rounding_bound(printed_decimals: int, money_unit: str) -> Decimal:
    """Half a unit of the printed precision, in 万元: the 舍位 one rounded part may carry.

    0.005 万元 for 万元 with two decimals (more decimals, a finer bound); 0.5 元 where 元 are printed whole; nothing
    where 元 carry 分 (those are the source figures, not rounded).
    """
    factor = UNIT_FACTORS.get(money_unit, Decimal(1))
    if money_unit == "元":
        return Decimal("0.5") * factor if printed_decimals == 0 else Decimal(0)
    places = max(printed_decimals, 2) if money_unit in ("万元", "亿元") else printed_decimals
    return Decimal(5).scaleb(-places - 1) * factor


def judge(actual: Decimal | None, expected: Decimal, parts: int, per_part: Decimal = Decimal("0.005"), money_unit: str = "万元") -> Severity | None:
    """None when equal; NOTE when the difference is within the 舍位 tolerance; ERROR above it."""
    diff = abs((actual or Decimal(0)) - expected)
    if diff == 0:
        return None
    return Severity.NOTE if diff <= tolerance(parts, per_part, money_unit) else Severity.ERROR


def show(value: Decimal | None) -> str:
    """An amount as a clerk reads it, as every message and report writes it: thousands separated, to the cent
    unless finer (12.30, 8,445.11, 0.125; 0 and 0.0 both 0.00); blank as 空."""
    if value is None:
        return "空"
    return f"{value:,.2f}" if value == value.quantize(CENT) else f"{value.normalize():,f}"
