"""Money: 元 → 万元 rounding as departments do it, and the 舍位 verdict for a total against its parts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .findings import Severity

CENT = Decimal("0.01")
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


def judge(actual: Decimal | None, expected: Decimal, parts: int, per_part: Decimal = Decimal("0.005"), money_unit: str = "万元") -> Severity | None:
    """None when equal; NOTE when the difference is within the 舍位 tolerance; ERROR above it."""
    diff = abs((actual or Decimal(0)) - expected)
    if diff == 0:
        return None
    return Severity.NOTE if diff <= tolerance(parts, per_part, money_unit) else Severity.ERROR
