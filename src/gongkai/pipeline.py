"""File → result: read, recognise, check. Never raises for a bad file and never prints.

The shells (cli, xl, batch) call these; a broken file becomes a FileResult with status "unreadable".
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from .core.findings import Finding, Severity
from .core.model import Book, Table
from .core.profile import Profile
from .read import SUFFIXES, Limits, ReadError, read_workbook
from .read.safety import TimeLimitExceeded, time_limit
from .recognize import recognize

if TYPE_CHECKING:
    from .read.document import Document, DocumentLimits

Status = Literal["ok", "unreadable"]


class TableInfo(BaseModel):
    """What `gongkai tables` reports of one recognised table."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    sheet: str
    header_rows: tuple[int, int]
    first_row: int | None
    last_row: int | None
    data_rows: int
    columns: dict[str, str]
    unmapped: tuple[str, ...]
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, t: Table) -> TableInfo:
        return cls(
            id=t.id, title=t.title, sheet=t.sheet, header_rows=t.header_rows, first_row=t.first_row,
            last_row=t.data_last_row, data_rows=len({r.number for r in t.rows}), columns=t.columns, unmapped=t.unmapped, missing=t.missing,
        )


class UncheckedClaim(BaseModel):
    """A figure of the 说明 that was not checked: where (第12页第3段), the sentence with it marked, the figure, why."""

    model_config = ConfigDict(frozen=True)

    cell: str
    sentence: str
    figure: str
    reason: str


class NarrativeReport(BaseModel):
    """What a report says of the 说明: the figures the text quotes, how many were checked and agree."""

    model_config = ConfigDict(frozen=True)

    found: int
    checked: int
    agreeing: int
    wrong: int
    unchecked: list[UncheckedClaim] = Field(default_factory=list)
    text: str = ""
    """One Chinese line: 说明文字：找到 … 处数字，核对 … 处 …"""


class Location(BaseModel):
    """Where a finding's cell is printed in a published document (PDF or Word), as its reader finds it there."""

    model_config = ConfigDict(frozen=True)

    page: int | None
    """The PDF page the row is printed on; None in a Word document (no fixed pages)."""
    table: int
    """The table's place in the document, counted from 1 (a Word document names its tables 表1, 表2 …)."""
    title: str
    """The table's printed title."""
    row: str
    """The printed label of the row (`行政运行`, or its codes), "" for a header or title row."""
    column: str
    """The lowest printed header text over the column (`项目支出`)."""
    text: str
    """All of it in one phrase: `第12页「支出预算总表」 行政运行 / 项目支出` (PDF), `表3「…」 …` (Word)."""


class FileResult(BaseModel):
    """The outcome for one file: what was recognised and found, or why it could not be read."""

    path: str
    status: Status = "ok"
    error: str | None = None
    tables: list[TableInfo] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    seconds: float = 0.0
    narrative: NarrativeReport | None = None
    """The 说明 text checked against the tables (`check_narrative_file`), when one was given."""
    locations: dict[str, Location] = Field(default_factory=dict)
    """A published document's findings: "sheet!A1" (`Finding.where`) → where that cell is printed. Empty for a
    workbook, whose grid address is what its reader sees."""

    def location(self, finding: Finding) -> Location | None:
        """Where a finding is printed in the document, or None (a workbook, or a finding on no table's cell)."""
        return self.locations.get(finding.where) if self.locations else None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)


NO_TABLE = "没有识别出任何公开表（请确认表名，如「部门收支总表」，写在表头上方）"


def limits_of(profile: Profile) -> Limits:
    return Limits(max_inflated_bytes=profile.max_inflated_mb * 1024 * 1024, max_cells=profile.max_cells)


def load_book(path: str | Path, profile: Profile | None = None) -> Book:
    """Read and recognise one workbook, or the tables of a published PDF/Word document; ReadError (Chinese
    message) when it is not one, or holds no 公开表."""
    profile = profile or Profile()
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        return load_document(path, profile)[0]
    try:
        with time_limit(profile.max_seconds_per_file):
            book = recognize(read_workbook(path, limits_of(profile)), profile.header_synonyms)
    except TimeLimitExceeded:
        raise ReadError(f"读取超时：超过 {profile.max_seconds_per_file:g} 秒仍未完成，已跳过（文件可能过大或结构异常）") from None
    if not book.tables and not book.problems:
        raise ReadError(NO_TABLE)
    return book


def document_limits(profile: Profile) -> DocumentLimits:
    """The document reader's limits under a profile: its whole-document time budget no longer than the profile's
    per-file limit, and what the document may inflate to no more than the profile's `max_inflated_mb` (the other
    limits are the reader's own defaults)."""
    from dataclasses import replace

    from .read.document import DocumentLimits

    limits = DocumentLimits()
    inflated = profile.max_inflated_mb * 1024 * 1024
    limits = replace(
        limits, max_inflated_bytes=min(limits.max_inflated_bytes, inflated),
        max_stream_bytes=min(limits.max_stream_bytes, inflated),
        max_inflated_bytes_docx=min(limits.max_inflated_bytes_docx, inflated),
    )
    seconds = profile.max_seconds_per_file
    return replace(limits, total_seconds=min(limits.total_seconds, seconds)) if seconds > 0 else limits


def read_document(path: str | Path, profile: Profile | None = None) -> Document:
    """A published PDF (pdfplumber) or Word document (python-docx) read into its tables and narrative, under the
    profile's per-file time limit. ReadError (Chinese) for a file that cannot be read or holds no table."""
    profile = profile or Profile()
    p = Path(path)
    if p.suffix.lower() == ".pdf":
        from .read.pdf import read_pdf as read
    else:
        from .read.docx import read_docx as read
    try:
        with time_limit(profile.max_seconds_per_file):
            return read(p, document_limits(profile))
    except TimeLimitExceeded:
        raise ReadError(f"读取超时：超过 {profile.max_seconds_per_file:g} 秒仍未完成，已跳过（文件可能过大或结构异常）") from None


def load_document(path: str | Path, profile: Profile | None = None) -> tuple[Book, Document]:
    """A document read (`read_document`) and its tables recognised as a workbook's would be (`read.document.sheets`).
    ReadError when none of its tables is a 公开表."""
    from .read.document import sheets

    profile = profile or Profile()
    document = read_document(path, profile)
    try:
        with time_limit(profile.max_seconds_per_file):
            book = recognize(sheets(document), profile.header_synonyms)
    except TimeLimitExceeded:
        raise ReadError(f"读取超时：超过 {profile.max_seconds_per_file:g} 秒仍未完成，已跳过（文件可能过大或结构异常）") from None
    if not book.tables and not book.problems:
        raise ReadError(NO_TABLE)
    return book, document


def locations(document: Document, book: Book, findings: Iterable[Finding]) -> dict[str, Location]:
    """Where each finding's cell is printed in the document: "sheet!A1" → page (PDF) or table number (Word), the
    table's title and the printed row and column labels (`read.document.locate`); a cell of the title or
    部门/单位 line above the table, or of a note under it, is located by the table alone. Findings on no table's
    sheet (the 说明 text) and findings about a table that is not on the sheet they are pinned to (a required table
    missing, pinned to the first sheet) get none."""
    from .core.addresses import cell_position
    from .read.document import column_label, locate, to_sheets

    grids = {g.name: g for g in to_sheets(document)}
    on_sheet: dict[str, set[str]] = {}
    for t in book.tables:
        on_sheet.setdefault(t.sheet, set()).add(t.id)
    out: dict[str, Location] = {}
    for f in findings:
        grid = grids.get(f.sheet)
        if grid is None or f.where in out or not f.cell[:1].isalpha():
            continue
        if f.table is not None and f.table not in on_sheet.get(f.sheet, set()):
            continue
        row, column = cell_position(f.cell)
        table = grid.table
        inside = row in grid.locations
        page, label = grid.locations.get(row, (table.pages[0] if table.pages else 0, ""))
        out[f.where] = Location(
            page=(page or None) if document.kind == "pdf" else None, table=table.index + 1,
            title=table.title or grid.name, row=label, column=column_label(table, column) if inside else "",
            text=locate(grid, row, column if inside else None),
        )
    return out


def inspect_file(path: str | Path, profile: Profile | None = None) -> FileResult:
    """What `gongkai tables` shows: the tables recognised in one file, and the reading (R) findings."""
    start = time.perf_counter()
    try:
        book = load_book(path, profile)
    except ReadError as exc:
        return FileResult(path=str(path), status="unreadable", error=str(exc), seconds=time.perf_counter() - start)
    return FileResult(
        path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=check_book(book, profile, select=["R"]),
        seconds=time.perf_counter() - start,
    )


def check_book(book: Book, profile: Profile | None = None, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Finding]:
    from . import checks

    return checks.run(book, profile, select, ignore)


def with_formulas(
    path: str | Path, book: Book, findings: list[Finding], profile: Profile | None = None,
    select: Iterable[str] | None = None, ignore: Iterable[str] = (),
) -> list[Finding]:
    """The findings of the value rules told what the workbook's formulas say (`checks.formulas.run_formulas`): a
    SUM that skipped a number stored as text (S109), a sum finding on a number typed over a formula. The formulas
    are read (`read.formulas`) only from the sheets that hold a text number or a sum error, so a clean workbook's
    are never read; an .xls or .ods, or a failure reading them, leaves the findings as they are."""
    from .checks.formulas import run_formulas, sheets_needed

    profile = profile or Profile()
    select = tuple(select) if select else None
    needed = sheets_needed(book, findings, profile, select, ignore)
    if not needed:
        return findings
    from .read.formulas import ZIP_SUFFIXES, read_formulas

    if Path(path).suffix.lower() not in ZIP_SUFFIXES:
        return findings
    try:
        with time_limit(profile.max_seconds_per_file):
            formulas = read_formulas(path, needed)
        return run_formulas(book, findings, formulas, profile, select, ignore)
    except Exception:  # the file was read once already: what the formulas would add is not worth losing the rest
        return findings


def check_file(
    path: str | Path, profile: Profile | None = None, select: Iterable[str] | None = None, ignore: Iterable[str] = (),
    *, formulas: bool = True,
) -> FileResult:
    """Read, recognise and check one file. Unreadable files are reported, never raised. ``formulas=False`` leaves
    out what only the workbook's formulas tell (`with_formulas`): the findings of the Excel add-in, which reads the
    values only."""
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:  # a published PDF/Word document: its tables and its 说明
        return check_narrative_file(path, profile=profile, select=select, ignore=ignore)
    start = time.perf_counter()
    try:
        book = load_book(path, profile)
    except ReadError as exc:
        return FileResult(path=str(path), status="unreadable", error=str(exc), seconds=time.perf_counter() - start)
    findings = check_book(book, profile, select, ignore)
    if formulas:
        findings = with_formulas(path, book, findings, profile, select, ignore)
    report = None
    if book.text:  # the workbook's own 说明 sheets, checked as a document's text
        from .checks.narrative import own_text

        narrative, report = _narrative_or_failure(book, own_text(book), None, profile, select, ignore)
        findings = [*findings, *narrative]
        if report.found == 0 and not narrative and report.text.startswith("说明文字："):
            report = None  # text without a figure (a cover, a list of units): nothing to report
    return FileResult(
        path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=findings,
        seconds=time.perf_counter() - start, narrative=report,
    )


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the workbooks and PDF/Word documents found under folders named (recursively, sorted);
    Excel and Word lock files skipped."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in FILE_SUFFIXES and not f.name.startswith(("~$", ".~")):
                    yield f
        else:
            yield p


# ---------------------------------------------------------------------------------------------------------
# The 说明 text against the tables (issue 17): a document's own narrative, or a .txt/.docx given with a workbook
# ---------------------------------------------------------------------------------------------------------

DOCUMENT_SUFFIXES = (".pdf", ".docx")
FILE_SUFFIXES = (*SUFFIXES, *DOCUMENT_SUFFIXES)
"""What a folder given to `check`, `tables` or `export` is searched for: workbooks and published documents."""
TEXT_SUFFIXES = (".txt", ".docx")


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("说明文字无法读取：不是 UTF-8 或 GBK 编码的文本文件")


def read_source(path: str | Path, profile: Profile | None = None, *, tables: bool = True) -> tuple[Book | None, list[object]]:
    """A file as (recognised tables, narrative paragraphs): a PDF or .docx gives both, a workbook its tables, a .txt
    its paragraphs. ReadError (Chinese) for a file that cannot be read."""
    book, paragraphs, _ = _read_source(path, profile, tables=tables)
    return book, paragraphs


def _read_source(
    path: str | Path, profile: Profile | None = None, *, tables: bool = True
) -> tuple[Book | None, list[object], Document | None]:
    """`read_source`, and the document read when the file is a PDF or .docx (for `locations`)."""
    from .core.claims import paragraphs_from_text

    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise ReadError("文件不存在或不是文件")
    if suffix == ".txt":
        return None, list(paragraphs_from_text(_read_text_file(p))), None
    if suffix == ".docx" and not tables:
        return None, _docx_paragraphs(p), None
    if suffix in DOCUMENT_SUFFIXES:
        try:
            if tables:
                book, document = load_document(p, profile)
                return book, list(document.paragraphs), document
            document = read_document(p, profile)
        except ImportError:  # pragma: no cover - pdfplumber and python-docx are dependencies of gongkai
            raise ReadError(f"读取 {suffix} 文件需要安装 pdfplumber 和 python-docx（pip install pdfplumber python-docx）") from None
        return None, list(document.paragraphs), document
    return load_book(p, profile), [], None


DOCX_TEXT_LIMIT = 64 * 1024 * 1024
"""The largest word/document.xml read for a 说明 (inflated bytes)."""


def _docx_paragraphs(path: Path) -> list[object]:
    """The paragraphs of a .docx 说明 (its text only, tables' cells included as paragraphs), read with the zip and
    defusedxml: a 说明 given with --text needs no Word library."""
    import zipfile

    from defusedxml import ElementTree

    from .core.claims import Paragraph

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > DOCX_TEXT_LIMIT:
                raise ReadError("说明文字过大（word/document.xml 超过 64 MB），已跳过")
            root = ElementTree.fromstring(zf.read(info))
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ReadError(f"不是有效的 Word 文件：{str(exc)[:80]}") from None
    except ElementTree.ParseError:
        raise ReadError("Word 文件的内容已损坏，无法读取") from None
    except Exception as exc:  # defusedxml refuses entities and DTDs: a hostile file
        raise ReadError(f"Word 文件含有不安全的内容，已拒绝读取（{type(exc).__name__}）") from None
    out: list[object] = []
    for para in root.iter(f"{w}p"):
        text = "".join(t.text or "" for t in para.iter(f"{w}t"))
        if text.strip():
            style = para.find(f"{w}pPr/{w}pStyle")
            heading = style is not None and "Heading" in (style.get(f"{w}val") or "")
            out.append(Paragraph(text=text, heading=heading))
    return out


def narrative_report(summary: object) -> NarrativeReport:
    """The pydantic form of a `checks.narrative.NarrativeSummary` (what FileResult carries)."""
    from .checks.narrative import NarrativeSummary

    assert isinstance(summary, NarrativeSummary)
    return NarrativeReport(
        found=summary.found, checked=summary.checked, agreeing=summary.agreeing, wrong=summary.wrong,
        unchecked=[UncheckedClaim(cell=u.cell, sentence=u.sentence, figure=u.figure, reason=u.reason) for u in summary.unchecked],
        text=summary.text,
    )


def narrative_findings(
    book: Book, paragraphs: Iterable[object], previous: Book | None = None, profile: Profile | None = None,
    select: Iterable[str] | None = None, ignore: Iterable[str] = (),
) -> tuple[list[Finding], NarrativeReport]:
    """The N-rule findings of a narrative against its book (and last year's book), with the report's summary."""
    from .checks.narrative import check_text

    findings, summary = check_text(book, paragraphs, previous, profile, select, ignore)
    return findings, narrative_report(summary)


def _narrative_or_failure(
    book: Book, paragraphs: Iterable[object], previous: Book | None, profile: Profile | None,
    select: Iterable[str] | None, ignore: Iterable[str],
) -> tuple[list[Finding], NarrativeReport]:
    """`narrative_findings`, or, should the text trip gongkai up, no narrative findings and a report that says so:
    the tables' findings are never lost to a sentence gongkai could not read."""
    try:
        return narrative_findings(book, paragraphs, previous, profile, select, ignore)
    except Exception as exc:  # a bug must not take the table findings with it; the report names it
        return [], NarrativeReport(
            found=0, checked=0, agreeing=0, wrong=0,
            text=f"说明文字未能核对（gongkai 内部错误：{type(exc).__name__}，请把文件发给维护者）",
        )


def check_narrative_file(
    path: str | Path, text: str | Path | None = None, previous: str | Path | None = None, profile: Profile | None = None,
    select: Iterable[str] | None = None, ignore: Iterable[str] = (),
) -> FileResult:
    """`gongkai check DOC [--previous LAST]` / `gongkai check 公开表.xlsx --text 说明.txt`: the tables checked as by
    `check_file`, and the 说明 (the document's own, or ``text``) against them and against last year's ``previous``.
    Never raises for a bad file: the result says which file could not be read."""
    start = time.perf_counter()

    def unreadable(message: str) -> FileResult:
        return FileResult(path=str(path), status="unreadable", error=message, seconds=time.perf_counter() - start)

    try:
        book, paragraphs, document = _read_source(path, profile)
    except ReadError as exc:
        return unreadable(str(exc))
    if book is None:
        return unreadable(NO_TABLE)
    if text is not None:
        try:
            _, paragraphs = read_source(text, profile, tables=False)
        except ReadError as exc:
            return unreadable(f"说明文字 {text}：{exc}")
        if not paragraphs:
            return unreadable(f"说明文字 {text}：没有读出文字")
    elif not paragraphs and book.text:  # a workbook without --text: its own 说明 sheets
        from .checks.narrative import own_text

        paragraphs = own_text(book)
    last = None
    if previous is not None:
        try:
            last, _ = read_source(previous, profile, tables=True)
        except ReadError as exc:
            return unreadable(f"上年文件 {previous}：{exc}")
        if last is None:
            return unreadable(f"上年文件 {previous}：{NO_TABLE}")
    findings = with_formulas(path, book, check_book(book, profile, select, ignore), profile, select, ignore)
    narrative, report = _narrative_or_failure(book, paragraphs, last, profile, select, ignore)
    return FileResult(
        path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=[*findings, *narrative],
        seconds=time.perf_counter() - start, narrative=report,
        locations=locations(document, book, findings) if document is not None else {},
    )


def _identity(book: Book, paragraphs: Sequence[object], path: Path) -> tuple[str, int | None]:
    """(department, year) of a document or workbook: the 部门 its tables print (else the file name without digits)
    and the year its 说明 or its table titles name."""
    import re
    from collections import Counter

    from .core.claims import document_year, number

    depts = Counter(t.department for t in book.tables if t.department)
    dept = depts.most_common(1)[0][0] if depts else re.sub(r"\d+|年|度", "", path.stem)
    year = document_year(number(paragraphs)) if paragraphs else None
    if year is None:
        years = Counter(int(m.group(1)) for t in book.tables for m in [re.search(r"(20\d{2})\s*年", t.title)] if m)
        year = years.most_common(1)[0][0] if years else None
    return dept, year


def check_narrative_years(
    paths: Sequence[str | Path], profile: Profile | None = None, select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> list[FileResult]:
    """`gongkai check FOLDER --previous auto`: every document checked, each against the same department's document
    of the year before when the files include it (paired by the 部门 the tables print and the year)."""
    start = time.perf_counter()
    read: dict[int, tuple[Book | None, list[object], str | None]] = {}
    documents: dict[int, Document] = {}
    keys: dict[tuple[str, int], int] = {}
    for i, path in enumerate(paths):
        try:
            book, paragraphs, document = _read_source(path, profile)
        except ReadError as exc:
            read[i] = (None, [], str(exc))
            continue
        if document is not None:
            documents[i] = document
        read[i] = (book, paragraphs, None if book is not None else NO_TABLE)
        if book is not None:
            dept, year = _identity(book, paragraphs, Path(path))
            if year is not None:
                keys.setdefault((dept, year), i)
    out = []
    for i, path in enumerate(paths):
        book, paragraphs, error = read[i]
        if book is None:
            out.append(FileResult(path=str(path), status="unreadable", error=error, seconds=time.perf_counter() - start))
            continue
        dept, year = _identity(book, paragraphs, Path(path))
        last_i = keys.get((dept, year - 1)) if year is not None else None
        last = read[last_i][0] if last_i is not None else None
        findings = with_formulas(path, book, check_book(book, profile, select, ignore), profile, select, ignore)
        if paragraphs:
            narrative, report = _narrative_or_failure(book, paragraphs, last, profile, select, ignore)
        else:
            narrative, report = [], None
        out.append(FileResult(
            path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=[*findings, *narrative],
            seconds=time.perf_counter() - start, narrative=report,
            locations=locations(documents[i], book, findings) if i in documents else {},
        ))
    return out
