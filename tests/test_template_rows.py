"""Entry blocks a clerk can extend (issue 19 §5), done in LibreOffice, not read off the file's settings.

On each protected table of a fresh `gongkai template` workbook, LibreOffice (driven through UNO by
tests/lo_clerk.py) inserts a row between two entry rows the way a clerk does under the sheet protection, fills the
row's formulas down from the row above (Ctrl+D), types a code, a name and amounts into the row's unlocked cells,
recalculates, and reads the 合计 row: every total must include the new row. The new row must look like its
neighbours (unlocked where they are, ruled, the same number format) so the clerk can type into it. The controls:
a copy protected without "insert rows" refuses the insertion, and a row inserted below the block's last row (or
above its first) is left out of the totals, which is why 填表说明 says to insert between two rows of the block.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from recalc import Office, clerk, office

TOTAL = re.compile(r'=SUMIFS\(([A-Z]+)(\d+):\1(\d+)((?:,[A-Z]+\d+:[A-Z]+\d+,"[^"]*")*)\)')
"""A 合计 cell over its own sheet's entry block: ``=SUMIFS(E7:E26,A7:A26,"<>",B7:B26,"")``."""
CRITERION = re.compile(r',([A-Z]+)\d+:[A-Z]+\d+,"([^"]*)"')


@dataclass(frozen=True)
class Block:
    """An entry block: its 合计 row, first and last entry rows, the columns it sums and the SUMIFS criteria."""

    sheet: str
    total_row: int
    first: int
    last: int
    sums: tuple[str, ...]
    criteria: dict[str, str]
    columns: tuple[str, ...]
    formulas: tuple[str, ...]
    """Columns whose entry rows carry a formula (合计 = 基本支出 + 项目支出 …)."""


def blocks(path: Path) -> list[Block]:
    """Every sheet whose 合计 row sums an entry block of its own sheet with SUMIFS."""
    out = []
    for ws in openpyxl.load_workbook(path).worksheets:
        found = [(c, TOTAL.fullmatch(c.value)) for row in ws.iter_rows(max_row=12) for c in row if isinstance(c.value, str)]
        totals = [(c, m) for c, m in found if m]
        if not totals:
            continue
        cell, m = totals[0]
        first, last = int(m[2]), int(m[3])
        columns = tuple(c.column_letter for c in ws[first] if c.column_letter <= max(x.column_letter for x, _ in totals) or not c.protection.locked)
        out.append(Block(
            sheet=ws.title, total_row=cell.row, first=first, last=last,
            sums=tuple(c.column_letter for c, _ in totals if c.row == cell.row),
            criteria=dict(CRITERION.findall(m[4])), columns=columns,
            formulas=tuple(c.column_letter for c in ws[first + 1] if isinstance(c.value, str) and c.value.startswith("=")),
        ))
    return out


def job(path: Path, block: Block, new: int) -> dict[str, Any]:
    """What a clerk does with a row inserted as row `new`: fill its formulas down, type a code, a name, amounts."""
    typed: dict[str, str] = {}
    for i, col in enumerate(block.columns):
        if col in block.formulas or block.criteria.get(col) == "":
            continue  # a formula is filled down; a column that must stay blank for the row to count stays blank
        if block.criteria.get(col) == "<>":
            typed[col] = "201"  # 一般公共服务支出 (a 类 code), or any unit/project the criteria asks for
        elif col in block.sums:
            typed[col] = f"{10 + i}.25"
        else:
            typed[col] = "一般公共服务支出"
    return {
        "path": str(path), "sheet": block.sheet, "insert": new, "columns": list(block.columns),
        "fill_down": [c for c in block.formulas if c in block.columns], "type": typed,
        "read": [f"{c}{block.total_row}" for c in block.sums] + [f"{c}{new}" for c in block.sums],
    }


def totals(block: Block, result: dict[str, Any], new: int) -> dict[str, tuple[float, float]]:
    """Per summed column: (the 合计 row's value, the new row's value)."""
    values = result["values"]
    return {c: (values[f"{c}{block.total_row}"], values[f"{c}{new}"]) for c in block.sums}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gongkai.cli import main

    out = tmp_path_factory.mktemp("templates")
    assert main(["template", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def lo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    with office(tmp_path_factory.mktemp("lo")) as running:
        yield running


@pytest.mark.parametrize("name", ["budget-set.xlsx", "final-set.xlsx"])
def test_a_row_inserted_inside_an_entry_block_is_typed_into_and_counted_in_the_totals(templates: Path, lo: Office, name: str) -> None:
    found = blocks(templates / name)
    assert len(found) >= 10, [b.sheet for b in found]  # 表1-1 … 表8 (budget), 公开02表 … 公开13表 (final)
    jobs = [job(templates / name, b, b.first + 3) for b in found]  # between the block's 3rd and 4th entry rows

    results = clerk(lo, jobs)

    for block, result in zip(found, results, strict=True):
        new = block.first + 3
        where = f"{name} {block.sheet}"
        assert result["protected"] and result["inserted"], (where, result["error"])
        assert result["refused"] == [], (where, "locked cells in the new row", result["refused"])
        for col in block.columns:  # the new row looks like the entry row above: unlocked, ruled, same format
            assert result["new"][col] | {"formula": None} == result["above"][col] | {"formula": None}, (where, col)
        sums = totals(block, result, new)
        assert all(row > 0 for _, row in sums.values()), (where, sums)
        assert all(total == pytest.approx(row) for total, row in sums.values()), (where, "totals miss the new row", sums)


def test_the_new_row_reaches_the_tables_that_link_to_its_block(templates: Path, lo: Office) -> None:
    """表1 部门收支总表 takes its 类 rows from 表1-2: a 201 row inserted in 表1-2 shows up in 表1's 201 row."""
    path = templates / "budget-set.xlsx"
    block = next(b for b in blocks(path) if b.sheet == "表1-2")
    ws = openpyxl.load_workbook(path)["表1"]
    row201 = next(r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 4).value, str) and '"201"' in ws.cell(r, 4).value)
    spec = job(path, block, 10) | {"read": ["E6", "E10", f"表1!D{row201}", f"表1!D{ws.max_row}"]}

    (result,) = clerk(lo, [spec])

    values = result["values"]
    assert values["E10"] > 0 and values["E6"] == pytest.approx(values["E10"])
    assert values[f"表1!D{row201}"] == pytest.approx(values["E10"]), result["formulas"]


def test_inserting_is_refused_where_the_protection_forbids_it(templates: Path, lo: Office, tmp_path: Path) -> None:
    """The control: the same insertion into a copy protected without "insert rows" raises in LibreOffice."""
    wb = openpyxl.load_workbook(templates / "budget-set.xlsx")
    wb["表1-2"].protection.insertRows = True  # True: inserting rows is forbidden
    control = tmp_path / "no-insert.xlsx"
    wb.save(control)
    block = next(b for b in blocks(control) if b.sheet == "表1-2")

    (refused, allowed) = clerk(lo, [job(control, block, 10), job(templates / "budget-set.xlsx", block, 10)])

    assert refused["protected"] and not refused["inserted"] and "RuntimeException" in refused["error"]
    assert allowed["protected"] and allowed["inserted"]


def test_a_row_inserted_outside_the_block_is_not_counted_and_the_instructions_say_where_to_insert(templates: Path, lo: Office) -> None:
    """Below the last entry row the new row looks like an entry row but the totals leave it out; above the first
    entry row it takes the 合计 row's locked cells. 填表说明 sends the clerk between two rows of the block."""
    path = templates / "budget-set.xlsx"
    block = next(b for b in blocks(path) if b.sheet == "表1-2")

    below, above = clerk(lo, [job(path, block, block.last + 1), job(path, block, block.first)])

    assert below["inserted"] and below["refused"] == []  # the clerk can type into it…
    sums = totals(block, below, block.last + 1)
    assert all(row > 0 and total == 0 for total, row in sums.values()), sums  # …and the totals leave it out
    assert above["inserted"] and above["new"]["F"]["locked"] and above["refused"]  # the 合计 row's look: locked
    assert all(total == 0 for total, _ in totals(block, above, block.first).values())
    notes = " ".join(str(c.value) for c in openpyxl.load_workbook(path)["填表说明"]["A"])
    assert "两行之间插入行" in notes and "Ctrl+D" in notes  # between two rows, then the formulas filled down
    assert "不要在填写区第一行之上或最后一行之下插入行" in notes


def test_a_filled_workbook_says_to_refill_rather_than_insert(tmp_path: Path, lo: Office) -> None:
    """`gongkai fill` writes each 合计/小计 as a sum of named rows: a row inserted among them is left out, so its
    填表说明 sends the clerk back to the line items instead of to 插入行."""
    from gongkai.cli import main

    out = tmp_path / "filled.xlsx"
    assert main(["fill", str(Path(__file__).parents[1] / "workbooks" / "examples" / "line-items.xlsx"), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["表1-2"]
    new = next(r for r in range(7, ws.max_row) if ws.cell(r, 3).value and ws.cell(r + 1, 1).value)  # below a 项 row
    spec = {"path": str(out), "sheet": "表1-2", "insert": new + 1, "columns": list("ABCDEFG"),
            "type": {"A": "205", "B": "01", "C": "99", "D": "其他教育管理事务支出", "F": "100"}, "read": ["F6", f"F{new + 1}"]}

    (result,) = clerk(lo, [spec])

    assert result["inserted"] and result["values"][f"F{new + 1}"] == 100
    assert result["values"]["F6"] == pytest.approx(float(ws["F6"].value))  # the 合计 did not take the 100
    notes = " ".join(str(c.value) for c in wb["填表说明"]["A"])
    assert "插入的行不计入合计" in notes and "重新运行 gongkai fill" in notes and "Ctrl+D" not in notes


def test_a_libreoffice_that_crashed_is_restarted_and_the_jobs_run_again(templates: Path, lo: Office) -> None:
    """The harness itself: LibreOffice killed the way it aborts on its own (SIGABRT) is started again, once."""
    path = templates / "budget-set.xlsx"
    block = next(b for b in blocks(path) if b.sheet == "表1-2")
    assert lo.proc is not None
    before = lo.starts
    os.killpg(lo.proc.pid, signal.SIGABRT)
    lo.proc.wait(30)

    (result,) = clerk(lo, [job(path, block, block.first + 3)])

    assert lo.starts == before + 1 and not lo.gone()
    assert result["inserted"] and all(total == pytest.approx(row) for total, row in totals(block, result, block.first + 3).values())
