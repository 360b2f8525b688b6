"""Every 公开表, declared once: id, titles, header columns and their synonyms, row structure.

The reader matches titles and headers against these specs, the rules name columns by their keys, the templates
draw their headers from them and `docs/tables.md` is generated from them. Source: `shared/domain/TABLES.md`.

A column's *key* is its canonical header path: "合计", or "一般公共预算拨款/基本支出" for a column under a group
header. Rules and reports use keys; sheets may print any of the column's ``names`` under any of its ``under``
groups.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Literal

from .text import fold

Kind = Literal[
    "amount",  # money, scaled by the sheet's 金额单位 to 万元
    "code",  # a whole 科目编码 in one cell
    "code_part",  # 类 / 款 / 项 in separate cells
    "name",  # the row's label: 科目名称, 单位名称, 项目
    "unit_code",  # 单位代码
    "project",  # 项目名称, often "项目编码-项目名称"
    "text",  # free text kept as written (cleaned)
    "number",  # a count or weight, not money
    "percent",  # 执行率, 得分率
    "flag",  # 是 / 否
]
Layout = Literal["ledger", "sided", "indicators", "form"]
CodeKind = Literal["function", "economic"]


@dataclass(frozen=True)
class Col:
    """One header column: the texts it may be printed as and the group headers it sits under."""

    names: tuple[str, ...]
    kind: Kind = "amount"
    under: tuple[tuple[str, ...], ...] = ()
    """Group headers above it, outermost first; each a set of accepted spellings."""
    required: bool = True
    block: bool = False
    """Indicator tables: merged over a project's block of rows and filled down by the reader."""
    template: bool | None = None
    """Templates: True prints an optional column all the same (a form column some provinces leave out); False never
    prints it (a variant the reader knows, such as Shanghai's 财政拨款收入 or 机关运行经费); None prints required ones
    and, in blank templates, the optional ones."""
    section: str = ""
    """Form tables: which grid of the form the column belongs to."""

    @cached_property
    def key(self) -> str:
        if self.kind == "code_part":  # 类 / 款 / 项, whichever group header stands above them
            return self.names[0]
        return "/".join([*(u[0] for u in self.under), self.names[0]])

    @property
    def name(self) -> str:
        return self.names[0]

    @cached_property
    def folded_names(self) -> frozenset[str]:
        return frozenset(fold(n) for n in self.names)

    @cached_property
    def folded_under(self) -> tuple[frozenset[str], ...]:
        return tuple(frozenset(fold(n) for n in alts) for alts in self.under)


def col(*names: str, kind: Kind = "amount", under: tuple[str, ...] | tuple[tuple[str, ...], ...] = (), **kw: bool | str) -> Col:
    """Shorthand: ``col("合计", "总计")``; ``under=("一般公共预算拨款", "一般公共预算")`` for one group."""
    groups: tuple[tuple[str, ...], ...] = (under,) if under and isinstance(under[0], str) else under  # type: ignore[assignment]
    return Col(names=names, kind=kind, under=groups, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Item:
    """A fixed row of a sided table (部门收支总表): its key, accepted labels and the item it belongs under."""

    key: str
    labels: tuple[str, ...] = ()
    parent: str | None = None
    total_of: tuple[str, ...] = ()
    """Keys this row is the sum of, when it is a total; "类" stands for every 功能分类 类 row of the side."""
    template: bool = True
    """Printed in gongkai's templates (财政拨款收入, a line only some provinces print, is not)."""

    @cached_property
    def folded(self) -> frozenset[str]:
        return frozenset(fold(x) for x in (self.key, *self.labels))


@dataclass(frozen=True)
class Side:
    """One side of a sided table: the 收入 side or the 支出 side."""

    name: str
    under: tuple[str, ...]
    items: tuple[Item, ...]
    classes: bool = False
    """The side lists 功能分类 类 rows (一般公共服务支出 …) between its fixed items."""

    def printed_parts(self, keys: tuple[str, ...], printed: Container[str]) -> list[str]:
        """The item keys a total adds up among those printed; a total not printed stands for its own parts
        (本年支出合计 → the 类 rows; 财政拨款收入 → its three sources). "类" passes through."""
        totals = {i.key: i.total_of for i in self.items if i.total_of}
        out: list[str] = []
        for key in keys:
            if key == "类" or key in printed:
                out.append(key)
            elif key in totals:
                out += self.printed_parts(totals[key], printed)
        return out


@dataclass(frozen=True)
class Field:
    """A labelled value of a form table (表7's 资金总额, the 自评表's 项目名称)."""

    key: str
    labels: tuple[str, ...] = ()
    kind: Kind = "text"
    under: tuple[str, ...] = ()
    """Only under one of these group labels (the 合计 of 收入构成 is 资金总额, that of 支出构成 is 支出合计)."""
    optional: bool = False
    """Read where a form prints it; templates leave it out."""

    @cached_property
    def folded(self) -> frozenset[str]:
        return frozenset(fold(x) for x in ((self.key, *self.labels) if not self.under else self.labels))

    @cached_property
    def folded_under(self) -> frozenset[str]:
        return frozenset(fold(x) for x in self.under)


@dataclass(frozen=True)
class TableSpec:
    """One 公开表 as the reader, the rules, the templates and the docs know it."""

    id: str
    title: str
    number: str
    """The table's number in the Ministry of Finance template ("表1"); provinces number differently."""
    columns: tuple[Col, ...]
    layout: Layout = "ledger"
    aliases: tuple[str, ...] = ()
    codes: CodeKind | None = None
    units: bool = False
    """Rows are grouped by 单位: a unit subtotal row, then the unit's rows."""
    sides: tuple[Side, ...] = ()
    fields: tuple[Field, ...] = ()
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Column equations on every row: (total column key, part column keys)."""
    halves: tuple[str, ...] = ()
    """A ledger that may be printed as two ledgers side by side (人员经费 | 公用经费, each 编码 | 名称 | 决算数): the
    name of each half, left to right. Its rows carry the half as their ``side``."""
    description: str = ""

    @property
    def side(self) -> Literal["budget", "final"]:
        return "budget" if self.id.startswith("budget.") else "final"

    @cached_property
    def titles(self) -> tuple[str, ...]:
        return tuple(fold(t) for t in (self.title, *self.aliases))

    def column(self, key: str) -> Col:
        found = self._by_key.get(key)
        if found is None:
            raise KeyError(f"{self.id} has no column {key!r}")
        return found

    @cached_property
    def _by_key(self) -> dict[str, Col]:
        """The columns by key; the first of a key wins, as the search along ``columns`` found it."""
        out: dict[str, Col] = {}
        for c in self.columns:
            out.setdefault(c.key, c)
        return out

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def printed_parts(self, keys: Iterable[str], printed: Container[str]) -> list[str]:
        """The part columns a sheet prints; a part it leaves out stands for its own parts when those are printed.

        基本支出 not printed but 人员经费 and 公用经费 under it: 合计 = 人员经费 + 公用经费 + 项目支出.
        """
        out: list[str] = []
        for key in keys:
            if key in printed:
                out.append(key)
                continue
            own = next((parts for total, parts in self.sums if total == key), None)
            if own is not None:
                out += self.printed_parts(own, printed)
        return out


# ---------------------------------------------------------------------------------------------------------
# Column vocabulary shared by several tables
# ---------------------------------------------------------------------------------------------------------

CODE_GROUP = ("科目编码", "功能分类科目编码", "支出功能分类科目编码", "部门经济分类科目编码", "经济分类科目编码", "部门预算经济分类科目编码", "编码", "功能分类", "支出功能分类", "经济分类")


def code_cols(*levels: str) -> tuple[Col, ...]:
    """类/款/项 columns under 科目编码, and the one-cell 科目编码 alternative."""
    parts = tuple(col(level, kind="code_part", under=CODE_GROUP, required=False) for level in levels)
    whole = col(*CODE_GROUP, kind="code", required=False)
    return (*parts, whole)


FUNCTION_CODE = code_cols("类", "款", "项")
ECONOMIC_CODE = code_cols("类", "款", "项")
SUBJECT = col("科目名称", "功能分类科目名称", "经济分类科目名称", "部门经济分类科目名称", "单位名称", "单位(科目)名称", "单位名称(科目)", "项目", "名称", kind="name")
UNIT_CODE = col("单位代码", "单位编码", "单位编号", kind="unit_code", required=False)
UNIT_NAME = col("单位名称", "预算单位", "单位", "单位名称(科目)", "单位名称/项目名称", kind="name")
TOTAL = col("合计", "总计", "小计", "本年支出合计", "支出合计")
BASIC = col("基本支出")
PROJECT = col("项目支出")

SANGONG_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("合计", ("总计", "三公经费合计", "三公经费")),
    ("因公出国(境)费", ("因公出国(境)费用", "因公出国(境)经费", "出国(境)费")),
    ("公务用车购置及运行费", ("公务用车购置及运行维护费", "公务用车费", "小计")),
    ("公务用车购置费", ("购置费", "公务用车购置")),
    ("公务用车运行费", ("公务用车运行维护费", "运行费", "运行维护费")),
    ("公务接待费", ("接待费",)),
)
VEHICLE = ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车费")


def sangong_cols(under: tuple[str, ...] = ()) -> tuple[Col, ...]:
    """The 三公 columns, optionally under a 预算数 / 决算数 group."""
    cols = []
    for name, synonyms in SANGONG_NAMES:
        groups: list[tuple[str, ...]] = [under] if under else []
        if name in ("公务用车购置费", "公务用车运行费"):
            cols.append(Col(names=(name, *synonyms), under=(*groups, VEHICLE), required=True))
            continue
        cols.append(Col(names=(name, *synonyms), under=tuple(groups)))
    return tuple(cols)


def sangong_sums(prefix: str = "") -> tuple[tuple[str, tuple[str, ...]], ...]:
    p = f"{prefix}/" if prefix else ""
    car = f"{p}公务用车购置及运行费"
    return (
        (f"{p}合计", (f"{p}因公出国(境)费", car, f"{p}公务接待费")),
        (car, (f"{car}/公务用车购置费", f"{car}/公务用车运行费")),
    )


INDICATOR_COLS = (
    col("一级指标", kind="text"),
    col("二级指标", kind="text"),
    col("三级指标", "指标名称", "指标内容", "三级指标名称", kind="text"),
    col("指标性质", "绩效指标性质", "指标值性质", "运算符号", "指标值类型", kind="text"),
    col("指标值", "绩效指标值", "指标值(包含数字及文字描述)", "目标值", "年度(/项目)指标值", "年度指标值", "指标值及单位",
        "年度目标值", "绩效目标值", kind="text"),
    col("度量单位", "计量单位", "指标单位", "绩效度量单位", kind="text"),
    col("权重", "权重(%)", "指标权重", "分值", kind="number"),
    col("指标方向性", "方向", "指标方向", kind="text", required=False),
    col("指标解释", kind="text", required=False),
    col("评(扣)分标准", "评分标准", "评扣分标准", kind="text", required=False),
    col("绩效标准", kind="text", required=False),
    col("备注", kind="text", required=False),
)

FORM_OPTIONAL = frozenset({"指标性质", "度量单位", "权重"})
"""Indicator columns a published form may lack (provincial forms print 指标值 with its sign and unit inside, and
no 指标性质, 度量单位 or 权重): their absence is not a reading problem there."""

FORM_LABELS = (
    "项目性质", "项目类别", "项目属性", "计划开始日期", "计划完成日期", "财政处室", "部门联系人", "联系电话", "填报人",
    "项目负责人", "财务负责人", "主管部门编码", "填报日期", "报表编号", "项目基本情况", "项目概况", "项目立项的依据",
    "项目实施进度计划", "项目绩效目标", "年度总体目标", "绩效指标", "年度绩效指标", "长期绩效指标", "本年度绩效指标",
    "收入构成", "支出构成", "项目", "当年金额", "占比", "评价结论", "存在问题", "改进措施", "部门总体资金情况",
    "2.项目实施内容及过程概述", "1.项目年度目标完成情况", "项目资金", "项目资金(万元)", "项目资金(元)",
    "项目预算成本构成", "成本构成",
)
"""Labels of a form that are not values (a value search stops at them): the form reader never takes them for the
value of the label on their left."""

GRID_END_LABELS = ("合计", "总计", "总分", "自评得分", "自评总分", "评价结论", "存在问题", "改进措施", "项目负责人",
                   "财务负责人", "填表人", "审核人", "备注", "说明", "注")
"""A row of an indicator grid that begins with one of these ends the grid (the weight total, the score line, notes)."""

FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
"""功能分类 类: the rows of the 支出 side of the summary tables."""

FORMER_CLASS_NAMES: dict[str, str] = {
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "文化体育与传媒支出": "207",
    "国土海洋气象等支出": "220",
    "国土资源气象等支出": "220",
    "资源勘探信息等支出": "215",
    "资源勘探电力信息等支出": "215",
    "城乡社区事务": "212",
    "粮油物资储备管理等事务": "222",
}
"""功能分类 类 names the 科目 used before (2018 and earlier): still printed by some tables; read as their 类."""


def _ledger(
    id: str, title: str, number: str, amounts: tuple[Col, ...], *, codes: CodeKind | None = "function",
    units: bool = True, aliases: tuple[str, ...] = (), sums: tuple[tuple[str, tuple[str, ...]], ...] = (),
    description: str = "", lead: tuple[Col, ...] | None = None, halves: tuple[str, ...] = (),
) -> TableSpec:
    code = FUNCTION_CODE if codes == "function" else ECONOMIC_CODE if codes == "economic" else ()
    first = lead if lead is not None else (*code, SUBJECT)
    return TableSpec(
        id=id, title=title, number=number, columns=(*first, *amounts), codes=codes, units=units,
        aliases=aliases, sums=sums, description=description, halves=halves,
    )


# ---------------------------------------------------------------------------------------------------------
# Budget side (部门预算)
# ---------------------------------------------------------------------------------------------------------

REVENUE_SOURCES = (
    ("一般公共预算拨款收入", ("一般公共预算拨款", "一般公共预算", "一般公共预算收入", "一般公共预算资金")),
    ("政府性基金预算拨款收入", ("政府性基金预算拨款", "政府性基金预算", "政府性基金拨款收入", "政府性基金")),
    ("国有资本经营预算拨款收入", ("国有资本经营预算拨款", "国有资本经营预算")),
    ("事业收入", ("事业收入(不含教育收费)",)),
    ("事业单位经营收入", ("经营收入",)),
    ("其他收入", ()),
)

BUDGET_SUMMARY = TableSpec(
    id="budget.summary",
    title="部门收支总表",
    aliases=("部门收支预算总表", "收支预算总表", "财务收支预算总表", "部门收支总表"),
    number="表1",
    layout="sided",
    columns=(
        col("项目", "收入项目", kind="name", under=("收入",)),
        col("预算数", "金额", "预算金额", "本年预算数", "本年预算", under=("收入",)),
        col("项目", "支出项目", kind="name", under=("支出",)),
        col("预算数", "金额", "预算金额", "本年预算数", "本年预算", "合计", under=("支出",)),
        col("基本支出", under=("支出",), required=False, template=False),
        col("人员经费", under=("支出",), required=False, template=False),
        col("公用经费", under=("支出",), required=False, template=False),
        col("项目支出", under=("支出",), required=False, template=False),
    ),
    sides=(
        Side("收入", ("收入",), (
            Item("财政拨款收入", ("财政拨款", "财政拨款收入合计"), total_of=tuple(k for k, _ in REVENUE_SOURCES[:3]), template=False),
            *(Item(key, labels) for key, labels in REVENUE_SOURCES),
            Item("本年收入合计", ("本年收入小计",), total_of=("财政拨款收入", *(k for k, _ in REVENUE_SOURCES[3:]))),
            Item("用事业基金弥补收支差额", ("用事业基金弥补收支缺口",)),
            Item("上年结转", ("上年结转结余", "上年结转收入")),
            Item("收入总计", ("收入合计", "总计"), total_of=("本年收入合计", "用事业基金弥补收支差额", "上年结转")),
        )),
        Side("支出", ("支出",), (
            Item("本年支出合计", ("本年支出小计",), total_of=("类",)),
            Item("事业单位结余分配", ("结余分配",)),
            Item("结转下年", ("年末结转和结余", "结转下年支出")),
            Item("支出总计", ("支出合计", "总计"), total_of=("本年支出合计", "事业单位结余分配", "结转下年")),
        ), classes=True),
    ),
    sums=(
        ("支出/预算数", ("支出/基本支出", "支出/项目支出")),
        ("支出/基本支出", ("支出/人员经费", "支出/公用经费")),
    ),
    description="收入 by source and 支出 by 功能分类 类; 收入总计 = 支出总计.",
)

BUDGET_REVENUE = _ledger(
    "budget.revenue", "部门收入总表", "表1-1",
    (
        TOTAL,
        col("上年结转", "上年结转收入", "上年结转结余", required=False, template=True),
        col("财政拨款收入", "财政拨款", required=False, template=False),
        *(Col(names=(k, *s), required=False, template=True if k != "国有资本经营预算拨款收入" else None) for k, s in REVENUE_SOURCES),
        col("用事业基金弥补收支差额", required=False),
    ),
    aliases=("部门收入预算总表", "收入预算总表"),
    lead=(UNIT_CODE, *(replace(c, template=False) for c in FUNCTION_CODE), Col(names=(*UNIT_NAME.names, *SUBJECT.names[:5]), kind="name")),
    sums=(
        ("合计", ("上年结转", "财政拨款收入", *(k for k, _ in REVENUE_SOURCES[3:]), "用事业基金弥补收支差额")),
        ("财政拨款收入", tuple(k for k, _ in REVENUE_SOURCES[:3])),
    ),
    description="合计, the department, then each unit (单位代码 + 单位名称), by source of revenue.",
)

EXPENDITURE_EXTRA = (
    col("上缴上级支出", required=False),
    col("事业单位经营支出", "经营支出", required=False),
    col("对下级单位补助支出", "对附属单位补助支出", required=False),
)

BUDGET_EXPENDITURE = _ledger(
    "budget.expenditure", "部门支出总表", "表1-2",
    (TOTAL, BASIC, PROJECT, *EXPENDITURE_EXTRA),
    aliases=("部门支出预算总表", "支出预算总表"),
    sums=(("合计", ("基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对下级单位补助支出")),),
    description="合计; per unit a subtotal row, then its 功能分类 项 rows.",
)

BUDGET_FISCAL_SUMMARY = TableSpec(
    id="budget.fiscal_summary",
    title="财政拨款收支预算总表",
    aliases=("财政拨款收支总表", "财政拨款收支预算表"),
    number="表2",
    layout="sided",
    columns=(
        col("项目", "收入项目", kind="name", under=("收入",)),
        col("预算数", "金额", "预算金额", under=("收入",)),
        col("项目", "支出项目", kind="name", under=("支出",)),
        col("合计", "总计", "预算数", under=("支出",)),
        col("一般公共预算", "一般公共预算拨款", "一般公共预算财政拨款", under=("支出",)),
        col("政府性基金预算", "政府性基金预算拨款", "政府性基金", under=("支出",)),
        col("国有资本经营预算", "国有资本经营预算拨款", under=("支出",), required=False),
    ),
    sides=(
        Side("收入", ("收入",), (
            Item("本年收入", ("本年收入合计", "本年收入小计"), total_of=("本年收入/一般公共预算", "本年收入/政府性基金预算", "本年收入/国有资本经营预算")),
            Item("本年收入/一般公共预算", ("一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算"), parent="本年收入"),
            Item("本年收入/政府性基金预算", ("政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算"), parent="本年收入"),
            Item("本年收入/国有资本经营预算", ("国有资本经营预算拨款收入", "国有资本经营预算拨款", "国有资本经营预算"), parent="本年收入"),
            Item("上年结转", ("上年结转结余",), total_of=("上年结转/一般公共预算", "上年结转/政府性基金预算", "上年结转/国有资本经营预算")),
            Item("上年结转/一般公共预算", ("一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算"), parent="上年结转"),
            Item("上年结转/政府性基金预算", ("政府性基金预算拨款", "政府性基金预算拨款收入", "政府性基金预算"), parent="上年结转"),
            Item("上年结转/国有资本经营预算", ("国有资本经营预算拨款", "国有资本经营预算拨款收入", "国有资本经营预算"), parent="上年结转"),
            Item("收入总计", ("收入合计", "总计"), total_of=("本年收入", "上年结转")),
        )),
        Side("支出", ("支出",), (
            Item("本年支出合计", ("本年支出", "本年支出小计"), total_of=("类",)),
            Item("结转下年", ("年末结转和结余",)),
            Item("支出总计", ("支出合计", "总计"), total_of=("本年支出合计", "结转下年")),
        ), classes=True),
    ),
    sums=(("支出/合计", ("支出/一般公共预算", "支出/政府性基金预算", "支出/国有资本经营预算")),),
    description="财政拨款 收入 by source and year; 支出 by 功能分类 类 and source.",
)

FISCAL_GROUPS = (
    ("一般公共预算拨款", "一般公共预算", "一般公共预算财政拨款"),
    ("政府性基金预算拨款", "政府性基金预算", "政府性基金"),
    ("国有资本经营预算拨款", "国有资本经营预算"),
)


def _by_source(group: tuple[str, ...], required: bool) -> tuple[Col, ...]:
    return tuple(
        Col(names=names, under=(group,), required=required)
        for names in (("小计", "合计"), ("基本支出",), ("项目支出",))
    )


BUDGET_FISCAL_ECONOMIC = _ledger(
    "budget.fiscal_economic", "财政拨款支出预算表(部门经济分类科目)", "表2-1",
    (
        col("总计", required=False),
        col("合计"),
        *_by_source(FISCAL_GROUPS[0], True),
        *_by_source(FISCAL_GROUPS[1], False),
        *_by_source(FISCAL_GROUPS[2], False),
    ),
    codes="economic",
    aliases=("财政拨款支出预算明细表", "财政拨款支出预算表(按部门预算经济分类)", "财政拨款支出预算表(部门预算经济分类科目)", "财政拨款支出预算表(经济分类科目)", "财政拨款支出预算表"),
    sums=(
        ("合计", tuple(f"{g[0]}/小计" for g in FISCAL_GROUPS)),
        ("总计", ("合计",)),
        *((f"{g[0]}/小计", (f"{g[0]}/基本支出", f"{g[0]}/项目支出")) for g in FISCAL_GROUPS),
    ),
    description="The 经济分类明细: per unit, 经济分类 类 / 款 / sub-item rows by source of funds.",
)

BUDGET_GENERAL = _ledger(
    "budget.general", "一般公共预算支出预算表", "表3",
    (
        TOTAL,
        col("当年财政拨款安排", "本年财政拨款安排", "当年财政拨款", "本年拨款", required=False, template=True),
        col("上年结转安排", "上年结转", required=False, template=True),
        col("基本支出", required=False),
        col("项目支出", required=False),
    ),
    units=False, aliases=("一般公共预算支出表", "一般公共预算拨款支出预算表", "一般公共预算支出功能分类预算表"),
    sums=(("合计", ("当年财政拨款安排", "上年结转安排")), ("合计", ("基本支出", "项目支出"))),
    description="合计, then 功能分类 类/款/项 rows aggregated over units.",
)

BUDGET_GENERAL_BASIC = _ledger(
    "budget.general_basic", "一般公共预算基本支出预算表", "表3-1",
    (TOTAL, col("人员经费"), col("公用经费")),
    codes="economic", lead=(replace(UNIT_CODE, template=False), *ECONOMIC_CODE, SUBJECT),
    aliases=("一般公共预算基本支出表", "一般公共预算基本支出部门预算经济分类预算表", "基本支出部门预算经济分类预算表"),
    sums=(("合计", ("人员经费", "公用经费")),),
    description="Per unit, 经济分类 类 / 款 / sub-item rows, split into 人员经费 and 公用经费.",
)

BUDGET_GENERAL_PROJECT = _ledger(
    "budget.general_project", "一般公共预算项目支出预算表", "表3-2",
    (col("金额", "合计", "预算数", "预算金额"),),
    aliases=("一般公共预算项目支出表",),
    lead=(*FUNCTION_CODE, SUBJECT, col("项目名称", kind="project", required=False)),
    description="Per unit, per 功能分类 项 a subtotal, then its project rows (项目名称).",
)

BUDGET_GENERAL_SANGONG = _ledger(
    "budget.general_sangong", "一般公共预算“三公”经费支出预算表", "表3-3",
    (*sangong_cols(), col("机关运行经费", "机关运行经费预算数", "机关运行经费预算", required=False, template=False)),
    codes=None, lead=(UNIT_CODE, replace(UNIT_NAME, required=False, template=True)),
    aliases=("一般公共预算“三公”经费支出表", "“三公”经费支出预算表", "一般公共预算三公经费支出预算表", "“三公”经费和机关运行经费预算表"),
    sums=sangong_sums(),
    description="合计 and per unit: 因公出国（境）费用, 公务用车购置及运行费 (购置, 运行), 公务接待费.",
)

BUDGET_FUND = _ledger(
    "budget.fund", "政府性基金预算支出表", "表4",
    (TOTAL, BASIC, PROJECT), aliases=("政府性基金支出预算表", "政府性基金预算支出预算表", "政府性基金预算支出功能分类预算表"),
    sums=(("合计", ("基本支出", "项目支出")),),
    description="Like 部门支出总表, for 政府性基金 money.",
)

BUDGET_FUND_SANGONG = _ledger(
    "budget.fund_sangong", "政府性基金预算“三公”经费支出预算表", "表4-1",
    sangong_cols(), codes=None, lead=(UNIT_CODE, replace(UNIT_NAME, required=False, template=True)),
    aliases=("政府性基金预算“三公”经费支出表", "政府性基金三公经费支出预算表"),
    sums=sangong_sums(),
    description="Like 表3-3, for 政府性基金 money.",
)

BUDGET_CAPITAL = _ledger(
    "budget.capital", "国有资本经营预算支出表", "表5",
    (TOTAL, BASIC, PROJECT), aliases=("国有资本经营预算支出预算表", "国有资本经营预算支出功能分类预算表"),
    sums=(("合计", ("基本支出", "项目支出")),),
    description="Like 部门支出总表, for 国有资本经营 money.",
)

BUDGET_PROJECT_TARGETS = TableSpec(
    id="budget.project_targets",
    title="部门预算项目支出绩效目标表",
    aliases=("部门项目支出绩效目标表", "项目支出绩效目标表", "部门预算项目绩效目标表", "财政项目支出绩效目标填报表",
             "项目支出绩效目标申报表", "项目绩效目标申报表", "项目绩效目标表", "项目支出绩效目标填报表"),
    number="表6",
    layout="indicators",
    columns=(
        col("单位名称", "单位", "预算单位", kind="name", block=True),
        col("项目名称", kind="project", block=True),
        col("预算数", "预算金额", "资金总额", "项目资金", "年度资金总额", "项目金额", block=True),
        col("年度目标", "年度绩效目标", "总体目标", "项目年度目标", kind="text", block=True),
        *(Col(names=c.names, kind=c.kind, required=c.required, section="指标") for c in INDICATOR_COLS),
    ),
    fields=(
        Field("项目名称", ("项目名称(盖章)",)),
        Field("主管部门", ("预算部门", "主管单位", "主管部门(盖章)")),
        Field("实施单位", ("项目单位", "预算单位", "实施单位(盖章)")),
        Field("预算数", ("预算金额", "项目预算金额", "项目金额", "项目预算"), kind="amount"),
        Field("总体目标", ("项目总目标", "长期目标", "项目总体目标")),
        Field("年度目标", ("年度总体目标", "年度绩效目标", "年度目标", "项目年度目标")),
        Field("实施期", ("项目起止时间", "实施周期", "实施期限", "项目实施期")),
    ),
    units=True,
    description="Per unit, per project a block of indicator rows; unit, project, 预算数 and 年度目标 merged over the block. "
    "Provincial forms (项目绩效目标表, 财政项目支出绩效目标填报表) print one project per sheet instead: its fields, "
    "the 项目资金 block and the indicator grid.",
)

PROJECT_COST_COLS = (
    Col(names=("成本项目", "成本构成项目", "支出内容", "明细项目", "成本明细"), kind="name", required=False, section="成本"),
    Col(names=("金额", "测算金额", "预算金额", "成本金额"), kind="amount", section="成本"),
    Col(names=("测算依据", "测算依据及说明", "计算依据"), kind="text", required=False, section="成本"),
    Col(names=("实际执行数", "上年实际执行数", "上年执行数", "以前年度实际执行数"), kind="amount", required=False, section="成本"),
)
"""The optional 项目预算成本构成 sub-table of a provincial target form: item | 金额 | 测算依据 | prior-year 实际执行数,
with a 合计 row (合计 = Σ items, per column). Read by the form reader of a one-project 表6 form only."""

BUDGET_OVERALL_TARGETS = TableSpec(
    id="budget.overall_targets",
    title="部门整体支出绩效目标表",
    aliases=("部门整体绩效目标表", "部门(单位)整体支出绩效目标表", "部门整体支出绩效目标申报表", "部门整体绩效目标申报表",
             "年度整体绩效目标表", "部门(单位)整体绩效目标表"),
    number="表7",
    layout="form",
    columns=tuple(Col(names=c.names, kind=c.kind, required=c.required, section="指标") for c in INDICATOR_COLS),
    fields=(
        Field("部门名称", ("部门(单位)名称", "单位名称")),
        Field("资金总额", ("年度部门整体支出预算资金总额", "预算资金总额"), kind="amount"),
        Field("财政拨款", ("其中:财政拨款", "财政拨款资金"), kind="amount"),
        Field("其他资金", ("其中:其他资金",), kind="amount"),
        Field("年度总体目标", ("整体绩效目标", "年度目标")),
        Field("资金总额", ("合计", "收入合计"), kind="amount", under=("收入构成", "收入"), optional=True),
        Field("基本支出", (), kind="amount", optional=True),
        Field("项目支出", (), kind="amount", optional=True),
        Field("支出合计", ("合计",), kind="amount", under=("支出构成", "支出"), optional=True),
    ),
    description="Header block (资金总额 = 财政拨款 + 其他资金, 年度总体目标), then 年度绩效指标 rows.",
)

BUDGET_PROCUREMENT = _ledger(
    "budget.procurement", "政府采购预算表", "表8",
    (
        col("采购品目", "采购目录", "品目", "采购品目名称", kind="text"),
        col("数量", kind="number", required=False),
        col("总金额", "金额", "采购金额", "预算金额", "合计"),
        col("专门面向中小企业采购", "面向中小企业", "面向中小企业预留", kind="flag", required=False),
        col("其中:面向小微企业", "面向小微企业", "小微企业", kind="flag", required=False),
        col("面向监狱企业", "监狱企业", kind="flag", required=False),
        col("面向残疾人福利性单位", "残疾人福利性单位", kind="flag", required=False),
        col("采购说明", "备注", kind="text", required=False),
    ),
    codes=None, aliases=("政府采购预算明细表", "政府采购支出预算表"),
    lead=(UNIT_CODE, UNIT_NAME, col("项目名称", kind="project", required=False)),
    description="合计, per unit, per project: 采购品目 rows with amounts and the 面向中小企业 flags.",
)

# ---------------------------------------------------------------------------------------------------------
# Final-accounts side (部门决算)
# ---------------------------------------------------------------------------------------------------------

FINAL_REVENUE_SOURCES = (
    ("一般公共预算财政拨款收入", ("一般公共预算财政拨款", "财政拨款收入")),
    ("政府性基金预算财政拨款收入", ("政府性基金预算财政拨款",)),
    ("国有资本经营预算财政拨款收入", ("国有资本经营预算财政拨款",)),
    ("上级补助收入", ()),
    ("事业收入", ()),
    ("经营收入", ()),
    ("附属单位上缴收入", ()),
    ("其他收入", ()),
)

FINAL_SUMMARY = TableSpec(
    id="final.summary",
    title="收入支出决算总表",
    aliases=("部门收入支出决算总表", "收支决算总表"),
    number="公开01表",
    layout="sided",
    columns=(
        col("项目", kind="name", under=("收入",)),
        col("决算数", "金额", "本年决算数", under=("收入",)),
        col("项目", "项目(按功能分类)", "支出项目", kind="name", under=("支出",)),
        col("决算数", "金额", "本年决算数", under=("支出",)),
    ),
    sides=(
        Side("收入", ("收入",), (
            *(Item(k, s) for k, s in FINAL_REVENUE_SOURCES),
            Item("本年收入合计", ("本年收入小计",), total_of=tuple(k for k, _ in FINAL_REVENUE_SOURCES)),
            Item("使用非财政拨款结余", ("使用专用结余", "用事业基金弥补收支差额")),
            Item("年初结转和结余", ("年初结转结余",)),
            Item("收入总计", ("总计",), total_of=("本年收入合计", "使用非财政拨款结余", "年初结转和结余")),
        )),
        Side("支出", ("支出",), (
            Item("本年支出合计", ("本年支出小计",), total_of=("类",)),
            Item("结余分配", ("事业单位结余分配",)),
            Item("年末结转和结余", ("年末结转结余",)),
            Item("支出总计", ("总计",), total_of=("本年支出合计", "结余分配", "年末结转和结余")),
        ), classes=True),
    ),
    description="收入 by source, 支出 by 功能分类 类; 收入总计 = 支出总计.",
)

FINAL_REVENUE = _ledger(
    "final.revenue", "收入决算表", "公开02表",
    (
        col("本年收入合计", "合计", "收入合计"),
        col("财政拨款收入", "财政拨款"),
        col("上级补助收入", required=False),
        col("事业收入", required=False),
        col("经营收入", required=False),
        col("附属单位上缴收入", required=False),
        col("其他收入", required=False),
    ),
    units=False, aliases=("部门收入决算表",),
    sums=(("本年收入合计", ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")),),
    description="收入 by 功能分类 科目 and source.",
)

FINAL_EXPENDITURE = _ledger(
    "final.expenditure", "支出决算表", "公开03表",
    (
        col("本年支出合计", "合计", "支出合计"),
        BASIC, PROJECT,
        col("上缴上级支出", required=False),
        col("经营支出", required=False),
        col("对附属单位补助支出", required=False),
    ),
    units=False, aliases=("部门支出决算表",),
    sums=(("本年支出合计", ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),),
    description="支出 by 功能分类 科目: 基本支出, 项目支出 and the rest.",
)

FINAL_FISCAL_SOURCES = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")

FINAL_FISCAL_SUMMARY = TableSpec(
    id="final.fiscal_summary",
    title="财政拨款收入支出决算总表",
    aliases=("财政拨款收支决算总表",),
    number="公开04表",
    layout="sided",
    columns=(
        col("项目", kind="name", under=("收入",)),
        col("决算数", "金额", under=("收入",)),
        col("项目", "项目(按功能分类)", "支出项目", kind="name", under=("支出",)),
        col("合计", "决算数", under=("支出",)),
        col("一般公共预算财政拨款", "一般公共预算", under=("支出",)),
        col("政府性基金预算财政拨款", "政府性基金预算", under=("支出",)),
        col("国有资本经营预算财政拨款", "国有资本经营预算", under=("支出",), required=False),
    ),
    sides=(
        Side("收入", ("收入",), (
            Item("一般公共预算财政拨款", ("一般公共预算财政拨款收入",)),
            Item("政府性基金预算财政拨款", ("政府性基金预算财政拨款收入",)),
            Item("国有资本经营预算财政拨款", ("国有资本经营预算财政拨款收入",)),
            Item("本年收入合计", (), total_of=("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")),
            Item("年初财政拨款结转和结余", ("年初结转和结余",)),  # = its sub-items when listed (rule F404)
            *(Item(f"年初财政拨款结转和结余/{k}", (k, f"{k}收入"), parent="年初财政拨款结转和结余") for k in FINAL_FISCAL_SOURCES),
            Item("收入总计", ("总计",), total_of=("本年收入合计", "年初财政拨款结转和结余")),
        )),
        Side("支出", ("支出",), (
            Item("本年支出合计", (), total_of=("类",)),
            Item("年末财政拨款结转和结余", ("年末结转和结余",)),
            Item("支出总计", ("总计",), total_of=("本年支出合计", "年末财政拨款结转和结余")),
        ), classes=True),
    ),
    sums=(("支出/合计", ("支出/一般公共预算财政拨款", "支出/政府性基金预算财政拨款", "支出/国有资本经营预算财政拨款")),),
    description="财政拨款 收入 and 支出 by 功能分类 类 and source.",
)

FINAL_FISCAL_DETAIL = _ledger(
    "final.fiscal_detail", "财政拨款支出决算明细表", "公开05表",
    (TOTAL, BASIC, PROJECT), units=False,
    sums=(("合计", ("基本支出", "项目支出")),),
    description="财政拨款 支出 by 功能分类 科目.",
)

FINAL_GENERAL = _ledger(
    "final.general", "一般公共预算财政拨款支出决算表", "公开06表",
    (
        col("本年支出合计", "合计", "小计"), BASIC, PROJECT,
        col("年初预算数", required=False), col("调整后预算数", "全年预算数", required=False),
    ),
    units=False,
    sums=(("本年支出合计", ("基本支出", "项目支出")),),
    description="一般公共预算财政拨款 支出 by 功能分类 科目.",
)

FINAL_GENERAL_DETAIL = _ledger(
    "final.general_detail", "一般公共预算财政拨款支出决算明细表", "公开07表",
    (TOTAL, BASIC, PROJECT), codes="economic", units=False,
    sums=(("合计", ("基本支出", "项目支出")),),
    description="一般公共预算财政拨款 支出 by 经济分类 科目.",
)

FINAL_GENERAL_BASIC = _ledger(
    "final.general_basic", "一般公共预算财政拨款基本支出决算表", "公开08表",
    (
        replace(TOTAL, required=False, template=True), col("人员经费", required=False, template=True),
        col("公用经费", required=False, template=True), col("决算数", "金额", required=False, template=False),
    ),
    codes="economic", units=False,
    sums=(("合计", ("人员经费", "公用经费")),),
    halves=("人员经费", "公用经费"),
    description="基本支出 by 经济分类 科目: 合计 = 人员经费 + 公用经费; or, as the 2024 决算 set prints it, 人员经费 and "
    "公用经费 as two ledgers side by side (编码 | 名称 | 决算数 each).",
)

FINAL_GENERAL_PROJECT = _ledger(
    "final.general_project", "一般公共预算财政拨款项目支出决算表", "公开09表",
    (col("决算数", "金额", "本年支出合计", "合计"),), units=False,
    lead=(*FUNCTION_CODE, SUBJECT, col("项目名称", kind="project", required=False)),
    description="项目支出 by 功能分类 科目 and project.",
)


def _carry_cols() -> tuple[Col, ...]:
    spent = ("本年支出",)
    return (
        col("年初结转和结余", "年初结转结余"),
        col("本年收入"),
        Col(names=("小计", "合计"), under=(spent,)),
        Col(names=("基本支出",), under=(spent,)),
        Col(names=("项目支出",), under=(spent,)),
        col("年末结转和结余", "年末结转结余"),
    )


CARRY_SUMS = (("本年支出/小计", ("本年支出/基本支出", "本年支出/项目支出")),)

FINAL_FUND = _ledger(
    "final.fund", "政府性基金预算财政拨款收入支出决算表", "公开10表",
    _carry_cols(), units=False, sums=CARRY_SUMS,
    aliases=("政府性基金预算财政拨款收支决算表",),
    description="年初结转和结余 + 本年收入 - 本年支出 = 年末结转和结余, by 功能分类 科目.",
)

FINAL_CAPITAL_REVENUE = _ledger(
    "final.capital_revenue", "国有资本经营预算财政拨款收入支出决算表", "公开11表",
    _carry_cols(), units=False, sums=CARRY_SUMS,
    aliases=("国有资本经营预算财政拨款收支决算表",),
    description="Like the 政府性基金 table, for 国有资本经营 money.",
)

FINAL_CAPITAL = _ledger(
    "final.capital", "国有资本经营预算财政拨款支出决算表", "公开12表",
    (TOTAL, BASIC, PROJECT), units=False,
    sums=(("合计", ("基本支出", "项目支出")),),
    description="国有资本经营 支出 by 功能分类 科目.",
)

FINAL_SANGONG = _ledger(
    "final.sangong", "财政拨款“三公”经费支出决算表", "公开13表",
    (*sangong_cols(("预算数", "年初预算数", "全年预算数")), *sangong_cols(("决算数", "执行数"))),
    codes=None, lead=(UNIT_CODE, col("单位名称", "单位", "项目", kind="name", required=False)),
    aliases=("财政拨款三公经费支出决算表", "一般公共预算财政拨款“三公”经费支出决算表"),
    sums=(*sangong_sums("预算数"), *sangong_sums("决算数")),
    description="预算数 and 决算数 for each 三公 column.",
)

_FUND_COLS: tuple[tuple[tuple[str, ...], Kind, bool], ...] = (
        (("年初预算数", "年初预算"), "amount", True),
        (("全年预算数", "调整后预算数", "全年(调整)预算数", "全年预算"), "amount", True),
        (("全年执行数", "执行数", "预算执行数", "全年实际执行数"), "amount", True),
        (("分值", "权重", "执行率权重"), "number", False),
        (("执行率", "预算执行率"), "percent", True),
        (("得分", "执行率得分"), "number", False),
        (("原因", "偏差原因", "备注"), "text", False),
)
SELFEVAL_FUND_COLS = tuple(Col(names=n, kind=k, required=r, section="资金") for n, k, r in _FUND_COLS)
_SELFEVAL_INDICATOR_COLS: tuple[tuple[tuple[str, ...], Kind, bool], ...] = (
        (("一级指标",), "text", True),
        (("二级指标",), "text", True),
        (("三级指标", "指标名称", "指标内容"), "text", True),
        (("年度指标值", "指标值", "年度目标值", "年初指标值", "年度(/项目)指标值", "指标值及单位"), "text", True),
        (("实际完成值", "全年实际值", "实际值", "完成值", "全年完成值", "实际完成指标值"), "text", True),
        (("分值", "权重", "指标权重"), "number", False),
        (("得分", "指标得分"), "number", False),
        (("偏差原因分析及改进措施", "偏差原因分析", "未完成原因分析", "偏差原因", "未完成原因"), "text", False),
        (("指标性质", "绩效指标性质", "运算符号", "指标值类型"), "text", False),
        (("度量单位", "计量单位", "指标单位"), "text", False),
        (("调整指标值", "全年(调整)指标值"), "text", False),
        (("得分系数",), "percent", False),
        (("是否核心指标",), "text", False),
)
SELFEVAL_INDICATOR_COLS = tuple(Col(names=n, kind=k, required=r, section="指标") for n, k, r in _SELFEVAL_INDICATOR_COLS)

FINAL_PROJECT_SELFEVAL = TableSpec(
    id="final.project_selfeval",
    title="项目支出绩效自评表",
    aliases=("部门预算项目支出绩效自评表", "项目支出绩效目标自评表", "项目绩效自评表"),
    number="附表",
    layout="form",
    columns=(*SELFEVAL_FUND_COLS, *SELFEVAL_INDICATOR_COLS),
    fields=(
        Field("项目名称", ()),
        Field("主管部门", ("主管单位",)),
        Field("实施单位", ("实施单位(盖章)",)),
        Field("预期目标", ("年度总体目标", "项目年度目标", "年初绩效目标")),
        Field("实际完成情况", ("全年实际完成情况", "年度目标完成情况", "全年目标实际完成情况")),
        Field("自评得分", ("总分", "自评总分", "总得分"), kind="number"),
    ),
    description="One block per project: 项目资金 (执行率 = 全年执行数 / 全年预算数), 总体目标, 绩效指标, 自评得分.",
)

FINAL_OVERALL_SELFEVAL = TableSpec(
    id="final.overall_selfeval",
    title="部门整体支出绩效自评表",
    aliases=("部门整体绩效自评表", "部门(单位)整体支出绩效自评表", "部门整体支出绩效自评情况表"),
    number="附表",
    layout="form",
    columns=(*SELFEVAL_FUND_COLS, *(Col(names=c.names, kind=c.kind, required=c.required and c.key not in ("一级指标", "二级指标"),
                                         section=c.section) for c in SELFEVAL_INDICATOR_COLS)),
    fields=(
        Field("部门名称", ("主管部门", "部门(单位)名称", "单位名称")),
        Field("预期目标", ("年初绩效目标", "年度总体目标")),
        Field("调整目标", ("全年(调整)绩效目标",), optional=True),
        Field("实际完成情况", ("全年实际完成情况", "全年目标实际完成情况")),
        Field("自评得分", ("总分", "自评总分", "总得分"), kind="number"),
    ),
    description="The department's own 自评表: 部门预算执行情况 (执行率 = 全年执行数 / 全年预算数), 绩效目标, 绩效指标, 自评总分.",
)

_SOURCES = ("财政拨款", "财政专户管理资金", "单位资金", "上年结转资金", "自有资金", "其他资金")

# Rows of the 自评表's funds grid, by their label (the template prints these).
SELFEVAL_FUND_ROWS = (
    Item("年度资金总额", ("资金总额", "总额", "项目资金总额", "年度资金申请总额", "预算资金"), total_of=_SOURCES),
    Item("财政拨款", ("其中:财政拨款", "(一)财政拨款小计", "财政拨款小计", "其中:当年财政拨款", "当年财政拨款", "本年财政拨款",
                  "财政资金", "财政拨款资金"), total_of=("一般公共预算", "政府性基金", "国有资本经营预算")),
    Item("一般公共预算", ("1.一般公共预算",), parent="财政拨款"),
    Item("政府性基金", ("2.政府性基金", "政府性基金预算"), parent="财政拨款"),
    Item("国有资本经营预算", ("3.国有资本经营预算",), parent="财政拨款"),
    Item("其他资金", ("(二)其他资金", "其中:其他资金", "其他")),
)
SELFEVAL_FUND_EXTRA = (
    Item("财政专户管理资金", ("财政专户资金",)),
    Item("单位资金", ("单位自有资金",)),
    Item("上年结转资金", ("上年结转", "结转资金")),
    Item("自有资金", ()),
)
"""Further sources some forms print (四川: 财政专户管理资金, 单位资金; 上海: 上年结转资金): read, not in the template."""
FUND_ITEMS = (*SELFEVAL_FUND_ROWS, *SELFEVAL_FUND_EXTRA)

SPECS: tuple[TableSpec, ...] = (
    BUDGET_SUMMARY, BUDGET_REVENUE, BUDGET_EXPENDITURE, BUDGET_FISCAL_SUMMARY, BUDGET_FISCAL_ECONOMIC,
    BUDGET_GENERAL, BUDGET_GENERAL_BASIC, BUDGET_GENERAL_PROJECT, BUDGET_GENERAL_SANGONG, BUDGET_FUND,
    BUDGET_FUND_SANGONG, BUDGET_CAPITAL, BUDGET_PROJECT_TARGETS, BUDGET_OVERALL_TARGETS, BUDGET_PROCUREMENT,
    FINAL_SUMMARY, FINAL_REVENUE, FINAL_EXPENDITURE, FINAL_FISCAL_SUMMARY, FINAL_FISCAL_DETAIL, FINAL_GENERAL,
    FINAL_GENERAL_DETAIL, FINAL_GENERAL_BASIC, FINAL_GENERAL_PROJECT, FINAL_FUND, FINAL_CAPITAL_REVENUE,
    FINAL_CAPITAL, FINAL_SANGONG, FINAL_PROJECT_SELFEVAL, FINAL_OVERALL_SELFEVAL,
)
BY_ID: dict[str, TableSpec] = {s.id: s for s in SPECS}

PUBLISHED_SETS: dict[str, tuple[str, ...]] = {
    "财政部部门预算公开表（15张）": tuple(s.id for s in SPECS if s.side == "budget"),
    "上海市部门预算公开表（9张）": (
        "budget.summary", "budget.revenue", "budget.expenditure", "budget.fiscal_summary", "budget.general",
        "budget.fund", "budget.capital", "budget.general_basic", "budget.general_sangong",
    ),
    "部门决算公开表（13张）": tuple(s.id for s in SPECS if s.side == "final" and s.layout != "form"),
    "部门决算公开表（2024年全国统一，9张）": (
        "final.summary", "final.revenue", "final.expenditure", "final.fiscal_summary", "final.general",
        "final.general_basic", "final.sangong", "final.fund", "final.capital_revenue",
    ),
}
"""The table sets departments publish: a workbook that holds most of one set should hold all of it."""


def spec(table_id: str) -> TableSpec:
    """The spec of a stable table id, e.g. ``spec("budget.expenditure")``."""
    return BY_ID[table_id]


INSTRUCTIONS_SHEET = "填表说明"
LIST_SHEET = "下拉选项"
"""The sheets gongkai's templates add beside the tables (fill/template.py, write/workbook.py): the instructions and
the hidden dropdown lists. Neither is a 说明 to check (recognize/book.py)."""


_POINTER = re.compile(r"详见|参见|^见|请见")
"""A sentence that points to a table ("详见单位的项目绩效目标表", a 说明's last line) names it without being its title."""


@lru_cache(maxsize=1 << 14)
def match_title(text: str) -> TableSpec | None:
    """The spec whose title a cell's text names; the longest title wins ("…决算明细表" over "…决算表")."""
    folded = fold(text)
    if not 4 <= len(folded) <= 80 or folded.startswith(("注", "说明")) or _POINTER.search(folded):
        return None
    best: tuple[int, TableSpec] | None = None
    for s in SPECS:
        for t in s.titles:
            i = folded.rfind(t)
            if i < 0:
                continue
            tail = folded[i + len(t):]
            # the title ends the cell, give or take "(续)", "(万元)", "(2024年)"
            if tail and not (tail.startswith("(") and tail.endswith(")") and len(tail) <= 12):
                continue
            if best is None or len(t) > best[0]:
                best = (len(t), s)
    if best is not None:
        return best[1]
    return _sangong_by_content(folded)


def _sangong_by_content(folded: str) -> TableSpec | None:
    """A 三公 title by its content words, however a province words the rest: …“三公”经费情况统计表, …经费预算情况表,
    …三公经费决算情况 (no 表). A sentence (，。) is never a title."""
    if "三公" not in folded or "经费" not in folded or len(folded) > 60 or any(p in folded for p in "，。；,;"):
        return None
    if not re.sub(r"\([^)]*\)$", "", folded).endswith(("表", "情况", "统计")):  # 财政拨款“三公”经费, 三公经费预算数: headers
        return None
    if any(w in folded for w in ("无", "没有", "本部门", "本单位")):  # 本部门无“三公”经费支出: the note of an empty table
        return None
    if "决算" in folded:
        return BY_ID["final.sangong"]
    return BY_ID["budget.fund_sangong" if "政府性基金" in folded else "budget.general_sangong"]
