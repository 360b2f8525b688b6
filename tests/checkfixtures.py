"""Workbooks and test-only rules for the check / annotate / batch / report tests.

The test rules are registered for one test and removed afterwards (fixture `test_rules` in each test module), so
they never leak into other tests. Workbooks are laid out with layout/write, as the product writes them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from gongkai import checks
from gongkai.checks import Context, rule
from gongkai.core.findings import Finding, Severity
from gongkai.core.model import Table
from gongkai.core.specs import BY_ID
from gongkai.fill.layout import TableData, lay_out
from gongkai.write.workbook import write_plans

CRASH = Decimal(666)
"""A 合计 of 666 makes the test rule kill its process (a worker crash)."""
SLOW = Decimal(777)
"""A 合计 of 777 makes the test rule sleep for 30 s (a file over the time limit)."""


def budget(path: Path, total: object = 10, basic: object = 4, project: object = 6) -> Path:
    """A 部门支出总表 (sheet 表1-2): the 合计 row (row 6, 合计 in E6) and one 项 row (row 7), both total/basic/project."""
    data = TableData(BY_ID["budget.expenditure"], rows=[
        {"科目名称": "合计", "合计": total, "基本支出": basic, "项目支出": project},
        {"类": "201", "款": "01", "项": "01", "科目名称": "行政运行", "合计": total, "基本支出": basic, "项目支出": project},
    ])
    write_plans([lay_out(data)], path)
    return path


def broken(path: Path) -> Path:
    path.write_bytes(b"this is not a workbook")
    return path


def _total_is_basic_plus_project(table: Table, ctx: Context) -> Iterator[Finding]:
    """Test rule: 合计 = 基本支出 + 项目支出 on every row (error, or note within 舍位)."""
    for row in table.rows:
        total = row.amount("合计")
        parts = (row.amount("基本支出") or Decimal(0)) + (row.amount("项目支出") or Decimal(0))
        if total == CRASH:
            os._exit(3)
        if total == SLOW:
            time.sleep(30)
        verdict = ctx.verdict(table, total, parts, 2)
        if verdict is not None:
            yield ctx.finding(
                table, row.cells["合计"], f"合计 {total} 不等于 基本支出 + 项目支出 = {parts}", severity=verdict,
                related=[row.cells["基本支出"], row.cells["项目支出"]], expected=parts, actual=total,
            )


def _project_not_zero(table: Table, ctx: Context) -> Iterator[Finding]:
    """Test rule: a 项目支出 of 0 is suspicious (warning)."""
    for row in table.rows:
        if row.amount("项目支出") == 0:
            yield ctx.finding(table, row.cells["项目支出"], "项目支出为 0，请确认")


TEST_RULES = (
    ("T901", "测试：合计 = 基本支出 + 项目支出", Severity.ERROR, _total_is_basic_plus_project),
    ("T902", "测试：项目支出不为 0", Severity.WARNING, _project_not_zero),
)


def register() -> None:
    for rid, title, severity, func in TEST_RULES:
        rule(rid, title, tables=("budget.expenditure",), severity=severity)(func)


def unregister() -> None:
    for rid, *_ in TEST_RULES:
        checks.RULES.pop(rid, None)
