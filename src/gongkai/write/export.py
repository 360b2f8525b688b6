"""Tables → tidy data and clean workbooks. The only module that imports pandas (and, optionally, pyarrow).

Tidy data is long: one record per amount (and one per performance indicator), every record with the file, the
table, the unit, the 科目 and the source cell it came from. Amounts stay `Decimal` in 万元 all the way into the
files: the frame holds `Decimal` objects, CSV prints them exactly, xlsx stores them as numbers and Parquet as
``decimal128``; nothing is ever rounded through a float. Amounts of a sheet kept in 元 are converted exactly
(1 元 = 0.0001 万元), so tidy amounts may carry four decimals; the clean workbook rounds them to 0.01 as published
tables do, and says so in the changes log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..core.model import Book, Cell, Row, Table
from ..core.specs import Col
from ..fill.layout import SheetPlan, lay_out, printed_columns
from .atomic import atomic_path
from .clean import Change, CleanTable, clean_book, indicator_number, sheet_names
from .workbook import write_plans

if TYPE_CHECKING:
    import pandas as pd

Format = Literal["xlsx", "csv", "parquet"]

TIDY_COLUMNS = (
    "文件", "部门", "表", "表名", "单位代码", "单位名称", "科目编码", "科目名称", "项目编码", "项目名称",
    "收支", "栏目", "行类型", "明细", "列", "金额", "数值",
    "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "指标数值", "度量单位", "权重", "指标方向性",
    "来源",
)
"""The tidy frame's columns, always all of them, in this order.

金额 is in 万元 (Decimal); 数值 holds other numbers (执行率 %, 分值, 得分, 数量, 自评得分). 明细 marks the records whose
amounts add up to the table's 合计 (not a total, unit subtotal or 类/款 row that has sub-rows).
"""

CHANGE_COLUMNS = ("文件", "表", "工作表", "单元格", "列", "修改", "原值", "新值")

ROW_KINDS = {
    "total": "合计", "unit": "单位", "item": "科目", "project": "项目", "indicator": "指标", "fund": "资金",
    "text": "其他", "field": "表头",
}
INDICATOR_KEYS = ("一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "指标方向性")

PARQUET_MISSING = "导出 Parquet 需要 pyarrow，当前环境没有安装。请运行：pip install \"gongkai[parquet]\"（或改用 --format xlsx / csv）"


class ExportError(Exception):
    """Export cannot proceed; the message is for the clerk, in Chinese."""


# ----------------------------------------------------------------------------------------------------------
# tidy records (pure)
# ----------------------------------------------------------------------------------------------------------

Record = dict[str, Any]


def _blank(file: str, department: str, table: Table) -> Record:
    record: Record = dict.fromkeys(TIDY_COLUMNS)
    record.update({"文件": file, "部门": department, "表": table.id, "表名": table.spec.title})
    return record


def _detail_rows(table: Table) -> set[int]:
    """Indices of rows whose amounts add up to the table's 合计: leaves of the unit / 类 / 款 / 项 / project tree."""
    rows = table.rows
    has_units = any(r.kind == "unit" for r in rows)
    below_unit = any(r.kind in ("item", "project") for r in rows)
    out: set[int] = set()
    for i, r in enumerate(rows):
        if (r.kind == "unit" and not below_unit) or r.kind == "project":
            out.add(i)
        elif r.kind == "item":
            following = rows[i + 1] if i + 1 < len(rows) else None
            if following is not None and following.kind == "project":
                continue
            if r.code and any(
                o.code and o.code != r.code and o.code.startswith(r.code) and (not has_units or o.unit == r.unit)
                for o in rows[i + 1:]
            ):
                continue
            out.add(i)
    return out


def _row_context(record: Record, row: Row, table: Table) -> None:
    record["单位代码"] = row.unit if row.unit and row.unit != row.unit_name else None
    record["单位名称"] = row.unit_name
    record["科目编码"] = row.code
    record["科目名称"] = row.label or None
    record["项目编码"] = row.project_code
    record["项目名称"] = row.project
    record["收支"] = row.side
    record["栏目"] = row.item
    record["行类型"] = ROW_KINDS.get(row.kind, row.kind)


def _numbers(base: Record, cells: Iterable[tuple[str, Cell]], table: Table, seen: set[str]) -> Iterator[Record]:
    order = {key: i for i, key in enumerate(table.spec.keys)}
    for key, cell in sorted(cells, key=lambda kc: order.get(kc[0].split(":", 1)[-1], len(order))):  # spec order, not sheet order
        if cell.amount is None or cell.where in seen:
            continue
        kind = _kind(table, key)
        if kind not in ("amount", "number", "percent"):
            continue
        seen.add(cell.where)
        record = dict(base)
        record["列"] = key
        record["金额" if kind == "amount" else "数值"] = cell.amount
        record["来源"] = cell.where
        yield record


def _kind(table: Table, key: str) -> str:
    spec = table.spec
    if spec.layout == "sided":  # a sided row's cells drop the side: "预算数" is "收入/预算数" or "支出/预算数"
        return next((c.kind for c in spec.columns if c.key.endswith(f"/{key}")), "text")
    for f in spec.fields:
        if f.key == key:
            return f.kind
    try:
        return spec.column(key.split(":", 1)[-1]).kind
    except KeyError:
        return "text"


def _indicator(base: Record, row: Row, sheet: str) -> Record:
    record = dict(base)
    for key in INDICATOR_KEYS:
        record[key] = row.text(key) or None
    value = row.text("指标值") or row.text("年度指标值")
    record["指标值"] = value or None
    record["指标数值"] = indicator_number(value, row.text("度量单位")) if value else None
    weight = row.cells.get("权重") or row.cells.get("分值")
    record["权重"] = weight.amount if weight is not None else None
    record["列"] = "指标"
    record["来源"] = f"{sheet}!{_col(row.cells['三级指标'].ref) if '三级指标' in row.cells else 'A'}{row.number}"
    return record


def _col(ref: str) -> str:
    return "".join(ch for ch in ref if ch.isalpha())


def tidy_records(book: Book, file: str) -> list[Record]:
    """The tidy records of one workbook (pure: no pandas)."""
    department = next((t.department for t in book.tables if t.department), "")
    out: list[Record] = []
    for table in book.tables:
        out.extend(table_records(table, file, table.department or department))
    return out


def table_records(table: Table, file: str, department: str) -> list[Record]:
    """One table's tidy records: its amounts, then (indicator and form tables) its indicators."""
    out: list[Record] = []
    seen: set[str] = set()
    base = _blank(file, department, table)
    if table.spec.layout == "form":
        context = dict(base)
        context["项目名称"] = table.fields["项目名称"].text if "项目名称" in table.fields else None
        context["单位名称"] = (table.fields.get("实施单位") or table.fields.get("部门名称") or Cell(sheet="", ref="A1")).text or None
        context["行类型"] = ROW_KINDS["field"]
        out.extend(_numbers(context, table.fields.items(), table, seen))
        for row in table.rows:
            record = dict(context)
            record["行类型"] = ROW_KINDS.get(row.kind, row.kind)
            if row.kind == "fund":
                record["栏目"] = row.item
                out.extend(_numbers(record, ((f"资金:{key}", c) for key, c in row.cells.items()), table, seen))
            elif row.kind == "indicator":
                out.append(_indicator(record, row, table.sheet))
        return out
    details = _detail_rows(table)
    projects: set[tuple[object, ...]] = set()
    for i, row in enumerate(table.rows):
        record = dict(base)
        _row_context(record, row, table)
        record["明细"] = i in details
        if table.spec.layout == "indicators":
            record["明细"] = None
            block = dict(record, 科目名称=None, 行类型=ROW_KINDS["project"])
            amounts = [(k, c) for k, c in row.cells.items() if _kind(table, k) == "amount"]
            for amount in _numbers(block, amounts, table, seen):  # 预算数: once per project block
                project = (amount["单位名称"], amount["项目编码"], amount["项目名称"], amount["列"])
                if project not in projects:
                    projects.add(project)
                    out.append(amount)
            if row.kind == "indicator":
                out.append(_indicator(record, row, table.sheet))
            continue
        out.extend(_numbers(record, row.cells.items(), table, seen))
    return out


# ----------------------------------------------------------------------------------------------------------
# frames and files (pandas)
# ----------------------------------------------------------------------------------------------------------


def tidy_frame(records: Sequence[Record]) -> pd.DataFrame:
    """Records as a frame with every tidy column, in order; amounts stay Decimal (object dtype)."""
    import pandas as pd

    return pd.DataFrame(list(records), columns=list(TIDY_COLUMNS))


def changes_frame(items: Iterable[tuple[str, Change]]) -> pd.DataFrame:
    """(file, change) pairs as the changes log."""
    import pandas as pd

    rows = [
        {"文件": f, "表": c.table, "工作表": c.sheet, "单元格": c.ref, "列": c.column, "修改": c.label, "原值": c.before, "新值": c.after}
        for f, c in items
    ]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(PARQUET_MISSING) from None
    return pyarrow


def write_frame(frame: pd.DataFrame, target: str | Path, fmt: Format, sheet: str = "数据") -> Path:
    """Write a frame atomically as xlsx (one sheet), csv (UTF-8 with BOM, so Excel reads Chinese) or Parquet."""
    target = Path(target)
    if fmt == "parquet":
        pa = _arrow()
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with atomic_path(target) as tmp:
            pa.parquet.write_table(table, tmp)
        return target
    with atomic_path(target) as tmp:
        if fmt == "csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            frame.to_excel(tmp, index=False, sheet_name=sheet, engine="openpyxl")
    return target


def source_columns(ct: CleanTable, half: str | None = None) -> list[Col]:
    """The columns of a table's clean sheet: the published layout's, less the optional ones its source did not print,
    plus those it printed that the layout leaves out when blank. A template column the source left out would print
    blank and read as zeros (一般公共预算拨款收入 and 政府性基金预算拨款收入 under a 财政拨款收入 that a Shanghai 收入预算总表,
    or a PDF of it, prints whole: 财政拨款收入 ≠ Σ its parts on the re-read); the code parts are those the source
    printed (类 | 款 for an 经济分类 ledger), all three when it printed whole codes. ``half``: the columns of one
    half of a table printed as two ledgers side by side (`TableSpec.halves`)."""
    halves = tuple(f"{h}/" for h in ct.table.spec.halves)
    if half:
        had = {k[len(half) + 1 :] for k in ct.table.columns if k.startswith(f"{half}/")}
    else:
        had = {k for k in ct.table.columns if not (halves and k.startswith(halves))}
    rows = ct.data.rows if half is None else [r for r, s in zip(ct.data.rows, ct.table.rows, strict=True) if s.side == half]
    filled = {k for row in rows for k, v in row.items() if v not in (None, "")}
    parts = {c.key for c in ct.data.spec.columns if c.kind == "code_part"} & had
    printed = {c.key for c in printed_columns(ct.data.spec, ct.data)}
    out = []
    for c in ct.data.spec.columns:
        if c.kind == "code_part" and parts:
            keep = c.key in parts
        elif c.kind in ("code", "code_part"):
            keep = c.key in printed
        else:
            keep = c.required or c.key in had or c.key in filled
        if keep:
            out.append(c)
    return out


def halves_plan(ct: CleanTable, name: str) -> SheetPlan:
    """A ledger printed as two ledgers side by side (`TableSpec.halves`: 人员经费 | 公用经费, each 编码 | 名称 | 决算数),
    laid out as its source printed it: each half with the same header (what the reader splits on), the second to
    the right of the first, under one title and 部门/金额单位 line; rows paired by position, as printed."""
    from dataclasses import replace

    from ..core.addresses import cell_position, col_letter
    from ..fill.layout import CellWrite

    halves = [h for h in ct.table.spec.halves if any(r.side == h for r in ct.table.rows)]
    wanted = {c.key for h in halves for c in source_columns(ct, h)}
    columns = [c for c in ct.data.spec.columns if c.key in wanted]
    plans = [
        lay_out(replace(ct.data, rows=[r for r, s in zip(ct.data.rows, ct.table.rows, strict=True) if s.side == h]), name, columns)
        for h in halves
    ]
    width = len(columns)
    last = col_letter(width * len(plans) - 1)
    top = plans[0].header[0]

    def shift(ref: str, by: int) -> str:
        row, col = cell_position(ref)
        return f"{col_letter(col + by)}{row + 1}"

    out = SheetPlan(name=name, table_id=plans[0].table_id, header=plans[0].header, columns=plans[0].columns)
    for cell in plans[0].cells:
        row, col = cell_position(cell.ref)
        if row + 1 < top and cell.role == "meta" and col > 0:  # 金额单位: to the right edge of both halves
            out.cells.append(CellWrite(f"{last}{row + 1}", cell.value, cell.role))
        elif row + 1 < top:
            out.cells.append(cell)
    out.merges = [f"A2:{last}2"]
    for i, plan in enumerate(plans):
        by = i * width
        out.cells += [CellWrite(shift(c.ref, by), c.value, c.role) for c in plan.cells if cell_position(c.ref)[0] + 1 >= top]
        for m in plan.merges:
            a, b = m.split(":")
            if cell_position(a)[0] + 1 >= top:
                out.merges.append(f"{shift(a, by)}:{shift(b, by)}")
        out.widths |= {shift(f"{k}1", by).rstrip("0123456789"): w for k, w in plan.widths.items()}
    out.data = (plans[0].data[0], max(p.data[1] for p in plans))
    return out


def clean_plans(tables: list[CleanTable]) -> list[SheetPlan]:
    """The clean workbook's sheets: each table in the published layout, one sheet per table."""
    return [
        halves_plan(ct, name) if any(r.side in ct.table.spec.halves for r in ct.table.rows) and ct.table.spec.halves
        else lay_out(ct.data, sheet=name, columns=source_columns(ct))
        for ct, name in zip(tables, sheet_names(tables), strict=True)
    ]


def write_clean(book: Book, target: str | Path) -> list[Change]:
    """Write a workbook's tables, normalised, in the published layout; return what changed."""
    tables = clean_book(book)
    write_plans(clean_plans(tables), target)
    return [c for ct in tables for c in ct.changes]
