"""report.py and write_report.py: every file and every finding in the JSON, CSV, HTML and xlsx reports."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from gongkai.core.findings import Finding, Severity
from gongkai.pipeline import FileResult, TableInfo
from gongkai.report.formats import CSV_COLUMNS, amount, summary, to_csv, to_html, to_json, to_text
from gongkai.report.xlsx_report import write_xlsx

TABLE = TableInfo(
    id="budget.expenditure", title="部门支出总表", sheet="表1-2", header_rows=(4, 5), first_row=6, last_row=7,
    data_rows=2, columns={"合计": "E"}, unmapped=(),
)


def finding(cell: str, severity: Severity, message: str, rule: str = "T901", **kw) -> Finding:
    return Finding(rule=rule, severity=severity, table="budget.expenditure", sheet="表1-2", cell=cell, message=message, **kw)


RESULTS = [
    FileResult(path="部门A/预算.xlsx", tables=[TABLE], findings=[
        finding("E6", Severity.ERROR, "合计 <11> & 10", related=("表1-2!F6",), expected=Decimal("10.00"), actual=Decimal("11.00")),
        finding("G7", Severity.WARNING, "数字存为文本", rule="T902"),
        finding("E7", Severity.NOTE, "舍位差 0.01", expected=Decimal("1E+1"), actual=Decimal("10.01")),
    ]),
    FileResult(path="部门B/预算.xlsx", tables=[TABLE]),
    FileResult(path="坏.xlsx", status="unreadable", error="文件已损坏"),
]


def test_amounts_are_exact_strings() -> None:
    assert [amount(Decimal("1E+1")), amount(Decimal("1672.81")), amount(None)] == ["10", "1672.81", None]


def test_json() -> None:
    data = json.loads(json.dumps(to_json(RESULTS), ensure_ascii=False))

    assert data["summary"] == summary(RESULTS) == {"files": 3, "errors": 1, "warnings": 1, "notes": 1}
    assert [(f["path"], f["status"], f["error"], len(f["findings"])) for f in data["files"]] == [
        ("部门A/预算.xlsx", "ok", None, 3), ("部门B/预算.xlsx", "ok", None, 0), ("坏.xlsx", "unreadable", "文件已损坏", 0),
    ]
    assert data["files"][0]["findings"][0] == {
        "rule": "T901", "severity": "error", "table": "budget.expenditure", "sheet": "表1-2", "cell": "E6",
        "related": ["表1-2!F6"], "message": "合计 <11> & 10", "expected": "10.00", "actual": "11.00",
    }
    assert data["files"][0]["findings"][2]["expected"] == "10"
    assert data["files"][1]["tables"] == [{"id": "budget.expenditure", "title": "部门支出总表", "sheet": "表1-2"}]


def test_csv_lists_every_finding_and_every_file() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(RESULTS))))

    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0] == [
        "文件", "状态", "无法读取的原因", "规则", "级别", "表", "工作表", "单元格", "相关单元格", "说明", "应为", "实为", "差额",
        "页", "表序号", "行", "列", "位置",  # where a PDF/Word document prints it (tests/documents/test_document_check.py)
    ]
    assert [r[:8] for r in rows[1:]] == [
        ["部门A/预算.xlsx", "有错误", "", "T901", "错误", "表1-2 部门支出总表", "表1-2", "E6"],
        ["部门A/预算.xlsx", "有错误", "", "T902", "警告", "表1-2 部门支出总表", "表1-2", "G7"],
        ["部门A/预算.xlsx", "有错误", "", "T901", "提示", "表1-2 部门支出总表", "表1-2", "E7"],
        ["部门B/预算.xlsx", "通过", "", "", "", "", "", ""],
        ["坏.xlsx", "无法读取", "文件已损坏", "", "", "", "", ""],
    ]
    assert "budget.expenditure" not in to_csv(RESULTS)  # the id only in JSON
    assert rows[1][8:] == ["表1-2!F6", "合计 <11> & 10", "10.00", "11.00", "1.00", "", "", "", "", ""]


def test_text() -> None:
    text = to_text(RESULTS)
    assert text.splitlines()[:6] == [
        "✗ 部门A/预算.xlsx：识别出 1 张表；1 个错误，1 个警告，1 个提示",
        "  单元格    规则  级别  说明",
        "  --------  ----  ----  --------------",
        "  表1-2!E6  T901  错误  合计 <11> & 10",
        "  表1-2!G7  T902  警告  数字存为文本",
        "  表1-2!E7  T901  提示  舍位差 0.01",
    ]
    assert "✓ 部门B/预算.xlsx：识别出 1 张表；0 个错误，0 个警告，0 个提示" in text
    assert "✗ 坏.xlsx\n  无法读取：文件已损坏" in text
    assert text.splitlines()[-2:] == [
        "共检查 3 个文件：1 个有错误，1 个无法读取；合计 1 个错误、1 个警告、1 个提示",
        "未通过的文件：部门A/预算.xlsx（有错误）、坏.xlsx（无法读取）",
    ]


def test_text_lists_errors_first_and_counts_notes_without_listing_them() -> None:
    mixed = FileResult(path="甲.xlsx", tables=[TABLE], findings=[
        finding("B5", Severity.NOTE, "舍位差 0.01"), finding("C5", Severity.WARNING, "数字存为文本", rule="T902"),
        finding("D5", Severity.ERROR, "合计不等"),
    ])
    lines = to_text([mixed], Severity.WARNING).splitlines()
    assert lines[0] == "✗ 甲.xlsx：识别出 1 张表；1 个错误，1 个警告，1 个提示（未列出，加 --show-notes 显示）"
    assert [line.split()[0] for line in lines[3:5]] == ["表1-2!D5", "表1-2!C5"]  # the error, then the warning
    assert "舍位差" not in "\n".join(lines)
    assert [line.split()[0] for line in to_text([mixed]).splitlines()[3:6]] == ["表1-2!D5", "表1-2!C5", "表1-2!B5"]


def test_text_fits_a_terminal_width_and_colours_only_when_asked() -> None:
    from gongkai.cli._common import width
    from gongkai.report.formats import file_text

    long = FileResult(path="乙.xlsx", tables=[TABLE], findings=[finding("E6", Severity.ERROR, "很长的说明" * 30)])
    block = file_text(long, columns=80)
    assert max(width(line) for line in block.splitlines()[1:]) <= 80
    assert "".join(line.strip() for line in block.splitlines()[3:]).endswith("很长的说明" * 3)
    assert "\x1b[" not in block
    coloured = file_text(long, colour=True)
    assert "\x1b[1;31m错误" in coloured and "\x1b[1;31m✗" in coloured
    assert file_text(long, plain=True).startswith("有误 乙.xlsx") and file_text(RESULTS[1], plain=True).startswith("通过 ")


def test_html_is_self_contained_and_escaped() -> None:
    page = to_html(RESULTS)

    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<svg") == 2  # by rule, by table
    assert "合计 &lt;11&gt; &amp; 10" in page and "<11>" not in page
    for path in ("部门A/预算.xlsx", "部门B/预算.xlsx", "坏.xlsx"):
        assert path in page
    for message in ("数字存为文本", "舍位差 0.01"):
        assert page.count(message) == 1  # one list
    assert "表1-2 部门支出总表" in page  # the table's number and title from the specs
    assert "budget.expenditure" not in page  # the id only in JSON


def test_html_states_date_version_mtimes_and_groups_by_severity_then_table(tmp_path: Path) -> None:
    import datetime as dt
    import os
    import re

    from gongkai import __version__

    source = tmp_path / "部门A.xlsx"
    source.write_bytes(b"x")
    os.utime(source, (dt.datetime(2025, 3, 1, 9, 30).timestamp(),) * 2)
    other = finding("B9", Severity.ERROR, "另一张表的错误", rule="T901").model_copy(update={"table": "budget.summary", "sheet": "表1"})
    results = [RESULTS[0].model_copy(update={"path": str(source), "findings": [*RESULTS[0].findings, other]})]
    page = to_html(results, generated=dt.datetime(2025, 3, 2, 10, 0))

    assert "生成时间：2025-03-02 10:00" in page and f"gongkai {__version__}" in page
    assert "2025-03-01 09:30" in page  # the file's modification time
    order = [m.group(1) for m in re.finditer(r"<(?:h3|summary)[^>]*>(?:<b>)?([^<（]+)", page)]
    assert order[order.index("错误"):] == ["错误", "表1-2 部门支出总表", "表1 部门收支总表", "警告", "表1-2 部门支出总表", "提示", "表1-2 部门支出总表"]
    assert '<td class="addr">表1-2!E6</td>' in page and "td.addr,td.n{white-space:nowrap}" in page
    assert '<td class="n">11.00</td>' in page  # amounts as the messages write them
    quiet = to_html(results, shown=Severity.WARNING)
    assert "舍位差 0.01" not in quiet and "另有 1 个提示" in quiet


def test_xlsx_report(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the results' relative paths are relative to here
    target = tmp_path / "out" / "report.xlsx"
    write_xlsx(RESULTS, target)

    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["文件汇总", "问题清单", "按规则"]
    files = wb["文件汇总"]
    assert [r for r in files.iter_rows(min_row=2, max_row=4, values_only=True)] == [
        ("部门A/预算.xlsx", "有错误", 1, 1, 1, 1, None),
        ("部门B/预算.xlsx", "通过", 1, 0, 0, 0, None),
        ("坏.xlsx", "无法读取", 0, 0, 0, 0, "文件已损坏"),
    ]
    assert files["A2"].hyperlink.target == "../部门A/预算.xlsx"
    assert files.auto_filter.ref == "A1:G4"
    found = wb["问题清单"]
    assert [r[:5] for r in found.iter_rows(min_row=2, values_only=True)] == [
        ("部门A/预算.xlsx", "表1-2", "E6", "T901", "错误"),
        ("部门A/预算.xlsx", "表1-2", "G7", "T902", "警告"),
        ("部门A/预算.xlsx", "表1-2", "E7", "T901", "提示"),
    ]
    assert [found["H2"].value, found["I2"].value, found["J2"].value] == [10, 11, 1]
    link = found["C2"].hyperlink
    assert (link.target, link.location) == ("../部门A/预算.xlsx", "'表1-2'!E6")
    assert found.auto_filter.ref == "A1:L4"
    assert [r for r in wb["按规则"].iter_rows(min_row=2, values_only=True)] == [
        ("T901", None, 1, 1, 0, 1), ("T902", None, 1, 0, 1, 0),
    ]


def test_wrapped_messages_never_split_a_number() -> None:
    from gongkai.report.formats import file_text

    message = "「全部门」一般公共预算拨款基本支出 5,952.47 ≠ 一般公共预算基本支出预算表「全部门」合计 5,450.25（相差 502.22）"
    r = FileResult(path="丙.xlsx", tables=[TABLE], findings=[finding("H6", Severity.ERROR, message)])
    for columns in range(60, 120, 3):
        pieces = [line.strip() for line in file_text(r, columns=columns).splitlines()[3:]]
        assert "".join(pieces).replace(" ", "") == "表1-2!H6T901错误" + message.replace(" ", "")
        for number in ("5,952.47", "5,450.25", "502.22"):
            assert any(number in piece for piece in pieces), (columns, pieces)


def test_report_amounts_are_written_alike_whatever_the_cell_held() -> None:
    """实为 0 and 0.0 read the same in a report (the HTML showed "0" for one finding, "0.0" for another)."""
    from decimal import Decimal

    from gongkai.report.formats import shown_amount

    assert shown_amount(Decimal("0")) == shown_amount(Decimal("0.0")) == shown_amount(Decimal("0E-8")) == "0.00"
    assert shown_amount(Decimal("105.0")) == "105.00"
    assert shown_amount(Decimal("8445.11")) == "8,445.11"
    assert shown_amount(Decimal("1672.815")) == "1,672.815"  # finer than a cent: not rounded away
    assert shown_amount(Decimal("-12.3")) == "-12.30"
    assert shown_amount(None) is None
