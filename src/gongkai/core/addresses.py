"""A1 addresses: column letters ↔ 0-based indexes, "C9" → (row, column). Pure."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def col_letter(index: int) -> str:
    """0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """"A" → 0, "XFD" → 16383 (the inverse of col_letter)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def cell_position(ref: str) -> tuple[int, int]:
    """"C9" → (8, 2): 0-based (row, column) of an A1 address."""
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):] or 0) - 1, col_index(letters.lstrip("$").replace("$", ""))
