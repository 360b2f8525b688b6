"""gongkai.xl as xlwings Server and xlwings Lite run it: Office.js decorators, ``custom_scripts_call`` and
``custom_functions_call``. Runs only in a process started with XLWINGS_ON_SERVER=true (xlwings picks its
decorators at import time); tests/test_xl_server_process.py starts that process, so ``python -m pytest`` covers it.
"""

from __future__ import annotations

import os

import pytest

if os.environ.get("XLWINGS_ON_SERVER") != "true":
    pytest.skip("needs XLWINGS_ON_SERVER=true before xlwings is imported (see tests/test_xl_server_process.py)", allow_module_level=True)

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import asyncio
from pathlib import Path

import openpyxl
import xlwings as xw
import xlwings.server

import xlengine
from gongkai import pipeline, xl
from gongkai.checks import hygiene, totals  # noqa: F401  (importing registers the rules)
from gongkai.core import specs
from gongkai.core.findings import Severity
from gongkai.fill.layout import TableData, lay_out
from gongkai.write.marks import MARKS_SHEET, RESULT_SHEET
from gongkai.write.workbook import write_plans

SCRIPTS = ["clear_marks", "export_clean", "fill_from_sheet", "validate_workbook"]
FUNCTIONS = ["GK_CODENAME", "GK_INDICATOR", "GK_SUMCHECK", "GK_WAN", "GK_WEIGHTS"]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    rows = [
        {"科目名称": "合计", "合计": 30, "基本支出": 20, "项目支出": 11},
        {"类": "208", "款": "05", "项": "05", "科目名称": "行政单位离退休", "合计": 10, "基本支出": "10"},
        {"类": "201", "款": "01", "项": "01", "科目名称": "行政运行", "合计": 21, "基本支出": 10, "项目支出": 11},
    ]
    path = tmp_path / "bad.xlsx"
    write_plans([lay_out(TableData(specs.spec("budget.expenditure"), rows=rows))], path)
    return path


def call_script(name: str, book: xw.Book) -> xw.Book:
    """What the Server router (and Lite's runtime) does with a button press."""
    return asyncio.run(xlwings.server.custom_scripts_call(xl, name, typehint_to_value={xw.Book: book}))


def test_decorators_are_the_office_js_ones() -> None:
    assert all(asyncio.iscoroutinefunction(getattr(xl, s)) for s in SCRIPTS)
    assert sorted(m["function_name"] for m in xlwings.server.custom_scripts_meta(xl)) == SCRIPTS
    meta = xlwings.server.custom_functions_meta(xl)["functions"]
    assert sorted(f["id"] for f in meta) == FUNCTIONS
    sumcheck = next(f for f in meta if f["id"] == "GK_SUMCHECK")
    assert [p["name"] for p in sumcheck["parameters"]] == ["parts", "total", "tolerance"]
    assert [p.get("optional", False) for p in sumcheck["parameters"]] == [False, False, True]


def test_validate_and_clear_through_custom_scripts_call(workbook: Path, tmp_path: Path) -> None:
    book = xw.Book(json=xlengine.payload_from_xlsx(workbook, notes=False))  # the Server client sends no notes
    assert call_script("validate_workbook", book) is book
    acts = xlengine.actions(book)
    assert xlengine.disallowed(acts, "Office.js") == []
    reported = pipeline.check_file(workbook).findings
    cells = {f.cell for f in reported if f.severity in (Severity.ERROR, Severity.WARNING)}
    assert {xlengine._a1(a["start_row"], a["start_column"]) for a in acts if a["func"] == "setRangeColor"} == cells
    assert [a["args"] for a in acts if a["func"] == "addSheet"] == [[0, RESULT_SHEET], [2, MARKS_SHEET]]

    once = xlengine.apply_actions_to_xlsx(workbook, [a for a in acts if a["func"] not in ("alert", "setAutofit", "activateSheet")], tmp_path / "once.xlsx")
    again = xw.Book(json=xlengine.payload_from_xlsx(once, notes=False, missing_cache="empty"))
    call_script("clear_marks", again)
    cleared = xlengine.actions(again)
    assert xlengine.disallowed(cleared, "Office.js") == []
    assert sorted(xlengine._a1(a["start_row"], a["start_column"]) for a in cleared if a["func"] == "setRangeColor") == sorted(cells)
    assert [a["func"] for a in cleared if a["func"] == "sheetDelete"] == ["sheetDelete", "sheetDelete"]


def test_export_through_custom_scripts_call(workbook: Path) -> None:
    book = xw.Book(json=xlengine.payload_from_xlsx(workbook, notes=False))
    call_script("export_clean", book)
    acts = xlengine.actions(book)
    assert [a["args"] for a in acts if a["func"] == "addSheet"] == [[1, "导出_表1-2"]]
    assert xlengine.disallowed(acts, "Office.js") == []


def body(func_name: str, *args: object) -> dict:
    """The request the Office.js custom-functions client posts (each argument a 2-D array)."""
    return {
        "client": "Office.js", "func_name": func_name, "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "[bad.xlsx]表1-2!H6", "session_id": "test", "culture_info_name": "zh-CN",
        "date_format": "yyyy/M/d", "version": xw.__version__, "runtime": "1.4",
    }


@pytest.mark.parametrize(
    ("func_name", "args", "expected"),
    [
        ("GK_SUMCHECK", ([[1.11, 2.22]], 3.33), ""),
        ("GK_SUMCHECK", ([[1.11, 2.22]], 3.34), "舍位差 0.01（允许）"),
        ("GK_SUMCHECK", ([[1.11], [2.22]], 3.35), "合计不符：各部分之和 3.33，差 0.02"),
        ("GK_SUMCHECK", ([[1.11, 2.22]], 3.35, 0.01), "舍位差 0.02（允许）"),
        ("GK_INDICATOR", ("≥", 95, "%", "系统可用率"), ""),
        ("GK_INDICATOR", ("≥", "较多", "", ""), "定量指标（≥）的指标值应为数字，现为「较多」；定量指标缺少度量单位"),
        ("GK_WEIGHTS", ([[20, 20, 10, 30, 15]],), "权重合计为 95，应为 100 或 90"),
        ("GK_WEIGHTS", ([[20, 20, 10, 30, 10]], 100), "权重合计为 90，应为 100"),
        ("GK_CODENAME", (2080505,), "机关事业单位基本养老保险缴费支出"),
        ("GK_WAN", (12345678,), 1234.57),
    ],
)
def test_functions_through_custom_functions_call(func_name: str, args: tuple, expected: object) -> None:
    result = asyncio.run(xlwings.server.custom_functions_call(body(func_name, *args), xl))
    assert result == [[expected]]
    assert getattr(xl, func_name)(*args) == expected  # and called directly, still synchronous


def test_a_book_without_marks_clears_nothing(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    assert MARKS_SHEET not in wb.sheetnames
    book = xw.Book(json=xlengine.payload_from_xlsx(workbook, notes=False))
    call_script("clear_marks", book)
    assert [a["func"] for a in xlengine.actions(book)] == ["alert"]
