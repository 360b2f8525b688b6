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
    assert [r[:8] for r in rows[1:]] == [
        ["部门A/预算.xlsx", "ok", "", "T901", "error", "budget.expenditure", "表1-2", "E6"],
        ["部门A/预算.xlsx", "ok", "", "T902", "warning", "budget.expenditure", "表1-2", "G7"],
        ["部门A/预算.xlsx", "ok", "", "T901", "note", "budget.expenditure", "表1-2", "E7"],
        ["部门B/预算.xlsx", "ok", "", "", "", "", "", ""],
        ["坏.xlsx", "unreadable", "文件已损坏", "", "", "", "", ""],
    ]
    assert rows[1][8:] == ["表1-2!F6", "合计 <11> & 10", "10.00", "11.00", "1.00"]


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
    assert text.endswith("共检查 3 个文件：1 个有错误，1 个无法读取；合计 1 个错误、1 个警告、1 个提示")


def test_html_is_self_contained_and_escaped() -> None:
    page = to_html(RESULTS)

    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<svg") == 2  # by rule, by table
    assert "合计 &lt;11&gt; &amp; 10" in page and "<11>" not in page
    for path in ("部门A/预算.xlsx", "部门B/预算.xlsx", "坏.xlsx"):
        assert path in page
    for message in ("数字存为文本", "舍位差 0.01"):
        assert page.count(message) == 2  # grouped by rule and table, and listed by file
    assert "表1-2 部门支出总表" in page  # the table's number and title from the specs


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
    assert found.auto_filter.ref == "A1:K4"
    assert [r for r in wb["按规则"].iter_rows(min_row=2, values_only=True)] == [
        ("T901", None, 1, 1, 0, 1), ("T902", None, 1, 0, 1, 0),
    ]
