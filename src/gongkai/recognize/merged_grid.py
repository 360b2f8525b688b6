"""A sheet's grid with merged-range lookups, and A1 addresses of grid positions."""

from __future__ import annotations

from ..core.addresses import col_letter
from ..core.grid import Scalar, Sheet
from ..core.text import fold, shown


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
