"""Findings → an annotated COPY of the workbook (openpyxl). The source file is never written.

Every cell with an error gets Excel's built-in "Bad" cell style (fill FFC7CE, font 9C0006), a cell with only
warnings "Neutral" (FFEB9C / 9C5700); each marked cell gets a note listing its messages, and a `校验结果` sheet
lists every finding with a link to its cell. Number formats, borders and alignment of marked cells are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from ..core.findings import Finding, Severity
from .atomic import atomic_path
from .marks import COLUMNS, RESULT_SHEET, location
from .workbook import cached_formula_values, printable, restore_dropped

STYLE = {Severity.ERROR: "Bad", Severity.WARNING: "Neutral"}
"""Excel's built-in cell styles (names as Excel stores them, whatever the UI language)."""
MARKABLE = (".xlsx", ".xlsm")


class MarkError(Exception):
    """The workbook cannot be annotated (not .xlsx, or the target is the source); the message is Chinese."""


def same_file(a: str | Path, b: str | Path) -> bool:
    a, b = Path(a), Path(b)
    if a.exists() and b.exists():
        return a.samefile(b)
    return a.resolve() == b.resolve()


def _style_builtin(wb: Any, name: str) -> Any:
    """A private copy of a built-in named style for this workbook (the module-level ones are shared)."""
    from openpyxl.styles import Font
    from openpyxl.styles.builtins import styles

    if name in wb.named_styles:
        return name
    style = copy(styles[name])
    if name == "Neutral":  # openpyxl carries Excel 2007's 9C6500; current Excel's Neutral font is 9C5700
        f = style.font
        style.font = Font(name=f.name, family=f.family, sz=f.sz, scheme=f.scheme, color="FF9C5700")
    wb.add_named_style(style)
    return name


def _anchor(ws: Any, ref: str) -> Any:
    """The writable cell for an address: the top-left cell of a merged range that covers it."""
    from openpyxl.cell.cell import MergedCell

    cell = ws[ref]
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if ref in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return cell


def _paint(wb: Any, cell: Any, severity: Severity) -> None:
    """Apply the named style, keeping the cell's number format, border, alignment, protection and boldness."""
    from openpyxl.styles import Font

    keep = (copy(cell.border), cell.number_format, copy(cell.alignment), copy(cell.protection), cell.font.b)
    cell.style = _style_builtin(wb, STYLE[severity])
    cell.border, cell.number_format, cell.alignment, cell.protection = keep[:4]
    if keep[4]:
        f = cell.font
        cell.font = Font(name=f.name, size=f.size, color=f.color, bold=True)


def mark_cells(wb: Any, findings: Iterable[Finding]) -> int:
    """Colour and comment every cell with an error or warning; returns the number of cells marked.

    Which cells and what their notes say comes from `marks.cell_marks`, shared with the Excel add-in; a note
    already on the cell is kept above ours.
    """
    from openpyxl.comments import Comment

    from .marks import cell_marks

    marked = 0
    for m in cell_marks(findings, wb.sheetnames):
        try:
            cell = _anchor(wb[m.sheet], m.cell)
        except (ValueError, KeyError):
            continue  # not a cell address
        _paint(wb, cell, m.severity)
        previous = cell.comment.text.strip() if cell.comment is not None else ""
        comment = Comment(f"{previous}\n---\n{m.note}" if previous else m.note, "gongkai")
        comment.width, comment.height = 320, 40 + 36 * (m.note.count("\n") + 1)
        cell.comment = comment
        marked += 1
    return marked


def _free_name(wb: Any, name: str) -> str:
    taken = set(wb.sheetnames)
    n = 2
    candidate = name
    while candidate in taken:
        candidate = f"{name}({n})"
        n += 1
    return candidate


def results_sheet(wb: Any, findings: Sequence[Finding]) -> Any:
    """A sheet (first, active) listing the findings, each with a link to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from .marks import ordered, result_row

    ws = wb.create_sheet(_free_name(wb, RESULT_SHEET), 0)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    wb.active = 0
    ws.sheet_view.tabSelected = True
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2F2F2")
    for n, f in enumerate(ordered(findings), start=1):
        ws.append(result_row(n, f, f.cell))
        row = ws.max_row
        if f.sheet in wb.sheetnames:
            link = ws.cell(row, 5)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=location(f.sheet, f.cell))
            link.style = _style_builtin(wb, "Hyperlink")
        severity = ws.cell(row, 2)
        if f.severity in STYLE:
            severity.style = _style_builtin(wb, STYLE[f.severity])
        for c in (7, 8, 9):
            ws.cell(row, c).number_format = "#,##0.00"
        ws.cell(row, 6).alignment = Alignment(wrap_text=True, vertical="top")
    if not findings:
        ws.append(["", "", "", "", "", "未发现问题"])
    widths = {"A": 6, "B": 6, "C": 7, "D": 12, "E": 8, "F": 60, "G": 11, "H": 11, "I": 10, "J": 20}
    printable(ws, widths, wrap=("D", "F", "J"))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:J{max(ws.max_row, 2)}"
    return ws


def annotate(source: str | Path, findings: Sequence[Finding], target: str | Path) -> Path:
    """Write an annotated copy of ``source`` to ``target`` (atomically); the source is never modified.

    Raises MarkError when ``target`` is ``source`` or the source is not an .xlsx/.xlsm workbook.
    """
    from openpyxl import load_workbook

    source, target = Path(source), Path(target)
    if same_file(source, target):
        raise MarkError(f"输出文件不能是原文件：{target}")
    if source.suffix.lower() in (".pdf", ".docx"):
        raise MarkError("PDF/Word 公开文件不能标注；可先用 gongkai export 文件 --mode clean -o 工作簿.xlsx 转为工作簿再检查和标注")
    if source.suffix.lower() not in MARKABLE:
        raise MarkError(f"只能标注 .xlsx/.xlsm 工作簿（{source.suffix or '无扩展名'} 请先在 Excel 中另存为 .xlsx）")
    keep_vba = source.suffix.lower() == ".xlsm" and target.suffix.lower() == ".xlsm"
    try:
        cached = cached_formula_values(source)
        wb = load_workbook(source, keep_vba=keep_vba, rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise MarkError(f"无法用 openpyxl 打开工作簿以标注：{type(exc).__name__}: {str(exc)[:200]}") from None
    mark_cells(wb, findings)
    results_sheet(wb, findings)
    own_output(wb, ANNOTATED)
    with atomic_path(target) as tmp:
        wb.save(tmp)
        restore_dropped(tmp, cached)  # openpyxl drops every formula's cached result and some spaces
    return target


OWN_PROPERTY = "gongkai"
"""A custom document property on every workbook gongkai writes as an output (annotated copy, xlsx report)."""
ANNOTATED, REPORT = "annotated", "report"


def own_output(wb: Any, kind: str) -> None:
    """Label a workbook as gongkai's own output (kept by Excel on save), so a later folder check skips it."""
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    for prop in list(props.props):
        if prop.name == OWN_PROPERTY:
            props.props.remove(prop)
    props.append(StringProperty(name=OWN_PROPERTY, value=kind))
