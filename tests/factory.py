"""Plausible content for every table spec, clean or messy, for the reader's tests.

The numbers need not add up (that is the rules' business); the layouts are the published ones (layout.py), and
`messy()` damages a table the way budget-system exports, WPS and hand edits do.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from gongkai.core.addresses import cell_position, col_letter
from gongkai.core.specs import FUNCTION_CLASSES, SELFEVAL_FUND_ROWS, SPECS, Col, TableSpec
from gongkai.fill.layout import (
    CellWrite,
    SheetPlan,
    TableData,
    Value,
    code_parts,
    lay_out,
    printed_columns,
)

FUNCTION_ROWS = [
    ("208", "社会保障和就业支出"),
    ("20805", "行政事业单位养老支出"),
    ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("210", "卫生健康支出"),
    ("21015", "医疗保障管理事务"),
    ("2101501", "行政运行"),
    ("2101599", "其他医疗保障管理事务支出"),
]
ECONOMIC_ROWS = [
    ("301", "工资福利支出"),
    ("30101", "基本工资"),
    ("30108", "机关事业单位基本养老保险缴费"),
    ("302", "商品和服务支出"),
    ("30201", "办公费"),
    ("30231", "公务用车运行维护费"),
]
UNITS = [("101001", "某某市医疗保障局（本级）"), ("101002", "某某市医疗保障事务中心")]
INDICATORS = [
    ("产出指标", "数量指标", "培训期数(期)", "≥", "3", "期", 20, "正向指标"),
    ("产出指标", "质量指标", "系统可用率", "≥", "99", "%", 20, "正向指标"),
    ("产出指标", "时效指标", "完成时限", "≤", "12", "月", 10, "反向指标"),
    ("效益指标", "社会效益指标", "群众办事便利度", "定性", "明显提高", None, 30, None),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥", "90", "%", 20, "正向指标"),
]


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(0, 9_999_999)) / 100


def _amount_keys(columns: list[Col]) -> list[str]:
    return [c.key for c in columns if c.kind == "amount"]


def table_data(spec: TableSpec, seed: int = 0) -> TableData:
    """A table of the spec's layout with plausible rows."""
    rng = random.Random(f"{spec.id}:{seed}")
    data = TableData(spec=spec, department="某某市医疗保障局")
    columns = [c for c in spec.columns if c.required or c.kind not in ("code",)]
    amounts = _amount_keys(columns)

    def money() -> dict[str, Value]:
        return {k: _amount(rng) for k in amounts}

    if spec.layout == "sided":
        for side in spec.sides:
            labels: list[tuple[str, str | None]] = []
            for item in side.items:
                if item.total_of == ("类",) and side.classes:
                    labels += [(f"{name}", code) for code, name in list(FUNCTION_CLASSES.items())[7:10]]
                labels.append((item.key.split("/")[-1] if item.parent else item.key, None))
            if spec.id == "budget.fiscal_summary" and side.name == "收入":
                labels = [(lbl, None) for lbl in ("本年收入", "一般公共预算拨款收入", "政府性基金预算拨款收入", "上年结转", "一般公共预算拨款", "收入总计")]
            side_amounts = [c.key for c in spec.columns if c.kind == "amount" and c.under and c.under[0][0] == side.under[0] and c.required]
            for i, (label, _code) in enumerate(labels):
                while len(data.rows) <= i:
                    data.rows.append({})
                data.rows[i][f"{side.under[0]}/项目"] = label
                for k in side_amounts:
                    data.rows[i][k] = _amount(rng)
        return data
    if spec.layout == "indicators":
        for _code, u_name in UNITS:
            for p in range(2):
                project = f"51110021T00000{rng.randint(1000000, 9999999)}-医保信息化建设项目{p + 1}"
                budget = _amount(rng)
                for one, two, three, nature, value, unit, weight, direction in INDICATORS:
                    data.rows.append({
                        "单位名称": f"{u_name}", "项目名称": project, "预算数": budget, "年度目标": "完成年度建设任务，提升服务效能。",
                        "一级指标": one, "二级指标": two, "三级指标": three, "指标性质": nature, "指标值": value,
                        "度量单位": unit, "权重": weight, "指标方向性": direction,
                    })
        return data
    if spec.layout == "form":
        for f in spec.fields:
            data.fields[f.key] = _amount(rng) if f.kind == "amount" else (95 if f.kind == "number" else f"{f.key}内容")
        if spec.id == "final.project_selfeval":
            for item in SELFEVAL_FUND_ROWS[:3] + SELFEVAL_FUND_ROWS[-1:]:
                label = {"财政拨款": "其中：财政拨款", "一般公共预算": "1.一般公共预算"}.get(item.key, item.key)
                plan = _amount(rng)
                data.funds.append({"项目": label, "年初预算数": plan, "全年预算数": plan, "全年执行数": plan, "分值": 10, "执行率": "100%", "得分": 10})
            for one, two, three, _nature, value, unit, weight, _d in INDICATORS:
                data.rows.append({"一级指标": one, "二级指标": two, "三级指标": three, "年度指标值": f"≥{value}{unit or ''}", "实际完成值": f"{value}{unit or ''}", "分值": weight, "得分": weight})
        else:
            for one, two, three, nature, value, unit, weight, direction in INDICATORS:
                data.rows.append({"一级指标": one, "二级指标": two, "三级指标": three, "指标性质": nature, "指标值": value, "度量单位": unit, "权重": weight, "指标方向性": direction})
        return data
    # ledger
    name_key = next(c.key for c in spec.columns if c.kind == "name")
    project_key = next((c.key for c in spec.columns if c.kind == "project"), None)
    rows = [{name_key: "合计", **money()}]
    subjects = FUNCTION_ROWS if spec.codes == "function" else ECONOMIC_ROWS if spec.codes == "economic" else []
    unit_code_key = next((c.key for c in spec.columns if c.kind == "unit_code"), None)
    units = UNITS if spec.units else [None]
    for unit in units:
        if unit is not None:
            if unit_code_key and not spec.codes:
                rows.append({unit_code_key: unit[0], name_key: unit[1], **money()})
            else:
                rows.append({name_key: f"{unit[0]} {unit[1]}", **money()})
        if spec.id == "budget.procurement":
            for k in range(2):
                rows.append({"项目名称": f"P0{k}-办公设备采购", "采购品目": "台式计算机", "数量": 5, "总金额": _amount(rng), "专门面向中小企业采购": "是", "采购说明": "无"})
            continue
        for code, name in subjects:
            rows.append({**code_parts(code), name_key: name, **money()})
            if project_key and len(code) == 7:
                for k in range(2):
                    rows.append({project_key: f"5111002{k}T00000012345{k}-医保经办服务项目{k}", **money()})
    data.rows = rows
    return data


def all_tables(seed: int = 0) -> list[TableData]:
    return [table_data(s, seed) for s in SPECS]


# ---------------------------------------------------------------------------------------------------------------
# damage, as exports and hand edits do it
# ---------------------------------------------------------------------------------------------------------------

FULLWIDTH = str.maketrans("0123456789.,()", "０１２３４５６７８９．，（）")


def messy_data(data: TableData, rng: random.Random, *, text_numbers: bool = True, split_labels: bool = True,
               fullwidth: bool = True, blank_rows: bool = True, one_code_column: bool = False) -> TableData:
    """Same content, written the way messy exports write it."""
    rows: list[dict[str, Value]] = []
    for row in data.rows:
        new: dict[str, Value] = {}
        for k, v in row.items():
            if isinstance(v, Decimal) and text_numbers and rng.random() < 0.3:
                v = f"{v:,.2f}"
                if fullwidth and rng.random() < 0.3:
                    v = v.translate(FULLWIDTH)
            elif isinstance(v, str) and split_labels and len(v) > 4 and k in ("科目名称", "单位名称", "收入/项目", "支出/项目", "三级指标") and rng.random() < 0.4:
                i = rng.randint(1, len(v) - 1)
                if not (v[i - 1].isdigit() or v[i].isdigit()):
                    v = v[:i] + rng.choice([" ", "\n", "  ", "\u3000"]) + v[i:]
            elif isinstance(v, str) and fullwidth and "(" in v and rng.random() < 0.5:
                v = v.replace("(", "（").replace(")", "）")
            new[k] = v
        if one_code_column and "类" in new:
            new["科目编码"] = "".join(str(new.pop(p)) for p in ("类", "款", "项") if p in new)
        rows.append(new)
        if blank_rows and rng.random() < 0.15:
            rows.append({})
    return replace(data, rows=rows)


def shift(plan: SheetPlan, at_row: int, by: int) -> None:
    """Move every cell and merge at or below ``at_row`` down by ``by`` rows."""

    def move(ref: str) -> str:
        letters = "".join(ch for ch in ref if ch.isalpha())
        number = int("".join(ch for ch in ref if ch.isdigit()))
        return f"{letters}{number + by if number >= at_row else number}"

    plan.cells = [replace(c, ref=move(c.ref)) for c in plan.cells]
    plan.merges = [":".join(move(p) for p in m.split(":")) for m in plan.merges]


def repeat_header(plan: SheetPlan, after_data_rows: int) -> None:
    """A page break: the header rows printed again inside the data."""
    top, bottom = plan.header
    at = plan.data[0] + after_data_rows
    if at > plan.data[1]:
        return
    depth = bottom - top + 1
    shift(plan, at, depth)
    for c in list(plan.cells):
        number = int("".join(ch for ch in c.ref if ch.isdigit()))
        if top <= number <= bottom:
            letters = "".join(ch for ch in c.ref if ch.isalpha())
            plan.cells.append(CellWrite(f"{letters}{number - top + at}", c.value, c.role))
    for m in list(plan.merges):
        a, b = m.split(":")
        ra, rb = (int("".join(ch for ch in x if ch.isdigit())) for x in (a, b))
        if top <= ra and rb <= bottom:
            la, lb = ("".join(ch for ch in x if ch.isalpha()) for x in (a, b))
            plan.merges.append(f"{la}{ra - top + at}:{lb}{rb - top + at}")


def extra_column(plan: SheetPlan, header: str = "备注") -> None:
    """A local column the form does not have, after the last one."""
    width = max(cell_position(c.ref)[1] for c in plan.cells) + 1
    letter = col_letter(width)
    top, bottom = plan.header
    plan.cells.append(CellWrite(f"{letter}{top}", header, "header"))
    if bottom > top:
        plan.merges.append(f"{letter}{top}:{letter}{bottom}")
    for r in range(plan.data[0], plan.data[1] + 1, 3):
        plan.cells.append(CellWrite(f"{letter}{r}", "说明文字", "text"))


def messy_plan(data: TableData, seed: int, *, shuffle: bool = True, repeat: bool = True, extra: bool = True) -> SheetPlan:
    """The messy twin of a table as a sheet plan: messy data, shuffled columns, a repeated header, an extra column."""
    rng = random.Random(seed)
    mdata = messy_data(data, rng, one_code_column=rng.random() < 0.5)
    columns = None
    if shuffle and data.spec.layout != "form":
        columns = printed_columns(data.spec, mdata)
        free = [i for i, c in enumerate(columns) if c.kind == "amount" and not c.under]
        picked = [columns[i] for i in free]
        rng.shuffle(picked)
        for i, c in zip(free, picked, strict=True):
            columns[i] = c
    plan = lay_out(mdata, columns=columns)
    if repeat and data.spec.layout in ("ledger", "indicators") and len(data.rows) > 4:
        repeat_header(plan, rng.randint(2, 4))
    if extra and data.spec.layout == "ledger":
        extra_column(plan)
    return plan


def stack(first: SheetPlan, second: SheetPlan, gap: int = 2) -> SheetPlan:
    """Two tables on one sheet, one below the other."""
    last = max(int("".join(ch for ch in c.ref if ch.isdigit())) for c in first.cells)
    moved = SheetPlan(name=second.name, cells=list(second.cells), merges=list(second.merges))
    shift(moved, 1, last + gap)
    return SheetPlan(name=first.name, cells=first.cells + moved.cells, merges=first.merges + moved.merges)
