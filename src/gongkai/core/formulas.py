"""Cell formulas as text: shared formulas moved to each cell, and the cells a SUM adds. Pure.

`read/formulas.py` reads a sheet's formulas and cached numbers from its XML into a `SheetFormulas`; the rules that
need them (`checks/formulas.py`) ask which cells a total's formula adds (`summed_cells`). Only what those rules
need is understood: A1 references (``D7``, ``$D$7``, ``D7:D20``, ``'表1'!D7``), the whole formula ``SUM(…)`` or
``SUBTOTAL(9|109, …)``; anything else (a formula that adds more than a SUM, names, whole columns) is not a sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .addresses import col_index, col_letter

MAX_RANGE_CELLS = 100_000
"""A SUM over more cells than this (a whole column spelled as D1:D1048576) is not read cell by cell."""


@dataclass(frozen=True)
class SheetFormulas:
    """What one worksheet's XML says beyond its values: the formula of each formula cell, and cached numbers."""

    formulas: dict[str, str] = field(default_factory=dict)
    """A1 → the formula as written, without "=" (a shared formula moved to the cell: ``SUM(D8:D19)``)."""
    numbers: dict[str, float] = field(default_factory=dict)
    """A1 → the number the cell holds as saved: constants and formulas' cached results (text, errors and booleans
    are not numbers)."""


# A cell reference: not part of a name (LOG10( is a function, TAX2019 a name), not a sheet name (AB1!D7)
_CELL = re.compile(r"(?<![A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(!])")
_STRING = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')


def shift(formula: str, rows: int, cols: int) -> str:
    """A shared formula as it reads in a cell ``rows`` below and ``cols`` right of its master: every relative
    reference moved, ``$``-anchored parts kept (``SUM(D$7:D7)`` two rows down → ``SUM(D$7:D9)``). Text in quotes
    (strings, quoted sheet names) is left alone."""
    if rows == 0 and cols == 0:
        return formula

    def move(m: re.Match[str]) -> str:
        dollar_c, letters, dollar_r, digits = m.groups()
        c = col_index(letters) if dollar_c else col_index(letters) + cols
        r = int(digits) if dollar_r else int(digits) + rows
        if c < 0 or r < 1:
            return "#REF!"
        return f"{dollar_c}{col_letter(c)}{dollar_r}{r}"

    out, at = [], 0
    for s in _STRING.finditer(formula):
        out.append(_CELL.sub(move, formula[at:s.start()]))
        out.append(s.group())
        at = s.end()
    out.append(_CELL.sub(move, formula[at:]))
    return "".join(out)


def _arguments(formula: str) -> tuple[str, list[str]] | None:
    """``SUM(A1, B2:B3)`` → ("SUM", ["A1", "B2:B3"]): the function and its top-level arguments, when the whole
    formula is one function call; None otherwise (``SUM(A1)+B2``, ``A1+A2``)."""
    text = formula.strip().lstrip("=+").strip()
    m = re.match(r"(?:_xlfn\.)?([A-Za-z][A-Za-z0-9.]*)\s*\(", text)
    if m is None or not text.endswith(")"):
        return None
    depth, quote, args, start = 0, "", [], m.end()
    for i in range(m.end() - 1, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                if i != len(text) - 1:
                    return None
                args.append(text[start:i].strip())
        elif ch == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
    if depth != 0 or quote:
        return None
    return m.group(1).upper(), args


_REFERENCE = re.compile(
    r"(?:(?:'((?:[^']|'')+)'|([^\s'!,():]+))!)?\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"
)


def _cells(argument: str, sheet: str) -> list[str] | None:
    """The cells one SUM argument names on ``sheet`` (a cell or a rectangle), None when it is anything else."""
    m = _REFERENCE.fullmatch(argument.strip())
    if m is None:
        return None
    quoted, plain, c1, r1, c2, r2 = m.groups()
    named = quoted.replace("''", "'") if quoted is not None else plain
    if named is not None and named != sheet:
        return None
    if c2 is None:
        return [f"{c1}{int(r1)}"]
    top, bottom = sorted((int(r1), int(r2)))
    left, right = sorted((col_index(c1), col_index(c2)))
    if (bottom - top + 1) * (right - left + 1) > MAX_RANGE_CELLS:
        return None
    return [f"{col_letter(c)}{r}" for r in range(top, bottom + 1) for c in range(left, right + 1)]


def summed_cells(formula: str, sheet: str) -> tuple[str, ...] | None:
    """The cells a total's formula adds (a cell named twice appears twice), when the whole formula is ``SUM(refs…)`` or ``SUBTOTAL(9|109, refs…)``
    with every argument a cell or a rectangle of ``sheet``; None for any other formula (one that adds, subtracts
    or converts as well — ``SUM(D7:D9)+VALUE(D8)``, ``SUM(D7,VALUE(D8))`` — or reaches another sheet).

    Excel's SUM and SUBTOTAL skip the text in the cells they add, which is what makes these formulas worth this.
    """
    call = _arguments(formula)
    if call is None:
        return None
    name, args = call
    if name == "SUBTOTAL":
        if not args or args[0].strip() not in ("9", "109"):
            return None
        args = args[1:]
    elif name != "SUM":
        return None
    if not args or any(not a for a in args):
        return None
    out: list[str] = []  # in order, a cell as often as it is named: SUM(D7:D9,D8) adds D8 twice, as Excel does
    for a in args:
        cells = _cells(a, sheet)
        if cells is None:
            return None
        out.extend(cells)
    return tuple(out)
