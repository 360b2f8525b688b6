"""Line-item input for `gongkai fill`: one row per budget line, plus projects' indicators, 整体绩效 and 政府采购.

The input is an xlsx workbook (sheets 预算明细, 项目绩效, 整体绩效, 政府采购) or a CSV file of budget lines, with
optional sibling CSVs ``<name>-项目绩效.csv``, ``<name>-整体绩效.csv`` and ``<name>-政府采购.csv``. Cells are typed
here, before pydantic sees them: a number stored as text in an xlsx, a negative amount, an unknown code are reported
as Chinese problems with their sheet and row number, never coerced.

Amounts are kept in 元 (``Decimal``, two decimals); a 金额 header that says 万元 is converted exactly.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..core.codes import SANGONG_CODES
from ..core.indicator_values import LEVELS
from ..core.text import clean, fold, parse_number, to_decimal

Kind = Literal["基本支出-人员经费", "基本支出-公用经费", "项目支出"]
Source = Literal[
    "一般公共预算", "政府性基金", "国有资本经营", "事业收入", "事业单位经营收入", "其他收入",
    "上年结转-一般公共预算", "上年结转-政府性基金", "上年结转-国有资本经营", "上年结转-其他",
]
Family = Literal["一般公共预算", "政府性基金", "国有资本经营", "其他"]

KINDS: tuple[Kind, ...] = ("基本支出-人员经费", "基本支出-公用经费", "项目支出")
SOURCES: tuple[Source, ...] = (
    "一般公共预算", "政府性基金", "国有资本经营", "事业收入", "事业单位经营收入", "其他收入",
    "上年结转-一般公共预算", "上年结转-政府性基金", "上年结转-国有资本经营", "上年结转-其他",
)
FISCAL: tuple[Family, ...] = ("一般公共预算", "政府性基金", "国有资本经营")
"""The three kinds of 财政拨款 money."""

NATURES = ("≥", "≤", "=", "定性")
DIRECTIONS = ("正向指标", "反向指标")
MEASURES = ("%", "个", "人", "人次", "次", "项", "件", "台", "套", "家", "户", "所", "期", "天", "月", "年", "万元", "元", "平方米", "公里", "亩", "吨", "分", "篇", "册", "场")
"""度量单位 offered in the templates' dropdown (others are accepted)."""

SHEETS = {"lines": "预算明细", "indicators": "项目绩效", "overall": "整体绩效", "procurement": "政府采购"}

CENT = Decimal("0.01")


class LineItem(BaseModel):
    """One budget line: who spends, on what (功能分类 and 经济分类), which money, how much (元)."""

    model_config = ConfigDict(frozen=True, strict=True)

    row: int
    """Row number in the input (1-based, as the clerk sees it)."""
    unit_code: str
    """单位代码."""
    unit_name: str
    """单位名称."""
    function_code: str
    """功能分类科目编码, 7 digits (项)."""
    economic_code: str
    """经济分类科目编码, 5 digits (款) or 7 (a province's sub-item)."""
    economic_name: str = ""
    """The 经济分类 name, for 7-digit sub-items the code list does not hold."""
    kind: Kind
    """支出类型."""
    source: Source
    """资金来源; 上年结转 money says which kind it is."""
    project: str | None = None
    """项目名称, for 项目支出."""
    amount: Decimal
    """金额 in 元."""

    @property
    def basic(self) -> bool:
        return self.kind != "项目支出"

    @property
    def carried(self) -> bool:
        return self.source.startswith("上年结转")

    @property
    def family(self) -> Family:
        """一般公共预算 / 政府性基金 / 国有资本经营 (this year's or carried over), or 其他."""
        base = self.source.removeprefix("上年结转-")
        return base if base in FISCAL else "其他"  # type: ignore[return-value,unused-ignore]


class Indicator(BaseModel):
    """One performance indicator of a project (or of the department, for 表7)."""

    model_config = ConfigDict(frozen=True, strict=True)

    row: int
    unit_code: str = ""
    project: str = ""
    goal: str = ""
    """年度目标 (the project's, repeated or given once)."""
    level1: str
    level2: str
    level3: str
    nature: str
    value: str
    measure: str = ""
    weight: Decimal
    direction: str = ""


class Purchase(BaseModel):
    """One 政府采购 item."""

    model_config = ConfigDict(frozen=True, strict=True)

    row: int
    unit_code: str
    project: str | None = None
    item: str
    """采购品目."""
    quantity: Decimal | None = None
    amount: Decimal
    """总金额 in 元."""
    sme: bool | None = None
    """专门面向中小企业采购."""
    small: bool | None = None
    prison: bool | None = None
    disabled: bool | None = None
    note: str = ""


class LineItems(BaseModel):
    """Everything `fill` needs: the budget lines and the sheets beside them."""

    model_config = ConfigDict(frozen=True)

    lines: tuple[LineItem, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    """Project indicators (表6)."""
    overall: tuple[Indicator, ...] = ()
    """Department indicators (表7); their ``goal`` is the 年度总体目标."""
    purchases: tuple[Purchase, ...] = ()
    department: str = ""
    """部门名称 when the input names it (整体绩效 sheet's 部门名称)."""

    def units(self) -> dict[str, str]:
        """单位代码 → 单位名称, in input order."""
        out: dict[str, str] = {}
        for line in self.lines:
            out.setdefault(line.unit_code, line.unit_name)
        return out

    def projects(self) -> dict[tuple[str, str], list[LineItem]]:
        """(单位代码, 项目名称) → its lines, in input order."""
        out: dict[tuple[str, str], list[LineItem]] = defaultdict(list)
        for line in self.lines:
            if line.project:
                out[(line.unit_code, line.project)].append(line)
        return dict(out)


class LineItemsError(Exception):
    """Input that cannot be used: ``problems`` lists every one, in Chinese, with its row."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# ---------------------------------------------------------------------------------------------------------
# code lists
# ---------------------------------------------------------------------------------------------------------


@cache
def _codes(name: str) -> dict[str, str]:
    text = (resources.files("gongkai.core") / "data" / name).read_text(encoding="utf-8")
    return {r["code"]: r["name"] for r in csv.DictReader(text.splitlines())}


def function_codes() -> dict[str, str]:
    """功能分类科目: code → name (类, 款 and 项)."""
    return _codes("function_codes.csv")


def economic_codes() -> dict[str, str]:
    """部门经济分类科目: code → name (类 and 款)."""
    return _codes("economic_codes.csv")


def economic_name(code: str, given: str = "") -> str:
    """The name of an economic code; a 7-digit sub-item takes the name given in the input, else its 款 name."""
    names = economic_codes()
    if code in names:
        return names[code]
    return given or names.get(code[:5], code)


# ---------------------------------------------------------------------------------------------------------
# headers
# ---------------------------------------------------------------------------------------------------------

LINE_HEADERS: dict[str, tuple[str, ...]] = {
    "unit_code": ("单位代码", "单位编码"),
    "unit_name": ("单位名称", "单位"),
    "function_code": ("功能分类科目编码", "功能分类编码", "功能科目编码", "功能分类"),
    "economic_code": ("经济分类科目编码", "部门经济分类科目编码", "经济分类编码", "经济科目编码", "经济分类"),
    "economic_name": ("经济分类科目名称", "经济科目名称"),
    "kind": ("支出类型", "支出性质"),
    "source": ("资金来源", "资金性质"),
    "project": ("项目名称", "项目"),
    "amount": ("金额", "金额(元)", "金额(万元)", "预算金额", "预算数"),
}
INDICATOR_HEADERS: dict[str, tuple[str, ...]] = {
    "unit_code": ("单位代码", "单位编码"),
    "project": ("项目名称", "项目"),
    "goal": ("年度目标", "年度绩效目标", "年度总体目标"),
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "nature": ("指标性质", "绩效指标性质"),
    "value": ("指标值", "绩效指标值"),
    "measure": ("度量单位", "计量单位"),
    "weight": ("权重", "权重(%)", "分值"),
    "direction": ("指标方向性", "指标方向", "方向"),
    "department": ("部门名称",),
}
PURCHASE_HEADERS: dict[str, tuple[str, ...]] = {
    "unit_code": ("单位代码", "单位编码"),
    "project": ("项目名称", "项目"),
    "item": ("采购品目", "品目", "采购目录"),
    "quantity": ("数量",),
    "amount": ("总金额", "金额", "金额(元)", "金额(万元)", "采购金额"),
    "sme": ("专门面向中小企业采购", "面向中小企业"),
    "small": ("其中:面向小微企业", "面向小微企业"),
    "prison": ("面向监狱企业",),
    "disabled": ("面向残疾人福利性单位",),
    "note": ("采购说明", "备注"),
}

Raw = str | float | int | bool | None
"""A cell as read: calamine's typed value (xlsx) or text (CSV)."""


class _Sheet:
    """A header row mapped to fields, and the data rows below it, with their row numbers."""

    def __init__(self, name: str, rows: Sequence[Sequence[Raw]], headers: Mapping[str, tuple[str, ...]], from_text: bool) -> None:
        self.name = name
        self.from_text = from_text
        self.columns: dict[str, int] = {}
        self.yuan_factor = Decimal(1)
        self.header_row = 0
        lookup = {fold(h): f for f, hs in headers.items() for h in hs}
        for i, row in enumerate(rows[:10]):
            found = {lookup[_header(v)]: c for c, v in enumerate(row) if v is not None and _header(v) in lookup}
            if len(found) >= 2:
                self.columns = found
                self.header_row = i + 1
                amount = next((str(v) for c, v in enumerate(row) if c == found.get("amount")), "")
                if "万元" in amount:
                    self.yuan_factor = Decimal(10000)
                break
        self.rows = [(i + 1, list(r)) for i, r in enumerate(rows) if i + 1 > self.header_row]

    def get(self, row: Sequence[Raw], field: str) -> Raw:
        c = self.columns.get(field)
        if c is None or c >= len(row):
            return None
        v = row[c]
        if isinstance(v, str) and not v.strip():
            return None
        return v


def _header(v: Raw) -> str:
    """A header folded for matching, without its unit: "金额（元）" → "金额"."""
    h = fold(str(v))
    for unit in ("(元)", "(万元)"):
        h = h.removesuffix(unit)
    return h


def _text(v: Raw) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return clean(str(v))


class _Parser:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, sheet: str, row: int, message: str) -> None:
        self.problems.append(f"{sheet} 第{row}行：{message}")

    def number(self, sheet: _Sheet, row: int, label: str, v: Raw, *, money: bool = True, negative_ok: bool = False) -> Decimal | None:
        """A typed number; text numbers (in an xlsx), non-numbers and negatives are problems."""
        if v is None:
            return None
        value: Decimal | None
        if isinstance(v, bool):
            value = None
        elif isinstance(v, (int, float)):
            value = to_decimal(v)
        else:
            value = parse_number(v)
            if value is not None and not sheet.from_text:
                self.problem(sheet.name, row, f"{label}「{v}」是存为文本的数字，请改为数值")
                return None
        if value is None:
            self.problem(sheet.name, row, f"{label}「{v}」不是数字")
            return None
        if value < 0 and not negative_ok:
            self.problem(sheet.name, row, f"{label}为负数（{v}），预算金额不能为负")
            return None
        if money:
            value = value * sheet.yuan_factor
            if value != value.quantize(CENT):
                self.problem(sheet.name, row, f"{label}「{v}」折合元后超过两位小数")
                return None
            value = value.quantize(CENT)
        return value

    # -- budget lines ------------------------------------------------------------------------------------

    def lines(self, sheet: _Sheet) -> list[LineItem]:
        missing = [f for f in ("unit_code", "function_code", "economic_code", "kind", "source", "amount") if f not in sheet.columns]
        if missing:
            self.problem(sheet.name, sheet.header_row or 1, f"缺少列：{'、'.join(LINE_HEADERS[f][0] for f in missing)}")
            return []
        out: list[LineItem] = []
        names: dict[str, tuple[str, int]] = {}
        fcodes, ecodes = function_codes(), economic_codes()
        for r, row in sheet.rows:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            before = len(self.problems)
            unit = _text(sheet.get(row, "unit_code"))
            name = _text(sheet.get(row, "unit_name"))
            if not unit:
                self.problem(sheet.name, r, "缺少单位代码")
            if not name and unit in names:
                name = names[unit][0]
            if not name:
                self.problem(sheet.name, r, "缺少单位名称")
            elif unit:
                seen = names.setdefault(unit, (name, r))
                if seen[0] != name:
                    self.problem(sheet.name, r, f"单位代码 {unit} 的单位名称「{name}」与第{seen[1]}行的「{seen[0]}」不一致")
            fcode = _text(sheet.get(row, "function_code")).replace(" ", "")
            if not (len(fcode) == 7 and fcode.isdigit()):
                self.problem(sheet.name, r, f"功能分类科目编码「{fcode}」应为7位数字（到项）")
            elif fcode not in fcodes:
                self.problem(sheet.name, r, f"未知的功能分类科目编码 {fcode}")
            ecode = _text(sheet.get(row, "economic_code")).replace(" ", "")
            if not (len(ecode) in (5, 7) and ecode.isdigit()):
                self.problem(sheet.name, r, f"经济分类科目编码「{ecode}」应为5位（款）或7位数字")
            elif ecode[:5] not in ecodes:
                self.problem(sheet.name, r, f"未知的经济分类科目编码 {ecode}")
            kind = _kind(_text(sheet.get(row, "kind")))
            if kind is None:
                self.problem(sheet.name, r, f"支出类型「{_text(sheet.get(row, 'kind'))}」应为 {' / '.join(KINDS)}")
            source_text = _text(sheet.get(row, "source"))
            source = _source(source_text)
            if source is None:
                hint = "（上年结转请写明资金性质，如「上年结转-一般公共预算」）" if "结转" in source_text else ""
                self.problem(sheet.name, r, f"资金来源「{source_text}」无法识别{hint}")
            project = _text(sheet.get(row, "project")) or None
            if kind == "项目支出" and not project:
                self.problem(sheet.name, r, "项目支出缺少项目名称")
            if kind is not None and kind != "项目支出" and project:
                self.problem(sheet.name, r, f"基本支出不应填写项目名称（「{project}」）")
            raw_amount = sheet.get(row, "amount")
            amount = self.number(sheet, r, "金额", raw_amount)
            if raw_amount is None:
                self.problem(sheet.name, r, "缺少金额")
            if len(self.problems) > before or amount is None or kind is None or source is None:
                continue
            out.append(LineItem(
                row=r, unit_code=unit, unit_name=name, function_code=fcode, economic_code=ecode,
                economic_name=_text(sheet.get(row, "economic_name")), kind=kind, source=source, project=project,
                amount=amount,
            ))
        if not out and not self.problems:
            self.problem(sheet.name, sheet.header_row or 1, "没有预算明细行")
        return out

    # -- indicators ------------------------------------------------------------------------------------

    def indicators(self, sheet: _Sheet, *, projects: bool) -> tuple[list[Indicator], str]:
        out: list[Indicator] = []
        department = ""
        goal = ""
        last_project = ""
        for r, row in sheet.rows:
            texts = {f: _text(sheet.get(row, f)) for f in INDICATOR_HEADERS if f != "weight"}
            department = department or texts["department"]
            if not any(texts[f] for f in ("level1", "level2", "level3", "value")):
                continue
            project = texts["project"] or (last_project if projects else "")
            if project != last_project:
                goal = ""
            last_project = project
            goal = texts["goal"] or goal
            before = len(self.problems)
            if projects and not project:
                self.problem(sheet.name, r, "缺少项目名称")
            weight = self.number(sheet, r, "权重", sheet.get(row, "weight"), money=False)
            if weight is None and sheet.get(row, "weight") is None:
                self.problem(sheet.name, r, "缺少权重")
            self._indicator_rules(sheet.name, r, texts)
            if len(self.problems) > before or weight is None:
                continue
            out.append(Indicator(
                row=r, unit_code=texts["unit_code"], project=project, goal=goal, level1=texts["level1"],
                level2=texts["level2"], level3=texts["level3"], nature=texts["nature"], value=texts["value"],
                measure=texts["measure"], weight=weight, direction=texts["direction"],
            ))
        return out, department

    def _indicator_rules(self, sheet: str, r: int, t: Mapping[str, str]) -> None:
        if t["level1"] not in LEVELS:
            self.problem(sheet, r, f"一级指标「{t['level1']}」应为 {' / '.join(LEVELS)}")
        elif t["level2"] not in LEVELS[t["level1"]]:
            self.problem(sheet, r, f"二级指标「{t['level2']}」不属于{t['level1']}（应为 {' / '.join(LEVELS[t['level1']])}）")
        if not t["level3"]:
            self.problem(sheet, r, "缺少三级指标")
        nature = t["nature"]
        if nature not in NATURES:
            self.problem(sheet, r, f"指标性质「{nature}」应为 ≥ / ≤ / = / 定性")
            return
        if not t["value"]:
            self.problem(sheet, r, "缺少指标值")
        elif nature == "定性":
            if t["measure"]:
                self.problem(sheet, r, f"定性指标不应有度量单位（「{t['measure']}」）")
        else:
            value = parse_number(t["value"])
            if value is None:
                self.problem(sheet, r, f"定量指标（{nature}）的指标值「{t['value']}」应为数字")
            elif t["measure"] == "%" and not 0 <= value <= 100:
                self.problem(sheet, r, f"百分比指标值 {t['value']} 应在 0 到 100 之间")
            if not t["measure"]:
                self.problem(sheet, r, "定量指标缺少度量单位")
        direction = t["direction"]
        if direction and direction not in DIRECTIONS:
            self.problem(sheet, r, f"指标方向性「{direction}」应为 正向指标 / 反向指标")
        elif (direction, nature) in (("正向指标", "≤"), ("反向指标", "≥")):
            self.problem(sheet, r, f"指标方向性「{direction}」与指标性质「{nature}」不符")

    # -- procurement -----------------------------------------------------------------------------------

    def purchases(self, sheet: _Sheet) -> list[Purchase]:
        out: list[Purchase] = []
        for r, row in sheet.rows:
            item = _text(sheet.get(row, "item"))
            unit = _text(sheet.get(row, "unit_code"))
            raw = sheet.get(row, "amount")
            if not item and not unit and raw is None:
                continue
            before = len(self.problems)
            if not unit:
                self.problem(sheet.name, r, "缺少单位代码")
            if not item:
                self.problem(sheet.name, r, "缺少采购品目")
            amount = self.number(sheet, r, "总金额", raw)
            if raw is None:
                self.problem(sheet.name, r, "缺少总金额")
            quantity = self.number(sheet, r, "数量", sheet.get(row, "quantity"), money=False)
            flags: dict[str, bool | None] = {}
            for f in ("sme", "small", "prison", "disabled"):
                text = _text(sheet.get(row, f))
                flags[f] = {"是": True, "否": False, "": None}.get(text)
                if text and flags[f] is None:
                    self.problem(sheet.name, r, f"「{PURCHASE_HEADERS[f][0]}」应填 是 或 否（「{text}」）")
            if len(self.problems) > before or amount is None:
                continue
            out.append(Purchase(
                row=r, unit_code=unit, project=_text(sheet.get(row, "project")) or None, item=item, quantity=quantity,
                amount=amount, note=_text(sheet.get(row, "note")), **flags,
            ))
        return out


def _kind(text: str) -> Kind | None:
    t = fold(text).replace("-", "").replace("—", "").replace("/", "")
    if t in ("基本支出人员经费", "人员经费"):
        return "基本支出-人员经费"
    if t in ("基本支出公用经费", "公用经费"):
        return "基本支出-公用经费"
    if t in ("项目支出", "项目"):
        return "项目支出"
    return None


_SOURCE_ALIASES = {
    "一般公共预算": "一般公共预算", "一般公共预算拨款": "一般公共预算", "一般公共预算拨款收入": "一般公共预算", "财政拨款": "一般公共预算",
    "政府性基金": "政府性基金", "政府性基金预算": "政府性基金", "政府性基金预算拨款": "政府性基金",
    "国有资本经营": "国有资本经营", "国有资本经营预算": "国有资本经营", "国有资本经营预算拨款": "国有资本经营",
    "事业收入": "事业收入", "事业单位经营收入": "事业单位经营收入", "经营收入": "事业单位经营收入", "其他收入": "其他收入",
}


def _source(text: str) -> Source | None:
    t = fold(text).replace("—", "-").replace("－", "-")
    if t.startswith("上年结转"):
        rest = t.removeprefix("上年结转").lstrip("-(").rstrip(")")
        base = _SOURCE_ALIASES.get(rest)
        if base in FISCAL:
            return f"上年结转-{base}"  # type: ignore[return-value]
        if base is not None or rest in ("其他", "其他资金"):
            return "上年结转-其他"
        return None
    return _SOURCE_ALIASES.get(t)  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------------
# cross-sheet rules and entry points
# ---------------------------------------------------------------------------------------------------------


def _cross_rules(p: _Parser, items: LineItems, weight_totals: Iterable[Decimal]) -> None:
    units = items.units()
    projects = items.projects()
    sub_items = {x.economic_code[:5] for x in items.lines if len(x.economic_code) == 7}
    for x in items.lines:  # a 款 printed as the sum of its sub-items cannot also hold money of its own
        if len(x.economic_code) == 5 and x.economic_code in sub_items:
            p.problem(SHEETS["lines"], x.row, f"经济分类 {x.economic_code} 已有7位明细科目，本行也请用7位明细科目")
    by_project: dict[str, list[Indicator]] = defaultdict(list)
    for ind in items.indicators:
        by_project[ind.project].append(ind)
    allowed = tuple(weight_totals)
    for (unit, name), lines in projects.items():
        if name not in by_project:
            p.problem(SHEETS["lines"], lines[0].row, f"项目「{name}」（{units[unit]}）没有绩效指标（请在「{SHEETS['indicators']}」表填写）")
    known = {name for _, name in projects}
    for name, inds in by_project.items():
        if name not in known:
            p.problem(SHEETS["indicators"], inds[0].row, f"项目「{name}」不在预算明细中")
            continue
        total = sum((i.weight for i in inds), Decimal(0))
        if total not in allowed:
            p.problem(SHEETS["indicators"], inds[0].row, f"项目「{name}」的指标权重合计为 {total}，应为 {' 或 '.join(str(a) for a in allowed)}")
        if not inds[0].goal:
            p.problem(SHEETS["indicators"], inds[0].row, f"项目「{name}」缺少年度目标")
    if items.overall:
        total = sum((i.weight for i in items.overall), Decimal(0))
        if total not in allowed:
            p.problem(SHEETS["overall"], items.overall[0].row, f"部门整体绩效指标权重合计为 {total}，应为 {' 或 '.join(str(a) for a in allowed)}")
    spent: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    for buy in items.purchases:
        if buy.unit_code not in units:
            p.problem(SHEETS["procurement"], buy.row, f"单位代码 {buy.unit_code} 不在预算明细中")
        elif buy.project and (buy.unit_code, buy.project) not in projects:
            p.problem(SHEETS["procurement"], buy.row, f"项目「{buy.project}」不是该单位的预算项目")
        spent[(buy.unit_code, buy.project)] += buy.amount
    for (unit, project), amount in spent.items():
        if project and (unit, project) in projects:
            budget = sum((line.amount for line in projects[(unit, project)]), Decimal(0))
            if amount > budget:
                p.problem(SHEETS["procurement"], next(b.row for b in items.purchases if b.project == project), f"项目「{project}」的采购金额 {amount} 元超过项目预算 {budget} 元")


def parse_grids(
    sheets: Mapping[str, Sequence[Sequence[Raw]]], *, from_text: bool = False,
    weight_totals: Iterable[Decimal] = (Decimal(100), Decimal(90)),
) -> tuple[LineItems, list[str]]:
    """Line items from grids by sheet name (预算明细, 项目绩效, 整体绩效, 政府采购) and the problems found.

    ``from_text``: every cell is text (CSV), so numbers written as text are expected, not reported.
    """
    p = _Parser()
    lines_grid = sheets.get(SHEETS["lines"])
    if lines_grid is None:  # a workbook whose first sheet holds the lines under another name
        lines_grid = next(iter(sheets.values()), [])
    lines = p.lines(_Sheet(SHEETS["lines"], lines_grid, LINE_HEADERS, from_text))
    indicators: list[Indicator] = []
    overall: list[Indicator] = []
    department = ""
    if SHEETS["indicators"] in sheets:
        indicators, _ = p.indicators(_Sheet(SHEETS["indicators"], sheets[SHEETS["indicators"]], INDICATOR_HEADERS, from_text), projects=True)
    if SHEETS["overall"] in sheets:
        overall, department = p.indicators(_Sheet(SHEETS["overall"], sheets[SHEETS["overall"]], INDICATOR_HEADERS, from_text), projects=False)
    purchases = p.purchases(_Sheet(SHEETS["procurement"], sheets[SHEETS["procurement"]], PURCHASE_HEADERS, from_text)) if SHEETS["procurement"] in sheets else []
    items = LineItems(lines=tuple(lines), indicators=tuple(indicators), overall=tuple(overall), purchases=tuple(purchases), department=department)
    _cross_rules(p, items, weight_totals)
    return items, p.problems


def load(path: str | Path, weight_totals: Iterable[Decimal] = (Decimal(100), Decimal(90))) -> tuple[LineItems, list[str]]:
    """Line items from an xlsx workbook or a CSV file (with optional ``<stem>-项目绩效.csv`` … beside it)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        grids: dict[str, list[list[Raw]]] = {SHEETS["lines"]: _read_csv(path)}
        for key in ("indicators", "overall", "procurement"):
            sibling = path.with_name(f"{path.stem}-{SHEETS[key]}{path.suffix}")
            if sibling.exists():
                grids[SHEETS[key]] = _read_csv(sibling)
        return parse_grids(grids, from_text=True, weight_totals=weight_totals)
    from ..read import read_workbook

    sheets = read_workbook(path)
    return parse_grids({s.name: s.rows for s in sheets}, weight_totals=weight_totals)


def _read_csv(path: Path) -> list[list[Raw]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise LineItemsError([f"{path.name}：无法识别文件编码（请存为 UTF-8）"])
    return [[c if c.strip() else None for c in row] for row in csv.reader(text.splitlines())]


def line_rows(items: LineItems) -> list[list[Raw]]:
    """The 预算明细 sheet as rows (header first), 金额 in 元: how `sample` and the examples write the input."""
    header: list[Raw] = ["单位代码", "单位名称", "功能分类科目编码", "经济分类科目编码", "支出类型", "资金来源", "项目名称", "金额（元）"]
    rows: list[list[Raw]] = [header]
    rows += [
        [x.unit_code, x.unit_name, x.function_code, x.economic_code, x.kind, x.source, x.project or None, float(x.amount)]
        for x in items.lines
    ]
    return rows


def indicator_rows(indicators: Iterable[Indicator], *, projects: bool, department: str = "") -> list[list[Raw]]:
    """The 项目绩效 / 整体绩效 sheet as rows (header first); 年度目标 written on a project's first row only."""
    lead: list[Raw] = ["单位代码", "项目名称", "年度目标"] if projects else ["部门名称", "年度总体目标"]
    header: list[Raw] = [*lead, "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向性"]
    rows: list[list[Raw]] = [header]
    last = None
    for i in indicators:
        first = (i.unit_code, i.project) != last
        last = (i.unit_code, i.project)
        lead_values: list[Raw] = [i.unit_code, i.project, i.goal if first else None] if projects else [department if first else None, i.goal if first else None]
        rows.append([*lead_values, i.level1, i.level2, i.level3, i.nature, i.value, i.measure or None, float(i.weight), i.direction or None])
    return rows


def purchase_rows(purchases: Iterable[Purchase]) -> list[list[Raw]]:
    """The 政府采购 sheet as rows (header first), 金额 in 元."""
    header: list[Raw] = ["单位代码", "项目名称", "采购品目", "数量", "总金额（元）", "专门面向中小企业采购", "其中：面向小微企业", "面向监狱企业", "面向残疾人福利性单位", "采购说明"]
    yes = {True: "是", False: "否", None: None}
    return [header] + [
        [b.unit_code, b.project, b.item, float(b.quantity) if b.quantity is not None else None, float(b.amount),
         yes[b.sme], yes[b.small], yes[b.prison], yes[b.disabled], b.note or None]
        for b in purchases
    ]


__all__ = [
    "FISCAL", "KINDS", "LEVELS", "SANGONG_CODES", "SOURCES", "Indicator", "LineItem", "LineItems", "LineItemsError",
    "Purchase", "economic_codes", "economic_name", "function_codes", "load", "parse_grids",
]
