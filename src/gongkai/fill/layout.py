"""Lay a 公开表 out as published: title, 部门/金额单位 line, merged headers, data rows. Pure: returns a plan.

The plan (`SheetPlan`) is what templates, `fill`, the clean export and the tests' fixture workbooks write; `write/workbook.py`
applies it with openpyxl and `xl.py` could apply it with xlwings. Headers come from the table specs, so a template
and the reader can never disagree about a header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..core.addresses import col_letter
from ..core.specs import Col, TableSpec

Role = Literal["number", "title", "meta", "header", "label", "code", "amount", "text", "formula", "total"]
Value = str | int | float | Decimal | None


@dataclass(frozen=True)
class CellWrite:
    """One cell to write: where, what, and its role (which decides style, protection and number format)."""

    ref: str
    value: Value
    role: Role = "text"


@dataclass
class SheetPlan:
    """A sheet as it will be written."""

    name: str
    cells: list[CellWrite] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    header: tuple[int, int] = (1, 1)
    """First and last header row (1-based): repeated on every printed page, frozen on screen."""
    data: tuple[int, int] = (1, 0)
    """First and last data row (1-based)."""
    columns: dict[str, str] = field(default_factory=dict)
    """Column key → letter."""
    table_id: str = ""

    def put(self, row: int, col: int, value: Value, role: Role = "text") -> None:
        self.cells.append(CellWrite(f"{col_letter(col)}{row}", value, role))


@dataclass
class TableData:
    """A table's content by column key: one dict per data row. Form tables also carry labelled fields."""

    spec: TableSpec
    rows: list[dict[str, Value]] = field(default_factory=list)
    department: str = "示例部门"
    money_unit: str = "万元"
    fields: dict[str, Value] = field(default_factory=dict)
    funds: list[dict[str, Value]] = field(default_factory=list)
    """自评表: the 项目资金 rows, each with "项目" (the row label) and the fund column keys."""
    note: str | None = None
    """"本表无数据" for an empty table."""


def code_parts(code: str) -> dict[str, Value]:
    """类 / 款 / 项 cells of a code: "2080505" → 类 "208", 款 "05", 项 "05"."""
    parts: dict[str, Value] = {"类": code[:3]}
    if len(code) >= 5:
        parts["款"] = code[3:5]
    if len(code) >= 7:
        parts["项"] = code[5:7]
    return parts


def header_paths(columns: Sequence[Col]) -> list[list[str]]:
    """Each column's header from the top row down. A total column named like the group of the columns after it
    (三公: 公务用车购置及运行费 over 购置费, 运行费) prints as that group's 小计, so the group header appears once."""
    paths = [[*(u[0] for u in c.under), c.names[0]] for c in columns]
    for i, path in enumerate(paths[:-1]):
        following = paths[i + 1]
        if len(following) > len(path) and following[: len(path)] == path:
            paths[i] = [*path, "小计"]
    return paths


def _header(plan: SheetPlan, top: int, left: int, columns: Sequence[Col]) -> int:
    """Write a (possibly multi-row) merged header; return the number of header rows."""
    paths = header_paths(columns)
    depth = max(len(p) for p in paths)
    for level in range(depth):
        c = 0
        while c < len(paths):
            path = paths[c]
            if level >= len(path):
                c += 1
                continue
            if level == len(path) - 1:  # the leaf: spans down to the last header row
                plan.put(top + level, left + c, path[level], "header")
                if level < depth - 1:
                    plan.merges.append(f"{col_letter(left + c)}{top + level}:{col_letter(left + c)}{top + depth - 1}")
                c += 1
                continue
            end = c
            while end + 1 < len(paths) and len(paths[end + 1]) > level + 1 and paths[end + 1][: level + 1] == path[: level + 1]:
                end += 1
            plan.put(top + level, left + c, path[level], "header")
            if end > c:
                plan.merges.append(f"{col_letter(left + c)}{top + level}:{col_letter(left + end)}{top + level}")
            c = end + 1
    return depth


def printed_columns(spec: TableSpec, data: TableData | None = None, form_section: str | None = None) -> list[Col]:
    """The columns to print: required ones and optional ones the data fills; one code style (类/款/项)."""
    keys = {k for row in (data.rows if data else []) for k, v in row.items() if v not in (None, "")}
    out = []
    for c in spec.columns:
        if form_section is not None and c.section != form_section:
            continue
        if c.kind == "code":  # print 类/款/项, never the one-cell alternative, unless the data uses it
            if c.key in keys:
                out.append(c)
            continue
        if c.kind == "code_part":
            if "科目编码" not in keys and (c.template is not False or c.key in keys):
                out.append(c)
            continue
        if c.required or c.template is True or c.key in keys:
            out.append(c)
    return out


def _title_block(plan: SheetPlan, spec: TableSpec, data: TableData, width: int) -> int:
    last = col_letter(max(width - 1, 0))
    plan.put(1, 0, spec.number, "number")
    plan.put(2, 0, spec.title.replace("(", "（").replace(")", "）"), "title")
    plan.merges.append(f"A2:{last}2")
    plan.put(3, 0, f"部门：{data.department}", "meta")
    plan.put(3, max(width - 1, 1), f"金额单位：{data.money_unit}", "meta")
    return 4


def lay_out(data: TableData, sheet: str | None = None, columns: Sequence[Col] | None = None) -> SheetPlan:
    """The published layout of one table with its data; ``columns`` overrides which columns print, in order."""
    spec = data.spec
    plan = SheetPlan(name=sheet or spec.number, table_id=spec.id)
    if spec.layout == "form":
        return _form(plan, data)
    columns = list(columns) if columns is not None else printed_columns(spec, data)
    top = _title_block(plan, spec, data, len(columns))
    depth = _header(plan, top, 0, columns)
    plan.header = (top, top + depth - 1)
    plan.columns = {c.key: col_letter(i) for i, c in enumerate(columns)}
    r = top + depth
    first = r
    if data.note and not data.rows:
        plan.put(r, 0, data.note, "text")
        plan.data = (r, r - 1)
        return plan
    blocks = [c for c in columns if c.block]
    starts: dict[str, tuple[int, Value]] = {}
    for row in data.rows:
        for i, c in enumerate(columns):
            value = row.get(c.key)
            if c.block:
                prev = starts.get(c.key)
                if prev is not None and prev[1] == value and value not in (None, ""):
                    continue  # same project: merged over its block below
                if prev is not None and r - 1 > prev[0]:
                    plan.merges.append(f"{col_letter(i)}{prev[0]}:{col_letter(i)}{r - 1}")
                starts[c.key] = (r, value)
            if value is None or value == "":
                continue
            plan.put(r, i, value, _role(c, row))
        r += 1
    for c in blocks:
        prev = starts.get(c.key)
        if prev is not None and r - 1 > prev[0]:
            i = columns.index(c)
            plan.merges.append(f"{col_letter(i)}{prev[0]}:{col_letter(i)}{r - 1}")
    plan.data = (first, r - 1)
    plan.widths = {col_letter(i): _width(c) for i, c in enumerate(columns)}
    return plan


def _role(c: Col, row: Mapping[str, Value]) -> Role:
    if c.kind in ("amount", "number", "percent"):
        value = row.get(c.key)
        return "formula" if isinstance(value, str) and value.startswith("=") else "amount"
    if c.kind in ("code", "code_part"):
        return "code"
    return "label" if c.kind in ("name", "project") else "text"


def _width(c: Col) -> float:
    if c.kind == "code_part":
        return 6
    if c.kind in ("name", "project"):
        return 36
    if c.kind == "text":
        return 18
    return 14


def _form(plan: SheetPlan, data: TableData) -> SheetPlan:
    """表7 and the 自评表: labelled fields over the width, then the funds grid and the indicator grid."""
    spec = data.spec
    indicator_cols = printed_columns(spec, data, "指标")
    width = max(len(indicator_cols), 6)
    last = col_letter(width - 1)
    r = _title_block(plan, spec, data, width)
    for f in spec.fields:
        if f.key in ("自评得分", "预期目标", "实际完成情况", "年度总体目标") or f.optional:
            continue
        plan.put(r, 0, f.key, "header")
        plan.put(r, 1, data.fields.get(f.key), "amount" if f.kind == "amount" else "text")
        plan.merges.append(f"B{r}:{last}{r}")
        r += 1
    fund_cols = printed_columns(spec, data, "资金")
    if fund_cols:
        plan.put(r, 0, "项目资金（万元）", "header")
        for i, c in enumerate(fund_cols):
            plan.put(r, 1 + i, c.names[0], "header")
        plan.columns.update({f"资金:{c.key}": col_letter(1 + i) for i, c in enumerate(fund_cols)})
        r += 1
        for fund in data.funds:
            plan.put(r, 0, fund.get("项目"), "label")
            for i, c in enumerate(fund_cols):
                v = fund.get(c.key)
                if v is not None:
                    plan.put(r, 1 + i, v, "formula" if isinstance(v, str) and v.startswith("=") else "amount")
            r += 1
    for key in ("年度总体目标", "预期目标", "实际完成情况"):
        if any(f.key == key for f in spec.fields):
            plan.put(r, 0, key, "header")
            plan.put(r, 1, data.fields.get(key), "text")
            plan.merges.append(f"B{r}:{last}{r}")
            r += 1
    plan.put(r, 0, "年度绩效指标", "header")
    plan.merges.append(f"A{r}:{last}{r}")
    r += 1
    depth = _header(plan, r, 0, indicator_cols)
    plan.header = (r, r + depth - 1)
    plan.columns.update({c.key: col_letter(i) for i, c in enumerate(indicator_cols)})
    r += depth
    first = r
    for row in data.rows:
        for i, c in enumerate(indicator_cols):
            v = row.get(c.key)
            if v not in (None, ""):
                plan.put(r, i, v, _role(c, row))
        r += 1
    plan.data = (first, r - 1)
    if any(f.key == "自评得分" for f in spec.fields):
        plan.put(r, 0, "自评得分", "header")
        plan.put(r, 1, data.fields.get("自评得分"), "amount")
        r += 1
    plan.widths = {col_letter(i): (16 if i else 20) for i in range(width)}
    return plan
