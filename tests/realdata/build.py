"""Workbooks from the real corpus: every JSON document of `json/` as the .xlsx a department's export would be.

Three variants of each document (see README.md in this folder for the corpus itself):

* ``published``: one sheet per table, named ``表1``, ``表2`` … in document order. Row 1 the title, merged over
  the table's width; row 2 ``部门：…`` (``单位：…`` for unit budgets) at the left and ``金额单位：…`` at the right,
  only when the table has a unit; then the header rows and the data rows, with the merges their ``null`` cells
  imply (see `merges`). Amounts are numbers at their printed precision, codes are text, everything else is text
  as printed. A part of a 绩效 form that the transcription made a table of its own (a title without 表:
  年度总体目标, 绩效指标) is printed under the part before it on the same sheet (`continues`), and a transcriber's
  remark after a title (" - tail …") is left out.
* ``messy``: the published workbook with about a fifth of the amounts stored as text with thousands separators,
  some labels split by spaces or a line break, some full-width digits and brackets, and, in one ledger table (a
  table with a code column), two adjacent amount columns swapped together with their header cells. Seeded by
  the stem: the same file every time.
* ``nomerge``: the published workbook without any merged range (values only in the anchor cells), which is what
  xlwings, .ods files and PDF tables give.

And, for the 上海 budgets only, ``exported`` (`EXPORTED`): the document's figures in the budget platform's own blank
export template of its kind (`templates/`, the real 部门 or 单位 workbook as WPS saved it): the template's sheet
names, cover, 目录 and 说明 sheets, its title, 编制部门 and 单位 lines and its header rows as exported, its
formatted empty rows, its sample rows replaced by the document's rows (a 类 code a number where the template's
sample has one, as the platform writes it). No public source had an exported workbook with figures; this is the
nearest to one (`../../../shared/realdata/README.md`, "Gaps").

`Built.where` maps a cell of the JSON to where it stands in the built workbook, so golden files and tests speak
in JSON coordinates whatever the variant (the messy swap moves cells).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

JSON_DIR = Path(__file__).parent / "json"
STEMS: tuple[str, ...] = tuple(sorted(p.stem for p in JSON_DIR.glob("*.json")))
VARIANTS: tuple[str, ...] = ("published", "messy", "nomerge")
EXPORTED = "exported"
TEMPLATES = Path(__file__).parent / "templates"
DOCUMENTS = Path(__file__).parent / "documents"

Raw = str | None  # a JSON cell: the printed text, or None for a cell covered by a merged cell
Value = str | int | float | None  # a worksheet cell
Rect = tuple[int, int, int, int]  # top, left, bottom, right of a merged range: 0-based, inclusive, in a table's grid

CODE_HEADER = re.compile(r"编码|代码|^[类款项]$")
ORDINAL_HEADER = re.compile(r"序号|行次|栏次")
AMOUNT_HEADER = re.compile(r"数|额|合计|小计|费|支出|收入|资金|预算|决算|结转|结余|拨款|元")
NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
LEADING_ZERO = re.compile(r"-?0\d")
CJK_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
FULL_WIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")

TEXT_AMOUNTS = 0.2  # messy: share of amounts stored as text
SPLIT_LABELS = 0.15  # messy: share of labels split by a space or a line break
WIDEN = 0.3  # messy: share of text cells with ASCII digits or brackets written full-width


@cache
def load(stem: str) -> dict[str, Any]:
    """The JSON document of a stem (cached: do not modify it)."""
    data: dict[str, Any] = json.loads((JSON_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def merges(grid: list[list[Raw]], start: int, stop: int, *, across_first: bool = False) -> list[Rect]:
    """The merged ranges the nulls of rows start..stop-1 imply (one band: the header, or the body).

    Each anchor (a non-blank cell) spans right over the nulls that follow it in its row, then down while the whole
    segment below it is null (rectangle growth); nulls no anchor covers stay blank, and blank cells ("") never
    span. Anchors are taken row by row, left to right, each growing down at once, so an upper header cell keeps
    the nulls under it; with across_first (the body) every row first spans right (a 合计 label over the code and
    name columns) and only then do anchors grow down into what is left. Single cells are left out.
    """
    width = len(grid[0]) if grid else 0
    covered: set[tuple[int, int]] = set()

    def free(r: int, c: int) -> bool:
        return grid[r][c] is None and (r, c) not in covered

    def span(r: int, c: int) -> int:
        right = c
        while right + 1 < width and free(r, right + 1):
            right += 1
        covered.update((r, k) for k in range(c + 1, right + 1))
        return right

    anchors = [(r, c) for r in range(start, stop) for c in range(width) if grid[r][c]]
    rights = {a: span(*a) for a in anchors} if across_first else {}
    rects: list[Rect] = []
    for r, c in anchors:
        right = rights[r, c] if across_first else span(r, c)
        bottom = r
        while bottom + 1 < stop and all(free(bottom + 1, k) for k in range(c, right + 1)):
            bottom += 1
            covered.update((bottom, k) for k in range(c, right + 1))
        if (bottom, right) != (r, c):
            rects.append((r, c, bottom, right))
    return rects


@dataclass
class Grid:
    """One table of a document, laid out: header rows then data rows, padded to one width."""

    cells: list[list[Raw]]
    n_header: int
    rects: list[Rect]
    kinds: list[str]  # per column: "code", "amount" or "text"

    @classmethod
    def of(cls, table: dict[str, Any]) -> Grid:
        """Short rows are padded with nulls: their last cell spans to the right edge, as in the forms. A table of
        sampled cells (its note says null = cell empty) has no merges."""
        rows = table["header"] + table["rows"]
        width = max((len(r) for r in rows), default=1)
        cells = [list(r) + [None] * (width - len(r)) for r in rows]
        n = len(table["header"])
        grid = cls(cells, n, [], [])
        if "null = cell empty" not in table.get("note", ""):
            grid.rects = merges(cells, 0, n) + merges(cells, n, len(cells), across_first=True)
        grid.kinds = [grid.kind(c) for c in range(width)]
        return grid

    def owner(self, r: int, c: int) -> Rect:
        """The merged range covering (r, c), or the cell alone."""
        return next((x for x in self.rects if x[0] <= r <= x[2] and x[1] <= c <= x[3]), (r, c, r, c))

    def header_text(self, c: int) -> list[str]:
        """The header cells standing over column c (spanning ones included), spaces removed."""
        texts = (self.cells[top][left] for top, left, _, _ in (self.owner(r, c) for r in range(self.n_header)))
        return [re.sub(r"\s", "", t) for t in texts if t]

    def kind(self, c: int) -> str:
        """A code column by its header (类/款/项, …编码, …代码); an amount column by the words of a short header
        cell (合计, …支出, …数, …; a form's long value cells are no evidence) or by a printed amount (digits with
        separators or decimals) in its cells; anything else is text."""
        head = self.header_text(c)
        if any(CODE_HEADER.search(h) for h in head):
            return "code"
        if any(ORDINAL_HEADER.search(h) for h in head):
            return "text"
        body = (row[c] for row in self.cells[self.n_header :])
        printed = any(v and NUMBER.fullmatch(v) and ("," in v or "." in v) for v in body)
        worded = any(len(h) <= 16 and AMOUNT_HEADER.search(h) for h in head)
        return "amount" if printed or worded else "text"

    def swappable(self, c: int) -> frozenset[int] | None:
        """The rows on which columns c and c+1 can trade places, keeping every merge intact (None: they cannot).

        On each row the two cells must either share one merged range (that row stays as it is) or each stand in a
        range one column wide over the same rows."""
        rows = set()
        for r in range(len(self.cells)):
            a, b = self.owner(r, c), self.owner(r, c + 1)
            if a == b:
                continue
            if a[1] != a[3] or b[1] != b[3] or (a[0], a[2]) != (b[0], b[2]):
                return None
            rows.add(r)
        return frozenset(rows)


def typed(text: Raw, kind: str) -> tuple[Value, str | None]:
    """A JSON cell as a worksheet value and number format: amounts as numbers at their printed precision
    ("14,348,853.34" → 14348853.34 shown "#,##0.00"), codes as text ("@"), "" as blank, the rest as text."""
    if not text:
        return None, None
    if kind == "amount" and NUMBER.fullmatch(text) and not LEADING_ZERO.match(text):
        digits = text.replace(",", "")
        decimals = len(digits.partition(".")[2])
        fmt = ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")
        return (float(digits) if decimals else int(digits)), fmt
    return text, "@" if kind == "code" else None


def messed(value: Value, fmt: str | None, kind: str, rng: random.Random) -> tuple[Value, str | None]:
    """The messy twin of one cell: an amount as text with separators, a label split, digits/brackets widened."""
    if isinstance(value, int | float):
        if rng.random() < TEXT_AMOUNTS:
            decimals = len((fmt or "").partition(".")[2])
            return f"{value:,.{decimals}f}", None
        return value, fmt
    if not isinstance(value, str) or kind == "code" or NUMBER.fullmatch(value.rstrip("%")):
        return value, fmt
    gaps = [m.start() for m in CJK_PAIR.finditer(value)]
    if gaps and rng.random() < SPLIT_LABELS:
        at = rng.choice(gaps)
        value = value[:at] + rng.choice([" ", "  ", "\n"]) + value[at:]
    if re.search(r"[0-9()]", value) and rng.random() < WIDEN:
        value = value.translate(FULL_WIDTH)
    return value, fmt


@dataclass(frozen=True)
class Placed:
    """Where one JSON table stands in a built workbook."""

    sheet: str
    top: int  # sheet row (1-based) of the table's first header row
    n_header: int
    swap: tuple[int, frozenset[int]] | None = None  # messy: columns c and c+1 exchanged on these grid rows
    addresses: dict[tuple[int, int], str] | None = None  # a cell dump: JSON (row, col) → the cell it was read from

    def where(self, row: int, col: int, header: bool = False) -> str:
        """The "Sheet!A1" of JSON cell (row, col) of the table's rows (or of its header rows)."""
        if self.addresses is not None:
            return f"{self.sheet}!{self.addresses[row, col]}"
        r = row if header else self.n_header + row
        if self.swap and r in self.swap[1] and col in (self.swap[0], self.swap[0] + 1):
            col = 2 * self.swap[0] + 1 - col
        return f"{self.sheet}!{get_column_letter(col + 1)}{self.top + r}"


@dataclass(frozen=True)
class Built:
    """A built workbook and the map from JSON coordinates to its cells."""

    stem: str
    variant: str
    path: Path
    tables: tuple[Placed, ...]

    def where(self, table: int, row: int, col: int, header: bool = False) -> str:
        """The "Sheet!A1" of cell (row, col) of the JSON table's rows (header=True: of its header rows)."""
        return self.tables[table].where(row, col, header)

    def sheet_of(self, table: int) -> str:
        return self.tables[table].sheet


def money_unit(table: dict[str, Any]) -> str | None:
    """The table's 金额单位 from its `unit` note ("元 (三公 sheet: 万元)" gives 万元 for the 三公 table)."""
    text = table.get("unit") or ""
    m = re.search(r"三公 sheet: *(千元|万元|亿元|元)", text) if "三公" in table["title"] else None
    m = m or re.match(r"(千元|万元|亿元|元)", text)
    return m.group(1) if m else None


def choose_swap(grids: list[Grid], rng: random.Random) -> tuple[int, int, frozenset[int]] | None:
    """One pair of adjacent amount columns, in a ledger table (one with a code column and two data rows or more),
    that differ on some data row and can trade places with their headers: (table, column, rows)."""
    options = []
    for t, g in enumerate(grids):
        if "code" not in g.kinds or len(g.cells) - g.n_header < 2:
            continue
        for c in range(len(g.kinds) - 1):
            rows = g.swappable(c) if g.kinds[c] == g.kinds[c + 1] == "amount" else None
            body = g.cells[g.n_header :]
            if rows and any(row[c] != row[c + 1] for row in body):
                options.append((t, c, rows))
    return rng.choice(options) if options else None


FORM_KINDS = ("selfeval", "targets")
ANNOTATION = re.compile(r"\s+-\s+.*$")
"""A transcriber's remark after a title ("… - tail of the preceding project"): not printed."""
MARKER = re.compile(r"…?\s*\((?:inferred|excerpt ends)\)")
"""A transcriber's remark inside a cell ("11,122,315.04 (inferred)", "…(excerpt ends)" where a web excerpt ends): not printed
in the document."""
PRINTED_NOTE = re.compile(r"^(?:注|说明)[:：]")
"""Of a table's `notes`, the lines printed under it (注：…, 说明：…故本表无数据); the others are transcriber notes."""


def continues(doc: dict[str, Any], t: int) -> bool:
    """A part of a form that the transcription cut into a table of its own (年度总体目标, 绩效指标 of a 自评表): its
    title names no 表. The builder prints it under the part before it, on that sheet, as the form was published."""
    return t > 0 and doc.get("kind") in FORM_KINDS and "表" not in doc["tables"][t]["title"]


def is_cell_dump(table: dict[str, Any]) -> bool:
    """Cells a tool read from a workbook: a "row" column of sheet row numbers under a header of column letters."""
    return bool(table["header"]) and table["header"][0][:1] == ["row"]


_TOTAL_LABEL = re.compile(r"^\s*(?:合\s*计|总\s*计|支出总计|收入总计)\s*$")


def _put(cell: Any, value: Value, fmt: str | None) -> None:
    """A typed value into a worksheet cell: a text never a formula, whatever it begins with ("=30万元"), and a number
    at its printed format."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if fmt:
        cell.number_format = fmt


def _print_notes(ws: Any, table: dict[str, Any], below: int, width: int, merge: bool) -> None:
    """The 注/说明 lines printed under a table from sheet row ``below``, each merged over the table's width."""
    for note in (n for n in table.get("notes") or () if PRINTED_NOTE.match(n)):
        ws.cell(below, 1, note).data_type = "s"
        if merge and width > 1:
            ws.merge_cells(start_row=below, start_column=1, end_row=below, end_column=width)
        below += 1


def _dump_cells(ws: Any, table: dict[str, Any]) -> dict[tuple[int, int], str]:
    """Put a cell dump's cells back where they stood. A 0 the tool read in a 合计/小计/总计 cell is the formula it read
    without a cached value (the document's listed finding): it is written as that formula, with no result saved."""
    letters = table["header"][0][1:]
    headers: dict[str, str] = {}  # column letter → the 合计 / 小计 header printed above
    first_data: int | None = None
    addresses: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table["rows"]):
        number = int(row[0])
        texts = [v for v in row[1:] if v]
        numbers = [v for v in texts if NUMBER.fullmatch(v)]
        if numbers and first_data is None:
            first_data = number
        label = next((v for v in row[1:] if v and not NUMBER.fullmatch(v)), "")
        for c, (letter, text) in enumerate(zip(letters, row[1:], strict=False), start=1):
            addresses[r, c] = f"{letter}{number}"
            if text is None:
                continue
            if not numbers and text.strip() in ("合计", "小计"):
                headers[letter] = text.strip()
            if text == "0" and (_TOTAL_LABEL.match(label) or letter in headers):
                ws[f"{letter}{number}"] = _formula(letters, letter, number, headers, first_data)
                continue
            _put(ws[f"{letter}{number}"], *typed(text, "amount" if NUMBER.fullmatch(text) else "text"))
    return addresses


def _formula(letters: list[str], letter: str, row: int, headers: dict[str, str], first_data: int | None) -> str:
    """The 合计/小计 formula of a dumped cell: a column total over the rows above, or the parts to its right."""
    if letter not in headers:
        return f"=SUM({letter}{first_data}:{letter}{row - 1})"
    after = letters[letters.index(letter) + 1:]
    if headers[letter] == "合计":  # up to and including the 小计 of a group (its parts stand under it)
        stop = next((i for i, x in enumerate(after) if headers.get(x) == "小计"), len(after) - 1)
        after = after[: stop + 1]
    return f"=SUM({after[0]}{row}:{after[-1]}{row})"


def template_of(stem: str) -> Path | None:
    """The blank export template a document's tables were exported from: the 上海 部门 or 单位 budget workbook."""
    doc = load(stem)
    if doc.get("province") != "上海" or doc.get("kind") != "budget":
        return None
    return TEMPLATES / ("sh-unit-budget-template.xlsx" if "unit" in stem else "sh-dept-budget-template.xlsx")


EXPORTED_STEMS: tuple[str, ...] = tuple(
    s for s in STEMS if template_of(s) is not None and not any(is_cell_dump(t) for t in load(s)["tables"])
)
YEAR = re.compile(r"^\d{4}年")


def _text(value: Any) -> str:
    return re.sub(r"\s", "", str(value)) if value is not None else ""


def _title_row(ws: Any) -> int | None:
    """The row of a template sheet's table title: its first filled cell of column A, a text that ends in 表, with
    an 编制部门/编制单位 line under it."""
    top = next((r for r in range(1, 5) if ws.cell(r, 1).value is not None), None)
    if top is None or not _text(ws.cell(top, 1).value).endswith("表"):
        return None
    return top if any(_text(ws.cell(r, 1).value).startswith("编制") for r in range(top + 1, top + 4)) else None


def table_sheets(book: Any) -> list[Any]:
    """The template's table sheets, in order."""
    return [ws for ws in book.worksheets if _title_row(ws) is not None]


def _fill(ws: Any, table: dict[str, Any], grid: Grid, org: str) -> Placed:
    """One table sheet of the export template with the document's table: the title, 编制部门 and 单位 lines
    rewritten, the header rows kept as the template has them, the rows below them replaced by the table's rows."""
    title = ANNOTATION.sub("", table["title"])
    at = _title_row(ws) or 1
    if YEAR.sub("", _text(title)) != YEAR.sub("", _text(ws.cell(at, 1).value)):
        raise ValueError(f"{ws.title}: the template's {ws.cell(at, 1).value!r} is not the document's {title!r}")
    first = YEAR.sub("", next(_text(v) for v in grid.cells[0] if v))  # 2024年“三公”经费预算数: the template has no year
    top = next(
        r for r in range(at + 1, ws.max_row + 1) if YEAR.sub("", next((_text(c.value) for c in ws[r] if c.value), "")) == first
    )
    start = top + grid.n_header
    width = len(grid.kinds)
    ws.cell(at, 1).value = title
    unit = money_unit(table)
    for row in ws.iter_rows(min_row=at + 1, max_row=top - 1):
        for cell in row:
            text = _text(cell.value)
            if text.startswith("编制"):
                cell.value = f"{cell.value.strip()}{org}"
            elif re.fullmatch(r"单位[：:](千元|万元|亿元|元)", text) and unit:
                cell.value = f"{text[:3]}{unit}"
    styles = [ws.cell(start, c + 1)._style for c in range(width)]
    numeric = [isinstance(ws.cell(start, c + 1).value, int | float) for c in range(width)]  # the platform's 类: 205.0
    for rng in [m for m in ws.merged_cells.ranges if m.min_row >= start]:
        ws.unmerge_cells(str(rng))
    for row in ws.iter_rows(min_row=start, max_row=max(ws.max_row, start)):
        for cell in row:
            cell.value = None
    for r, row in enumerate(grid.cells[grid.n_header:]):
        for c, text in enumerate(row):
            value, fmt = typed(MARKER.sub("", text) if text else text, grid.kinds[c])
            cell = ws.cell(start + r, c + 1)
            cell._style = styles[c]
            if value is None:
                continue
            if grid.kinds[c] == "code" and numeric[c] and isinstance(value, str) and re.fullmatch(r"[1-9]\d*", value):
                value = int(value)
            _put(cell, value, fmt)
    for r0, c0, r1, c1 in (x for x in grid.rects if x[0] >= grid.n_header):
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    _print_notes(ws, table, start + len(grid.cells) - grid.n_header, width, merge=True)
    return Placed(ws.title, top, grid.n_header)


def build(stem: str, variant: str = "published", out_dir: str | Path = ".", doc: dict[str, Any] | None = None) -> Built:
    """Write `<out_dir>/<stem>-<variant>.xlsx` and return it with its location map (``doc``: a changed copy of the
    stem's document, e.g. a mutation, laid out the same way)."""
    if variant not in (*VARIANTS, EXPORTED):
        raise ValueError(f"variant {variant!r} not in {VARIANTS} or {EXPORTED!r}")
    doc = doc or load(stem)
    rng = random.Random(f"gongkai-realdata:{stem}")
    grids = [Grid.of(t) for t in doc["tables"]]
    swap = choose_swap(grids, rng) if variant == "messy" else None
    label = "单位：" if "unit" in stem else "部门："
    template = template_of(stem) if variant == EXPORTED else None
    if variant == EXPORTED and template is None:
        raise ValueError(f"{stem} has no export template")
    book = load_workbook(template) if template else Workbook()
    slots = table_sheets(book) if template else []
    if not template:
        book.remove(book.worksheets[0])
    placed = []
    for t, (table, grid) in enumerate(zip(doc["tables"], grids, strict=True)):
        if t < len(slots):
            placed.append(_fill(slots[t], table, grid, table.get("org") or doc["department"]))
            continue
        width = len(grid.kinds)
        unit = money_unit(table)
        part = continues(doc, t)
        if part:  # printed under the part before it, as in the published form
            ws = book.worksheets[-1]
            top = ws.max_row + 1
        else:
            ws = book.create_sheet(f"表{t + 1}")
            ws.cell(1, 1, ANNOTATION.sub("", table["title"]))
            if unit:
                ws.cell(2, 1, label + (table.get("org") or doc["department"]))
                ws.cell(2, max(width, 2), f"金额单位：{unit}")
            top = 3 if unit else 2
        if is_cell_dump(table):  # cells of a real workbook, put back where they stood (no merges, no variants)
            placed.append(Placed(ws.title, top, 0, None, _dump_cells(ws, table)))
            continue
        cells, moved = grid.cells, None
        if swap and swap[0] == t:
            _, c, rows = swap
            cells = [list(row) for row in cells]
            for r in rows:
                cells[r][c], cells[r][c + 1] = cells[r][c + 1], cells[r][c]
            moved = (c, rows)
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                kind = "text" if r < grid.n_header else grid.kinds[c]
                value, fmt = typed(MARKER.sub("", text) if text else text, kind)
                if variant == "messy":
                    value, fmt = messed(value, fmt, kind, rng)
                if value is None:
                    continue
                _put(ws.cell(top + r, c + 1), value, fmt)
        if variant != "nomerge":
            if width > 1 and not part:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            for r0, c0, r1, c1 in grid.rects:  # a swap keeps every range in place (Grid.swappable)
                ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
        _print_notes(ws, table, top + len(cells), width, merge=variant != "nomerge")
        placed.append(Placed(ws.title, top, grid.n_header, moved))
    path = Path(out_dir) / f"{stem}-{variant}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return Built(stem, variant, path, tuple(placed))


def exported_with_text(stem: str, out: Path) -> tuple[Path, Path]:
    """The exported workbook of a 上海 budget with its published 说明 (the PDF's paragraphs, one a row) in the
    template's 编制说明 sheet and the other text sheets' prompts cleared: a workbook as the platform exports it once
    the clerk has written the 说明. Returns (the PDF, the workbook)."""
    # the PDF reader of the code under test: its paragraphs are the input here
    from gongkai.pipeline import read_document

    pdf = DOCUMENTS / f"{stem}.pdf"
    built = build(stem, EXPORTED, out)
    book = load_workbook(built.path)
    tables = {ws.title for ws in table_sheets(book)} | {p.sheet for p in built.tables}
    for ws in (ws for ws in book.worksheets if ws.title not in tables):
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        for row in ws.iter_rows():
            for cell in row:
                cell.value = None
    target = next(ws for ws in book.worksheets if ws.title.endswith("编制说明"))
    for i, paragraph in enumerate(read_document(pdf).paragraphs, start=1):
        target.cell(i, 1, paragraph.text).data_type = "s"
    book.save(out / f"{stem}-with-text.xlsx")
    return pdf, out / f"{stem}-with-text.xlsx"
