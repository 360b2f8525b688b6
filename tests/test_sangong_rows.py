"""三公 tables with the items as rows (TABLES.md § Real layouts → 三公 tables), written the way provincial exports print
them: items down the side in any order, 其中 sub-rows numbered (1)(2), count rows and other items in the same table,
periods across (预算数 / 上年预算数 / 增减金额 / 增减幅度; 预算数 / 决算数), titles without 表."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from gongkai import checks
from gongkai.pipeline import check_file, load_book

BUDGET = [
    ["项目", "2024年预算数", "2023年预算数", "增减金额", "增减幅度"],
    ["合计", 79.0, 85.0, -6.0, "-7.06%"],
    ["1.因公出国(境)费", 0.0, 2.0, -2.0, "-100%"],
    ["2.公务用车购置及运行维护费", 75.0, 79.0, -4.0, "-5.06%"],
    ["其中：(1)公务用车购置费", 50.0, 50.0, 0.0, "0%"],
    ["(2)公务用车运行维护费", 25.0, 29.0, -4.0, "-13.79%"],
    ["3.公务接待费", 4.0, 4.0, 0.0, "0%"],
    ["因公出国(境)团组数(个)", 0, 1, -1, ""],
    ["公务用车保有量(辆)", 6, 6, 0, ""],
    ["会议费", 12.5, 10.0, 2.5, "25%"],
]
FINAL = [
    ["项目", "预算数", "决算数"],
    ["因公出国（境）费用", "", ""],
    ["公务用车购置及运行费", 21.56, 20.30],
    ["  其中：公务用车购置费", "", ""],
    ["        公务用车运行费", 21.56, 20.30],
    ["公务接待费", 1.35, 1.10],
    ["合计", 22.91, 21.40],
]


def workbook(path: Path, title: str, grid: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["单位：某县司法局", None, None, "金额单位：万元"])
    for row in grid:
        ws.append([v if v != "" else None for v in row])
    wb.save(path)
    return path


def test_budget_items_as_rows_are_read_per_period(tmp_path: Path) -> None:
    book = load_book(workbook(tmp_path / "a.xlsx", "2024年县司法局一般公共预算“三公”经费预算情况表", BUDGET))
    [table] = book.tables
    assert table.id == "budget.general_sangong"
    assert [r.label for r in table.rows] == ["2024年预算数", "2023年预算数", "增减金额"]  # 增减幅度 is a rate
    first = table.rows[0]
    assert {k: c.amount for k, c in first.cells.items()} == {
        "合计": 79, "因公出国(境)费": 0, "公务用车购置及运行费": 75,
        "公务用车购置及运行费/公务用车购置费": 50, "公务用车购置及运行费/公务用车运行费": 25, "公务接待费": 4,
    }  # 团组数, 保有量 and 会议费 are not parts of 合计
    assert first.cells["公务接待费"].ref == "B9"
    assert [f for f in checks.run(book) if f.severity != "note"] == []  # 增减金额 may be negative


@pytest.mark.parametrize(("row", "col", "value", "cell"), [(6, 1, 5.0, "B9"), (4, 2, 51.0, "C6")])
def test_a_wrong_item_is_found_at_its_cell(tmp_path: Path, row: int, col: int, value: float, cell: str) -> None:
    grid = [list(r) for r in BUDGET]
    grid[row][col] = value
    findings = [f for f in check_file(workbook(tmp_path / "b.xlsx", "县司法局“三公”经费预算表", grid)).findings if f.severity == "error"]
    assert findings and all(f.rule == "S101" for f in findings)
    assert any(f"Sheet!{cell}" in f.related or f.cell == cell for f in findings), [str(f) for f in findings]


def test_final_items_as_rows_total_last_title_without_biao(tmp_path: Path) -> None:
    book = load_book(workbook(tmp_path / "c.xlsx", "某局2023年“三公”经费决算情况", FINAL))
    [table] = book.tables
    assert table.id == "final.sangong"
    assert [r.label for r in table.rows] == ["预算数", "决算数"]
    assert sorted(table.rows[1].cells)[:2] == ["决算数/公务接待费", "决算数/公务用车购置及运行费"]
    assert [f for f in checks.run(book) if f.severity != "note"] == []
    grid = [list(r) for r in FINAL]
    grid[6][2] = 22.40  # 决算 合计 off by 1.00
    findings = [f for f in check_file(workbook(tmp_path / "d.xlsx", "某局2023年“三公”经费决算情况", grid)).findings if f.severity == "error"]
    assert [(f.rule, f.cell) for f in findings] == [("S101", "C9")]


def test_a_sentence_about_sangong_is_no_title(tmp_path: Path) -> None:
    grid = [["说明：本部门2024年“三公”经费预算数为79万元，比上年减少6万元。"]]
    result = check_file(workbook(tmp_path / "e.xlsx", "部门支出总表", [["项目", "合计"], *grid]))
    assert all(t.id != "budget.general_sangong" for t in result.tables)


@pytest.mark.parametrize("text", ["本部门无政府性基金预算“三公”经费支出", "财政拨款“三公”经费", "说明：“三公”经费预算数为79万元，比上年减少6万元。"])
def test_notes_and_headers_about_sangong_are_no_titles(text: str) -> None:
    from gongkai.core.specs import match_title

    assert match_title(text) is None


@pytest.mark.parametrize(("text", "table_id"), [
    ("2024年县司法局一般公共预算“三公”经费预算情况表", "budget.general_sangong"),
    ("某局2023年“三公”经费决算情况", "final.sangong"),
    ("某县政府性基金“三公”经费预算表", "budget.fund_sangong"),
])
def test_sangong_titles_by_content(text: str, table_id: str) -> None:
    from gongkai.core.specs import match_title

    found = match_title(text)
    assert found is not None and found.id == table_id
