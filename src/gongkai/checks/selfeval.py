"""F45x–F46x: the 项目支出绩效自评表 (and the 部门整体 自评表), one block per project: funds, 执行率, indicators met or
explained, 得分 and 自评得分. F451 also checks the 项目资金 block of a one-project target form."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.findings import Finding, Severity
from ..core.model import Cell, Row, Table
from ..core.selfeval_values import Value, met, parse, same_unit, unit_of
from ..core.specs import FUND_ITEMS
from .registry import Context, rule

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TABLES = ("final.project_selfeval", "final.overall_selfeval")
FUND_AMOUNTS = ("年初预算数", "全年预算数", "全年执行数")
MONEY = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}
PASSING = Decimal(60)
"""A 自评得分 from which a project with nothing spent looks implausible (及格 and above)."""
SOURCES = next(i.total_of for i in FUND_ITEMS if i.key == "年度资金总额")
FISCAL_SOURCES = next(i.total_of for i in FUND_ITEMS if i.key == "财政拨款")


def _money(value: Decimal) -> str:
    """An amount as printed in a message: no exponent, its own decimals."""
    return f"{value.normalize():f}"


def _funds(table: Table) -> dict[str, Row]:
    """The fund grid's rows by item (the first row of an item wins)."""
    out: dict[str, Row] = {}
    for r in table.of_kind("fund"):
        if r.item and r.item not in out and r.side is None:
            out[r.item] = r
    return out


def _groups(table: Table) -> list[tuple[list[str], dict[str, Row]]]:
    """(amount columns, rows by item) per fund group: the 自评表's one grid, or each label column of a target form's
    项目资金 block (项目资金总额 | 年度资金申请总额)."""
    grid = _funds(table)
    out: list[tuple[list[str], dict[str, Row]]] = []
    if grid:
        out.append(([k for k in FUND_AMOUNTS if f"资金:{k}" in table.columns], grid))
    sides: dict[str | None, dict[str, Row]] = {}
    for r in table.of_kind("fund"):
        if "金额" in r.cells and r.item:
            sides.setdefault(r.side, {}).setdefault(r.item, r)
    out += [(["金额"], rows) for rows in sides.values()]
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
    return f"项目「{name.text}」" if name is not None and name.text else "本项目" if table.id != "final.overall_selfeval" else "本部门"


def _unreadable(cell: Cell | None) -> bool:
    """A cell that holds something no amount was read from (text, or a percentage in an amount column)."""
    return cell is not None and cell.raw is not None and cell.amount is None and not (isinstance(cell.raw, str) and cell.raw.strip() in ("-", "—", "/"))


@rule("F450", "执行率 = 全年执行数 / 全年预算数", tables=TABLES)
def execution_rate(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金 rows: the printed 执行率 equals 全年执行数 / 全年预算数, to 0.01 %. A rate printed as a fraction
    (0.9887, Excel's 98.87 % cell) is read as such; a row with no budget and no spending has no rate (0 or blank).

    Fails: 全年预算数 169.29 | 全年执行数 167.38 | 执行率 100% (should be 98.87 %).
    """
    for r in table.of_kind("fund"):
        stated, budget, spent = r.amount("执行率"), r.amount("全年预算数"), r.amount("全年执行数")
        if stated is None or _unreadable(r.cells.get("全年预算数")) or _unreadable(r.cells.get("全年执行数")):
            continue
        if not budget:
            if stated and (spent or ZERO) == 0 and budget is not None:
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


@rule("F459", "执行率未填", tables=TABLES)
def execution_rate_filled(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 年度资金总额 row gives 全年预算数 and 全年执行数, so its 执行率 (全年执行数 / 全年预算数) must be filled in.

    Only the total row is rated; the 其中 rows may leave 执行率 blank. Source: TABLES.md, 自评表 "执行率 =
    全年执行数 / 全年预算数". Fails: 年度资金总额 全年预算数 251.89 | 全年执行数 251.89 | 执行率 (blank). Passes:
    执行率 100.00%.
    """
    if "资金:执行率" not in table.columns:
        return
    total = _funds(table).get("年度资金总额")
    if total is None:
        return
    budget, spent, cell = total.amount("全年预算数"), total.amount("全年执行数"), total.cells.get("执行率")
    if budget and spent is not None and (cell is None or cell.raw is None):
        shown = (spent * HUNDRED / budget).quantize(Decimal("0.01"))
        yield ctx.finding(
            table, _ref(table, total, "执行率"),
            f"{_project(table)}年度资金总额的执行率未填写（全年执行数 {_money(spent)} / 全年预算数 {_money(budget)} = {shown}%）",
            related=[f"{table.sheet}!{_ref(table, total, k)}" for k in ("全年执行数", "全年预算数")], expected=shown,
        )


@rule("F460", "项目资金金额栏填写了百分比", tables=TABLES)
def amount_not_percent(table: Table, ctx: Context) -> Iterator[Finding]:
    """The amount columns of the 项目资金 block (年初预算数, 全年预算数, 全年执行数) hold amounts in 万元, not
    percentages: a cell such as `100%` there is an error, and the amount is not read as 0 (the sums that need it are
    not checked). Text that is no number at all is H002.

    Source: TABLES.md Real layouts, "amounts in the 项目资金 block are sometimes printed as `100%` by mistake (an
    amount column holding a percentage is an error)". Fails: 全年执行数 `100%`. Passes: 全年执行数 251.89.
    """
    for r in table.of_kind("fund"):
        for key in FUND_AMOUNTS:
            cell = r.cells.get(key)
            if cell is not None and isinstance(cell.raw, str) and cell.raw.strip().endswith(("%", "％")) and cell.amount is None:
                yield ctx.finding(table, cell, f"{_project(table)}「{r.label}」{key}应填金额（万元），现为百分比「{cell.raw.strip()}」")


def _sum_rows(table: Table, ctx: Context, total_key: str, part_keys: tuple[str, ...], what: str) -> Iterator[Finding]:
    for columns, funds in _groups(table):
        total = funds.get(total_key)
        parts = [funds[k] for k in part_keys if k in funds]
        if total is None or not parts:
            continue
        for key in columns:
            cells = [r.cells.get(key) for r in (total, *parts)]
            if not any(c is not None and c.amount is not None for c in cells) or any(_unreadable(c) for c in cells):
                continue  # an unreadable amount is not read as 0: the sum is not checked
            present = [p for p in parts if p.amount(key) is not None]
            expected = sum((p.amount(key) or ZERO for p in present), ZERO)
            actual = total.amount(key)
            verdict = ctx.verdict(table, actual, expected, max(len(present), 1))
            if verdict is None:
                continue
            names = " + ".join(f"{p.label} {_money(p.amount(key) or ZERO)}" for p in present) or "（各项均空）"
            column = "" if key == "金额" else f" {key}"
            yield ctx.finding(
                table, _ref(table, total, key),
                f"{_project(table)}{column}：{total.label or what} {_money(actual or ZERO)} ≠ {names} = {_money(expected)}",
                severity=verdict, related=[f"{table.sheet}!{_ref(table, p, key)}" for p in present], expected=expected, actual=actual,
            )


@rule("F451", "年度资金总额 = 财政拨款 + 其他资金", tables=(*TABLES, "budget.project_targets"))
def fund_total_is_fiscal_plus_other(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金: in each of 年初预算数, 全年预算数, 全年执行数, 年度资金总额 equals the sum of its sources printed
    below it — 财政拨款 (财政资金, 当年财政拨款) + 其他资金, and where printed 财政专户管理资金, 单位资金, 上年结转资金,
    自有资金. A target form's block is checked per group (项目资金总额 = 财政资金 + 其他资金; 年度资金申请总额 =
    当年财政拨款 + 上年结转资金 + 其他资金). A column with an unreadable amount is skipped.

    Fails: 年度资金总额 全年预算数 140.30 | 财政拨款 130.11 | 其他资金 11.19; 年度资金申请总额 10,903,043.00 |
    其中：当年财政拨款 11,419,043.00 | 上年结转资金 0.00 | 其他资金 0.00.
    """
    yield from _sum_rows(table, ctx, "年度资金总额", SOURCES, "年度资金总额")


@rule("F452", "财政拨款小计 = 一般公共预算 + 政府性基金 + 国有资本经营预算", tables=TABLES)
def fiscal_subtotal_is_sum_of_sources(table: Table, ctx: Context) -> Iterator[Finding]:
    """项目资金 in the detailed form: （一）财政拨款小计 equals 1.一般公共预算 + 2.政府性基金 + 3.国有资本经营预算.

    Fails: 财政拨款小计 全年执行数 167.38 | 一般公共预算 160.00 | 政府性基金 0 | 国有资本经营预算 0.
    """
    yield from _sum_rows(table, ctx, "财政拨款", FISCAL_SOURCES, "财政拨款小计")


def _values(row: Row) -> tuple[Value, Value]:
    """年度指标值 and 实际完成值 parsed; a bare number takes the 度量单位 (or the other value's unit)."""
    nature = row.text("指标性质") or None
    target = parse(row.text("年度指标值"), nature)
    actual = parse(row.text("实际完成值"))
    unit = unit_of(row.text("度量单位")) if row.text("度量单位") else ""
    if target.quantitative and not target.unit and unit:
        target = Value(target.text, target.op, target.number, unit)
    if actual.quantitative and not actual.unit and (unit or target.unit):
        actual = Value(actual.text, actual.op, actual.number, unit or target.unit)
    return target, actual


def _cost(row: Row) -> bool:
    return "成本" in row.text("一级指标") or "成本" in row.text("二级指标")


def _indicator(row: Row) -> str:
    return f"指标「{row.label or row.text('三级指标')}」"


@rule("F453", "未完成指标缺少偏差原因分析", tables=TABLES)
def missed_target_explained(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 实际完成值 that misses its 年度指标值 needs a 偏差原因分析及改进措施. The sign decides: ≥ / ≤ / =, from the
    value or the 指标性质; an unsigned 年度指标值 is an exact target, missed by an actual above or below it. A form
    without a 偏差原因 column gives no reason for any miss: the finding is at the 实际完成值.

    Source: TABLES.md, 自评表 "a 实际完成值 that misses its 年度指标值 needs a 偏差原因"; "an unsigned 年度指标值 is
    an exact target (=)". Fails: 年度指标值 ≥30次 | 实际完成值 28次 | 偏差原因 (blank); 年度指标值 70% | 实际完成值
    76%. Passes: ≥30次 | 53次; 100% | 100%.
    """
    for r in table.of_kind("indicator"):
        target, actual = _values(r)
        if met(target, actual) is not False or r.text("偏差原因分析及改进措施"):
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


def _budget_total(table: Table) -> tuple[Row | None, Decimal | None, Decimal | None]:
    total = _funds(table).get("年度资金总额")
    if total is None:
        return None, None, None
    return total, total.amount("全年预算数"), total.amount("全年执行数")


@rule("F455", "成本指标控制数与项目全年预算数不符", tables=TABLES)
def cost_target_matches_budget(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 成本指标 whose 年度指标值 is a money amount (万元 / 元) is the project's cost control figure (控制数). Exact
    (unsigned or `=`): it equals the 年度资金总额's 全年预算数, else an error. A ceiling (`≤`): an error only when
    the 全年预算数 exceeds it; a ceiling above the budget is at most a note. Per-unit costs (元/人) are not compared.

    Source: TABLES.md, 自评表 "a 成本指标 控制数 should agree with the project's 全年预算数". Fails: 全年预算数 169.29 |
    成本指标 年度指标值 200万元 (or ≤150万元). Passes: ≤169.29万元; 169.29万元. Note: ≤200万元.
    """
    total, budget, _ = _budget_total(table)
    if total is None or budget is None:
        return
    for r in table.of_kind("indicator"):
        if not _cost(r):
            continue
        target, _ = _values(r)
        if target.number is None or target.unit not in MONEY or target.op in ("≥", ">"):
            continue
        amount = target.number * MONEY[target.unit]
        tolerance = ctx.tolerance(table, 1)
        ceiling = target.op in ("≤", "<")
        if abs(amount - budget) <= tolerance or (ceiling and budget < amount and budget == 0):
            continue
        if ceiling and budget < amount:
            severity, what = Severity.NOTE, f"成本控制上限 {_money(amount)} 万元 高于项目全年预算数 {_money(budget)} 万元"
        elif ceiling:
            severity, what = Severity.ERROR, f"项目全年预算数 {_money(budget)} 万元 超出成本控制上限 {_money(amount)} 万元"
        else:
            severity, what = Severity.ERROR, f"成本控制数 {_money(amount)} 万元 与项目全年预算数 {_money(budget)} 万元不符"
        yield ctx.finding(
            table, _ref(table, r, "年度指标值"), f"{_project(table)}{_indicator(r)} {what}", severity=severity,
            related=[f"{table.sheet}!{_ref(table, total, '全年预算数')}"], expected=budget, actual=amount,
        )


@rule("F461", "成本指标实际完成值与全年执行数不符", tables=TABLES)
def cost_actual_matches_spending(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 成本指标 in money (万元 / 元): its 实际完成值 is what the project spent, so it equals the 年度资金总额's
    全年执行数 (a bare number takes the 年度指标值's unit).

    Source: TABLES.md, 自评表 "a 成本指标 控制数 should agree with the project's 全年预算数" (and the actual with what
    was spent). Fails: 全年执行数 167.38 | 成本指标 实际完成值 160万元. Passes: 167.38万元.
    """
    total, _, spent = _budget_total(table)
    if total is None or spent is None:
        return
    for r in table.of_kind("indicator"):
        if not _cost(r):
            continue
        target, actual = _values(r)
        if actual.number is None or actual.unit not in MONEY or target.unit not in MONEY:
            continue
        amount = actual.number * MONEY[actual.unit]
        if abs(amount - spent) <= ctx.tolerance(table, 1):
            continue
        yield ctx.finding(
            table, _ref(table, r, "实际完成值"),
            f"{_project(table)}{_indicator(r)} 实际完成值 {_money(amount)} 万元 与项目全年执行数 {_money(spent)} 万元不符",
            related=[f"{table.sheet}!{_ref(table, total, '全年执行数')}"], expected=spent, actual=amount,
        )


@rule("F462", "实际完成值与年度指标值的类型不符", tables=TABLES)
def actual_matches_target_kind(table: Table, ctx: Context) -> Iterator[Finding]:
    """A quantitative 年度指标值 (a number, ≥30次, ≤30万元) is answered by a number, a qualitative one (优, 明显提高)
    by text: a quantitative target with a text actual (完成) or a qualitative target with a number cannot be judged.

    Source: the issue, "a qualitative target with a quantitative actual or the reverse". Fails: 年度指标值 ≤ 30
    万元 | 实际完成值 完成; 年度指标值 明显提高 | 实际完成值 95%. Passes: ≤30万元 | 28万元; 明显提高 | 明显提高.
    """
    for r in table.of_kind("indicator"):
        target, actual = _values(r)
        if target.blank or actual.blank or target.quantitative == actual.quantitative:
            continue
        if target.quantitative:
            what = f"年度指标值「{target.text}」是定量指标，实际完成值「{actual.text}」却是文字，应填写实际数值"
        else:
            what = f"年度指标值「{target.text}」是定性指标，实际完成值「{actual.text}」却是数值"
        yield ctx.finding(table, _ref(table, r, "实际完成值"), f"{_project(table)}{_indicator(r)} {what}",
                          related=[f"{table.sheet}!{_ref(table, r, '年度指标值')}"])


@rule("F463", "百分比实际完成值超出 0～100", tables=TABLES)
def actual_percent_in_range(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 实际完成值 in % (its own % sign, or a bare number under a % 年度指标值 / 度量单位) lies between 0 and 100.

    Source: TABLES.md, "`%` values lie between 0 and 100". Fails: 年度指标值 ≥95% | 实际完成值 120%. Passes: 98%.
    """
    for r in table.of_kind("indicator"):
        _, actual = _values(r)
        if actual.number is not None and actual.unit == "%" and not ZERO <= actual.number <= HUNDRED:
            yield ctx.finding(table, _ref(table, r, "实际完成值"),
                              f"{_project(table)}{_indicator(r)} 实际完成值 {_money(actual.number)}% 不在 0～100 之间", actual=actual.number)


def _score_cell(table: Table) -> Cell | str | None:
    """Where a missing 自评得分 is reported: the 项目名称 (部门名称) cell; None for a fragment that names neither."""
    return table.fields.get("项目名称") or table.fields.get("部门名称")


@rule("F464", "自评得分未填", tables=TABLES)
def score_filled(table: Table, ctx: Context) -> Iterator[Finding]:
    """Every project (or department) 自评表 states its 自评得分 (总分). Reported at the 项目名称 cell; a fragment
    without a 项目名称 is not checked.

    Source: TABLES.md, "every project has an 自评得分 between 0 and 100". Fails: no 自评得分 line, or one left
    blank. Passes: 自评得分：85分.
    """
    cell = table.fields.get("自评得分")
    if cell is not None and cell.amount is not None:
        return
    where = _score_cell(table)
    if where is None:
        return
    yield ctx.finding(table, where, f"{_project(table)}未填写自评得分（总分）")


@rule("F456", "自评得分应在 0 到 100 之间", tables=TABLES)
def score_in_range(table: Table, ctx: Context) -> Iterator[Finding]:
    """Every project's 自评得分 (总分) lies between 0 and 100.

    Fails: 自评得分 105.
    """
    cell = table.fields.get("自评得分")
    if cell is None or cell.amount is None or ZERO <= cell.amount <= HUNDRED:
        return
    yield ctx.finding(table, cell, f"{_project(table)}自评得分 {cell.amount} 超出 0 到 100 分的范围", actual=cell.amount)


def _scored(table: Table) -> list[Row]:
    total = _funds(table).get("年度资金总额")
    return [*([total] if total is not None else []), *table.of_kind("indicator")]


@rule("F465", "自评得分 = 各项得分之和", tables=TABLES)
def score_is_sum(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 自评得分 equals the sum of the 得分 the form gives: 预算执行率's 得分 (the 年度资金总额 row) plus each
    indicator's 得分. Checked only where every row with a 分值 has its 得分.

    Source: the issue, "自评得分 ≠ Σ 得分 where 得分 are given". Fails: 得分 10 + 45 + 30 + 10 = 95 | 自评得分 90.
    Passes: 自评得分 95.
    """
    cell = table.fields.get("自评得分")
    if cell is None or cell.amount is None:
        return
    rows = _scored(table)
    scores = [r.cells["得分"] for r in rows if "得分" in r.cells and r.cells["得分"].amount is not None]
    if not scores or any(r.amount("分值") is not None and r.amount("得分") is None for r in rows):
        return
    total = sum((c.amount for c in scores if c.amount is not None), ZERO)
    if abs(total - cell.amount) <= Decimal("0.005"):
        return
    yield ctx.finding(table, cell, f"{_project(table)}自评得分 {_money(cell.amount)} 与各项得分之和 {_money(total)} 不符",
                      related=scores, expected=total, actual=cell.amount)


@rule("F466", "得分超过分值", tables=TABLES)
def score_within_points(table: Table, ctx: Context) -> Iterator[Finding]:
    """No row scores more than its 分值 (权重): 预算执行率 and every indicator.

    Source: the issue, "得分 > 分值". Fails: 分值 15 | 得分 18. Passes: 分值 15 | 得分 13.
    """
    for r in _scored(table):
        points, score = r.amount("分值"), r.amount("得分")
        if points is not None and score is not None and score > points:
            yield ctx.finding(table, r.cells["得分"], f"{_project(table)}「{r.label}」得分 {_money(score)} 超过分值 {_money(points)}",
                              related=[r.cells["分值"]], expected=points, actual=score)


@rule("F457", "执行率为 0 却自评及格以上", tables=TABLES, severity=Severity.WARNING)
def high_score_without_spending(table: Table, ctx: Context) -> Iterator[Finding]:
    """A project that spent nothing (执行率 0 %, or 全年执行数 0 with a 全年预算数) rarely deserves a passing 自评得分
    (60 or more); check the score or the funds.

    Fails: 年度资金总额 全年预算数 50.00 | 全年执行数 0 | 执行率 0% | 自评得分 95.
    """
    score = table.fields.get("自评得分")
    total = _funds(table).get("年度资金总额")
    if score is None or score.amount is None or total is None or score.amount < PASSING:
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
