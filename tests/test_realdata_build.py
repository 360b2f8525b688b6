"""The real-corpus builder (tests/realdata/build.py): what a reader sees in the workbooks it writes.

Read back with python-calamine, as gongkai's reader does: values, merged ranges, types.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook

from realdata.build import (
    EXPORTED,
    EXPORTED_STEMS,
    MARKER,
    STEMS,
    VARIANTS,
    Built,
    build,
    continues,
    is_cell_dump,
    load,
    table_sheets,
    template_of,
)

WANLI = "sh-putuo-wanli-2025-dept-budget"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("realdata")


@pytest.fixture(scope="module")
def corpus(out: Path) -> dict[tuple[str, str], Built]:
    return {(s, v): build(s, v, out) for s in STEMS for v in VARIANTS}


class Reader:
    """A built workbook as calamine gives it: values by "Sheet!A1", merged ranges as A1 ranges."""

    def __init__(self, built: Built) -> None:
        book = CalamineWorkbook.from_path(str(built.path))
        self.names = book.sheet_names
        self.grids = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in self.names}
        self.merged = {n: {a1(r0, c0) + ":" + a1(r1, c1) for (r0, c0), (r1, c1) in
                           book.get_sheet_by_name(n).merged_cell_ranges or []} for n in self.names}

    def __getitem__(self, ref: str) -> Any:
        sheet, cell = ref.split("!")
        m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
        assert m
        row, col = int(m[2]) - 1, column_index_from_string(m[1]) - 1
        grid = self.grids[sheet]
        return grid[row][col] if row < len(grid) and col < len(grid[row]) else ""


def a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def normal(value: Any) -> Any:
    """What a tolerant reader makes of a cell: NFKC, no whitespace, numbers without separators."""
    if isinstance(value, str):
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
        if re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text) and not re.match(r"-?0\d", text):
            return float(text.replace(",", ""))
        return text
    return float(value) if isinstance(value, int | float) else value


def json_cells(stem: str) -> list[tuple[int, int, int, bool, str]]:
    """Every printed cell of a document: (table, row, col, header, text)."""
    cells = []
    for t, table in enumerate(load(stem)["tables"]):
        for header, rows in ((True, table["header"]), (False, table["rows"])):
            cells += [(t, r, c, header, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v]
    return cells


def test_merges_of_a_real_header(corpus: dict[tuple[str, str], Built]) -> None:
    """收入预算总表 of 万里街道 2025: 项目 over A..D on one row, 功能分类科目编码 over 类/款/项, 功能分类科目名称 and
    the amount headers two rows tall, the title over the width, 合计 over the code and name columns."""
    built = corpus[WANLI, "published"]
    book = Reader(built)
    sheet = built.sheet_of(1)
    assert built.where(1, 0, 0, header=True) == f"{sheet}!A3"
    assert book[f"{sheet}!A1"] == "2025年部门收入预算总表"
    assert book[f"{sheet}!A2"] == "部门：上海市普陀区人民政府万里街道办事处"
    assert book[f"{sheet}!I2"] == "金额单位：元"
    assert [book[f"{sheet}!{c}5"] for c in "ABC"] == ["类", "款", "项"]
    last = 3 + 3 + len(load(WANLI)["tables"][1]["rows"]) - 1
    assert book[f"{sheet}!A{last}"] == "合计"
    expected = {"A1:I1", "A3:D3", "E3:I3", "A4:C4", "D4:D5", "E4:E5", "I4:I5", f"A{last}:D{last}"}
    assert expected <= book.merged[sheet]
    assert "A5:A6" not in book.merged[sheet]  # 类 is one cell: the body is a band of its own


def test_codes_are_text_and_amounts_numbers(corpus: dict[tuple[str, str], Built]) -> None:
    built = corpus[WANLI, "published"]
    book = Reader(built)
    rows = load(WANLI)["tables"][1]["rows"]
    assert rows[1][:3] == ["201", "05", ""]
    assert book[built.where(1, 1, 0)] == "201" and book[built.where(1, 1, 1)] == "05"
    assert book[built.where(1, 0, 4)] == 3296600  # "3,296,600"
    for r in range(len(rows) - 1):
        assert all(isinstance(book[built.where(1, r, c)], str) for c in range(3))
        assert all(isinstance(book[built.where(1, r, c)], float) for c in range(4, 9))


def test_printed_precision(corpus: dict[tuple[str, str], Built]) -> None:
    """Amounts at their printed precision: whole 元 "#,##0", 元 with 分 "#,##0.00", "0.00" as 0 shown "0.00",
    "0" as "0"; "-" and percentages stay text."""
    formats: dict[str, set[str]] = {}
    for stem in (WANLI, "sh-putuo-sww-2025-unit-budget", "sh-putuo-czj-2024-final", "sichuan-qingshen-fgj-2023-selfeval"):
        built = corpus[stem, "published"]
        sheets = load_workbook(built.path)
        for t, r, c, header, text in json_cells(stem):
            sheet, cell = built.where(t, r, c, header).split("!")
            xl = sheets[sheet][cell]
            if isinstance(xl.value, int | float):
                assert float(text.replace(",", "")) == xl.value and not header
                formats.setdefault(text, set()).add(xl.number_format)
            elif text == "-" or text.endswith("%"):
                assert xl.value == text and xl.data_type == "s"
    assert formats["189,767,551"] == {"#,##0"} and formats["371,514,655.00"] == {"#,##0.00"}
    assert formats["2,940.05"] == {"#,##0.00"} and formats["0.00"] == {"0.00"} and formats["0"] == {"0"}


def test_text_beginning_with_equals_is_not_a_formula(corpus: dict[tuple[str, str], Built]) -> None:
    built = corpus["sichuan-qingshen-fgj-2023-selfeval", "published"]
    row = next(r for r, row in enumerate(load(built.stem)["tables"][0]["rows"]) if "=" in row)
    assert Reader(built)[built.where(0, row, 4)] == "="


@pytest.mark.parametrize("stem", STEMS)
def test_every_variant_reads_back_to_the_document(stem: str, corpus: dict[tuple[str, str], Built]) -> None:
    """Each printed cell stands at Built.where in every variant, equal after normalising (messy: text amounts,
    split labels, full-width characters, the swapped columns); nomerge has no merged range at all."""
    books = {v: Reader(corpus[stem, v]) for v in VARIANTS}
    tables = load(stem)["tables"]
    for built in (corpus[stem, v] for v in VARIANTS):
        sheets = list(dict.fromkeys(built.sheet_of(t) for t in range(len(tables))))
        assert books[built.variant].names == sheets  # a form's parts share their sheet (build.continues)
        assert sheets == [f"表{t + 1}" for t in range(len(tables)) if not continues(load(stem), t)]
    assert not any(books["nomerge"].merged.values())
    for t, r, c, header, text in json_cells(stem):
        if is_cell_dump(tables[t]):
            continue  # test_a_cell_dump_is_put_back_where_it_stood
        published = books["published"][corpus[stem, "published"].where(t, r, c, header)]
        assert normal(published) == normal(MARKER.sub("", text)), (t, r, c, text)  # a transcriber's remark is not printed
        assert books["nomerge"][corpus[stem, "nomerge"].where(t, r, c, header)] == published
        assert normal(books["messy"][corpus[stem, "messy"].where(t, r, c, header)]) == normal(published)


def test_messy_is_messy(corpus: dict[tuple[str, str], Built]) -> None:
    """About a fifth of the amounts as text, labels split, full-width characters, one pair of columns swapped
    together with its header (so Built.where moves them), and the same file every time."""
    built = corpus[WANLI, "messy"]
    book = Reader(built)
    values = [book[built.where(t, r, c, h)] for t, r, c, h, _ in json_cells(WANLI)]
    numbers = [v for v in values if isinstance(v, float)]
    texts = [v for v in values if isinstance(v, str) and re.fullmatch(r"[\d,.]+", v) and "," in v]
    assert 0.1 < len(texts) / (len(texts) + len(numbers)) < 0.35
    assert any(" " in v or "\n" in v for v in values if isinstance(v, str) and re.search(r"[\u4e00-\u9fff]", v))
    assert any(re.search(r"[０-９（）]", v) for v in values if isinstance(v, str))
    [(t, placed)] = [(t, p) for t, p in enumerate(built.tables) if p.swap]
    assert placed.swap
    c = placed.swap[0]
    head = corpus[WANLI, "published"]
    assert built.where(t, 1, c, header=True) == head.where(t, 1, c + 1, header=True)
    assert normal(book[built.where(t, 1, c, header=True)]) == normal(Reader(head)[head.where(t, 1, c, header=True)])
    again = Reader(build(WANLI, "messy", Path("/tmp") / "gongkai-realdata-test"))
    assert again.grids == book.grids and again.merged == book.merged


def test_a_cell_dump_is_put_back_where_it_stood(tmp_path: Path) -> None:
    """sh-putuo-wanli-2025-workbook-cells: each dumped cell at its sheet address (row number, column letter); the 0
    the tool read in a 合计/小计/总计 cell is a formula saved without a result, so a reader sees it empty."""
    import openpyxl

    stem = "sh-putuo-wanli-2025-workbook-cells"
    built = build(stem, "published", tmp_path)
    values = Reader(built)
    formulas = openpyxl.load_workbook(built.path)
    assert built.where(1, 10, 2) == "表2!E19" and built.where(3, 2, 1) == "表4!A9"
    assert values["表2!E18"] == 9364732 and values["表4!E9"] == 15 and values["表4!C9"] == 1.35
    for where in ("表2!E19", "表2!F19", "表3!D16", "表4!A9", "表4!D9"):
        sheet, cell = where.split("!")
        assert values[where] in ("", None), where
        assert str(formulas[sheet][cell].value).startswith("=SUM("), where
    assert formulas["表4"]["A9"].value == "=SUM(B9:D9)" and formulas["表4"]["D9"].value == "=SUM(E9:F9)"


@pytest.mark.parametrize("stem", EXPORTED_STEMS)
def test_the_exported_variant_is_the_real_template_with_the_figures(stem: str, out: Path) -> None:
    """`exported`: the platform's blank template of the document's kind, every sheet it has kept in its order (the
    cover, 目录 and 说明 sheets too), each table sheet with the template's header rows above the document's rows,
    each printed data cell at Built.where; a 类 code is a number where the template's sample row has one."""
    built = build(stem, EXPORTED, out)
    template = template_of(stem)
    assert template is not None
    blank = Reader(Built(stem, "blank", template, ()))
    book = Reader(built)
    tables = load(stem)["tables"]
    slots = table_sheets(load_workbook(template))
    assert book.names[: len(blank.names)] == blank.names
    assert [built.sheet_of(t) for t in range(len(slots))] == [ws.title for ws in slots]
    for t, placed in enumerate(built.tables[: len(slots)]):
        for r in range(placed.top - 1, placed.top - 1 + placed.n_header):  # the header rows as exported
            assert book.grids[placed.sheet][r] == blank.grids[placed.sheet][r][: len(book.grids[placed.sheet][r])]
        title = next(row[0] for row in book.grids[placed.sheet] if row and row[0])
        assert title == tables[t]["title"]  # the document's year, where the template has 2026年
    for t, r, c, header, text in json_cells(stem):
        if header:
            continue
        value = book[built.where(t, r, c)]
        if t < len(slots) and re.fullmatch(r"[1-9]\d\d", text) and c == 0:
            assert value == float(text), (t, r, c, text)  # 类 as the platform writes it: 201.0
            continue
        assert normal(value) == normal(MARKER.sub("", text)), (t, r, c, text)
    org = next(v for row in book.grids[slots[0].title][:4] for v in row if str(v).startswith("编制"))
    assert org.endswith(tables[0].get("org") or load(stem)["department"])
