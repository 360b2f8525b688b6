"""The formulas of a workbook's sheets, read from their XML (zipfile and a regex pass; no workbook library).

calamine gives the cached values only. The few rules that ask how a total was computed — whether a SUM left out a
number stored as text, whether a total is a number typed over the formula it should be (`checks/formulas.py`) —
get each formula cell's formula here, shared formulas (``t="shared"``) moved to every cell they cover, and the
cached number of every cell. Only the sheets asked for are inflated, and `pipeline.py` asks only when a rule needs
them, after the rules ran on the values: a clean workbook never comes here.

The file has passed the safety scan (`safety.scan_xlsx`) by then: every part's inflated size is bounded and no part
declares a DTD; the XML is read by regular expressions, which expand no entity.
"""

from __future__ import annotations

import contextlib
import html
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..core.addresses import cell_position
from ..core.formulas import SheetFormulas, shift
from .safety import _archive, _sheet_parts, read_part

ZIP_SUFFIXES = (".xlsx", ".xlsm")
"""Workbooks whose sheets are XML in a zip (an .xls or .ods has no formulas to read here)."""

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_ATTR = re.compile(rb'\b(r|t|si|ref)="([^"]*)"')


def sheet_formulas(data: bytes) -> SheetFormulas:
    """One worksheet's XML → its formulas (shared ones moved to each cell) and cached numbers. A cell without an
    ``r`` address (no writer of 公开表 saves one) is skipped."""
    formulas: dict[str, str] = {}
    numbers: dict[str, float] = {}
    masters: dict[str, tuple[str, str]] = {}
    """Shared formula index → (master cell, its formula)."""
    followers: list[tuple[str, str]] = []
    """(cell, index) of the cells that share a formula written before them, or (rarely) after them."""
    for m in _CELL.finditer(data):
        attrs = dict(_ATTR.findall(m.group(1)))
        ref = attrs.get(b"r", b"").decode("ascii", "replace").replace("$", "").upper()
        if not ref:
            continue
        body = m.group(2) or b""
        kind = attrs.get(b"t", b"n")
        if b"<" not in body:
            continue
        v = _VALUE.search(body)
        if v is not None and kind == b"n":
            with contextlib.suppress(ValueError):  # a damaged value: the cell is no number
                numbers[ref] = float(v.group(1))
        f = _FORMULA.search(body)
        if f is None:
            continue
        fattrs = dict(_ATTR.findall(f.group(1)))
        text = html.unescape((f.group(2) or b"").decode("utf-8", "replace")).strip()
        if fattrs.get(b"t") == b"shared" and b"si" in fattrs:
            index = fattrs[b"si"].decode("ascii", "replace")
            if text:
                masters[index] = (ref, text)
                formulas[ref] = text
            else:
                followers.append((ref, index))
            continue
        if text:
            formulas[ref] = text
    for ref, index in followers:
        if index in masters:
            master, text = masters[index]
            (r0, c0), (r1, c1) = cell_position(master), cell_position(ref)
            formulas[ref] = shift(text, r1 - r0, c1 - c0)
    return SheetFormulas(formulas=formulas, numbers=numbers)


def read_formulas(path: str | Path, sheets: Iterable[str]) -> dict[str, SheetFormulas]:
    """The formulas and cached numbers of the named sheets of an .xlsx/.xlsm (sheet name → `SheetFormulas`); only
    those sheets' parts are inflated. Another format, or a sheet the workbook does not have, gives nothing.
    Raises BadZipFile / OSError for a file that cannot be read (the caller has read it once already)."""
    p = Path(path)
    wanted = set(sheets)
    if p.suffix.lower() not in ZIP_SUFFIXES or not wanted or not zipfile.is_zipfile(p):
        return {}
    out: dict[str, SheetFormulas] = {}
    with zipfile.ZipFile(p) as z:
        archive = _archive(z)
        for part, name in _sheet_parts(z, archive).items():
            if name not in wanted:
                continue
            try:
                info = z.getinfo(part)
            except KeyError:
                continue
            out[name] = sheet_formulas(read_part(z, info, archive=archive))
    return out
