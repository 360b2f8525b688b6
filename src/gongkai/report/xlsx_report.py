"""Check results → an .xlsx report a reviewer can filter (openpyxl; written atomically).

Sheets: `文件汇总` (one row per file: status, counts, a link to the file), `问题清单` (one row per finding with an
autofilter and a link to the cell in the source workbook), `按规则` (counts by rule and severity).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.findings import Severity
from ..write.marks import location
from ..write.workbook import printable, save
from .formats import SEVERITIES, is_document, shown_findings, status_label, table_name, total_text

if TYPE_CHECKING:
    from ..pipeline import FileResult

SUMMARY_COLUMNS = ("文件", "状态", "识别的表", "错误", "警告", "提示", "说明")
FINDING_COLUMNS = ("文件", "工作表", "单元格", "规则", "级别", "表", "说明", "应为", "实为", "差额", "相关单元格", "位置")
"""位置: where a published document (PDF, Word) prints the finding (`第12页「…」 行政运行 / 项目支出`); empty for a workbook."""
FILL = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFEB9C", Severity.NOTE: "FFDDEBF7"}


def link_target(source: str, report: Path) -> str:
    """A link from the report to a source file: relative when they share a drive, so a copied folder still works."""
    try:
        return os.path.relpath(Path(source).resolve(), report.resolve().parent)
    except ValueError:  # another drive (Windows)
        return Path(source).resolve().as_uri()


def _head(ws: Any, columns: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2F2F2")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def _filter(ws: Any, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(ws.max_row, 2)}"


def render_xlsx(results: Sequence[FileResult], report: Path, shown: Severity = Severity.NOTE) -> Any:
    """The report workbook (not saved); links are made relative to ``report``'s folder. Findings below ``shown``
    are counted, not listed; each sheet prints landscape, one page wide, its header row on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    link_font = Font(color="FF0563C1", underline="single")
    fills = {s: PatternFill("solid", fgColor=c) for s, c in FILL.items()}
    wb = Workbook()
    ws = wb.active
    ws.title = "文件汇总"
    _head(ws, SUMMARY_COLUMNS, (50, 9, 9, 7, 7, 7, 50))
    for r in results:
        ws.append([r.path, status_label(r), len(r.tables), *(r.count(s) for s in SEVERITIES), r.error or ""])
        cell = ws.cell(ws.max_row, 1)
        cell.hyperlink = link_target(r.path, report)
        cell.font = link_font
        if r.status != "ok" or r.errors:
            ws.cell(ws.max_row, 2).fill = fills[Severity.ERROR]
    _filter(ws, len(SUMMARY_COLUMNS))
    ws.append([])
    ws.append([total_text(results)])
    printable(ws, {"A": 50, "B": 9, "C": 9, "D": 7, "E": 7, "F": 7, "G": 50}, wrap=("A", "G"))

    ws = wb.create_sheet("问题清单")
    widths = (24, 10, 8, 6, 6, 16, 56, 11, 11, 9, 16, 36)
    _head(ws, FINDING_COLUMNS, widths)
    for r in results:
        target = link_target(r.path, report)
        for f in shown_findings(r, shown):
            ws.append([
                r.path, f.sheet, f.cell, f.rule, f.severity.label, table_name(f.table) if f.table else "", f.message,
                f.expected, f.actual, f.difference, " ".join(f.related), loc.text if (loc := r.location(f)) else "",
            ])
            row = ws.max_row
            ws.cell(row, 1).hyperlink = target
            ws.cell(row, 1).font = link_font
            cell = ws.cell(row, 3)
            if f.sheet != "说明" and not is_document(r):  # a 说明 paragraph or a PDF page: no cell to jump to
                cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=location(f.sheet, f.cell))
                cell.font = link_font
            ws.cell(row, 5).fill = fills[f.severity]
            for c in (8, 9, 10):
                ws.cell(row, c).number_format = "#,##0.00"
    _filter(ws, len(FINDING_COLUMNS))
    printable(ws, {get_column_letter(i): w for i, w in enumerate(widths, start=1)}, wrap=("A", "F", "G", "K", "L"))

    ws = wb.create_sheet("按规则")
    _head(ws, ("规则", "说明", "文件数", "错误", "警告", "提示"), (8, 50, 8, 8, 8, 8))
    from .. import checks

    by_rule: dict[str, Counter[Severity]] = {}
    files: dict[str, set[str]] = {}
    for r in results:
        for f in r.findings:
            by_rule.setdefault(f.rule, Counter())[f.severity] += 1
            files.setdefault(f.rule, set()).add(r.path)
    for rid in sorted(by_rule):
        rule = checks.RULES.get(rid)
        ws.append([rid, rule.title if rule else "", len(files[rid]), *(by_rule[rid][s] for s in SEVERITIES)])
    _filter(ws, 6)
    printable(ws, {"A": 8, "B": 50, "C": 8, "D": 8, "E": 8, "F": 8}, wrap=("B",))
    from ..write.annotate import REPORT, own_output

    own_output(wb, REPORT)
    return wb


def write_xlsx(results: Sequence[FileResult], target: str | Path, shown: Severity = Severity.NOTE) -> Path:
    """Write the xlsx report to ``target`` atomically."""
    target = Path(target)
    return save(render_xlsx(results, target, shown), target)
