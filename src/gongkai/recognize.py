"""Grids → Book: find every 公开表 by its title and headers, map columns, type and classify the data rows.

Pure: takes the grids that `read.py` produced (or that Excel handed to `xl.py`), returns the typed model. What it
cannot understand becomes a `Problem` (an R-rule finding), never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .amounts import UNIT_FACTORS
from .layout import col_letter
from .model import Book, Cell, Problem, Row, RowKind, Scalar, Table
from .read import Sheet
from .specs import (
    FUNCTION_CLASSES,
    SELFEVAL_FUND_ROWS,
    Col,
    Item,
    Side,
    TableSpec,
    match_title,
)
from .text import (
    CENT,
    clean,
    fold,
    parse_code,
    parse_number,
    shown,
    split_leading_code,
    split_project,
    strip_ordinal,
    to_decimal,
)

TOTAL_LABELS = frozenset(fold(x) for x in ("合计", "总计", "本年支出合计", "支出合计", "收入合计", "本年收入合计", "合 计", "总 计"))
EMPTY_NOTES = ("本表无数据", "无数据", "本部门无", "本单位无", "无此项", "无该项", "此表为空", "本表为空", "空表")
IGNORED_HEADERS = frozenset({"行次", "栏次", "序号", "编号"})
"""Header texts of bookkeeping columns: not data, not worth a finding."""
DASHES = frozenset({"-", "—", "－", "--", "——", "/", "–", "―"})
_N = r"[\d一二三四五六七八九十]+(?:[-－—]\d+)?"
_NUMBER_LABEL = re.compile(rf"^(?:(?:公开|部门|附)*表{_N}|(?:公开|部门|附)+{_N}表|附表\d*)$")
_NOTE_START = ("注", "说明", "备注:", "填报说明", "单位负责人", "制表", "财务负责人", "填表人", "审核人")
_PAGE = re.compile(r"^第\s*\d+\s*页")
_LABEL_SEP = re.compile(r"[:：]")

# ----------------------------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------------------------


def a1(row: int, col: int) -> str:
    """0-based grid position → "C9"."""
    return f"{col_letter(col)}{row + 1}"


class _Grid:
    """A sheet's grid with merged-range lookups."""

    def __init__(self, sheet: Sheet) -> None:
        self.name = sheet.name
        self.rows = sheet.rows
        self.height = len(sheet.rows)
        self.width = max((len(r) for r in sheet.rows), default=0)
        self.merged = sheet.merged
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        self._texts: dict[int, list[tuple[int, str]]] = {}
        for r0, c0, r1, c1 in sheet.merged:
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 20_000:  # whole-column merges: only the corner matters
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self._origin[(r, c)] = (r0, c0)

    def get(self, r: int, c: int) -> Scalar:
        if 0 <= r < self.height:
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None

    def origin(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merged range covering (r, c), or (r, c) itself."""
        return self._origin.get((r, c), (r, c))

    def merged_value(self, r: int, c: int) -> Scalar:
        return self.get(*self.origin(r, c))

    def texts(self, r: int) -> list[tuple[int, str]]:
        """(column, folded text) of a row's non-empty cells (computed once per row)."""
        found = self._texts.get(r)
        if found is None:
            row = self.rows[r] if 0 <= r < self.height else []
            found = [(c, f) for c, v in enumerate(row) if v is not None and (f := fold(shown(v)))]
            self._texts[r] = found
        return found


# ----------------------------------------------------------------------------------------------------------
# typing cells
# ----------------------------------------------------------------------------------------------------------


def type_cell(sheet: str, r: int, c: int, raw: Scalar, kind: str, scale: Decimal = Decimal(1)) -> Cell:
    """Type one cell by its column kind; text numbers are parsed and remembered as text."""
    ref = a1(r, c)
    if type(raw) is float and kind == "amount" and -1e15 < raw < 1e15:  # nearly every amount: the fast path
        amount = Decimal(repr(raw)).quantize(CENT, ROUND_HALF_UP)
        return Cell(sheet=sheet, ref=ref, raw=raw, value=amount if scale == 1 else _scaled(amount, scale))
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Cell(sheet=sheet, ref=ref, raw=None)
    if kind in ("amount", "number", "percent"):
        as_text = False
        value: Decimal | None
        if isinstance(raw, bool):
            return Cell(sheet=sheet, ref=ref, raw=raw, bad=True)
        if isinstance(raw, (int, float)):
            value = to_decimal(raw)
        else:
            s = raw.strip()
            if s in DASHES:
                return Cell(sheet=sheet, ref=ref, raw=raw)
            percent = kind != "amount" and s.endswith(("%", "％"))
            value = parse_number(s[:-1] if percent else s)
            if value is None:
                return Cell(sheet=sheet, ref=ref, raw=raw, bad=True)
            as_text = True
        if not value.is_finite() or value.adjusted() > 15:  # NaN, inf, 1e308: not an amount (and unquantisable)
            return Cell(sheet=sheet, ref=ref, raw=raw, bad=True)
        if kind == "amount":
            value = _scaled(value.quantize(CENT, ROUND_HALF_UP), scale)
        return Cell(sheet=sheet, ref=ref, raw=raw, value=value, as_text=as_text)
    if kind in ("code", "code_part"):
        return Cell(sheet=sheet, ref=ref, raw=raw, value=shown(raw).strip())
    return Cell(sheet=sheet, ref=ref, raw=raw, value=clean(shown(raw)))


def _scaled(value: Decimal, scale: Decimal) -> Decimal:
    """An amount in the sheet's 金额单位 → 万元 (exact)."""
    if scale == 1:
        return value
    value = value * scale
    return value.normalize() if value == value.to_integral() else value


# ----------------------------------------------------------------------------------------------------------
# headers
# ----------------------------------------------------------------------------------------------------------


def _header_words(spec: TableSpec, columns: Iterable[Col]) -> frozenset[str]:
    words: set[str] = set()
    for c in columns:
        words |= c.folded_names
        for alts in c.folded_under:
            words |= alts
    for s in spec.sides:
        words.add(fold(s.name))
    return frozenset(words)


def _is_header_row(grid: _Grid, r: int, words: frozenset[str]) -> bool:
    hits = sum(1 for _, t in grid.texts(r) if t in words or strip_ordinal(t) in words)
    return hits >= 2


def _paths(grid: _Grid, band: range) -> dict[int, list[str]]:
    """Per grid column, the distinct folded header texts top-down across the band (merged cells spread).

    Where merges are unknown (.ods, or a grid handed over by Excel), a group header spreads right over the empty
    cells after it when the rows below have headers there.
    """
    levels: list[list[str]] = []
    for r in band:
        row = [fold(shown(v)).rstrip(":") if (v := grid.merged_value(r, c)) is not None else "" for c in range(grid.width)]
        if r < band.stop - 1:
            carry = ""
            for c in range(grid.width):
                below = any(grid.get(rr, c) is not None for rr in range(r + 1, band.stop))
                if row[c]:
                    carry = row[c] if below else ""
                elif carry and below and grid.origin(r, c) == (r, c):
                    row[c] = carry
                else:
                    carry = ""
        levels.append(row)
    paths: dict[int, list[str]] = {}
    for c in range(grid.width):
        path: list[str] = []
        for row in levels:
            t = row[c]
            if t and (not path or path[-1] != t):
                path.append(t)
        if path:
            paths[c] = path
    return paths


def _side_groups(spec: TableSpec, paths: dict[int, list[str]]) -> dict[int, list[str]]:
    """A sided table printed without its 收入 / 支出 group row: each label column starts the next side."""
    sides = [fold(side.under[0]) for side in spec.sides]
    if any(p[0] in sides for p in paths.values()):
        return paths
    out: dict[int, list[str]] = {}
    current = -1
    for c in sorted(paths):
        last = paths[c][-1]
        if last in ("项目", "收入项目", "支出项目", "收入", "支出") or last.endswith("项目"):
            named = next((i for i, n in enumerate(sides) if last.startswith(n)), None)
            current = named if named is not None else min(current + 1, len(sides) - 1)
        out[c] = [sides[current], *paths[c]] if current >= 0 else paths[c]
    return out


def map_columns(
    columns: Sequence[Col], paths: dict[int, list[str]], synonyms: Mapping[str, frozenset[str]] | None = None
) -> tuple[dict[str, int], list[int]]:
    """Assign spec columns to grid columns by header path; return (key → column, unmapped grid columns)."""
    choice: dict[int, Col] = {}
    extra = synonyms or {}
    for c, path in paths.items():
        last = path[-1]
        best: tuple[int, Col] | None = None
        for col in columns:
            names = col.folded_names | extra.get(col.key, frozenset())
            if last not in names and strip_ordinal(last) not in names:
                continue
            ancestors = set(path[:-1])
            if not all(alts & ancestors for alts in col.folded_under):
                continue
            score = len(col.folded_under)
            if best is None or score > best[0]:
                best = (score, col)
        if best is not None:
            choice[c] = best[1]
    mapped: dict[str, int] = {}
    for c in sorted(choice):
        key = choice[c].key
        if key not in mapped:
            mapped[key] = c
    used = set(mapped.values())
    unmapped = [c for c in paths if c not in used and paths[c][-1] not in IGNORED_HEADERS]
    return mapped, unmapped


# ----------------------------------------------------------------------------------------------------------
# regions
# ----------------------------------------------------------------------------------------------------------


@dataclass
class _Region:
    spec: TableSpec
    grid: _Grid
    title_row: int
    title_col: int
    end: int  # exclusive
    title: str
    extra: list[tuple[int, int]] = field(default_factory=list)  # continuation title rows merged in


def _find_titles(grid: _Grid) -> list[tuple[int, int, TableSpec, str]]:
    found = []
    for r in range(grid.height):
        for c, v in enumerate(grid.rows[r]):
            if isinstance(v, str) and "表" in v and len(v) <= 120:
                s = match_title(v)
                if s is not None:
                    found.append((r, c, s, clean(v)))
                    break
    return found


def _regions(grid: _Grid) -> list[_Region]:
    titles = _find_titles(grid)
    regions: list[_Region] = []
    for i, (r, c, s, text) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else grid.height
        prev = regions[-1] if regions else None
        if prev is not None and prev.spec is s and s.layout != "form":
            prev.end = end  # the same table continued after a page break ("（续）")
            prev.extra.append((r, c))
            continue
        regions.append(_Region(s, grid, r, c, end, text))
    return regions


# ----------------------------------------------------------------------------------------------------------
# the recogniser
# ----------------------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, region: _Region, synonyms: Mapping[str, frozenset[str]] | None = None) -> None:
        self.synonyms = synonyms or {}
        self.region = region
        self.spec = region.spec
        self.grid = region.grid
        self.sheet = region.grid.name
        self.problems: list[Problem] = []
        self.department: str | None = None
        self.money_unit = "万元"
        self.number: str | None = None

    def problem(self, rule: str, message: str, ref: str) -> None:
        self.problems.append(Problem(rule=rule, message=message, sheet=self.sheet, ref=ref, table=self.spec.id))

    # -- the lines around the title ------------------------------------------------------------------

    def read_meta(self, rows: range) -> None:
        g, reg = self.grid, self.region
        for c, t in g.texts(reg.title_row - 1) + g.texts(reg.title_row)[:1]:
            if _NUMBER_LABEL.match(t):
                self.number = clean(shown(g.get(reg.title_row - 1, c)) or shown(g.get(reg.title_row, c)))
        for r in rows:
            for _, t in g.texts(r):
                for part in re.split(r"(?=金额单位:)", t):  # "部门：某局  金额单位：万元" in one cell
                    self._meta_text(part)

    def _meta_text(self, t: str) -> None:
        for label in ("金额单位", "单位", "部门", "编制单位", "填报单位", "部门名称", "编制部门"):
            if t.startswith(label + ":") or t.startswith(label + "："):
                value = _LABEL_SEP.split(t, maxsplit=1)[1].strip()
                if value in UNIT_FACTORS or label == "金额单位":
                    if value in UNIT_FACTORS:
                        self.money_unit = value
                elif value:
                    self.department = value
                return
        if t in ("万元", "元", "亿元") or t.startswith("单位:万元"):
            self.money_unit = t.replace("单位:", "")

    # -- header band -----------------------------------------------------------------------------------

    def find_band(
        self, start: int, stop: int, columns: Sequence[Col], depth: int = 8, exclude: frozenset[str] = frozenset()
    ) -> range | None:
        words = _header_words(self.spec, columns) - exclude
        g = self.grid
        for r in range(start, min(stop, start + depth)):
            if _is_header_row(g, r, words):
                end = r + 1
                while end < stop and end < r + 4:
                    if _is_header_row(g, end, words) or self._covered_by_band(r, end):
                        end += 1
                        continue
                    break
                return range(r, end)
        return None

    def _covered_by_band(self, top: int, r: int) -> bool:
        """Row r continues the header band: a header merged down from the band reaches it, and it holds no number."""
        g = self.grid
        spans = any(top <= g.origin(r, c)[0] < r for c in range(g.width))
        return spans and not any(isinstance(v, (int, float)) for v in g.rows[r])

    # -- rows -------------------------------------------------------------------------------------------

    def is_skip_row(self, texts: list[tuple[int, str]], band_texts: set[tuple[int, str]]) -> tuple[bool, str | None]:
        """(skip, empty-note) for blank rows, repeated headers, notes and 本表无数据 lines."""
        if not texts:
            return True, None
        if sum(1 for ct in texts if ct in band_texts) >= 2:
            return True, None  # repeated header after a page break
        first = texts[0][1]
        joined = "".join(t for _, t in texts)
        if len(texts) <= 2 and any(n in joined for n in EMPTY_NOTES):
            return True, joined
        numbers = [t for _, t in texts if t != "栏次"]
        if first == "栏次" or (len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]):
            return True, None  # the 栏次 row of 决算 tables: 1 | 2 | 3 …
        if first.startswith(_NOTE_START) or _PAGE.match(first):
            return True, None
        if len(texts) == 1 and match_title(first) is not None:
            return True, None
        if len(texts) == 1 and (first.startswith(("单位:", "金额单位", "部门:")) or _NUMBER_LABEL.match(first)):
            return True, None
        return False, None

    def run(self) -> Table | None:
        reg, g, s = self.region, self.grid, self.spec
        meta_end = min(reg.end, reg.title_row + 4)  # the 部门 / 金额单位 line sits just under the title
        if s.layout == "form":
            self.read_meta(range(reg.title_row + 1, meta_end))
            return _FormReader(self).run()
        band = self.find_band(reg.title_row + 1, reg.end, s.columns)
        if band is None:
            self.problem("R001", f"找到表名「{reg.title}」，但下面没有找到对应的表头，表格未能识别（表头可能与表名不符）", a1(reg.title_row, reg.title_col))
            return None
        self.read_meta(range(reg.title_row + 1, max(band.start, meta_end)))
        paths = _paths(g, band)
        if s.sides:
            paths = _side_groups(s, paths)
        mapped, unmapped = map_columns(s.columns, paths, self.synonyms)
        missing = [c.key for c in s.columns if c.required and c.key not in mapped]
        codes_ok = s.codes is None or any(c.kind in ("code", "code_part") and c.key in mapped for c in s.columns)
        if missing:
            self.problem("R002", f"「{reg.title}」缺少必需的列：{'、'.join(missing)}", a1(band.start, 0))
        if len(missing) * 2 > sum(1 for c in s.columns if c.required):
            self.problem("R001", f"「{reg.title}」的表头与表名不符，表格未能识别", a1(reg.title_row, reg.title_col))
            return None
        self.scale = UNIT_FACTORS.get(self.money_unit, Decimal(1))
        band_texts = {(c, t) for r in band for c, t in g.texts(r)}
        rows: list[Row] = []
        empty_note = None
        last = band.stop - 1
        columns = [(s.column(k), k, c) for k, c in mapped.items()]
        reader = {"ledger": self.ledger_row, "sided": self.sided_rows, "indicators": self.indicator_row}[s.layout]
        self.context: dict[str, str | None] = {"unit": None, "unit_name": None, "parent": None}
        self.block: dict[str, Cell] = {}
        for r in range(band.stop, reg.end):
            if any(r == t for t, _ in reg.extra):
                continue
            texts = g.texts(r)
            skip, note = self.is_skip_row(texts, band_texts)
            if note:
                empty_note = note
            if skip:
                continue
            last = r
            rows.extend(reader(r, columns, codes_ok))
        return Table(
            id=s.id, title=reg.title, sheet=self.sheet, title_ref=a1(reg.title_row, reg.title_col),
            number=self.number, department=self.department, money_unit=self.money_unit,
            header_rows=(band.start + 1, band.stop), columns={k: col_letter(c) for k, c in mapped.items()},
            unmapped=tuple(f"{a1(band.start, c)}:{'/'.join(paths[c])}" for c in unmapped),
            missing=tuple(missing), rows=tuple(rows), empty_note=empty_note, last_row=last + 1,
        )

    def cells(self, r: int, columns: list[tuple[Col, str, int]]) -> dict[str, Cell]:
        """The row's non-blank cells by column key (a blank cell is absent: blank is not zero)."""
        row = self.grid.rows[r]
        width = len(row)
        cells = {
            key: type_cell(self.sheet, r, c, v, col.kind, self.scale)
            for col, key, c in columns
            if c < width and (v := row[c]) is not None
        }
        for col, key, c in columns:  # a 类 (or 款) merged down over its rows stands for each of them
            orow, ocol = self.grid.origin(r, c)
            if key not in cells and col.kind in ("code", "code_part") and ocol == c and orow < r:
                cells[key] = type_cell(self.sheet, orow, ocol, self.grid.get(orow, ocol), col.kind, self.scale)
        return cells

    # ledger: code + label + amounts ------------------------------------------------------------------

    def ledger_row(self, r: int, columns: list[tuple[Col, str, int]], codes_ok: bool) -> list[Row]:
        s = self.spec
        cells = self.cells(r, columns)
        code, code_cell = self._code(cells)
        label_key = next((k for col, k, _ in columns if col.kind == "name"), None)
        label_cell = cells.get(label_key) if label_key else None
        label = label_cell.text if label_cell else ""
        if not label:  # a label printed in another text column (e.g. the code column holds "合计")
            label = next((c.text for k, c in cells.items() if c.text and not c.amount and s.column(k).kind in ("code", "code_part")), "")
            if label and parse_code(label):
                label = ""
        unit_code_cell = next((cells[k] for col, k, _ in columns if col.kind == "unit_code" and k in cells), None)
        if code is None and label:
            lead, rest = split_leading_code(label)
            if lead and self._is_subject_code(lead):
                code, label = lead, rest
        project_cell = next((cells[k] for col, k, _ in columns if col.kind == "project" and k in cells and cells[k].text), None)
        project = project_code = None
        if project_cell is not None:
            project_code, project = split_project(project_cell.text)
        folded = strip_ordinal(fold(label))
        kind: RowKind
        unit = self.context["unit"]
        unit_name = self.context["unit_name"]
        if code is None and folded in TOTAL_LABELS and project is None:
            kind = "total"
        elif project is not None:
            kind = "project"
        elif code is not None:
            kind = "item"
        elif s.units and (label or (unit_code_cell and unit_code_cell.text)):
            kind = "unit"
            ucode = unit_code_cell.text if unit_code_cell and unit_code_cell.text else None
            if ucode is None:
                lead, rest = split_leading_code(label)
                if lead:
                    ucode, label = lead, rest
            unit, unit_name = ucode or label, label or ucode
            self.context["unit"], self.context["unit_name"] = unit, unit_name
        elif label:
            kind = "text"
        elif any(c.amount is not None for c in cells.values()):
            kind = "item"  # amounts without any label: still a data row, rules will ask for its code
        else:
            return []
        return [Row(
            number=r + 1, kind=kind, code=code, code_cell=code_cell, label=label, label_cell=label_cell,
            unit=unit if kind != "total" else None, unit_name=unit_name if kind != "total" else None,
            project=project, project_code=project_code, cells=cells,
        )]

    def _is_subject_code(self, digits: str) -> bool:
        if len(digits) not in (3, 5, 7):
            return False
        return digits[0] == ("2" if self.spec.codes == "function" else "3") if self.spec.codes else False

    def _code(self, cells: dict[str, Cell]) -> tuple[str | None, Cell | None]:
        s = self.spec
        parts = [cells[k] for k in ("类", "款", "项") if k in cells and cells[k].text]
        if parts:
            digits = ""
            for i, part in enumerate(parts):
                p = parse_code(part.text) if len(part.text) >= 3 else (part.text.zfill(2) if part.text.isdigit() else None)
                if p is None:
                    return None, None
                if i and p.startswith(digits) and len(p) > len(digits):
                    digits = p  # a column that repeats the whole code: 类 208 | 款 20805
                else:
                    digits += p
            code = parse_code(digits)
            return code, parts[-1] if code else None
        for c in s.columns:
            if c.kind == "code" and c.key in cells and cells[c.key].text:
                cell = cells[c.key]
                code = parse_code(cell.text)
                return (code, cell) if code else (None, None)
        return None, None

    # sided: two halves of one physical row --------------------------------------------------------------

    def sided_rows(self, r: int, columns: list[tuple[Col, str, int]], codes_ok: bool) -> list[Row]:
        out = []
        cells = self.cells(r, columns)
        for side in self.spec.sides:
            prefix = side.under[0] + "/"
            mine = {k[len(prefix):]: v for k, v in cells.items() if k.startswith(prefix)}
            label_cell = mine.get("项目")
            if label_cell is None or not label_cell.text:
                if any(c.amount is not None for c in mine.values()):
                    out.append(Row(number=r + 1, kind="text", side=side.name, cells=mine))
                continue
            item, code = self._side_item(side, label_cell.text)
            kind: RowKind = "item"
            if item is not None and not item.startswith("类:"):
                kind = "total" if next(i for i in side.items if i.key == item).total_of else "item"
            elif item is None:
                kind = "text"
            out.append(Row(
                number=r + 1, kind=kind, code=code, label=label_cell.text, label_cell=label_cell,
                side=side.name, item=item, cells=mine,
            ))
        return out

    def _side_item(self, side: Side, label: str) -> tuple[str | None, str | None]:
        folded = fold(label)
        lead, rest = split_leading_code(label)
        bare = strip_ordinal(fold(rest) if lead else folded)
        context = self.context.get(f"parent:{side.name}")
        # items under a parent first: "一般公共预算财政拨款" below 年初财政拨款结转和结余 is that sub-item
        for item in sorted(side.items, key=lambda i: i.parent is None):
            if bare in _item_names(item) or folded in _item_names(item):
                if item.parent is not None and item.parent != context:
                    continue
                if item.parent is None:
                    self.context[f"parent:{side.name}"] = item.key
                return item.key, None
        if side.classes:
            for code, name in FUNCTION_CLASSES.items():
                if bare == name or (lead == code):
                    return f"类:{code}", code
        return None, None

    # indicators: one row per indicator, project columns filled down -----------------------------------------

    def indicator_row(self, r: int, columns: list[tuple[Col, str, int]], codes_ok: bool) -> list[Row]:
        g = self.grid
        cells: dict[str, Cell] = {}
        for col, key, c in columns:
            orow, ocol = g.origin(r, c)
            if (col.block or (col.kind == "text" and ocol == c)) and (orow, ocol) != (r, c):  # merged down
                cells[key] = type_cell(self.sheet, orow, ocol, g.get(orow, ocol), col.kind, self.scale)
            else:
                cells[key] = type_cell(self.sheet, r, c, g.get(r, c), col.kind, self.scale)
            if col.block:
                if cells[key].raw is None and key in self.block:
                    cells[key] = self.block[key]
                elif cells[key].raw is not None:
                    self.block[key] = cells[key]
        has_indicator = any(cells[k].text for k in ("一级指标", "二级指标", "三级指标", "指标值") if k in cells)
        if not has_indicator:
            if any(cells[k].raw is not None for k in cells):
                return [Row(number=r + 1, kind="text", cells=cells)]
            return []
        project_code = project = None
        if "项目名称" in cells and cells["项目名称"].text:
            project_code, project = split_project(cells["项目名称"].text)
        unit_name = cells["单位名称"].text if "单位名称" in cells and cells["单位名称"].text else None
        return [Row(
            number=r + 1, kind="indicator", label=cells.get("三级指标", Cell(sheet=self.sheet, ref=a1(r, 0))).text,
            unit=unit_name, unit_name=unit_name, project=project, project_code=project_code, cells=cells,
        )]


def _item_names(item: Item) -> frozenset[str]:
    return frozenset(strip_ordinal(x) for x in item.folded) | item.folded


# ----------------------------------------------------------------------------------------------------------
# form tables: 部门整体支出绩效目标表, 项目支出绩效自评表
# ----------------------------------------------------------------------------------------------------------


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


def _split_form_regions(regions: list[_Region]) -> list[_Region]:
    """Stacked 自评表 blocks without repeated titles: split a form region at each further 项目名称 row."""
    out: list[_Region] = []
    for reg in regions:
        if reg.spec.id != "final.project_selfeval":
            out.append(reg)
            continue
        g = reg.grid
        starts = [r for r in range(reg.title_row + 1, reg.end) if any(t.rstrip(":") == "项目名称" for _, t in g.texts(r)[:2])]
        if len(starts) <= 1:
            out.append(reg)
            continue
        bounds = [*starts[1:], reg.end]
        out.append(_Region(reg.spec, g, reg.title_row, reg.title_col, bounds[0], reg.title))
        for s, e in zip(starts[1:], bounds[1:], strict=True):
            out.append(_Region(reg.spec, g, s - 1, 0, e, reg.title))
    return out


def _uncached(table: Table, sheet: Sheet) -> list[Problem]:
    """R005 once per table: formula cells in its data area saved without a result (calamine reads them empty)."""
    letters = set(table.columns.values())
    cells = [
        (r, c) for r, c in sheet.uncached if table.header_rows[1] <= r < table.last_row and col_letter(c) in letters
    ]
    if not cells:
        return []
    refs = [a1(r, c) for r, c in sorted(cells)]
    shown = "、".join(refs[:5]) + (f" 等 {len(refs)} 个单元格" if len(refs) > 5 else "")
    message = f"「{table.title}」的公式没有计算结果（请在 Excel 中打开并保存后再检查）：{shown}"
    return [Problem(rule="R005", message=message, sheet=table.sheet, ref=refs[0], table=table.id)]


def recognize(sheets: Sequence[Sheet], synonyms: Mapping[str, Sequence[str]] | None = None) -> Book:
    """Every 公开表 found in the sheets, with the problems met on the way.

    ``synonyms`` adds a province's header spellings by column key (a profile's ``header_synonyms``).
    """
    extra = {k: frozenset(fold(v) for v in vs) for k, vs in (synonyms or {}).items()}
    tables: list[Table] = []
    problems: list[Problem] = []
    for sheet in sheets:
        grid = _Grid(sheet)
        for region in _split_form_regions(_regions(grid)):
            reader = _Reader(region, extra)
            table = reader.run()
            problems += reader.problems
            if table is not None:
                tables.append(table)
                problems += _uncached(table, sheet)
                problems += [
                    Problem(rule="R003", message=f"「{table.title}」有未能识别的表头：{u.split(':', 1)[1]}", sheet=table.sheet, ref=u.split(":", 1)[0], table=table.id)
                    for u in table.unmapped
                ]
    return Book(sheets=tuple(s.name for s in sheets), tables=tuple(tables), problems=tuple(problems))
