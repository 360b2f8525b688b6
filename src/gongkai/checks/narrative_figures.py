"""The table figures a 说明 claim is compared with: one place that knows where each subject stands in which table.

`Figures(book)` answers `amount(subject, measure)` with a `Figure` (the value in 万元, the cells it comes from, a
label for messages and the table's own 舍位 bound) or a `Missing` with the reason in Chinese: the table that holds
it was not recognised, the 公开表 set has no such table (政府采购, a project's quarterly plan), or the 科目 the text
names is not in the tables (``problem=True``: that is a finding, not a limitation). Pure: reads a Book only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.amounts import UNIT_FACTORS, decimals
from ..core.claims import Subject
from ..core.codes import name as official_name
from ..core.model import Book, Cell, Row, Table
from ..core.text import fold, strip_ordinal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    """A figure of the tables: its value in 万元, the cells it is read from, how to name it, its 舍位 bound."""

    value: Decimal
    cells: tuple[str, ...]
    label: str
    bound: Decimal = ZERO
    """Half a unit of the printed precision of the table (0 for 元 tables), summed over the cells added."""
    code: str | None = None
    """功能分类 figures: the 科目编码 of the row."""
    path: tuple[str, ...] = ()
    """功能分类 figures: the 类, 款, 项 labels of the row as the table prints them."""
    unit: str = "万元"
    """The 金额单位 the table prints (a message quotes the figure as printed: "2,206,272元")."""


@dataclass(frozen=True)
class Missing:
    """Why a subject has no figure to compare with."""

    reason: str
    problem: bool = False
    """The text names something the tables do not hold (a finding), rather than a table gongkai could not read."""


Lookup = Figure | Missing

# 类 names that are no longer in use, with the 类 code and the current name (政府收支分类科目 reforms)
OLD_CLASS_NAMES: dict[str, tuple[str, str]] = {
    "文化体育与传媒支出": ("207", "文化旅游体育与传媒支出"),
    "医疗卫生与计划生育支出": ("210", "卫生健康支出"),
    "医疗卫生支出": ("210", "卫生健康支出"),
    "国土海洋气象等支出": ("220", "自然资源海洋气象等支出"),
    "国土资源气象等支出": ("220", "自然资源海洋气象等支出"),
}
"""Renamed 类 (2019 reform: 文化旅游体育与传媒, 卫生健康, 自然资源海洋气象; earlier names kept as seen in texts)."""
OLD_SUB_NAMES: dict[tuple[str, str], str] = {
    ("207", "文化"): "文化和旅游",
    ("207", "广播影视"): "广播电视",
}
"""Renamed 款 within a 类 (2019: 20701 文化 → 文化和旅游, 20708 广播影视 → 广播电视)."""


def name_key(text: str) -> str:
    """How two 科目 names are compared: folded, 其它 read as 其他, brackets and spaces dropped."""
    return re.sub(r"[()（）\s]", "", fold(text)).replace("其它", "其他")


def _bound(table: Table, cells: Iterable[Cell | None]) -> Decimal:
    """The 舍位 one printed cell may carry, in 万元, summed over the cells: 0.005 万元 per cell of a 万元 table with two
    decimals; nothing for 元 tables (whole 元 or 分 are the source figures, far below the 0.01 万元 of a text)."""
    unit = table.money_unit
    if unit == "元":
        return ZERO
    total = ZERO
    for c in cells:
        if c is None or c.amount is None:
            continue
        places = max(decimals(c.raw), 2) if unit in ("万元", "亿元") else decimals(c.raw)
        total += Decimal(5).scaleb(-places - 1) * UNIT_FACTORS.get(unit, Decimal(1))
    return total


def _title(table: Table) -> str:
    return f"「{table.title}」"


@dataclass
class _FunctionRow:
    code: str
    row: Row
    table: Table
    children: dict[str, _FunctionRow] = field(default_factory=dict)  # by name_key of the label


class Figures:
    """The figures of one recognised book, looked up by the subject of a claim."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.kind = _kind(book)

    # -- plumbing ------------------------------------------------------------------------------------

    def table(self, *ids: str) -> Table | None:
        for i in ids:
            t = self.book.get(i)
            if t is not None:
                return t
        return None

    def cell_figure(self, table: Table, row: Row, key: str, label: str, blank_is_zero: bool = True) -> Lookup:
        """One cell as a figure; a blank cell of a printed row is 0 (tables leave zero cells blank)."""
        cell = row.cells.get(key)
        if cell is None:
            try:
                table.ref(row, key)
            except KeyError:
                return Missing(f"{_title(table)}没有「{key}」列")
        if (cell is None or cell.amount is None) and not blank_is_zero:
            return Missing(f"{_title(table)}「{row.label}」的「{key}」没有数字")
        if cell is not None and cell.value is not None and cell.amount is None:
            return Missing(f"{_title(table)}「{row.label}」的「{key}」不是数字")
        value = cell.amount if cell is not None and cell.amount is not None else ZERO
        where = cell.where if cell is not None else table.where(row, key)
        return Figure(value, (where,), f"{_title(table)}{label}", _bound(table, [cell]), unit=table.money_unit)

    def side_row(self, table: Table, side: str | None, *items: str, labels: tuple[str, ...] = ()) -> Row | None:
        """A sided table's row by item key, else by its printed label (ordinal dropped)."""
        for r in table.rows:
            if (side is None or r.side == side) and r.item in items:
                return r
        wanted = {fold(x) for x in labels}
        for r in table.rows:
            if (side is None or r.side == side) and r.label and strip_ordinal(fold(r.label)) in wanted:
                return r
        return None

    def total_row(self, table: Table) -> Row | None:
        """A ledger table's 合计 row (the printed total of all rows)."""
        for r in table.rows:
            if r.kind == "total" and (not r.code) and (r.unit is None):
                return r
        return next((r for r in table.rows if r.kind == "total"), None)

    def column(self, table: Table, *keys: str) -> str | None:
        for k in keys:
            if k in table.columns:
                return k
        for k in keys:
            for c in table.columns:
                if c.endswith("/" + k) or c == k:
                    return c
        return None

    # -- subjects ------------------------------------------------------------------------------------

    def amount(self, subject: Subject, measure: str = "") -> Lookup:
        """The table figure a claim about ``subject`` (a figure of ``measure``) must equal."""
        key = subject.key
        if measure in ("执行数",):
            return Missing("上年执行数不在本年的表中")
        if key == "功能":
            return self.function(subject, measure)
        if key.startswith("三公/"):
            return self.sangong(key.split("/", 1)[1], measure)
        if measure in ("年初预算", "调整预算") and self.kind == "final":
            return Missing("表中没有年初预算数（决算表只列决算数）")
        if key == "机关运行经费":
            return self.running_cost()
        if key.startswith("绩效目标/"):
            return self.targets(key)
        if key.startswith(("政府采购/", "绩效评价/")):
            return Missing("公开表中没有这一项的明细表，未核对")
        if key in ("资产", "项目/用款计划", "项目", "?"):
            return Missing("公开表中没有项目或资产明细，未核对")
        if self.kind == "final":
            return self.final_amount(subject)
        return self.budget_amount(subject)

    def budget_amount(self, subject: Subject) -> Lookup:
        key = subject.key
        summary = self.table("budget.summary")
        fiscal = self.table("budget.fiscal_summary")
        if key in ("收入总计", "收支总计") and summary is not None:
            row = self.side_row(summary, "收入", "收入总计", labels=("收入总计", "收入合计", "总计"))
            if row is not None:
                return self.cell_figure(summary, row, "预算数", "收入总计")
        if key == "支出总计" and summary is not None:
            row = self.side_row(summary, "支出", "支出总计", labels=("支出总计", "支出合计", "总计"))
            if row is not None:
                return self.cell_figure(summary, row, "预算数", "支出总计")
        if key in ("财政拨款收入", "一般公共预算收入", "政府性基金收入", "国有资本经营收入", "事业收入", "经营收入", "其他收入",
                   "年初结转和结余") and summary is not None:
            labels = {
                "财政拨款收入": ("财政拨款收入", "财政拨款"),
                "一般公共预算收入": ("一般公共预算资金", "一般公共预算", "一般公共预算拨款收入", "一般公共预算拨款"),
                "政府性基金收入": ("政府性基金", "政府性基金预算", "政府性基金拨款收入"),
                "国有资本经营收入": ("国有资本经营预算", "国有资本经营预算拨款收入"),
                "事业收入": ("事业收入",), "经营收入": ("事业单位经营收入", "经营收入"), "其他收入": ("其他收入",),
                "年初结转和结余": ("上年结转", "上年结转结余"),
            }[key]
            items = {"财政拨款收入": ("财政拨款收入",), "事业收入": ("事业收入",), "经营收入": ("事业单位经营收入",),
                     "其他收入": ("其他收入",), "年初结转和结余": ("上年结转",)}.get(key, ())
            row = self.side_row(summary, "收入", *items, labels=labels)
            if row is not None:
                return self.cell_figure(summary, row, "预算数", row.label or key)
        if key in ("财政拨款支出", "一般公共预算支出", "政府性基金支出", "国有资本经营支出") and fiscal is not None:
            row = self.side_row(fiscal, "支出", "支出总计", labels=("支出总计",))
            col = {"财政拨款支出": "合计", "一般公共预算支出": "一般公共预算", "政府性基金支出": "政府性基金预算",
                   "国有资本经营支出": "国有资本经营预算"}[key]
            if row is not None and self.column(fiscal, f"支出/{col}", col):
                return self.cell_figure(fiscal, row, col, f"支出总计 / {col}")
        if key in ("基本支出", "项目支出", "一般公共预算基本支出"):
            col = "项目支出" if key == "项目支出" else "基本支出"
            ids = ("budget.general", "budget.expenditure") if subject.scope or key.startswith("一般") else ("budget.expenditure", "budget.general")
            for tid in ids:
                t = self.table(tid)
                row = self.total_row(t) if t is not None else None
                if t is not None and row is not None and col in t.columns:
                    return self.cell_figure(t, row, col, f"合计 / {col}")
            return Missing("没有识别出支出预算总表或一般公共预算支出功能分类预算表")
        if key in ("人员经费", "公用经费"):
            t = self.table("budget.general_basic")
            row = self.total_row(t) if t is not None else None
            if t is None or row is None:
                return Missing("没有识别出一般公共预算基本支出经济分类预算表")
            return self.cell_figure(t, row, key, f"合计 / {key}")
        if key in ("收入总计", "收支总计", "支出总计", "财政拨款收入", "事业收入", "经营收入", "其他收入"):
            return Missing("没有识别出部门财务收支预算总表")
        if key in ("财政拨款支出", "一般公共预算支出", "政府性基金支出", "国有资本经营支出"):
            return Missing("没有识别出部门财政拨款收支预算总表")
        return Missing("预算表中没有这一项")

    def final_amount(self, subject: Subject) -> Lookup:
        key = subject.key
        summary = self.table("final.summary")
        fiscal = self.table("final.fiscal_summary")
        simple = {
            "收支总计": ("收入", ("收入总计",), ("总计", "收入总计")),
            "收入总计": ("收入", ("收入总计",), ("总计", "收入总计")),
            "支出总计": ("支出", ("支出总计",), ("总计", "支出总计")),
            "本年收入合计": ("收入", ("本年收入合计",), ("本年收入合计",)),
            "本年支出合计": ("支出", ("本年支出合计",), ("本年支出合计",)),
            "一般公共预算收入": ("收入", ("一般公共预算财政拨款收入",), ("一般公共预算财政拨款收入",)),
            "政府性基金收入": ("收入", ("政府性基金预算财政拨款收入",), ("政府性基金预算财政拨款收入",)),
            "国有资本经营收入": ("收入", ("国有资本经营预算财政拨款收入",), ("国有资本经营预算财政拨款收入",)),
            "上级补助收入": ("收入", ("上级补助收入",), ("上级补助收入",)),
            "事业收入": ("收入", ("事业收入",), ("事业收入",)),
            "经营收入": ("收入", ("经营收入",), ("经营收入",)),
            "附属单位上缴收入": ("收入", ("附属单位上缴收入",), ("附属单位上缴收入",)),
            "其他收入": ("收入", ("其他收入",), ("其他收入",)),
            "年初结转和结余": ("收入", ("年初结转和结余",), ("年初结转和结余",)),
            "年末结转和结余": ("支出", ("年末结转和结余",), ("年末结转和结余",)),
        }
        if key in simple:
            if summary is None:
                return Missing("没有识别出收入支出决算总表")
            side, items, labels = simple[key]
            row = self.side_row(summary, side, *items, labels=labels)
            if row is None:
                return Missing(f"收入支出决算总表中没有「{LABEL.get(key, key)}」行")
            return self.cell_figure(summary, row, "决算数", row.label)
        if key == "财政拨款收入":
            if summary is None:
                return Missing("没有识别出收入支出决算总表")
            rows = [self.side_row(summary, "收入", k, labels=(k,)) for k in
                    ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")]
            figs = [self.cell_figure(summary, r, "决算数", r.label) for r in rows if r is not None]
            if not figs or any(isinstance(f, Missing) for f in figs):
                return Missing("收入支出决算总表中没有财政拨款收入各行")
            return _sum([f for f in figs if isinstance(f, Figure)], "「收入支出决算总表」财政拨款收入（三项之和）")
        if key == "财政拨款收支总计":
            if fiscal is None:
                return Missing("没有识别出财政拨款收入支出决算总表")
            row = self.side_row(fiscal, "收入", "收入总计", labels=("总计",))
            if row is None:
                return Missing("财政拨款收入支出决算总表中没有总计行")
            return self.cell_figure(fiscal, row, "决算数", "总计")
        if key in ("财政拨款支出", "一般公共预算支出", "政府性基金支出", "国有资本经营支出"):
            col = {"财政拨款支出": "合计", "一般公共预算支出": "一般公共预算财政拨款", "政府性基金支出": "政府性基金预算财政拨款",
                   "国有资本经营支出": "国有资本经营预算财政拨款"}[key]
            if fiscal is None:
                return Missing("没有识别出财政拨款收入支出决算总表")
            row = self.side_row(fiscal, "支出", "本年支出合计", labels=("本年支出合计",))
            if row is None:
                return Missing("财政拨款收入支出决算总表中没有本年支出合计行")
            return self.cell_figure(fiscal, row, col, f"本年支出合计 / {col}")
        if key in ("基本支出", "项目支出", "一般公共预算基本支出", "上缴上级支出", "经营支出", "对附属单位补助支出"):
            col = "基本支出" if key == "一般公共预算基本支出" else key
            ids = ("final.general", "final.expenditure") if subject.scope or key.startswith("一般") else ("final.expenditure", "final.general")
            for tid in ids:
                t = self.table(tid)
                row = self.total_row(t) if t is not None else None
                if t is not None and row is not None and col in t.columns:
                    return self.cell_figure(t, row, col, f"合计 / {col}")
            return Missing("没有识别出支出决算表")
        if key in ("人员经费", "公用经费"):
            t = self.table("final.general_basic")
            if t is None:
                return Missing("没有识别出一般公共预算财政拨款基本支出决算表")
            for r in t.rows:
                if r.kind == "total" and key in (r.label or ""):  # 人员经费合计 | 公用经费合计, side by side
                    amount_key = next((k for k in ("决算数", "合计", "金额") if k in r.cells), None)
                    if amount_key:
                        return self.cell_figure(t, r, amount_key, f"{r.label}")
            row = self.total_row(t)
            if row is not None and key in t.columns:
                return self.cell_figure(t, row, key, f"合计 / {key}")
            return Missing("基本支出决算表中没有人员经费/公用经费合计")
        return Missing("决算表中没有这一项")

    def sangong(self, item: str, measure: str) -> Lookup:
        t = self.table("budget.general_sangong", "final.sangong")
        if t is None:
            return Missing("没有识别出“三公”经费表")
        group = ""
        if t.id == "final.sangong":
            group = "预算数/" if measure in ("年初预算", "调整预算", "预算") else "决算数/"
        key = {
            "合计": "合计", "因公出国(境)费": "因公出国(境)费", "公务用车购置及运行费": "公务用车购置及运行费",
            "公务用车购置费": "公务用车购置及运行费/公务用车购置费", "公务用车运行费": "公务用车购置及运行费/公务用车运行费",
            "公务接待费": "公务接待费",
        }[item]
        col = self.column(t, group + key, key)
        row = self.total_row(t) or (t.rows[0] if t.rows else None)
        if col is None or row is None:
            return Missing("“三公”经费表中没有这一列或没有数据行")
        return self.cell_figure(t, row, col, f"{col}")

    def running_cost(self) -> Lookup:
        t = self.table("budget.general_sangong", "final.sangong")
        if t is None:
            return Missing("没有识别出“三公”经费和机关运行经费表")
        col = next((c for c in t.columns if "机关运行" in c), None)
        row = self.total_row(t) or (t.rows[0] if t.rows else None)
        if col is None or row is None:
            return Missing("表中没有机关运行经费列")
        return self.cell_figure(t, row, col, "机关运行经费")

    def targets(self, key: str) -> Lookup:
        tables = [t for t in self.book.tables if t.id == "budget.project_targets"]
        if not tables:
            return Missing("文件中没有（或没有识别出）项目绩效目标表")
        if key.endswith("/项目数"):
            projects = [p for t in tables for p in _target_amounts(t)]
            return Figure(Decimal(len(projects)), tuple(w for _, w, _ in projects), f"{len(tables)}张项目绩效目标表中的项目")
        figs = [(v, w, b) for t in tables for v, w, b in _target_amounts(t)]
        if not figs:
            return Missing("项目绩效目标表中没有读出资金总额")
        return Figure(
            sum((v for v, _, _ in figs), ZERO), tuple(w for _, w, _ in figs),
            f"{len(figs)}个项目绩效目标表的项目资金总额之和", sum((b for _, _, b in figs), ZERO), unit=tables[0].money_unit,
        )

    # -- 功能分类 ------------------------------------------------------------------------------------------

    def function_tables(self, scope: str) -> tuple[list[Table], str]:
        """The ledger tables a 功能分类 claim is read from, and the amount column: the 一般公共预算 table first;
        the 支出 table of the whole budget only when every yuan of it is 一般公共预算 money (then they are one)."""
        if self.kind == "final":
            ids = ("final.general",) if scope else ("final.general", "final.expenditure")
            tables = [t for i in ids if (t := self.book.get(i)) is not None]
            return tables, "本年支出合计"
        tables = [t for i in ("budget.general", "budget.fund", "budget.capital") if (t := self.book.get(i)) is not None]
        expenditure = self.book.get("budget.expenditure")
        if expenditure is not None and (not tables or not any(t.id == "budget.general" for t in tables)) and self._all_general():
            tables.append(expenditure)
        return tables, "合计"

    def _all_general(self) -> bool:
        """The budget is all 一般公共预算 money: 收入总计 = 一般公共预算 财政拨款 in the summary tables."""
        summary = self.book.get("budget.summary")
        if summary is None:
            return False
        total = self.side_row(summary, "收入", "收入总计", labels=("收入总计", "总计"))
        general = self.side_row(summary, "收入", "一般公共预算拨款收入", labels=("一般公共预算资金", "一般公共预算"))
        if total is None or general is None:
            return False
        a, b = total.amount("预算数"), general.amount("预算数")
        return a is not None and a == b

    def function(self, subject: Subject, measure: str) -> Lookup:
        tables, col = self.function_tables(subject.scope)
        if measure in ("年初预算", "调整预算") and self.kind == "final":
            col = "年初预算数" if measure == "年初预算" else "调整后预算数"
            tables = [t for t in tables if col in t.columns]
            if not tables:
                return Missing("表中没有年初预算数（决算表只列决算数）")
        if not tables:
            what = "一般公共预算财政拨款支出决算表" if self.kind == "final" else "一般公共预算支出功能分类预算表"
            return Missing(f"没有识别出{what}")
        for t in tables:
            found = resolve(_tree(t), subject)
            if found is None:
                continue
            node = found
            fig = self.cell_figure(t, node.row, col, f"{node.code} {node.row.label}")
            if isinstance(fig, Figure):
                return Figure(fig.value, fig.cells, fig.label, fig.bound, node.code, _path_labels(node, t), fig.unit)
            return fig
        return Missing(f"表中找不到科目「{subject.label}」", problem=True)


LABEL = {"收支总计": "总计"}


def _sum(figs: list[Figure], label: str) -> Figure:
    return Figure(
        sum((f.value for f in figs), ZERO), tuple(c for f in figs for c in f.cells), label, sum((f.bound for f in figs), ZERO),
        unit=figs[0].unit if figs else "万元",
    )


def _kind(book: Book) -> str:
    ids = {t.id for t in book.tables}
    if any(i.startswith("final.") for i in ids) and not any(i.startswith("budget.") and i != "budget.project_targets" for i in ids):
        return "final"
    return "budget"


def _target_amounts(t: Table) -> Iterator[tuple[Decimal, str, Decimal]]:
    """The 项目资金总额 of each project of a 项目绩效目标表 (a form's field, or the 预算数 of each project block)."""
    for key in ("资金总额", "项目资金总额", "预算数", "年度资金总额"):
        cell = t.fields.get(key)
        if cell is not None and cell.amount is not None:
            yield cell.amount, cell.where, _bound(t, [cell])
            return
    funds = [r for r in t.rows if r.kind == "fund"]
    for labels in (("项目资金总额", "资金总额"), ("年度资金总额", "年度资金申请总额")):
        for r in funds:
            if fold(r.label) in labels:
                cell = next((c for c in r.cells.values() if c.amount is not None), None)
                if cell is not None and cell.amount is not None:
                    yield cell.amount, cell.where, _bound(t, [cell])
                    return
    seen: set[str] = set()
    for r in t.rows:
        cell = r.cells.get("预算数")
        name = r.project or r.text("项目名称")
        if cell is None or cell.amount is None or name in seen:
            continue
        seen.add(name)
        yield cell.amount, cell.where, _bound(t, [cell])


def _tree(table: Table) -> dict[str, _FunctionRow]:
    """The 功能分类 rows of a ledger table as a tree of 类 → 款 → 项 by name (memoised per table)."""

    def build(t: Table) -> dict[str, _FunctionRow]:
        nodes: dict[str, _FunctionRow] = {}
        for r in t.rows:
            code = r.code
            if not code or not code.isdigit() or len(code) not in (3, 5, 7) or code in nodes:
                continue
            nodes[code] = _FunctionRow(code, r, t)
        roots: dict[str, _FunctionRow] = {}
        for code, node in nodes.items():
            if len(code) == 3:
                roots[name_key(node.row.label) or code] = node
                roots.setdefault("#" + code, node)
            else:
                parent = nodes.get(code[:-2])
                if parent is not None:
                    parent.children.setdefault(name_key(node.row.label), node)
                    parent.children.setdefault("#" + code, node)
        return roots

    return table.memo("narrative.tree", build)


def _path_labels(node: _FunctionRow, table: Table) -> tuple[str, ...]:
    tree = _tree(table)
    out: list[str] = []
    code = node.code
    for n in (3, 5, 7):
        if len(code) < n:
            break
        part = code[:n]
        found = _find_code(tree, part)
        out.append(found.row.label if found is not None else part)
    return tuple(out)


def _find_code(tree: dict[str, _FunctionRow], code: str) -> _FunctionRow | None:
    node = tree.get("#" + code[:3])
    for n in (5, 7):
        if node is None or len(code) < n:
            break
        node = node.children.get("#" + code[:n])
    return node


def class_code(name: str) -> str | None:
    """The 类 code of a 类 name, current or old."""
    key = name_key(name)
    old = OLD_CLASS_NAMES.get(key)
    if old:
        return old[0]
    for code in (f"2{n:02d}" for n in range(1, 35)):
        official = official_name(code, "function")
        if official and name_key(official) == key:
            return code
    return None


def resolve(tree: dict[str, _FunctionRow], subject: Subject) -> _FunctionRow | None:
    """The table row a 功能分类 subject names: the exact path of names first; else, within the 类, the one row whose
    name is the deepest name the text gives (a name written at the wrong level: "卫生健康支出（款）计划生育事务（项）")."""
    names = [name_key(n) for n in subject.names]
    if not names:
        return None
    lei = names[0]
    root = tree.get(lei)
    if root is None:
        code = class_code(subject.names[0])
        root = tree.get("#" + code) if code else None
        if root is None:  # a 类 name with junk before it ("…以下方面一般公共服务支出")
            root = next((n for k, n in tree.items() if not k.startswith("#") and lei.endswith(k)), None)
    if root is None:
        return None
    node: _FunctionRow | None = root
    for n in names[1:]:
        node = node.children.get(n) if node is not None else None
    if node is not None:
        return node
    # the deepest name, anywhere under the 类
    for n in reversed(names[1:]):
        hits = [x for x in _descendants(root) if name_key(x.row.label) == n]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1 and len(names) == 3:
            # one of several 一般行政管理事务: the one under the 款 the text names
            kuan = [x for x in hits if name_key(_parent_label(root, x)) == names[1]]
            if len(kuan) == 1:
                return kuan[0]
    return None


def _descendants(node: _FunctionRow) -> Iterator[_FunctionRow]:
    seen: set[str] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        for child in n.children.values():
            if child.code not in seen:
                seen.add(child.code)
                yield child
                todo.append(child)


def _parent_label(root: _FunctionRow, node: _FunctionRow) -> str:
    code = node.code[:-2]
    for x in [root, *_descendants(root)]:
        if x.code == code:
            return x.row.label
    return ""
