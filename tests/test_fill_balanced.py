"""`fill` publishes balanced tables (issue 19 §6): after a real recalculation by LibreOffice, `check` finds no error
and 收入总计 = 支出总计 to the cent, for the example input and 20 random line-item sets.

The 舍位 is done once, on the lines, by largest remainder (`compose_budget.balanced`): each unit's and the
department's total are their own 元 sums rounded, and every line moves by less than 0.01 万元.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.cli import main
from gongkai.core.findings import Severity
from gongkai.fill.compose_budget import _largest_remainder, balanced, compose_book, wan
from gongkai.fill.sample import sample_lines, write_line_items
from gongkai.pipeline import check_file
from gongkai.read import read_workbook
from recalc import recalculated

EXAMPLES = Path(__file__).parents[1] / "workbooks" / "examples"
SEEDS = random.Random(19).sample(range(10_000), 20)


def totals(path: Path) -> tuple[Decimal, Decimal]:
    """收入总计 and 支出总计 of 表1 as a reader sees them (the cached values)."""
    sheet = next(s for s in read_workbook(path) if s.name == "表1")
    labels = {str(v).replace(" ", ""): (r, c) for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if isinstance(v, str)}
    (ri, ci), (ro, co) = labels["收入总计"], labels["支出总计"]
    return Decimal(str(sheet.rows[ri][ci + 1])), Decimal(str(sheet.rows[ro][co + 1]))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("balanced")
    inputs = {"example": EXAMPLES / "line-items.xlsx"}
    for seed in SEEDS:
        inputs[f"seed{seed}"] = write_line_items(sample_lines(seed, units=random.Random(seed).randint(1, 5)), root / f"in{seed}.xlsx")
    out = {}
    for name, source in inputs.items():
        target = root / f"{name}.xlsx"
        assert main(["fill", str(source), "-o", str(target)]) == 0
        out[name] = target
    converted = recalculated(list(out.values()), root / "lo", root / "profile")
    return dict(zip(out, converted, strict=True))


def test_income_total_equals_expenditure_total_after_recalculation(filled: dict[str, Path]) -> None:
    unequal = {name: totals(path) for name, path in filled.items() if len(set(totals(path))) != 1}
    assert unequal == {}


def test_recalculated_fills_check_without_errors_or_rounding_notes(filled: dict[str, Path]) -> None:
    found = {}
    for name, path in filled.items():
        r = check_file(path)
        assert r.status == "ok", r.error
        bad = [str(f) for f in r.findings if f.severity in (Severity.ERROR, Severity.NOTE)]
        if bad:
            found[name] = bad
    assert found == {}


def test_every_line_moves_less_than_a_cent_and_totals_are_their_own_rounding() -> None:
    for seed in SEEDS[:5]:
        items = sample_lines(seed)
        rounded = balanced(items)
        for before, after in zip(items.lines, rounded.lines, strict=True):
            assert after.amount % 100 == 0 and abs(after.amount - before.amount) < 100
        assert sum(x.amount for x in rounded.lines) == wan(sum(x.amount for x in items.lines)) * 10000
        for unit in items.units():
            exact = sum(x.amount for x in items.lines if x.unit_code == unit)
            assert abs(sum(x.amount for x in rounded.lines if x.unit_code == unit) - exact) < 100
        summary = compose_book(items, totals="summed").table("budget.summary").rows[-1]
        assert summary["收入/预算数"] == summary["支出/预算数"]


@given(st.lists(st.decimals(min_value=0, max_value=10**7, places=2), min_size=1, max_size=30))
def test_largest_remainder_hits_the_target_within_one_step(amounts: list[Decimal]) -> None:
    step = Decimal(100)
    target = wan(sum(amounts, Decimal(0))) * 10000
    out = _largest_remainder(amounts, target, step)
    assert sum(out, Decimal(0)) == target
    assert all(o % step == 0 and abs(o - a) < step for o, a in zip(out, amounts, strict=True))
