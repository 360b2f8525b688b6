"""F40x-F41x: the 决算 tables. What the generic S-rules (TableSpec.sums, 类 = Σ款 = Σ项) do not cover.

Within a table: 收入总计 = 支出总计, 年初结转和结余 + 本年收入 - 本年支出 = 年末结转和结余, 决算数 against 调整后预算数
and 三公 决算数 against 预算数. Across tables: the summary tables against their detail tables, the 财政拨款 tables
against the 一般公共预算 / 政府性基金 / 国有资本经营 tables. A cross-table finding is pinned at the cell of the more
detailed table and names the other cell in ``related``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..core.findings import Finding, Severity
from ..core.model import Book, Row, Table
from ..core.specs import FINAL_FISCAL_SOURCES, FINAL_REVENUE_SOURCES, FUNCTION_CLASSES
from .registry import Context, rule
from .totals import weight

ZERO = Decimal(0)


@dataclass(frozen=True)
class Amount:
    """One printed amount: its table, row and column (the cell may be blank, then it counts as 0)."""

    table: Table
    row: Row
    key: str

    @property
    def value(self) -> Decimal:
        return self.row.amount(self.key) or ZERO

    @property
    def where(self) -> str:
        return self.table.where(self.row, self.key)

    @property
    def ref(self) -> str:
        return self.table.ref(self.row, self.key)

    def describe(self) -> str:
        label = self.row.label or (self.row.code or "")
        return f"「{self.table.title}」{label} 行「{self.key.split('/')[-1]}」{self.value}"


def _amount(table: Table, row: Row | None, key: str) -> Amount | None:
    if row is None or (key not in table.columns and key not in row.cells):
        return None
    return Amount(table, row, key)


def _mismatch(
    ctx: Context, pinned: Amount, others: Sequence[Amount], what: str, *, severity: Severity | None = None
) -> Iterator[Finding]:
    """A finding at ``pinned`` when it differs from the sum of ``others`` by more than nothing."""
    expected = sum((a.value for a in others), ZERO)
    # 舍位: the side that adds more rounded lines bounds the difference (a 类 row = Σ its 项 against the 总表's 类 line)
    parts = max(weight(pinned.table, pinned.row, pinned.key), sum(weight(a.table, a.row, a.key) for a in others), 1)
    verdict = ctx.verdict(pinned.table, pinned.value, expected, parts)
    if verdict is None:
        return
    if verdict is Severity.ERROR and severity is not None:
        verdict = severity
    source = "、".join(a.describe() for a in others) if others else "无对应数"
    yield ctx.finding(
        pinned.table, pinned.ref,
        f"{pinned.describe()} 与 {source} 不一致（{what}），相差 {pinned.value - expected}"
        + ("，在舍位误差范围内" if verdict is Severity.NOTE else ""),
        severity=verdict, related=[a.where for a in others], expected=expected, actual=pinned.value,
    )


def _total_row(table: Table) -> Row | None:
    return next(table.of_kind("total"), None)


def _coded(table: Table, kinds: Iterable[str] = ("item",)) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for r in table.rows:
        if r.kind in kinds and r.code and r.code not in out:
            out[r.code] = r
    return out


def _classes(table: Table, side: str = "支出") -> dict[str, Row]:
    return {item[2:]: r for item, r in table.items(side).items() if item.startswith("类:")}


# ---------------------------------------------------------------------------------------------------------
# within one table
# ---------------------------------------------------------------------------------------------------------

SUMMARY_AMOUNT = {"final.summary": ("决算数", "决算数"), "final.fiscal_summary": ("决算数", "合计")}


@rule("F401", "收入总计 = 支出总计", tables=("final.summary", "final.fiscal_summary"))
def income_total_is_expenditure_total(table: Table, ctx: Context) -> Iterator[Finding]:
    """收入支出决算总表 / 财政拨款收入支出决算总表: 收入总计 equals 支出总计.

    Source: TABLES.md "Equations" (收入总计 = 支出总计). Fails: 收入总计 1173.87 | 支出总计 1172.87.
    """
    income_key, spent_key = SUMMARY_AMOUNT[table.id]
    income = _amount(table, table.items("收入").get("收入总计"), income_key)
    spent = _amount(table, table.items("支出").get("支出总计"), spent_key)
    if income is None or spent is None:
        return
    yield from _mismatch(ctx, spent, [income], "收入总计应等于支出总计")


CARRY_KEYS = ("年初结转和结余", "本年收入", "本年支出/小计", "年末结转和结余")


@rule("F402", "年初结转和结余 + 本年收入 - 本年支出 = 年末结转和结余", tables=("final.fund", "final.capital_revenue"))
def carry_over_balances(table: Table, ctx: Context) -> Iterator[Finding]:
    """政府性基金 / 国有资本经营预算财政拨款收入支出决算表: on every row 年初结转和结余 + 本年收入 - 本年支出合计 =
    年末结转和结余.

    Fails: 年初 10.00 | 本年收入 100.00 | 本年支出 95.00 | 年末 5.00 (should be 15.00).
    """
    if not all(k in table.columns for k in CARRY_KEYS):
        return
    for r in table.rows:
        if r.kind not in ("total", "item") or not any(r.amount(k) is not None for k in CARRY_KEYS):
            continue
        begin, income, spent, end = (r.amount(k) or ZERO for k in CARRY_KEYS)
        expected = begin + income - spent
        verdict = ctx.verdict(table, end, expected, 3)
        if verdict is None:
            continue
        yield ctx.finding(
            table, table.ref(r, "年末结转和结余"),
            f"{r.label or r.code or '本'}行 年末结转和结余 {end} ≠ 年初结转和结余 {begin} + 本年收入 {income} - 本年支出 {spent} = {expected}",
            severity=verdict, related=[table.where(r, k) for k in CARRY_KEYS[:3]], expected=expected, actual=end,
        )


@rule("F403", "年初财政拨款结转和结余 = 各项财政拨款结转之和", tables=("final.fiscal_summary",))
def opening_balance_is_sum_of_sources(table: Table, ctx: Context) -> Iterator[Finding]:
    """财政拨款收入支出决算总表: where the 收入 side lists 年初财政拨款结转和结余 by source (一般公共预算 / 政府性基金 /
    国有资本经营预算财政拨款), the 年初 row equals their sum.

    Fails: 年初财政拨款结转和结余 8.00 | 一般公共预算财政拨款 3.00 | 政府性基金预算财政拨款 4.00.
    """
    items = table.items("收入")
    total = _amount(table, items.get("年初财政拨款结转和结余"), "决算数")
    parts = [a for k in FINAL_FISCAL_SOURCES if (a := _amount(table, items.get(f"年初财政拨款结转和结余/{k}"), "决算数"))]
    if total is None or not parts:
        return
    yield from _mismatch(ctx, total, parts, "年初财政拨款结转和结余应等于各项之和")


@rule("F404", "决算数超过调整后预算数", tables=("final.general",), severity=Severity.WARNING)
def spending_within_adjusted_budget(table: Table, ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款支出决算表: where 调整后预算数 (全年预算数) is printed, 决算数 (本年支出合计) should not exceed
    it; spending above the adjusted budget needs a budget adjustment or an explanation.

    Fails: 调整后预算数 100.00 | 本年支出合计 120.00.
    """
    if "调整后预算数" not in table.columns or "本年支出合计" not in table.columns:
        return
    for r in table.rows:
        budget, spent = r.amount("调整后预算数"), r.amount("本年支出合计")
        if budget is None or spent is None or spent <= budget + ctx.tolerance(table, 1):
            continue
        yield ctx.finding(
            table, table.ref(r, "本年支出合计"),
            f"{r.label or r.code or '本'}行 决算数 {spent} 超过调整后预算数 {budget}（超出 {spent - budget}），请核对预算调整或说明原因",
            related=[table.where(r, "调整后预算数")], expected=budget, actual=spent,
        )


SANGONG_ITEMS = ("合计", "因公出国(境)费", "公务用车购置及运行费", "公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费", "公务接待费")


@rule("F405", "“三公”经费决算数超过预算数", tables=("final.sangong",), severity=Severity.WARNING)
def sangong_within_budget(table: Table, ctx: Context) -> Iterator[Finding]:
    """财政拨款“三公”经费支出决算表: each 决算数 column should not exceed its 预算数 column (三公 spending is capped by
    its budget).

    Fails: 预算数/公务接待费 1.00 | 决算数/公务接待费 1.39.
    """
    for r in table.rows:
        for item in SANGONG_ITEMS:
            budget, spent = r.amount(f"预算数/{item}"), r.amount(f"决算数/{item}")
            if budget is None or spent is None or spent <= budget + ctx.tolerance(table, 1):
                continue
            name = item.split("/")[-1]
            yield ctx.finding(
                table, table.ref(r, f"决算数/{item}"),
                f"“三公”经费 {name} 决算数 {spent} 超过预算数 {budget}（超出 {spent - budget}）",
                related=[table.where(r, f"预算数/{item}")], expected=budget, actual=spent,
            )


# ---------------------------------------------------------------------------------------------------------
# across tables
# ---------------------------------------------------------------------------------------------------------


def _pairs(book: Book, first: str, second: str) -> Iterator[tuple[Table, Table]]:
    a, b = book.get(first), book.get(second)
    if a is not None and b is not None:
        yield a, b


SUMMARY_TO_REVENUE = {k: k for k, _ in FINAL_REVENUE_SOURCES[3:]}


@rule("F410", "收入支出决算总表 与 收入决算表 一致", tables=("final.summary", "final.revenue"), book=True)
def summary_matches_revenue(book: Book, ctx: Context) -> Iterator[Finding]:
    """收入决算表's 合计 row equals the 收入 side of 收入支出决算总表: 本年收入合计, 财政拨款收入 (= 一般公共预算 +
    政府性基金 + 国有资本经营预算财政拨款收入), 上级补助收入, 事业收入, 经营收入, 附属单位上缴收入, 其他收入.

    Fails: 总表 事业收入 5.17 | 收入决算表 合计 事业收入 6.17.
    """
    for summary, revenue in _pairs(book, "final.summary", "final.revenue"):
        items, total = summary.items("收入"), _total_row(revenue)
        if total is None:
            continue
        pairs: list[tuple[str, list[str]]] = [("本年收入合计", ["本年收入合计"]), ("财政拨款收入", [k for k, _ in FINAL_REVENUE_SOURCES[:3]])]
        pairs += [(k, [k]) for k in SUMMARY_TO_REVENUE]
        for column, keys in pairs:
            pinned = _amount(revenue, total, column)
            others = [a for k in keys if (a := _amount(summary, items.get(k), "决算数"))]
            if pinned is not None and others:
                yield from _mismatch(ctx, pinned, others, "收入决算表合计行应等于收入支出决算总表")


@rule("F411", "收入支出决算总表 与 支出决算表 一致", tables=("final.summary", "final.expenditure"), book=True)
def summary_matches_expenditure(book: Book, ctx: Context) -> Iterator[Finding]:
    """支出决算表's 合计 row equals 本年支出合计 of 收入支出决算总表, and each 功能分类 类 row equals the 类 row of the
    总表's 支出 side.

    Fails: 总表 卫生健康支出 932.10 | 支出决算表 210 卫生健康支出 本年支出合计 930.10.
    """
    for summary, spent in _pairs(book, "final.summary", "final.expenditure"):
        yield from _classes_match(ctx, summary, "决算数", spent, "本年支出合计", "支出决算表应与收入支出决算总表一致")


def _classes_match(ctx: Context, summary: Table, summary_key: str, detail: Table, detail_key: str, what: str) -> Iterator[Finding]:
    """A sided summary's 本年支出合计 and 类 rows against a ledger's 合计 row and 类 rows."""
    if detail_key not in detail.columns:
        return
    total_item = summary.items("支出").get("本年支出合计")
    total_row = _total_row(detail)
    if total_item is not None and total_row is not None:
        yield from _mismatch(ctx, Amount(detail, total_row, detail_key), [Amount(summary, total_item, summary_key)], what)
    classes, rows = _classes(summary), _coded(detail)
    for code in sorted(set(classes) | {c for c in rows if len(c) == 3}):
        summary_row, row = classes.get(code), rows.get(code)
        if row is not None:
            others = [Amount(summary, summary_row, summary_key)] if summary_row is not None else []
            yield from _mismatch(ctx, Amount(detail, row, detail_key), others, what)
        elif summary_row is not None and summary_row.amount(summary_key):
            s = Amount(summary, summary_row, summary_key)
            yield ctx.finding(
                summary, s.ref, f"{s.describe()}：「{detail.title}」中没有 {code} {FUNCTION_CLASSES.get(code, '')} 类科目",
                expected=ZERO, actual=s.value,
            )


@rule("F412", "收入支出决算总表 与 财政拨款收入支出决算总表 的财政拨款收入一致", tables=("final.summary", "final.fiscal_summary"), book=True)
def summary_matches_fiscal_income(book: Book, ctx: Context) -> Iterator[Finding]:
    """The 财政拨款 收入 of 财政拨款收入支出决算总表 (一般公共预算 / 政府性基金 / 国有资本经营预算财政拨款) equal the same
    收入 rows of 收入支出决算总表.

    Fails: 总表 一般公共预算财政拨款收入 967.14 | 财政拨款总表 一般公共预算财政拨款 966.14.
    """
    for summary, fiscal in _pairs(book, "final.summary", "final.fiscal_summary"):
        s_items, f_items = summary.items("收入"), fiscal.items("收入")
        for key, _ in FINAL_REVENUE_SOURCES[:3]:
            pinned = _amount(fiscal, f_items.get(key.removesuffix("收入")), "决算数")
            other = _amount(summary, s_items.get(key), "决算数")
            if pinned is not None and other is not None:
                yield from _mismatch(ctx, pinned, [other], "财政拨款收入应与收入支出决算总表一致")


@rule("F413", "财政拨款收入支出决算总表 与 一般公共预算财政拨款支出决算表 一致", tables=("final.fiscal_summary", "final.general"), book=True)
def fiscal_summary_matches_general(book: Book, ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款支出决算表's 合计 and 类 rows equal the 一般公共预算财政拨款 column of 财政拨款收入支出决算总表.

    Fails: 财政拨款总表 卫生健康支出 一般公共预算财政拨款 700.00 | 一般公共预算表 210 本年支出合计 701.00.
    """
    for fiscal, general in _pairs(book, "final.fiscal_summary", "final.general"):
        yield from _classes_match(ctx, fiscal, "一般公共预算财政拨款", general, "本年支出合计", "应等于财政拨款收入支出决算总表的一般公共预算财政拨款列")


@rule("F414", "财政拨款收入支出决算总表 与 政府性基金、国有资本经营预算决算表 一致", tables=("final.fiscal_summary",), book=True)
def fiscal_summary_matches_fund_and_capital(book: Book, ctx: Context) -> Iterator[Finding]:
    """政府性基金预算财政拨款收入支出决算表 (本年支出 小计) and 国有资本经营预算财政拨款支出决算表 (合计): their 合计 and
    类 rows equal the 政府性基金 / 国有资本经营预算财政拨款 columns of 财政拨款收入支出决算总表.

    Fails: 财政拨款总表 其他支出 政府性基金预算财政拨款 193.39 | 政府性基金表 229 本年支出 小计 190.00.
    """
    fiscal = book.get("final.fiscal_summary")
    if fiscal is None:
        return
    for table_id, summary_key, detail_key in (
        ("final.fund", "政府性基金预算财政拨款", "本年支出/小计"),
        ("final.capital", "国有资本经营预算财政拨款", "合计"),
    ):
        detail = book.get(table_id)
        if detail is None or (summary_key not in fiscal.columns and f"支出/{summary_key}" not in fiscal.columns):
            continue
        if not detail.rows:  # an empty table (本表无数据): the column must be zero
            for r in fiscal.rows:
                a = _amount(fiscal, r, summary_key) if r.side == "支出" and r.item in ("本年支出合计",) else None
                if a is not None and a.value:
                    yield ctx.finding(fiscal, a.ref, f"{a.describe()}，但「{detail.title}」为空表", expected=ZERO, actual=a.value)
            continue
        yield from _classes_match(ctx, fiscal, summary_key, detail, detail_key, f"应等于财政拨款收入支出决算总表的{summary_key}列")


DETAIL_PARTS = (
    ("final.general", {"合计": "本年支出合计", "基本支出": "基本支出", "项目支出": "项目支出"}),
    ("final.fund", {"合计": "本年支出/小计", "基本支出": "本年支出/基本支出", "项目支出": "本年支出/项目支出"}),
    ("final.capital", {"合计": "合计", "基本支出": "基本支出", "项目支出": "项目支出"}),
)


@rule("F415", "财政拨款支出决算明细表 = 一般公共预算 + 政府性基金 + 国有资本经营预算", tables=("final.fiscal_detail",), book=True)
def fiscal_detail_is_sum_of_sources(book: Book, ctx: Context) -> Iterator[Finding]:
    """财政拨款支出决算明细表: every 合计 / 科目 row's 合计, 基本支出, 项目支出 equal the sum of the same row in
    一般公共预算财政拨款支出决算表, 政府性基金预算财政拨款收入支出决算表 (本年支出) and 国有资本经营预算财政拨款支出决算表.

    Fails: 明细表 2101501 基本支出 250.00 | 一般公共预算表 2101501 基本支出 240.00 (no other source).
    """
    detail = book.get("final.fiscal_detail")
    sources = [(t, cols) for tid, cols in DETAIL_PARTS if (t := book.get(tid)) is not None]
    if detail is None or not sources:
        return
    rows = _coded(detail)
    total = _total_row(detail)
    for key in ("合计", "基本支出", "项目支出"):
        if key not in detail.columns:
            continue
        if total is not None:
            others = [a for t, cols in sources if (a := _amount(t, _total_row(t), cols[key]))]
            yield from _mismatch(ctx, Amount(detail, total, key), others, "应等于各财政拨款决算表之和")
        for code in sorted(set(rows) | {c for t, _ in sources for c in _coded(t)}):
            others = [a for t, cols in sources if (a := _amount(t, _coded(t).get(code), cols[key]))]
            row = rows.get(code)
            if row is not None:
                yield from _mismatch(ctx, Amount(detail, row, key), others, "应等于各财政拨款决算表之和")
            elif key == "合计" and any(a.value for a in others):
                first = next(a for a in others if a.value)
                yield ctx.finding(
                    first.table, first.ref, f"{first.describe()}：「{detail.title}」中没有 {code} 科目", expected=ZERO, actual=first.value,
                )


@rule("F416", "一般公共预算财政拨款支出决算表 与 明细表（经济分类） 一致", tables=("final.general", "final.general_detail"), book=True)
def general_matches_economic_detail(book: Book, ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款支出决算明细表 (经济分类): its 合计 row's 合计, 基本支出, 项目支出 equal the 合计 row of
    一般公共预算财政拨款支出决算表 (功能分类): the same money split two ways.

    Fails: 功能分类表 合计 基本支出 300.00 | 经济分类明细表 合计 基本支出 299.00.
    """
    for general, detail in _pairs(book, "final.general", "final.general_detail"):
        g, d = _total_row(general), _total_row(detail)
        for d_key, g_key in (("合计", "本年支出合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")):
            pinned, other = _amount(detail, d, d_key), _amount(general, g, g_key)
            if pinned is not None and other is not None:
                yield from _mismatch(ctx, pinned, [other], "经济分类合计应等于功能分类合计")


@rule("F417", "基本支出决算表 与 一般公共预算财政拨款支出决算表 一致", tables=("final.general_basic",), book=True)
def basic_matches_general(book: Book, ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款基本支出决算表: its 合计 equals 基本支出 of 一般公共预算财政拨款支出决算表's 合计 row, and each
    经济分类 row's 合计 equals 基本支出 of the same row in 一般公共预算财政拨款支出决算明细表.

    Printed as two ledgers (人员经费 | 公用经费, as the 2024 决算 set does): 人员经费合计 + 公用经费合计 equals that
    基本支出. Fails: 基本支出表 30101 基本工资 合计 80.00 | 明细表 30101 基本支出 81.00.
    """
    basic = book.get("final.general_basic")
    general, detail = book.get("final.general"), book.get("final.general_detail")
    if basic is not None and general is not None and basic.spec.halves and any(r.side for r in basic.rows):
        # 人员经费 | 公用经费 side by side: 人员经费合计 + 公用经费合计 = 基本支出 of the 一般公共预算 table's 合计 row
        totals = [Amount(basic, r, "决算数") for r in basic.rows if r.kind == "total" and "决算数" in r.cells]
        other = _amount(general, _total_row(general), "基本支出")
        if totals and other is not None:
            yield from _mismatch(ctx, other, totals, "应等于基本支出决算表的人员经费合计与公用经费合计之和")
        return
    if basic is None or "合计" not in basic.columns:
        return
    total = _total_row(basic)
    if general is not None and total is not None and (other := _amount(general, _total_row(general), "基本支出")):
        yield from _mismatch(ctx, Amount(basic, total, "合计"), [other], "基本支出决算表合计应等于一般公共预算财政拨款基本支出")
    if detail is None or "基本支出" not in detail.columns:
        return
    rows, detail_rows = _coded(basic), _coded(detail)
    for code in sorted(set(rows) | {c for c, r in detail_rows.items() if r.amount("基本支出")}):
        row, d = rows.get(code), detail_rows.get(code)
        if row is not None:
            others = [Amount(detail, d, "基本支出")] if d is not None else []
            yield from _mismatch(ctx, Amount(basic, row, "合计"), others, "应等于经济分类明细表的基本支出")
        elif d is not None:
            a = Amount(detail, d, "基本支出")
            yield ctx.finding(detail, a.ref, f"{a.describe()}：「{basic.title}」中没有 {code} 科目", expected=ZERO, actual=a.value)


@rule("F418", "项目支出决算表 与 一般公共预算财政拨款支出决算表 一致", tables=("final.general_project",), book=True)
def projects_match_general(book: Book, ctx: Context) -> Iterator[Finding]:
    """一般公共预算财政拨款项目支出决算表: its 合计 equals 项目支出 of 一般公共预算财政拨款支出决算表's 合计 row, and the
    projects of each 功能分类 项 add up to that 项's 项目支出.

    Fails: 项目支出表 2101599 两个项目 100.00 + 50.00 | 一般公共预算表 2101599 项目支出 160.00.
    """
    projects, general = book.get("final.general_project"), book.get("final.general")
    if projects is None or general is None or "决算数" not in projects.columns or "项目支出" not in general.columns:
        return
    total = _total_row(projects)
    if total is not None and (other := _amount(general, _total_row(general), "项目支出")):
        yield from _mismatch(ctx, Amount(projects, total, "决算数"), [other], "项目支出决算表合计应等于一般公共预算财政拨款项目支出")
    by_code: dict[str, list[Amount]] = {}
    for r in projects.rows:
        if r.kind == "project" and r.code:
            by_code.setdefault(r.code, []).append(Amount(projects, r, "决算数"))
    if not by_code:  # the table lists projects without 科目编码: only the total can be compared
        return
    for code, row in _coded(general).items():
        if len(code) == 7 and (row.amount("项目支出") or code in by_code):
            yield from _mismatch(ctx, Amount(general, row, "项目支出"), by_code.get(code, []), "应等于项目支出决算表中该科目各项目之和")


SANGONG_ECONOMIC = (
    ("因公出国(境)费", ("30212",)),
    ("公务用车购置及运行费/公务用车购置费", ("31013",)),
    ("公务用车购置及运行费/公务用车运行费", ("30231",)),
    ("公务接待费", ("30217",)),
)


@rule("F419", "“三公”经费决算数 与 经济分类明细 一致", tables=("final.sangong", "final.general_detail"), book=True, severity=Severity.WARNING)
def sangong_matches_economic_items(book: Book, ctx: Context) -> Iterator[Finding]:
    """财政拨款“三公”经费支出决算表's 决算数 agree with the 经济分类 款 of 一般公共预算财政拨款支出决算明细表: 因公出国（境）
    费用 30212, 公务用车购置 31013, 公务用车运行维护费 30231, 公务接待费 30217. A warning: the 三公 table also counts
    政府性基金 money, which the 明细表 does not.

    Fails: 三公表 决算数 公务接待费 0.39 | 明细表 30217 公务接待费 合计 0.25.
    """
    for sangong, detail in _pairs(book, "final.sangong", "final.general_detail"):
        rows = _coded(detail)
        data = next((r for r in sangong.rows if r.kind in ("item", "total", "text", "unit")), None)
        if data is None or "合计" not in detail.columns:
            continue
        for key, econ in SANGONG_ECONOMIC:
            pinned = _amount(sangong, data, f"决算数/{key}")
            others = [Amount(detail, rows[c], "合计") for c in econ if c in rows]
            if pinned is not None and (others or pinned.value):
                yield from _mismatch(ctx, pinned, others, "“三公”经费应与经济分类明细一致", severity=Severity.WARNING)
