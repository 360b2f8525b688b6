"""Row cues of real exports (TABLES.md § Real layouts → Rows), on tables laid out as those exports print them.

Sichuan's 预算管理一体化 exports print an unlabeled department row under 合计, sub-items that repeat their 款's
codes, and the 经济分类 code in the 单位代码 column of the 基本支出表; none of them may cost a false error.
"""

from __future__ import annotations

from rulekit import Build, data, found


def test_unlabeled_department_row_repeats_the_total(build: Build) -> None:
    """合计, then a row without any label carrying the same figures (the department's own line), then its 科目."""
    rows = [
        {"科目名称": "合计", "合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"},
        {"合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"},
        {"类": "208", "科目名称": "社会保障和就业支出", "合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"},
        {"类": "208", "款": "05", "科目名称": "行政事业单位养老支出", "合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"},
    ]
    book = build(data("budget.expenditure", rows))
    assert [r.kind for r in book.tables[0].rows] == ["total", "total", "item", "item"]
    assert found(book, "S", "H") == []
    # read as a part of 合计 it would double it: 合计 30.00 ≠ 60.00 at E6
    rows[0]["合计"] = "60.00"
    assert ("表1-2!E6", "S102", "error") in found(build(data("budget.expenditure", rows)), "S102")


def test_sub_items_repeating_their_kuan_code(build: Build) -> None:
    """301 | 02 津贴补贴, then 301 | 02 地方津贴补贴 and 301 | 02 岗位津贴: the first row with the code is the 款."""
    def rows(second: str) -> list[dict[str, object]]:
        return [
            {"科目名称": "合计", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
            {"类": "301", "科目名称": "工资福利支出", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
            {"类": "301", "款": "02", "科目名称": "津贴补贴", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
            {"类": "301", "款": "02", "科目名称": "地方津贴补贴", "合计": "20.00", "人员经费": "20.00", "公用经费": "0"},
            {"类": "301", "款": "02", "科目名称": "岗位津贴", "合计": second, "人员经费": second, "公用经费": "0"},
        ]
    assert found(build(data("budget.general_basic", rows("10.00"))), "S") == []
    # a sub-item off: the 款 no longer equals its sub-items, and nothing else is reported
    assert found(build(data("budget.general_basic", rows("11.00"))), "S") == [
        ("表3-1!E8", "S104", "error"), ("表3-1!F8", "S104", "error"),
    ]


def test_economic_codes_printed_in_the_unit_code_column(build: Build) -> None:
    """The 基本支出表 of some exports prints 301 / 30101 in 单位代码 and the names in 单位名称（科目）; a department's
    own 3-digit code there (not named as its 经济分类 类) stays a unit."""
    rows = [
        {"科目名称": "合计", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
        {"单位代码": "301", "科目名称": "工资福利支出", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
        {"单位代码": "30101", "科目名称": "基本工资", "合计": "12.00", "人员经费": "12.00", "公用经费": "0"},
        {"单位代码": "30102", "科目名称": "津贴补贴", "合计": "18.00", "人员经费": "18.00", "公用经费": "0"},
    ]
    table = build(data("budget.general_basic", rows)).tables[0]
    assert [(r.kind, r.code) for r in table.rows] == [("total", None), ("item", "301"), ("item", "30101"), ("item", "30102")]
    rows[3] = {**rows[3], "合计": "19.00", "人员经费": "19.00"}
    assert found(build(data("budget.general_basic", rows)), "S104") == [("表3-1!F7", "S104", "error"), ("表3-1!G7", "S104", "error")]  # the 301 row
    unit = build(data("budget.general_basic", [
        {"科目名称": "合计", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
        {"单位代码": "301", "科目名称": "某区民政局", "合计": "30.00", "人员经费": "30.00", "公用经费": "0"},
    ])).tables[0]
    assert [(r.kind, r.code, r.unit) for r in unit.rows] == [("total", None, None), ("unit", None, "301")]
