"""Published documents (PDF, Word) as tables and text: the reader-independent part. Pure: no I/O library.

`read/pdf.py` (pdfplumber) and `read/docx.py` (python-docx) each give a `Document`: its tables, each the grid of
printed cell texts (None for a cell covered by a merged cell) with the merges, title, 金额单位, 部门 and pages, and
its narrative paragraphs with their headings. `sheets(document)` turns the tables into the `core.grid.Sheet`s
the workbook reader produces (title row, 部门/金额单位 row, header, rows; amounts as numbers, codes as text), so
`recognize(sheets)` and every rule run unchanged; `to_sheets` keeps the printed text and a map from worksheet
row to (page, printed row label), so a finding can be located as `第12页「支出预算总表」 行政运行 / 项目支出`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.grid import Scalar, Sheet
from .xlsx import ReadError

__all__ = [
    "DocTable",
    "Document",
    "DocumentLimits",
    "Paragraph",
    "ReadError",
    "SheetGrid",
    "column_label",
    "locate",
    "row_label",
    "sheets",
    "to_sheets",
]

Cell = str | None
Grid = list[list[Cell]]
Rect = tuple[int, int, int, int]


@dataclass(slots=True, frozen=True)
class DocumentLimits:
    """Safety limits for documents from strangers."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    max_inflated_bytes: int = 400 * 1024 * 1024
    """All streams of the document together, once decompressed."""
    max_stream_bytes: int = 64 * 1024 * 1024
    """One PDF stream, decompressed; the XML of a .docx, inflated."""
    max_chars: int = 3_000_000
    """Characters of the whole document."""
    max_page_objects: int = 150_000
    """Characters + lines + rectangles + curves on one page (the table finder's work grows with them)."""
    page_seconds: float = 10.0
    """Time budget of one page (a real page takes about 0.1 s)."""
    total_seconds: float = 300.0
    """Time budget of the whole document."""
    max_inflated_bytes_docx: int = 200 * 1024 * 1024
    """A .docx (a zip): all its parts together, once inflated."""
    max_cells: int = 1_000_000
    """Table cells of the whole document (a .docx states no page count)."""



@dataclass(slots=True)
class Paragraph:
    """One paragraph of the narrative, or one heading (`一、…`, `（一）…`, `第一部分 …`), in document order."""

    page: int
    """The page it starts on (PDF); 0 in a Word document (no fixed pages)."""
    text: str
    heading: bool = False


@dataclass(slots=True)
class DocTable:
    """One table as printed: its title, 金额单位 and 部门 from the lines above it, its cells and merges."""

    index: int
    title: str | None
    unit: str | None
    department: str | None
    pages: list[int]
    """The pages its rows are printed on (PDF); [] in a Word document."""
    grid: Grid
    merges: list[Rect]
    """(row0, col0, row1, col1), 0-based inclusive, in `grid` coordinates."""
    header_rows: int
    row_pages: list[int]
    """The page each grid row was printed on (0 in a Word document)."""
    notes: list[str] = field(default_factory=list)
    """`注：…` / `说明：…` lines printed right under the table."""
    number: str | None = None
    """A table number line printed above the title (`表1`, `附表3`), if any."""
    strategy: str = "lines"
    """"lines" (ruling lines), "text" (text alignment: a table printed without lines), "word" (a Word table)."""
    parent: int | None = None
    """A table nested in a cell of another: that table's index."""

    @property
    def header(self) -> Grid:
        return self.grid[: self.header_rows]

    @property
    def rows(self) -> Grid:
        return self.grid[self.header_rows :]


@dataclass(slots=True)
class Document:
    """A published document read: its tables and its narrative."""

    path: str
    kind: str = "pdf"
    """"pdf" or "docx"."""
    pages: int = 0
    tables: list[DocTable] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    def text(self) -> str:
        """The narrative in order, headings on their own line."""
        return "\n".join(p.text for p in self.paragraphs)



# ----------------------------------------------------------------------------------------------- text patterns

UNIT_RE = re.compile(r"(?:金额|计量)?单位\s*[：:]\s*(亿元|百万元|万元|千元|元)")
DEPT_RE = re.compile(r"(?:编制|填报|预算|决算)?(?:部门|单位)(?:名称)?\s*[：:]\s*(?!亿元|百万元|万元|千元|元)(\S+)")
TABLE_NUMBER_RE = re.compile(r"^(?:附)?表\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-－—.．]\s*[0-9０-９]+)?[：:]?$")
NUMBER_RE = re.compile(r"^[-－]?[(（]?[-－]?\d[\d,，]*(?:\.\d+)?[)）]?%?$")
HEADING_RE = re.compile(
    r"^(?:第[一二三四五六七八九十百]+(?:部分|章|节)|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[)）]"
    r"|目\s*录$|附件\s*\d*)"
)
PAGE_NUMBER_RE = re.compile(r"^(?:[-—－–]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—－–])?$|^\d{1,4}\s*/\s*\d{1,4}$")
LEADER_RE = re.compile(r"\s*(?:[…⋯]{2,}|[.．·•]{4,}|-{4,})[\s…⋯.．·•]*\d*\s*$")
NOTE_RE = re.compile(r"^(?:注|说明|备注)\s*\d*\s*[：:]")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")


def join_broken(parts: list[str]) -> str:
    """Lines of one cell or paragraph joined: no space between CJK (or any) text, a space between two Latin words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.match(part) and re.search(r"[A-Za-z]", out[-1] + part[0]):
            out += " "
        out += part
    return out


def clean_cell(value: str | None) -> Cell:
    """A cell's printed text with its line breaks removed."""
    if value is None:
        return None
    if "\n" in value:
        return join_broken(value.split("\n"))
    return value.strip()


def is_blank_row(row: list[Cell]) -> bool:
    """A row with nothing printed in it."""
    return all(c is None or c == "" for c in row)


def is_data_row(row: list[Cell]) -> bool:
    """The first row of the body: a code or an amount in a cell, or a 合计 row with nothing else printed."""
    cells = [c for c in row if c]
    if any(c in ("栏次", "行次") for c in cells):
        return False
    if any(NUMBER_RE.match(c) for c in cells):
        return True
    return bool(row and row[0] in ("合计", "总计") and len(cells) == 1)


def header_row_count(grid: Grid) -> int:
    """Rows above the first data row: the header (the whole table when no row holds a figure)."""
    for i, row in enumerate(grid):
        if is_data_row(row):
            return i
    return len(grid)


def unit_of(text: str) -> str | None:
    """The 金额单位 a line prints (`单位：元`, `金额单位：万元`, `单位:万元`), never assumed."""
    m = UNIT_RE.search(text)
    return m.group(1) if m else None


def department_of(text: str) -> str | None:
    """The 部门/单位 a line names (`编制部门：…`, `编制单位：…`, `部门：…`)."""
    for m in DEPT_RE.finditer(text):
        value = m.group(1)
        if UNIT_RE.match(text, m.start()):
            continue
        return value.rstrip("，,;；")
    return None


def is_unit_line(text: str) -> bool:
    """A line above a table naming its 金额单位 or its 部门."""
    return bool(UNIT_RE.search(text) or (department_of(text) and len(text) < 80))


def is_title_text(text: str) -> bool:
    """A table title: ends with 表 (or 表 and a bracketed remark)."""
    t = text.replace(" ", "")
    return len(t) >= 3 and (t.endswith("表") or re.search(r"表[（(][^）)]*[）)]$", t) is not None) and not t.endswith("如下表")


def drop_rows(grid: Grid, merges: list[Rect], drop: set[int]) -> tuple[Grid, list[Rect]]:
    """Remove rows; merges shrink over removed rows and vanish when nothing of them is left (or just one cell)."""
    if not drop:
        return grid, merges
    keep = [i for i in range(len(grid)) if i not in drop]
    new_index = {old: new for new, old in enumerate(keep)}
    out = []
    for r0, c0, r1, c1 in merges:
        kept = [new_index[r] for r in range(r0, r1 + 1) if r in new_index]
        if not kept or (kept[0] == kept[-1] and c0 == c1):
            continue
        out.append((kept[0], c0, kept[-1], c1))
    return [grid[i] for i in keep], out


def lift_preamble(grid: Grid, merges: list[Rect]) -> tuple[Grid, list[Rect], tuple[str | None, str | None, str | None]]:
    """Title / 编制部门 / 单位 rows at the top of a grid (a frame drawn round them, or typed into the Word table)
    taken out of it: (grid, merges, (title, unit, department))."""
    title = unit = department = None
    drop: set[int] = set()
    for i, row in enumerate(grid):
        cells = [c for c in row if c]
        if not cells:
            drop.add(i)
            continue
        text = " ".join(cells)
        if len(cells) == 1 and title is None and is_title_text(cells[0]) and row.count(None) >= max(1, len(row) // 2):
            title = cells[0]
            drop.add(i)
            continue
        if is_unit_line(text) and not any(NUMBER_RE.match(c) for c in cells):
            unit = unit or unit_of(text)
            department = department or department_of(text)
            drop.add(i)
            continue
        break
    grid, merges = drop_rows(grid, merges, drop)
    return grid, merges, (title, unit, department)


# ----------------------------------------------------------------------------------------------- worksheets


@dataclass(slots=True)
class SheetGrid:
    """One table laid out as a worksheet, cells as printed: title row, 部门/金额单位 row, then the table."""

    name: str
    rows: Grid
    merged: list[Rect]
    locations: dict[int, tuple[int, str]]
    """Worksheet row (0-based) → (page, printed row label) for the table's rows."""
    table: DocTable
    kind: str = "pdf"


def row_label(row: list[Cell]) -> str:
    """The printed label of a row: its first cell with Chinese text (`行政运行`), else its code cells joined."""
    for c in row:
        if c and re.search(r"[\u4e00-\u9fff]", c):
            return c
    codes = []
    for c in row:
        if c and re.fullmatch(r"\d{1,7}", c):
            codes.append(c)
        elif c:
            break
    return "".join(codes)


def sheet_name(table: DocTable, taken: set[str]) -> str:
    """A worksheet name from the title: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = (table.title or f"表{table.index + 1}").replace(" ", "")
    base = re.sub(r"[\[\]:*?/\\]", "", base)[:28] or f"表{table.index + 1}"
    name, k = base, 2
    while name in taken:
        name = f"{base[:26]}{k}"
        k += 1
    taken.add(name)
    return name


def to_sheets(document: Document) -> list[SheetGrid]:
    """One worksheet-like grid per table, the way the department's workbook prints it: row 0 the title (merged
    across), row 1 `部门：…` at the left and `金额单位：…` at the right (when known), then the table, then its
    notes (each merged across)."""
    out = []
    taken: set[str] = set()
    for table in document.tables:
        width = max((len(r) for r in table.grid), default=1)
        rows: Grid = [[table.title or "", *([None] * (width - 1))]]
        merged: list[Rect] = [(0, 0, 0, width - 1)] if width > 1 else []
        line = []
        if table.department:
            line.append(f"部门：{table.department}")
        if table.unit:
            line.append(f"金额单位：{table.unit}")
        if line:
            second: list[Cell] = [""] * width
            if width == 1:
                second[0] = "  ".join(line)
            else:
                if table.department:
                    second[0] = line[0]
                if table.unit:
                    second[-1] = line[-1]
            rows.append(second)
        offset = len(rows)
        rows.extend([list(r) + [""] * (width - len(r)) for r in table.grid])
        merged.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in table.merges)
        for note in table.notes:  # 注：… / 说明：…本表无数据, under the table as the workbook prints them
            if width > 1:
                merged.append((len(rows), 0, len(rows), width - 1))
            rows.append([note, *([None] * (width - 1))])
        locations = {offset + i: (table.row_pages[i], row_label(table.grid[i])) for i in range(len(table.grid))}
        out.append(SheetGrid(sheet_name(table, taken), rows, merged, locations, table, document.kind))
    return out


CODE_HEADER = re.compile(r"编码|代码|^[类款项]$")
ORDINAL_HEADER = re.compile(r"序号|行次|栏次")
AMOUNT_HEADER = re.compile(r"数|额|合计|小计|费|支出|收入|资金|预算|决算|结转|结余|拨款|元")
AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def column_kinds(table: DocTable) -> list[str]:
    """Per column: "code" (类/款/项, …编码, …代码 over it), "amount" (a printed amount with separators or decimals
    in its rows, or an amount word in a short header cell over it) or "text"."""
    width = max((len(r) for r in table.grid), default=0)
    kinds = []
    for c in range(width):
        head = [re.sub(r"\s", "", h) for h in header_texts(table, c)]
        body = [row[c] for row in table.rows if c < len(row)]
        if any(CODE_HEADER.search(h) for h in head):
            kinds.append("code")
        elif any(ORDINAL_HEADER.search(h) for h in head):
            kinds.append("text")
        elif any(v and AMOUNT.fullmatch(v) and ("," in v or "." in v) for v in body) or any(
            len(h) <= 16 and AMOUNT_HEADER.search(h) for h in head
        ):
            kinds.append("amount")
        else:
            kinds.append("text")
    return kinds


def typed(text: Cell, kind: str) -> Scalar:
    """A printed cell as a worksheet value: an amount as a number ("14,348,853.34" → 14348853.34, "0" → 0), a code
    and any other text as printed, "" and covered cells as None."""
    if not text:
        return None
    if kind == "amount" and AMOUNT.fullmatch(text) and not re.match(r"-?0\d", text):
        digits = text.replace(",", "")
        return float(digits) if "." in digits else int(digits)
    return text


def sheets(document: Document) -> list[Sheet]:
    """The document's tables as the workbook reader's `Sheet`s (one per table, laid out as `to_sheets`, amounts as
    numbers): what `recognize(sheets)` takes."""
    out = []
    for grid in to_sheets(document):
        table = grid.table
        kinds = column_kinds(table)
        offset = len(grid.rows) - len(table.grid) - len(table.notes)
        rows: list[list[Scalar]] = []
        for r, row in enumerate(grid.rows):
            body = table.header_rows <= r - offset < len(table.grid)
            rows.append([typed(v, kinds[c] if body and c < len(kinds) else "text") for c, v in enumerate(row)])
        out.append(Sheet(grid.name, rows, list(grid.merged)))
    return out


def header_texts(table: DocTable, column: int) -> list[str]:
    """The header cells standing over a column, top to bottom (a covered cell takes its merge's text)."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in table.merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[(r, c)] = (r0, c0)
    texts = []
    for r in range(table.header_rows):
        if column >= len(table.grid[r]):
            continue
        r0, c0 = owner.get((r, column), (r, column))
        text = table.grid[r0][c0]
        if text:
            texts.append(text)
    return texts


def column_label(table: DocTable, column: int) -> str:
    """The lowest printed header text over a column (`项目支出`), 类/款/项 skipped."""
    for text in reversed(header_texts(table, column)):
        if not re.fullmatch(r"[类款项]", text):
            return text
    return ""


def locate(sheet: SheetGrid, row: int, column: int | None = None) -> str:
    """Where a worksheet cell of `to_sheets` is printed: `第12页「支出预算总表」 行政运行 / 项目支出` in a PDF,
    `表3「支出预算总表」 行政运行 / 项目支出` in a Word document."""
    table = sheet.table
    page, label = sheet.locations.get(row, (table.pages[0] if table.pages else 0, ""))
    where = f"第{page}页" if sheet.kind == "pdf" and page else f"表{table.index + 1}"
    text = f"{where}「{table.title or sheet.name}」"
    col_label = column_label(table, column) if column is not None else ""
    if label or col_label:
        text += " " + " / ".join(x for x in (label, col_label) if x)
    return text
