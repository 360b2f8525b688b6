"""Form tables (部门整体支出绩效目标表, 项目支出绩效自评表): labelled fields plus one grid per section."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.addresses import col_letter
from ..core.amounts import UNIT_FACTORS
from ..core.model import Cell, Row, Table
from ..core.specs import SELFEVAL_FUND_ROWS, Col
from ..core.text import strip_ordinal
from .cells import type_cell
from .headers import _header_words, _item_names, _paths, map_columns
from .merged_grid import a1

if TYPE_CHECKING:
    from .rows import _Reader


class _FormReader:
    """Labelled fields plus one grid per section (资金, 指标)."""

    def __init__(self, base: _Reader) -> None:
        self.base = base
        self.grid = base.grid
        self.spec = base.spec
        self.sheet = base.sheet

    def run(self) -> Table | None:
        b, g, s, reg = self.base, self.grid, self.spec, self.base.region
        b.scale = UNIT_FACTORS.get(b.money_unit, Decimal(1))
        start, stop = reg.title_row + 1, reg.end
        fields = self.fields(start, stop)
        sections = sorted({c.section for c in s.columns})
        bands: list[tuple[str, range]] = []
        for sec in sections:
            cols = [c for c in s.columns if c.section == sec]
            others = _header_words(s, [c for c in s.columns if c.section != sec])
            band = b.find_band(start, stop, cols, depth=stop - start, exclude=others)
            if band is not None:
                bands.append((sec, band))
        if not bands and not fields:
            b.problem("R001", f"找到表名「{reg.title}」，但没有找到项目信息和指标表头，表格未能识别", a1(reg.title_row, reg.title_col))
            return None
        bands.sort(key=lambda x: x[1].start)
        rows: list[Row] = []
        columns: dict[str, str] = {}
        unmapped: list[str] = []
        missing: list[str] = []
        for i, (sec, band) in enumerate(bands):
            cols = [c for c in s.columns if c.section == sec]
            paths = _paths(g, band)
            mapped, um = map_columns(cols, paths, b.synonyms)
            prefix = "" if sec == "指标" else f"{sec}:"
            columns.update({prefix + k: col_letter(c) for k, c in mapped.items()})
            missing += [prefix + c.key for c in cols if c.required and c.key not in mapped]
            unmapped += [f"{a1(band.start, c)}:{'/'.join(paths[c])}" for c in um if c > min(mapped.values(), default=0)]
            end = bands[i + 1][1].start if i + 1 < len(bands) else stop
            typed = [(s_col, k, c) for k, c in mapped.items() for s_col in cols if s_col.key == k]
            first_col = min(mapped.values(), default=0)
            rows += self.section_rows(sec, band, end, typed, first_col)
        if missing:
            b.problem("R002", f"「{reg.title}」缺少必需的列：{'、'.join(missing)}", a1(reg.title_row, reg.title_col))
        header = (bands[0][1].start + 1, bands[0][1].stop) if bands else (reg.title_row + 1, reg.title_row + 1)
        last = max([r.number for r in rows] + [int(re.sub(r"\D", "", c.ref)) for c in fields.values()] + [reg.title_row + 1])
        return Table(
            id=s.id, title=reg.title, sheet=self.sheet, title_ref=a1(reg.title_row, reg.title_col), number=b.number,
            department=b.department, money_unit=b.money_unit, header_rows=header, columns=columns,
            unmapped=tuple(unmapped), missing=tuple(missing), rows=tuple(rows), fields=fields, last_row=last,
        )

    def fields(self, start: int, stop: int) -> dict[str, Cell]:
        g, s = self.grid, self.spec
        found: dict[str, Cell] = {}
        labels = {name: f for f in s.fields for name in f.folded}
        for r in range(start, stop):
            texts = g.texts(r)
            for i, (c, t) in enumerate(texts):
                key = t.rstrip(":")
                f = labels.get(key) or labels.get(strip_ordinal(key))
                if f is None or f.key in found:
                    continue
                value = next(((vc, vt) for vc, vt in texts[i + 1:] if g.origin(r, vc) != g.origin(r, c) and vt.rstrip(":") not in labels), None)
                if value is None:
                    continue
                vc = value[0]
                kind = "amount" if f.kind == "amount" else f.kind
                found[f.key] = type_cell(self.sheet, r, vc, g.get(r, vc), kind, getattr(self.base, "scale", Decimal(1)))
        return found

    def section_rows(self, sec: str, band: range, end: int, columns: list[tuple[Col, str, int]], first_col: int) -> list[Row]:
        g, b = self.grid, self.base
        band_texts = {(c, t) for r in band for c, t in g.texts(r)}
        rows: list[Row] = []
        block: dict[str, Cell] = {}
        parent: str | None = None
        field_words = {n for f in self.spec.fields for n in f.folded}
        for r in range(band.stop, end):
            texts = g.texts(r)
            skip, _ = b.is_skip_row(texts, band_texts)
            if skip:
                continue
            if sec == "资金":
                label = next((t for c, t in texts if c < first_col), "")
                item = None
                bare = strip_ordinal(label)
                for it in SELFEVAL_FUND_ROWS:
                    names = _item_names(it)
                    if (label in names or bare in names) and (it.parent is None or it.parent == parent):
                        item = it.key
                        parent = it.key if it.parent is None else parent
                        break
                if item is None:
                    if label and any(t.rstrip(":") in field_words for _, t in texts):
                        break  # the funds grid ended: a field row (年度总体目标) follows
                    continue
                cells = {k: type_cell(self.sheet, r, c, g.get(r, c), col.kind, b.scale) for col, k, c in columns}
                rows.append(Row(number=r + 1, kind="fund", label=label, item=item, cells=cells))
                continue
            cells = {}
            for col, k, c in columns:
                orow, ocol = g.origin(r, c)
                cells[k] = type_cell(self.sheet, orow, ocol, g.get(orow, ocol), col.kind, b.scale)
                if k in ("一级指标", "二级指标"):
                    if cells[k].raw is None and k in block:
                        cells[k] = block[k]
                    elif cells[k].raw is not None:
                        block[k] = cells[k]
            if not any(cells[k].text for k in ("三级指标", "指标值", "年度指标值") if k in cells):
                if any(t.rstrip(":") in field_words for _, t in texts):
                    break
                continue
            rows.append(Row(number=r + 1, kind="indicator", label=cells.get("三级指标", Cell(sheet=self.sheet, ref=a1(r, 0))).text, cells=cells))
        return rows
