"""Line items → the whole budget set (the 15 budget.* tables), every equation of TABLES.md holding by construction.

Pure. Every printed amount cell is a node ``(table id, row index, column key)`` that is either a *leaf* (an exact
元 sum of budget lines) or a *total* of other nodes (its parts: cells of the same table or of another one). So one
structure gives:

* the values, with 元 → 万元 舍位 done line by line as departments do: with ``totals="rounded"`` every printed cell,
  totals included, is rounded from its own 元 sum (so a printed total may differ from the sum of its printed parts
  by rounding, as in real published tables); with ``totals="summed"`` a total is the sum of its printed parts
  (what a live spreadsheet formula computes), and the lines are first rounded to 0.01 万元 by largest remainder
  (`balanced`), so that a figure printed in two tables, or 收入总计 and 支出总计, is equal to the cent;
* the formulas the templates and `fill` write (`Composed.parts`), within a sheet and across sheets.

Row content is keyed by the specs' column keys, as `layout.lay_out` prints it. Form tables (表7) keep their labelled
values under row index ``FIELDS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import partial
from typing import Literal

from ..core.codes import SANGONG_CODES
from ..core.specs import FISCAL_GROUPS, FUNCTION_CLASSES, REVENUE_SOURCES, TableSpec, spec
from .layout import TableData, Value
from .lineitems import FISCAL, Family, Indicator, LineItem, LineItems, economic_name, function_codes

Node = tuple[str, int, str]
"""(table id, row index in TableData.rows, column key); row FIELDS for a form table's labelled values."""
Totals = Literal["rounded", "summed"]
FIELDS = -1
CENT = Decimal("0.01")
ZERO = Decimal(0)

BUDGET_IDS = (
    "budget.summary", "budget.revenue", "budget.expenditure", "budget.fiscal_summary", "budget.fiscal_economic",
    "budget.general", "budget.general_basic", "budget.general_project", "budget.general_sangong", "budget.fund",
    "budget.fund_sangong", "budget.capital", "budget.project_targets", "budget.overall_targets", "budget.procurement",
)
TOTAL_LABEL = "合计"
GROUP = {fam: FISCAL_GROUPS[i][0] for i, fam in enumerate(FISCAL)}
"""Family → the 表2-1 column group ("一般公共预算拨款")."""
SOURCE_COLUMN: dict[str, str] = {
    "一般公共预算": "一般公共预算拨款收入", "政府性基金": "政府性基金预算拨款收入", "国有资本经营": "国有资本经营预算拨款收入",
    "事业收入": "事业收入", "事业单位经营收入": "事业单位经营收入", "其他收入": "其他收入",
}
"""This year's 资金来源 → its 部门收入总表 column; carried-over money goes to 上年结转."""
SANGONG_COLUMNS = {
    "30212": "因公出国(境)费", "31013": "公务用车购置及运行费/公务用车购置费",
    "30231": "公务用车购置及运行费/公务用车运行费", "30217": "公务接待费",
}
EMPTY_NOTES = {
    "budget.fund": "本部门无政府性基金预算支出",
    "budget.fund_sangong": "本部门无政府性基金预算“三公”经费支出",
    "budget.capital": "本部门无国有资本经营预算支出",
    "budget.general_project": "本部门无一般公共预算项目支出",
    "budget.procurement": "本部门无政府采购预算",
    "budget.project_targets": "本部门无项目支出",
    "budget.general_sangong": "本部门无一般公共预算“三公”经费支出",
}
assert set(SANGONG_COLUMNS) == set(SANGONG_CODES)


def wan(yuan: Decimal) -> Decimal:
    """元 → 万元, half-up to 0.01."""
    return (yuan / 10000).quantize(CENT, ROUND_HALF_UP)


STEP = Decimal(100)
"""0.01 万元 in 元: the smallest amount a 万元 table prints."""


def _largest_remainder(amounts: list[Decimal], target: Decimal, step: Decimal) -> list[Decimal]:
    """Multiples of ``step`` close to ``amounts`` (each within one step) that add up to exactly ``target``.

    Every amount is rounded down; the steps still missing go to the amounts with the largest remainders (ties to
    the first), as statistical offices round a published table so that its parts add up to its total.
    """
    floors = [(a / step).to_integral_value(ROUND_FLOOR) * step for a in amounts]
    missing = int((target - sum(floors, ZERO)) / step)
    order = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] - floors[i]), i))
    if missing < 0:  # cannot happen for a target rounded from the same sum; kept safe
        order = list(reversed(order))
    for i in order[: abs(missing)]:
        floors[i] += step if missing > 0 else -step
    return floors


def balanced(items: LineItems) -> LineItems:
    """The line items with every amount a whole 0.01 万元 (100 元), so that a table printed in 万元 adds up exactly.

    The 舍位 is done once, on the lines, by largest remainder within each total: the department's total and each
    unit's total are their own 元 sums rounded half-up, and every line moves by less than 0.01 万元. Every printed
    cell is then an exact sum of the same rounded lines, so every equation of the published set holds exactly —
    收入总计 = 支出总计, each figure printed twice equal — where rounding each cell on its own leaves 0.01 gaps.
    """
    lines = list(items.lines)
    if not lines:
        return items
    units: dict[str, list[int]] = defaultdict(list)
    for i, x in enumerate(lines):
        units[x.unit_code].append(i)
    names = list(units)
    unit_sums = [sum((lines[i].amount for i in units[u]), ZERO) for u in names]
    total = wan(sum(unit_sums, ZERO)) * 10000
    unit_targets = _largest_remainder(unit_sums, total, STEP)
    amounts: dict[int, Decimal] = {}
    for u, target in zip(names, unit_targets, strict=True):
        rounded = _largest_remainder([lines[i].amount for i in units[u]], target, STEP)
        amounts.update(zip(units[u], rounded, strict=True))
    new = tuple(x.model_copy(update={"amount": amounts[i]}) for i, x in enumerate(lines))
    return items.model_copy(update={"lines": new})


@dataclass
class Composed:
    """The composed budget set: tables with values, and how every total is made of other cells."""

    tables: list[TableData]
    parts: dict[Node, tuple[Node, ...]]
    """Total cells → the cells they add up (same table or another)."""
    yuan: dict[Node, Decimal]
    """Every amount cell's exact value in 元."""
    values: dict[Node, Decimal]
    """Every amount cell's printed value (in the money unit)."""
    totals: Totals = "rounded"

    def table(self, table_id: str) -> TableData:
        return next(t for t in self.tables if t.spec.id == table_id)


@dataclass
class _Table:
    spec: TableSpec
    rows: list[dict[str, Value]] = field(default_factory=list)
    fields: dict[str, Value] = field(default_factory=dict)
    note: str | None = None

    def add(self, **content: Value) -> int:
        self.rows.append(dict(content))
        return len(self.rows) - 1


class _Builder:
    def __init__(self, items: LineItems, department: str) -> None:
        self.items = items
        self.department = department
        self.yuan: dict[Node, Decimal] = {}
        self.parts: dict[Node, tuple[Node, ...]] = {}
        self.tables: dict[str, _Table] = {}
        self.units = dict(sorted(items.units().items()))
        # where each table keeps its rows, for the tables built from them
        self.unit_rows: dict[tuple[str, str], int] = {}
        """(table, unit code) → the unit's subtotal row."""
        self.code_rows: dict[tuple[str, str, str], int] = {}
        """(table, unit code or "", code) → the row of that 类/款/项 (or economic code)."""

    # -- nodes ---------------------------------------------------------------------------------------------

    def leaf(self, node: Node, yuan: Decimal) -> None:
        self.yuan[node] = yuan

    def total(self, node: Node, parts: Iterable[Node]) -> None:
        ps = tuple(parts)
        self.parts[node] = ps
        self.yuan[node] = sum((self.yuan[p] for p in ps), ZERO)

    def _link(self, where: tuple[str, str], parts: list[Node], row: int) -> None:
        """The total at (table, row, column) of cells elsewhere."""
        self.total((where[0], row, where[1]), parts)

    def table(self, table_id: str) -> _Table:
        t = _Table(spec(table_id))
        self.tables[table_id] = t
        return t

    # -- shared shapes -------------------------------------------------------------------------------------

    def hierarchy(
        self, t: _Table, unit: str, leaves: Mapping[str, Mapping[str, Decimal]], leaf_keys: tuple[str, ...],
        derived: tuple[tuple[str, tuple[str, ...]], ...], economic: bool,
    ) -> list[int]:
        """类/款/项 rows of one unit (or of all units, ``unit=""``): leaf codes carry ``leaf_keys``; returns top rows."""
        tid = t.spec.id
        keys = (*leaf_keys, *(k for k, _ in derived))
        codes: set[str] = set()
        for code in leaves:
            codes |= {code[:3], code[:5], code} if len(code) == 7 else {code[:3], code}
        tree: dict[str, list[str]] = defaultdict(list)
        for code in sorted(codes):
            if len(code) > 3:
                tree[code[:5] if len(code) == 7 else code[:3]].append(code)
        names = function_codes()

        def name(code: str) -> str:
            return economic_name(code) if economic else names.get(code, code)

        def emit(code: str) -> int:
            content: dict[str, Value] = {"类": code[:3]}
            if len(code) >= 5:
                content["款"] = code[3:5]
            if len(code) == 7:
                content["项"] = code[5:]
            content["科目名称"] = name(code) if not economic or len(code) < 7 else economic_name(code, self._given_name(code))
            r = t.add(**content)
            self.code_rows[(tid, unit, code)] = r
            children = [emit(c) for c in tree.get(code, [])]
            if children:
                for k in keys:
                    self.total((tid, r, k), [(tid, c, k) for c in children])
            else:
                for k in leaf_keys:
                    self.leaf((tid, r, k), leaves.get(code, {}).get(k, ZERO))
                for k, ps in derived:
                    self.total((tid, r, k), [(tid, r, p) for p in ps])
            return r

        return [emit(c) for c in sorted(c for c in codes if len(c) == 3)]

    def _given_name(self, code: str) -> str:
        return next((x.economic_name for x in self.items.lines if x.economic_code == code and x.economic_name), "")

    def ledger(
        self, table_id: str, lines: list[LineItem], key: Callable[[LineItem], str | None],
        leaf_keys: tuple[str, ...], derived: tuple[tuple[str, tuple[str, ...]], ...], *, economic: bool,
        per_unit: bool = True,
    ) -> _Table:
        """合计, then per unit (or for all units) the 类/款/项 rows; ``key`` names a line's leaf column."""
        t = self.table(table_id)
        keys = (*leaf_keys, *(k for k, _ in derived))
        label = "科目名称"
        total_row = t.add(**{label: TOTAL_LABEL})
        tops: list[int] = []
        groups: dict[str, list[LineItem]] = defaultdict(list)
        for x in lines:
            groups[x.unit_code if per_unit else ""].append(x)
        if not lines and table_id in EMPTY_NOTES:
            t.rows.clear()
            t.note = EMPTY_NOTES[table_id]
            return t
        for unit in (u for u in (self.units if per_unit else [""]) if u in groups):
            leaves: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
            for x in groups[unit]:
                k = key(x)
                if k is not None:
                    leaves[x.economic_code if economic else x.function_code][k] += x.amount
            if per_unit:
                r = t.add(**{label: f"{unit} {self.units[unit]}"})
                self.unit_rows[(table_id, unit)] = r
                top = self.hierarchy(t, unit, leaves, leaf_keys, derived, economic)
                for k in keys:
                    self.total((table_id, r, k), [(table_id, c, k) for c in top])
                tops.append(r)
            else:
                tops += self.hierarchy(t, unit, leaves, leaf_keys, derived, economic)
        for k in keys:
            self.total((table_id, total_row, k), [(table_id, c, k) for c in tops])
        return t

    # -- the tables ----------------------------------------------------------------------------------------

    def revenue(self) -> None:
        t = self.table("budget.revenue")
        sources = ("上年结转", *(k for k, _ in REVENUE_SOURCES), "用事业基金弥补收支差额")
        total_row = t.add(单位名称=TOTAL_LABEL)
        rows = []
        for unit, name in self.units.items():
            r = t.add(单位代码=unit, 单位名称=name)
            rows.append(r)
            sums: dict[str, Decimal] = defaultdict(Decimal)
            for x in self.items.lines:
                if x.unit_code == unit:
                    sums["上年结转" if x.carried else SOURCE_COLUMN[x.source]] += x.amount
            for k in sources:
                self.leaf(("budget.revenue", r, k), sums[k])
            self.total(("budget.revenue", r, "合计"), [("budget.revenue", r, k) for k in sources])
        for k in ("合计", *sources):
            self.total(("budget.revenue", total_row, k), [("budget.revenue", r, k) for r in rows])

    def expenditure(self) -> None:
        derived = (("合计", ("基本支出", "项目支出")),)
        for table_id, family in (("budget.expenditure", None), ("budget.fund", "政府性基金"), ("budget.capital", "国有资本经营")):
            lines = [x for x in self.items.lines if family is None or x.family == family]
            self.ledger(table_id, lines, lambda x: "基本支出" if x.basic else "项目支出", ("基本支出", "项目支出"), derived, economic=False)

    def summary(self) -> None:
        t = self.table("budget.summary")
        tid = t.spec.id
        inc, out = "收入/预算数", "支出/预算数"
        left: list[tuple[str, Callable[[int], None]]] = []
        for key, _ in REVENUE_SOURCES:
            left.append((key, partial(self._link, (tid, inc), [("budget.revenue", 0, key)])))
        classes = sorted({c for (table, unit, c) in self.code_rows if table == "budget.expenditure" and unit and len(c) == 3})
        right: list[tuple[str, Callable[[int], None]]] = []
        for c in classes:
            parts = [("budget.expenditure", self.code_rows[("budget.expenditure", u, c)], "合计") for u in self.units if ("budget.expenditure", u, c) in self.code_rows]
            right.append((FUNCTION_CLASSES.get(c, function_codes().get(c, c)), partial(self._link, (tid, out), parts)))
        n = max(len(REVENUE_SOURCES) + 4, len(classes) + 4)
        for _ in range(n):
            t.add()
        where: dict[str, int] = {}
        extra_left = [
            ("本年收入合计", None), ("用事业基金弥补收支差额", ("budget.revenue", 0, "用事业基金弥补收支差额")),
            ("上年结转", ("budget.revenue", 0, "上年结转")),
        ]
        for i, (label, make) in enumerate(left):
            t.rows[i]["收入/项目"] = label
            where[label] = i
            make(i)
        for j, (label, src) in enumerate(extra_left, start=len(left)):
            t.rows[j]["收入/项目"] = label
            where[label] = j
            if src is not None:
                self.total((tid, j, inc), [src])
        self.total((tid, where["本年收入合计"], inc), [(tid, where[k], inc) for k, _ in REVENUE_SOURCES])
        t.rows[n - 1]["收入/项目"] = "收入总计"
        self.total((tid, n - 1, inc), [(tid, where[k], inc) for k in ("本年收入合计", "用事业基金弥补收支差额", "上年结转")])
        for i, (label, make) in enumerate(right):
            t.rows[i]["支出/项目"] = label
            make(i)
        base = len(right)
        t.rows[base]["支出/项目"] = "本年支出合计"
        self.total((tid, base, out), [(tid, i, out) for i in range(len(right))])
        for j, label in ((base + 1, "事业单位结余分配"), (base + 2, "结转下年")):
            t.rows[j]["支出/项目"] = label
            self.leaf((tid, j, out), ZERO)
        t.rows[n - 1]["支出/项目"] = "支出总计"
        self.total((tid, n - 1, out), [(tid, base, out), (tid, base + 1, out), (tid, base + 2, out)])

    def fiscal_summary(self) -> None:
        t = self.table("budget.fiscal_summary")
        tid = t.spec.id
        inc = "收入/预算数"
        cols = {"一般公共预算": "支出/一般公共预算", "政府性基金": "支出/政府性基金预算", "国有资本经营": "支出/国有资本经营预算"}
        carried: dict[str, Decimal] = defaultdict(Decimal)
        for x in self.items.lines:
            if x.carried and x.family in FISCAL:
                carried[x.family] += x.amount
        classes = sorted({x.function_code[:3] for x in self.items.lines if x.family in FISCAL})
        n = max(9, len(classes) + 3)
        for _ in range(n):
            t.add()
        labels = spec(tid).sides[0].items
        rows_left: dict[str, int] = {}
        for i, item in enumerate(labels[:-1]):
            t.rows[i]["收入/项目"] = item.labels[0] if item.parent else item.key
            rows_left[item.key] = i
        for fam, source in zip(FISCAL, ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入"), strict=True):
            self.total((tid, rows_left[f"本年收入/{_short(fam)}"], inc), [("budget.revenue", 0, source)])
            self.leaf((tid, rows_left[f"上年结转/{_short(fam)}"], inc), carried[fam])
        for parent in ("本年收入", "上年结转"):
            self.total((tid, rows_left[parent], inc), [(tid, rows_left[f"{parent}/{_short(f)}"], inc) for f in FISCAL])
        t.rows[n - 1]["收入/项目"] = "收入总计"
        self.total((tid, n - 1, inc), [(tid, rows_left["本年收入"], inc), (tid, rows_left["上年结转"], inc)])
        # 支出: 本年支出合计 first, then the 类 rows, 结转下年, 支出总计
        t.rows[0]["支出/项目"] = "本年支出合计"
        class_rows = []
        for i, c in enumerate(classes, start=1):
            t.rows[i]["支出/项目"] = FUNCTION_CLASSES.get(c, function_codes().get(c, c))
            class_rows.append(i)
            general = self.code_rows.get(("budget.general", "", c))
            self.total((tid, i, cols["一般公共预算"]), [("budget.general", general, "合计")] if general is not None else [])
            for fam, table_id in (("政府性基金", "budget.fund"), ("国有资本经营", "budget.capital")):
                parts = [(table_id, self.code_rows[(table_id, u, c)], "合计") for u in self.units if (table_id, u, c) in self.code_rows]
                self.total((tid, i, cols[fam]), parts)
            self.total((tid, i, "支出/合计"), [(tid, i, cols[f]) for f in FISCAL])
        carry_row = len(classes) + 1
        t.rows[carry_row]["支出/项目"] = "结转下年"
        for k in ("支出/合计", *cols.values()):
            self.total((tid, 0, k), [(tid, i, k) for i in class_rows])
            self.leaf((tid, carry_row, k), ZERO)
            self.total((tid, n - 1, k), [(tid, 0, k), (tid, carry_row, k)])
        t.rows[n - 1]["支出/项目"] = "支出总计"

    def fiscal_economic(self) -> None:
        leaf_keys = tuple(f"{GROUP[f]}/{k}" for f in FISCAL for k in ("基本支出", "项目支出"))
        derived = (
            *((f"{GROUP[f]}/小计", (f"{GROUP[f]}/基本支出", f"{GROUP[f]}/项目支出")) for f in FISCAL),
            ("合计", tuple(f"{GROUP[f]}/小计" for f in FISCAL)),
            ("总计", ("合计",)),
        )
        lines = [x for x in self.items.lines if x.family in FISCAL]
        self.ledger(
            "budget.fiscal_economic", lines, lambda x: f"{GROUP[x.family]}/{'基本支出' if x.basic else '项目支出'}",
            leaf_keys, derived, economic=True,
        )

    def general(self) -> None:
        lines = [x for x in self.items.lines if x.family == "一般公共预算"]
        t = self.table("budget.general")
        tid = t.spec.id
        total_row = t.add(科目名称=TOTAL_LABEL)
        leaves: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for x in lines:
            leaves[x.function_code]["上年结转安排" if x.carried else "当年财政拨款安排"] += x.amount
            leaves[x.function_code]["基本支出" if x.basic else "项目支出"] += x.amount
        leaf_keys = ("当年财政拨款安排", "上年结转安排", "基本支出", "项目支出")
        tops = self.hierarchy(t, "", leaves, leaf_keys, (("合计", ("当年财政拨款安排", "上年结转安排")),), economic=False)
        for k in ("合计", *leaf_keys):
            self.total((tid, total_row, k), [(tid, c, k) for c in tops])

    def general_basic(self) -> None:
        lines = [x for x in self.items.lines if x.family == "一般公共预算" and x.basic]
        self.ledger(
            "budget.general_basic", lines, lambda x: "人员经费" if x.kind == "基本支出-人员经费" else "公用经费",
            ("人员经费", "公用经费"), (("合计", ("人员经费", "公用经费")),), economic=True,
        )

    def general_project(self) -> None:
        t = self.table("budget.general_project")
        tid = t.spec.id
        lines = [x for x in self.items.lines if x.family == "一般公共预算" and not x.basic]
        if not lines:
            t.note = EMPTY_NOTES[tid]
            return
        total_row = t.add(科目名称=TOTAL_LABEL)
        names = function_codes()
        unit_rows = []
        for unit, uname in self.units.items():
            mine = [x for x in lines if x.unit_code == unit]
            if not mine:
                continue
            ur = t.add(科目名称=f"{unit} {uname}")
            unit_rows.append(ur)
            item_rows = []
            for code in sorted({x.function_code for x in mine}):
                ir = t.add(类=code[:3], 款=code[3:5], 项=code[5:], 科目名称=names.get(code, code))
                item_rows.append(ir)
                projects: dict[str, Decimal] = defaultdict(Decimal)
                for x in mine:
                    if x.function_code == code:
                        projects[x.project or ""] += x.amount
                prs = []
                for project, amount in projects.items():
                    pr = t.add(项目名称=project)
                    self.leaf((tid, pr, "金额"), amount)
                    prs.append(pr)
                self.total((tid, ir, "金额"), [(tid, p, "金额") for p in prs])
            self.total((tid, ur, "金额"), [(tid, i, "金额") for i in item_rows])
        self.total((tid, total_row, "金额"), [(tid, u, "金额") for u in unit_rows])

    def sangong(self, table_id: str, family: Family) -> None:
        t = self.table(table_id)
        units = [u for u in self.units if any(x.unit_code == u and x.family == family for x in self.items.lines)]
        has_sangong = any(x.family == family and x.economic_code[:5] in SANGONG_CODES for x in self.items.lines)
        if not has_sangong:
            t.note = EMPTY_NOTES[table_id]
            return
        group = f"{GROUP[family]}/小计"
        total_row = t.add(单位名称=TOTAL_LABEL)
        car = "公务用车购置及运行费"
        keys = ("合计", "因公出国(境)费", car, f"{car}/公务用车购置费", f"{car}/公务用车运行费", "公务接待费")
        rows = []
        for unit in units:
            r = t.add(单位代码=unit, 单位名称=self.units[unit])
            rows.append(r)
            for code, key in SANGONG_COLUMNS.items():
                row = self.code_rows.get(("budget.fiscal_economic", unit, code))
                self.total((table_id, r, key), [("budget.fiscal_economic", row, group)] if row is not None else [])
            self.total((table_id, r, car), [(table_id, r, f"{car}/公务用车购置费"), (table_id, r, f"{car}/公务用车运行费")])
            self.total((table_id, r, "合计"), [(table_id, r, "因公出国(境)费"), (table_id, r, car), (table_id, r, "公务接待费")])
        for k in keys:
            self.total((table_id, total_row, k), [(table_id, r, k) for r in rows])

    def project_targets(self) -> None:
        t = self.table("budget.project_targets")
        tid = t.spec.id
        projects = self.items.projects()
        if not projects:
            t.note = EMPTY_NOTES[tid]
            return
        by_project: dict[str, list[Indicator]] = defaultdict(list)
        for ind in self.items.indicators:
            by_project[ind.project].append(ind)
        for unit in self.units:
            for (u, name), lines in projects.items():
                if u != unit:
                    continue
                amount = sum((x.amount for x in lines), ZERO)
                inds = by_project.get(name) or []
                goal = next((i.goal for i in inds if i.goal), "")
                first = True
                for ind in inds or [None]:  # type: ignore[list-item]
                    content: dict[str, Value] = {"单位名称": self.units[unit], "项目名称": name, "年度目标": goal}
                    if ind is not None:
                        content |= _indicator_content(ind)
                    r = t.add(**content)
                    if first:
                        self.leaf((tid, r, "预算数"), amount)
                        first = False
                    else:
                        t.rows[r]["预算数"] = _SAME_BLOCK

    def overall_targets(self) -> None:
        t = self.table("budget.overall_targets")
        tid = t.spec.id
        fiscal = sum((x.amount for x in self.items.lines if x.family in FISCAL), ZERO)
        other = sum((x.amount for x in self.items.lines if x.family not in FISCAL), ZERO)
        t.fields["部门名称"] = self.department
        self.leaf((tid, FIELDS, "财政拨款"), fiscal)
        self.leaf((tid, FIELDS, "其他资金"), other)
        self.total((tid, FIELDS, "资金总额"), [(tid, FIELDS, "财政拨款"), (tid, FIELDS, "其他资金")])
        t.fields["年度总体目标"] = next((i.goal for i in self.items.overall if i.goal), "")
        for ind in self.items.overall:
            t.add(**_indicator_content(ind))

    def procurement(self) -> None:
        t = self.table("budget.procurement")
        tid = t.spec.id
        if not self.items.purchases:
            t.note = EMPTY_NOTES[tid]
            return
        total_row = t.add(单位名称=TOTAL_LABEL)
        unit_rows = []
        yes = {True: "是", False: "否", None: None}
        for unit, name in self.units.items():
            mine = [b for b in self.items.purchases if b.unit_code == unit]
            if not mine:
                continue
            ur = t.add(单位代码=unit, 单位名称=name)
            unit_rows.append(ur)
            rows = []
            for b in mine:
                r = t.add(**{
                    "项目名称": b.project, "采购品目": b.item, "数量": b.quantity, "专门面向中小企业采购": yes[b.sme],
                    "其中:面向小微企业": yes[b.small], "面向监狱企业": yes[b.prison], "面向残疾人福利性单位": yes[b.disabled],
                    "采购说明": b.note or None,
                })
                self.leaf((tid, r, "总金额"), b.amount)
                rows.append(r)
            self.total((tid, ur, "总金额"), [(tid, r, "总金额") for r in rows])
        self.total((tid, total_row, "总金额"), [(tid, u, "总金额") for u in unit_rows])


_SAME_BLOCK = "\x00same"
"""Marks a 预算数 cell that repeats its block's first row (merged over the block when printed)."""


def _short(family: str) -> str:
    return {"一般公共预算": "一般公共预算", "政府性基金": "政府性基金预算", "国有资本经营": "国有资本经营预算"}[family]


def _indicator_content(ind: Indicator) -> dict[str, Value]:
    return {
        "一级指标": ind.level1, "二级指标": ind.level2, "三级指标": ind.level3, "指标性质": ind.nature,
        "指标值": ind.value, "度量单位": ind.measure or None, "权重": ind.weight, "指标方向性": ind.direction or None,
    }


def compose_book(
    items: LineItems, *, department: str | None = None, money_unit: str = "万元", totals: Totals = "rounded",
) -> Composed:
    """The 15 budget tables with values, and the parts every total is made of."""
    if money_unit not in ("万元", "元"):
        raise ValueError(f"金额单位只能是 万元 或 元，不是 {money_unit}")
    name = department or items.department or "示例部门"
    if totals == "summed" and money_unit == "万元":
        items = balanced(items)  # 舍位 once, on the lines: every total of the published set then adds up exactly
    b = _Builder(items, name)
    # order matters: a table's totals may point at rows of the tables built before it
    b.revenue()
    b.expenditure()
    b.general()
    b.fiscal_economic()
    b.general_basic()
    b.general_project()
    b.sangong("budget.general_sangong", "一般公共预算")
    b.sangong("budget.fund_sangong", "政府性基金")
    b.summary()
    b.fiscal_summary()
    b.project_targets()
    b.overall_targets()
    b.procurement()
    values = _values(b.yuan, b.parts, money_unit, totals)
    tables = []
    for table_id in BUDGET_IDS:
        t = b.tables[table_id]
        rows = [dict(r) for r in t.rows]
        fields = dict(t.fields)
        for (tid, r, key), v in values.items():
            if tid != table_id:
                continue
            if r == FIELDS:
                fields[key] = v
            else:
                rows[r][key] = v
        for r, row in enumerate(rows):  # a block's repeated 预算数 shows the block's value, merged when printed
            if row.get("预算数") == _SAME_BLOCK:
                row["预算数"] = rows[r - 1]["预算数"]
        tables.append(TableData(spec=t.spec, rows=rows, department=name, money_unit=money_unit, fields=fields, note=t.note))
    return Composed(tables=tables, parts=b.parts, yuan=b.yuan, values=values, totals=totals)


def _values(yuan: Mapping[Node, Decimal], parts: Mapping[Node, tuple[Node, ...]], money_unit: str, totals: Totals) -> dict[Node, Decimal]:
    def printed(y: Decimal) -> Decimal:
        return wan(y) if money_unit == "万元" else y.quantize(CENT)

    if totals == "rounded":
        return {n: printed(y) for n, y in yuan.items()}
    out: dict[Node, Decimal] = {}

    def value(n: Node) -> Decimal:
        if n not in out:
            ps = parts.get(n)
            out[n] = printed(yuan[n]) if ps is None else sum((value(p) for p in ps), ZERO)
        return out[n]

    for n in yuan:
        value(n)
    return out


def compose(
    items: LineItems, *, department: str | None = None, money_unit: str = "万元", totals: Totals = "rounded",
) -> list[TableData]:
    """The 15 budget tables (budget.* in the order of the Ministry's template), ready for `layout.lay_out`."""
    return compose_book(items, department=department, money_unit=money_unit, totals=totals).tables
