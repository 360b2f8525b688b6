"""Grids → Book: every region of every sheet read, with the problems met on the way (R003, R005)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..core.addresses import col_letter
from ..core.grid import Sheet
from ..core.model import Book, Problem, Table
from ..core.specs import INSTRUCTIONS_SHEET, LIST_SHEET
from ..core.text import fold
from .merged_grid import _Grid, a1
from .regions import _regions, _split_form_regions
from .rows import _Reader


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


def _uncached_elsewhere(sheet: Sheet, reported: set[str], table_id: str | None) -> list[Problem]:
    """R005 for the sheet's formulas without a result that no recognised table holds (a table that could not be read):
    still a reading problem worth one finding."""
    refs = [ref for r, c in sorted(sheet.uncached) if (ref := a1(r, c)) not in reported]
    if not refs:
        return []
    shown = "、".join(refs[:5]) + (f" 等 {len(refs)} 个单元格" if len(refs) > 5 else "")
    message = f"工作表「{sheet.name}」中有公式没有计算结果（请在 Excel 中打开并保存后再检查）：{shown}"
    return [Problem(rule="R005", message=message, sheet=sheet.name, ref=refs[0], table=table_id)]


OWN_SHEET = re.compile(r"校验结果(\(\d+\))?|_gongkai_marks")
"""Sheets gongkai writes into a workbook itself (write/marks.py: RESULT_SHEET, MARKS_SHEET; a second 校验结果 gets
"(2)"): never read as 公开表, so a marked copy gives the original's findings (their messages quote table titles)."""


HELPER_SHEETS = frozenset({INSTRUCTIONS_SHEET, LIST_SHEET})
"""Sheets of gongkai's own templates that hold instructions and dropdown lists, not a 说明 to check."""


TEXT_SHEET_NUMBERS = 5
"""A sheet where no 公开表 was read and with at most this many number cells is a 说明 (text, a cover, a 目录): all its
text is read. One with more holds a table gongkai does not know or could not read: only its sentences are (`_PROSE`),
not the labels of its rows."""
_PROSE = re.compile(r"[。；，]|.{30}", re.S)


def _text_cells(sheet: Sheet) -> list[tuple[str, str, str]]:
    """(sheet, cell, text) of a 说明 sheet's text cells."""
    cells = [(r, c, v) for r, row in enumerate(sheet.rows) for c, v in enumerate(row) if type(v) is str and v.strip()]
    if sum(type(v) is float or type(v) is int for row in sheet.rows for v in row) > TEXT_SHEET_NUMBERS:
        cells = [(r, c, v) for r, c, v in cells if _PROSE.search(v)]
    return [(sheet.name, a1(r, c), v) for r, c, v in cells]


def recognize(sheets: Sequence[Sheet], synonyms: Mapping[str, Sequence[str]] | None = None) -> Book:
    """Every 公开表 found in the sheets, with the problems met on the way.

    ``synonyms`` adds a province's header spellings by column key (a profile's ``header_synonyms``).
    """
    extra = {k: frozenset(fold(v) for v in vs) for k, vs in (synonyms or {}).items()}
    tables: list[Table] = []
    problems: list[Problem] = []
    text: list[tuple[str, str, str]] = []
    for sheet in sheets:
        if OWN_SHEET.fullmatch(sheet.name):
            continue
        grid = _Grid(sheet)
        reported: set[str] = set()
        unread: str | None = None
        read = False
        for region in _split_form_regions(_regions(grid)):
            reader = _Reader(region, extra)
            table = reader.run()
            if table is None and region.listed:
                continue  # an entry of a 目录 listing, not a table whose header is missing
            problems += reader.problems
            if table is None:
                unread = unread or region.spec.id
            if table is not None:
                read = True
                tables.append(table)
                found = _uncached(table, sheet)
                reported |= {p.ref for p in found} | {a1(r, c) for p in found for r, c in sheet.uncached}
                problems += found
                problems += [
                    Problem(rule="R003", message=f"「{table.title}」有未能识别的表头：{u.split(':', 1)[1]}", sheet=table.sheet, ref=u.split(":", 1)[0], table=table.id)
                    for u in table.unmapped
                ]
        problems += _uncached_elsewhere(sheet, reported, unread)
        if not read and not sheet.hidden and sheet.name not in HELPER_SHEETS:
            text += _text_cells(sheet)  # a sheet of text that names a table (a 目录, a 说明 quoting a title) included
    names = tuple(s.name for s in sheets if not OWN_SHEET.fullmatch(s.name))
    return Book(sheets=names, tables=tuple(tables), problems=tuple(problems), text=tuple(text))
