"""The reader of one region: the 部门/金额单位 lines, the header band, then the data rows typed and classified."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from math import copysign

from ..core import codes
from ..core.addresses import col_letter
from ..core.amounts import UNIT_FACTORS, decimals, rounding_bound
from ..core.model import Cell, Problem, Row, RowKind, Table
from ..core.specs import FORMER_CLASS_NAMES, FUNCTION_CLASSES, Col, Item, Side, match_title
from ..core.text import (
    clean,
    fold,
    parse_code,
    shown,
    split_leading_code,
    split_project,
    strip_ordinal,
)
from .cells import amount_memo, type_cell, typed
from .forms import _FormReader, is_form
from .headers import (
    _header_words,
    _is_header_row,
    _item_names,
    _paths,
    _side_groups,
    header_text,
    map_columns,
)
from .merged_grid import a1
from .regions import _Region
from .sangong_rows import SANGONG_TABLES, read_items_as_rows

TOTAL_LABELS = frozenset(fold(x) for x in ("合计", "总计", "本年支出合计", "支出合计", "收入合计", "本年收入合计", "合 计", "总 计"))
EMPTY_NOTES = ("本表无数据", "无数据", "本部门无", "本单位无", "无此项", "无该项", "此表为空", "本表为空", "空表")
_N = r"[\d一二三四五六七八九十]+(?:[-－—]\d+)?"
_NUMBER_LABEL = re.compile(rf"^(?:(?:公开|部门|附)*表{_N}|(?:公开|部门|附)+{_N}表|附表\d*)$")
_NOTE_START = ("注", "说明", "备注:", "填报说明", "单位负责人", "制表", "财务负责人", "填表人", "审核人")
_PAGE = re.compile(r"^第\s*\d+\s*页")
_LABEL_SEP = re.compile(r"[:：]")
_UNIT_LABEL = re.compile(r"(?=金额单位:)")
_META_LABELS = ("金额单位", "单位", "部门", "编制单位", "填报单位", "部门名称", "编制部门")
"""The labels of the lines under a title; each holds 单位 or 部门, and every money unit 元 (`read_meta` skips the
texts with none of the three)."""
_META_UNITS = ("万元", "元", "亿元")
"""Money units printed alone under a title."""


class _Reader:
    def __init__(self, region: _Region, synonyms: Mapping[str, frozenset[str]] | None = None) -> None:
        self.synonyms = synonyms or {}
        self.region = region
        self.spec = region.spec
        self.grid = region.grid
        self.sheet = region.grid.name
        self.problems: list[Problem] = []
        self.department: str | None = None
        self.department_ref: str | None = None
        self.money_unit = "万元"
        self.unit_printed = False
        """Whether the sheet prints its 金额单位 (else 万元 is assumed, and a style warning says so)."""
        self.number: str | None = None
        self.last_code: str | None = None
        """The code of the last coded row read: a row with a broken 类 cell takes its 类 from it."""
        self.previous: str | None = None
        """The kind of the last ledger row read."""
        self.side_names: dict[str, list[tuple[Item, frozenset[str]]]] = {}
        """A sided table's items per side, parents last, each with the names it is printed under."""
        self.origin_cells: dict[tuple[int, int, str], Cell] = {}
        """`origin_cell`'s cells: a merged range's first cell, typed once for all the rows it covers."""

    def origin_cell(self, r: int, c: int, kind: str) -> Cell:
        """The cell at grid position (r, c), typed by column kind at the table's scale, once per reader: a merged
        range's first cell stands for every row the range covers."""
        key = (r, c, kind)
        cell = self.origin_cells.get(key)
        if cell is None:
            cell = self.origin_cells[key] = type_cell(self.sheet, r, c, self.grid.get(r, c), kind, self.scale)
        return cell

    def problem(self, rule: str, message: str, ref: str) -> None:
        self.problems.append(Problem(rule=rule, message=message, sheet=self.sheet, ref=ref, table=self.spec.id))

    # -- the lines around the title ------------------------------------------------------------------

    def read_meta(self, rows: range) -> None:
        g, reg = self.grid, self.region
        for c, t in g.texts(reg.title_row - 1) + g.texts(reg.title_row)[:1]:
            if _NUMBER_LABEL.match(t):
                self.number = clean(shown(g.get(reg.title_row - 1, c)) or shown(g.get(reg.title_row, c)))
        for r in rows:
            for c, t in g.texts(r):
                if "单位" not in t and "部门" not in t and "元" not in t:
                    continue  # no label or unit `_meta_text` looks for (_META_LABELS, _META_UNITS)
                for part in _UNIT_LABEL.split(t) if "金额单位:" in t else (t,):  # "部门：某局  金额单位：万元" in one cell
                    self._meta_text(part, r, c)

    def _meta_text(self, t: str, r: int, c: int) -> None:
        for label in _META_LABELS:
            if t.startswith(label + ":") or t.startswith(label + "："):
                value = _LABEL_SEP.split(t, maxsplit=1)[1].strip()
                if value in UNIT_FACTORS or label == "金额单位":
                    if value in UNIT_FACTORS:
                        self.money_unit = value
                        self.unit_printed = True
                elif value:
                    self.department = value
                elif self.department_ref is None:
                    self.department_ref = a1(r, c)  # 编制部门： printed, the name left to fill in
                return
        if t in _META_UNITS or t.startswith("单位:万元"):
            self.money_unit = t.replace("单位:", "")
            self.unit_printed = True

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
                    if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in g.rows[end]):
                        break  # a row with figures is data, even when it also prints 类 | 款 | 项 (a header fused into 合计)
                    if _is_header_row(g, end, words) or self._covered_by_band(r, end) or self._header_words_only(end, words):
                        end += 1
                        continue
                    break
                while r > start and self._group_row(r - 1, words):
                    r -= 1  # a group row above (“三公”经费预算数 … | 机关运行经费预算数): its headers stand over the band
                return range(r, end)
        return None

    def _group_row(self, r: int, words: frozenset[str]) -> bool:
        """Row r, just above a header band, holds group headers: a header word among its texts, no figures, no 部门 /
        金额单位 line. Without merges this is where a column's only header may stand (机关运行经费预算数)."""
        texts = self.grid.texts(r)
        if not texts or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.grid.rows[r]):
            return False
        if any(_LABEL_SEP.search(t) or match_title(t) is not None for _, t in texts):
            return False
        return any(header_text(t) in words for _, t in texts)

    def _header_words_only(self, r: int, words: frozenset[str]) -> bool:
        """Row r continues the header band without merges known: it holds only header words (a lone 科目编码 under
        支出功能分类), and it is no 合计 line."""
        texts = self.grid.texts(r)
        if not texts or strip_ordinal(texts[0][1]) in TOTAL_LABELS:
            return False
        return all(header_text(t) in words for _, t in texts)

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
        if not band_texts.isdisjoint(texts) and sum(1 for ct in texts if ct in band_texts) >= 2:
            return True, None  # repeated header after a page break
        first = texts[0][1]
        if len(texts) <= 2:
            joined = "".join(t for _, t in texts)
            if any(n in joined for n in EMPTY_NOTES):
                return True, joined
        if first == "栏次":
            return True, None  # the 栏次 row of 决算 tables: 1 | 2 | 3 …
        if first == "1" and len(texts) >= 3:  # (first is no 栏次, so it heads the numbers)
            numbers = [t for _, t in texts if t != "栏次"]
            if len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]:
                return True, None
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
        if s.layout == "form" or (s.layout == "indicators" and is_form(self)):
            self.read_meta(range(reg.title_row + 1, meta_end))
            return _FormReader(self).run()
        if s.id in SANGONG_TABLES and (items_as_rows := read_items_as_rows(self)) is not None:
            return items_as_rows  # 合计 | 因公出国（境）费 | … down the side, the periods across
        band = self.find_band(reg.title_row + 1, reg.end, s.columns)
        if band is None:
            self.problem("R001", f"找到表名「{reg.title}」，但下面没有找到对应的表头，表格未能识别（表头可能与表名不符）", a1(reg.title_row, reg.title_col))
            return None
        self.read_meta(range(reg.title_row + 1, max(band.start, meta_end)))
        paths = _paths(g, band)
        if s.sides:
            paths = _side_groups(s, paths)
        if band.stop < reg.end:
            _fused_code_header(paths, g.texts(band.stop))
        halves = _split_halves(paths) if s.halves else [paths]
        parts = [map_columns(s.columns, half, self.synonyms) for half in halves]
        mapped = {k: c for m, _ in parts for k, c in m.items()} if len(parts) == 1 else parts[0][0]
        first_amount = min((c for m, _ in parts for k, c in m.items() if s.column(k).kind == "amount"), default=0)
        # 合计 under the code/name header is the 合计 line printed in the header band (an empty 决算 table), not a header
        unmapped = [c for _, u in parts for c in u if not (c < first_amount and paths[c][-1] in TOTAL_LABELS)]
        if not any(s.column(k).kind == "amount" for m, _ in parts for k in m):
            self.problem("R001", f"「{reg.title}」的表头中没有找到金额列，表格未能识别", a1(reg.title_row, reg.title_col))
            return None
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
        reader = {"ledger": self.ledger_row, "sided": self.sided_rows, "indicators": self.indicator_row}[s.layout]
        letters = {k: col_letter(c) for k, c in mapped.items()}
        if len(parts) > 1:  # 人员经费 | 公用经费 side by side: each half a ledger of its own, rows carry the half
            letters = {f"{name}/{k}": col_letter(c) for name, (m, _) in zip(s.halves, parts, strict=False) for k, c in m.items()}
        extra_rows = {t for t, _ in reg.extra}
        for half, (half_mapped, _) in zip(s.halves or ("",), parts, strict=False):
            columns = [(s.column(k), k, c) for k, c in half_mapped.items()]
            self._kinds(columns)
            self.context: dict[str, str | None] = {"unit": None, "unit_name": None, "parent": None}
            self.block: dict[str, Cell] = {}
            self.last_code = None
            for r in range(band.stop, reg.end):
                if r in extra_rows:
                    continue
                texts = g.texts(r)
                skip, note = self.is_skip_row(texts, band_texts)
                if note:
                    empty_note = note
                if skip:
                    continue
                got = reader(r, codes_ok)
                if got:
                    last = max(last, r)
                if len(parts) > 1:
                    for row in got:  # rows fresh from the reader, not yet shared: set in place
                        row.side = half
                rows.extend(got)
        return Table(
            id=s.id, title=reg.title, sheet=self.sheet, title_ref=a1(reg.title_row, reg.title_col),
            number=self.number, department=self.department, department_ref=self.department_ref, money_unit=self.money_unit, unit_printed=self.unit_printed,
            header_rows=(band.start + 1, band.stop), columns=letters,
            unmapped=tuple(f"{a1(band.start, c)}:{'/'.join(paths[c])}" for c in unmapped),
            missing=tuple(missing), rows=tuple(rows), empty_note=empty_note, last_row=last + 1,
            rounding=rounding_bound(_printed_decimals(rows), self.money_unit),
        )

    def _kinds(self, columns: list[tuple[Col, str, int]]) -> None:
        """The columns by what the row readers ask of them, looked up once per table (half) instead of once per row."""
        self.code_columns = [(col, key, c) for col, key, c in columns if col.kind in ("code", "code_part")]
        self.label_key = next((k for col, k, _ in columns if col.kind == "name"), None)
        self.unit_code_keys = [k for col, k, _ in columns if col.kind == "unit_code"]
        self.project_keys = [k for col, k, _ in columns if col.kind == "project"]
        self.code_keys = [c.key for c in self.spec.columns if c.kind == "code"]
        self.level_keys = [k for k in ("类", "款", "项") if any(key == k for _, key, _ in columns)]
        """The 类 | 款 | 项 columns the table prints, in that order."""
        self.plan = [(col, key, c, col_letter(c)) for col, key, c in columns]
        """(column, key, grid column, its letter): a cell's address is the letter and the row's number."""
        self.typing = [(key, c, letter, col.kind, col.kind == "amount") for col, key, c, letter in self.plan]
        """(key, grid column, letter, kind, whether an amount): what `cells` asks of each column."""
        self.amounts, self.zero = amount_memo(self.scale)

    def cells(self, r: int) -> dict[str, Cell]:
        """The row's non-blank cells by column key (a blank cell is absent: blank is not zero)."""
        row = self.grid.rows[r]
        width = len(row)
        sheet, scale, number, memo, zero = self.sheet, self.scale, str(r + 1), self.amounts, self.zero
        cells = {  # a float amount seen before (nearly every one, 0 too) is a memo lookup, without a call to `typed`
            key: Cell(sheet, letter + number, v, found)
            if amount and v.__class__ is float and (found := memo.get(v)) is not None and (found is not zero or copysign(1.0, v) > 0)
            else typed(sheet, letter + number, v, kind, scale)
            for key, c, letter, kind, amount in self.typing if c < width and (v := row[c]) is not None
        }
        for col, key, c in self.code_columns:  # a 类 (or 款) merged down over its rows stands for each of them
            if key in cells:
                continue
            orow, ocol = self.grid.origin(r, c)
            if ocol == c and orow < r:
                cells[key] = self.origin_cell(orow, ocol, col.kind)
        return cells

    # ledger: code + label + amounts ------------------------------------------------------------------

    def ledger_row(self, r: int, codes_ok: bool) -> list[Row]:
        s = self.spec
        cells = self.cells(r)
        code, code_cell = self._code(cells)
        label_key = self.label_key
        label_cell = cells.get(label_key) if label_key else None
        label = label_cell.text if label_cell else ""
        if not label:  # a label printed in another text column (e.g. the code column holds "合计")
            label = next((c.text for k, c in cells.items() if c.text and not c.amount and s.column(k).kind in ("code", "code_part")), "")
            if label and parse_code(label):
                label = ""
        unit_code_cell = next((cells[k] for k in self.unit_code_keys if k in cells), None) if self.unit_code_keys else None
        if code is None and unit_code_cell is not None and self._economic_code_in_unit_column(unit_code_cell.text, label):
            code, code_cell, unit_code_cell = unit_code_cell.text, unit_code_cell, None  # 基本支出表: 单位代码 holds 30101
        if code is None and label:
            lead, rest = split_leading_code(label)
            if lead and self._is_subject_code(lead):
                code, label = lead, rest
        project_cell = next((cells[k] for k in self.project_keys if k in cells and cells[k].text), None) if self.project_keys else None
        project = project_code = None
        if project_cell is not None:
            project_code, project = split_project(project_cell.text)
        folded = strip_ordinal(fold(label))
        kind: RowKind
        unit = self.context["unit"]
        unit_name = self.context["unit_name"]
        if code is None and (folded in TOTAL_LABELS or (self.spec.halves and folded.endswith("合计"))) and project is None:
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
            # right under 合计, an unlabeled row repeats it (the department's own line): not a part of 合计
            kind = "total" if self.previous == "total" else "item"  # else still a data row, rules will ask its code
        else:
            return []
        self.previous = kind
        if code:
            self.last_code = code
        return [Row(
            number=r + 1, kind=kind, code=code, code_cell=code_cell, label=label, label_cell=label_cell,
            unit=unit if kind != "total" else None, unit_name=unit_name if kind != "total" else None,
            project=project, project_code=project_code, cells=cells,
        )]

    def _economic_code_in_unit_column(self, text: str, label: str) -> bool:
        """An 经济分类 code printed in 单位代码 (the 基本支出表 does so): 5 or 7 digits under the current 类, or a 3-digit
        code named as its 类. A unit code (department code + 3 digits, a department code may be 3 digits beginning
        with 3) is told apart by the row's name and position, not by its digits."""
        if self.spec.codes != "economic" or not text.isdigit() or not text.startswith("3"):
            return False
        if len(text) == 3:
            return fold(codes.name(text, "economic") or "\0") == strip_ordinal(fold(label))
        return len(text) in (5, 7) and self.last_code is not None and text.startswith(self.last_code[:3])

    def _is_subject_code(self, digits: str) -> bool:
        if len(digits) not in (3, 5, 7):
            return False
        return digits[0] == ("2" if self.spec.codes == "function" else "3") if self.spec.codes else False

    def _code(self, cells: dict[str, Cell]) -> tuple[str | None, Cell | None]:
        parts = [(k, cell) for k in self.level_keys if (cell := cells.get(k)) is not None and cell.text]
        if parts:
            levels, texts = tuple([k for k, _ in parts]), tuple([cell.text for _, cell in parts])
            code = _plain_code(levels, texts)  # nearly every row: remembered by its texts
            if isinstance(code, _Ask):

                def mend(i: int, level: str, text: str) -> str | None:
                    if level != "类":
                        p = text.zfill(2)
                        self.problem("R007", f"「{self.region.title}」的{level}编码「{text}」少了前导零，按「{p}」读取", parts[i][1].ref)
                        return p
                    guessed = self._class_from_context(parts)
                    if guessed is not None:
                        self.problem("R006", f"「{self.region.title}」的类编码「{text}」不是 3 位科目编码；按本行的款、项和上下行，应为「{guessed}」", parts[i][1].ref)
                    return guessed

                code = _spell_code(levels, texts, mend)
            assert not isinstance(code, _Ask)  # mended, it is read
            if code:
                self.last_code = code
            return code, parts[-1][1] if code else None
        for key in self.code_keys:
            if key in cells and cells[key].text:
                cell = cells[key]
                code = parse_code(cell.text)
                return (code, cell) if code else (None, None)
        return None, None

    def _class_from_context(self, parts: Sequence[tuple[str, Cell]]) -> str | None:
        """The 类 a row with a broken 类 cell belongs to: the previous row's, when its 款 agrees with this row's."""
        last = self.last_code
        if last is None:
            return None
        kuan = next((unicodedata.normalize("NFKC", c.text).strip().zfill(2) for k, c in parts if k == "款"), None)
        if kuan is not None and len(last) >= 5 and last[3:5] != kuan:
            return None
        return last[:3]

    # sided: two halves of one physical row --------------------------------------------------------------

    def sided_rows(self, r: int, codes_ok: bool) -> list[Row]:
        out = []
        cells = self.cells(r)
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
        named = self.side_names.get(side.name)
        if named is None:  # once per table and side: the spec's items are frozen dataclasses, dear to hash each row
            named = self.side_names[side.name] = [(item, _item_names(item)) for item in _parents_last(side.items)]
        for item, names in named:
            if bare in names or folded in names:
                if item.parent is not None and item.parent != context:
                    continue
                if item.parent is None:
                    self.context[f"parent:{side.name}"] = item.key
                return item.key, None
        if side.classes:
            for code, name in FUNCTION_CLASSES.items():
                if bare == name or (lead == code):
                    return f"类:{code}", code
            former = FORMER_CLASS_NAMES.get(bare)
            if former is not None:
                return f"类:{former}", former
        return None, None

    # indicators: one row per indicator, project columns filled down -----------------------------------------

    def indicator_row(self, r: int, codes_ok: bool) -> list[Row]:
        g = self.grid
        cells: dict[str, Cell] = {}
        row = g.rows[r]
        width = len(row)
        sheet, scale, number = self.sheet, self.scale, str(r + 1)
        covering = g.covering
        block = self.block
        for col, key, c, letter in self.plan:
            merged = covering(r, c)
            if merged is not None and (col.block or (col.kind == "text" and merged[1] == c)):  # merged down
                cell = self.origin_cell(*merged, col.kind)
            else:
                cell = typed(sheet, letter + number, row[c] if c < width else None, col.kind, scale)
            if col.block:  # a blank block cell stands for the block's last value; a value starts a new one
                if cell.raw is None:
                    cell = block.get(key, cell)
                else:
                    block[key] = cell
            cells[key] = cell
        has_indicator = any(cells[k].text for k in ("一级指标", "二级指标", "三级指标", "指标值") if k in cells)
        if not has_indicator:
            if any(cells[k].raw is not None for k in cells):
                return [Row(number=r + 1, kind="text", cells=cells)]
            return []
        project_code = project = None
        if "项目名称" in cells and cells["项目名称"].text:
            project_code, project = split_project(cells["项目名称"].text)
        unit_name = cells["单位名称"].text if "单位名称" in cells and cells["单位名称"].text else None
        third = cells.get("三级指标")
        return [Row(
            number=r + 1, kind="indicator", label=third.text if third is not None else "",
            unit=unit_name, unit_name=unit_name, project=project, project_code=project_code, cells=cells,
        )]


class _Ask:
    """`_plain_code`'s answer when reading the texts needs the row's context (its one instance, `_ASK`)."""


_ASK = _Ask()
"""`_plain_code`'s answer when reading the texts needs the row's context or reports a problem (a 类 cell of one or two
digits, a 款 or 项 of one)."""


def _spell_code(
    levels: tuple[str, ...], texts: tuple[str, ...], mend: Callable[[int, str, str], str | None] | None
) -> str | _Ask | None:
    """The 科目编码 the 类 | 款 | 项 texts spell, or None. A 类 of one or two digits, or a 款 or 项 of one, is handed
    to ``mend(i, level, text)`` (its reading, or None to read no code); without ``mend``, the answer is `_ASK`."""
    digits = ""
    for i, (level, raw) in enumerate(zip(levels, texts, strict=True)):
        text = _nfkc(raw)
        if text.isdigit() and (len(text) == 1 or (level == "类" and len(text) == 2)):
            if mend is None:
                return _ASK
            mended = mend(i, level, text)
            if mended is None:
                return None
            text = mended
        p = parse_code(text) if len(text) >= 3 else text.zfill(2) if text.isdigit() else None
        if p is None:
            return None
        if i and p.startswith(digits) and len(p) > len(digits):
            digits = p  # a column that repeats the whole code: 类 208 | 款 20805
        else:
            digits += p
    return parse_code(digits)


@lru_cache(maxsize=1 << 12)
def _plain_code(levels: tuple[str, ...], texts: tuple[str, ...]) -> str | _Ask | None:
    """`_spell_code` without a mend (remembered: the same 类 | 款 | 项 texts recur table after table)."""
    return _spell_code(levels, texts, None)


@lru_cache(maxsize=1 << 12)
def _nfkc(text: str) -> str:
    """A code cell's text in NFKC, stripped (remembered: a table repeats its 类 and 款 cells row after row)."""
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=64)
def _parents_last(items: tuple[Item, ...]) -> list[Item]:
    """A side's items, those under a parent first (sorted once per spec)."""
    return sorted(items, key=lambda i: i.parent is None)


def _printed_decimals(rows: Sequence[Row]) -> int:
    """The finest precision the table's amounts are printed with (the decimals of its most precise figure)."""
    raws = {c.raw for r in rows for c in r.cells.values() if c.value.__class__ is Decimal and c.raw is not None}
    return max(map(_decimals, raws), default=2)  # each distinct figure once (1 and 1.0 share a key: both 0 decimals)


_decimals = lru_cache(maxsize=1 << 14)(decimals)
"""`decimals`, remembered per figure (1, 1.0 and True share a key: all 0)."""


_LEVELS = frozenset({"类", "款", "项"})


def _fused_code_header(paths: dict[int, list[str]], first_row: list[tuple[int, str]]) -> None:
    """The 类 | 款 | 项 header printed in the first data row (a PDF table's 合计 line): extend those columns' paths."""
    levels = [(c, t) for c, t in first_row if t in _LEVELS]
    if len(levels) < 2:
        return
    for c, t in sorted(levels):
        path = paths.get(c)
        if not path and c - 1 in paths:  # no merges known: the group header stands only over the first level
            path = paths[c] = [p for p in paths[c - 1] if p not in _LEVELS]
        if path is not None and (not path or path[-1] not in _LEVELS):
            path.append(t)


def _split_halves(paths: dict[int, list[str]]) -> list[dict[int, list[str]]]:
    """A header printed twice side by side (经济分类科目编码 | 科目名称 | 决算数, twice): one set of paths per half."""
    order = sorted(paths)
    if not order:
        return [paths]
    first = paths[order[0]]
    again = next((c for c in order[1:] if paths[c] == first), None)
    if again is None:
        return [paths]
    return [{c: p for c, p in paths.items() if c < again}, {c: p for c, p in paths.items() if c >= again}]
