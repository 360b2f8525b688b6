"""F45x: the 项目支出绩效自评表, one block per project: funds, 执行率, indicators met or explained, 自评得分."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.findings import Finding, Severity
from ..core.model import Row, Table
from ..core.selfeval_values import Value, met, parse, same_unit, unit_of
from .registry import Context, rule

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TABLES = ("final.project_selfeval",)
FUND_AMOUNTS = ("年初预算数", "全年预算数", "全年执行数")
MONEY = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}
HIGH_SCORE = Decimal(80)
"""A 自评得分 from which a project with nothing spent looks implausible (良 and above)."""


def _funds(table: Table) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for r in table.of_kind("fund"):
        if r.item and r.item not in out:
            out[r.item] = r
    return out


def _ref(table: Table, row: Row, key: str) -> str:
    """The cell of a fund-grid column ("资金:执行率") or an indicator column."""
    cell = row.cells.get(key)
    if cell is not None:
        return cell.ref
    letter = table.columns.get(f"资金:{key}") or table.columns.get(key) or "A"
    return f"{letter}{row.number}"


def _project(table: Table) -> str:
    name = table.fields.get("项目名称")
    return f"项目「{name.text}」" if name is not None and name.text else "本项目"


@rule("F450", "执行率 = 全年执行数 / 全年预算数", tables=TABLES)
def execution_rate(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金 rows: the printed 执行率 equals 全年执行数 / 全年预算数, to 0.01 %. A rate printed as a fraction
    (0.9887, Excel's 98.87 % cell) is read as such; a row with no budget and no spending has no rate (0 or blank).

    Fails: 全年预算数 169.29 | 全年执行数 167.38 | 执行率 100% (should be 98.87 %).
    """
    for r in table.of_kind("fund"):
        stated, budget, spent = r.amount("执行率"), r.amount("全年预算数"), r.amount("全年执行数")
        if stated is None:
            continue
        if not budget:
            if stated and (spent or ZERO) == 0:
                yield ctx.finding(
                    table, _ref(table, r, "执行率"), f"{_project(table)}「{r.label}」全年预算数为 0、未执行，执行率却为 {stated}%（应为 0 或不填）",
                    related=[f"{table.sheet}!{_ref(table, r, '全年预算数')}"], expected=ZERO, actual=stated,
                )
            continue
        rate = (spent or ZERO) * HUNDRED / budget
        # the amounts are rounded to 0.01 万元 themselves: allow what that rounding can move the rate
        slack = Decimal("0.005") * HUNDRED * (1 / abs(budget) + abs(spent or ZERO) / budget**2)
        as_percent = abs(stated - rate)
        as_fraction = abs(stated * HUNDRED - rate) if stated <= Decimal("1.5") and rate > Decimal("1.5") else None
        diff = min(as_percent, as_fraction) if as_fraction is not None else as_percent
        if diff <= Decimal("0.005") + slack:
            continue
        shown = rate.quantize(Decimal("0.01"))
        yield ctx.finding(
            table, _ref(table, r, "执行率"),
            f"{_project(table)}「{r.label}」执行率 {stated}% 与 全年执行数 {spent or ZERO} / 全年预算数 {budget} = {shown}% 不符",
            severity=Severity.NOTE if diff <= Decimal("0.01") + slack else Severity.ERROR,
            related=[f"{table.sheet}!{_ref(table, r, k)}" for k in ("全年执行数", "全年预算数")], expected=shown, actual=stated,
        )


def _sum_rows(table: Table, ctx: Context, total_key: str, part_keys: tuple[str, ...], what: str) -> Iterator[Finding]:
    funds = _funds(table)
    total = funds.get(total_key)
    parts = [funds[k] for k in part_keys if k in funds]
    if total is None or not parts:
        return
    for key in FUND_AMOUNTS:
        if not any(r.amount(key) is not None for r in (total, *parts)):
            continue
        expected = sum((p.amount(key) or ZERO for p in parts), ZERO)
        actual = total.amount(key)
        verdict = ctx.verdict(table, actual, expected, len(parts))
        if verdict is None:
            continue
        names = " + ".join(f"{p.label} {p.amount(key) or ZERO}" for p in parts)
        yield ctx.finding(
            table, _ref(table, total, key),
            f"{_project(table)} {key}：{what} {actual or ZERO} ≠ {names} = {expected}",
            severity=verdict, related=[f"{table.sheet}!{_ref(table, p, key)}" for p in parts], expected=expected, actual=actual,
        )


@rule("F451", "年度资金总额 = 财政拨款 + 其他资金", tables=TABLES)
def fund_total_is_fiscal_plus_other(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金: in each of 年初预算数, 全年预算数, 全年执行数, 年度资金总额 equals 财政拨款 + 其他资金.

    Fails: 年度资金总额 全年预算数 140.30 | 财政拨款 130.11 | 其他资金 11.19.
    """
    yield from _sum_rows(table, ctx, "年度资金总额", ("财政拨款", "其他资金"), "年度资金总额")


@rule("F452", "财政拨款小计 = 一般公共预算 + 政府性基金 + 国有资本经营预算", tables=TABLES)
def fiscal_subtotal_is_sum_of_sources(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金 in the detailed form: （一）财政拨款小计 equals 1.一般公共预算 + 2.政府性基金 + 3.国有资本经营预算.

    Fails: 财政拨款小计 全年执行数 167.38 | 一般公共预算 160.00 | 政府性基金 0 | 国有资本经营预算 0.
    """
    yield from _sum_rows(table, ctx, "财政拨款", ("一般公共预算", "政府性基金", "国有资本经营预算"), "财政拨款小计")


def _values(row: Row) -> tuple[Value, Value]:
    nature = row.text("指标性质") or None
    target = parse(row.text("年度指标值"), nature)
    actual = parse(row.text("实际完成值"))
    if target.quantitative and not target.unit and row.text("度量单位"):
        target = Value(target.text, target.op, target.number, unit_of(row.text("度量单位")))
    if actual.quantitative and not actual.unit and row.text("度量单位"):
        actual = Value(actual.text, actual.op, actual.number, unit_of(row.text("度量单位")))
    return target, actual


def _reverse(row: Row) -> bool:
    return "成本" in row.text("一级指标") or "成本" in row.text("二级指标") or "反向" in row.text("指标方向性")


def _indicator(row: Row) -> str:
    return f"指标「{row.label or row.text('三级指标')}」"


@rule("F453", "未完成指标缺少偏差原因分析", tables=TABLES)
def missed_target_explained(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 实际完成值 that misses its 年度指标值 (by the sign: ≥ / ≤ / =, or by 指标性质) needs a 偏差原因分析及改进措施.

    Fails: 年度指标值 ≥30次 | 实际完成值 28次 | 偏差原因分析 (blank).
    """
    for r in table.of_kind("indicator"):
        target, actual = _values(r)
        if met(target, actual, reverse=_reverse(r)) is not False or r.text("偏差原因分析及改进措施"):
            continue
        where = _ref(table, r, "偏差原因分析及改进措施") if "偏差原因分析及改进措施" in table.columns else _ref(table, r, "实际完成值")
        yield ctx.finding(
            table, where,
            f"{_project(table)}{_indicator(r)} 实际完成值「{actual.text}」未达到年度指标值「{target.text}」，须填写偏差原因分析及改进措施",
            related=[f"{table.sheet}!{_ref(table, r, k)}" for k in ("年度指标值", "实际完成值")],
        )


@rule("F454", "年度指标值与实际完成值单位不一致", tables=TABLES)
def target_and_actual_same_unit(table: Table, ctx: Context) -> Iterator[Finding]:
    """年度指标值 and 实际完成值 of one indicator are in the same unit (次 with 次, % with %, 万元 with 万元), so they
    can be compared.

    Fails: 年度指标值 ≥30次 | 实际完成值 30人.
    """
    for r in table.of_kind("indicator"):
        target, actual = _values(r)
        if same_unit(target, actual):
            continue
        yield ctx.finding(
            table, _ref(table, r, "实际完成值"),
            f"{_project(table)}{_indicator(r)} 年度指标值「{target.text}」单位为「{target.unit}」，实际完成值「{actual.text}」单位为「{actual.unit}」，单位不一致无法比较",
            related=[f"{table.sheet}!{_ref(table, r, '年度指标值')}"],
        )


@rule("F455", "成本指标控制数与项目全年预算数不符", tables=TABLES, severity=Severity.WARNING)
def cost_target_matches_budget(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 成本指标 whose 年度指标值 is a money amount (万元 / 元) is the project's cost ceiling (控制数): it should agree
    with the 年度资金总额's 全年预算数. Per-unit costs (元/人) are not compared.

    Fails: 全年预算数 169.29 | 成本指标 年度指标值 ≤200万元.
    """
    total = _funds(table).get("年度资金总额")
    budget = total.amount("全年预算数") if total is not None else None
    if budget is None:
        return
    for r in table.of_kind("indicator"):
        if "成本" not in r.text("一级指标") + r.text("二级指标"):
            continue
        target, _ = _values(r)
        if target.number is None or target.unit not in MONEY:
            continue
        amount = target.number * MONEY[target.unit]
        if abs(amount - budget) <= ctx.tolerance(table, 1):
            continue
        yield ctx.finding(
            table, _ref(table, r, "年度指标值"),
            f"{_project(table)}{_indicator(r)} 成本控制数 {amount} 万元 与项目全年预算数 {budget} 万元不符",
            related=[f"{table.sheet}!{_ref(table, total, '全年预算数')}"] if total is not None else [], expected=budget, actual=amount,
        )


@rule("F456", "自评得分应在 0 到 100 之间", tables=TABLES)
def score_in_range(table: Table, ctx: Context) -> Iterator[Finding]:
    """Every project's 自评得分 (总分) lies between 0 and 100.

    Fails: 自评得分 105.
    """
    cell = table.fields.get("自评得分")
    if cell is None or cell.amount is None or ZERO <= cell.amount <= HUNDRED:
        return
    yield ctx.finding(table, cell, f"{_project(table)}自评得分 {cell.amount} 超出 0 到 100 分的范围", actual=cell.amount)


@rule("F457", "执行率为 0 却自评高分", tables=TABLES, severity=Severity.WARNING)
def high_score_without_spending(table: Table, ctx: Context) -> Iterator[Finding]:
    """A project that spent nothing (执行率 0 %, or 全年执行数 0 with a 全年预算数) rarely deserves a 自评得分 of 80 or
    more; check the score or the funds.

    Fails: 年度资金总额 全年预算数 50.00 | 全年执行数 0 | 执行率 0% | 自评得分 95.
    """
    score = table.fields.get("自评得分")
    total = _funds(table).get("年度资金总额")
    if score is None or score.amount is None or total is None or score.amount < HIGH_SCORE:
        return
    budget, spent, rate = total.amount("全年预算数"), total.amount("全年执行数"), total.amount("执行率")
    idle = (rate is not None and rate == 0 and bool(budget)) or (bool(budget) and spent is not None and spent == 0)
    if idle:
        yield ctx.finding(
            table, score, f"{_project(table)}预算执行率为 0%，自评得分却为 {score.amount} 分，请核实",
            related=[f"{table.sheet}!{_ref(table, total, '执行率')}"], actual=score.amount,
        )


@rule("F458", "实际完成值为空", tables=TABLES)
def actual_value_filled(table: Table, ctx: Context) -> Iterator[Finding]:
    """Every indicator with a 年度指标值 states its 实际完成值.

    Fails: 年度指标值 100% | 实际完成值 (blank).
    """
    if "实际完成值" not in table.columns:
        return
    for r in table.of_kind("indicator"):
        if r.text("年度指标值") and not r.text("实际完成值"):
            yield ctx.finding(
                table, _ref(table, r, "实际完成值"), f"{_project(table)}{_indicator(r)} 有年度指标值「{r.text('年度指标值')}」，实际完成值未填写",
            )
