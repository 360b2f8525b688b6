"""P3xx: the 绩效指标 of 项目支出绩效目标表 (表6) and 部门整体支出绩效目标表 (表7).

The verdicts on one indicator row come from `gongkai.core.indicator_values` (shared with the Excel functions), computed once
per table; each rule reports the verdict kinds it owns. A project is a run of rows naming the same 单位 and 项目;
表7 is one project.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.findings import Finding, Severity
from ..core.indicator_values import LEVELS, Verdict, judge_indicator, judge_weights, nature_of
from ..core.model import Cell, Row, Table
from ..core.text import fold
from .registry import Context, rule

TARGETS = ("budget.project_targets", "budget.overall_targets")

def _verdicts(table: Table) -> list[tuple[Row, list[Verdict]]]:
    """judge_indicator on every indicator row, once per table."""
    return table.memo("indicators.verdicts", _judge_all)


def _judge_all(table: Table) -> list[tuple[Row, list[Verdict]]]:
    return [
        (r, judge_indicator(r.text("指标性质"), r.text("指标值") or None, r.text("度量单位"), r.text("三级指标")))
        for r in _indicators(table)
    ]


def _indicators(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind == "indicator"]


def _cell(table: Table, row: Row, *keys: str) -> Cell | str:
    """The first of ``keys`` the row has a cell for (the 三级指标 cell as a last resort)."""
    for key in (*keys, "三级指标", "一级指标"):
        if key in row.cells:
            return row.cells[key]
    return f"A{row.number}"


def _report(table: Table, ctx: Context, kinds: dict[str, tuple[str, ...]]) -> Iterator[Finding]:
    """Findings for the verdicts of the given kinds, each at the first cell of its column list."""
    for row, verdicts in _verdicts(table):
        for v in verdicts:
            if v.key in kinds:
                related = [row.cells["三级指标"]] if v.key == "name_unit" and "三级指标" in row.cells else []
                yield ctx.finding(table, _cell(table, row, *kinds[v.key]), v.message, severity=v.severity, related=related)


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
    """The standard 一级指标 a cell names: "产出指标" or "产出" → "产出指标"."""
    t = fold(text)
    for name in LEVELS:
        if t in (name, name.removesuffix("指标")):
            return name
    return None


@rule("P301", "指标性质无效", tables=TARGETS)
def nature_valid(table: Table, ctx: Context) -> Iterator[Finding]:
    """指标性质 must be one of ≥, ≤, = (quantitative) or 定性 (qualitative).

    Source: TABLES.md, "指标性质: ≥, ≤, = or 定性". Fails: 指标性质 "约" or blank. Passes: "≥".
    """
    if "指标性质" in table.columns:
        yield from _report(table, ctx, {"nature_unknown": ("指标性质",)})


@rule("P302", "指标性质写法不规范", tables=TARGETS, severity=Severity.WARNING)
def nature_standard(table: Table, ctx: Context) -> Iterator[Finding]:
    """指标性质 written as `>`, `<`, `>=`, 大于 … : understood, but not the standard ≥ / ≤ / =.

    Source: the issue, "`>`/`<` are a warning: non-standard". Fails: ">". Passes: "≥".
    """
    if "指标性质" in table.columns:
        yield from _report(table, ctx, {"nature_nonstandard": ("指标性质",)})


@rule("P303", "定量指标缺少数值或度量单位", tables=TARGETS)
def quantitative_complete(table: Table, ctx: Context) -> Iterator[Finding]:
    """A quantitative indicator (≥, ≤, =) needs a numeric 指标值 and a 度量单位.

    Source: TABLES.md, "A quantitative indicator has a numeric 指标值 and a 度量单位". Fails: ≥ with 指标值 "较好", or
    ≥ 3 with no unit. Passes: ≥ 3 期.
    """
    yield from _report(table, ctx, {"value_not_number": ("指标值",), "unit_missing": ("度量单位", "指标值")})


@rule("P304", "定性指标应为文字且无度量单位", tables=TARGETS, severity=Severity.WARNING)
def qualitative_text(table: Table, ctx: Context) -> Iterator[Finding]:
    """A qualitative indicator (定性) has a text 指标值 (优/良/中/差, 明显提高 …) and no 度量单位.

    Source: TABLES.md, "a qualitative one has a text value … and no unit". Fails: 定性 with 指标值 90 or unit "%".
    Passes: 定性, 明显提高, no unit.
    """
    yield from _report(table, ctx, {"qualitative_unit": ("度量单位",), "qualitative_number": ("指标值",)})


@rule("P305", "百分比指标值超出 0～100", tables=TARGETS)
def percent_in_range(table: Table, ctx: Context) -> Iterator[Finding]:
    """An 指标值 in % lies between 0 and 100.

    Source: TABLES.md, "`%` values lie between 0 and 100". Fails: ≥ 120 %. Passes: ≥ 95 %.
    """
    yield from _report(table, ctx, {"percent_range": ("指标值",)})


@rule("P306", "三级指标名称中的单位与度量单位不符", tables=TARGETS)
def name_unit_agrees(table: Table, ctx: Context) -> Iterator[Finding]:
    """A unit written in the 三级指标 name, e.g. 培训期数(期), equals the 度量单位 column.

    Source: TABLES.md, "A unit written inside the 三级指标 name … must agree with the 度量单位 column".
    Fails: 培训期数(期) with 度量单位 次. Passes: 培训期数(期) with 期.
    """
    yield from _report(table, ctx, {"name_unit": ("度量单位",)})


@rule("P307", "二级指标不属于其一级指标", tables=TARGETS)
def level2_under_level1(table: Table, ctx: Context) -> Iterator[Finding]:
    """一级指标 is one of 产出/效益/满意度/成本指标, and the 二级指标 is one of its own.

    产出 — 数量/质量/时效 (older forms: 成本) 指标; 效益 — 经济效益/社会效益/生态效益/可持续影响指标; 满意度 —
    服务对象满意度指标; 成本 — 经济成本/社会成本/生态环境成本指标. Source: TABLES.md, "Performance indicators".
    Fails: 一级 效益指标 with 二级 数量指标. Passes: 产出指标 / 数量指标.
    """
    if "一级指标" not in table.columns:
        return
    for row in _indicators(table):
        first, second = row.text("一级指标"), row.text("二级指标")
        top = level1(first)
        if top is None:
            yield ctx.finding(table, _cell(table, row, "一级指标"), f"一级指标「{first or '（空）'}」无效，应为{'、'.join(LEVELS)}之一")
            continue
        if "二级指标" not in row.cells:
            continue
        folded = fold(second)
        allowed = LEVELS[top]
        if folded not in allowed and folded + "指标" not in allowed:
            owner = next((k for k, v in LEVELS.items() if folded in v or folded + "指标" in v), None)
            hint = f"（它属于{owner}）" if owner else f"（应为{'、'.join(allowed)}之一）"
            yield ctx.finding(table, row.cells["二级指标"], f"二级指标「{second or '（空）'}」不属于一级指标「{first}」{hint}",
                              related=[row.cells["一级指标"]])


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
