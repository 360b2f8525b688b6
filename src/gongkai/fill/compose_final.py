"""Consistent 决算 example data: every equation of the 决算 set and the 自评表 holds. Pure: returns TableData.

``final_tables(seed)`` draws a few 功能分类 项 line items (一般公共预算 and 政府性基金 money, some 事业收入, carry-overs),
splits them by 经济分类 and derives all 决算 tables from them, so totals, code hierarchies, 收入 = 支出 + 结余 and the
cross-table relations hold exactly (amounts are whole 分, nothing is rounded). ``selfeval_blocks(seed, n)`` gives
项目支出绩效自评表 blocks whose 执行率, fund rows and indicators agree. Templates, fixtures and tests use both.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise, zip_longest

from ..core import codes
from ..core.specs import (
    FINAL_CAPITAL,
    FINAL_CAPITAL_REVENUE,
    FINAL_EXPENDITURE,
    FINAL_FISCAL_DETAIL,
    FINAL_FISCAL_SUMMARY,
    FINAL_FUND,
    FINAL_GENERAL,
    FINAL_GENERAL_BASIC,
    FINAL_GENERAL_DETAIL,
    FINAL_GENERAL_PROJECT,
    FINAL_PROJECT_SELFEVAL,
    FINAL_REVENUE,
    FINAL_REVENUE_SOURCES,
    FINAL_SANGONG,
    FINAL_SUMMARY,
    FUNCTION_CLASSES,
)
from .layout import CellWrite, SheetPlan, TableData, Value, code_parts, lay_out

ZERO = Decimal(0)
CENT = Decimal("0.01")
DEPARTMENT = "某某市医疗保障局"
EMPTY_NOTE = "本单位无此项收支，本表为空。"

PERSONNEL_ITEMS = ("2080505", "2080506", "2101101", "2101103", "2210201")
"""项 that carry only 人员经费 (pension, medical and housing contributions)."""
RUNNING_ITEMS = ("2101501", "2080101")
"""项 that carry 人员经费 and 公用经费 (行政运行)."""
PROJECT_ITEMS = ("2101599", "2101550", "2101301")
FUND_ITEMS = ("2296002", "2296006")

PERSONNEL_CODES = ("30101", "30102", "30108", "30113", "30302")
PUBLIC_CODES = ("30201", "30211", "30217", "30228", "30231")
PROJECT_CODES = ("30227", "30299", "31002", "30226")
SANGONG_CODES = {"因公出国(境)费": "30212", "公务用车购置费": "31013", "公务用车运行费": "30231", "公务接待费": "30217"}


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """Whole 分 between low and high 万元."""
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _split(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """``total`` in n non-negative parts of whole 分 that add up exactly."""
    cents = int(total * 100)
    cuts = sorted(rng.randint(0, cents) for _ in range(n - 1))
    bounds = [0, *cuts, cents]
    return [Decimal(b - a) / 100 for a, b in pairwise(bounds)]


@dataclass
class Line:
    """One 功能分类 项 of the department's 决算: what it spent, from which money, and its carry-overs."""

    code: str
    source: str
    """"general" (一般公共预算财政拨款) or "fund" (政府性基金预算财政拨款)."""
    person: Decimal = ZERO
    public: Decimal = ZERO
    project: Decimal = ZERO
    other_project: Decimal = ZERO
    """项目支出 paid from 事业收入 (not 财政拨款)."""
    begin: Decimal = ZERO
    end: Decimal = ZERO
    budget_initial: Decimal = ZERO
    budget_adjusted: Decimal = ZERO
    projects: list[tuple[str, Decimal]] = field(default_factory=list)
    economic: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    """经济分类 款 → (基本支出, 项目支出) of the 财政拨款 money."""

    @property
    def name(self) -> str:
        return codes.name(self.code, "function") or self.code

    @property
    def basic(self) -> Decimal:
        return self.person + self.public

    @property
    def fiscal(self) -> Decimal:
        return self.basic + self.project

    @property
    def spent(self) -> Decimal:
        return self.fiscal + self.other_project

    @property
    def fiscal_revenue(self) -> Decimal:
        return self.fiscal + self.end - self.begin


@dataclass
class Accounts:
    """A department's consistent 决算: its line items, 三公 budget and department name."""

    lines: list[Line]
    sangong_budget: dict[str, Decimal]
    department: str = DEPARTMENT

    def of(self, source: str) -> list[Line]:
        return [x for x in self.lines if x.source == source]

    def sangong_spent(self) -> dict[str, Decimal]:
        spent = dict.fromkeys(SANGONG_CODES, ZERO)
        for line in self.of("general"):
            for name, code in SANGONG_CODES.items():
                spent[name] += sum(line.economic.get(code, (ZERO, ZERO)))
        return spent


def accounts(seed: int = 0) -> Accounts:
    """Draw a consistent set of line items."""
    rng = random.Random(f"final:{seed}")
    picked = [
        *rng.sample(PERSONNEL_ITEMS, 3), *rng.sample(RUNNING_ITEMS, 1), *rng.sample(PROJECT_ITEMS, 2),
    ]
    lines: list[Line] = []
    for n, code in enumerate(sorted(picked)):
        line = Line(code, "general")
        if code in PERSONNEL_ITEMS:
            line.person = _money(rng, 5, 60)
        elif code in RUNNING_ITEMS:
            line.person, line.public = _money(rng, 100, 300), _money(rng, 10, 60)
        else:
            line.project = _money(rng, 10, 400)
            line.begin, line.end = _money(rng, 0, 5), _money(rng, 0, 5)
            line.projects = [(f"5111{seed % 100:02d}{n:02d}T0000001234{k}-医疗保障专项{n}{k}", part) for k, part in enumerate(_split(rng, line.project, 2))]
            if n % 2:
                line.other_project = _money(rng, 1, 20)
        line.budget_initial = (line.fiscal * Decimal("0.9")).quantize(CENT, ROUND_HALF_UP)
        line.budget_adjusted = line.fiscal + _money(rng, 0, 3)
        lines.append(line)
    fund = Line(rng.choice(FUND_ITEMS), "fund", project=_money(rng, 20, 500))
    fund.begin, fund.end = _money(rng, 0, 10), _money(rng, 0, 10)
    fund.projects = [(f"5111{seed % 100:02d}99T00000012340-彩票公益金项目", fund.project)]
    lines.append(fund)
    for line in lines:
        _economic(rng, line)
    # the 三公 items are real 经济分类 款 of the 行政运行 line, so the 三公 table can be compared with them
    budget = {name: ZERO for name in SANGONG_CODES}
    spent = Accounts(lines, budget).sangong_spent()
    budget = {name: value + (_money(rng, 0, 2) if value else ZERO) for name, value in spent.items()}
    return Accounts(lines, budget)


def _economic(rng: random.Random, line: Line) -> None:
    econ: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    if line.person:
        for code, part in zip(PERSONNEL_CODES, _split(rng, line.person, 3), strict=False):
            econ[code][0] += part
    if line.public:
        for code, part in zip(PUBLIC_CODES, _split(rng, line.public, len(PUBLIC_CODES)), strict=True):
            econ[code][0] += part
    if line.project:
        for code, part in zip(PROJECT_CODES, _split(rng, line.project, 2), strict=False):
            econ[code][1] += part
    line.economic = {k: (v[0], v[1]) for k, v in econ.items() if v[0] or v[1]}


# ---------------------------------------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------------------------------------


def hierarchy(values: dict[str, dict[str, Decimal]], kind: codes.CodeKind, keys: Sequence[str]) -> list[dict[str, Value]]:
    """合计, then 类 / 款 / 项 rows, each the sum of the rows below it, from amounts by lowest-level code."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(keys, ZERO))
    for code, amounts in values.items():
        levels = [code[:n] for n in (3, 5, 7) if n <= len(code)]
        for key in (*levels, ""):
            for k in keys:
                totals[key][k] += amounts.get(k, ZERO)
    rows: list[dict[str, Value]] = [{"科目名称": "合计", **totals[""]}]
    for code in sorted(c for c in totals if c):
        rows.append({**code_parts(code), "科目名称": codes.name(code, kind) or code, **totals[code]})
    return rows


def _side_rows(left: Iterable[dict[str, Value]], right: Iterable[dict[str, Value]]) -> list[dict[str, Value]]:
    return [{**(a or {}), **(b or {})} for a, b in zip_longest(left, right)]


def _classes(lines: Iterable[Line], amount: str = "spent") -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        out[line.code[:3]] += getattr(line, amount)
    return dict(sorted(out.items()))


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def summary(acc: Accounts) -> TableData:
    """收入支出决算总表."""
    general, fund = acc.of("general"), acc.of("fund")
    sources = dict.fromkeys((k for k, _ in FINAL_REVENUE_SOURCES), ZERO)
    sources["一般公共预算财政拨款收入"] = _sum(x.fiscal_revenue for x in general)
    sources["政府性基金预算财政拨款收入"] = _sum(x.fiscal_revenue for x in fund)
    sources["事业收入"] = _sum(x.other_project for x in acc.lines)
    revenue = _sum(sources.values())
    begin, end = _sum(x.begin for x in acc.lines), _sum(x.end for x in acc.lines)
    left: list[dict[str, Value]] = [{"收入/项目": k, "收入/决算数": v} for k, v in sources.items()]
    left += [
        {"收入/项目": "本年收入合计", "收入/决算数": revenue},
        {"收入/项目": "使用非财政拨款结余", "收入/决算数": ZERO},
        {"收入/项目": "年初结转和结余", "收入/决算数": begin},
        {"收入/项目": "收入总计", "收入/决算数": revenue + begin},
    ]
    classes = _classes(acc.lines)
    spent = _sum(classes.values())
    right: list[dict[str, Value]] = [{"支出/项目": FUNCTION_CLASSES[c], "支出/决算数": v} for c, v in classes.items()]
    right += [
        {"支出/项目": "本年支出合计", "支出/决算数": spent},
        {"支出/项目": "结余分配", "支出/决算数": ZERO},
        {"支出/项目": "年末结转和结余", "支出/决算数": end},
        {"支出/项目": "支出总计", "支出/决算数": spent + end},
    ]
    return TableData(FINAL_SUMMARY, _side_rows(left, right), acc.department)


def revenue(acc: Accounts) -> TableData:
    """收入决算表: 本年收入 by 功能分类 and source."""
    keys = ("本年收入合计", "财政拨款收入", "事业收入")
    values = {
        x.code: {"本年收入合计": x.fiscal_revenue + x.other_project, "财政拨款收入": x.fiscal_revenue, "事业收入": x.other_project}
        for x in acc.lines
    }
    return TableData(FINAL_REVENUE, hierarchy(values, "function", keys), acc.department)


def expenditure(acc: Accounts) -> TableData:
    """支出决算表: 本年支出 by 功能分类, 基本支出 and 项目支出."""
    keys = ("本年支出合计", "基本支出", "项目支出")
    values = {x.code: {"本年支出合计": x.spent, "基本支出": x.basic, "项目支出": x.project + x.other_project} for x in acc.lines}
    return TableData(FINAL_EXPENDITURE, hierarchy(values, "function", keys), acc.department)


FISCAL_COLUMNS = {"general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款", "capital": "国有资本经营预算财政拨款"}


def _income_row(label: str, amount: Decimal) -> dict[str, Value]:
    return {"收入/项目": label, "收入/决算数": amount}


def fiscal_summary(acc: Accounts) -> TableData:
    """财政拨款收入支出决算总表."""
    income = {s: _sum(x.fiscal_revenue for x in acc.of(s)) for s in FISCAL_COLUMNS}
    begin = _sum(x.begin for x in acc.lines)
    left: list[dict[str, Value]] = [{"收入/项目": FISCAL_COLUMNS[s], "收入/决算数": v} for s, v in income.items()]
    left += [
        {"收入/项目": "本年收入合计", "收入/决算数": _sum(income.values())},
        {"收入/项目": "年初财政拨款结转和结余", "收入/决算数": begin},
        *(_income_row(FISCAL_COLUMNS[s], _sum(x.begin for x in acc.of(s))) for s in FISCAL_COLUMNS),
        {"收入/项目": "收入总计", "收入/决算数": _sum(income.values()) + begin},
    ]

    def by_source(lines: Iterable[Line], amount: str) -> dict[str, Value]:
        chosen = list(lines)
        parts = {f"支出/{col}": _sum(getattr(x, amount) for x in chosen if x.source == s) for s, col in FISCAL_COLUMNS.items()}
        return {"支出/合计": _sum(parts.values()), **parts}

    right: list[dict[str, Value]] = []
    for code in sorted({x.code[:3] for x in acc.lines}):
        right.append({"支出/项目": FUNCTION_CLASSES[code], **by_source((x for x in acc.lines if x.code[:3] == code), "fiscal")})
    right += [
        {"支出/项目": "本年支出合计", **by_source(acc.lines, "fiscal")},
        {"支出/项目": "年末财政拨款结转和结余", **by_source(acc.lines, "end")},
    ]
    total = by_source(acc.lines, "fiscal")
    end = by_source(acc.lines, "end")
    right.append({"支出/项目": "支出总计", **{k: v + end[k] for k, v in total.items()}})  # type: ignore[operator]
    return TableData(FINAL_FISCAL_SUMMARY, _side_rows(left, right), acc.department)


def _basic_project(lines: Iterable[Line], total: str = "合计") -> dict[str, dict[str, Decimal]]:
    return {x.code: {total: x.fiscal, "基本支出": x.basic, "项目支出": x.project} for x in lines}


def fiscal_detail(acc: Accounts) -> TableData:
    """财政拨款支出决算明细表."""
    return TableData(FINAL_FISCAL_DETAIL, hierarchy(_basic_project(acc.lines), "function", ("合计", "基本支出", "项目支出")), acc.department)


def general(acc: Accounts) -> TableData:
    """一般公共预算财政拨款支出决算表, with 年初预算数 and 调整后预算数."""
    keys = ("年初预算数", "调整后预算数", "本年支出合计", "基本支出", "项目支出")
    values = {
        x.code: {"年初预算数": x.budget_initial, "调整后预算数": x.budget_adjusted, "本年支出合计": x.fiscal, "基本支出": x.basic, "项目支出": x.project}
        for x in acc.of("general")
    }
    return TableData(FINAL_GENERAL, hierarchy(values, "function", keys), acc.department)


def _economic_totals(lines: Iterable[Line]) -> dict[str, tuple[Decimal, Decimal]]:
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        for code, (basic, project) in line.economic.items():
            b, p = out.get(code, (ZERO, ZERO))
            out[code] = (b + basic, p + project)
    return out


def general_detail(acc: Accounts) -> TableData:
    """一般公共预算财政拨款支出决算明细表, by 经济分类."""
    econ = _economic_totals(acc.of("general"))
    values = {c: {"合计": b + p, "基本支出": b, "项目支出": p} for c, (b, p) in econ.items()}
    return TableData(FINAL_GENERAL_DETAIL, hierarchy(values, "economic", ("合计", "基本支出", "项目支出")), acc.department)


def general_basic(acc: Accounts) -> TableData:
    """一般公共预算财政拨款基本支出决算表: 301 / 303 are 人员经费, 302 / 310 公用经费."""
    econ = _economic_totals(acc.of("general"))
    values: dict[str, dict[str, Decimal]] = {}
    for c, (b, _p) in econ.items():
        if b:
            kind = "人员经费" if c[:3] in ("301", "303") else "公用经费"
            values[c] = {"合计": b, kind: b}
    return TableData(FINAL_GENERAL_BASIC, hierarchy(values, "economic", ("合计", "人员经费", "公用经费")), acc.department)


def general_project(acc: Accounts) -> TableData:
    """一般公共预算财政拨款项目支出决算表: 合计, then per 项 its projects."""
    lines = [x for x in acc.of("general") if x.project]
    rows: list[dict[str, Value]] = [{"科目名称": "合计", "决算数": _sum(x.project for x in lines)}]
    for x in lines:
        for name, amount in x.projects:
            rows.append({**code_parts(x.code), "科目名称": x.name, "项目名称": name, "决算数": amount})
    return TableData(FINAL_GENERAL_PROJECT, rows, acc.department)


def _carry(lines: Sequence[Line], spec_data: TableData) -> TableData:
    keys = ("年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余")
    if not lines:
        spec_data.note = EMPTY_NOTE
        return spec_data
    values = {
        x.code: {
            "年初结转和结余": x.begin, "本年收入": x.fiscal_revenue, "本年支出/小计": x.fiscal,
            "本年支出/基本支出": x.basic, "本年支出/项目支出": x.project, "年末结转和结余": x.end,
        }
        for x in lines
    }
    spec_data.rows = hierarchy(values, "function", keys)
    return spec_data


def fund(acc: Accounts) -> TableData:
    """政府性基金预算财政拨款收入支出决算表: 年初 + 本年收入 - 本年支出 = 年末, on every row."""
    return _carry(acc.of("fund"), TableData(FINAL_FUND, department=acc.department))


def capital_revenue(acc: Accounts) -> TableData:
    """国有资本经营预算财政拨款收入支出决算表 (empty: the department has no such money)."""
    return _carry(acc.of("capital"), TableData(FINAL_CAPITAL_REVENUE, department=acc.department))


def capital(acc: Accounts) -> TableData:
    """国有资本经营预算财政拨款支出决算表 (empty)."""
    lines = acc.of("capital")
    data = TableData(FINAL_CAPITAL, department=acc.department)
    if not lines:
        data.note = EMPTY_NOTE
    else:
        data.rows = hierarchy(_basic_project(lines), "function", ("合计", "基本支出", "项目支出"))
    return data


def sangong(acc: Accounts) -> TableData:
    """财政拨款“三公”经费支出决算表: one row, 预算数 and 决算数."""
    row: dict[str, Value] = {}
    for group, values in (("预算数", acc.sangong_budget), ("决算数", acc.sangong_spent())):
        car = values["公务用车购置费"] + values["公务用车运行费"]
        row[f"{group}/合计"] = values["因公出国(境)费"] + car + values["公务接待费"]
        row[f"{group}/因公出国(境)费"] = values["因公出国(境)费"]
        row[f"{group}/公务用车购置及运行费"] = car
        row[f"{group}/公务用车购置及运行费/公务用车购置费"] = values["公务用车购置费"]
        row[f"{group}/公务用车购置及运行费/公务用车运行费"] = values["公务用车运行费"]
        row[f"{group}/公务接待费"] = values["公务接待费"]
    row["单位名称"] = acc.department
    return TableData(FINAL_SANGONG, [row], acc.department)


BUILDERS = (
    summary, revenue, expenditure, fiscal_summary, fiscal_detail, general, general_detail, general_basic,
    general_project, fund, capital_revenue, capital, sangong,
)


def final_tables(seed: int = 0) -> list[TableData]:
    """The 13 决算 tables of one consistent department, in the published order."""
    acc = accounts(seed)
    return [build(acc) for build in BUILDERS]


# ---------------------------------------------------------------------------------------------------------
# 项目支出绩效自评表
# ---------------------------------------------------------------------------------------------------------

SELFEVAL_PROJECTS = ("城乡居民医疗保险财政补助", "医疗救助资金", "医保基金监管专项经费", "医保信息化建设运行维护", "离休人员医疗补助")


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole in percent points, to 0.01 (100.00 for 100 %)."""
    return (part * 100 / whole).quantize(CENT, ROUND_HALF_UP) if whole else ZERO


def selfeval_block(rng: random.Random, name: str, detailed: bool = False) -> TableData:
    """One consistent 自评表 block: funds add up, 执行率 is 全年执行数 / 全年预算数, targets met or explained."""
    fiscal = _money(rng, 20, 500)
    other = _money(rng, 0, 20) if rng.random() < 0.5 else ZERO
    initial = {"财政拨款": fiscal - _money(rng, 0, 10) if fiscal > 10 else fiscal, "其他资金": other}
    budget = {"财政拨款": fiscal, "其他资金": other}
    spent = {"财政拨款": fiscal - (_money(rng, 0, 5) if rng.random() < 0.5 else ZERO), "其他资金": other}

    def fund_row(label: str, key: str | None, score: bool = False) -> dict[str, Value]:
        a, b, c = (initial[key], budget[key], spent[key]) if key else (
            _sum(initial.values()), _sum(budget.values()), _sum(spent.values()))
        row: dict[str, Value] = {"项目": label, "年初预算数": a, "全年预算数": b, "全年执行数": c, "执行率": percent(c, b)}
        if score:
            row["分值"] = Decimal(10)
            row["得分"] = (percent(c, b) / 10).quantize(CENT, ROUND_HALF_UP)
        return row

    funds = [fund_row("年度资金总额", None, score=True)]
    if detailed:
        funds.append(fund_row("（一）财政拨款小计", "财政拨款"))
        funds.append(fund_row("1.一般公共预算", "财政拨款"))
        zero: dict[str, Value] = {"项目": "", "年初预算数": ZERO, "全年预算数": ZERO, "全年执行数": ZERO, "执行率": ZERO}
        funds.append({**zero, "项目": "2.政府性基金"})
        funds.append({**zero, "项目": "3.国有资本经营预算"})
        funds.append(fund_row("（二）其他资金", "其他资金"))
    else:
        funds.append(fund_row("其中：财政拨款", "财政拨款"))
        funds.append(fund_row("其他资金", "其他资金"))
    total_budget = _sum(budget.values())
    total_spent = _sum(spent.values())
    trainings = rng.randint(31, 60)
    missed = rng.random() < 0.4
    indicators: list[dict[str, Value]] = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "开展政策宣传培训次数", "年度指标值": "≥30次",
         "实际完成值": f"{28 if missed else trainings}次", "分值": 15, "得分": 13 if missed else 15,
         "偏差原因分析及改进措施": "受疫情影响部分培训合并举办，下年度提前安排。" if missed else None},
        {"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "补助资金发放准确率", "年度指标值": "100%", "实际完成值": "100%", "分值": 15, "得分": 15},
        {"一级指标": "产出指标", "二级指标": "时效指标", "三级指标": "资金拨付时限", "年度指标值": "≤3个月", "实际完成值": f"{rng.randint(1, 3)}个月", "分值": 10, "得分": 10},
        {"一级指标": "成本指标", "二级指标": "经济成本指标", "三级指标": "项目成本控制数", "年度指标值": f"≤{total_budget}万元", "实际完成值": f"{total_spent}万元", "分值": 10, "得分": 10},
        {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "参保群众就医负担", "年度指标值": "有效减轻", "实际完成值": "有效减轻", "分值": 30, "得分": 30},
        {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "参保群众满意度", "年度指标值": "≥90%", "实际完成值": f"{rng.randint(90, 99)}%", "分值": 10, "得分": 10},
    ]
    score = Decimal(str(funds[0]["得分"])) + _sum(Decimal(str(r["得分"])) for r in indicators)
    fields: dict[str, Value] = {
        "项目名称": name, "主管部门": DEPARTMENT, "实施单位": f"{DEPARTMENT}（本级）",
        "预期目标": "按时足额发放补助资金，减轻参保群众就医负担。", "实际完成情况": "已按时足额发放补助资金，参保群众就医负担有效减轻。",
        "自评得分": score,
    }
    return TableData(FINAL_PROJECT_SELFEVAL, indicators, DEPARTMENT, fields=fields, funds=funds)


def selfeval_blocks(seed: int = 0, n: int = 2) -> list[TableData]:
    """``n`` consistent 自评表 blocks, one per project; every other one uses the detailed fund rows."""
    rng = random.Random(f"selfeval:{seed}")
    return [selfeval_block(rng, SELFEVAL_PROJECTS[i % len(SELFEVAL_PROJECTS)] + ("" if i < len(SELFEVAL_PROJECTS) else str(i)), detailed=bool(i % 2)) for i in range(n)]


def stacked(blocks: Sequence[TableData], name: str = "自评表", *, titles: bool = True, gap: int = 2) -> SheetPlan:
    """自评表 blocks stacked on one sheet; ``titles=False`` keeps the title only above the first block."""
    out = SheetPlan(name=name, table_id=FINAL_PROJECT_SELFEVAL.id)
    top = 0
    for i, data in enumerate(blocks):
        plan = lay_out(data, name)
        skip = 0 if titles or i == 0 else 3  # number, title and 部门/金额单位 rows
        rows = [_row(c.ref) for c in plan.cells]
        for c in plan.cells:
            r = _row(c.ref)
            if r > skip:
                out.cells.append(CellWrite(_move(c.ref, top - skip), c.value, c.role))
        for m in plan.merges:
            a, b = m.split(":")
            if _row(a) > skip:
                out.merges.append(f"{_move(a, top - skip)}:{_move(b, top - skip)}")
        out.widths = plan.widths
        if i == 0:
            out.header, out.columns = plan.header, plan.columns
        top += max(rows) - skip + gap
    return out


def _row(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))


def _move(ref: str, by: int) -> str:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return f"{letters}{_row(ref) + by}"
