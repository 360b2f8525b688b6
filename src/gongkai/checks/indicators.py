"""P3xx: the 绩效指标 of 项目支出绩效目标表 (表6, and the provincial one-project forms), 部门整体支出绩效目标表 (表7), and
the indicator rows of the 自评表 (their 年度指标值 is the 指标值).

The verdicts on one indicator row come from `gongkai.core.indicator_values` (shared with the Excel functions), computed once
per table; each rule reports the verdict kinds it owns. A project is a run of rows naming the same 单位 and 项目;
表7 is one project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from ..core.findings import Finding, Severity
from ..core.indicator_values import (
    LEVELS,
    Verdict,
    judge_indicator,
    judge_weights,
    level2_verdict,
    nature_of,
)
from ..core.model import Cell, Row, Table
from ..core.text import fold
from .registry import Context, rule

TARGETS = ("budget.project_targets", "budget.overall_targets")
SELFEVAL = ("final.project_selfeval", "final.overall_selfeval")
INDICATOR_TABLES = (*TARGETS, *SELFEVAL)
_POINTS = re.compile(r"\(\d+(?:\.\d+)?分\)$")


def _value_key(table: Table) -> str:
    """The 指标值 column: 指标值 in a target table, 年度指标值 in a 自评表."""
    return "年度指标值" if table.id in SELFEVAL else "指标值"


def _verdicts(table: Table) -> list[tuple[Row, list[Verdict]]]:
    """judge_indicator on every indicator row, once per table."""
    return table.memo("indicators.verdicts", _judge_all)


def _judge_all(table: Table) -> list[tuple[Row, list[Verdict]]]:
    key = _value_key(table)
    column = "指标性质" in table.columns
    form = table.spec.layout == "form" or bool(table.fields)  # a form's blank 指标性质: the kind follows from the value
    return [
        (r, _judged(r.text("指标性质"), r.text(key) or None, r.text("度量单位"), r.text("三级指标"),
                    column and not (form and not r.text("指标性质"))))
        for r in _indicators(table)
    ]


@lru_cache(maxsize=1 << 14)
def _judged(nature: str, value: str | None, unit: str, name: str, has_nature: bool) -> list[Verdict]:
    """judge_indicator, once per distinct row text (forms repeat their indicators; the verdicts are only read)."""
    return judge_indicator(nature, value, unit, name, has_nature=has_nature)


def _indicators(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind == "indicator"]


def _cell(table: Table, row: Row, *keys: str) -> Cell | str:
    """The first of ``keys`` the row has a cell for (the 三级指标 cell as a last resort)."""
    for key in (*keys, "三级指标", "一级指标"):
        if key in row.cells:
            return row.cells[key]
    return f"A{row.number}"


def _report(table: Table, ctx: Context, kinds: dict[str, tuple[str, ...]]) -> Iterator[Finding]:
    """Findings for the verdicts of the given kinds, each at the first cell of its column list ("指标值" stands for
    the table's value column)."""
    value = _value_key(table)
    seen: set[tuple[str, str]] = set()
    for row, verdicts in _verdicts(table):
        for v in verdicts:
            if v.key in kinds:
                related = [row.cells["三级指标"]] if v.key == "name_unit" and "三级指标" in row.cells else []
                keys = tuple(value if k == "指标值" else k for k in kinds[v.key])
                cell = _cell(table, row, *keys)
                where = cell.where if isinstance(cell, Cell) else cell
                if (where, v.key) in seen:
                    continue  # a cell carried down over several rows (定量指标 merged over a run) is reported once
                seen.add((where, v.key))
                yield ctx.finding(table, cell, v.message, severity=v.severity, related=related)


def projects(table: Table) -> list[list[Row]]:
    """Indicator rows grouped by project: runs of rows with the same 单位 and 项目 (表7: one group)."""
    groups: list[list[Row]] = []
    last: tuple[str | None, str | None, str | None] | None = None
    for row in _indicators(table):
        key = (row.unit, row.project_code, row.project) if table.spec.layout == "indicators" else None
        if key != last or not groups:
            groups.append([])
            last = key
        groups[-1].append(row)
    return groups


def _project_cell(table: Table, rows: list[Row]) -> Cell | str:
    first = rows[0]
    return first.cells.get("项目名称") or _cell(table, first, "一级指标")


def _project_name(table: Table, rows: list[Row]) -> str:
    return f"项目「{rows[0].project}」" if rows[0].project else ("本表" if table.spec.layout == "form" else f"第{rows[0].number}行起的项目")


def level1(text: str) -> str | None:
    """The standard 一级指标 a cell names: "产出指标", "产出" or "产出指标(50分)" → "产出指标"."""
    t = _POINTS.sub("", fold(text))
    for name in LEVELS:
        if t in (name, name.removesuffix("指标")):
            return name
    return None


@rule("P301", "指标性质无效", tables=INDICATOR_TABLES)
def nature_valid(table: Table, ctx: Context) -> Iterator[Finding]:
    """指标性质 must be one of ≥, ≤, = (quantitative), 定量 (quantitative, the sign inside the 指标值) or 定性.

    Source: TABLES.md, "指标性质: ≥, ≤, = or 定性"; "定量 means quantitative with the sign taken from the value".
    Forms without a 指标性质 column are not checked (the kind follows from the 指标值). In a 自评表 a blank under
    定量指标 / 定性指标 continues it (the original merges it over the run). Fails: 指标性质 "约" or blank.
    Passes: "≥", "定量指标".
    """
    if "指标性质" in table.columns:
        yield from _report(table, ctx, {"nature_unknown": ("指标性质",)})


@rule("P302", "指标性质写法不规范", tables=INDICATOR_TABLES, severity=Severity.WARNING)
def nature_standard(table: Table, ctx: Context) -> Iterator[Finding]:
    """指标性质 written as `>`, `<`, `>=`, 大于 … , or a 指标值 whose sign is `>` / `<` (`>6.00(次)`): understood
    as ≥ / ≤, but not the standard wording — a warning, not an error.

    Source: TABLES.md Real layouts, "`<`/`>` for `≤`/`≥` likewise (standard deviations)". Fails: 指标性质 ">",
    or 指标值 ">150.00(家)". Passes: "≥", "≥150.00(家)".
    """
    yield from _report(table, ctx, {"nature_nonstandard": ("指标性质",), "value_sign_nonstandard": ("指标值",)})


@rule("P303", "定量指标缺少数值或度量单位", tables=INDICATOR_TABLES)
def quantitative_complete(table: Table, ctx: Context) -> Iterator[Finding]:
    """A quantitative indicator (≥, ≤, =, 定量) needs a numeric 指标值 and a 度量单位 — in the 度量单位 column or in
    the value itself (`≥13459.00(平方米)`, `=100.00(%)`, `≥95%`). Where the form has no 指标性质 column a number
    makes the indicator quantitative. In a 自评表 the 年度指标值 is checked.

    Source: TABLES.md, "A quantitative indicator has a numeric 指标值 and a 度量单位". Fails: ≥ with 指标值 "较好";
    ≥ 3 with no unit; 指标值 "88" with no unit and no 指标性质 column; 定量 with a blank 年度指标值. Passes: ≥ 3 期.
    """
    yield from _report(table, ctx, {"value_not_number": ("指标值",), "unit_missing": ("度量单位", "指标值")})


@rule("P304", "定性指标应为文字且无度量单位", tables=TARGETS, severity=Severity.WARNING)
def qualitative_text(table: Table, ctx: Context) -> Iterator[Finding]:
    """A qualitative indicator (定性) has a text 指标值 (优/良/中/差, 明显提高 …) and no 度量单位.

    Source: TABLES.md, "a qualitative one has a text value … and no unit". Fails: 定性 with 指标值 90 or unit "%".
    Passes: 定性, 明显提高, no unit.
    """
    yield from _report(table, ctx, {"qualitative_unit": ("度量单位",), "qualitative_number": ("指标值",)})


@rule("P305", "百分比指标值超出 0～100", tables=INDICATOR_TABLES)
def percent_in_range(table: Table, ctx: Context) -> Iterator[Finding]:
    """An 指标值 in % lies between 0 and 100.

    Source: TABLES.md, "`%` values lie between 0 and 100". Fails: ≥ 120 %. Passes: ≥ 95 %.
    """
    yield from _report(table, ctx, {"percent_range": ("指标值",)})


@rule("P306", "三级指标名称中的单位与度量单位不符", tables=INDICATOR_TABLES)
def name_unit_agrees(table: Table, ctx: Context) -> Iterator[Finding]:
    """A unit written in brackets at the end of the 三级指标 name, e.g. 培训期数(期), equals the 度量单位 column (or the
    unit in the 指标值 / 年度指标值 where the form has no such column). Only a unit word counts as a unit (人次, 次,
    期, 家, 个, 户, 件, 天, 万元, 元, % …): a rate's other name or an explanation in brackets is not one.

    Source: TABLES.md, "A unit written inside the 三级指标 name … must agree with the 度量单位 column"; "a bracketed
    ending is a unit only if it is a unit word". Fails: 培训期数(期) with 度量单位 次; 自评表 开展培训(次) with
    年度指标值 ≥3期. Passes: 培训期数(期) with 期; 足额保障率(参保率) with %.
    """
    yield from _report(table, ctx, {"name_unit": ("度量单位",)})


def _levels(table: Table) -> list[tuple[Row, str | None, tuple[str, str] | None]]:
    """(row, standard 一级 or None, the 二级's verdict) per indicator row, once per table; the 二级 cell carried down
    from the row above is judged once, on its own row."""
    return table.memo("indicators.levels", _judge_levels)


def _judge_levels(table: Table) -> list[tuple[Row, str | None, tuple[str, str] | None]]:
    out: list[tuple[Row, str | None, tuple[str, str] | None]] = []
    seen: set[str] = set()
    for row in _indicators(table):
        top = level1(row.text("一级指标"))
        cell = row.cells.get("二级指标")
        verdict = None
        if top is not None and cell is not None and cell.text and cell.where not in seen:
            seen.add(cell.where)
            verdict = level2_verdict(top, cell.text)
        out.append((row, top, verdict))
    return out


@rule("P307", "二级指标不属于其一级指标", tables=INDICATOR_TABLES)
def level2_under_level1(table: Table, ctx: Context) -> Iterator[Finding]:
    """一级指标 is one of 产出/效益/满意度/成本指标 (printed with its points, 产出指标(50分), is fine), and the 二级指标
    is not a standard 二级 of another 一级. Runs on 自评表 indicator rows too.

    产出 — 数量/质量/时效指标; 效益 — 经济效益/社会效益/生态效益/可持续影响指标; 满意度 — 服务对象满意度指标; 成本 —
    经济成本/社会成本/生态环境成本指标. Older placements (成本指标 under 产出) and variant or unknown names are P312
    warnings. Source: TABLES.md, "Performance indicators". Fails: 一级 效益指标 with 二级 数量指标; 一级 "项目指标".
    Passes: 产出指标 / 数量指标.
    """
    if "一级指标" not in table.columns:
        return
    reported: set[str] = set()
    for row, top, verdict in _levels(table):
        first = row.cells.get("一级指标")
        if top is None:
            if first is not None and first.where in reported:
                continue
            if first is not None:
                reported.add(first.where)
            yield ctx.finding(table, _cell(table, row, "一级指标"), f"一级指标「{row.text('一级指标') or '（空）'}」无效，应为{'、'.join(LEVELS)}之一")
            continue
        if verdict is not None and verdict[0] == "foreign":
            yield ctx.finding(table, row.cells["二级指标"], verdict[1], related=[first] if first is not None else ())


@rule("P312", "二级指标名称不规范", tables=INDICATOR_TABLES, severity=Severity.WARNING)
def level2_standard_name(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 二级指标 under a valid 一级指标 that is an older or variant wording, or not in the current list: a warning
    (standard wording), not an error.

    Older: 成本指标 (or 经济成本指标 …) under 产出指标, from before 成本指标 became a 一级指标. Variants: 满意度指标,
    社会公众或服务对象满意度指标 for 服务对象满意度指标. Source: TABLES.md Real layouts, "Older or variant 二级指标
    names … are standard deviations (warnings)". Fails (warning): 产出指标 / 成本指标; 满意度指标 / 满意度指标.
    Passes: 满意度指标 / 服务对象满意度指标.
    """
    if "二级指标" not in table.columns:
        return
    for row, _, verdict in _levels(table):
        if verdict is not None and verdict[0] != "foreign":
            yield ctx.finding(table, row.cells["二级指标"], verdict[1])


DIRECTIONS = {"正向": "≥", "反向": "≤"}


@rule("P308", "指标方向与指标性质不符", tables=TARGETS)
def direction_agrees(table: Table, ctx: Context) -> Iterator[Finding]:
    """指标方向性 agrees with 指标性质: 正向指标 goes with ≥, 反向指标 with ≤.

    Source: TABLES.md, "指标方向性: 正向指标 goes with ≥, 反向指标 with ≤". Fails: 反向指标 with ≥. Passes: 正向指标
    with ≥; any direction with = or 定性.
    """
    if "指标方向性" not in table.columns:
        return
    for row in _indicators(table):
        direction = fold(row.text("指标方向性")).removesuffix("指标")
        wanted = DIRECTIONS.get(direction)
        nature = nature_of(row.text("指标性质"))
        if wanted is None or nature not in ("≥", "≤") or nature == wanted:
            continue
        yield ctx.finding(table, row.cells["指标方向性"], f"{row.text('指标方向性')}应对应指标性质「{wanted}」，现为「{row.text('指标性质')}」",
                          related=[row.cells["指标性质"]] if "指标性质" in row.cells else ())


@rule("P309", "项目指标权重合计不符", tables=TARGETS)
def weights_total(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 权重 of one project's indicators add up to the profile's total (100, or 90 where 10 are kept for 预算执行率).

    Accepted totals: the profile's ``weight_total`` and ``weight_totals_allowed``. Projects printing no weights are
    skipped. Source: TABLES.md, "权重 … add up to 100, or to 90". Marked at the project name (表7: the first
    indicator). Fails: weights 20 + 20 + 30 + 20 = 90 under a profile that allows only 100.
    """
    if "权重" not in table.columns:
        return
    allowed = tuple(dict.fromkeys((ctx.profile.weight_total, *ctx.profile.weight_totals_allowed)))
    for rows in projects(table):
        cells = [r.cells["权重"] for r in rows if "权重" in r.cells]
        if all(c.amount is None for c in cells):
            continue
        verdict = judge_weights((c.amount for c in cells), allowed)
        if verdict is not None:
            total = sum((c.amount for c in cells if c.amount is not None), Decimal(0))
            yield ctx.finding(table, _project_cell(table, rows), f"{_project_name(table, rows)}的{verdict.message}",
                              related=cells, expected=ctx.profile.weight_total, actual=total)


@rule("P310", "项目缺少产出或效益指标", tables=TARGETS)
def outputs_and_effects(table: Table, ctx: Context) -> Iterator[Finding]:
    """Every project has at least one 产出指标 and one 效益指标.

    Source: the issue, "each project has 产出 and 效益 indicators". Fails: a project with only 产出 and 满意度 rows.
    """
    if "一级指标" not in table.columns:
        return
    for rows in projects(table):
        present = {level1(r.text("一级指标")) for r in rows}
        missing = [k for k in ("产出指标", "效益指标") if k not in present]
        if missing:
            yield ctx.finding(table, _project_cell(table, rows), f"{_project_name(table, rows)}缺少{'和'.join(missing)}")


@rule("P311", "同一项目中指标名称重复", tables=TARGETS, severity=Severity.WARNING)
def duplicate_names(table: Table, ctx: Context) -> Iterator[Finding]:
    """Two indicators of one project share a 三级指标 name.

    Source: the issue, "duplicate indicator names in one project (warning)". Marked at the second one.
    Fails: 培训人次 twice in one project.
    """
    for rows in projects(table):
        seen: dict[str, Row] = {}
        for row in rows:
            name = fold(row.text("三级指标"))
            if not name:
                continue
            if name in seen:
                yield ctx.finding(table, row.cells["三级指标"], f"{_project_name(table, rows)}中指标「{row.text('三级指标')}」重复",
                                  related=[seen[name].cells["三级指标"]])
            else:
                seen[name] = row


def _money(value: Decimal) -> str:
    """An amount in 万元 as printed in a message: no exponent, at most the decimals it has."""
    return f"{value.normalize():,f}"


def money_groups(table: Table) -> list[tuple[Cell, list[Cell], str]]:
    """(total, parts, what) of a form's money block: 表7's 资金总额 = 财政拨款 + 其他资金 and 支出合计 = 基本支出 +
    项目支出 (fields); a target form's 项目资金 rows, per group of labels (年度资金总额 = its sources)."""
    out: list[tuple[Cell, list[Cell], str]] = []
    f = table.fields
    for total, keys, what in (("资金总额", ("财政拨款", "其他资金"), "资金总额"), ("支出合计", ("基本支出", "项目支出"), "支出合计")):
        if total in f and any(k in f for k in keys):
            out.append((f[total], [f[k] for k in keys if k in f], what))
    sides: dict[str | None, list[Row]] = {}
    for r in table.of_kind("fund"):
        if "金额" in r.cells:
            sides.setdefault(r.side, []).append(r)
    for side, rows in sides.items():
        top = next((r for r in rows if r.item == "年度资金总额"), None)
        parts = [r.cells["金额"] for r in rows if r.item not in ("年度资金总额", "一般公共预算", "政府性基金", "国有资本经营预算")]
        if top is not None and parts:
            out.append((top.cells["金额"], parts, top.label or side or "年度资金总额"))
    return out


@rule("P313", "部门整体支出绩效目标表：支出合计 = 基本支出 + 项目支出", tables=("budget.overall_targets",))
def spending_total(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 支出构成 of a 部门整体支出绩效目标表 (申报表): its 合计 equals 基本支出 + 项目支出, within 舍位.

    Source: TABLES.md, 表7 "资金总额 = 财政拨款 + 其他资金 = the department's total expenditure" (the spending side
    adds up like the income side). Fails: 基本支出 7242318 | 项目支出 243.96 | 合计 968.1918 (单位：万元) — error at
    the 合计. Passes: 724.2318 | 243.96 | 968.1918.
    """
    f = table.fields
    total = f.get("支出合计")
    parts = [f[k] for k in ("基本支出", "项目支出") if k in f and f[k].amount is not None]
    if total is None or total.amount is None or not parts or any(f[k].bad for k in ("基本支出", "项目支出") if k in f):
        return
    expected = sum((c.amount for c in parts if c.amount is not None), Decimal(0))
    verdict = ctx.verdict(table, total.amount, expected, len(parts))
    if verdict is not None:
        yield ctx.finding(table, total, f"支出合计 {_money(total.amount)} ≠ 基本支出 + 项目支出 = {_money(expected)}（万元）",
                          severity=verdict, related=parts, expected=expected, actual=total.amount)


@rule("P314", "金额疑似以元填报", tables=TARGETS)
def amount_in_yuan(table: Table, ctx: Context) -> Iterator[Finding]:
    """In a money block in 万元, a part that is 100 times its own total or more, while the same figure read in 元
    (÷ 10000) would fit under the total, was typed in 元: the block mixes units.

    Source: TABLES.md, "read the 金额单位 line"; the 湖北 申报表 printed 财政拨款 6296906 and 基本支出 7242318 under
    单位：万元 beside 合计 968.1918. Fails: 资金总额 968.1918 | 财政拨款 6296906 — error at the 财政拨款. Passes:
    财政拨款 629.6906.
    """
    ten_thousand = Decimal(10000)
    for total, parts, what in money_groups(table):
        if total.amount is None or total.amount <= 0:
            continue
        for part in parts:
            a = part.amount
            if a is None or a < 100 * total.amount or a / ten_thousand > total.amount:
                continue
            yield ctx.finding(
                table, part, f"金额 {_money(a)} 万元 是其合计（{what} {_money(total.amount)} 万元）的 {int(a / total.amount)} 倍；"
                f"按元计为 {_money((a / ten_thousand).quantize(Decimal('0.0001')))} 万元，疑似以元填报（单位：万元）",
                related=[total], actual=a,
            )


@rule("P315", "项目预算成本构成：合计 = 各项之和", tables=("budget.project_targets",))
def cost_breakdown_total(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 项目预算成本构成 of a provincial 项目绩效目标表 (申报表): its 合计 row equals the sum of the cost items
    above it, in 金额 and in each prior-year 实际执行数 column, within 舍位.

    Source: TABLES.md Real layouts, "a 项目预算成本构成 sub-table (item | 金额 | 测算依据 | prior-year 实际执行数, with a
    合计)". Fails: 道路建设 6000 | 学校改造 4606.7522 | 合计 10700 — error at the 合计's 金额. Passes: 合计 10606.7522.
    """
    rows = [r for r in table.of_kind("fund") if r.side == "成本构成"]
    total = next((r for r in rows if r.item == "合计"), None)
    parts = [r for r in rows if r.item != "合计"]
    if total is None or not parts:
        return
    for key in ("金额", "实际执行数"):
        cell = total.cells.get(key)
        present = [p.cells[key] for p in parts if key in p.cells and p.cells[key].amount is not None]
        if cell is None or cell.amount is None or not present or any(p.cells[key].bad for p in parts if key in p.cells):
            continue
        expected = sum((c.amount for c in present if c.amount is not None), Decimal(0))
        verdict = ctx.verdict(table, cell.amount, expected, len(present))
        if verdict is not None:
            yield ctx.finding(table, cell, f"项目预算成本构成 {key}合计 {_money(cell.amount)} ≠ 各项之和 {_money(expected)}（万元）",
                              severity=verdict, related=present, expected=expected, actual=cell.amount)
