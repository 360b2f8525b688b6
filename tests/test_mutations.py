"""The issue's "Done when" for the rules, on whole generated budget workbooks (sample.py → 15 sheets).

* a consistent workbook gives no errors (totals summed from printed parts, or each rounded from 元: notes only);
* a single-cell change that breaks an equation gives an error at that cell or at a total it breaks (a finding
  whose ``related`` cells name it), and no error anywhere else — over hundreds of cells and deltas drawn with
  fixed seeds from every amount cell of the workbook.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai import checks
from gongkai.checks.hygiene import column_kinds
from gongkai.core.model import Book, Cell
from gongkai.fill.compose_budget import FIELDS, Composed, Node
from gongkai.fill.layout import SheetPlan, lay_out
from gongkai.fill.sample import sample_workbook
from gongkai.pipeline import load_book
from gongkai.write.workbook import write_plans

SEEDS = (0, 1)
PER_TABLE = 18
"""Mutations per table and seed (all of a table's cells when it has fewer): about 230 per seed."""


def _workbook(folder: Path, seed: int, totals: str) -> tuple[Composed, Book]:
    path = folder / f"sample-{seed}-{totals}.xlsx"
    composed = sample_workbook(path, seed, totals=totals)  # type: ignore[arg-type]
    return composed, load_book(path)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], tuple[Composed, Book]]:
    folder = tmp_path_factory.mktemp("samples")
    return {(seed, totals): _workbook(folder, seed, totals) for seed in SEEDS for totals in ("summed", "rounded")}


@pytest.mark.parametrize("seed", SEEDS)
def test_consistent_workbook_has_no_errors_or_warnings(workbooks, seed: int) -> None:
    _, book = workbooks[(seed, "summed")]
    assert len(book.tables) == 15
    findings = checks.run(book)
    assert [str(f) for f in findings if f.severity != "note"] == []


@pytest.mark.parametrize("seed", SEEDS)
def test_totals_rounded_line_by_line_give_notes_not_errors(workbooks, seed: int) -> None:
    _, book = workbooks[(seed, "rounded")]
    findings = checks.run(book)
    assert [str(f) for f in findings if f.severity != "note"] == []
    assert findings, "rounded from 元 line by line, some printed totals differ from their parts"
    assert all("舍位" in f.message for f in findings)


def _ref(plans: dict[str, SheetPlan], node: Node) -> str:
    table_id, row, key = node
    plan = plans[table_id]
    if row == FIELDS:
        line = next(int(c.ref[1:]) for c in plan.cells if c.ref[0] == "A" and c.value == key)
        return f"{plan.name}!B{line}"
    return f"{plan.name}!{plan.columns[key]}{plan.data[0] + row}"


def _in_equations(composed: Composed) -> set[str]:
    """Cells the composer made part of an equation (a total, or a part of one)."""
    plans = {d.spec.id: lay_out(d) for d in composed.tables}
    out: set[str] = set()
    for total, parts in composed.parts.items():
        out.add(_ref(plans, total))
        out.update(_ref(plans, p) for p in parts)
    return out


def _amount_cells(book: Book) -> list[tuple[int, str, str]]:
    """(table index, column key, "Sheet!A1") of every amount cell: data rows and a form's amount fields."""
    out: list[tuple[int, str, str]] = []
    for i, table in enumerate(book.tables):
        kinds = column_kinds(table)
        seen: set[str] = set()
        for row in table.rows:
            for key, cell in row.cells.items():
                if kinds.get(key) == "amount" and cell.where not in seen:
                    seen.add(cell.where)
                    out.append((i, key, cell.where))
        for key in ("资金总额", "财政拨款", "其他资金"):
            if key in table.fields:
                out.append((i, key, table.fields[key].where))
    return out


def mutate(book: Book, index: int, key: str, where: str, delta: Decimal) -> Book:
    """The book with one printed amount changed (every row that shows the cell: 表6's 预算数 is merged)."""
    table = book.tables[index]

    def change(cell: Cell) -> Cell:
        value = (cell.amount or Decimal(0)) + delta
        return cell.model_copy(update={"value": value, "raw": float(value)})

    rows = tuple(
        r.model_copy(update={"cells": {**r.cells, key: change(r.cells[key])}}) if key in r.cells and r.cells[key].where == where else r
        for r in table.rows
    )
    fields = {k: change(c) if c.where == where else c for k, c in table.fields.items()}
    changed = table.model_copy(update={"rows": rows, "fields": fields})
    return book.model_copy(update={"tables": tuple(changed if i == index else t for i, t in enumerate(book.tables))})


@pytest.mark.parametrize("seed", SEEDS)
def test_a_broken_cell_is_reported_there_or_at_the_total_it_breaks(workbooks, seed: int) -> None:
    composed, book = workbooks[(seed, "summed")]
    in_equations = _in_equations(composed)
    cells = _amount_cells(book)
    rng = random.Random(seed)
    chosen = []
    for index in range(len(book.tables)):
        mine = [c for c in cells if c[0] == index]
        chosen += rng.sample(mine, min(PER_TABLE, len(mine)))
    stray: list[str] = []
    missed: list[str] = []
    rules: Counter[str] = Counter()
    for index, key, where in chosen:
        delta = Decimal(rng.randint(100, 10_000_000)) / 100 * rng.choice((1, -1))
        errors = [f for f in checks.run(mutate(book, index, key, where, delta)) if f.severity == "error"]
        rules.update(f.rule for f in errors)
        stray += [f"{where} {delta:+}: {f}" for f in errors if f.where != where and where not in f.related]
        if not errors and where in in_equations:
            missed.append(f"{where} {delta:+}")
    assert stray == []
    assert missed == []
    assert len(chosen) > 200
    # the mutations reached every kind of equation
    assert {"S101", "S102", "S103", "S104", "S106", "S108", "X201", "X202", "X205", "X207", "X208", "X209", "X211"} <= set(rules), rules


def test_a_changed_cell_in_the_file_is_found_at_its_total(tmp_path: Path) -> None:
    """The same through a real file: one 项 row of 部门支出总表 off by 1.00 → its 款 row's error names it."""
    from gongkai.fill.compose_budget import compose_book
    from gongkai.fill.sample import sample_lines

    composed = compose_book(sample_lines(3), totals="summed")
    data = composed.table("budget.expenditure")
    index = next(i for i, r in enumerate(data.rows) if len(str(r.get("项") or "")) == 2 and r.get("基本支出"))
    data.rows[index]["基本支出"] = Decimal(str(data.rows[index]["基本支出"])) + 1
    plans = [lay_out(d) for d in composed.tables]
    write_plans(plans, tmp_path / "changed.xlsx")
    plan = next(p for p in plans if p.table_id == "budget.expenditure")
    where = f"{plan.name}!{plan.columns['基本支出']}{plan.data[0] + index}"

    errors = [f for f in checks.run(load_book(tmp_path / "changed.xlsx")) if f.severity == "error"]

    assert errors
    assert all(f.where == where or where in f.related for f in errors)
    assert {f.rule for f in errors} >= {"S101"}
