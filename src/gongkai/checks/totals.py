"""S1xx: equations within one table — column sums, 合计/小计 rows, 类 = Σ款 = Σ项, sided totals, 收入总计 = 支出总计.

Every total that is off is reported once, at the total's cell, with the parts in ``related``; a difference within
the 舍位 tolerance is a note. The row structure of a ledger table (total → units → 类 → 款 → 项 → projects) is
indexed once per table (`structure`) and shared with the cross-table rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.amounts import show
from ..core.findings import Finding, Severity
from ..core.model import Cell, Row, Table
from ..core.specs import SPECS
from ..core.text import fold
from .registry import Context, rule

# ----------------------------------------------------------------------------------------------------------
# the row tree of a ledger table
# ----------------------------------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Node:
    """A row and the rows that add up to it."""

    row: Row
    children: list[Node] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How a message names the row: "208 社会保障和就业支出", "某某局（本级）", "合计"."""
        r = self.row
        if r.kind == "project":
            return r.project or r.label
        if r.code:
            return f"{r.code} {r.label}".strip()
        return r.label or r.unit_name or f"第{r.number}行"


@dataclass(eq=False)
class Structure:
    """A ledger table's rows as a tree; ``total`` is the 合计 row (None when the table prints none)."""

    total: Node | None
    tops: list[Node]
    """What the 合计 row adds up: the top-level unit rows, or the top-level coded rows."""
    units: list[Node]
    """Every unit row, in order."""
    blocks: list[tuple[Node | None, list[Node]]]
    """Per unit (None: rows before any unit row), its top-level coded or project rows."""
    amount_keys: tuple[str, ...]
    values: dict[int, tuple[Decimal | int, ...]] = field(default_factory=dict)
    """Every row's amounts in ``amount_keys`` order (a blank as 0), by ``id(row)``: read once, so sums do not walk
    the models."""
    leaves: dict[int, int] = field(default_factory=dict)
    """By ``id(row)``: how many printed lines (rows without parts) a row adds up, itself for a line."""
    sections: list[tuple[Node | None, list[Node]]] = field(default_factory=list)
    """(合计 row, what it adds up) per ledger: one, or one per half of a two-ledger table."""

    def __post_init__(self) -> None:
        if not self.sections:
            self.sections = [(self.total, self.tops)]

    def of(self, row: Row) -> dict[str, Decimal | None]:
        """The row's amounts by column key, None when blank (asked of the rows whose sums do not add up)."""
        return {key: row.amount(key) for key in self.amount_keys}

    def column_values(self, row: Row) -> tuple[Decimal | int, ...]:
        """The row's amounts in ``amount_keys`` order, a blank as 0: for a quick "does it add up" test."""
        return self.values[id(row)]

    def nodes(self) -> Iterator[Node]:
        """Every coded and project node, depth first."""
        stack = [n for _, roots in reversed(self.blocks) for n in reversed(roots)]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def amount_keys(table: Table) -> tuple[str, ...]:
    """Keys of the table's amount columns, as the rows' cells name them (a sided table drops the side)."""
    out = []
    halves = table.spec.halves
    for key in table.columns:
        if halves and "/" in key and key.split("/", 1)[0] in halves:
            key = key.split("/", 1)[1]
        try:
            kind = table.spec.column(key).kind
        except KeyError:
            continue
        if kind == "amount":
            out.append(key.split("/", 1)[1] if table.spec.layout == "sided" and "/" in key else key)
    return tuple(dict.fromkeys(out))


def structure(table: Table) -> Structure:
    """The table's row tree, built once per table object."""
    return table.memo("totals.structure", _build)


def _unit_code(row: Row) -> str | None:
    u = row.unit or ""
    return u if u and any(ch.isdigit() for ch in u) and u.isalnum() else None


def _build(table: Table) -> Structure:
    if table.spec.halves and any(r.side for r in table.rows):  # two ledgers side by side: one tree per half
        halves = [_tree(table, [r for r in table.rows if r.side == h]) for h in table.spec.halves]
        first = halves[0]
        return Structure(
            first.total, first.tops, [u for h in halves for u in h.units], [b for h in halves for b in h.blocks],
            first.amount_keys, {k: v for h in halves for k, v in h.values.items()},
            {k: v for h in halves for k, v in h.leaves.items()}, sections=[(h.total, h.tops) for h in halves],
        )
    return _tree(table, list(table.rows))


def _tree(table: Table, table_rows: list[Row]) -> Structure:
    """The row tree of a ledger's rows (the whole table, or one half of a two-ledger table)."""
    total: Node | None = None
    units: list[Node] = []
    blocks: list[tuple[Node | None, list[Node]]] = [(None, [])]
    stack: list[Node] = []  # open coded rows of the current block, outermost first
    project: Node | None = None  # the last project row, for item rows printed under it (表8)
    made: list[Node] = []  # every unit, coded and project node, in the order made
    for row in table_rows:
        if row.kind == "total":
            if total is None:
                total = Node(row)
            continue
        if row.kind == "unit":
            node = Node(row)
            made.append(node)
            units.append(node)
            blocks.append((node, []))
            stack, project = [], None
            continue
        if row.kind not in ("item", "project"):
            continue
        node = Node(row)
        made.append(node)
        roots = blocks[-1][1]
        if row.kind == "project" and not (row.code and stack and stack[-1].row.code != row.code):
            parent = stack[-1] if stack else None
            (parent.children if parent else roots).append(node)
            project = node
            continue
        if row.code is None:
            if project is not None and _is_heading(project.row, table):
                project.children.append(node)
            elif stack:
                stack[-1].children.append(node)
            else:
                roots.append(node)
            continue
        if table.spec.codes == "economic" and len(row.code) == 5 and stack and stack[-1].row.code == row.code:
            stack[-1].children.append(node)  # a sub-item repeating its 款's code: the first row with the code is the 款
            project = None
            continue
        while stack and not (row.code.startswith(stack[-1].row.code or "") and len(row.code) > len(stack[-1].row.code or "")):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        project = None
    # units: a unit whose code begins another unit's code is its parent (部门 101 over 101001, 101002)
    top_units: list[Node] = []
    ustack: list[Node] = []
    for node in units:
        code = _unit_code(node.row)
        while ustack and not (code and (c := _unit_code(ustack[-1].row)) and code.startswith(c) and len(code) > len(c)):
            ustack.pop()
        if ustack:
            ustack[-1].children.append(node)
        else:
            top_units.append(node)
        ustack.append(node)
    if len(top_units) > 1 and table.department and fold(top_units[0].row.unit_name or "") == fold(table.department):
        first = top_units[0]
        if not any(blocks[i][1] for i in range(len(blocks)) if blocks[i][0] is first):
            first.children.extend(top_units[1:])  # the department's own row over its units, named like the sheet
            top_units = [first]
    for unit, roots in blocks:
        if unit is not None and not unit.children:
            unit.children.extend(roots)
    tops = top_units if units else blocks[0][1]
    keys = amount_keys(table)
    values: dict[int, tuple[Decimal | int, ...]] = {}
    for row in table_rows:
        cells = row.cells
        values[id(row)] = tuple([v if (got := cells.get(k)) is not None and (v := got.value).__class__ is Decimal else 0 for k in keys])
    leaves: dict[int, int] = {}
    for node in reversed(made):  # a node's parts were made after it: each count is ready when its parent asks
        leaves[id(node.row)] = sum([leaves[id(c.row)] for c in node.children]) or 1
    if total is not None:
        leaves[id(total.row)] = max(sum([leaves[id(n.row)] for n in tops]), 1)
    if table.spec.layout == "sided":  # a total line of a 收支总表 adds up at most every line of its side
        for row in table_rows:
            leaves[id(row)] = sum(1 for r in table_rows if r.side == row.side) if row.kind == "total" else 1
    return Structure(total, tops, units, blocks, keys, values, leaves)


def weight(table: Table, row: Row, key: str) -> int:
    """How many rounded printed amounts a cell is, at most, the sum of: its lines times its column's parts.

    Two tables that add the same money up differently (部门收入总表 by source, 部门支出总表 by 科目) may differ by
    舍位 up to 0.005 per rounded amount on each side; this is that count for one side.
    """
    return structure(table).leaves.get(id(row), 1) * _column_weight(table, key)


def _column_weight(table: Table, key: str) -> int:
    known: dict[str, int] = table.memo("totals.column_weights", lambda _: {})
    found = known.get(key)
    if found is None:
        found = known[key] = _count_column_parts(table, key)
    return found


def _count_column_parts(table: Table, key: str) -> int:
    for total, parts in table.spec.sums:
        if total.split("/", 1)[-1] == key or total == key:
            present = [p for p in parts if p in table.columns or p.split("/", 1)[-1] in table.columns]
            return sum(_column_weight(table, p) for p in present) or 1
    return 1


def _is_heading(row: Row, table: Table) -> bool:
    """A project row that only names the project: its 采购品目 rows follow (表8)."""
    return "采购品目" in table.columns and not row.text("采购品目")


# ----------------------------------------------------------------------------------------------------------
# messages
# ----------------------------------------------------------------------------------------------------------


def sum_message(total: str, actual: Decimal | None, parts: Sequence[tuple[str, Decimal | None]], expected: Decimal) -> str:
    """"合计 12.30 ≠ 基本支出 4.00 + 项目支出 7.00 = 11.00（相差 1.30）"; long part lists are shortened."""
    diff = (actual or Decimal(0)) - expected
    parts = [(name, v) for name, v in parts if v]  # blank and zero parts add nothing to read
    if len(parts) <= 6:
        named = " + ".join(f"{name} {show(v)}" for name, v in parts) or "0"
    else:
        named = " + ".join(f"{name} {show(v)}" for name, v in parts[:3]) + f" + …（共 {len(parts)} 项）"
    return f"{total} {show(actual)} ≠ {named} = {show(expected)}（相差 {show(diff)}）"


def check_sum(
    ctx: Context, table: Table, cell: Cell | str, total: str, actual: Decimal | None,
    parts: Sequence[tuple[str, Decimal | None, Cell | str]], *, note: str = "",
) -> Finding | None:
    """A finding at the total's cell when it differs from the sum of its parts (NOTE within 舍位)."""
    expected = sum((v for _, v, _ in parts if v is not None), Decimal(0))
    severity = ctx.verdict(table, actual, expected, len(parts))
    if severity is None:
        return None
    message = sum_message(total, actual, [(n, v) for n, v, _ in parts], expected)
    if severity is Severity.NOTE:
        message += "，在舍位误差范围内"
    return ctx.finding(
        table, cell, note + message, severity=severity, related=[c for _, _, c in parts],
        expected=expected, actual=actual or Decimal(0),
    )


def _column_name(key: str) -> str:
    """"一般公共预算拨款/小计" → "一般公共预算拨款小计"; "公务用车购置及运行费/公务用车购置费" → "公务用车购置费"."""
    *groups, last = key.split("/")
    return groups[-1] + last if groups and last in ("小计", "合计") else last


def _where(table: Table, row: Row, key: str) -> Cell | str:
    cell = row.cells.get(key)
    return cell if cell is not None else table.ref(row, key)


def _node_sums(ctx: Context, table: Table, node: Node, what: str) -> Iterator[Finding]:
    """The node's amounts against the sum of its children's, column by column."""
    if not node.children:
        return
    st = structure(table)
    sums = [sum(column) for column in zip(*(st.column_values(c.row) for c in node.children), strict=True)]
    for key, mine, theirs in zip(st.amount_keys, st.column_values(node.row), sums, strict=True):
        if mine == theirs:
            continue  # adds up (a blank counts 0 on both sides)
        actual = st.of(node.row)[key]
        parts = [(c.name, c.row.amount(key), _where(table, c.row, key)) for c in node.children]
        if actual is None and all(v is None for _, v, _ in parts):
            continue
        f = check_sum(ctx, table, _where(table, node.row, key), f"{node.name}「{_column_name(key)}」", actual, parts, note=what)
        if f is not None:
            yield f


LEDGERS = ("budget.*", "final.*")
"""The row sums apply to every table of rows (layout "ledger"), budget and 决算; other layouts are skipped."""

# ----------------------------------------------------------------------------------------------------------
# rules
# ----------------------------------------------------------------------------------------------------------


@rule("S101", "合计列 = 各组成列之和（每一行）")
def column_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """On every row, a total column equals the sum of its part columns, as the table's form declares.

    合计 = 基本支出 + 项目支出 (+ 上缴上级支出 …) in 部门支出总表; 合计 = 人员经费 + 公用经费 in the 基本支出表;
    三公 合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 and 公务用车购置及运行费 = 购置费 + 运行费;
    合计 = 上年结转 + each source in 部门收入总表; 合计 = 当年财政拨款安排 + 上年结转安排 in 表3; every 小计 of the
    经济分类明细 (source: TABLES.md, "Within a table"). Parts the sheet does not print are left out.

    Fails: a 部门支出总表 row with 合计 12.30, 基本支出 4.00, 项目支出 7.00 — "合计 12.30 ≠ 基本支出 4.00 + 项目支出
    7.00 = 11.00（相差 1.30）" at the 合计 cell.
    """
    spec = table.spec
    if not spec.sums:
        return
    sided = spec.layout == "sided"
    for total_key, part_keys in spec.sums:
        if total_key not in table.columns:
            continue
        present = spec.printed_parts(part_keys, table.columns)
        if not present:
            continue
        side = total_key.split("/", 1)[0] if sided else None
        cut = len(side) + 1 if side else 0
        total = total_key[cut:]
        bare = [k[cut:] for k in present]
        st = structure(table)
        index = {k: i for i, k in enumerate(st.amount_keys)}
        at, parts_at = index.get(total), [index[k] for k in bare if k in index]
        for row in table.rows:
            if sided and row.side != side:
                continue
            if row.kind == "text" and not sided:
                continue
            quick = st.column_values(row)
            if (quick[at] if at is not None else 0) == sum([quick[i] for i in parts_at]):
                continue  # adds up (a blank counts 0 on both sides)
            actual = st.of(row).get(total)
            parts = [(_column_name(k[cut:]), row.amount(k[cut:]), _where(table, row, k[cut:])) for k in present]
            if actual is None and all(v is None for _, v, _ in parts):
                continue
            name = _column_name(total)
            f = check_sum(ctx, table, _where(table, row, total), name, actual, parts)
            if f is not None:
                yield f


@rule("S102", "合计行 = 各单位（或各科目）之和", tables=LEDGERS)
def total_row_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 合计 row equals the sum of the unit rows, or, without units, of the top-level 科目 rows.

    A unit row that begins another's code (部门 101 over 101001, 101002) stands for its units, so only top-level
    units are added. Source: TABLES.md, "every 合计/小计 … equals the sum of its parts".

    Fails: 合计 30.00 over units 本级 20.00 and 中心 9.00 — "合计「合计」 30.00 ≠ 本级 20.00 + 中心 9.00 = 29.00（相差 1.00）".
    """
    if table.spec.layout != "ledger":
        return
    for total, tops in structure(table).sections:
        if total is not None:
            yield from _node_sums(ctx, table, Node(total.row, list(tops)), "")


@rule("S103", "单位小计 = 本单位各行之和", tables=LEDGERS)
def unit_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """A unit's subtotal row equals the sum of its top-level rows (or of its own units, for a 部门 row).

    Tables list rows per unit (部门支出总表, 经济分类明细, 基本支出表, 项目支出表), so the sum is taken within the
    unit's block. Source: TABLES.md, "unit subtotal = Σ its rows".

    Fails: unit 中心 with 合计 10.00 over 项 rows 6.00 and 3.00 — error at the unit's 合计 cell.
    """
    if table.spec.layout != "ledger":
        return
    for node in structure(table).units:
        yield from _node_sums(ctx, table, node, "单位小计：")


@rule("S104", "类 = Σ款 = Σ项（按科目编码）", tables=LEDGERS)
def code_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 类 row equals the sum of its 款 rows, a 款 row the sum of its 项 (or sub-item) rows, within a unit.

    A row's parts are the rows below it whose codes begin with its code (208 → 20805 → 2080505). Source: TABLES.md,
    "a 类 row = sum of its 款 rows = sum of their 项 rows".

    Fails: 208 社会保障和就业支出 30.00 with 款 20805 20.00 and 20808 9.00 — error at the 208 row's cell.
    """
    if table.spec.layout != "ledger":
        return
    for node in structure(table).nodes():
        if node.row.code and node.children and all(c.row.code for c in node.children):
            yield from _node_sums(ctx, table, node, "")


@rule("S105", "科目小计 = 其下各项目之和", tables=LEDGERS)
def project_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 功能分类 subtotal row of the 项目支出表 equals the sum of its project rows (表8: a project its 品目).

    Source: TABLES.md, 表3-2 "per unit, per 功能分类 项 a subtotal, then project rows".

    Fails: 2080505 subtotal 10.00 over projects 6.00 and 3.00 — error at the subtotal's 金额 cell.
    """
    if table.spec.layout != "ledger":
        return
    for node in structure(table).nodes():
        if node.children and not all(c.row.code for c in node.children):
            yield from _node_sums(ctx, table, node, "")


SIDED = tuple(s.id for s in SPECS if s.layout == "sided")


def side_amount_keys(table: Table, side: str) -> list[str]:
    """A side's amount column keys without the side prefix, in sheet order."""
    return [k.split("/", 1)[1] for k in table.columns if k.startswith(side + "/") and table.spec.column(k).kind == "amount"]


def side_totals(table: Table, ctx: Context) -> Iterator[tuple[Row, str, Finding | None]]:
    """Each total item of a sided table against its parts: (row, column, finding or None when it adds up)."""
    for side in table.spec.sides:
        keys = side_amount_keys(table, side.under[0])
        rows = [r for r in table.rows if r.side == side.name]
        by_item: dict[str, Row] = {}
        for r in rows:
            if r.item and r.item not in by_item:
                by_item[r.item] = r
        classes = [r for r in rows if r.item and r.item.startswith("类:")]
        for item in side.items:
            total_row = by_item.get(item.key)
            if not item.total_of or total_row is None:
                continue
            parts = [p for k in side.printed_parts(item.total_of, by_item) for p in (classes if k == "类" else [by_item[k]])]
            parts += _unrecognised_before(rows, total_row, side.items)
            if not parts:
                continue
            for key in keys:
                actual = total_row.amount(key)
                values = [(p.label, p.amount(key), _where(table, p, key)) for p in parts]
                if actual is None and all(v is None for _, v, _ in values):
                    continue
                label = f"{total_row.label}「{key}」" if len(keys) > 1 else total_row.label
                yield total_row, key, check_sum(ctx, table, _where(table, total_row, key), label, actual, values)


def _unrecognised_before(rows: list[Row], total: Row, items: Iterable[object]) -> list[Row]:
    """Rows without a known item between the previous total and this one: extra lines a province prints."""
    out: list[Row] = []
    for r in rows:
        if r is total:
            return out
        if r.kind == "total":
            out = []
        elif r.item is None and any(c.amount is not None for c in r.cells.values()):
            out.append(r)
    return []


@rule("S106", "收支总表的合计项 = 其组成项之和", tables=SIDED)
def side_sums(table: Table, ctx: Context) -> Iterator[Finding]:
    """In the 收支总表, each total line equals the lines it adds up.

    本年收入合计 = each source of revenue; 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 上年结转; 本年支出合计 = the
    功能分类 类 rows; 支出总计 = 本年支出合计 + 事业单位结余分配 + 结转下年 (表2: 本年收入 = 一般公共预算 + 政府性基金 +
    国有资本经营, the same for 上年结转). Source: TABLES.md, 表1 and 表2.

    Fails: 本年支出合计 100.00 over 类 rows 60.00 and 30.00 — error at 本年支出合计's 预算数 cell.
    """
    for _, _, f in side_totals(table, ctx):
        if f is not None:
            yield f


@rule("S107", "收入总计 = 支出总计", tables=tuple(t for t in SIDED if t.startswith("budget.")))
def income_equals_expenditure(table: Table, ctx: Context) -> Iterator[Finding]:
    """收入总计 equals 支出总计 (the first amount column of each side).

    Reported at 支出总计 only when both totals agree with their own parts (otherwise S106 has already named the
    total that is off). Budget tables; the 决算 tables have their own rule (F401). Source: TABLES.md, "收入总计 =
    支出总计".

    Fails: 收入总计 500.00 and 支出总计 480.00, each equal to its parts — error at 支出总计.
    """
    broken = {(r.number, r.side) for r, _, f in side_totals(table, ctx) if f is not None and f.severity is Severity.ERROR}
    ends: dict[str, tuple[Row, str]] = {}
    for side in table.spec.sides:
        keys = side_amount_keys(table, side.under[0])
        total_item = next((i.key for i in reversed(side.items) if i.total_of), None)
        row = next((r for r in table.rows if r.side == side.name and r.item == total_item), None)
        if row is not None and keys:
            ends[side.name] = (row, keys[0])
    if len(ends) != 2:
        return
    (income, ikey), (spend, skey) = ends[table.spec.sides[0].name], ends[table.spec.sides[1].name]
    if (income.number, income.side) in broken or (spend.number, spend.side) in broken:
        return
    actual, expected = spend.amount(skey), income.amount(ikey) or Decimal(0)
    # both totals add up the side's printed lines, each rounded: 舍位 may differ by a cent per line
    severity = ctx.verdict(table, actual, expected, weight(table, income, ikey) + weight(table, spend, skey))
    if severity is None:
        return
    diff = (actual or Decimal(0)) - expected
    message = f"{spend.label} {show(actual)} ≠ {income.label} {show(expected)}（相差 {show(diff)}）"
    if severity is Severity.NOTE:
        message += "，在舍位误差范围内"
    yield ctx.finding(
        table, _where(table, spend, skey), message, severity=severity, related=[_where(table, income, ikey)],
        expected=expected, actual=actual or Decimal(0),
    )


@rule("S108", "资金总额 = 财政拨款 + 其他资金", tables=("budget.overall_targets",))
def overall_funds(table: Table, ctx: Context) -> Iterator[Finding]:
    """In the 部门整体支出绩效目标表, 资金总额 equals 财政拨款 plus 其他资金.

    Source: TABLES.md, 表7 "资金总额 = 财政拨款 + 其他资金". Skipped when the form prints no parts.

    Fails: 资金总额 100.00, 财政拨款 80.00, 其他资金 10.00 — error at the 资金总额 cell.
    """
    total = table.fields.get("资金总额")
    parts = [(k, table.fields[k]) for k in ("财政拨款", "其他资金") if k in table.fields]
    if total is None or not parts:
        return
    f = check_sum(ctx, table, total, "资金总额", total.amount, [(k, c.amount, c) for k, c in parts])
    if f is not None:
        yield f
