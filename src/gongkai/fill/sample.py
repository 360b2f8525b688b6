"""Realistic, deterministic sample input and workbooks for tests, demos and the benchmark.

What it offers:

* ``sample_lines(seed, units=3, lines=120)`` → `LineItems`: a department (主管部门) with ``units`` 单位 (本级 and
  下属事业单位, 6-digit 单位代码 101001 …), about ``lines`` budget lines in 元 with real 功能分类 / 经济分类 codes
  (from ``core/data/*.csv``): 人员经费 (工资福利, 社保缴费 under 2080505/2080506, 医疗 under 21011, 住房公积金 under
  2210201), 公用经费 (incl. the 三公 items 30212 / 30217 / 30231 and 31013 for a car purchase), projects (mostly
  一般公共预算, some 上年结转-一般公共预算, 政府性基金 under 2296002, 事业收入) with indicators that satisfy TABLES.md
  (一级/二级 pairs, 指标性质, numeric 指标值 + 度量单位 for ≥ ≤ =, 定性 without unit, 权重 summing to 100, 方向性
  matching ≥/≤), 部门整体 indicators and 政府采购 items for the equipment lines. Same seed → same lines.
* ``sample_workbook(path, seed, units=3, lines=120, messy=False, totals="rounded")`` → writes the full budget set
  (15 sheets, one per table, values only, no formulas) composed from those lines, and returns the `Composed`
  book (the values every cell should hold). ``messy=True`` adds a stray blank row inside some tables (as real files
  have) without breaking any equation.
* ``write_line_items(items, path)`` → the input itself as an xlsx (预算明细 / 项目绩效 / 整体绩效 / 政府采购) or, for a
  ``.csv`` path, as CSV files (``<stem>-项目绩效.csv`` … beside it).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ..core.text import clean
from .compose_budget import Composed, Totals, compose_book
from .layout import CellWrite
from .lineitems import (
    Indicator,
    LineItem,
    LineItems,
    Purchase,
    Raw,
    Source,
    function_codes,
    indicator_rows,
    line_rows,
    purchase_rows,
)
from .template import BookTemplate, SheetTemplate

DEPARTMENTS = (
    ("某市教育局", "2050101", "2050201", "教育"),
    ("某市卫生健康委员会", "2100101", "2100199", "卫生健康"),
    ("某市农业农村局", "2130101", "2130199", "农业农村"),
    ("某市人民政府办公室", "2010301", "2010302", "政务服务"),
)
"""(部门, 行政运行 项, 业务 项 for projects, domain word)."""
INSTITUTION_ITEM = {"2050101": "2050299", "2100101": "2100201", "2130101": "2130104", "2010301": "2010350"}
"""A 下属事业单位's own 项 (事业运行 or its service)."""

UNIT_SUFFIXES = ("服务中心", "信息中心", "综合保障中心", "宣传教育中心", "监测中心", "培训中心", "研究所", "事务中心")
PERSONNEL = (
    ("30101", None, 0.22), ("30102", None, 0.14), ("30103", None, 0.05), ("30107", None, 0.16),
    ("30108", "2080505", 0.10), ("30109", "2080506", 0.04), ("30110", "2101101", 0.07), ("30112", None, 0.01),
    ("30113", "2210201", 0.08), ("30199", None, 0.02), ("30302", "2080501", 0.06), ("30305", None, 0.05),
)
"""人员经费 经济分类 款, the 功能分类 项 they go under (None: the unit's running item), share of 人员经费."""
PUBLIC = (
    ("30201", 0.14), ("30205", 0.03), ("30206", 0.06), ("30207", 0.04), ("30211", 0.08), ("30213", 0.07),
    ("30215", 0.03), ("30216", 0.04), ("30217", 0.02), ("30228", 0.09), ("30229", 0.07), ("30231", 0.06),
    ("30239", 0.12), ("30299", 0.10), ("30212", 0.02), ("31002", 0.03),
)
PROJECT_CODES = ("30201", "30202", "30203", "30211", "30226", "30227", "30299", "31002", "31003", "31007")
PURCHASES = {"31002": ("台式计算机", "台"), "31003": ("专用设备", "台"), "31007": ("应用软件", "套")}
PROJECT_WORDS = ("信息化建设", "业务培训", "专项调研", "设备更新", "宣传推广", "质量监测", "服务能力提升", "档案数字化", "安全生产检查", "绩效评价")


def _yuan(rng: random.Random, amount: float) -> Decimal:
    """A realistic 元 amount: whole yuan mostly, sometimes with 角/分."""
    cents = rng.choice((0, 0, 0, rng.randrange(1, 100)))
    return Decimal(max(int(amount), 100)) + Decimal(cents) / 100


def sample_lines(seed: int, units: int = 3, lines: int = 120, *, with_fund: bool = True) -> LineItems:
    """Deterministic realistic line items for a department with ``units`` 单位 and about ``lines`` lines."""
    rng = random.Random(seed)
    department, admin_item, business_item, domain = DEPARTMENTS[seed % len(DEPARTMENTS)]
    fcodes = function_codes()
    out: list[LineItem] = []
    indicators: list[Indicator] = []
    purchases: list[Purchase] = []
    per_unit = max(lines // max(units, 1), 12)
    row = 2

    def add(unit: str, name: str, fcode: str, ecode: str, kind: str, source: Source, project: str | None, amount: Decimal) -> None:
        nonlocal row
        assert fcode in fcodes, fcode
        out.append(LineItem(
            row=row, unit_code=unit, unit_name=name, function_code=fcode, economic_code=ecode, kind=kind,  # type: ignore[arg-type]
            source=source, project=project, amount=amount,
        ))
        row += 1

    project_no = 0
    for u in range(units):
        unit = f"{101001 + u}"
        admin = u == 0
        name = f"{department}本级" if admin else f"某市{domain}{UNIT_SUFFIXES[(u - 1) % len(UNIT_SUFFIXES)]}"
        if u > len(UNIT_SUFFIXES):
            name += str(u)
        running = admin_item if admin else INSTITUTION_ITEM[admin_item]
        own = "一般公共预算" if admin else "事业收入"
        staff = rng.randrange(30, 160)
        payroll = staff * rng.uniform(110_000, 160_000)
        budget = per_unit
        n_personnel = min(len(PERSONNEL), max(6, budget * 35 // 100))
        for ecode, fcode, share in PERSONNEL[:n_personnel]:
            amount = _yuan(rng, payroll * share * rng.uniform(0.85, 1.15))
            source: Source = "一般公共预算" if admin or rng.random() < 0.7 else own  # type: ignore[assignment]
            add(unit, name, fcode or running, ecode, "基本支出-人员经费", source, None, amount)
        n_public = min(len(PUBLIC), max(6, budget * 30 // 100))
        public = staff * rng.uniform(20_000, 40_000)
        chosen = list(PUBLIC[:n_public])
        if u == 0:  # the 本级 has every 三公 item
            sangong = [p for p in PUBLIC if p[0] in ("30212", "30217", "30231")]
            chosen = [p for p in chosen if p not in sangong][: max(len(chosen) - len(sangong), 3)] + sangong
        for ecode, share in chosen:
            amount = _yuan(rng, public * share * rng.uniform(0.8, 1.2))
            add(unit, name, running, ecode, "基本支出-公用经费", "一般公共预算", None, amount)
        if u == 0:  # a car bought this year: the 三公 购置 column
            add(unit, name, running, "31013", "基本支出-公用经费", "一般公共预算", None, _yuan(rng, rng.uniform(150_000, 260_000)))
        used = n_personnel + len(chosen) + (1 if u == 0 else 0)
        while used < budget:
            project_no += 1
            word = PROJECT_WORDS[(project_no + seed) % len(PROJECT_WORDS)]
            project = f"{domain}{word}项目{project_no}" if project_no > len(PROJECT_WORDS) else f"{domain}{word}项目"
            roll = rng.random()
            fcode = business_item if admin else running
            psource: Source = "一般公共预算"
            if roll < 0.12:
                psource = "上年结转-一般公共预算"
            elif with_fund and (roll < 0.22 or project_no == 2):
                psource, fcode = "政府性基金", "2296002"
            elif not admin and roll < 0.32:
                psource = "事业收入"
            n_lines = min(rng.randrange(2, 6), budget - used) or 1
            codes = rng.sample(PROJECT_CODES, n_lines)
            total = Decimal(0)
            for ecode in codes:
                amount = _yuan(rng, rng.uniform(20_000, 900_000))
                total += amount
                add(unit, name, fcode, ecode, "项目支出", psource, project, amount)
                if ecode in PURCHASES:
                    item, _measure = PURCHASES[ecode]
                    quantity = Decimal(rng.randrange(1, 30))
                    purchases.append(Purchase(
                        row=len(purchases) + 2, unit_code=unit, project=project, item=item, quantity=quantity,
                        amount=amount, sme=True, small=rng.random() < 0.5, prison=False, disabled=False,
                        note="" if rng.random() < 0.7 else "面向中小企业预留",
                    ))
            used += n_lines
            indicators += _project_indicators(rng, unit, project, word, total, len(indicators) + 2)
    overall = _overall_indicators(rng, department, domain)
    return LineItems(
        lines=tuple(out), indicators=tuple(indicators), overall=tuple(overall), purchases=tuple(purchases),
        department=department,
    )


def _ind(row: int, level1: str, level2: str, level3: str, nature: str, value: str, measure: str, weight: int, **kw: str) -> Indicator:
    direction = {"≥": "正向指标", "≤": "反向指标", "定性": "正向指标"}.get(nature, "")
    return Indicator(
        row=row, level1=level1, level2=level2, level3=level3, nature=nature, value=value, measure=measure,
        weight=Decimal(weight), direction=direction, **kw,
    )


def _project_indicators(rng: random.Random, unit: str, project: str, word: str, total: Decimal, row: int) -> list[Indicator]:
    goal = clean(f"完成{word}工作，提升服务质量和群众满意度。")
    cost = (total / 10000).quantize(Decimal("0.01"))
    specs = [
        ("产出指标", "数量指标", f"完成{word}任务数", "≥", str(rng.randrange(2, 40)), "项", 20),
        ("产出指标", "质量指标", "验收合格率", "≥", str(rng.choice((90, 95, 98, 100))), "%", 15),
        ("产出指标", "时效指标", "完成时限", "≤", "12", "月", 15),
        ("成本指标", "经济成本指标", "项目成本控制数", "≤", str(cost), "万元", 10),
        ("效益指标", "社会效益指标", "服务水平", "定性", rng.choice(("明显提升", "有效提高", "逐步提高")), "", 30),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", str(rng.choice((85, 90, 95))), "%", 10),
    ]
    return [
        _ind(row + i, *s[:7], unit_code=unit, project=project, goal=goal)
        for i, s in enumerate(specs)
    ]


def _overall_indicators(rng: random.Random, department: str, domain: str) -> list[Indicator]:
    goal = clean(f"围绕{domain}重点工作，保障机构正常运转，按时完成年度任务，提升公共服务水平。")
    specs = [
        ("产出指标", "数量指标", "重点工作任务完成数", "≥", str(rng.randrange(8, 20)), "项", 30),
        ("产出指标", "质量指标", "重点任务完成率", "≥", "95", "%", 20),
        ("产出指标", "时效指标", "预算执行进度", "≥", "90", "%", 10),
        ("效益指标", "社会效益指标", f"{domain}服务水平", "定性", "明显提升", "", 20),
        ("效益指标", "可持续影响指标", "长效机制建设", "定性", "逐步完善", "", 10),
        ("满意度指标", "服务对象满意度指标", "社会公众满意度", "≥", "90", "%", 10),
    ]
    return [_ind(2 + i, *s[:7], goal=goal) for i, s in enumerate(specs)]


def input_sheets(items: LineItems) -> dict[str, list[list[Raw]]]:
    """The line-item input as sheets of rows (header first)."""
    return {
        "预算明细": line_rows(items),
        "项目绩效": indicator_rows(items.indicators, projects=True),
        "整体绩效": indicator_rows(items.overall, projects=False, department=items.department),
        "政府采购": purchase_rows(items.purchases),
    }


def write_line_items(items: LineItems, path: str | Path) -> Path:
    """Write line items as an input file: xlsx (four sheets) or CSV (one file per sheet, siblings named by sheet)."""
    path = Path(path)
    sheets = input_sheets(items)
    if path.suffix.lower() == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        for i, (name, rows) in enumerate(sheets.items()):
            target = path if i == 0 else path.with_name(f"{path.stem}-{name}.csv")
            with target.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([["" if v is None else _csv_text(v) for v in row] for row in rows])
        return path
    from ..write.workbook import write_rows

    return write_rows(sheets, path)


def _csv_text(v: Raw) -> str:
    if isinstance(v, float):
        return f"{Decimal(repr(v)):f}" if not v.is_integer() else str(int(v))
    return str(v)


def sample_workbook(
    path: str | Path, seed: int, units: int = 3, lines: int = 120, *, messy: bool = False, totals: Totals = "rounded",
    department: str | None = None,
) -> Composed:
    """Compose ``sample_lines(seed, …)`` and write the full budget set (values, no formulas) to ``path``."""
    from ..write.workbook import write_plans
    from .layout import lay_out

    book = compose_book(sample_lines(seed, units, lines), department=department, totals=totals)
    plans = []
    for i, data in enumerate(book.tables):
        plan = lay_out(data)
        if messy and plan.data[1] > plan.data[0] + 2 and i % 3 == 0:
            _insert_blank_row(plan, plan.data[0] + 1)
        plans.append(plan)
    write_plans(plans, path)
    return book


def _insert_blank_row(plan: object, at: int) -> None:
    """Shift every cell and merge at or below row ``at`` one row down (a stray empty row inside a table)."""
    import re

    from .layout import CellWrite, SheetPlan

    assert isinstance(plan, SheetPlan)

    def shift(ref: str) -> str:
        m = re.match(r"([A-Z]+)(\d+)", ref)
        assert m
        r = int(m.group(2))
        return f"{m.group(1)}{r + 1 if r >= at else r}"

    plan.cells = [CellWrite(shift(c.ref), c.value, c.role) for c in plan.cells]
    plan.merges = [":".join(shift(p) for p in m.split(":")) for m in plan.merges]
    plan.data = (plan.data[0], plan.data[1] + 1)


EXAMPLE_SEED = 2024
"""The seed of the example in workbooks/examples/."""


def with_errors(book: BookTemplate) -> list[str]:
    """Plant a few typical mistakes in a filled workbook (for demos); return what was planted.

    A 合计 overwritten by a wrong number, a unit subtotal typed over, an amount stored as text, an indicator
    whose 指标方向性 contradicts its 指标性质 and a 权重 that breaks the project's 100.
    """
    planted: list[str] = []
    sheets = {s.plan.table_id: s for s in book.sheets}

    def cell(table_id: str, pick: Callable[[CellWrite], bool]) -> tuple[SheetTemplate, int]:
        sheet = sheets[table_id]
        return sheet, next(i for i, c in enumerate(sheet.plan.cells) if pick(c))

    def amount_of(sheet: SheetTemplate, ref: str) -> Decimal:
        return sheet.cached.get(ref) or Decimal(str(next(c.value for c in sheet.plan.cells if c.ref == ref)))

    # 1. 部门支出总表: the 合计 row's 基本支出 typed over with a wrong number
    sheet, i = cell("budget.expenditure", lambda c: c.role == "formula" and c.ref.startswith(sheet_col(sheets, "budget.expenditure", "基本支出")))
    ref = sheet.plan.cells[i].ref
    wrong = amount_of(sheet, ref) + Decimal("12.34")
    sheet.plan.cells[i] = CellWrite(ref, wrong, "amount")
    sheet.cached.pop(ref, None)
    planted.append(f"{sheet.plan.name}!{ref} 合计行基本支出改为 {wrong}（应为公式）")
    # 2. 财政拨款支出预算表: a 类 subtotal (a formula) typed over with 100 more, so it no longer adds up its 款
    economic = sheets["budget.fiscal_economic"]
    column = sheet_col(sheets, "budget.fiscal_economic", "一般公共预算拨款/基本支出")
    sheet, i = cell("budget.fiscal_economic", lambda c: c.role == "formula" and c.ref.rstrip("0123456789") == column and bool(economic.cached.get(c.ref)) and _is_class_row(economic, c.ref))
    ref = sheet.plan.cells[i].ref
    wrong = amount_of(sheet, ref) + Decimal("100")
    sheet.plan.cells[i] = CellWrite(ref, wrong, "amount")
    sheet.cached.pop(ref, None)
    planted.append(f"{sheet.plan.name}!{ref} 类小计改为数字 {wrong}（多 100 万元，应为公式）")
    # 3. 一般公共预算基本支出预算表: an amount stored as text
    sheet, i = cell("budget.general_basic", lambda c: c.role == "amount" and isinstance(c.value, Decimal) and c.value > 0)
    ref = sheet.plan.cells[i].ref
    sheet.plan.cells[i] = CellWrite(ref, f"{sheet.plan.cells[i].value:,}", "text")
    planted.append(f"{sheet.plan.name}!{ref} 金额存为文本")
    # 4. 项目绩效目标表: a ≥ indicator marked 反向指标, and one 权重 changed
    sheet, i = cell("budget.project_targets", lambda c: c.value == "正向指标")
    ref = sheet.plan.cells[i].ref
    sheet.plan.cells[i] = CellWrite(ref, "反向指标", "text")
    planted.append(f"{sheet.plan.name}!{ref} 「≥」指标标为反向指标")
    weight = sheet.plan.columns["权重"]
    sheet, i = cell("budget.project_targets", lambda c: c.ref.startswith(weight) and isinstance(c.value, Decimal))
    ref = sheet.plan.cells[i].ref
    sheet.plan.cells[i] = CellWrite(ref, Decimal(str(sheet.plan.cells[i].value)) + 5, "amount")
    planted.append(f"{sheet.plan.name}!{ref} 权重多 5，项目权重合计不为 100")
    return planted


def _is_class_row(sheet: SheetTemplate, ref: str) -> bool:
    """Whether the row of ``ref`` is a 类 row (a 3-digit code in its first column) in a ledger table."""
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    values = {c.ref: c.value for c in sheet.plan.cells if c.ref in (f"A{row}", f"B{row}")}
    first, second = str(values.get(f"A{row}") or "").strip(), str(values.get(f"B{row}") or "").strip()
    return len(first) == 3 and first.isdigit() and not second


def sheet_col(sheets: dict[str, SheetTemplate], table_id: str, key: str) -> str:
    return sheets[table_id].plan.columns[key]


def write_examples(folder: str | Path, *, recalc: bool = True) -> list[Path]:
    """The files of workbooks/examples/: line items (xlsx, csv), the filled example and its copy with errors.

    With ``recalc`` (needs LibreOffice) both workbooks carry the cached values a real recalculation gives, so
    what Excel shows and what gongkai reads agree, mistakes included.
    """
    from ..write.workbook import write_template
    from .template import filled

    folder = Path(folder)
    items = sample_lines(EXAMPLE_SEED)
    book = compose_book(items, totals="summed")
    out = [write_line_items(items, folder / "line-items.xlsx"), write_line_items(items, folder / "line-items.csv")]
    out.append(write_template(filled(book), folder / "budget-example.xlsx"))
    broken = filled(book)
    with_errors(broken)
    out.append(write_template(broken, folder / "budget-example-errors.xlsx"))
    if recalc:
        from ..write.recalc import recalculate

        recalculate([folder / "budget-example.xlsx", folder / "budget-example-errors.xlsx"])
    return out
