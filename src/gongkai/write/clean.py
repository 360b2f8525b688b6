"""Recognised tables → normalised table data in the published layout, and every change that took.

Pure: takes the `Book` the reader built and returns `layout.TableData` per table (what the clean workbook is written
from) plus one `Change` per cell value that export altered, so nothing changes silently:

- numbers stored as text become numbers; "-" and other placeholders in amount columns become blank;
- labels are rejoined and trimmed, full-width forms normalised (`text.clean`, which the reader already applied);
- 科目编码 are printed as 类/款/项 from the row's code, whatever the sheet used (one cell, dotted, in the label);
- merged or blank cells that stand for the row above are filled down;
- amounts are in 万元, rounded half-up to 0.01 as published tables are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from ..core.indicator_values import number_of
from ..core.model import Book, Cell, Row, Table
from ..core.specs import Col, TableSpec
from ..core.text import CENT, clean, parse_number, shown
from ..fill.layout import TableData, Value

ChangeKind = Literal[
    "text_number", "full_width", "label_cleaned", "placeholder", "filled_down", "unit_converted", "rounded",
    "code_split", "code_normalised",
]
CHANGE_LABELS: dict[ChangeKind, str] = {
    "text_number": "文本型数字转为数值",
    "full_width": "全角字符转为半角",
    "label_cleaned": "去除多余空格和换行",
    "placeholder": "占位符（如“-”）改为空白",
    "filled_down": "合并或空白单元格向下填充",
    "unit_converted": "金额单位换算为万元",
    "rounded": "金额按万元保留两位小数",
    "code_split": "科目编码从名称中拆出",
    "code_normalised": "科目编码改为类/款/项",
}
"""How each kind of change is named in the changes log."""

CODE_PARTS = ("类", "款", "项")


@dataclass(frozen=True)
class Change:
    """One cell value that export altered: where it was, what it held, what was written, and why."""

    table: str
    sheet: str
    ref: str
    column: str
    kind: ChangeKind
    before: str
    after: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.kind]


@dataclass
class CleanTable:
    """A recognised table, the normalised data it is rewritten from, and the changes that took."""

    table: Table
    data: TableData
    changes: list[Change] = field(default_factory=list)


def published(amount: Decimal) -> Decimal:
    """An amount as a published table prints it: 万元, half-up to 0.01."""
    return amount.quantize(CENT, ROUND_HALF_UP)


def split_code(code: str) -> dict[str, str]:
    """"2080505" → {"类": "208", "款": "05", "项": "05"}; a 3- or 5-digit code fills the first parts only."""
    parts = {"类": code[:3]}
    if len(code) >= 5:
        parts["款"] = code[3:5]
    if len(code) >= 7:
        parts["项"] = code[5:7]
    return parts


def book_department(book: Book) -> str:
    """The department named on the first table that names one ("" if none does)."""
    return next((t.department for t in book.tables if t.department), "")


class _Cleaner:
    """Builds one table's data and change list."""

    def __init__(self, table: Table, department: str) -> None:
        self.table = table
        self.spec: TableSpec = table.spec
        self.department = department
        self.changes: list[Change] = []

    def change(self, cell: Cell, column: str, kind: ChangeKind, before: object, after: object) -> None:
        self.changes.append(Change(self.table.id, cell.sheet, cell.ref, column, kind, shown(before), shown(after)))

    def column(self, key: str) -> Col | None:
        try:
            return self.spec.column(key)
        except KeyError:
            return None

    # -- one cell --------------------------------------------------------------------------------------

    def value(
        self, cell: Cell, key: str, kind: str, row_number: int | None = None, *, filled_is_change: bool = True,
        after: str | None = None,
    ) -> Value:
        """The value to write for a cell, logging what differs from what the sheet held."""
        if row_number is not None and filled_is_change and _row_of(cell.ref) != row_number and cell.raw is not None:
            self.changes.append(Change(
                self.table.id, cell.sheet, f"{_col_of(cell.ref)}{row_number}", key, "filled_down", "",
                f"{shown(cell.value)}（取自 {cell.ref}）",
            ))
        if cell.raw is None:
            return None
        if kind in ("amount", "number", "percent"):
            return self._number(cell, key, kind)
        if kind in ("code", "code_part"):
            return cell.text
        if not isinstance(cell.raw, str):
            return cell.raw if isinstance(cell.raw, (int, float)) and not isinstance(cell.raw, bool) else cell.text
        written = cell.text if after is None else after
        raw = cell.raw
        nfkc = unicodedata.normalize("NFKC", raw)
        if kind == "name" and ("（" in raw or "）" in raw):
            # a 科目名称 keeps the full-width brackets it was printed with, as 《政府收支分类科目》 prints them
            written, nfkc = _full_width_brackets(written), _full_width_brackets(nfkc)
        if nfkc != raw:
            self.change(cell, key, "full_width", raw, nfkc)
        if written != nfkc:
            self.change(cell, key, "label_cleaned", raw, written)
        return written

    def _number(self, cell: Cell, key: str, kind: str) -> Value:
        raw = cell.raw
        if cell.value is None:
            if cell.bad:
                return cell.text  # not a number and not a placeholder: kept, the checks report it
            self.change(cell, key, "placeholder", raw, "")
            return None
        assert isinstance(cell.value, Decimal)
        value: Decimal = cell.value
        if cell.as_text:
            self.change(cell, key, "text_number", raw, value)
            if isinstance(raw, str) and unicodedata.normalize("NFKC", raw) != raw:
                self.change(cell, key, "full_width", raw, unicodedata.normalize("NFKC", raw))
        if kind != "amount":
            return value
        if self.table.money_unit != "万元":
            self.change(cell, key, "unit_converted", f"{shown(raw)} {self.table.money_unit}", f"{value.normalize():f} 万元")
        exact = _exact(raw, value, self.table.money_unit)
        out = published(value)
        if exact != out:
            self.change(cell, key, "rounded", f"{exact.normalize():f}", out)
        return out

    # -- rows ------------------------------------------------------------------------------------------

    def ledger_row(self, row: Row) -> dict[str, Value]:
        out: dict[str, Value] = {}
        name_key = next((c.key for c in self.spec.columns if c.kind == "name"), None)
        unit_code_key = next((c.key for c in self.spec.columns if c.kind == "unit_code"), None)
        label_cell = row.label_cell
        coded_unit = (
            row.kind == "unit" and label_cell is not None and name_key is not None and bool(row.unit)
            and bool(row.unit_name) and row.unit != row.unit_name and not (unit_code_key and row.text(unit_code_key))
        )
        for key, cell in row.cells.items():
            col = self.column(key)
            if col is None or col.kind in ("code", "code_part") or (coded_unit and key == name_key):
                continue
            out[key] = self.value(cell, key, col.kind, row.number)
        if self.spec.codes:
            self._codes(row, out)
        if name_key is None:
            return out
        if coded_unit and label_cell is not None:
            self.value(label_cell, name_key, "text", row.number, after=f"{row.unit} {row.unit_name}")
            if unit_code_key:  # "101001 某局" in the name column → 单位代码 | 单位名称
                out[unit_code_key], out[name_key] = row.unit, row.unit_name
                self.change(label_cell, name_key, "code_split", label_cell.text, f"{row.unit} | {row.unit_name}")
            else:
                out[name_key] = f"{row.unit} {row.unit_name}"
        elif row.kind != "unit" and row.code and label_cell is not None and label_cell.text != row.label:
            out[name_key] = row.label  # the code was written in the label
            self.change(label_cell, name_key, "code_split", label_cell.text, f"{row.code} | {row.label}")
        elif (label_cell is None or not label_cell.text) and row.label:
            out[name_key] = row.label  # "合计" printed in a code column
        return out

    def _codes(self, row: Row, out: dict[str, Value]) -> None:
        whole = next((c.key for c in self.spec.columns if c.kind == "code"), "科目编码")
        if row.code is None:
            for key in (*CODE_PARTS, whole):  # an unreadable code: kept as written, the checks report it
                cell = row.cells.get(key)
                if cell is not None and cell.text and not (row.label and cell.text == row.label) and cell.text != key:
                    # (a 类 | 款 | 项 header fused into the 合计 row prints the header's own words there: not a code)
                    out["类" if key == whole else key] = self.value(cell, key, "code", row.number)
            return
        parts = split_code(row.code)
        out.update(parts)
        for key in (*CODE_PARTS, whole):
            cell = row.cells.get(key)
            if cell is None or cell.raw is None:
                continue
            self.value(cell, key, "code", row.number)  # logs a fill-down of a merged 类
            written = shown(cell.raw).strip()
            if key == whole or written != parts.get(key):
                self.change(cell, key, "code_normalised", written, "/".join(parts.values()))

    def sided_rows(self) -> list[dict[str, Value]]:
        by_number: dict[int, dict[str, Value]] = {}
        for row in self.table.rows:
            side = next(s for s in self.spec.sides if s.name == row.side)
            prefix = side.under[0] + "/"
            out = by_number.setdefault(row.number, {})
            for key, cell in row.cells.items():
                col = self.column(prefix + key)
                if col is not None:
                    out[prefix + key] = self.value(cell, prefix + key, col.kind, row.number)
        return [by_number[n] for n in sorted(by_number)]

    def indicator_row(self, row: Row) -> dict[str, Value]:
        out: dict[str, Value] = {}
        for key, cell in row.cells.items():
            col = self.column(key)
            if col is not None:
                out[key] = self.value(cell, key, col.kind, row.number, filled_is_change=not col.block)
        return out

    def form(self, data: TableData) -> None:
        kinds = {f.key: f.kind for f in self.spec.fields}
        for key, cell in self.table.fields.items():
            data.fields[key] = self.value(cell, key, kinds.get(key, "text"))
        for row in self.table.rows:
            if row.kind == "fund":
                fund: dict[str, Value] = {"项目": row.label}
                for key, cell in row.cells.items():
                    col = self.column(key)
                    if col is not None:
                        fund[key] = self.value(cell, f"资金:{key}", col.kind, row.number)
                data.funds.append(fund)
            else:
                data.rows.append(self.indicator_row(row))

    def run(self) -> CleanTable:
        t = self.table
        data = TableData(spec=self.spec, department=t.department or self.department, money_unit="万元")
        if self.spec.layout == "form":
            self.form(data)
        elif self.spec.layout == "sided":
            data.rows = self.sided_rows()
        elif self.spec.layout == "indicators":
            data.rows = [self.indicator_row(r) for r in t.rows]
        else:
            data.rows = [self.ledger_row(r) for r in t.rows]
        data.rows = [{k: v for k, v in r.items() if v is not None} for r in data.rows]
        if not data.rows and t.empty_note:
            data.note = t.empty_note
        self.changes.sort(key=lambda c: (_row_of(c.ref), len(_col_of(c.ref)), _col_of(c.ref)))  # stable: a cell's changes keep their order
        return CleanTable(t, data, self.changes)


def _full_width_brackets(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def _row_of(ref: str) -> int:
    return int(re.sub(r"\D", "", ref))


def _col_of(ref: str) -> str:
    return re.sub(r"\d", "", ref)


def _exact(raw: object, value: Decimal, money_unit: str) -> Decimal:
    """The amount the sheet held, in 万元 without any rounding (the reader rounds to 分 before scaling)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number: Decimal | None = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        number = parse_number(str(raw)) if raw is not None else None
    if number is None:
        return value
    if money_unit == "万元":
        return number
    from ..core.amounts import UNIT_FACTORS

    return number * UNIT_FACTORS.get(money_unit, Decimal(1))


def clean_table(table: Table, department: str = "") -> CleanTable:
    """One recognised table as normalised data in the published layout, with the changes that took."""
    return _Cleaner(table, department).run()


def clean_book(book: Book) -> list[CleanTable]:
    """Every recognised table of a workbook, normalised."""
    department = book_department(book)
    return [clean_table(t, department) for t in book.tables]


def sheet_names(tables: list[CleanTable]) -> list[str]:
    """A unique sheet name (≤ 31 characters) per table: its own sheet's name, numbered when a sheet held several."""
    names: list[str] = []
    for ct in tables:
        base = ct.table.sheet[:27]
        name, n = base, 2
        while name in names:
            name, n = f"{base}({n})", n + 1
        names.append(name)
    return names


def changes(tables: list[CleanTable]) -> Iterator[Change]:
    for ct in tables:
        yield from ct.changes


def indicator_number(text: str, unit: str = "") -> Decimal | None:
    """The number in an 指标值: "≥90" → 90, "99%" → 99, "12个月" with unit 个月 → 12; None for 定性 values."""
    number, _ = number_of(text)
    unit = clean(unit)
    if number is None and unit and clean(text).endswith(unit):
        number, _ = number_of(clean(text)[: -len(unit)])
    return number
