"""Form tables (表7, 自评表, provincial 项目绩效目标表 / 财政项目支出绩效目标填报表): labelled fields, a 项目资金
block and the indicator grid, as real forms print them.

- A grid (资金 or 指标) starts at a row holding two or more of its section's header words. Its header band ends
  where the header cells' own merges end: a section label merged down the left column (绩效指标) does not extend
  it. A header merged over two grid columns (执行率) is one column.
- Its body ends at the next grid, at a row that begins with a closing label (合计, 评价结论, 自评得分 …), or at a
  full-width row (one merged cell over the grid, or, without merges, a lone text at the left that is no
  indicator level): such a row is never an indicator.
- Fields stand as ``label：value`` in one cell (``自评得分：85分``), as a label with its value to the right, or as a
  label row with the values below (预期目标 | 全年实际完成情况). Labels of one group (收入构成 | 支出构成) are told
  apart by the group printed above them.
- The 项目资金 block of a target form is label → amount pairs (项目资金总额 4,100,000.00 | 年度资金申请总额 …,
  ``财政拨款:6923.3552万元``), read as fund rows, one group per column of labels; ``项目资金（元）`` gives its unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from ..core.addresses import col_letter
from ..core.amounts import UNIT_FACTORS
from ..core.grid import Scalar
from ..core.indicator_values import LEVELS
from ..core.model import Cell, Row, Table
from ..core.specs import (
    FORM_LABELS,
    FORM_OPTIONAL,
    FUND_ITEMS,
    GRID_END_LABELS,
    PROJECT_COST_COLS,
    Col,
    Field,
    Item,
)
from ..core.text import clean, fold, parse_number, shown, split_project, strip_ordinal
from .cells import type_cell
from .headers import _paths, map_columns
from .merged_grid import _Grid, a1

if TYPE_CHECKING:
    from .rows import _Reader

_UNIT_TAIL = re.compile(r"\((?:%|分|万元|元|个|次|万元/%)\)$")
_SECTION_PREFIX = ("长期绩效指标", "年度绩效指标", "本年度绩效指标", "绩效指标")
_MONEY = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|万|元|亿元)?")
_GLUED = re.compile(r"^(\D{2,12}?)[:：]?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|万|元|亿元)?")
_glued = lru_cache(maxsize=1 << 14)(_GLUED.match)
"""``财政拨款:6923.3552万元`` in one cell, matched once per text (a form's every label is tried as a fund pair)."""
_YEAR = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
_SCORE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*分?$")
_BLOCK_UNIT = re.compile(r"(?:资金|预算数|金额)[^()]*\((万元|元|亿元)\)")
_LEVEL_WORDS = frozenset(w for k, v in LEVELS.items() for w in (k, k.removesuffix("指标"), *v))
_END = tuple(fold(x) for x in GRID_END_LABELS)


@lru_cache(maxsize=1 << 12)
def _closes(text: str) -> bool:
    """A row's first text is a closing label (合计, 评价结论, 自评得分 …): a one-character label alone or before a colon,
    a longer one at its start."""
    return any(text == e or text.startswith(e + ":") or (len(e) > 1 and text.startswith(e)) for e in _END)


@lru_cache(maxsize=1 << 14)
def head(text: str) -> str:
    """A header cell as matched: folded, no leading ``*`` (a required field), no unit in brackets at the end
    (``执行率(%)``, ``指标权重(分)``), no section word glued before it (``长期绩效指标 一级指标``)."""
    t = fold(text).rstrip(":").lstrip("*")
    t = _UNIT_TAIL.sub("", t) or t
    t = _YEAR.sub("", t) or t  # 2022年实际执行数: a prior year's column
    for p in _SECTION_PREFIX:
        if t.startswith(p) and len(t) > len(p) + 1:
            t = t[len(p):]
            break
    return t


@lru_cache(maxsize=1 << 14)
def label_of(text: str) -> str:
    """A field or fund label as matched: folded, no trailing colon, no ordinal or 其中, no unit in brackets."""
    t = fold(text).rstrip(":")
    return strip_ordinal(_UNIT_TAIL.sub("", t) or t)


_PLAIN_LABELS = frozenset(label_of(x) for x in FORM_LABELS)


def is_form(reader: _Reader) -> bool:
    """A 表6 region printed as one project's form (项目名称 as a labelled field under the title), not as a grid."""
    g, reg = reader.grid, reader.region
    words = {n for c in reader.spec.columns for n in c.folded_names}
    for r in range(reg.title_row + 1, min(reg.end, reg.title_row + 8)):
        texts = g.texts(r)
        if any(label_of(t.split(":", 1)[0]) == "项目名称" for _, t in texts[:2]):
            return sum(1 for _, t in texts if head(t) in words) < 2  # not the 表6 grid's header row
    return False


_FUND_NAMES = tuple((it, it.folded | {strip_ordinal(x) for x in it.folded}) for it in FUND_ITEMS)
"""Each fund row with the labels that name it: its folded names, with and without an ordinal."""


@lru_cache(maxsize=1 << 14)
def fund_item(label: str, parent: str | None) -> Item | None:
    """The fund row a label names (年度资金总额, 财政拨款 …); a source of 财政拨款 only under it."""
    bare = label_of(label)
    for it, names in _FUND_NAMES:
        if bare in names and (it.parent is None or it.parent == parent):
            return it
    return None


class _Band:
    """One grid of a form: its section, header rows, mapped columns and body rows."""

    def __init__(self, section: str, rows: range, mapped: dict[str, int], unmapped: list[int], paths: dict[int, list[str]]) -> None:
        self.section = section
        self.rows = rows
        self.mapped = mapped
        self.unmapped = unmapped
        self.paths = paths
        self.first = min(mapped.values(), default=0)
        self.last = max(mapped.values(), default=0)
        self.body: list[int] = []


class _FormReader:
    """Labelled fields, the 项目资金 block and the indicator grid of one form region."""

    def __init__(self, base: _Reader) -> None:
        self.base = base
        self.grid: _Grid = base.grid
        self.spec = base.spec
        self.sheet = base.sheet
        self.sections: dict[str, list[Col]] = {}
        for c in self.spec.columns:
            if c.section and not c.block:
                self.sections.setdefault(c.section, []).append(c)
        if self.spec.id == "budget.project_targets":  # the optional 项目预算成本构成 of a provincial form
            self.sections["成本"] = list(PROJECT_COST_COLS)
        self.words = {sec: self._exclusive(sec) for sec in self.sections}
        self._heads: dict[int, list[tuple[int, str]]] = {}
        """(column, header text) of each row asked about (`_hits`)."""
        self.closing: tuple[int, _Band] | None = None
        """The row that ended the indicator grid (合计 …), and that grid."""
        self.field_labels: dict[str, list[Field]] = {}
        for f in self.spec.fields:
            for name in f.folded:
                self.field_labels.setdefault(label_of(name), []).append(f)

    def _exclusive(self, sec: str) -> frozenset[str]:
        mine = {n for c in self.sections[sec] for n in c.folded_names}
        others = {n for s, cols in self.sections.items() if s != sec for c in cols for n in c.folded_names}
        return frozenset(mine - others)

    # -- the whole form -------------------------------------------------------------------------------

    def run(self) -> Table | None:
        b, s, reg = self.base, self.spec, self.base.region
        b.scale = UNIT_FACTORS.get(b.money_unit, Decimal(1))
        start, stop = reg.title_row + 1, reg.end
        self.fund_scale = self._block_scale(start, stop) or b.scale
        bands = self._bands(start, stop)
        used: set[int] = set()
        rows: list[Row] = []
        columns: dict[str, str] = {}
        unmapped: list[str] = []
        missing: list[str] = []
        for i, band in enumerate(bands):
            end = bands[i + 1].rows.start if i + 1 < len(bands) else stop
            used.update(band.rows)
            prefix = "" if band.section == "指标" else f"{band.section}:"
            for k, c in band.mapped.items():
                columns.setdefault(prefix + k, col_letter(c))
            missing += [prefix + c.key for c in self.sections[band.section]
                        if c.required and c.key not in band.mapped and c.key not in FORM_OPTIONAL and prefix + c.key not in missing]
            for c in band.unmapped:
                path = band.paths[c]
                if c > band.first and path[-1] not in _PLAIN_LABELS:
                    unmapped.append(f"{a1(band.rows.start, c)}:{'/'.join(path)}")
            if band.section == "资金":
                rows += self._fund_rows(band, end)
            elif band.section == "成本":
                rows += self._cost_rows(band, end)
            else:
                rows += self._indicator_rows(band, end)
            used.update(band.body)
        kv = s.id != "budget.overall_targets" and not any(bd.section == "资金" for bd in bands)
        fields, kv_funds = self._fields(start, stop, used, funds=kv)
        rows += kv_funds
        rows.sort(key=lambda r: r.number)
        self._total_row_score(fields)
        if not bands and not fields and not kv_funds:
            b.problem("R001", f"找到表名「{reg.title}」，但没有找到项目信息和指标表头，表格未能识别", a1(reg.title_row, reg.title_col))
            return None
        if missing:
            b.problem("R002", f"「{reg.title}」缺少必需的列：{'、'.join(missing)}", a1(reg.title_row, reg.title_col))
        if s.layout == "indicators":  # a 表6 form: one project, named by its fields
            rows = [self._with_project(r, fields) for r in rows]
            totals = [r for r in rows if r.item == "年度资金总额" and "金额" in r.cells]
            if totals and "预算数" not in fields:  # the year's amount: 年度资金申请总额 where the form prints two
                fields["预算数"] = next((r for r in totals if "年度" in r.label), totals[0]).cells["金额"]
        header = (bands[0].rows.start + 1, bands[0].rows.stop) if bands else (reg.title_row + 1, reg.title_row + 1)
        refs = [int(re.sub(r"\D", "", c.ref)) for c in fields.values()]
        last = max([r.number for r in rows] + refs + [reg.title_row + 1])
        return Table(
            id=s.id, title=reg.title, sheet=self.sheet, title_ref=a1(reg.title_row, reg.title_col), number=b.number,
            department=b.department, money_unit=b.money_unit, header_rows=header, columns=columns,
            unmapped=tuple(unmapped), missing=tuple(missing), rows=tuple(rows), fields=fields, last_row=last,
        )

    def _total_row_score(self, fields: dict[str, Cell]) -> None:
        """A 合计 (总分) row closing the grid: its 得分 cell is the 自评得分 where the form prints no score line."""
        f = next((x for x in self.spec.fields if x.key == "自评得分"), None)
        if f is None or "自评得分" in fields or self.closing is None:
            return
        r, band = self.closing
        texts = self.grid.texts(r)
        c = band.mapped.get("得分")
        if c is None or not texts or not texts[0][1].startswith(("合计", "总分", "总计")) or self.grid.origin(r, c) != (r, c):
            return
        fields["自评得分"] = self._field_cell(f, r, c, self.grid.get(r, c))

    def _with_project(self, row: Row, fields: dict[str, Cell]) -> Row:
        name = fields.get("项目名称")
        unit = fields.get("实施单位") or fields.get("主管部门")
        code, project = split_project(name.text) if name is not None and name.text else (None, None)
        if name is not None and row.kind == "indicator":
            row.cells = {**row.cells, "项目名称": name}  # rows fresh from this reader, not yet shared: set in place
        row.project, row.project_code = project, code
        row.unit = row.unit_name = unit.text if unit else None
        return row

    def _block_scale(self, start: int, stop: int) -> Decimal | None:
        """The unit a 项目资金 block names in its label (``项目资金（元）``, ``年度预算数（万元）``)."""
        for r in range(start, stop):
            for _, t in self.grid.texts(r):
                m = _BLOCK_UNIT.search(t)
                if m:
                    return UNIT_FACTORS.get(m.group(1))
        return None

    # -- grids ----------------------------------------------------------------------------------------

    def _hits(self, r: int, sec: str) -> list[int]:
        """Columns of row r whose own cell is a header word of section ``sec`` only."""
        heads = self._heads.get(r)
        if heads is None:  # each row's header texts once, however many sections ask
            heads = self._heads[r] = [(c, head(t)) for c, t in self.grid.texts(r)]
        words = self.words[sec]
        return [c for c, h in heads if h in words]

    def _bands(self, start: int, stop: int) -> list[_Band]:
        g = self.grid
        bands: list[_Band] = []
        r = start
        while r < stop:
            best: tuple[int, str, list[int]] | None = None
            for sec in self.sections:
                hits = self._hits(r, sec)
                if len(hits) >= 2 and (best is None or len(hits) > best[0]):
                    best = (len(hits), sec, hits)
            if best is None:
                r += 1
                continue
            _, sec, hits = best
            bottom = r
            for c in hits:  # the band ends where its header cells' own merges end
                for rr in range(r + 1, min(stop, r + 4)):
                    if g.origin(rr, c) == (r, c):
                        bottom = max(bottom, rr)
            while bottom + 1 < stop and len(self._hits(bottom + 1, sec)) >= 2 and not any(
                isinstance(v, (int, float)) for v in g.rows[bottom + 1]
            ):
                bottom += 1  # a second header row (sub-headers under a group), merges unknown
            band = range(r, bottom + 1)
            paths = self._band_paths(band)
            mapped, um = map_columns(self.sections[sec], paths, self.base.synonyms)
            if len(mapped) >= 2:
                bands.append(_Band(sec, band, mapped, um, paths))
            r = bottom + 1
        return bands

    def _band_paths(self, band: range) -> dict[int, list[str]]:
        g = self.grid
        paths = _paths(g, band)
        out: dict[int, list[str]] = {}
        for c in sorted(paths):
            orow, ocol = g.origin(band.stop - 1, c)
            if ocol < c and orow >= band.start and (c - 1) in paths and g.origin(band.stop - 1, c - 1) == (orow, ocol):
                continue  # a header merged over two grid columns (执行率 over two cells) is one column
            out[c] = [head(t) for t in paths[c]]
        return out

    def _own(self, r: int, c: int) -> Scalar:
        """The value of cell (r, c) if it is its own cell or the first cell of a merge."""
        g = self.grid
        return g.get(r, c) if g.origin(r, c) == (r, c) else None

    def _ends_grid(self, r: int, band: _Band) -> bool:
        """A closing row (合计, 评价结论, 自评得分 …) or a full-width row: the grid is over."""
        g = self.grid
        texts = g.own_texts(r)
        if not texts:
            return False
        c0, first = texts[0]
        if c0 <= band.first + 1 and _closes(first):
            return True
        for c, _ in texts:
            for m in g.merges_at(r, c):
                if m[1] <= band.first and m[3] >= band.last:
                    return True
        if len(texts) == 1 and c0 <= band.first and band.mapped.get("一级指标") == band.first:
            bare = re.sub(r"\(\d+分\)$", "", first)  # a lone text in the 一级 column that is no 一级: a section line
            return bare not in _LEVEL_WORDS
        return False

    def _fund_rows(self, band: _Band, end: int) -> list[Row]:
        g = self.grid
        out: list[Row] = []
        parent: str | None = None
        cols = [(col, k, band.mapped[k]) for col in self.sections["资金"] for k in (col.key,) if k in band.mapped]
        for r in range(band.rows.stop, end):
            texts = [(c, t) for c, t in g.texts(r) if c < band.first and g.origin(r, c) == (r, c)]
            if not g.texts(r):
                continue
            item = None
            label = ""
            for c, t in reversed(texts):
                it = fund_item(t, parent)
                if it is not None:
                    item, label = it, clean(shown(g.get(r, c))).rstrip(":：")
                    break
            if item is None:
                if any(label_of(t) in self.field_labels or label_of(t) in _PLAIN_LABELS for _, t in g.texts(r)):
                    break  # the funds grid ended: a field row (年度总体目标) follows
                continue
            if item.parent is None:
                parent = item.key
            cells = {k: self._typed(r, c, col.kind, self.fund_scale) for col, k, c in cols}
            out.append(Row(number=r + 1, kind="fund", label=label, item=item.key, cells=cells))
            band.body.append(r)
        return out

    def _cost_rows(self, band: _Band, end: int) -> list[Row]:
        """项目预算成本构成: one row per cost item with its 金额 (测算依据, prior-year 实际执行数), then 合计."""
        g = self.grid
        out: list[Row] = []
        cols = [(col, col.key, band.mapped[col.key]) for col in self.sections["成本"] if col.key in band.mapped]
        name = band.mapped.get("成本项目")
        amounts = [c for col, _, c in cols if col.kind == "amount"]
        for r in range(band.rows.stop, end):
            texts = g.own_texts(r)
            if not texts:
                continue
            left = [(c, t) for c, t in texts if c < min(amounts, default=band.first)] if name is None else [(c, t) for c, t in texts if c == name]
            label = clean(shown(g.get(r, left[-1][0]))) if left else ""
            cells = {k: self._typed(r, c, col.kind, self.fund_scale) for col, k, c in cols if col.kind != "name"}
            total = label_of(label) in ("合计", "总计", "小计")
            if not total and not any(cells[k].amount is not None for col, k, _ in cols if col.kind == "amount"):
                break  # the sub-table ended: a field or the next section follows
            out.append(Row(number=r + 1, kind="fund", side="成本构成", item="合计" if total else "成本项目", label=label, cells=cells))
            band.body.append(r)
            if total:
                break
        return out

    def _typed(self, r: int, c: int, kind: str, scale: Decimal) -> Cell:
        raw = self._own(r, c)
        cell = type_cell(self.sheet, r, c, raw, kind, scale)
        if isinstance(raw, str) and raw.strip().endswith(("%", "％")):
            if kind == "percent" and cell.value is not None:  # 执行率 printed as 100%: the form's convention
                return Cell(sheet=cell.sheet, ref=cell.ref, raw=raw, value=cell.value)
            if kind == "amount" and parse_number(raw.strip().rstrip("%％")) is not None:
                return Cell(sheet=cell.sheet, ref=cell.ref, raw=raw)  # a percentage where an amount belongs (F459)
        return cell

    def _indicator_rows(self, band: _Band, end: int) -> list[Row]:
        g = self.grid
        out: list[Row] = []
        block: dict[str, Cell] = {}
        cols = [(col, col.key, band.mapped[col.key]) for col in self.sections["指标"] if col.key in band.mapped]
        for r in range(band.rows.stop, end):
            if not g.texts(r):
                continue
            if self._ends_grid(r, band):
                self.closing = (r, band)
                break
            cells: dict[str, Cell] = {}
            own = False
            for col, k, c in cols:
                orow, ocol = g.origin(r, c)
                if k in ("一级指标", "二级指标"):
                    cell = self.base.origin_cell(orow, ocol, col.kind)  # a merged 一级/二级指标: typed once
                    if cell.raw is None and k in block:
                        cell = block[k]
                    elif cell.raw is not None:
                        block[k] = cell
                    if k == "二级指标" and (orow, ocol) == (r, c) and cell.raw is not None:
                        own = True
                    cells[k] = cell
                    continue
                cells[k] = self._typed(r, c, col.kind, self.base.scale)
                if cells[k].raw is not None:
                    own = True
            if not own:
                continue
            band.body.append(r)
            out.append(Row(number=r + 1, kind="indicator", label=cells.get("三级指标", Cell(sheet=self.sheet, ref=a1(r, 0))).text, cells=cells))
        return out

    # -- fields ---------------------------------------------------------------------------------------

    def _fields(self, start: int, stop: int, used: set[int], funds: bool) -> tuple[dict[str, Cell], list[Row]]:
        g = self.grid
        found: dict[str, Cell] = {}
        pairs: list[tuple[int, Row]] = []
        groups = self._groups(start, stop)
        fund_groups: dict[int, str] = {}
        parent: dict[int, str | None] = {}
        for r in range(start, stop):
            if r in used:
                continue
            texts = g.own_texts(r)
            for i, (c, _) in enumerate(texts):
                raw = clean(shown(g.get(r, c)))
                label, value = self._split(raw)
                if funds and self._fund_pair(r, c, raw, texts[i + 1:], fund_groups, parent, pairs):
                    continue
                f = self._field(label_of(label), r, c, groups)
                if f is None or (f.key in found and found[f.key].text):
                    continue
                if value is not None:
                    if value:
                        found[f.key] = self._field_cell(f, r, c, value)
                    continue
                cell = self._value_of(f, r, c, texts[i + 1:], stop, used)
                if cell is not None and (cell.text or f.key not in found):
                    found[f.key] = cell
        if len(fund_groups) > 1:  # one group per column of labels: 项目资金总额 | 年度资金申请总额
            for c, row in pairs:  # rows fresh from this reader, not yet shared: set in place
                row.side = fund_groups.get(c)
        return found, [row for _, row in pairs]

    @staticmethod
    @lru_cache(maxsize=1 << 14)
    def _split(text: str) -> tuple[str, str | None]:
        """``label：value`` → (label, value); a plain label → (label, None)."""
        m = re.match(r"^([^:：]{1,20})[:：]\s*(.*)$", text, re.S)
        if m and m.group(1).strip() != "其中":  # "其中：财政资金" is one label
            return m.group(1), m.group(2).strip()
        return text, None

    def _groups(self, start: int, stop: int) -> list[tuple[int, int, str]]:
        words = {w for f in self.spec.fields for w in f.folded_under}
        if not words:
            return []
        return [(r, c, head(t)) for r in range(start, stop) for c, t in self.grid.texts(r) if head(t) in words]

    def _field(self, label: str, r: int, c: int, groups: list[tuple[int, int, str]]) -> Field | None:
        candidates = self.field_labels.get(label)
        if not candidates:
            return None
        above = [(gc, w) for gr, gc, w in groups if gr < r and gc <= c]
        group = max(above)[1] if above else None
        for f in candidates:
            if not f.under or (group is not None and group in f.folded_under):
                return f
        return None

    def _is_label(self, text: str) -> bool:
        bare = label_of(self._split(clean(text))[0])
        return bare in self.field_labels or bare in _PLAIN_LABELS or fund_item(text, "财政拨款") is not None

    def _value_of(self, f: Field, r: int, c: int, right: Sequence[tuple[int, str]], stop: int, used: set[int]) -> Cell | None:
        g = self.grid
        if right and not self._is_label(right[0][1]):
            vc = right[0][0]
            return self._field_cell(f, r, vc, g.get(r, vc))
        for rr in range(r + 1, min(stop, r + 3)):  # a label with its value in the row below
            if rr in used:
                break
            orow, ocol = g.origin(rr, c)
            if orow != rr or ocol != c:
                if orow < rr and orow <= r:
                    continue  # the label cell itself reaches down
                break
            v = g.get(rr, c)
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            if isinstance(v, str) and self._is_label(v):
                return None
            return self._field_cell(f, rr, c, v)
        return None

    def _field_cell(self, f: Field, r: int, c: int, value: Scalar) -> Cell:
        """A field's value typed by its kind: ``85分`` is 85, ``250万`` is 250 万元, text cleaned."""
        if f.kind == "number" and isinstance(value, str):
            m = _SCORE.match(clean(value))
            if m:
                return Cell(sheet=self.sheet, ref=a1(r, c), raw=value, value=Decimal(m.group(1)))
        if f.kind == "amount" and isinstance(value, str):
            m = _MONEY.match(clean(value))
            if m:
                return self._money_cell(r, c, value, m.group(1), m.group(2))
        return type_cell(self.sheet, r, c, value, f.kind, self.base.scale if f.kind != "amount" else self.fund_scale)

    def _money_cell(self, r: int, c: int, raw: Scalar, number: str, unit: str | None) -> Cell:
        value = parse_number(number)
        if value is None:
            return Cell(sheet=self.sheet, ref=a1(r, c), raw=raw, bad=True)
        scale = UNIT_FACTORS.get("万元" if unit == "万" else unit or "", self.fund_scale)
        amount = value * scale
        amount = amount.normalize() if amount == amount.to_integral() else amount
        return Cell(sheet=self.sheet, ref=a1(r, c), raw=raw, value=amount, as_text=not unit)

    def _fund_pair(self, r: int, c: int, raw: str, right: Sequence[tuple[int, str]], groups: dict[int, str],
                   parent: dict[int, str | None], out: list[tuple[int, Row]]) -> bool:
        """A label → amount pair of a target form's 项目资金 block (or ``财政拨款:6923.3552万元`` in one cell)."""
        g = self.grid
        label, value = self._split(raw)
        cell: Cell | None = None
        if value is None:
            m = _glued(raw)
            if m and fund_item(m.group(1), parent.get(c, "财政拨款")) is not None:
                label = m.group(1)
                cell = self._money_cell(r, c, raw, m.group(2), m.group(3))
        item = fund_item(label, parent.get(c) or "财政拨款")
        if item is None:
            return False
        if cell is None and value:
            m = _MONEY.match(value)
            if m is None:
                return False
            cell = self._money_cell(r, c, raw, m.group(1), m.group(2))
        if cell is None:
            if not right or self._is_label(right[0][1]):
                return False
            vc = right[0][0]
            v = g.get(r, vc)
            if isinstance(v, str):
                m = _MONEY.match(clean(v))
                if m is None:
                    return False
                cell = self._money_cell(r, vc, v, m.group(1), m.group(2))
            else:
                cell = type_cell(self.sheet, r, vc, v, "amount", self.fund_scale)
            if cell.amount is None:
                return False
        if item.total_of and c not in groups:
            groups[c] = clean(label)
        if item.parent is None:
            parent[c] = item.key
        out.append((c, Row(number=r + 1, kind="fund", label=clean(label), item=item.key, cells={"金额": cell})))
        return True
