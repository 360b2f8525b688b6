"""Template plans: the 公开表 as published, with live formulas, dropdowns, protection and defined names. Pure.

Two entry points build a `BookTemplate` (plans plus what makes them a template); `write.workbook.write_template` applies it:

* `blank(table_ids)`: empty templates for clerks. Every 合计 row sums the rows that belong in it (SUMIFS over the
  类 rows, or over the rows with a 单位代码), every row's column equation of the spec (合计 = 基本支出 + 项目支出 …)
  is a formula, 部门收支总表 takes its 收入 from 部门收入总表 and its 类 rows from 部门支出总表 when both are in the
  workbook.
* `filled(composed)`: the budget set composed from line items, where every total cell is a formula over the cells it
  is made of (`Composed.parts`, within a sheet and across sheets) and carries its value as the cached result, so
  Excel, LibreOffice and calamine all see the numbers.

Defined names are the contract other tools may rely on:

* ``gk_<table>`` (table id with ``.`` → ``_``, e.g. ``gk_budget_expenditure``): the table's data area;
* ``gk_<table>_合计``: its 合计 row (ledger tables), ``gk_<table>_收入总计`` / ``gk_<table>_支出总计`` (sided tables),
  ``gk_<table>_资金总额`` (表7);
* ``gk_kind``: ``"budget"``, ``"final"`` or ``"selfeval"``; list names (``指标性质``, ``一级指标``, one per 一级指标 for
  the dependent 二级指标 list, ``度量单位``, ``指标方向性``, ``是否``) on the hidden ``下拉选项`` sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..core.addresses import col_index, col_letter
from ..core.indicator_values import LEVELS
from ..core.specs import (
    EXPENDITURE_EXTRA,
    FUNCTION_CLASSES,
    SELFEVAL_FUND_ROWS,
    SPECS,
    TableSpec,
    spec,
)
from .compose_budget import FIELDS, Composed, Node
from .layout import CellWrite, SheetPlan, TableData, Value, lay_out
from .lineitems import DIRECTIONS, MEASURES, NATURES

BLANK_ROWS = 20
"""Entry rows of a blank table: a blank table prints on one page; more rows are inserted inside the block."""
FLAG_KINDS = ("flag",)

BUDGET_SET = tuple(s.id for s in SPECS if s.id.startswith("budget."))
FINAL_SET = tuple(s.id for s in SPECS if s.id.startswith("final.") and s.id not in ("final.project_selfeval", "final.overall_selfeval"))

FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "budget-set.xlsx": ("budget", BUDGET_SET),
    "budget-summary.xlsx": ("budget", ("budget.summary",)),
    "budget-fiscal-economic.xlsx": ("budget", ("budget.fiscal_economic",)),
    "budget-project-targets.xlsx": ("budget", ("budget.project_targets",)),
    "final-set.xlsx": ("final", FINAL_SET),
    "final-selfeval.xlsx": ("selfeval", ("final.project_selfeval",)),
}
"""The templates `gongkai template` writes: file name → (kind, tables)."""


@dataclass(frozen=True)
class Validation:
    """A data-validation rule: a list (``formula`` like ``=指标性质``) or a whole/decimal range."""

    ref: str
    formula: str
    kind: str = "list"
    strict: bool = True
    prompt: str = ""


@dataclass
class SheetTemplate:
    """A sheet plan plus what makes it a template."""

    plan: SheetPlan
    validations: list[Validation] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    """Ranges left unlocked under sheet protection (where clerks type)."""
    names: dict[str, str] = field(default_factory=dict)
    """Defined name → range on this sheet, e.g. "$A$6:$G$40"."""
    cached: dict[str, Decimal] = field(default_factory=dict)
    """Formula cell → its value (written as the cached result)."""


@dataclass
class BookTemplate:
    """A whole workbook: sheets, dropdown lists and the 填表说明."""

    kind: str
    sheets: list[SheetTemplate]
    lists: dict[str, list[str]]
    instructions: list[str]


def name_of(table_id: str) -> str:
    """The defined name of a table's data area: ``gk_budget_expenditure``."""
    return "gk_" + table_id.replace(".", "_")


def lists() -> dict[str, list[str]]:
    """The dropdown lists, by defined name."""
    out: dict[str, list[str]] = {
        "指标性质": list(NATURES), "一级指标": list(LEVELS), "度量单位": list(MEASURES),
        "指标方向性": list(DIRECTIONS), "是否": ["是", "否"],
    }
    for level1, level2 in LEVELS.items():
        out[level1] = list(level2)
    return out


def instructions(kind: str, table_ids: Sequence[str], *, filled: bool = False) -> list[str]:
    """The 填表说明 lines; `filled`: of a workbook `gongkai fill` composed, whose totals point at their rows."""
    titles = "、".join(spec(t).title.replace("(", "（").replace(")", "）") for t in table_ids)
    # where a row may be inserted, as LibreOffice does it (tests/test_template_rows.py): between two rows of a blank
    # block, then its formulas filled down; a filled workbook's 合计/小计 name their rows one by one
    extending = (
        "6. 本工作簿由 gongkai fill 从预算明细生成，合计、小计公式逐一引用各明细行，在表中插入的行不计入合计："
        "要增加或修改科目，请修改预算明细后重新运行 gongkai fill。"
        if filled else
        "6. 空表请保留表头，并在表内注明「本表无数据」。行不够时，在填写区内两行之间插入行：右键点填写区第二行至最后一行中任一行的行号→「插入」（WPS、LibreOffice 为「在上方插入行」；工作表保护允许插入），新行沿用上一行的格式；再选中上一行和新行的公式单元格（如「合计」列）按 Ctrl+D 向下填充公式，合计行即包含新行。不要在填写区第一行之上或最后一行之下插入行：那里的行不计入合计。"
    )
    lines = [
        "填表说明",
        f"本工作簿包含：{titles}。",
        "1. 白色单元格为填写区；"
        + ("灰色表头和公式单元格已锁定" if filled else "灰色表头和合计/小计行的公式单元格已锁定")
        + "（工作表保护无密码，可在「审阅→撤销工作表保护」中取消）"
        + ("。" if filled else "；填写区各行自带的公式（如本行合计 = 基本支出 + 项目支出）未锁定，以便插入行后向下填充，请勿改写。"),
        "2. 金额单位为万元，保留两位小数；从元折算万元时请逐行四舍五入（舍位），合计由公式计算，可能与各行之和相差几分钱，属正常舍位差。",
        "3. 科目编码按《政府收支分类科目》填写：类 3 位、款 2 位、项 2 位（分列填写），经济分类款 5 位。",
        "4. 单位小计行在「科目名称」列填写「单位代码 单位名称」，如「101001 某某局本级」；小计和合计行不要手工改写公式。",
        "5. 绩效指标：指标性质、一级/二级指标、度量单位、指标方向性可从下拉列表选择；二级指标随一级指标变化；同一项目权重合计应为 100（或按本省规定为 90）；定性指标不填度量单位；正向指标对应「≥」，反向指标对应「≤」。",
        extending,
        "7. 填好后可用 gongkai check 文件名.xlsx 检查勾稽关系；也可用 gongkai fill 从预算明细（每行一条预算）自动生成全部表格。",
    ]
    if kind == "selfeval":
        lines.append("8. 自评表：执行率 = 全年执行数 / 全年预算数，由公式计算；未完成年度指标值的须填写偏差原因分析及改进措施。")
    return lines


# ---------------------------------------------------------------------------------------------------------
# formulas
# ---------------------------------------------------------------------------------------------------------


def _ranges(refs: Sequence[tuple[str, int]]) -> list[str]:
    """("E", 7), ("E", 8), ("E", 9), ("E", 12) → ["E7:E9", "E12"]."""
    out: list[str] = []
    by_col: dict[str, list[int]] = defaultdict(list)
    for c, r in refs:
        by_col[c].append(r)
    for c, rows in by_col.items():
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:]:
            if r == prev + 1:
                prev = r
                continue
            out.append(f"{c}{start}" if start == prev else f"{c}{start}:{c}{prev}")
            start = prev = r
        out.append(f"{c}{start}" if start == prev else f"{c}{start}:{c}{prev}")
    return out


def sheet_ref(sheet: str, home: str) -> str:
    return "" if sheet == home else f"'{sheet}'!"


def sum_formula(home: str, refs: Sequence[tuple[str, str, int]]) -> str:
    """``=SUM(...)`` of cells given as (sheet, column, row); a single cell as ``=E7``; nothing as ``=0``."""
    by_sheet: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sheet, c, r in refs:
        by_sheet[sheet].append((c, r))
    terms = [sheet_ref(s, home) + rng for s, cells in by_sheet.items() for rng in _ranges(cells)]
    if not terms:
        return "=0"
    if len(terms) == 1 and ":" not in terms[0]:
        return "=" + terms[0]
    return f"=SUM({','.join(terms)})"


# ---------------------------------------------------------------------------------------------------------
# filled workbooks
# ---------------------------------------------------------------------------------------------------------


def filled(composed: Composed, table_ids: Iterable[str] | None = None) -> BookTemplate:
    """The composed tables as a template workbook: totals as live formulas with cached values."""
    wanted = list(table_ids) if table_ids is not None else [t.spec.id for t in composed.tables]
    plans: dict[str, SheetPlan] = {}
    where: dict[Node, tuple[str, str, int]] = {}
    for data in composed.tables:
        if data.spec.id not in wanted:
            continue
        plan = lay_out(data)
        plans[data.spec.id] = plan
        where |= _node_cells(data, plan)
    sheets = []
    for table_id, plan in plans.items():
        sheet = SheetTemplate(plan)
        index = {c.ref: i for i, c in enumerate(plan.cells)}
        for node, parts in composed.parts.items():
            if node[0] != table_id or node not in where:
                continue
            _, col, row = where[node]
            ref = f"{col}{row}"
            if any(p not in where for p in parts):  # a part on a sheet this workbook lacks: keep the value
                continue
            formula = sum_formula(plan.name, [where[p] for p in parts])
            value = composed.values[node]
            if ref in index:
                plan.cells[index[ref]] = CellWrite(ref, formula, "formula")
            else:
                plan.cells.append(CellWrite(ref, formula, "formula"))
            sheet.cached[ref] = value
        _decorate(sheet, data_spec(table_id), filled=True)
        sheets.append(sheet)
    kind = "budget"
    return BookTemplate(kind=kind, sheets=sheets, lists=lists(), instructions=instructions(kind, wanted, filled=True))


def data_spec(table_id: str) -> TableSpec:
    return spec(table_id)


def _node_cells(data: TableData, plan: SheetPlan) -> dict[Node, tuple[str, str, int]]:
    """Where each amount node of a table landed on its sheet."""
    out: dict[Node, tuple[str, str, int]] = {}
    tid = data.spec.id
    if data.spec.layout == "form":
        labels = {c.value: _row(c.ref) for c in plan.cells if c.role == "header" and c.ref.startswith("A")}
        for key in data.fields:
            if key in labels:
                out[(tid, FIELDS, key)] = (plan.name, "B", labels[key])
        first = plan.data[0]
    else:
        first = plan.data[0]
    for r, row in enumerate(data.rows):
        for key in row:
            letter = plan.columns.get(key)
            if letter is not None:
                out[(tid, r, key)] = (plan.name, letter, first + r)
    return out


# ---------------------------------------------------------------------------------------------------------
# blank templates
# ---------------------------------------------------------------------------------------------------------


def blank(table_ids: Sequence[str], kind: str = "budget", department: str = "", rows: int = BLANK_ROWS) -> BookTemplate:
    """Empty templates of the tables, one sheet each, with formulas, dropdowns and protection."""
    plans: dict[str, SheetPlan] = {}
    # sided tables last: 部门收支总表 links to the ledgers' cells
    for table_id in sorted(table_ids, key=lambda t: spec(t).layout == "sided"):
        s = spec(table_id)
        data = TableData(spec=s, department=department or "", money_unit="万元")
        if s.layout == "sided":
            plans[table_id] = _blank_sided(data, plans)
        elif s.layout == "form":
            plans[table_id] = _blank_form(data, rows)
        else:
            plans[table_id] = _blank_ledger(data, rows)
    sheets: list[SheetTemplate] = []
    for table_id in table_ids:
        sheet = SheetTemplate(plans[table_id])
        _decorate(sheet, spec(table_id), filled=False)
        sheets.append(sheet)
    return BookTemplate(kind=kind, sheets=sheets, lists=lists(), instructions=instructions(kind, table_ids))


def _label_key(s: TableSpec) -> str | None:
    return next((c.key for c in s.columns if c.kind == "name"), None)


def _amount_keys(s: TableSpec, columns: Iterable[str]) -> list[str]:
    return [k for k in columns if s.column(k).kind == "amount"]


def _optional_keys(s: TableSpec) -> list[str]:
    """Optional columns a template prints: all of them, except those `compose` never fills (上缴上级支出 …)."""
    skip = {c.key for c in EXPENDITURE_EXTRA} if s.side == "budget" else set()
    return [c.key for c in s.columns if not c.required and c.kind != "code" and c.key not in skip and c.template is not False]


def _lay_out_all(data: TableData) -> SheetPlan:
    """`lay_out` with the optional columns printed: a marker row makes them count as filled, then goes."""
    keys = _optional_keys(data.spec)
    if not keys:
        return lay_out(data)
    marked = replace(data, rows=[*data.rows, dict.fromkeys(keys, _MARKER)])
    plan = lay_out(marked)
    plan.cells = [c for c in plan.cells if c.value != _MARKER]
    plan.data = (plan.data[0], plan.data[1] - 1)
    return plan


_MARKER = "\x00optional"


def _blank_ledger(data: TableData, n: int) -> SheetPlan:
    s = data.spec
    label = _label_key(s)
    has_total = s.layout != "indicators" and label is not None
    data.rows = [{label: "合计"}] if has_total and label else []
    data.rows += [{} for _ in range(n)]
    plan = _lay_out_all(data)
    if not has_total:
        return plan
    first, last = plan.data[0] + 1, plan.data[1]
    cols = plan.columns
    criteria = _total_criteria(s, cols, first, last)
    cells = {c.ref: i for i, c in enumerate(plan.cells)}
    for key in _amount_keys(s, cols):
        letter = cols[key]
        rng = f"{letter}{first}:{letter}{last}"
        formula = f"=SUMIFS({rng},{criteria})" if criteria else f"=SUM({rng})"
        _put(plan, cells, f"{letter}{plan.data[0]}", formula)
    equations = {t: parts for t, parts in reversed(s.sums)}  # a total with two equations: the first one builds it
    for r in range(first, last + 1):
        for total_key, parts in equations.items():
            refs = [("", cols[p], r) for p in s.printed_parts(parts, cols)]
            if total_key in cols and refs:
                _put(plan, cells, f"{cols[total_key]}{r}", sum_formula("", refs))
    return plan


def _put(plan: SheetPlan, index: dict[str, int], ref: str, formula: str) -> None:
    if ref in index:
        plan.cells[index[ref]] = CellWrite(ref, formula, "formula")
    else:
        index[ref] = len(plan.cells)
        plan.cells.append(CellWrite(ref, formula, "formula"))


def _total_criteria(s: TableSpec, cols: dict[str, str], first: int, last: int) -> str:
    """SUMIFS criteria selecting the rows a 合计 adds up: the 类 rows, the 项 rows, or the unit rows."""

    def rng(key: str) -> str:
        return f"{cols[key]}{first}:{cols[key]}{last}"

    if "项目名称" in cols and "项" in cols:  # per 项 a subtotal, then projects: add the 项 rows
        return f'{rng("项")},"<>"'
    if "类" in cols and "款" in cols:
        return f'{rng("类")},"<>",{rng("款")},""'
    if "单位代码" in cols:
        return f'{rng("单位代码")},"<>"'
    return ""


def _blank_sided(data: TableData, plans: dict[str, SheetPlan]) -> SheetPlan:
    s = data.spec
    left, right = s.sides
    right_items = [("类:" + code, name) for code, name in FUNCTION_CLASSES.items()] if right.classes else []
    left_rows = [(i.key, i.labels[0] if i.parent else i.key) for i in left.items if i.template]
    right_fixed = [(i.key, i.key) for i in right.items if i.template]
    right_rows = right_fixed[:1] + right_items + right_fixed[1:] if s.id.endswith("fiscal_summary") else right_items + right_fixed
    n = max(len(left_rows), len(right_rows))
    rows: list[dict[str, Value]] = [{} for _ in range(n)]
    place_left = {key: i for i, (key, _) in enumerate(left_rows[:-1])} | {left_rows[-1][0]: n - 1}
    place_right = {key: i for i, (key, _) in enumerate(right_rows[:-1])} | {right_rows[-1][0]: n - 1}
    for (key, label) in left_rows:
        rows[place_left[key]][f"{left.under[0]}/项目"] = label
    for (key, label) in right_rows:
        rows[place_right[key]][f"{right.under[0]}/项目"] = label
    data.rows = rows
    plan = _lay_out_all(data)
    cols = plan.columns
    first = plan.data[0]
    cells = {c.ref: i for i, c in enumerate(plan.cells)}
    for side, place in ((left, place_left), (right, place_right)):
        amounts = [k for k in cols if k.startswith(side.under[0] + "/") and s.column(k).kind == "amount"]
        for item in side.items:
            if not item.total_of or item.key not in place:
                continue
            parts = side.printed_parts(item.total_of, place)
            part_rows = [place[p] for p in parts if p != "类"]
            if "类" in parts:
                part_rows += [place[k] for k in place if k.startswith("类:")]
            for key in amounts:
                _put(plan, cells, f"{cols[key]}{first + place[item.key]}", sum_formula("", [("", cols[key], first + r) for r in part_rows]))
        # the row equations (表2: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营) on the other rows
        totals = {place[i.key] for i in side.items if i.total_of and i.key in place}
        for total_key, sum_parts in s.sums:
            if not total_key.startswith(side.under[0] + "/") or total_key not in cols:
                continue
            refs_cols = [cols[p] for p in sum_parts if p in cols]
            if not refs_cols:  # none of the parts printed (表1 支出 预算数 without 基本支出 / 项目支出 columns)
                continue
            for r in set(place.values()) - totals:
                refs = [("", c, first + r) for c in refs_cols]
                _put(plan, cells, f"{cols[total_key]}{first + r}", sum_formula("", refs))
    if s.id == "budget.summary":
        _summary_links(plan, cells, place_left, place_right, plans)
    return plan


def _summary_links(plan: SheetPlan, cells: dict[str, int], left: dict[str, int], right: dict[str, int], plans: dict[str, SheetPlan]) -> None:
    """部门收支总表 takes its 收入 from 部门收入总表's 合计 row and its 类 rows from 部门支出总表, when present."""
    first = plan.data[0]
    income, spend = plan.columns["收入/预算数"], plan.columns["支出/预算数"]
    revenue = plans.get("budget.revenue")
    if revenue is not None:
        for key in [*(k for k in left if k in revenue.columns), "上年结转", "用事业基金弥补收支差额"]:
            if key in left and key in revenue.columns:
                _put(plan, cells, f"{income}{first + left[key]}", f"='{revenue.name}'!{revenue.columns[key]}{revenue.data[0]}")
    expenditure = plans.get("budget.expenditure")
    if expenditure is not None:
        e = expenditure.columns
        a, b = expenditure.data[0] + 1, expenditure.data[1]
        for key, r in right.items():
            if key.startswith("类:"):
                code = key[2:]
                formula = (
                    f"=SUMIFS('{expenditure.name}'!{e['合计']}{a}:{e['合计']}{b},'{expenditure.name}'!{e['类']}{a}:{e['类']}{b},\"{code}\","
                    f"'{expenditure.name}'!{e['款']}{a}:{e['款']}{b},\"\")"
                )
                _put(plan, cells, f"{spend}{first + r}", formula)


def _blank_form(data: TableData, n: int) -> SheetPlan:
    s = data.spec
    data.rows = [{} for _ in range(n)]
    if s.id == "final.project_selfeval":
        data.funds = [{"项目": it.key} for it in SELFEVAL_FUND_ROWS]
    plan = _lay_out_all(data)
    cells = {c.ref: i for i, c in enumerate(plan.cells)}
    labels = {c.value: _row(c.ref) for c in plan.cells if c.ref.startswith("A") and c.role in ("header", "label")}
    if s.id == "budget.overall_targets" and {"资金总额", "财政拨款", "其他资金"} <= labels.keys():
        _put(plan, cells, f"B{labels['资金总额']}", f"=B{labels['财政拨款']}+B{labels['其他资金']}")
    if s.id == "final.project_selfeval":
        fund_cols = {k.split(":", 1)[1]: v for k, v in plan.columns.items() if k.startswith("资金:")}
        for it in SELFEVAL_FUND_ROWS:
            r = labels.get(it.key)
            if r is None:
                continue
            for key in ("年初预算数", "全年预算数", "全年执行数"):
                if it.total_of and key in fund_cols:
                    refs = [("", fund_cols[key], labels[p]) for p in it.total_of if p in labels]
                    _put(plan, cells, f"{fund_cols[key]}{r}", sum_formula("", refs))
            if {"执行率", "全年预算数", "全年执行数"} <= fund_cols.keys():
                b, e = f"{fund_cols['全年预算数']}{r}", f"{fund_cols['全年执行数']}{r}"
                _put(plan, cells, f"{fund_cols['执行率']}{r}", f'=IF(N({b})=0,"",{e}/{b})')
    return plan


# ---------------------------------------------------------------------------------------------------------
# validations, inputs, names
# ---------------------------------------------------------------------------------------------------------


def _decorate(sheet: SheetTemplate, s: TableSpec, *, filled: bool) -> None:
    plan = sheet.plan
    cols = plan.columns
    first, last = plan.data
    if s.layout == "form":
        # the blank rows of the indicator grid, and the labelled fields in column B
        pass
    if last < first:
        last = first
    width = max((ord(c[0]) - 64 if len(c) == 1 else 27 for c in cols.values()), default=1)
    formulas = {c.ref for c in plan.cells if c.role == "formula"}
    rows_of_data = range(first + (0 if s.layout in ("indicators", "form") or filled else 1), last + 1)
    # A blank ledger's entry rows are a block the clerk extends: a row inserted inside it takes the look of the row
    # above (LibreOffice, Excel, WPS), protection included, but no formula. Its row-equation cells (合计 = 基本支出 +
    # 项目支出) are left unlocked with their formulas, so the clerk can fill them down (Ctrl+D) into the new row and
    # the 合计 row, which sums that column, counts it; the 合计 row itself stays locked.
    extendable = s.layout == "ledger" and not filled
    for r in rows_of_data:
        for letter in cols.values():
            ref = f"{letter}{r}"
            if ref not in formulas or extendable:
                sheet.inputs.append(ref)
    if s.layout == "form":
        for c in list(plan.cells):
            if c.ref.startswith("B") and c.role != "formula" and _row(c.ref) < first - 1:
                sheet.inputs.append(c.ref)
        for c in plan.cells:
            if c.ref.startswith("A") and c.role == "header" and c.value in {f.key for f in s.fields}:
                row = _row(c.ref)
                if f"B{row}" not in formulas and f"B{row}" not in sheet.inputs:
                    sheet.inputs.append(f"B{row}")
            if c.ref.startswith("A") and c.role == "label":  # 自评表 fund rows
                row = _row(c.ref)
                for k, letter in cols.items():
                    if k.startswith("资金:") and f"{letter}{row}" not in formulas:
                        sheet.inputs.append(f"{letter}{row}")
    # dropdowns
    span = f"{first}:{max(last, first)}"
    lo, hi = span.split(":")

    def col_range(key: str) -> str | None:
        letter = cols.get(key)
        return f"{letter}{lo}:{letter}{hi}" if letter else None

    for key, list_name in (("指标性质", "指标性质"), ("一级指标", "一级指标"), ("度量单位", "度量单位"), ("指标方向性", "指标方向性")):
        rng = col_range(key)
        if rng:
            sheet.validations.append(Validation(rng, f"={list_name}", strict=key != "度量单位", prompt=f"请从列表选择{key}"))
    level1, level2 = cols.get("一级指标"), col_range("二级指标")
    if level1 and level2:
        sheet.validations.append(Validation(level2, f"=INDIRECT(${level1}{lo})", prompt="二级指标随一级指标变化"))
    weight = col_range("权重") or col_range("分值")
    if weight:
        sheet.validations.append(Validation(weight, "0,100", kind="decimal", prompt="权重 0 到 100"))
    for flag in (col.key for col in s.columns if col.kind == "flag"):
        flag_range = col_range(flag)
        if flag_range:
            sheet.validations.append(Validation(flag_range, "=是否", prompt="是 / 否"))
    # names
    base = name_of(s.id)
    if cols:
        left = min(cols.values(), key=lambda x: (len(x), x))
        right = max(cols.values(), key=lambda x: (len(x), x))
        sheet.names[base] = f"${left}${first}:${right}${max(last, first)}"
    _ = width
    if s.layout == "ledger" and plan.cells and "合计" in cols:
        sheet.names[f"{base}_合计"] = f"${cols['合计']}${first}"
    for key, letter in cols.items():
        if s.layout == "ledger" and key in ("金额", "总金额") and "合计" not in cols:
            sheet.names[f"{base}_合计"] = f"${letter}${first}"
    if s.layout == "sided":
        for c in plan.cells:
            if c.value in ("收入总计", "支出总计") and c.role != "formula":
                row = _row(c.ref)
                letter = re.sub(r"\d", "", c.ref)
                amount = col_letter(col_index(letter) + 1)
                sheet.names[f"{base}_{c.value}"] = f"${amount}${row}"
    if s.layout == "form":
        for c in plan.cells:
            if c.ref.startswith("A") and c.value == "资金总额":
                sheet.names[f"{base}_资金总额"] = f"$B${_row(c.ref)}"


def _row(ref: str) -> int:
    """"E12" → 12."""
    return int(re.sub(r"\D", "", ref))


