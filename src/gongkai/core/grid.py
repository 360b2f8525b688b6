"""The grid a reader hands to recognition: one worksheet's cached values from A1 and its merged ranges. Pure.

Every reader (`read/xlsx.py` with calamine, the Excel add-in `xl.py` with xlwings) produces `Sheet`s; recognition
only ever sees this type, never a workbook library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Scalar = str | float | int | bool | None


@dataclass
class Sheet:
    """One worksheet: cached values from A1 and merged ranges as (row0, col0, row1, col1), 0-based inclusive."""

    name: str
    rows: list[list[Scalar]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    uncached: list[tuple[int, int]] = field(default_factory=list)
    """Formula cells saved without a calculated result (row0, col0): calamine reads them as empty."""


def to_scalar(value: object) -> Scalar:
    """A cell value as the grids hold it: "" → None, dates as text, anything odd as text."""
    if value == "" or value is None:
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, (str, float, int, bool)):
        return value
    return str(value)
