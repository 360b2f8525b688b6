"""The consistent 决算 workbook: every table and both 自评表 layouts recognised and clean; one-cell mutations found."""

from __future__ import annotations

import pytest
from finalkit import book_of, mutated, plans, read, run, write

from gongkai.core.addresses import cell_position
from gongkai.core.findings import Severity
from gongkai.core.grid import Sheet
from gongkai.core.model import Book
from gongkai.core.specs import SPECS
from gongkai.fill.compose_final import final_tables, selfeval_blocks

FINAL_IDS = [s.id for s in SPECS if s.side == "final" and s.id != "final.overall_selfeval"]  # read, not composed by fill


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> list[Sheet]:
    return read(write(tmp_path_factory.mktemp("final")))


@pytest.fixture(scope="module")
def book(sheets: list[Sheet]) -> Book:
    return book_of(sheets)


def test_every_final_table_is_recognised(book: Book) -> None:
    assert book.problems == ()
    assert sorted({t.id for t in book.tables}) == sorted(FINAL_IDS)
    by_sheet = {(t.sheet, t.id): len(t.rows) for t in book.tables}
    expected = {(d.spec.number, d.spec.id): len(d.rows) for d in final_tables(0)}
    for (sheet, table_id), n in expected.items():
        if table_id in ("final.summary", "final.fiscal_summary"):  # sided: one model row per side and label
            data = next(d for d in final_tables(0) if d.spec.id == table_id)
            n = sum(1 for row in data.rows for k, v in row.items() if k.endswith("/项目") and v)
        assert by_sheet[(sheet, table_id)] == n, table_id
    for t in book.tables:
        assert t.missing == () and t.unmapped == (), t.id


def test_empty_tables_keep_their_note(book: Book) -> None:
    empty = {t.id: t.empty_note for t in book.tables if not t.rows}
    assert empty == {"final.capital_revenue": "本单位无此项收支,本表为空。", "final.capital": "本单位无此项收支,本表为空。"}


def test_both_selfeval_layouts_read_every_block_with_all_fields_and_rows(book: Book) -> None:
    blocks = selfeval_blocks(0, 3)
    by_sheet: dict[str, list[tuple[object, ...]]] = {}
    for t in book.all("final.project_selfeval"):
        funds = [(r.item, r.amount("全年预算数"), r.amount("全年执行数"), r.amount("执行率")) for r in t.of_kind("fund")]
        indicators = [(r.text("三级指标"), r.text("年度指标值"), r.text("实际完成值")) for r in t.of_kind("indicator")]
        fields = {k: c.text for k, c in t.fields.items()}
        by_sheet.setdefault(t.sheet, []).append((fields["项目名称"], sorted(fields), funds, indicators))
    expected = []
    for b in blocks:
        funds = [r for r in b.funds if r["项目"]]
        expected.append((
            b.fields["项目名称"], sorted(b.fields),
            [(item, r["全年预算数"], r["全年执行数"], r["执行率"]) for item, r in zip(_fund_items(funds), funds, strict=True)],
            [(r["三级指标"], r["年度指标值"], r["实际完成值"]) for r in b.rows],
        ))
    assert by_sheet["自评表1"] == expected[:1]
    assert by_sheet["自评表汇总"] == expected
    assert by_sheet["自评表连排"] == expected


def _fund_items(funds: list[dict[str, object]]) -> list[str]:
    names = {"年度资金总额": "年度资金总额", "其中：财政拨款": "财政拨款", "（一）财政拨款小计": "财政拨款", "1.一般公共预算": "一般公共预算",
             "2.政府性基金": "政府性基金", "3.国有资本经营预算": "国有资本经营预算", "其他资金": "其他资金", "（二）其他资金": "其他资金"}
    return [names[str(r["项目"])] for r in funds]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_consistent_set_has_no_findings(seed: int) -> None:
    from finalkit import as_sheet

    findings = run(book_of([as_sheet(p) for p in plans(seed)]))
    assert [str(f) for f in findings] == []


def test_written_workbook_has_no_findings(book: Book) -> None:
    assert [str(f) for f in run(book)] == []


def _amount_cells(book: Book) -> list[tuple[str, str]]:
    """Every amount cell of the 决算 tables and the 自评表 funds grid that an equation covers."""
    cells: set[tuple[str, str]] = set()
    for t in book.tables:
        for r in t.rows:
            for key, cell in r.cells.items():
                if cell.amount is None:
                    continue
                if t.id == "final.project_selfeval" and r.kind != "fund":
                    continue
                if key in ("分值", "得分"):
                    continue
                cells.add((cell.sheet, cell.ref))
    return sorted(cells)


def _rerecognised(book: Book, sheets: list[Sheet], sheet: str) -> Book:
    """The book with one sheet read again (the others are unchanged): fast enough to try every cell."""
    again = book_of([s for s in sheets if s.name == sheet])
    tables = [t for t in book.tables if t.sheet != sheet] + list(again.tables)
    order = {name: i for i, name in enumerate(book.sheets)}
    tables.sort(key=lambda t: order[t.sheet])
    return Book(sheets=book.sheets, tables=tuple(tables), problems=again.problems)


def test_every_single_cell_mutation_is_found_there_or_at_the_total_it_breaks(sheets: list[Sheet], book: Book) -> None:
    targets = _amount_cells(book)
    assert len(targets) > 300
    missed, stray = [], []
    for sheet, ref in targets:
        r, c = cell_position(ref)
        findings = run(_rerecognised(book, mutated(sheets, sheet, r, c, 1.23), sheet))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if not errors:
            missed.append(f"{sheet}!{ref}")
        for f in errors:
            same_sheet = f.sheet == sheet
            row, col = cell_position(f.cell)
            if f"{sheet}!{ref}" in f.related or (same_sheet and (row == r or col == c)):
                continue
            stray.append(f"{sheet}!{ref} -> {f}")
    assert missed == []
    assert stray == []
