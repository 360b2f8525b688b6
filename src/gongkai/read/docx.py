"""Published Word documents (.docx) → tables and narrative text. The only module that imports python-docx.

The body is read in order: paragraphs are the narrative, and the last ones before a table are its title
(`…表`), its `编制部门：… 单位：元` line and its table-number line; `注：…` paragraphs right after a table are its
notes. A table's grid follows the Word grid: a cell spanning columns (`w:gridSpan`) or rows (`w:vMerge`) leaves
None in the cells it covers and becomes a merge rectangle; a table nested in a cell becomes a table of its own
(its `parent` the outer table). Line breaks inside a cell are removed and fully blank rows dropped, as in a PDF.

Files from strangers: size, the zip's inflated size and XML entity declarations are checked before python-docx
parses anything; the number of table cells is capped. Every refusal is a `ReadError` with one Chinese sentence.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from .document import (
    HEADING_RE,
    NOTE_RE,
    TABLE_NUMBER_RE,
    DocTable,
    Document,
    DocumentLimits,
    Grid,
    Paragraph,
    ReadError,
    Rect,
    department_of,
    drop_rows,
    header_row_count,
    is_blank_row,
    is_title_text,
    is_unit_line,
    join_broken,
    lift_preamble,
    unit_of,
)
from .xlsx import read_head

__all__ = ["DocumentLimits", "ReadError", "read_docx"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_OLE = "EncryptionInfo".encode("utf-16-le")
_HOSTILE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def _check_container(path: Path, limits: DocumentLimits) -> None:
    size, head = read_head(path, 8)
    if size == 0:
        raise ReadError("文件是空的（0 字节），不是 Word 文档")
    if size > limits.max_bytes:
        raise ReadError(f"文件有 {size / (1024 * 1024):.0f} MB，超过上限 {limits.max_bytes // (1024 * 1024)} MB，未读取")
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as f:
            data = f.read(min(size, 4 * 1024 * 1024))
        if ENCRYPTED_OLE in data:
            raise ReadError("Word 文档有密码保护（已加密），无法读取；请先取消密码再检查")
        raise ReadError("这是旧版 Word 文档（.doc），无法读取；请在 Word 中另存为 .docx，或提供 PDF")
    if not head.startswith(b"PK\x03\x04"):
        raise ReadError("文件不是 Word 文档（.docx）（可能是改了扩展名的其他文件）")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise ReadError("文件是压缩包，但不是 Word 文档（.docx）")
            inflated = sum(i.file_size for i in infos)
            if inflated > limits.max_inflated_bytes_docx:
                raise ReadError(
                    f"文件解压后有 {inflated // (1024 * 1024)} MB，超过上限 "
                    f"{limits.max_inflated_bytes_docx // (1024 * 1024)} MB，疑似压缩炸弹，未读取"
                )
            xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
            if xml > limits.max_stream_bytes:
                raise ReadError(
                    f"文件中的文字和表格部分解压后有 {xml // (1024 * 1024)} MB，超过上限 "
                    f"{limits.max_stream_bytes // (1024 * 1024)} MB，未读取"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as part:
                        prolog = part.read(4096)  # a DOCTYPE can only stand before the root element
                    if _HOSTILE.search(prolog):
                        raise ReadError(
                            f"文件中的 {info.filename} 含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，未读取"
                        )
    except ReadError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ReadError(f"文件已损坏（压缩包不完整）：{str(exc)[:120]}") from None


class _Reader:
    def __init__(self, doc: Any, limits: DocumentLimits) -> None:
        self.limits = limits
        self.cells = 0
        self.tables: list[DocTable] = []
        self.paragraphs: list[Paragraph] = []
        self.pending: list[Paragraph] = []  # paragraphs since the last table: the next table's title lines
        self.styles: dict[str, str] = {}
        for style in doc.styles.element.findall(f"{W}style"):
            sid = style.get(f"{W}styleId") or ""
            name = style.find(f"{W}name")
            self.styles[sid] = (name.get(f"{W}val") if name is not None else sid) or sid
        self.last_table: DocTable | None = None

    # ---------------------------------------------------------------- paragraphs

    def paragraph_text(self, p: Any) -> str:
        """A paragraph's text (runs, hyperlinks), its line breaks removed."""
        return join_broken(str(p.text).replace("\t", " ").split("\n"))

    def is_heading(self, p: Any, text: str) -> bool:
        ppr = p.find(f"{W}pPr")
        if ppr is not None:
            style = ppr.find(f"{W}pStyle")
            name = self.styles.get(style.get(f"{W}val"), "") if style is not None else ""
            if re.match(r"(?i)heading|title|标题", name):
                return True
            if ppr.find(f"{W}outlineLvl") is not None:
                return True
        return HEADING_RE.match(text) is not None and len(text) <= 40 and not text.endswith(("。", "；", "，", "："))

    def paragraph(self, p: Any) -> None:
        text = self.paragraph_text(p)
        if not text:
            return
        para = Paragraph(0, text, self.is_heading(p, text))
        if self.last_table is not None and NOTE_RE.match(text):
            self.last_table.notes.append(text)
            return
        self.last_table = None
        self.paragraphs.append(para)
        self.pending.append(para)

    # ---------------------------------------------------------------- tables

    def table(self, tbl: Any, parent: int | None = None) -> None:
        grid, merges, nested = self.grid(tbl)
        grid, merges = drop_rows(grid, merges, {i for i, r in enumerate(grid) if is_blank_row(r)})
        title, unit, department, number = None, None, None, None
        if parent is None:
            title, unit, department, number = self.labels()
        grid, merges, lifted = lift_preamble(grid, merges)
        title = title or lifted[0]
        unit = unit or lifted[1]
        department = department or lifted[2]
        table = DocTable(
            index=len(self.tables),
            title=title,
            unit=unit,
            department=department,
            pages=[],
            grid=grid,
            merges=sorted(merges),
            header_rows=header_row_count(grid),
            row_pages=[0] * len(grid),
            number=number,
            strategy="word",
            parent=parent,
        )
        self.tables.append(table)
        for inner in nested:
            self.table(inner, parent=table.index)
        if parent is None:
            self.last_table = table
            self.pending = []

    def labels(self) -> tuple[str | None, str | None, str | None, str | None]:
        """Title, unit, 部门 and table number from the paragraphs right before a table (taken out of the narrative)."""
        title = unit = department = number = None
        used: list[Paragraph] = []
        for para in reversed(self.pending[-4:]):
            text = para.text
            if is_unit_line(text):
                unit = unit or unit_of(text)
                department = department or department_of(text)
                used.append(para)
                continue
            if title is None and is_title_text(text):
                title = text
                used.append(para)
                continue
            if title is not None and TABLE_NUMBER_RE.match(text):
                number = text
                used.append(para)
            break
        for para in used:
            self.paragraphs.remove(para)
        if title is None:  # no `…表` line: the sentence introducing the table names it (it stays in the narrative)
            rest = [p for p in self.pending if p not in used]
            title = rest[-1].text if rest and not rest[-1].heading else None
        return title, unit, department, number

    def grid(self, tbl: Any) -> tuple[Grid, list[Rect], list[Any]]:
        """The Word grid of a table: text at each cell's first grid column, None under spans; the spans as merges."""
        rows: Grid = []
        nested: list[Any] = []
        origins: dict[tuple[int, int], list[int]] = {}  # (row0, col0) → [row1, col1]
        open_v: dict[int, tuple[int, int]] = {}  # grid column → origin of the vertical merge running there
        for r, tr in enumerate(tbl.findall(f"{W}tr")):
            row: list[str | None] = []
            before = tr.find(f"{W}trPr/{W}gridBefore")
            if before is not None:
                row.extend([""] * int(before.get(f"{W}val") or 0))
            for tc in tr.findall(f"{W}tc"):
                span = int(tc.grid_span or 1)
                self.cells += span
                if self.cells > self.limits.max_cells:
                    raise ReadError(f"文档中表格的单元格超过上限 {self.limits.max_cells:,} 个，未读取")
                c = len(row)
                vmerge = tc.vMerge
                if vmerge == "continue" and c in open_v:
                    r0, c0 = open_v[c]
                    origins[(r0, c0)][0] = r
                    row.extend([None] * span)
                    continue
                texts = []
                for child in tc.iterchildren():
                    if child.tag == f"{W}p":
                        texts.append(self.paragraph_text(child))
                    elif child.tag == f"{W}tbl":
                        nested.append(child)
                row.append(join_broken(texts))
                row.extend([None] * (span - 1))
                origins[(r, c)] = [r, c + span - 1]
                for k in range(c, c + span):
                    open_v.pop(k, None)
                if vmerge == "restart":
                    open_v[c] = (r, c)
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend([""] * (width - len(row)))
        merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in origins.items() if r1 > r0 or c1 > c0]
        return rows, merges, nested

    # ---------------------------------------------------------------- body

    def body(self, element: Any) -> None:
        for child in element.iterchildren():
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":  # a content control: its content in order
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.body(content)


def read_docx(path: str | Path, limits: DocumentLimits | None = None) -> Document:
    """Read a published .docx: its tables (grid, merges, title, unit, 部门) and its narrative paragraphs."""
    import docx  # type: ignore[import-not-found, unused-ignore]  # python-docx: optional, for .docx only

    limits = limits or DocumentLimits()
    path = Path(path)
    _check_container(path, limits)
    try:
        doc = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"文件已损坏，无法作为 Word 文档读取：{str(exc)[:120]}") from None
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own on broken parts
        raise ReadError(f"文件已损坏，无法作为 Word 文档读取：{type(exc).__name__}") from None
    reader = _Reader(doc, limits)
    reader.body(doc.element.body)
    if not reader.tables:
        raise ReadError("这个 Word 文档里没有找到表格（没有可读取的公开表）；请确认文件是部门预算或决算公开文件")
    return Document(str(path), "docx", 0, reader.tables, reader.paragraphs)
