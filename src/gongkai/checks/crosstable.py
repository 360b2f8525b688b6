"""X2xx: equations across the tables of one budget workbook (TABLES.md, "Across tables (budget)").

A finding marks the cell of the *derived* table — the summary (表1, 表2, 2-1, 3-3, 表7) or, for 表6 and 表8, the
table that repeats another's amount — and lists the other table's cells in ``related``. Amounts compared are
the printed ones, so a single wrong cell breaks one cross equation, not a cascade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.amounts import show
from ..core.codes import SANGONG_CODES
from ..core.findings import Finding, Severity
from ..core.model import Book, Cell, Row, Table
from ..core.text import fold
from .registry import Context, rule
from .totals import Node, structure, weight

Ref = Cell | str


@dataclass
class Sum:
    """An amount gathered from one or more printed cells."""

    value: Decimal = Decimal(0)
    cells: list[Ref] = field(default_factory=list)
    blank: bool = True
    weight: int = 0
    """How many rounded printed amounts the value adds up (for the 舍位 tolerance)."""

    def add(self, amount: Decimal | None, cell: Ref, weight: int = 1) -> None:
        self.cells.append(cell)
        self.weight += weight
        if amount is not None:
            self.value += amount
            self.blank = False


def _where(table: Table, row: Row, key: str) -> Ref:
    cell = row.cells.get(key)
    if cell is not None:
        return cell
    return table.where(row, key) if key in table.columns else f"{table.sheet}!A{row.number}"


def _cell_of(ref: Ref) -> str:
    return ref.where if isinstance(ref, Cell) else ref


def compare(
    ctx: Context, table: Table, at: Ref, what: str, actual: Decimal | None, other: str, expected: Sum, *,
    at_most: bool = False, weight: int = 1,
) -> Finding | None:
    """A finding at ``at`` when ``actual`` differs from ``expected`` (or exceeds it, with ``at_most``).

    The 舍位 tolerance counts the rounded amounts one side adds (the larger of ``weight`` and ``expected.weight``).
    """
    value = actual or Decimal(0)
    parts = max(weight, expected.weight, 1)  # only the parts one side adds: that side's 舍位 bounds the difference
    if at_most:
        if value <= expected.value:
            return None
        severity = ctx.verdict(table, value, expected.value, parts)
        if severity is None:
            return None
        message = f"{what} {show(actual)} 超过 {other} {show(expected.value)}（超出 {show(value - expected.value)}）"
    else:
        severity = ctx.verdict(table, actual, expected.value, parts)
        if severity is None:
            return None
        message = f"{what} {show(actual)} ≠ {other} {show(expected.value)}（相差 {show(value - expected.value)}）"
    if severity is Severity.NOTE:
        message += "，在舍位误差范围内"
    return ctx.finding(
        table, at if isinstance(at, Cell) else at.split("!", 1)[1], message, severity=severity,
        related=[_cell_of(c) for c in expected.cells], expected=expected.value, actual=value,
        sheet=None if isinstance(at, Cell) else at.split("!", 1)[0],
    )


# ----------------------------------------------------------------------------------------------------------
# what the tables hold, indexed
# ----------------------------------------------------------------------------------------------------------


def by_class(table: Table, key: str) -> dict[str, Sum]:
    """The table's amounts in one column summed by 功能分类 类, over its top-level coded rows in every unit."""
    out: dict[str, Sum] = defaultdict(Sum)
    if key not in table.columns:
        return out
    for _, roots in structure(table).blocks:
        for node in roots:
            if node.row.code:
                out[node.row.code[:3]].add(node.row.amount(key), _where(table, node.row, key), weight(table, node.row, key))
    return out


def by_code(table: Table, key: str, prefix: str) -> dict[str | None, Sum]:
    """Per unit key (None: the whole table), the amounts of the rows holding ``prefix`` at the shallowest level."""
    out: dict[str | None, Sum] = defaultdict(Sum)
    if key not in table.columns:
        return out
    st = structure(table)
    for unit, roots in st.blocks:
        stack = list(roots)
        while stack:
            node = stack.pop()
            code = node.row.code or ""
            if code.startswith(prefix):
                amount, where, w = node.row.amount(key), _where(table, node.row, key), weight(table, node.row, key)
                out[unit_key(unit.row) if unit else None].add(amount, where, w)
                out[None].add(amount, where, w)
            elif prefix.startswith(code) and code:
                stack.extend(node.children)
    return out


def unit_key(row: Row) -> str:
    """How units are matched across tables: their code when printed, else their folded name."""
    return row.unit if row.unit and any(ch.isdigit() for ch in row.unit) else fold(row.unit_name or row.label)


def units(table: Table) -> dict[str, Node]:
    """Unit rows by code and by folded name (both keys point at the same row)."""
    out: dict[str, Node] = {}
    for node in structure(table).units:
        out.setdefault(unit_key(node.row), node)
        out.setdefault(fold(node.row.unit_name or node.row.label), node)
    return out


def match_units(a: Table, b: Table) -> Iterator[tuple[Node, Node]]:
    """Pairs of unit rows of two tables that name the same unit (by code, else by name)."""
    theirs = units(b)
    seen: set[int] = set()
    for node in structure(a).units:
        other = theirs.get(unit_key(node.row)) or theirs.get(fold(node.row.unit_name or node.row.label))
        if other is not None and id(other) not in seen:
            seen.add(id(other))
            yield node, other


def _total(table: Table) -> Row | None:
    node = structure(table).total
    return node.row if node else None


def _one(table: Table, row: Row, key: str) -> Sum:
    s = Sum()
    s.add(row.amount(key), _where(table, row, key), weight(table, row, key))
    return s


# ----------------------------------------------------------------------------------------------------------
# rules
# ----------------------------------------------------------------------------------------------------------


@rule("X201", "部门收支总表支出 = 部门支出总表（按功能分类类）", tables=("budget.summary", "budget.expenditure"), book=True)
def summary_vs_expenditure(book: Book, ctx: Context) -> Iterator[Finding]:
    """Each 功能分类 类 row of 部门收支总表 equals 部门支出总表's 合计 summed over that 类; 本年支出合计 = its 合计 row.

    Source: TABLES.md, "表1 类 rows = 表1-2 … summed by 类; 表1 本年支出合计 = 表1-2 合计". Marked at 表1.
    Fails: 表1 208 社会保障和就业支出 50.00 while 表1-2's 208… rows add up to 48.00.
    """
    summary, detail = book.get("budget.summary"), book.get("budget.expenditure")
    assert summary is not None and detail is not None
    yield from _classes_vs(ctx, summary, "预算数", detail, "合计", at_most=False)
    rows = summary.items("支出")
    total, detail_total = rows.get("本年支出合计"), _total(detail)
    if total is not None and detail_total is not None:
        f = compare(ctx, summary, _where(summary, total, "预算数"), "本年支出合计", total.amount("预算数"),
                    f"{detail.title}合计", _one(detail, detail_total, "合计"), weight=weight(summary, total, "预算数"))
        if f:
            yield f


def _classes_vs(ctx: Context, summary: Table, key: str, detail: Table | Sequence[Table], detail_key: str, *, at_most: bool) -> Iterator[Finding]:
    """A sided table's 支出 类 rows against detail tables summed by 类 (equal, or at least as large)."""
    tables = [detail] if isinstance(detail, Table) else list(detail)
    sums: dict[str, Sum] = defaultdict(Sum)
    for t in tables:
        for code, s in by_class(t, detail_key).items():
            sums[code].value += s.value
            sums[code].cells += s.cells
            sums[code].weight += s.weight
            sums[code].blank = sums[code].blank and s.blank
    title = "、".join(t.title for t in tables)
    seen: set[str] = set()
    for row in summary.rows:
        if row.side != "支出" or not row.item or not row.item.startswith("类:") or key not in row.cells:
            continue
        code = row.item[2:]
        seen.add(code)
        expected = sums.get(code, Sum())
        what = f"{code} {row.label}"
        if at_most:
            f = compare(ctx, summary, _where(summary, row, key), f"{title} {what}", expected.value, f"{summary.title}「{row.label}」", _one(summary, row, key), at_most=True, weight=expected.weight)
            if f is not None:
                f = f.model_copy(update={"related": tuple(_cell_of(c) for c in expected.cells)})
        else:
            f = compare(ctx, summary, _where(summary, row, key), what, row.amount(key), f"{title}中 {code} 类之和", expected, weight=weight(summary, row, key))
        if f:
            yield f
    for code, s in sorted(sums.items()):
        if code not in seen and s.value != 0:
            first = s.cells[0]
            t = next(t for t in tables if _cell_of(first).split("!", 1)[0] == t.sheet)
            yield ctx.finding(
                t, first if isinstance(first, Cell) else first.split("!", 1)[1], f"{t.title}有 {code} 类支出 {show(s.value)}，但{summary.title}没有这一类",
                related=[_cell_of(c) for c in s.cells], expected=Decimal(0), actual=s.value,
            )


@rule("X202", "部门收支总表收入 = 部门收入总表合计行", tables=("budget.summary", "budget.revenue"), book=True)
def summary_vs_revenue(book: Book, ctx: Context) -> Iterator[Finding]:
    """Each 收入 line of 部门收支总表 equals the same column of 部门收入总表's 合计 row; 收入总计 = its 合计.

    Lines: 一般公共预算拨款收入 … 其他收入, 上年结转, 用事业基金弥补收支差额. Source: TABLES.md, "表1 收入 rows =
    表1-1 columns". Marked at 表1. Fails: 表1 事业收入 20.00 while 表1-1's 合计 row has 事业收入 18.00.
    """
    summary, revenue = book.get("budget.summary"), book.get("budget.revenue")
    assert summary is not None and revenue is not None
    total = _total(revenue)
    if total is None:
        return
    for item, row in summary.items("收入").items():
        key = "合计" if item == "收入总计" else item
        if key not in revenue.columns or "预算数" not in row.cells:
            continue
        f = compare(ctx, summary, _where(summary, row, "预算数"), row.label, row.amount("预算数"),
                    f"{revenue.title}合计行「{key}」", _one(revenue, total, key), weight=weight(summary, row, "预算数"))
        if f:
            yield f


@rule("X203", "部门收入总表与部门支出总表各单位合计一致", tables=("budget.revenue", "budget.expenditure"), book=True)
def revenue_vs_expenditure_units(book: Book, ctx: Context) -> Iterator[Finding]:
    """Each unit's (and the whole department's) 合计 in 部门支出总表 equals its 合计 in 部门收入总表.

    Units are matched by 单位代码, else by name. Source: TABLES.md, "表1-1 and 表1-2 per-unit totals agree".
    Marked at 表1-2. Fails: unit 中心 has 收入 合计 30.00 and 支出 合计 28.00.
    """
    revenue, spending = book.get("budget.revenue"), book.get("budget.expenditure")
    assert revenue is not None and spending is not None
    pairs: list[tuple[Row, Row, str]] = [(a.row, b.row, a.name) for a, b in match_units(spending, revenue)]
    ta, tb = _total(spending), _total(revenue)
    if ta is not None and tb is not None:
        pairs.insert(0, (ta, tb, "全部门"))
    for mine, theirs, name in pairs:
        f = compare(ctx, spending, _where(spending, mine, "合计"), f"{spending.title}「{name}」合计", mine.amount("合计"),
                    f"{revenue.title}「{name}」合计", _one(revenue, theirs, "合计"), weight=weight(spending, mine, "合计"))
        if f:
            yield f


FISCAL_COLUMNS = (
    ("一般公共预算", "本年收入/一般公共预算", "一般公共预算拨款收入", "budget.general"),
    ("政府性基金预算", "本年收入/政府性基金预算", "政府性基金预算拨款收入", "budget.fund"),
    ("国有资本经营预算", "本年收入/国有资本经营预算", "国有资本经营预算拨款收入", "budget.capital"),
)
"""表2 支出 column, 表2 收入 item, 表1 收入 item, the detail table of that money."""


@rule("X204", "财政拨款收支总表与部门收支总表一致", tables=("budget.summary", "budget.fiscal_summary"), book=True)
def fiscal_vs_summary(book: Book, ctx: Context) -> Iterator[Finding]:
    """表2's 本年收入 by source equals 表1's 拨款收入 lines, and no 类 of 表2's 支出 exceeds 表1's.

    财政拨款 is part of the department's money: 表2 一般公共预算 本年收入 = 表1 一般公共预算拨款收入 (likewise 政府性基金,
    国有资本经营), and 表2 合计 for each 类 ≤ 表1's 类 row. Source: TABLES.md / the issue, "表1 vs … 2 … by 类".
    Marked at 表2. Fails: 表2 本年收入 一般公共预算 100.00 while 表1 一般公共预算拨款收入 is 90.00.
    """
    summary, fiscal = book.get("budget.summary"), book.get("budget.fiscal_summary")
    assert summary is not None and fiscal is not None
    income, fiscal_income = summary.items("收入"), fiscal.items("收入")
    for _, item, source, _ in FISCAL_COLUMNS:
        mine, theirs = fiscal_income.get(item), income.get(source)
        if mine is None or theirs is None or "预算数" not in mine.cells:
            continue
        f = compare(ctx, fiscal, _where(fiscal, mine, "预算数"), f"本年收入「{mine.label}」", mine.amount("预算数"),
                    f"{summary.title}「{theirs.label}」", _one(summary, theirs, "预算数"), weight=weight(fiscal, mine, "预算数"))
        if f:
            yield f
    classes = {r.item: r for r in summary.rows if r.side == "支出" and r.item and r.item.startswith("类:")}
    for row in fiscal.rows:
        if row.side != "支出" or not row.item or not row.item.startswith("类:") or "合计" not in row.cells:
            continue
        bound = classes.get(row.item)
        limit = _one(summary, bound, "预算数") if bound is not None else Sum()
        f = compare(ctx, fiscal, _where(fiscal, row, "合计"), f"{row.item[2:]} {row.label} 财政拨款支出", row.amount("合计"),
                    f"{summary.title}同类支出", limit, at_most=True, weight=weight(fiscal, row, "合计"))
        if f:
            yield f


@rule("X205", "财政拨款收支总表各资金列 = 一般公共预算/政府性基金/国有资本经营支出表", tables=("budget.fiscal_summary",), book=True)
def fiscal_vs_detail(book: Book, ctx: Context) -> Iterator[Finding]:
    """表2's 一般公共预算 column equals 表3 by 类 (政府性基金预算 = 表4, 国有资本经营预算 = 表5), and so do the totals.

    Source: TABLES.md, "表2 一般公共预算 column = 表3". Marked at 表2; pairs whose detail table is absent are skipped.
    Fails: 表2 210 卫生健康支出 一般公共预算 40.00 while 表3's 210 rows add up to 38.00.
    """
    fiscal = book.get("budget.fiscal_summary")
    assert fiscal is not None
    rows = fiscal.items("支出")
    for column, _, _, detail_id in FISCAL_COLUMNS:
        detail = book.get(detail_id)
        if detail is None or f"支出/{column}" not in fiscal.columns:
            continue
        yield from _classes_vs(ctx, fiscal, column, detail, "合计", at_most=False)
        total, detail_total = rows.get("本年支出合计"), _total(detail)
        if total is not None and detail_total is not None:
            f = compare(ctx, fiscal, _where(fiscal, total, column), f"本年支出合计「{column}」", total.amount(column),
                        f"{detail.title}合计", _one(detail, detail_total, "合计"), weight=weight(fiscal, total, column))
            if f:
                yield f


@rule("X206", "一般公共预算支出不超过部门收支总表同类支出", tables=("budget.summary", "budget.general"), book=True)
def general_within_summary(book: Book, ctx: Context) -> Iterator[Finding]:
    """For each 功能分类 类, 一般公共预算支出预算表 (表3) is at most 部门收支总表's 类 row.

    一般公共预算 money is part of the department's money. Source: the issue, "表1 vs … 3 by 类". Marked at 表1,
    the 表3 rows in ``related``. Fails: 表3's 205 rows add up to 80.00 while 表1 205 教育支出 is 60.00.
    """
    summary, general = book.get("budget.summary"), book.get("budget.general")
    assert summary is not None and general is not None
    yield from _classes_vs(ctx, summary, "预算数", general, "合计", at_most=True)


@rule("X207", "经济分类明细各单位基本/项目支出 = 基本支出表、项目支出表", tables=("budget.fiscal_economic",), book=True)
def economic_vs_basic_project(book: Book, ctx: Context) -> Iterator[Finding]:
    """Per unit and in total, 经济分类明细 一般公共预算拨款 基本支出 = 基本支出表 合计, 项目支出 = 项目支出表 合计.

    Source: TABLES.md, "表2-1 per unit 基本支出 = 表3-1 unit total and 项目支出 = 表3-2 unit total". Marked at 表2-1.
    Fails: unit 本级 in 2-1 has 基本支出 55.00 while its 3-1 合计 is 50.00.
    """
    economic = book.get("budget.fiscal_economic")
    assert economic is not None
    for detail_id, column, detail_key in (
        ("budget.general_basic", "一般公共预算拨款/基本支出", "合计"),
        ("budget.general_project", "一般公共预算拨款/项目支出", "金额"),
    ):
        detail = book.get(detail_id)
        if detail is None or column not in economic.columns or detail_key not in detail.columns:
            continue
        pairs: list[tuple[Row, Row, str]] = [(a.row, b.row, a.name) for a, b in match_units(economic, detail)]
        ta, tb = _total(economic), _total(detail)
        if ta is not None and tb is not None:
            pairs.insert(0, (ta, tb, "全部门"))
        label = column.replace("/", "")
        for mine, theirs, name in pairs:
            f = compare(ctx, economic, _where(economic, mine, column), f"「{name}」{label}", mine.amount(column),
                        f"{detail.title}「{name}」合计", _one(detail, theirs, detail_key), weight=weight(economic, mine, column))
            if f:
                yield f


@rule("X208", "“三公”经费表 = 经济分类明细中的三公科目", tables=("budget.fiscal_economic",), book=True)
def sangong_vs_economic(book: Book, ctx: Context) -> Iterator[Finding]:
    """Per unit and in total, each “三公” column equals the 经济分类明细 row of its item, in the same money.

    因公出国（境）费 = 30212, 公务接待费 = 30217, 公务用车运行费 = 30231, 公务用车购置费 = 31013; 表3-3 against the
    一般公共预算拨款 小计 column, 表4-1 against 政府性基金预算拨款 小计. A missing row counts as 0. Source: TABLES.md,
    "表3-3 columns = the 表2-1 items". Marked at the 三公 table. Fails: 3-3 公务接待费 5.00 while 2-1's 30217 is 4.00.
    """
    economic = book.get("budget.fiscal_economic")
    assert economic is not None
    for table_id, column in (("budget.general_sangong", "一般公共预算拨款/小计"), ("budget.fund_sangong", "政府性基金预算拨款/小计")):
        sangong = book.get(table_id)
        if sangong is None or column not in economic.columns:
            continue
        total = _total(sangong)
        rows: list[tuple[Row, str | None]] = [(total, None)] if total is not None else []
        rows += [(n.row, unit_key(n.row)) for n in structure(sangong).units]
        names = {unit_key(n.row): n for n in structure(economic).units}
        by_name = {fold(n.row.unit_name or n.row.label): unit_key(n.row) for n in structure(economic).units}
        for code, name in SANGONG_CODES.items():
            key = next((k for k in sangong.columns if k.split("/")[-1] == name), None)
            if key is None:
                continue
            sums = by_code(economic, column, code)
            for row, ukey in rows:
                if ukey is not None and ukey not in names:
                    ukey = by_name.get(fold(row.unit_name or row.label))
                    if ukey is None:
                        continue
                expected = sums.get(ukey, Sum())
                who = "合计" if ukey is None else (row.unit_name or row.label)
                f = compare(ctx, sangong, _where(sangong, row, key), f"{who}「{name}」", row.amount(key),
                            f"{economic.title}{code}（{column.replace('/', '')}）", expected, weight=weight(sangong, row, key))
                if f:
                    yield f


def _projects(table: Table, key: str) -> dict[str, tuple[str, Sum]]:
    """Project amounts by folded name (and by code), summed over the rows that name the project."""
    out: dict[str, tuple[str, Sum]] = {}
    seen: set[str] = set()
    for row in table.rows:
        if not row.project or key not in row.cells:
            continue
        cell = row.cells[key]
        if cell.where in seen:  # 表6: 预算数 merged over the project's block
            continue
        seen.add(cell.where)
        name_key = fold(row.project)
        if name_key not in out:
            out[name_key] = (row.project, Sum())
        out[name_key][1].add(cell.amount, cell)
        if row.project_code:
            out.setdefault(row.project_code, out[name_key])
    return out


@rule("X209", "项目支出表的项目在绩效目标表中预算数一致", tables=("budget.general_project", "budget.project_targets"), book=True)
def projects_vs_targets(book: Book, ctx: Context) -> Iterator[Finding]:
    """Each project of the 项目支出表 has the same 预算数 in the 项目支出绩效目标表.

    Projects are matched by 项目编码, else by name; a project printed under several 科目 is summed. Source: TABLES.md,
    "each project in 表3-2 appears in 表6 with the same 预算数". Marked at 表6's 预算数.
    Fails: 医保信息化建设 20.00 in 3-2 and 预算数 25.00 in 表6.
    """
    projects, targets = book.get("budget.general_project"), book.get("budget.project_targets")
    assert projects is not None and targets is not None
    theirs = _projects(projects, "金额")
    done: set[int] = set()
    for key, (name, mine) in _projects(targets, "预算数").items():
        found = theirs.get(key)
        if found is None or id(mine) in done:
            continue
        done.add(id(mine))
        f = compare(ctx, targets, mine.cells[0], f"项目「{name}」预算数", mine.value, f"{projects.title}中该项目金额", found[1], weight=mine.weight)
        if f:
            yield f


@rule("X210", "项目支出表的项目缺少绩效目标", tables=("budget.general_project", "budget.project_targets"), book=True, severity=Severity.WARNING)
def projects_have_targets(book: Book, ctx: Context) -> Iterator[Finding]:
    """A project of the 项目支出表 does not appear in the 项目支出绩效目标表 at all.

    Source: TABLES.md, "each project in 表3-2 appears in 表6". A warning: some provinces publish targets for key
    projects only. Marked at the project's name in 3-2. Fails: 3-2 lists 办公楼维修 and 表6 does not.
    """
    projects, targets = book.get("budget.general_project"), book.get("budget.project_targets")
    assert projects is not None and targets is not None
    theirs = _projects(targets, "预算数")
    if not theirs and not any(r.project for r in targets.rows):
        return
    known = {fold(r.project) for r in targets.rows if r.project} | {r.project_code for r in targets.rows if r.project_code}
    reported: set[str] = set()
    for row in projects.rows:
        if not row.project or fold(row.project) in reported:
            continue
        if fold(row.project) in known or (row.project_code and row.project_code in known):
            continue
        reported.add(fold(row.project))
        cell = row.cells.get("项目名称") or row.label_cell or _where(projects, row, "金额")
        yield ctx.finding(projects, cell, f"项目「{row.project}」在{targets.title}中没有绩效目标")


@rule("X211", "部门整体支出绩效目标表资金总额 = 部门支出合计", tables=("budget.overall_targets",), book=True)
def overall_vs_expenditure(book: Book, ctx: Context) -> Iterator[Finding]:
    """表7's 资金总额 equals the department's total expenditure: 部门支出总表 合计 (else 表1 本年支出合计).

    Source: TABLES.md, "表7 资金总额 = 财政拨款 + 其他资金 = the department's total expenditure". Marked at 表7.
    Fails: 资金总额 1,000.00 while 部门支出总表 合计 is 980.00.
    """
    overall = book.get("budget.overall_targets")
    assert overall is not None
    cell = overall.fields.get("资金总额")
    if cell is None:
        return
    expenditure, summary = book.get("budget.expenditure"), book.get("budget.summary")
    if expenditure is not None and (total := _total(expenditure)) is not None:
        expected, other = _one(expenditure, total, "合计"), f"{expenditure.title}合计"
    elif summary is not None and (row := summary.items("支出").get("本年支出合计")) is not None:
        expected, other = _one(summary, row, "预算数"), f"{summary.title}本年支出合计"
    else:
        return
    f = compare(ctx, overall, cell, "资金总额", cell.amount, other, expected)
    if f:
        yield f


@rule("X212", "政府采购金额不超过所属项目预算", tables=("budget.procurement",), book=True)
def procurement_within_projects(book: Book, ctx: Context) -> Iterator[Finding]:
    """The 总金额 a project buys in 政府采购预算表 is at most the project's budget (表6 预算数, else 3-2 金额).

    Purchases outside projects (basic expenditure) and projects not found elsewhere are not checked. Source:
    TABLES.md, "表8 amounts belong to budgeted projects". Marked at the project's first 总金额 cell.
    Fails: 表8 buys 30.00 for 医保信息化建设 whose 预算数 is 20.00.
    """
    procurement = book.get("budget.procurement")
    assert procurement is not None
    budgets: dict[str, tuple[str, Sum]] = {}
    for table_id, key in (("budget.general_project", "金额"), ("budget.project_targets", "预算数")):
        table = book.get(table_id)
        if table is not None:
            budgets.update(_projects(table, key))
    if not budgets:
        return
    bought: dict[str, tuple[str, Sum]] = {}
    for node in structure(procurement).nodes():
        row = node.row
        if not row.project or "总金额" not in procurement.columns:
            continue
        key = row.project_code if row.project_code and row.project_code in budgets else fold(row.project)
        name, s = bought.setdefault(key, (row.project, Sum()))
        rows: Iterable[Row] = [c.row for c in node.children] if node.children else [row]
        for r in rows:
            s.add(r.amount("总金额"), _where(procurement, r, "总金额"))
    for key, (name, s) in bought.items():
        budget = budgets.get(key)
        if budget is None or s.blank:
            continue
        first = s.cells[0]
        f = compare(ctx, procurement, first, f"项目「{name}」政府采购金额", s.value, "该项目预算数", budget[1], at_most=True, weight=s.weight)
        if f is not None:
            yield f.model_copy(update={"related": tuple(_cell_of(c) for c in [*s.cells[1:], *budget[1].cells])})


def _coded_rows(table: Table) -> dict[tuple[str | None, str], Row]:
    """A function-coded ledger's rows by (unit, code); the first row of a code in a unit wins."""
    out: dict[tuple[str | None, str], Row] = {}
    for unit, roots in structure(table).blocks:
        stack = list(reversed(roots))
        while stack:
            node = stack.pop()
            if node.row.code:
                out.setdefault((unit_key(unit.row) if unit else None, node.row.code), node.row)
            stack.extend(reversed(node.children))
    return out


@rule("X213", "部门收入总表与部门支出总表按科目一致", tables=("budget.revenue", "budget.expenditure"), book=True)
def revenue_matches_expenditure_by_subject(book: Book, ctx: Context) -> Iterator[Finding]:
    """Where 部门收入总表 lists its revenue by 功能分类 科目 (Shanghai's 收入预算总表), each 科目 row's 合计 equals
    the same row's 合计 in 部门支出总表: both tables spread the same money over the same 科目.

    Source: TABLES.md § Real layouts (the Shanghai set); the 合计 rows are compared by S-rules and X203. Marked at
    部门支出总表. Fails: 2010507 专项普查活动 438,300 in 收入预算总表, 438,400 in 支出预算总表.
    """
    revenue, spent = book.get("budget.revenue"), book.get("budget.expenditure")
    assert revenue is not None and spent is not None
    if "合计" not in revenue.columns or "合计" not in spent.columns or revenue.spec.codes is None:
        return
    mine, theirs = _coded_rows(spent), _coded_rows(revenue)
    if not theirs:
        return  # a 收入总表 by unit: X203 compares the units
    for key, row in mine.items():
        other = theirs.get(key)
        if other is None:
            continue
        f = compare(ctx, spent, _where(spent, row, "合计"), f"{row.code} {row.label}「合计」", row.amount("合计"),
                    f"{revenue.title}同一科目的合计", _one(revenue, other, "合计"), weight=weight(spent, row, "合计"))
        if f:
            yield f


@rule("X214", "一般公共预算支出表的基本支出 = 基本支出表合计", tables=("budget.general", "budget.general_basic"), book=True)
def general_basic_total(book: Book, ctx: Context) -> Iterator[Finding]:
    """The 基本支出 of 一般公共预算支出表's 合计 row equals the 合计 of 一般公共预算基本支出表 (the same money, by
    功能分类 in one and by 经济分类 in the other).

    Source: TABLES.md (表3 and 表3-1; Shanghai's 一般公共预算支出功能分类预算表 and 基本支出部门预算经济分类预算表).
    Marked at the 基本支出表's 合计. Fails: 基本支出 10,106.63 万元 in one, 10,106.53 in the other.
    """
    general, basic = book.get("budget.general"), book.get("budget.general_basic")
    assert general is not None and basic is not None
    g, b = _total(general), _total(basic)
    if g is None or b is None or "基本支出" not in general.columns or "合计" not in basic.columns:
        return
    f = compare(ctx, basic, _where(basic, b, "合计"), f"{basic.title}「合计」", b.amount("合计"),
                f"{general.title}合计行的基本支出", _one(general, g, "基本支出"), weight=weight(basic, b, "合计"))
    if f:
        yield f


@rule("X215", "部门整体支出绩效目标表财政拨款 = 财政拨款收支总表支出合计", tables=("budget.overall_targets", "budget.fiscal_summary"), book=True)
def overall_fiscal_vs_fiscal_summary(book: Book, ctx: Context) -> Iterator[Finding]:
    """表7's 财政拨款 equals the 财政拨款 the department spends this year: 表2 财政拨款收支总表's 本年支出合计 (合计
    column; its 支出总计 when the table prints no 本年支出合计 line).

    Source: TABLES.md, "表7 财政拨款 vs 表2" (issue 14 §5). Marked at 表7. Fails: 财政拨款 900.00 while 表2 本年支出合计
    is 880.00.
    """
    overall, fiscal = book.get("budget.overall_targets"), book.get("budget.fiscal_summary")
    assert overall is not None and fiscal is not None
    cell = overall.fields.get("财政拨款")
    spent = fiscal.items("支出")
    row = spent.get("本年支出合计") or spent.get("支出总计")
    if cell is None or row is None or "支出/合计" not in fiscal.columns:
        return
    f = compare(ctx, overall, cell, "财政拨款", cell.amount, f"{fiscal.title}{row.label}", _one(fiscal, row, "合计"))
    if f:
        yield f
