"""gongkai.xl's scripts on the REAL xlwings remote engine (``xw.Book(json=payload)``), payloads built from real
.xlsx files: which cells get which fill, the notes, the 校验结果 and _gongkai_marks sheets, a second run, clearing,
and that every recorded action is one the target client executes.

The engine is xlwings PRO code, run with the key ``noncommercial`` (PolyForm Noncommercial; see docs/excel.md).
Payloads built with ``notes=True`` are what xlwings Lite sends; without notes (and client "Office.js") what the
public xlwings Server client sends; client "VBA" what ``RunRemotePython`` sends.
"""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before the first `import xlwings`

from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
from openpyxl.comments import Comment

import xlengine
from factory import all_tables
from gongkai import pipeline, xl
from gongkai.checks import hygiene, totals  # noqa: F401  (importing registers the rules)
from gongkai.core import specs
from gongkai.core.findings import Finding, Severity
from gongkai.fill.layout import TableData, lay_out
from gongkai.write.marks import MARKS_SHEET, RESULT_SHEET
from gongkai.write.workbook import write_plans

if not xw.__pro__:
    pytest.skip("the remote engine needs XLWINGS_LICENSE_KEY=noncommercial before xlwings is imported", allow_module_level=True)

BAD, NEUTRAL = "#FFC7CE", "#FFEB9C"
QUIET = {"alert", "setAutofit", "activateSheet"}
"""Actions that change nothing the tests look at (and that the openpyxl emulation does not replay)."""


def expenditure(path: Path, *, fixed: bool = False, clerk_note: bool = True) -> Path:
    """部门支出总表 with known problems: E6 合计 wrong (S101), E8 合计 wrong and a text number (S101 + H001),
    F7 a text number (H001 only). ``fixed``: E6 corrected. The clerk's own note sits on E8."""
    rows = [
        {"科目名称": "合计", "合计": 31 if fixed else 30, "基本支出": 20, "项目支出": 11},
        {"类": "208", "款": "05", "项": "05", "科目名称": "行政单位离退休", "合计": 10, "基本支出": "10"},
        {"类": "201", "款": "01", "项": "01", "科目名称": "行政运行", "合计": "20", "基本支出": 10, "项目支出": 11},
    ]
    write_plans([lay_out(TableData(specs.spec("budget.expenditure"), rows=rows))], path)
    if clerk_note:
        wb = openpyxl.load_workbook(path)
        wb["表1-2"]["E8"].comment = Comment("已与财务科核对", "clerk")
        wb.save(path)
    return path


def key(f: Finding) -> tuple[str, str, str, str, str]:
    return (f.sheet, f.cell, f.rule, f.severity.value, f.message)


def a1(action: dict) -> str:
    return f"{xlengine._a1(action['start_row'], action['start_column'])}"


def fills(acts: list[dict]) -> list[tuple[int, str, str | None]]:
    return [(a["sheet_position"], a1(a), a["args"][0]) for a in acts if a["func"] == "setRangeColor"]


def notes(acts: list[dict]) -> list[tuple[str, str]]:
    return [(a["args"][0], a["args"][1]) for a in acts if a["func"] == "addNote"]


def values_of(acts: list[dict], position: int) -> list[list]:
    return next(a["values"] for a in acts if a["func"] == "setValues" and a["sheet_position"] == position)


def run(path: Path, script, **payload) -> tuple[xw.Book, list[dict]]:
    book = xw.Book(json=xlengine.payload_from_xlsx(path, missing_cache="empty", **payload))
    script(book)
    return book, xlengine.actions(book)


def replay(src: Path, acts: list[dict], dst: Path) -> Path:
    """Our openpyxl emulation of a client (tests/xlengine.py), plus deleteNote and setSheetVisibility; quiet
    actions skipped."""
    segment: list[dict] = []
    current = src
    for a in [*acts, {"func": "END"}]:
        if a["func"] in QUIET:
            continue
        if a["func"] in ("deleteNote", "setSheetVisibility", "END"):
            current = xlengine.apply_actions_to_xlsx(current, segment, dst)
            segment = []
            if a["func"] != "END":
                wb = openpyxl.load_workbook(dst)
                ws = wb.worksheets[a["sheet_position"]]
                if a["func"] == "deleteNote":
                    ws[a["args"][0].replace("$", "")].comment = None
                else:
                    ws.sheet_state = "visible" if a["args"] == "Visible" else "hidden"
                wb.save(dst)
            continue
        segment.append(a)
    return dst


def marked(path: Path) -> dict[str, str]:
    """Filled cells of the data rows (the header rows keep their grey fill throughout)."""
    ws = openpyxl.load_workbook(path)["表1-2"]
    return {c.coordinate: c.fill.fgColor.rgb for row in ws.iter_rows(min_row=6) for c in row if c.fill.fill_type == "solid"}


def comments(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["表1-2"]
    return {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment is not None}


# ----------------------------------------------------------------------------------------------------------


def test_validate_marks_exactly_what_check_reports(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    reported = pipeline.check_file(path).findings
    assert [(f.cell, f.rule, f.severity) for f in reported if f.rule in ("S101", "H001")] == [
        ("E6", "S101", Severity.ERROR), ("F7", "H001", Severity.WARNING),
        ("E8", "H001", Severity.WARNING), ("E8", "S101", Severity.ERROR),
    ]
    book = xw.Book(json=xlengine.payload_from_xlsx(path))  # Lite's payload: notes supported
    found = xl.validate(book)
    acts = xlengine.actions(book)

    assert [key(f) for f in found] == [key(f) for f in reported]
    worst: dict[str, str] = {}
    for f in reported:
        if f.severity == Severity.ERROR or (f.severity == Severity.WARNING and worst.get(f.cell) != BAD):
            worst[f.cell] = BAD if f.severity == Severity.ERROR else NEUTRAL
    assert fills(acts) == [(0, cell, colour) for cell, colour in worst.items()]
    assert {"E6": BAD, "F7": NEUTRAL, "E8": BAD}.items() <= worst.items()
    s101_e6 = next(f for f in reported if f.cell == "E6" and f.rule == "S101")
    note_e6 = dict(notes(acts))["$E$6"]
    assert note_e6.splitlines()[0] == f"【错误】S101 {s101_e6.message}"
    assert "$E$8" not in dict(notes(acts))  # the clerk's note stays; the 校验结果 sheet lists E8's findings
    assert dict(notes(acts))["$F$7"].startswith("【警告】H001 ")
    # results sheet first, marks sheet last
    assert [a["args"] for a in acts if a["func"] == "addSheet"] == [[0, RESULT_SHEET], [2, MARKS_SHEET]]
    results = values_of(acts, 0)
    assert results[0][0].startswith(f"校验完成：错误 {sum(f.severity == Severity.ERROR for f in reported)} 个")
    assert results[2][:6] == ["序号", "级别", "规则", "工作表", "单元格", "说明"]
    first = next(f for f in reported if f.severity == Severity.ERROR)
    assert results[3][:6] == [1, "错误", first.rule, "表1-2", f"=HYPERLINK(\"#'表1-2'!{first.cell}\",\"{first.cell}\")", first.message]
    assert results[3][6:9] == [float(first.expected), float(first.actual), float(first.difference)]
    assert len(results) == 3 + len(reported)
    record = values_of(acts, 2)
    assert record[0] == ["工作表", "单元格", "原填充色", "批注由gongkai添加"]
    assert {r[1]: (r[2], r[3]) for r in record[1:]} == {c: ("?", "" if c == "E8" else "是") for c in worst}
    assert [a["args"][:2] for a in acts if a["func"] == "alert"] == [[results[0][0], "gongkai 公开表"]]
    # Lite executes addNote; the public Server client and VBA do not (they get no addNote: see below)
    assert xlengine.disallowed(acts, "Office.js") == ["addNote"] * len(notes(acts))


@pytest.mark.parametrize("client", ["Office.js", "VBA"])
def test_clients_without_notes_get_only_actions_they_execute(tmp_path: Path, client: str) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    _, acts = run(path, xl.validate, client=client, notes=False)
    assert notes(acts) == []
    assert xlengine.disallowed(acts, client) == []
    assert len(fills(acts)) == 3
    record = values_of(acts, 2)
    assert [r[3] for r in record[1:]] == ["", "", ""]  # no note was added, so none will be deleted


def test_second_run_leaves_one_set_of_marks(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    _, first = run(path, xl.validate)
    once = replay(path, first, tmp_path / "once.xlsx")
    _, second = run(once, xl.validate)
    twice = replay(once, second, tmp_path / "twice.xlsx")

    assert openpyxl.load_workbook(twice).sheetnames == [RESULT_SHEET, "表1-2", MARKS_SHEET]
    assert marked(twice) == marked(once) == {"E6": "FFFFC7CE", "E8": "FFFFC7CE", "F7": "FFFFEB9C"}
    assert comments(twice) == comments(once)
    assert comments(twice)["E8"] == "已与财务科核对"
    assert [a["func"] for a in second if a["func"] in ("deleteNote", "addNote")] == ["deleteNote", "deleteNote", "addNote", "addNote"]
    assert ("sheetClear" in [a["func"] for a in second]) and ("addSheet" not in [a["func"] for a in second])
    results = openpyxl.load_workbook(twice)[RESULT_SHEET]
    assert results.max_row == 3 + len(pipeline.check_file(path).findings)
    marks_ws = openpyxl.load_workbook(twice)[MARKS_SHEET]
    assert [[c.value for c in row] for row in marks_ws.iter_rows(min_row=2)] == [
        ["表1-2", "E6", "?", "是"], ["表1-2", "F7", "?", "是"], ["表1-2", "E8", "?", None],
    ]


@pytest.mark.parametrize(("lite", "no_fill"), [(True, None), (False, "FFFFFFFF")])
def test_a_fixed_cell_loses_its_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lite: bool, no_fill: str | None) -> None:
    monkeypatch.setattr(xl, "_in_lite", lambda: lite)
    path = expenditure(tmp_path / "bad.xlsx")
    _, first = run(path, xl.validate)
    once = replay(path, first, tmp_path / "once.xlsx")
    wb = openpyxl.load_workbook(once)
    wb["表1-2"]["F7"] = 10  # the clerk turns the text number into a number
    wb.save(once)
    _, second = run(once, xl.validate)
    assert (1, "F7", None if lite else "#FFFFFF") in fills(second)  # 校验结果 is the first sheet now
    assert ("setSheetVisibility" in [a["func"] for a in second]) is lite  # hidden only where the client can
    twice = replay(once, second, tmp_path / "twice.xlsx")
    expected = {"E6": "FFFFC7CE", "E8": "FFFFC7CE"}
    if no_fill:
        expected["F7"] = no_fill
    assert marked(twice) == expected
    assert sorted(comments(twice)) == ["E6", "E8"]


def test_clear_marks_restores_the_workbook(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    monkey_lite = pytest.MonkeyPatch()
    monkey_lite.setattr(xl, "_in_lite", lambda: True)
    try:
        _, first = run(path, xl.validate)
        once = replay(path, first, tmp_path / "once.xlsx")
        assert openpyxl.load_workbook(once)[MARKS_SHEET].sheet_state == "hidden"
        book, acts = run(once, xl.clear)
    finally:
        monkey_lite.undo()
    assert fills(acts) == [(1, "E6", None), (1, "F7", None), (1, "E8", None)]
    assert [a["args"][0] for a in acts if a["func"] == "deleteNote"] == ["$E$6", "$F$7"]
    assert [a["func"] for a in acts if a["func"] == "sheetDelete"] == ["sheetDelete", "sheetDelete"]
    assert [s.name for s in book.sheets] == ["表1-2"]
    cleared = replay(once, acts, tmp_path / "cleared.xlsx")
    assert openpyxl.load_workbook(cleared).sheetnames == ["表1-2"]
    assert marked(cleared) == {} == marked(path)
    assert comments(cleared) == comments(path) == {"E8": "已与财务科核对"}
    assert [a["args"][0] for a in acts if a["func"] == "alert"] == ["已清除 3 个单元格的标记。"]


def test_clear_marks_on_server_keeps_to_its_actions(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    _, first = run(path, xl.validate, notes=False)
    once = replay(path, first, tmp_path / "once.xlsx")
    _, acts = run(once, xl.clear, notes=False)
    assert fills(acts) == [(1, "E6", "#FFFFFF"), (1, "F7", "#FFFFFF"), (1, "E8", "#FFFFFF")]
    assert xlengine.disallowed(acts, "Office.js") == []
    _, nothing = run(path, xl.clear, notes=False)  # never validated: nothing to clear
    assert [a["func"] for a in nothing] == ["alert"]


def test_classic_entry_uses_the_calling_book(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx")
    book = xw.Book(json=xlengine.payload_from_xlsx(path, notes=False))
    book.set_mock_caller()
    try:
        assert xl.validate_workbook() is None  # RunPython "import gongkai.xl; gongkai.xl.validate_workbook()"
    finally:
        del xw.Book._mock_caller
    assert len(fills(xlengine.actions(book))) == 3


def test_every_table_gives_the_same_findings_as_gongkai_check(tmp_path: Path) -> None:
    """All table specs with plausible (inconsistent) numbers: many findings of many rules, one sheet each."""
    path = tmp_path / "all.xlsx"
    write_plans([lay_out(t, sheet=f"S{i}") for i, t in enumerate(all_tables(seed=3))], path)
    reported = pipeline.check_file(path).findings
    assert len({f.rule for f in reported}) >= 3
    book = xw.Book(json=xlengine.payload_from_xlsx(path, notes=False))
    assert [key(f) for f in xl.validate(book)] == [key(f) for f in reported]
    acts = xlengine.actions(book)
    assert xlengine.disallowed(acts, "Office.js") == []
    cells = {(f.sheet, f.cell) for f in reported if f.severity in (Severity.ERROR, Severity.WARNING)}
    assert {(f"S{p}", c) for p, c, _ in fills(acts)} == cells  # marked before 校验结果 is added in front


def test_export_clean_writes_sheets_clients_can_execute(tmp_path: Path) -> None:
    path = expenditure(tmp_path / "bad.xlsx", clerk_note=False)
    _, acts = run(path, xl.export, notes=False)
    assert [a["args"] for a in acts if a["func"] == "addSheet"] == [[1, "导出_表1-2"]]
    grid = values_of(acts, 1)
    assert grid[1][0] == "部门支出总表"
    assert [row[3:7] for row in grid[5:8]] == [["合计", 30.0, 20.0, 11.0], ["行政单位离退休", 10.0, 10.0, ""], ["行政运行", 20.0, 10.0, 11.0]]
    assert xlengine.disallowed(acts, "Office.js") == []
    assert "rangeMerge" not in [a["func"] for a in acts]  # the Server client cannot merge


EXAMPLES = Path(__file__).resolve().parents[1] / "workbooks" / "examples"


def test_fill_from_sheet_gives_tables_gongkai_check_accepts(tmp_path: Path) -> None:
    """The line items of workbooks/examples in a workbook of their own: 填充 adds the 15 budget tables."""
    source = EXAMPLES / "line-items.xlsx"
    _, acts = run(source, xl.fill, notes=False)
    assert xlengine.disallowed(acts, "Office.js") == []
    added = [a["args"][1] for a in acts if a["func"] == "addSheet"]
    assert len(added) == 15 and "表1-2" in added
    filled = replay(source, acts, tmp_path / "filled.xlsx")
    result = pipeline.check_file(filled)
    assert [f for f in result.findings if f.severity == Severity.ERROR] == []
    assert {t.id for t in result.tables} >= {"budget.summary", "budget.expenditure", "budget.project_targets"}


def test_fill_reports_bad_line_items_and_writes_nothing_else(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算明细"
    ws.append(["单位代码", "单位名称", "功能分类科目编码", "经济分类科目编码", "支出类型", "资金来源", "项目名称", "金额（元）"])
    ws.append(["101001", "某局", "2010101", "30101", "基本支出-人员经费", "一般公共预算", None, "很多"])
    wb.save(tmp_path / "bad.xlsx")
    _, acts = run(tmp_path / "bad.xlsx", xl.fill, notes=False)
    assert [a["args"] for a in acts if a["func"] == "addSheet"] == [[0, xl.FILL_PROBLEMS]]
    problems = values_of(acts, 0)
    assert problems[0][0] == "填充未进行：预算明细有以下问题" and len(problems) >= 2
    assert "setRangeColor" not in [a["func"] for a in acts]


def test_the_shipped_example_with_errors(tmp_path: Path) -> None:
    """workbooks/examples/budget-example-errors.xlsx (every budget table, merged headers and project blocks, known
    errors): the same findings as `gongkai check` from the values (the add-in reads no formulas), exactly their error
    and warning cells marked, nothing else."""
    path = EXAMPLES / "budget-example-errors.xlsx"
    reported = pipeline.check_file(path, formulas=False).findings
    assert {f.rule for f in reported if f.severity == Severity.ERROR} >= {"S101", "P309"}
    book = xw.Book(json=xlengine.payload_from_xlsx(path, missing_cache="empty"))
    names = [s.name for s in book.sheets]
    assert [key(f) for f in xl.validate(book)] == [key(f) for f in reported]
    acts = xlengine.actions(book)
    marked_cells = {(names[p], c) for p, c, _ in fills(acts)}
    assert marked_cells == {(f.sheet, f.cell) for f in reported if f.severity in (Severity.ERROR, Severity.WARNING)}
    assert len(values_of(acts, 0)) == 3 + len(reported)


@pytest.mark.parametrize("script", [xl.validate_workbook, xl.clear_marks, xl.fill_from_sheet, xl.export_clean], ids=lambda s: s.__name__)
def test_a_failing_script_tells_the_clerk_in_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str], script) -> None:
    """Whatever breaks inside a script (here: reading the sheets), the clerk sees a Chinese sentence, not a
    traceback; the traceback goes to the output pane (Lite, Server)."""
    def broken(book):
        raise RuntimeError("boom")

    path = expenditure(tmp_path / "bad.xlsx")
    once = replay(path, run(path, xl.validate)[1], tmp_path / "once.xlsx")  # marked: 清除标记 has work to do
    monkeypatch.setattr(xl, "read_sheets", broken)
    monkeypatch.setattr(xl, "sheet_values", broken)
    book = xw.Book(json=xlengine.payload_from_xlsx(once, missing_cache="empty"))
    assert script(book) is None  # plain mode on Linux: the script is the function itself
    acts = xlengine.actions(book)
    alerts = [a["args"][0] for a in acts if a["func"] == "alert"]
    assert len(alerts) == 1 and alerts[0].endswith("未完成：gongkai 内部出错。请把本工作簿和这条提示发给维护 gongkai 的同事。")
    assert "Traceback" not in alerts[0] and "boom" not in alerts[0]
    assert "setRangeColor" not in [a["func"] for a in acts]
    assert "RuntimeError: boom" in capsys.readouterr().out
