"""A sheet's grid with merged-range lookups, and A1 addresses of grid positions."""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from ..core.addresses import col_letter
from ..core.grid import Scalar, Sheet
from ..core.text import fold, shown


@lru_cache(maxsize=1 << 17)
def a1(row: int, col: int) -> str:
    """0-based grid position → "C9" (remembered: every sheet asks for the same few thousand)."""
    return f"{col_letter(col)}{row + 1}"


@lru_cache(maxsize=1 << 16)
def _float_text(v: float) -> str:
    """fold(shown(v)) of a float, remembered (the same figures recur sheet after sheet; 0.0 and -0.0 share a key
    and a text, "0")."""
    return fold(shown(v))


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
        self._own_texts: dict[int, list[tuple[int, str]]] = {}
        self._starts: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        for m in sheet.merged:
            self._starts.setdefault((m[0], m[1]), []).append(m)
        for r0, c0, r1, c1 in sheet.merged:
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 20_000:  # whole-column merges: only the corner matters
                continue
            covered = dict.fromkeys(product(range(r0, r1 + 1), range(c0, c1 + 1)), (r0, c0))
            del covered[(r0, c0)]  # the corner is its own cell (or an earlier range's, as before)
            self._origin.update(covered)

    def get(self, r: int, c: int) -> Scalar:
        if 0 <= r < self.height:
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None

    def origin(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merged range covering (r, c), or (r, c) itself."""
        return self._origin.get((r, c), (r, c))

    def covering(self, r: int, c: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range covering (r, c) when that is another cell; None otherwise."""
        return self._origin.get((r, c))

    def merged_value(self, r: int, c: int) -> Scalar:
        return self.get(*self.origin(r, c))

    def merges_at(self, r: int, c: int) -> list[tuple[int, int, int, int]]:
        """The merged ranges whose top-left cell is (r, c)."""
        return self._starts.get((r, c), [])

    def own_texts(self, r: int) -> list[tuple[int, str]]:
        """`texts` of the cells that are their own or a merge's first cell (computed once per row)."""
        found = self._own_texts.get(r)
        if found is None:
            found = self._own_texts[r] = [(c, t) for c, t in self.texts(r) if self._origin.get((r, c), (r, c)) == (r, c)]
        return found

    def texts(self, r: int) -> list[tuple[int, str]]:
        """(column, folded text) of a row's non-empty cells (computed once per row)."""
        found = self._texts.get(r)
        if found is None:
            row = self.rows[r] if 0 <= r < self.height else []
            float_text = _float_text  # floats and text, nearly every cell, without a call to decide which
            found = [
                (c, f) for c, v in enumerate(row)
                if v is not None and (f := float_text(v) if type(v) is float else fold(v) if type(v) is str else fold(shown(v)))
            ]
            self._texts[r] = found
        return found
