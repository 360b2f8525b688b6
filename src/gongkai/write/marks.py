"""Findings → what to mark inside an open workbook: cell fills, notes, the 校验结果 rows, a summary. Pure.

``xl.py`` applies this plan with xlwings (classic Excel, xlwings Lite, xlwings Server); ``annotate.py`` does the same
job on a copy of a file with openpyxl. Both use the same sheet name, columns, styles and note wording.

Remembering fills. A mark must be removable, restoring the fill the cell had. The plan keeps a record of every
marked cell in a sheet ``_gongkai_marks`` (sheet, cell, original fill, whether gongkai added the note):

* classic Excel can read a cell's fill before marking it: the record holds it (``#RRGGBB``, or "" for no fill);
* xlwings Lite and Server cannot read fills synchronously: the record holds ``?`` (unknown) and clearing the mark
  leaves the cell without fill (in practice what data cells of a 公开表 have).

A cell marked again on a later run keeps its first recorded original, so marks never pile up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..core.findings import Finding, Severity

__all__ = [
    "COLUMNS", "FILL", "MARKS_HEADER", "MARKS_SHEET", "RESULT_SHEET", "UNKNOWN", "CellMark", "Record",
    "cell_marks", "note_text", "parse_records", "record_rows", "results_rows", "summary",
]

RESULT_SHEET = "校验结果"
RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
COLUMNS = ("序号", "级别", "规则", "工作表", "单元格", "说明", "应为", "实为", "差额", "相关单元格")
FILL = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFEB9C"}
"""Fill colours of Excel's built-in "Bad" and "Neutral" cell styles."""
MARKS_SHEET = "_gongkai_marks"
MARKS_HEADER = ("工作表", "单元格", "原填充色", "批注由gongkai添加")
UNKNOWN = "?"
"""Recorded original fill when the client cannot read fills."""
OWN_SHEETS = frozenset({RESULT_SHEET, MARKS_SHEET})
"""Sheets gongkai writes itself: never read as 公开表."""


def location(sheet: str, cell: str) -> str:
    """An in-workbook link target: 'Sheet name'!A1 (quotes doubled as Excel wants)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


@dataclass(frozen=True)
class CellMark:
    """One cell to mark: its worst severity's fill and a note listing every finding there."""

    sheet: str
    cell: str
    severity: Severity
    fill: str
    note: str


@dataclass(frozen=True)
class Record:
    """A marked cell as remembered in ``_gongkai_marks``."""

    sheet: str
    cell: str
    original: str
    """The fill before marking: "#RRGGBB", "" for none, or UNKNOWN."""
    noted: bool
    """gongkai added the cell's note (so it may delete it again)."""


def note_text(findings: Sequence[Finding]) -> str:
    """The note on a marked cell: one line per finding, the worst first (same wording as ``gongkai annotate``)."""
    return "\n".join(f"【{f.severity.label}】{f.rule} {f.message}" for f in ordered(findings))


def cell_marks(findings: Iterable[Finding], sheets: Iterable[str] | None = None) -> list[CellMark]:
    """Cells holding an error or a warning (notes are listed, not marked), in finding order; one mark per cell.
    A finding's ``suspects`` (the cells it names as the cause) are marked with it."""
    known = set(sheets) if sheets is not None else None
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if known is not None and f.sheet not in known:
            continue
        by_cell.setdefault((f.sheet, f.cell.replace("$", "").upper()), []).append(f)
        for where in f.suspects:  # the likely cause is marked too, its note saying what it caused
            sheet, _, cell = where.rpartition("!")
            if known is not None and sheet not in known:
                continue
            group = by_cell.setdefault((sheet, cell.replace("$", "").upper()), [])
            if all(g is not f for g in group):
                group.append(f)
    out = []
    for (sheet, cell), group in by_cell.items():
        worst = min((f.severity for f in group), key=RANK.__getitem__)
        if worst in FILL:
            out.append(CellMark(sheet, cell, worst, FILL[worst], note_text(group)))
    return out


def summary(findings: Sequence[Finding]) -> str:
    """One line for the clerk: how many errors, warnings and notes."""
    n = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    if not findings:
        return "校验完成：未发现问题。"
    head = "校验完成：" + "，".join(f"{s.label} {n[s]} 个" for s in Severity)
    marked = "错误标为红色、警告标为黄色" if n[Severity.ERROR] or n[Severity.WARNING] else "提示不标色"
    return f"{head}。{marked}，详见「{RESULT_SHEET}」表。"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _link(sheet: str, cell: str) -> str:
    target = ("#" + location(sheet, cell)).replace('"', '""')
    return f'=HYPERLINK("{target}","{cell}")'


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings as the 校验结果 sheet lists them: errors first, then warnings, then notes, each in check order."""
    return sorted(findings, key=lambda f: RANK[f.severity])  # stable: check order within a severity


def result_row(n: int, f: Finding, cell: object) -> list[object]:
    """One row of the 校验结果 sheet (columns ``mark.COLUMNS``); ``cell`` is the address or a link to it."""
    return [
        n, f.severity.label, f.rule, f.sheet, cell, f.message,
        _number(f.expected), _number(f.actual), _number(f.difference), " ".join(f.related),
    ]


def results_rows(findings: Sequence[Finding], sheets: Iterable[str] | None = None) -> list[list[object]]:
    """The 校验结果 table: a header row (``mark.COLUMNS``) and one row per finding, errors first.

    The 单元格 column links to the cell with a HYPERLINK formula: every client writes it as a plain value, where
    link actions differ between clients.
    """
    known = set(sheets) if sheets is not None else None
    rows: list[list[object]] = [list(COLUMNS)]
    for n, f in enumerate(ordered(findings), start=1):
        linkable = known is None or f.sheet in known
        rows.append(result_row(n, f, _link(f.sheet, f.cell) if linkable else f.cell))
    return rows


def parse_records(rows: Sequence[Sequence[object]] | None) -> dict[tuple[str, str], Record]:
    """The records kept in ``_gongkai_marks`` (its values from A1), by (sheet, cell); the header row skipped."""
    out: dict[tuple[str, str], Record] = {}
    for row in rows or []:
        cells = ["" if v is None else str(v) for v in (*row, "", "", "", "")[:4]]
        sheet, cell, original, noted = cells
        if not sheet or not cell or (sheet, cell) == MARKS_HEADER[:2]:
            continue
        out[(sheet, cell.upper())] = Record(sheet, cell.upper(), original, noted in ("是", "True", "TRUE", "1"))
    return out


def record_rows(records: Iterable[Record]) -> list[list[object]]:
    """``_gongkai_marks`` values from A1: the header and one row per record."""
    rows: list[list[object]] = [list(MARKS_HEADER)]
    return rows + [[r.sheet, r.cell, r.original, "是" if r.noted else ""] for r in records]
