"""X2xx: across tables, on a composed budget workbook (sample.py lines → compose) with one value changed."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from rulekit import found

from gongkai import checks
from gongkai.core.model import Book
from gongkai.fill.compose_budget import Composed, compose_book
from gongkai.fill.layout import TableData, lay_out
from gongkai.fill.sample import sample_lines
from gongkai.pipeline import load_book
from gongkai.write.workbook import write_plans


@pytest.fixture(scope="module")
def composed() -> Composed:
    return compose_book(sample_lines(0), totals="summed")


class Variant:
    """A copy of the composed tables, changed cell by cell, written and read back."""

    def __init__(self, composed: Composed, folder: Path) -> None:
        self.tables: list[TableData] = copy.deepcopy(composed.tables)
        self.folder = folder

    def table(self, table_id: str) -> TableData:
        return next(t for t in self.tables if t.spec.id == table_id)

    def index(self, table_id: str, **match: object) -> int:
        return next(i for i, r in enumerate(self.table(table_id).rows) if all(r.get(k) == v for k, v in match.items()))

    def cell(self, table_id: str, key: str, **match: object) -> str:
        """"Sheet!A1" of a row's cell (the row found by its content), or of a form field when no match is given."""
        plan = lay_out(self.table(table_id))
        if not match:
            line = next(int(c.ref[1:]) for c in plan.cells if c.ref[0] == "A" and c.value == key)
            return f"{plan.name}!B{line}"
        return f"{plan.name}!{plan.columns[key]}{plan.data[0] + self.index(table_id, **match)}"

    def add(self, table_id: str, key: str, delta: str, **match: object) -> str:
        """Add delta to a cell; returns where it is."""
        data = self.table(table_id)
        if not match:
            data.fields[key] = Decimal(str(data.fields[key])) + Decimal(delta)
        else:
            row = data.rows[self.index(table_id, **match)]
            row[key] = Decimal(str(row.get(key) or 0)) + Decimal(delta)
        return self.cell(table_id, key, **match)

    def book(self, *ids: str) -> Book:
        """The workbook of the given tables (all when none are named)."""
        path = self.folder / "variant.xlsx"
        write_plans([lay_out(t) for t in self.tables if not ids or t.spec.id in ids], path)
        return load_book(path)


X201 = ('budget.summary', 'budget.expenditure')
X202 = ('budget.summary', 'budget.revenue')
X203 = ('budget.revenue', 'budget.expenditure')
X204 = ('budget.summary', 'budget.fiscal_summary')
X205 = ('budget.fiscal_summary', 'budget.general')
X206 = ('budget.summary', 'budget.general')
X207 = ('budget.fiscal_economic', 'budget.general_basic', 'budget.general_project')
X208 = ('budget.fiscal_economic', 'budget.general_sangong')
X209 = ('budget.general_project', 'budget.project_targets')
X210 = ('budget.general_project', 'budget.project_targets')
X211 = ('budget.overall_targets', 'budget.expenditure')
X212 = ('budget.procurement', 'budget.general_project', 'budget.project_targets')
X215 = ('budget.overall_targets', 'budget.fiscal_summary')
"""The tables each rule's test writes."""


@pytest.fixture
def variant(composed: Composed, tmp_path: Path) -> Variant:
    return Variant(composed, tmp_path)


def test_consistent_workbook_passes_every_cross_rule(variant: Variant) -> None:
    assert [str(f) for f in checks.run(variant.book(), select=["X"]) if f.severity != "note"] == []


def test_x201_summary_classes_vs_expenditure(variant: Variant) -> None:
    where = variant.add("budget.summary", "支出/预算数", "5.00", **{"支出/项目": "卫生健康支出"})
    assert found(variant.book(*X201), "X201") == [(where, "X201", "error")]


def test_x201_a_changed_class_row_of_the_detail_is_named(variant: Variant) -> None:
    changed = variant.add("budget.expenditure", "合计", "5.00", 类="210", 科目名称="卫生健康支出")
    at = variant.cell("budget.summary", "支出/预算数", **{"支出/项目": "卫生健康支出"})
    findings = checks.run(variant.book(*X201), select=["X201"])
    assert [(f.where, f.rule, f.severity.value) for f in findings] == [(at, "X201", "error")]
    assert changed in findings[0].related


def test_x202_summary_revenue_vs_revenue_table(variant: Variant) -> None:
    where = variant.add("budget.summary", "收入/预算数", "3.00", **{"收入/项目": "事业收入"})
    assert found(variant.book(*X202), "X202") == [(where, "X202", "error")]


def test_x203_units_agree_between_revenue_and_expenditure(variant: Variant) -> None:
    changed = variant.add("budget.revenue", "合计", "2.00", 单位代码="101002")
    at = variant.cell("budget.expenditure", "合计", 科目名称="101002 某市教育服务中心")
    findings = [f for f in checks.run(variant.book(*X203), select=["X203"]) if f.severity == "error"]
    assert [(f.where, f.rule) for f in findings] == [(at, "X203")]
    assert findings[0].related == (changed,)


def test_x204_fiscal_income_vs_summary(variant: Variant) -> None:
    where = variant.add("budget.fiscal_summary", "收入/预算数", "4.00", **{"收入/项目": "一般公共预算拨款收入"})
    assert found(variant.book(*X204), "X204") == [(where, "X204", "error")]


def test_x204_fiscal_class_may_not_exceed_the_department(variant: Variant) -> None:
    where = variant.add("budget.fiscal_summary", "支出/合计", "900.00", **{"支出/项目": "卫生健康支出"})
    assert found(variant.book(*X204), "X204") == [(where, "X204", "error")]


def test_x205_fiscal_general_column_vs_general_table(variant: Variant) -> None:
    changed = variant.add("budget.general", "合计", "6.00", 类="210", 科目名称="卫生健康支出")
    at = variant.cell("budget.fiscal_summary", "支出/一般公共预算", **{"支出/项目": "卫生健康支出"})
    findings = checks.run(variant.book(*X205), select=["X205"])
    assert [(f.where, f.rule, f.severity.value) for f in findings] == [(at, "X205", "error")]
    assert changed in findings[0].related


def test_x206_general_may_not_exceed_the_summary(variant: Variant) -> None:
    changed = variant.add("budget.general", "合计", "900.00", 类="210", 科目名称="卫生健康支出")
    at = variant.cell("budget.summary", "支出/预算数", **{"支出/项目": "卫生健康支出"})
    findings = checks.run(variant.book(*X206), select=["X206"])
    assert [(f.where, f.rule) for f in findings] == [(at, "X206")]
    assert changed in findings[0].related
    variant.add("budget.general", "合计", "-901.00", 类="210", 科目名称="卫生健康支出")  # less is allowed
    assert found(variant.book(*X206), "X206") == []


def test_x207_economic_units_vs_basic_and_project_tables(variant: Variant) -> None:
    changed = variant.add("budget.general_basic", "合计", "1.50", 科目名称="101001 某市教育局本级")
    at = variant.cell("budget.fiscal_economic", "一般公共预算拨款/基本支出", 科目名称="101001 某市教育局本级")
    findings = [f for f in checks.run(variant.book(*X207), select=["X207"]) if f.severity == "error"]
    assert [(f.where, f.rule) for f in findings] == [(at, "X207")]
    assert findings[0].related == (changed,)


def test_x208_sangong_vs_economic_items(variant: Variant) -> None:
    where = variant.add("budget.general_sangong", "公务接待费", "1.00", 单位代码="101002")
    assert found(variant.book(*X208), "X208") == [(where, "X208", "error")]


def test_x209_project_amounts_agree_with_targets(variant: Variant) -> None:
    project = variant.table("budget.general_project").rows[3]["项目名称"]
    targets = variant.table("budget.project_targets")
    first = variant.index("budget.project_targets", 项目名称=project)
    for row in targets.rows:
        if row["项目名称"] == project:
            row["预算数"] = Decimal(str(row["预算数"])) + 7
    plan = lay_out(targets)
    assert found(variant.book(*X209), "X209") == [(f"{plan.name}!{plan.columns['预算数']}{plan.data[0] + first}", "X209", "error")]


def test_x210_project_without_targets(variant: Variant) -> None:
    project = variant.table("budget.general_project").rows[3]["项目名称"]
    targets = variant.table("budget.project_targets")
    targets.rows = [r for r in targets.rows if r["项目名称"] != project]
    at = variant.cell("budget.general_project", "项目名称", 项目名称=project)
    assert found(variant.book(*X210), "X210") == [(at, "X210", "warning")]


def test_x211_overall_funds_vs_department_total(variant: Variant) -> None:
    where = variant.add("budget.overall_targets", "资金总额", "10.00")
    assert found(variant.book(*X211), "X211") == [(where, "X211", "error")]


def test_x215_overall_fiscal_vs_fiscal_summary(variant: Variant) -> None:
    assert found(variant.book(*X215), "X215") == []
    where = variant.add("budget.overall_targets", "财政拨款", "10.00")
    assert found(variant.book(*X215), "X215") == [(where, "X215", "error")]


def test_x212_procurement_within_its_project(variant: Variant) -> None:
    rows = variant.table("budget.procurement").rows
    first = next(r for r in rows if r.get("项目名称"))
    where = variant.add("budget.procurement", "总金额", "10000.00", 项目名称=first["项目名称"], 采购品目=first["采购品目"])
    assert found(variant.book(*X212), "X212") == [(where, "X212", "error")]
