"""On paper (issue 19 §5): the xlsx report and the 校验结果 sheet print landscape, one page wide, with the header row
repeated. Rendered by LibreOffice to PDF; the page count and every page's size are asserted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from gongkai.pipeline import check_file
from gongkai.report.xlsx_report import write_xlsx
from gongkai.write.annotate import results_sheet
from recalc import converted

EXAMPLES = Path(__file__).parents[1] / "workbooks" / "examples"
A4_LANDSCAPE = (842, 595)  # points


def pdf(path: Path, tmp: Path) -> list[tuple[int, int]]:
    """Convert a workbook to PDF with LibreOffice; return each page's (width, height) in points."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    (printed,) = converted([path], tmp / "pdf", tmp / "profile", "pdf")
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(printed)], capture_output=True, text=True, check=True).stdout
    return [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def test_the_xlsx_report_prints_one_page_wide_per_sheet(tmp_path: Path) -> None:
    result = check_file(EXAMPLES / "budget-example-errors.xlsx")
    assert len(result.findings) >= 10
    report = write_xlsx([result], tmp_path / "报告.xlsx")

    pages = pdf(report, tmp_path)

    assert pages == [A4_LANDSCAPE] * 3  # 文件汇总, 问题清单, 按规则: one landscape page each
    ws = openpyxl.load_workbook(report)["问题清单"]
    assert ws.print_title_rows == "$1:$1"
    assert ws["G2"].alignment.wrap_text


def test_the_results_sheet_prints_one_page_wide(tmp_path: Path) -> None:
    findings = check_file(EXAMPLES / "budget-example-errors.xlsx").findings
    wb = openpyxl.Workbook()
    results_sheet(wb, findings)
    wb.remove(wb["Sheet"])
    path = tmp_path / "校验结果.xlsx"
    wb.save(path)

    pages = pdf(path, tmp_path)

    assert pages == [A4_LANDSCAPE]  # was four pages wide, messages clipped
    ws = openpyxl.load_workbook(path)["校验结果"]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    long = max(range(2, ws.max_row + 1), key=lambda r: len(str(ws.cell(r, 6).value)))
    assert ws.cell(long, 6).alignment.wrap_text and ws.row_dimensions[long].height > 15


def test_filled_header_rows_are_tall_enough_for_their_wrapped_text(tmp_path: Path) -> None:
    """Header text never spills into the data rows: each header row is sized for its longest wrapped header."""
    from gongkai.cli import main

    out = tmp_path / "filled.xlsx"
    assert main(["fill", str(EXAMPLES / "line-items.xlsx"), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["表1-1"]
    header = [c for row in ws.iter_rows(min_row=4, max_row=5) for c in row if isinstance(c.value, str)]
    long = next(c for c in header if c.value == "一般公共预算拨款收入")  # 20 columns of text in a 12-wide column
    heights = [ws.row_dimensions[r].height or 15 for r in (4, 5)]
    assert sum(heights) >= 2 * 15 + 6, (long.coordinate, heights)

    pages = pdf(out, tmp_path)
    # 填表说明 (portrait), then the 15 tables, each one landscape page wide (the long ledgers run two pages down)
    assert len(pages) <= 21 and all(p == A4_LANDSCAPE for p in pages[1:])


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gongkai.cli import main

    out = tmp_path_factory.mktemp("templates")
    assert main(["template", "--out", str(out)]) == 0
    return out


def test_blank_templates_print_one_landscape_page_per_table(templates: Path, tmp_path: Path) -> None:
    from gongkai.fill.template import FILES

    for name, (_, tables) in FILES.items():
        pages = pdf(templates / name, tmp_path / name)
        assert len(pages) == 1 + len(tables), name  # 填表说明, then each blank table on one page
        assert all(p == A4_LANDSCAPE for p in pages[1:]), name


def test_template_entry_cells_are_ruled_and_rows_can_be_inserted_inside_the_totals(templates: Path) -> None:
    wb = openpyxl.load_workbook(templates / "budget-set.xlsx")
    ws = wb["表1-2"]
    entry = [ws.cell(r, c) for r in range(7, 27) for c in range(1, 8) if not ws.cell(r, c).protection.locked]
    assert len(entry) >= 20 * 6
    assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in entry)
    assert ws.protection.sheet and ws.protection.insertRows is False  # False: inserting rows is allowed
    total = ws["E6"].value
    assert re.fullmatch(r'=SUMIFS\(E7:E26,A7:A26,"<>",B7:B26,""\)', total), total  # the whole entry block
    assert any("插入行" in str(c.value) for c in wb["填表说明"]["A"])


def test_a_sangong_column_group_has_one_header(templates: Path) -> None:
    ws = openpyxl.load_workbook(templates / "budget-set.xlsx")["表3-3"]
    header = [c.value for row in ws.iter_rows(min_row=4, max_row=5) for c in row if c.value]
    assert header.count("公务用车购置及运行费") == 1
    assert "小计" in header
