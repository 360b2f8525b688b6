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
from ..fill.layout import SheetPlan, lay_out
from .clean import Change, CleanTable, clean_book, indicator_number, sheet_names
from .workbook import atomic_path, write_plans

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


def clean_plans(tables: list[CleanTable]) -> list[SheetPlan]:
    """The clean workbook's sheets: each table in the published layout, one sheet per table."""
    return [lay_out(ct.data, sheet=name) for ct, name in zip(tables, sheet_names(tables), strict=True)]


def write_clean(book: Book, target: str | Path) -> list[Change]:
    """Write a workbook's tables, normalised, in the published layout; return what changed."""
    tables = clean_book(book)
    write_plans(clean_plans(tables), target)
    return [c for ct in tables for c in ct.changes]
