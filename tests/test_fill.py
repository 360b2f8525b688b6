"""`gongkai fill`: line items → the budget set with live formulas, proven by LibreOffice and by pandas."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gongkai.cli import main
from gongkai.core.addresses import cell_position
from gongkai.fill.compose_budget import compose_book
from gongkai.fill.lineitems import load
from gongkai.fill.sample import EXAMPLE_SEED, sample_lines, write_examples
from gongkai.fill.template import FILES
from gongkai.pipeline import check_file, inspect_file
from gongkai.read import read_workbook
from recalc import recalculated
from wbcompare import content

EXAMPLES = Path(__file__).parents[1] / "workbooks" / "examples"
WORKBOOKS = EXAMPLES.parent
CENT = Decimal("0.01")


def w(yuan: Decimal) -> Decimal:
    return (yuan / 10000).quantize(CENT, ROUND_HALF_UP)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fill") / "filled.xlsx"
    assert main(["fill", str(EXAMPLES / "line-items.xlsx"), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def recalc(tmp_path_factory: pytest.TempPathFactory, filled: Path) -> dict[str, Path]:
    """The filled workbook and every template, recalculated by LibreOffice in one run."""
    paths = [filled, *(WORKBOOKS / name for name in sorted(FILES))]
    root = tmp_path_factory.mktemp("lo")
    converted = recalculated(paths, root / "out", root / "profile")
    return {p.name: c for p, c in zip(paths, converted, strict=True)}


def formulas(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets for row in ws.iter_rows() for c in row
        if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"
    }


def grid_values(path: Path) -> dict[str, list[list[object]]]:
    return {s.name: s.rows for s in read_workbook(path)}


def at(grids: dict[str, list[list[object]]], sheet: str, ref: str) -> object:
    row, index = cell_position(ref)
    cells = grids[sheet]
    return cells[row][index] if row < len(cells) and index < len(cells[row]) else None


def test_example_files_are_current(tmp_path: Path):
    written = write_examples(tmp_path, recalc=False)  # content only; the cached values: tests/test_examples.py

    for path in written:
        if path.suffix == ".xlsx":
            assert content(EXAMPLES / path.name) == content(path), f"regenerate: write_examples('workbooks/examples') ({path.name})"
    for csv in tmp_path.glob("*.csv"):
        assert (EXAMPLES / csv.name).read_text(encoding="utf-8") == csv.read_text(encoding="utf-8")


def test_filled_workbook_checks_clean(filled: Path):
    result = check_file(filled)

    assert result.status == "ok"
    assert len(result.tables) == 15
    assert [str(f) for f in result.findings if f.severity != "note"] == []


def test_calamine_sees_the_cached_totals(filled: Path):
    grids = grid_values(filled)
    found = formulas(filled)

    assert len(found) > 500
    assert all(isinstance(at(grids, sheet, ref), float) for sheet, ref in found)


def test_libreoffice_values_equal_composed_values(filled: Path, recalc: dict[str, Path]):
    ours, theirs = grid_values(filled), grid_values(recalc[filled.name])
    found = formulas(filled)

    mismatched = [
        (sheet, ref, at(ours, sheet, ref), at(theirs, sheet, ref))
        for sheet, ref in found
        if Decimal(repr(at(theirs, sheet, ref))).quantize(CENT) != Decimal(repr(at(ours, sheet, ref))).quantize(CENT)
    ]

    assert mismatched == []
    assert check_file(recalc[filled.name]).errors == 0


def test_libreoffice_totals_equal_pandas_sums(recalc: dict[str, Path], filled: Path):
    """Totals after recalculation against sums computed here from the input, without gongkai's compose."""
    items, _ = load(EXAMPLES / "line-items.xlsx")
    df = pd.DataFrame([x.model_dump() for x in items.lines])
    grids = grid_values(recalc[filled.name])
    book = {t.id: t for t in inspect_file(recalc[filled.name]).tables}

    def cell(sheet: str, key: str, table: str, label: str) -> Decimal:
        info = book[table]
        col = info.columns[key]
        for r in range(info.first_row, info.last_row + 1):
            if any(v == label for v in grids[sheet][r - 1] if isinstance(v, str)):
                return Decimal(repr(at(grids, sheet, f"{col}{r}"))).quantize(CENT)
        raise AssertionError(label)

    # 舍位 by largest remainder on the lines (issue 19 §6): the department's total is its own 元 sum rounded, in every
    # table that prints it; a unit's total is within 0.01 of its own; any other sum within 0.01 per line
    grand = w(sum(df.amount, Decimal(0)))
    assert cell("表1-2", "合计", "budget.expenditure", "合计") == grand
    assert cell("表1-1", "合计", "budget.revenue", "合计") == grand
    for unit, part in df.groupby("unit_code"):
        printed = cell("表1-2", "合计", "budget.expenditure", f"{unit} {part.unit_name.iloc[0]}")
        assert abs(printed - sum(part.amount, Decimal(0)) / 10000) < CENT
    # 表3-3: the 一般公共预算 三公 items
    general = df[df.source.str.removeprefix("上年结转-") == "一般公共预算"]
    sangong = general[general.economic_code.str[:5].isin(["30212", "30217", "30231", "31013"])]
    exact = sum(sangong.amount, Decimal(0)) / 10000
    assert abs(cell("表3-3", "合计", "budget.general_sangong", "合计") - exact) < CENT * len(sangong)


def test_templates_recalculate_with_dropdowns_and_protection(recalc: dict[str, Path]):
    for name in FILES:
        original, converted = openpyxl.load_workbook(WORKBOOKS / name), openpyxl.load_workbook(recalc[name])
        for ws in original.worksheets:
            after = converted[ws.title]
            assert after.protection.sheet == ws.protection.sheet, (name, ws.title)
            assert {(str(v.sqref), v.formula1) for v in after.data_validations.dataValidation} == {
                (str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation
            }, (name, ws.title)
        assert not [
            (sheet, ref) for sheet, rows in grid_values(recalc[name]).items() for r in rows for ref in r
            if isinstance(ref, str) and ref.startswith(("#", "Err:"))
        ], name


def test_bad_input_writes_nothing_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    items = sample_lines(EXAMPLE_SEED, units=2, lines=30)
    from gongkai.fill.sample import write_line_items

    source = write_line_items(items, tmp_path / "in.csv")
    text = source.read_text(encoding="utf-8").splitlines()
    fields = text[3].split(",")
    fields[-1] = "-100"
    text[3] = ",".join(fields)
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"

    assert main(["fill", str(source), "-o", str(out)]) == 1
    assert not out.exists()
    assert "预算明细 第4行：金额为负数（-100），预算金额不能为负" in capsys.readouterr().err
    assert main(["fill", str(source), "-o", str(out), "--force"]) == 1
    assert out.exists()


def test_fill_with_single_table_template(tmp_path: Path):
    out = tmp_path / "one.xlsx"

    assert main(["fill", str(EXAMPLES / "line-items.csv"), "-o", str(out), "--template", str(WORKBOOKS / "budget-fiscal-economic.xlsx")]) == 0
    assert [t.id for t in inspect_file(out).tables] == ["budget.fiscal_economic"]
    expected = compose_book(sample_lines(EXAMPLE_SEED), totals="summed").table("budget.fiscal_economic").rows[0]["合计"]
    assert Decimal(repr(at(grid_values(out), "表2-1", "F6"))).quantize(CENT) == expected


def test_fill_never_writes_onto_its_input(tmp_path: Path):
    source = tmp_path / "in.csv"
    source.write_bytes((EXAMPLES / "line-items.csv").read_bytes())

    assert main(["fill", str(source), "-o", str(source)]) == 2
    assert source.read_bytes() == (EXAMPLES / "line-items.csv").read_bytes()
