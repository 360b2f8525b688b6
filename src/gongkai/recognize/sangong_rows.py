"""三公 tables printed with the items as rows: 合计 | 因公出国（境）费 | 公务接待费 | 公务用车购置及运行费 (其中：购置 / 运行)
down the left, the periods across (预算数, 上年决算数, 本年决算数, 增减金额, 执行数 …).

Many provinces print them so (TABLES.md § Real layouts → 三公 tables). They are read into the model the rules know —
one row per period, the items as its cells, each cell at its own address — so every 三公 equation runs unchanged.
Count rows (团组数, 人次, 辆), other items (会议费, 培训费) and rates (增减幅度) are not parts of 合计 and are left out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..core.addresses import col_letter
from ..core.amounts import UNIT_FACTORS, rounding_bound
from ..core.model import Cell, Row, Table
from ..core.text import fold, shown, strip_ordinal
from .cells import type_cell
from .merged_grid import a1

if TYPE_CHECKING:
    from .rows import _Reader

SANGONG_TABLES = ("budget.general_sangong", "budget.fund_sangong", "final.sangong")
_COUNTS = re.compile(r"团组|人次|人数|辆|批次|保有量|个数|次数|\((?:个|人|次|批)\)")
_OTHER = ("会议费", "培训费", "机关运行经费")
_LEAD = re.compile(r"^(?:其中[:：]?|\(\d+\)|\d+[.、．]|[①②③④⑤])+")
_PERIOD = re.compile(r"^(?:(?:\d{4}年度?)?(?:本年|上年|当年|年初|全年|调整后)?(?:预算数|预算|决算数|决算|执行数|执行)|增减(?:金额|额|数)|小计|合计)$")
_RATE = re.compile(r"幅度|率|%|比例|比上年")
_VEHICLE = "公务用车购置及运行费"


def item_key(label: str) -> str | None:
    """The 三公 column an item row stands for, or None for a row that is not a part of 合计 (counts, 会议费 …)."""
    text = _LEAD.sub("", strip_ordinal(fold(label)))
    if not text or _COUNTS.search(text) or any(o in text for o in _OTHER):
        return None
    if text in ("合计", "总计", "三公经费合计", "三公经费", "三公经费支出合计"):
        return "合计"
    if "出国" in text:
        return "因公出国(境)费"
    if "接待" in text:
        return "公务接待费"
    if "公务用车" in text or text in ("购置费", "运行费", "运行维护费", "车辆购置费", "车辆运行费"):
        buys, runs = "购置" in text, "运行" in text
        if buys and not runs:
            return f"{_VEHICLE}/公务用车购置费"
        if runs and not buys:
            return f"{_VEHICLE}/公务用车运行费"
        return _VEHICLE
    return None


def read_items_as_rows(reader: _Reader) -> Table | None:
    """The 三公 table under the reader's title when it prints its items as rows; None when it does not."""
    reg, g = reader.region, reader.grid
    for top in range(reg.title_row + 1, min(reg.end, reg.title_row + 6)):
        periods = [(c, t) for c, t in g.texts(top) if _PERIOD.match(_year_free(t)) and not _RATE.search(t)]
        if not periods:
            continue
        label_col = min(c for c, _ in g.texts(top))
        items = [(r, key) for r in range(top + 1, reg.end) if (key := item_key(shown(g.get(r, label_col)))) is not None]
        if len(items) < 3 or label_col >= periods[0][0]:
            return None
        return _table(reader, top, label_col, periods, items)
    return None


def _year_free(text: str) -> str:
    return re.sub(r"^\d{4}年度?", "", text)


def _table(reader: _Reader, top: int, label_col: int, periods: list[tuple[int, str]], items: list[tuple[int, str]]) -> Table:
    reg, g, s = reader.region, reader.grid, reader.spec
    reader.read_meta(range(reg.title_row + 1, top))
    scale = UNIT_FACTORS.get(reader.money_unit, UNIT_FACTORS["万元"])
    final = s.id == "final.sangong"
    rows: list[Row] = []
    for c, text in periods:
        bare = _year_free(text)
        prefix = ("决算数/" if "决算" in bare or "执行" in bare else "预算数/") if final else ""
        cells: dict[str, Cell] = {}
        for r, key in items:
            if prefix + key not in cells:
                cells[prefix + key] = type_cell(reader.sheet, r, c, g.get(r, c), "amount", scale)
        first = min(r for r, _ in items)
        rows.append(Row(number=first + 1, kind="item", label=text, label_cell=type_cell(reader.sheet, top, c, g.get(top, c), "text"), cells=cells))
    keys = {k for row in rows for k in row.cells}
    columns = {k: col_letter(periods[0][0]) for k in sorted(keys)}
    last = max(r for r, _ in items)
    decimals = max((len(t.split(".")[1]) for row in rows for cell in row.cells.values() if (t := shown(cell.raw)) and "." in t), default=2)
    return Table(
        id=s.id, title=reg.title, sheet=reader.sheet, title_ref=a1(reg.title_row, reg.title_col), number=reader.number,
        department=reader.department, department_ref=reader.department_ref, money_unit=reader.money_unit, header_rows=(top + 1, top + 1), columns=columns,
        rows=tuple(rows), last_row=last + 1, rounding=rounding_bound(decimals, reader.money_unit),
    )
