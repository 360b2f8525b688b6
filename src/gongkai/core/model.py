"""The typed workbook: Book → Table → Row → Cell, every value with its source cell.

Plain slotted dataclasses, not pydantic models: a workbook has thousands of cells and a validated model per cell
costs more than calamine's whole parse of it. Cells are typed by the reader (a text number stays remembered as
text); pydantic stays at the boundary (findings, results, profiles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, TypeVar

from .grid import Scalar
from .specs import TableSpec, spec

T = TypeVar("T")
RowKind = Literal["total", "unit", "item", "project", "indicator", "fund", "text"]


class _Copyable:
    """``model_copy(update=...)``, as the pydantic models had it (tests and rules build changed copies)."""

    __slots__ = ()

    def model_copy(self: T, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> T:
        cls = type(self)
        fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
        unknown = set(update or ()) - fields.keys()
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        new = object.__new__(cls)  # slots: copy field by field (dataclasses.replace re-runs __init__, 3x slower)
        for name in fields:
            object.__setattr__(new, name, getattr(self, name))
        for name, value in (update or {}).items():
            object.__setattr__(new, name, value)
        return new


@dataclass(slots=True, unsafe_hash=True)
class Cell(_Copyable):
    """One value as read: where it is, what the sheet held, and what it means.

    Treated as immutable (copies via ``model_copy``); not frozen, because a frozen dataclass's ``__init__`` costs
    ~3 µs a cell (``object.__setattr__`` per field), more than calamine's parse of it. Positional order:
    sheet, ref, raw, value, as_text, bad.
    """

    sheet: str
    ref: str
    """A1 address, e.g. "D14"."""
    raw: Scalar = None
    """What the sheet held (calamine's cached value); text as written."""
    value: Decimal | str | None = None
    """Amounts as Decimal in 万元; numbers as Decimal; text cleaned; None when blank or unreadable."""
    as_text: bool = False
    """A number stored as text ("1,672.81")."""
    bad: bool = False
    """Text that should have been a number and is not one ("待定", "#REF!")."""

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"

    @property
    def amount(self) -> Decimal | None:
        return self.value if isinstance(self.value, Decimal) else None

    @property
    def text(self) -> str:
        value = self.value
        if value.__class__ is str:  # text cells, the common case (a cleaned value is a plain str)
            return value
        return "" if value is None else str(value)


@dataclass(slots=True, kw_only=True, eq=True)
class Row(_Copyable):
    """A data row: its Excel row number, what kind of row it is, its code, label and cells by column key.

    Treated as immutable (copies via ``model_copy``); not frozen, for the cost of a frozen ``__init__``."""

    number: int
    kind: RowKind
    code: str | None = None
    """科目编码 as digits (3/5/7), parsed from 类/款/项 cells or one code cell."""
    code_cell: Cell | None = None
    label: str = ""
    """The row's label, cleaned (科目名称, 单位名称, 收支项目)."""
    label_cell: Cell | None = None
    unit: str | None = None
    """The 单位 the row belongs to: its code when known, else its name."""
    unit_name: str | None = None
    project: str | None = None
    """项目名称 without its code."""
    project_code: str | None = None
    side: str | None = None
    """Sided tables: "收入" or "支出"."""
    item: str | None = None
    """Sided tables and fund grids: the fixed item key ("本年收入合计"), or "类:208" for a 功能分类 类 row."""
    cells: dict[str, Cell] = field(default_factory=dict)
    """By column key; a sided table's cells drop the side prefix ("预算数", not "收入/预算数")."""

    def amount(self, key: str) -> Decimal | None:
        """The amount in a column, None when blank or absent."""
        cell = self.cells.get(key)
        return cell.amount if cell is not None else None

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell is not None else ""

    @property
    def level(self) -> int:
        """1, 2, 3 for a 类, 款, 项 code (3, 5, 7 digits); 0 without a code."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code or ""), 0)


@dataclass(frozen=True, kw_only=True, eq=False)
class Table(_Copyable):
    """One recognised 公开表 on a sheet."""

    id: str
    title: str
    """The title as printed."""
    sheet: str
    title_ref: str
    number: str | None = None
    """The printed table number ("表1", "公开表3"), if any."""
    department: str | None = None
    department_ref: str | None = None
    """The cell of a 部门 line printed with no name after it ("编制部门：" in a blank template), if any."""
    money_unit: str = "万元"
    """The sheet's 金额单位 as printed; amounts in the model are always 万元."""
    unit_printed: bool = True
    """Whether the sheet prints a 金额单位 line (a ledger without one is read as 万元, with a style warning)."""
    header_rows: tuple[int, int]
    columns: dict[str, str]
    """Column key → column letter."""
    unmapped: tuple[str, ...] = ()
    """Header texts the reader did not understand, as "D4:备注"."""
    missing: tuple[str, ...] = ()
    """Required column keys the sheet lacks."""
    rows: tuple[Row, ...] = ()
    fields: dict[str, Cell] = field(default_factory=dict)
    """Form tables: labelled values (资金总额, 项目名称 …)."""
    empty_note: str | None = None
    """"本表无数据" and the like, when the table says it is empty."""
    last_row: int = 0
    rounding: Decimal | None = None
    """The 舍位 one printed part may carry, in 万元 (half a unit of the printed precision); None: the profile's."""
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, name: str, build: Callable[[Table], T]) -> T:
        """``build(self)``, computed once per table and dropped with it (rules share row indexes this way)."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return self._memo[name]  # type: ignore[no-any-return]

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Table:
        """A copy (e.g. with changed rows) starts with no memo: what was derived from the old rows is gone."""
        return replace(self, **{**(update or {}), "_memo": {}})

    @cached_property
    def spec(self) -> TableSpec:
        """The table's spec (looked up once: rules ask for it a thousand times a workbook)."""
        return spec(self.id)

    @property
    def first_row(self) -> int | None:
        return self.rows[0].number if self.rows else None

    @property
    def data_last_row(self) -> int | None:
        return self.rows[-1].number if self.rows else None

    def ref(self, row: Row, key: str) -> str:
        """The A1 address of a row's cell in a column, whether or not the cell holds a value."""
        cell = row.cells.get(key)
        if cell is not None:
            return cell.ref
        if key not in self.columns and row.side is not None and f"{row.side}/{key}" in self.columns:  # a half's column
            return f"{self.columns[f'{row.side}/{key}']}{row.number}"
        if key not in self.columns and row.side is not None:  # a sided row's keys drop the side's prefix
            side = next((s for s in self.spec.sides if s.name == row.side and s.under), None)
            if side is not None and f"{side.under[0]}/{key}" in self.columns:
                return f"{self.columns[f'{side.under[0]}/{key}']}{row.number}"
        return f"{self.columns[key]}{row.number}"

    def where(self, row: Row, key: str) -> str:
        return f"{self.sheet}!{self.ref(row, key)}"

    def items(self, side: str) -> dict[str, Row]:
        """A sided table's rows on one side ("收入" / "支出") by item key; the first row of an item wins."""
        out: dict[str, Row] = {}
        for r in self.rows:
            if r.side == side and r.item and r.item not in out:
                out[r.item] = r
        return out

    def of_kind(self, *kinds: RowKind) -> Iterator[Row]:
        return (r for r in self.rows if r.kind in kinds)


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem(_Copyable):
    """Something the reader could not understand: it becomes an R-rule finding."""

    rule: str
    message: str
    sheet: str
    ref: str
    table: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False)
class Book(_Copyable):
    """Every table recognised in one workbook."""

    sheets: tuple[str, ...]
    tables: tuple[Table, ...] = ()
    problems: tuple[Problem, ...] = ()
    text: tuple[tuple[str, str, str], ...] = ()
    """(sheet, cell, text) of every text cell on the visible sheets that hold no 公开表: the workbook's own 说明
    (部门编制说明, 其他相关情况说明 … in the 上海 platform's export), checked against the tables like a document's."""

    def all(self, table_id: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.id == table_id)

    def get(self, table_id: str) -> Table | None:
        found = self.all(table_id)
        return found[0] if found else None

    def __contains__(self, table_id: object) -> bool:
        return any(t.id == table_id for t in self.tables)
