"""Typing cells: one grid value → a `Cell` by its column kind (amounts scaled to 万元, text numbers remembered)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from math import copysign

from ..core.grid import Scalar
from ..core.model import Cell
from ..core.text import CENT, clean, parse_number, shown, to_decimal
from .merged_grid import a1

DASHES = frozenset({"-", "—", "－", "--", "——", "/", "–", "―"})


_SCALES: dict[Decimal, tuple[dict[float, Decimal], tuple[Decimal, Decimal]]] = {}
"""Per 金额单位 scale: float → its amount in 万元 (cents, Decimal), as computed once (workbooks repeat their figures
table to table), and the amounts of 0.0 and -0.0. The two zeros share a key: the memo holds 0.0 → +0 (the commonest
figure of all), and a -0.0 that finds it is told by its sign."""


def _scale(scale: Decimal) -> tuple[dict[float, Decimal], tuple[Decimal, Decimal]]:
    found = _SCALES.get(scale)
    if found is None:
        zeros = (_scaled(Decimal("0.00"), scale), _scaled(Decimal("-0.00"), scale))
        found = _SCALES[scale] = ({0.0: zeros[0]}, zeros)
    return found


def amount_memo(scale: Decimal) -> tuple[dict[float, Decimal], Decimal]:
    """The memo of one scale and its +0: a row reader looks a float up in it before it calls `typed` (its inline fast
    path), and takes what it finds unless that is the +0 and the float is -0.0."""
    memo, zeros = _scale(scale)
    return memo, zeros[0]


def amount(raw: float, scale: Decimal) -> Decimal:
    """A float amount in cents, half up from its shortest repr, in 万元 from the sheet's 金额单位 (remembered)."""
    memo, zeros = _scale(scale)
    found = memo.get(raw)
    if found is None:
        if raw == 0:  # a zero the memo lost (bench/stages.py empties it): never stored, 0.0 and -0.0 share a key
            return zeros[copysign(1.0, raw) < 0]
        found = _scaled(Decimal(repr(raw)).quantize(CENT, ROUND_HALF_UP), scale)
        if len(memo) < 1 << 16:
            memo[raw] = found
    elif found is zeros[0] and copysign(1.0, raw) < 0:
        return zeros[1]
    return found


def type_cell(sheet: str, r: int, c: int, raw: Scalar, kind: str, scale: Decimal = Decimal(1)) -> Cell:
    """Type the cell at grid position (r, c) by its column kind (`typed`)."""
    return typed(sheet, a1(r, c), raw, kind, scale)


def typed(sheet: str, ref: str, raw: Scalar, kind: str, scale: Decimal = Decimal(1)) -> Cell:
    """Type one cell by its column kind; text numbers are parsed and remembered as text. ``ref`` is its A1 address
    (a row reader makes it from the column's letter and the row's number, once per row)."""
    if type(raw) is float and kind == "amount" and -1e15 < raw < 1e15:  # nearly every amount: the fast path
        return Cell(sheet, ref, raw, amount(raw, scale))
    if raw is None:
        return Cell(sheet, ref)
    if type(raw) is str:
        if not raw.strip():
            return Cell(sheet, ref)
        if kind in ("code", "code_part"):  # text cells, the common case after amounts (shown(text) is the text)
            return Cell(sheet, ref, raw, raw.strip())
        if kind not in ("amount", "number", "percent"):
            return Cell(sheet, ref, raw, clean(raw))
    elif isinstance(raw, str) and not raw.strip():
        return Cell(sheet, ref)
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
