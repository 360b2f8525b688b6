"""Helpers for the 决算 tests: plans as in-memory sheets, workbooks of the consistent 决算 set, findings as tuples."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from pathlib import Path

from gongkai import checks
from gongkai.core.addresses import cell_position
from gongkai.core.findings import Finding
from gongkai.core.grid import Sheet
from gongkai.core.model import Book
from gongkai.fill.compose_final import final_tables, selfeval_blocks, stacked
from gongkai.fill.layout import SheetPlan, TableData, lay_out
from gongkai.read import read_workbook
from gongkai.recognize import recognize
from gongkai.write.workbook import write_plans


def as_sheet(plan: SheetPlan) -> Sheet:
    """A plan as the reader would see it after writing and reading (numbers as floats)."""
    cells = {cell_position(c.ref): c.value for c in plan.cells}
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    rows: list[list[object]] = [[None] * width for _ in range(height)]
    for (r, c), v in cells.items():
        rows[r][c] = float(v) if v is not None and not isinstance(v, (str, int, float)) else v
    merged = []
    for m in plan.merges:
        a, b = m.split(":")
        (r0, c0), (r1, c1) = cell_position(a), cell_position(b)
        merged.append((r0, c0, r1, c1))
    return Sheet(plan.name, rows, merged)  # type: ignore[arg-type]


def plans(seed: int = 0, blocks: int = 3) -> list[SheetPlan]:
    """The 13 决算 tables, one per sheet, and 自评表 blocks: one per sheet, stacked with and without titles."""
    out = [lay_out(t, t.spec.number) for t in final_tables(seed)]
    selfevals = selfeval_blocks(seed, blocks)
    out += [lay_out(b, f"自评表{i + 1}") for i, b in enumerate(selfevals)]
    out.append(stacked(selfevals, "自评表汇总", titles=True))
    out.append(stacked(selfevals, "自评表连排", titles=False))
    return out


def write(tmp: Path, seed: int = 0) -> Path:
    return write_plans(plans(seed), tmp / f"final-{seed}.xlsx")


def book_of(sheets: Sequence[Sheet]) -> Book:
    return recognize(sheets)


def book_of_data(tables: Iterable[TableData]) -> Book:
    return recognize([as_sheet(lay_out(t, t.spec.number)) for t in tables])


def found(findings: Iterable[Finding], prefix: str = "") -> list[tuple[str, str, str]]:
    return [(f.where, f.rule, f.severity.value) for f in findings if f.rule.startswith(prefix)]


def run(book: Book, select: Sequence[str] | None = None) -> list[Finding]:
    return checks.run(book, select=select)


def mutated(sheets: Sequence[Sheet], sheet: str, r: int, c: int, delta: float) -> list[Sheet]:
    out = []
    for s in sheets:
        if s.name == sheet:
            s = copy.copy(s)
            s.rows = [list(row) for row in s.rows]
            s.rows[r][c] = round(float(s.rows[r][c]) + delta, 2)  # type: ignore[arg-type]
        out.append(s)
    return out


def read(path: Path) -> list[Sheet]:
    return read_workbook(path)
