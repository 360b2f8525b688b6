"""report/xlsx_report.py: the xlsx report written as results arrive (`XlsxWriter`, openpyxl's write-only mode) is
the report openpyxl built in memory from the whole list (`render_xlsx` before issue 18 §5): every cell's value,
fill, font, alignment, number format and link (with the in-file location), row heights, column widths, frozen
panes, print setup and titles, footer and autofilter, and the mark that makes gongkai skip its own report.

`GOLDEN` holds what `render_xlsx` wrote for the synthetic results; commit ee28e69 also compared the two on real
results (a workbook with errors, a PDF document's located findings, an unreadable file) before it was removed."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from gongkai.cli.check import own_output
from gongkai.core.findings import Finding, Severity
from gongkai.pipeline import FileResult, Location, TableInfo, check_file
from gongkai.report.formats import is_document, shown_findings
from gongkai.report.stream import Totals
from gongkai.report.xlsx_report import FINDING_WIDTHS, XlsxWriter, link_target, write_xlsx
from gongkai.write.marks import location
from gongkai.write.workbook import row_height

EXAMPLES = Path(__file__).parents[1] / "workbooks" / "examples"
DOCUMENTS = Path(__file__).parent / "realdata" / "documents"
TABLE = TableInfo(
    id="budget.expenditure", title="部门支出总表", sheet="表1-2", header_rows=(4, 5), first_row=6, last_row=7,
    data_rows=2, columns={"合计": "E"}, unmapped=(),
)


def finding(cell: str, severity: Severity, message: str, rule: str = "T901", sheet: str = "表1-2", **kw: Any) -> Finding:
    return Finding(rule=rule, severity=severity, table=kw.pop("table", "budget.expenditure"), sheet=sheet, cell=cell, message=message, **kw)


LONG = "「全部门」一般公共预算拨款基本支出 5,952.47 ≠ 一般公共预算基本支出预算表「全部门」合计 5,450.25（相差 502.22）" * 2
SYNTHETIC = [
    FileResult(path="部门A/预算.xlsx", tables=[TABLE], findings=[
        finding("E6", Severity.ERROR, "合计 <11> & 10", related=("表1-2!F6", "表1-2!G6"), expected=Decimal("10.00"), actual=Decimal("11.00")),
        finding("G7", Severity.WARNING, "数字存为文本", rule="T902"),
        finding("E7", Severity.NOTE, "舍位差 0.01", expected=Decimal("1E+1"), actual=Decimal("10.01")),
        finding("A1", Severity.ERROR, LONG + "\n第二行", rule="T903", sheet="O'Brien 表", table=None),
        finding("B3", Severity.WARNING, "说明里的数字与表不符", rule="N001", sheet="说明", table=None),
    ]),
    FileResult(path="部门B/预算.xlsx", tables=[TABLE]),
    FileResult(path="坏.xlsx", status="unreadable", error="文件已损坏：" + LONG),
    FileResult(path="部门C/决算.pdf", tables=[TABLE], findings=[
        finding("E6", Severity.ERROR, "行合计不等", expected=Decimal("3"), actual=Decimal("4")),
        finding("H9", Severity.NOTE, "舍位差", expected=Decimal("1.00"), actual=Decimal("1.01")),
    ], locations={
        "表1-2!E6": Location(page=12, table=3, title="部门支出总表", row="行政运行", column="项目支出", text="第12页「部门支出总表」 行政运行 / 项目支出"),
    }),
    FileResult(path="部门D/预算.xlsx", tables=[TABLE], findings=[finding("C8", Severity.NOTE, "只有提示")]),
]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> list[FileResult]:
    """Real results: a workbook with errors, a PDF document's located findings, a file that is no workbook."""
    broken = tmp_path_factory.mktemp("real") / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    out = [
        check_file(EXAMPLES / "budget-example-errors.xlsx"),
        check_file(DOCUMENTS / "sh-putuo-czj-2024-final-SEEDED.pdf"),
        check_file(EXAMPLES / "budget-example.xlsx"),
        check_file(broken),
    ]
    assert out[1].locations and any(f.severity == Severity.NOTE for r in out for f in r.findings)
    assert out[-1].status == "unreadable"
    return out


def _style(c: Any) -> tuple[Any, ...]:
    f, fill, a = c.font, c.fill, c.alignment
    colour = f.color.rgb if f.color is not None and f.color.type == "rgb" else None
    return (
        (f.b, f.i, f.u, colour, f.sz, f.name), (fill.fill_type, fill.fgColor.rgb if fill.fill_type else None),
        (a.horizontal, a.vertical, a.wrap_text), c.number_format,
    )


def fingerprint(path: Path) -> dict[str, Any]:
    """What a reader of the report sees, as openpyxl loads it."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "props": sorted((p.name, p.value) for p in wb.custom_doc_props.props)}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style and c.hyperlink is None:
                    continue
                link = (c.hyperlink.target, c.hyperlink.location) if c.hyperlink is not None else None
                cells[c.coordinate] = (repr(c.value), _style(c), link)
        page, margins = ws.page_setup, ws.page_margins
        out[ws.title] = {
            "cells": cells,
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            "freeze": ws.freeze_panes,
            "page": (page.orientation, page.paperSize, page.fitToWidth, page.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage),
            "margins": (margins.left, margins.right, margins.top, margins.bottom),
            "gridlines": ws.print_options.gridLines,
            "titles": ws.print_title_rows,
            "footer": ws.oddFooter.center.text,
            "filter": ws.auto_filter.ref,
            "selected": ws.sheet_view.tabSelected,
        }
    return out


GOLDEN = Path(__file__).parent / "report" / "xlsx_report.json"
"""`fingerprint` of the synthetic results' report for each ``shown`` (and of an empty batch's), as `render_xlsx`
built it in memory before the report was streamed; rewritten by ``.venv/bin/python tests/test_report_xlsx.py``
when a change to the report is meant."""
CASES = {"notes": (SYNTHETIC, Severity.NOTE), "warnings": (SYNTHETIC, Severity.WARNING), "empty": ([], Severity.NOTE)}


def reports(folder: Path, write: Any) -> dict[str, Any]:
    """Each case's report, written by ``write(results, target, shown)`` in ``folder`` (the results' paths are
    relative to it), as JSON sees it."""
    out = {}
    for case, (results, shown) in CASES.items():
        target = folder / "报告" / f"{case}.xlsx"
        write(results, target, shown)
        out[case] = json.loads(json.dumps(fingerprint(target), ensure_ascii=False))
    return out


def test_the_streamed_report_is_the_in_memory_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    assert reports(tmp_path, write_xlsx) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_report_links_sizes_and_marks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = write_xlsx(SYNTHETIC, tmp_path / "out" / "report.xlsx", Severity.WARNING)

    assert own_output(report) == "校验报告"
    wb = openpyxl.load_workbook(report)
    files, found = wb["文件汇总"], wb["问题清单"]
    assert [c.value for c in files["A"]][1:] == [r.path for r in SYNTHETIC] + [None, "共检查 5 个文件：2 个有错误，1 个无法读取；合计 3 个错误、2 个警告、3 个提示"]
    assert files["B4"].fill.fgColor.rgb == "FFFFC7CE" and files["B3"].fill.fill_type is None
    assert files.row_dimensions[4].height == row_height([("G", SYNTHETIC[2].error)], {"G": 50}, ("G",)) > 15
    assert files.auto_filter.ref == "A1:G6" and found.auto_filter.ref == "A1:L6"
    rows = {(r[0].value, r[2].value): r for r in found.iter_rows(min_row=2)}
    assert set(rows) == {("部门A/预算.xlsx", "E6"), ("部门A/预算.xlsx", "G7"), ("部门A/预算.xlsx", "A1"), ("部门A/预算.xlsx", "B3"), ("部门C/决算.pdf", "E6")}
    quoted = rows["部门A/预算.xlsx", "A1"]
    assert (quoted[2].hyperlink.target, quoted[2].hyperlink.location) == ("../部门A/预算.xlsx", "'O''Brien 表'!A1")
    height = found.row_dimensions[quoted[0].row].height
    assert height == row_height([("G", LONG + "\n第二行")], {"G": 56}, ("G",)) >= 15 * 3 + 2  # wrapped, and its second line
    assert quoted[6].alignment.wrap_text and quoted[6].alignment.vertical == "top" and not quoted[3].alignment.wrap_text
    assert rows["部门A/预算.xlsx", "B3"][2].hyperlink is None  # a 说明 paragraph: no cell to jump to
    pdf = rows["部门C/决算.pdf", "E6"]
    assert pdf[2].hyperlink is None and pdf[0].hyperlink.target == "../部门C/决算.pdf"
    assert pdf[11].value == "第12页「部门支出总表」 行政运行 / 项目支出"
    assert [pdf[i].value for i in (7, 8, 9)] == [3, 4, 1] and pdf[7].number_format == "#,##0.00"
    assert [r for r in wb["按规则"].iter_rows(min_row=2, values_only=True)] == [
        ("N001", None, 1, 0, 1, 0), ("T901", None, 3, 2, 0, 3), ("T902", None, 1, 0, 1, 0), ("T903", None, 1, 1, 0, 0),
    ]  # every finding counted, also the notes not listed
    with zipfile.ZipFile(report) as zf:
        rels = zf.read("xl/worksheets/_rels/sheet2.xml.rels").decode()
    assert rels.count("<Relationship ") == 4 + 3 + 1  # 文件 of each finding, 单元格 of those not on 说明, the PDF's 文件
    assert [f"rId{n}" for n in range(1, 9)] == re.findall(r'Id="(rId\d+)"', rels)


def test_real_results_each_finding_one_row(tmp_path: Path, real: list[FileResult]) -> None:
    report = write_xlsx(real, tmp_path / "report.xlsx", Severity.NOTE)

    found = openpyxl.load_workbook(report)["问题清单"]
    rows = list(found.iter_rows(min_row=2))
    listed = [(r, f) for r in real for f in shown_findings(r, Severity.NOTE)]
    assert len(rows) == len(listed) > 20
    widths = {get_column_letter(i): w for i, w in enumerate(FINDING_WIDTHS, start=1)}
    located = tall = 0
    for row, (r, f) in zip(rows, listed, strict=True):
        assert [row[0].value, row[1].value, row[2].value, row[3].value, row[6].value] == [r.path, f.sheet, f.cell, f.rule, f.message]
        place = r.location(f)
        assert row[11].value == (place.text if place else None)
        located += place is not None
        if is_document(r) or f.sheet == "说明":
            assert row[2].hyperlink is None
        else:
            assert (row[2].hyperlink.target, row[2].hyperlink.location) == (link_target(r.path, report), location(f.sheet, f.cell))
        height = row_height(((c.column_letter, c.value) for c in row), widths, ("A", "F", "G", "K", "L"))
        assert found.row_dimensions[row[0].row].height == height
        tall += height is not None
    assert located and tall


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    before = set(ALL_TEMP_FILES)
    writer = XlsxWriter(tmp_path / "a.xlsx")
    writer.add(SYNTHETIC[0])
    writer.close(Totals())
    stopped = XlsxWriter(tmp_path / "b.xlsx")  # a batch stopped early
    stopped.add(SYNTHETIC[0])
    stopped.discard()

    assert not [p for p in set(ALL_TEMP_FILES) - before if Path(p).exists()]
    assert (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]  # nothing half-written beside it


if __name__ == "__main__":
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(reports(Path(folder), write_xlsx), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
