"""Check results → an .xlsx report a reviewer can filter (openpyxl's write-only mode; written atomically), one
result at a time as a batch finishes them (`XlsxWriter`), or from a list (`write_xlsx`).

Sheets: `文件汇总` (one row per file: status, counts, a link to the file), `问题清单` (one row per finding with an
autofilter and a link to the cell in the source workbook), `按规则` (counts by rule and severity).
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..core.findings import Severity
from ..write.marks import location
from .formats import SEVERITIES, is_document, shown_findings, status_label, table_name

if TYPE_CHECKING:
    from ..pipeline import FileResult
    from .stream import Totals

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


def write_xlsx(results: Iterable[FileResult], target: str | Path, shown: Severity = Severity.NOTE) -> Path:
    """Write the xlsx report of ``results`` to ``target`` atomically (`XlsxWriter`, one result at a time)."""
    from .stream import Totals

    writer, totals = XlsxWriter(target, shown), Totals()
    try:
        for r in results:
            writer.add(r)
            totals.add(r)
        writer.close(totals)
    except BaseException:
        writer.discard()
        raise
    return writer.target


SUMMARY_WIDTHS = (50, 9, 9, 7, 7, 7, 50)
FINDING_WIDTHS = (24, 10, 8, 6, 6, 16, 56, 11, 11, 9, 16, 36)
RULE_COLUMNS = ("规则", "说明", "文件数", "错误", "警告", "提示")
RULE_WIDTHS = (8, 50, 8, 8, 8, 8)


class XlsxWriter:
    """The xlsx report written as results arrive, in openpyxl's write-only mode, so memory does not grow with the
    number of files (issue 18 §5); `add(result)` for each file in input order, then `close(totals)` saves it to
    ``target`` atomically (`discard()` instead when the batch stops early).

    Sheets: `文件汇总` (one row per file: status, counts, a link to the file), `问题清单` (one row per finding at or
    above ``shown`` with an autofilter and a link to the cell in the source workbook), `按规则` (counts by rule and
    severity over all findings, kept as counters; a file named twice in a batch counts twice). Links are relative
    to ``target``'s folder. Each sheet prints landscape, one page wide, its header row on every page
    (`write.workbook.printable`, row by row), and the workbook is marked as gongkai's report (`own_output`).

    A write-only sheet streams its rows to a temporary file but keeps every hyperlink (and its relationship) in
    memory until it is saved; here each sheet's links go to temporary files instead and are copied into the
    sheet and its relationships part when the workbook is saved (`_Sheet`, `_save`).
    """

    def __init__(self, target: str | Path, shown: Severity = Severity.NOTE) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        self.target, self.shown = Path(target), shown
        link = Font(color="FF0563C1", underline="single")
        fills = {s: PatternFill("solid", fgColor=c) for s, c in FILL.items()}
        self.file: Styles = {1: (link, None, None)}
        self.failing_file: Styles = {**self.file, 2: (None, fills[Severity.ERROR], None)}
        amount = (None, None, "#,##0.00")
        self.finding: dict[tuple[Severity, bool], Styles] = {
            (s, linked): {1: (link, None, None), 5: (None, fills[s], None), 8: amount, 9: amount, 10: amount}
            | ({3: (link, None, None)} if linked else {})
            for s in fills for linked in (False, True)
        }
        """问题清单: 文件 and 单元格 (when it links) as links, 级别 filled, 应为/实为/差额 as amounts."""
        self.wb = Workbook(write_only=True)
        self.targets: dict[str, str] = {}
        self.by_rule: dict[str, Counter[Severity]] = {}
        self.rule_files: Counter[str] = Counter()
        self.sheets: list[_Sheet] = []
        try:
            self.files = self._sheet("文件汇总", SUMMARY_COLUMNS, SUMMARY_WIDTHS, ("A", "G"))
            self.found = self._sheet("问题清单", FINDING_COLUMNS, FINDING_WIDTHS, ("A", "F", "G", "K", "L"))
            self.rules = self._sheet("按规则", RULE_COLUMNS, RULE_WIDTHS, ("B",))
        except BaseException:
            self.discard()
            raise

    def _sheet(self, title: str, columns: Sequence[str], widths: Sequence[float], wrap: Sequence[str]) -> _Sheet:
        sheet = _Sheet(self.wb, title, widths, wrap)
        self.sheets.append(sheet)
        sheet.head(columns)
        return sheet

    def _target(self, path: str) -> str:
        """`link_target`, remembered for the file's rows on both sheets (only the last file's)."""
        if path not in self.targets:
            self.targets = {path: link_target(path, self.target)}
        return self.targets[path]

    def add(self, r: FileResult) -> None:
        target = self._target(r.path)
        failing = r.status != "ok" or bool(r.errors)
        self.files.append(
            [r.path, status_label(r), len(r.tables), *(r.count(s) for s in SEVERITIES), r.error or ""],
            links={1: (target, None)}, styles=self.failing_file if failing else self.file,
        )
        document = is_document(r)
        for f in shown_findings(r, self.shown):
            loc = r.location(f)
            links: dict[int, tuple[str, str | None]] = {1: (target, None)}
            if f.sheet != "说明" and not document:  # a 说明 paragraph or a PDF page: no cell to jump to
                links[3] = (target, location(f.sheet, f.cell))
            self.found.append(
                [
                    r.path, f.sheet, f.cell, f.rule, f.severity.label, table_name(f.table) if f.table else "", f.message,
                    f.expected, f.actual, f.difference, " ".join(f.related), loc.text if loc else "",
                ],
                links=links, styles=self.finding[f.severity, 3 in links],
            )
        for f in r.findings:
            self.by_rule.setdefault(f.rule, Counter())[f.severity] += 1
        self.rule_files.update({f.rule for f in r.findings})

    def close(self, totals: Totals) -> None:
        """Write the totals and the 按规则 sheet and save the report to ``target`` (atomically)."""
        from .. import checks
        from ..write.annotate import REPORT, own_output
        from ..write.atomic import atomic_path

        try:
            self.files.filter()
            self.files.append([])
            self.files.append([totals.total_text()])
            self.found.filter()
            for rid in sorted(self.by_rule):
                rule = checks.RULES.get(rid)
                self.rules.append([rid, rule.title if rule else "", self.rule_files[rid], *(self.by_rule[rid][s] for s in SEVERITIES)])
            self.rules.filter()
            own_output(self.wb, REPORT)
            with atomic_path(self.target) as tmp:
                _save(self.wb, tmp, self.sheets)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary files (also when the batch stops early)."""
        for sheet in self.sheets:
            sheet.discard()


PLAIN = (None, None, None)
Styles = Mapping[int, tuple[Any, Any, str | None]]
"""A row's cell styles: column (from 1) → (font, fill, number format), each None for the default."""
NONE: Mapping[int, Any] = MappingProxyType({})


class _Sheet:
    """One write-only sheet of the report, its rows laid out as `printable` lays out a finished sheet; its
    hyperlinks kept in temporary files (`links`: one JSON line per link; `rels`: its relationships' XML)."""

    def __init__(self, wb: Any, title: str, widths: Sequence[float], wrap: Sequence[str]) -> None:
        import tempfile

        from openpyxl.utils import get_column_letter

        from ..write.workbook import print_setup

        self.ws = ws = wb.create_sheet(title)
        self.widths = {get_column_letter(i): w for i, w in enumerate(widths, start=1)}
        self.letters = tuple(self.widths)
        self.wrap = tuple(wrap)
        self.columns = len(widths)
        for letter, w in self.widths.items():  # written with the sheet's first row: set before it
            ws.column_dimensions[letter].width = w
        ws.freeze_panes = "A2"
        print_setup(ws)
        self.rows = 0
        self.links = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="gongkai-links-")  # noqa: SIM115 (discard)
        self.rels = tempfile.TemporaryFile("w+b", prefix="gongkai-rels-")  # noqa: SIM115 (closed by discard)
        self.link_count = 0
        self.styles: dict[tuple[int, int, str | None, bool | None], tuple[Any, Any, Any]] = {}

    def head(self, columns: Sequence[str]) -> None:
        from openpyxl.styles import Font, PatternFill

        style = (Font(bold=True), PatternFill("solid", fgColor="FFF2F2F2"), None)
        self.append(list(columns), styles=dict.fromkeys(range(1, len(columns) + 1), style))
        self.ws._writer.write_hyperlinks = self._write_links  # the sheet's writer exists once a row is written

    def append(self, values: Sequence[Any], *, links: Mapping[int, tuple[str, str | None]] = NONE, styles: Styles = NONE) -> None:
        """Append a row: each value with its column's style and link (target, location in it), aligned and the
        row sized as `printable` does (`top_aligned`, `row_height`)."""
        from openpyxl.cell import WriteOnlyCell

        from ..write.workbook import row_height

        self.rows += 1
        cells: list[Any] = []
        for i, value in enumerate(values, start=1):
            font, fill, fmt = styles.get(i, PLAIN)
            wrapped = None if value is None else self.letters[i - 1] in self.wrap
            if font is None and fill is None and fmt is None and wrapped is None:
                cells.append(value)  # a plain value: openpyxl makes the cell
                continue
            cell = WriteOnlyCell(self.ws, value)
            cell._style = self._style(font, fill, fmt, wrapped)
            cells.append(cell)
        for i, (target, where) in links.items():
            self.links.write(json.dumps([f"{self.letters[i - 1]}{self.rows}", target, where], ensure_ascii=False) + "\n")
        height = row_height(((self.letters[i], v) for i, v in enumerate(values)), self.widths, self.wrap)
        if height is not None:
            self.ws.row_dimensions[self.rows].height = height  # read when the row is written
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.rows, None)

    def _style(self, font: Any, fill: Any, fmt: str | None, wrapped: bool | None) -> Any:
        """The style array of a cell with this font, fill and number format, top-aligned (and wrapped) when it
        has a value: made once by openpyxl's style setters, then shared by every such cell (openpyxl only reads it
        when the row is written)."""
        key = (id(font), id(fill), fmt, wrapped)
        if key not in self.styles:
            from openpyxl.cell import WriteOnlyCell

            from ..write.workbook import top_aligned

            cell = WriteOnlyCell(self.ws)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if fmt is not None:
                cell.number_format = fmt
            if wrapped is not None:
                cell.alignment = top_aligned(cell.alignment, wrapped)
            self.styles[key] = (cell._style, font, fill)  # the font and fill kept: their ids stay theirs
        return self.styles[key][0]

    def filter(self) -> None:
        from openpyxl.utils import get_column_letter

        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.rows, 2)}"

    def _write_links(self) -> None:
        """In place of openpyxl's `WorksheetWriter.write_hyperlinks`: the sheet's <hyperlinks>, one link at a time
        from the temporary file, each external target's relationship written to `rels` (rId1, rId2 … as openpyxl
        numbers them; the report's sheets have no other relationships)."""
        from openpyxl.packaging.relationship import Relationship
        from openpyxl.worksheet.hyperlink import Hyperlink
        from openpyxl.xml.functions import tostring

        self.links.seek(0)
        first = self.links.readline()
        if not first:
            return
        writer = self.ws._writer
        xf = writer.xf.send(True)
        with xf.element("hyperlinks"):
            for line in itertools.chain([first], self.links):
                ref, target, where = json.loads(line)
                link = Hyperlink(ref=ref, location=where)
                if target:
                    self.link_count += 1
                    link.id = f"rId{self.link_count}"
                    rel = Relationship(type="hyperlink", TargetMode="External", Target=target, Id=link.id)
                    self.rels.write(tostring(rel.to_tree()))
                xf.write(link.to_tree())
        writer.xf.send(None)

    def write_rels(self, archive: Any) -> None:
        """The sheet's relationships part (its links' targets), copied from `rels`."""
        import shutil

        from openpyxl.packaging.relationship import get_rels_path

        if not self.link_count:
            return
        self.rels.seek(0)
        with archive.open(get_rels_path(self.ws.path)[1:], "w") as out:
            out.write(b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')
            shutil.copyfileobj(self.rels, out)
            out.write(b"</Relationships>")

    def discard(self) -> None:
        """Close and remove the temporary files: the links' and, when the sheet was not saved, openpyxl's."""
        import contextlib

        self.links.close()
        self.rels.close()
        ws = self.ws
        writer = ws._writer
        if writer is None or ws.closed:
            return
        with contextlib.suppress(Exception):
            if ws._rows is not None:
                ws._rows.close()
            writer.close()
        with contextlib.suppress(Exception):
            os.remove(writer.out)


def _save(wb: Any, path: Path, sheets: Sequence[_Sheet]) -> None:
    """`openpyxl.writer.excel.save_workbook`, each report sheet's relationships part written by `_Sheet.write_rels`
    (openpyxl writes the sheets' relationships it keeps in memory: none here)."""
    import datetime as dt
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    by_sheet = {id(s.ws): s for s in sheets}

    class Writer(ExcelWriter):  # type: ignore[misc]
        def write_worksheet(self, ws: Any) -> None:
            super().write_worksheet(ws)
            by_sheet[id(ws)].write_rels(self._archive)

    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        Writer(wb, archive).write_data()
