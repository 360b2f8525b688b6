"""Readers: files → grids (`core.grid.Sheet`) of cached values and merged ranges. One library per reader.

`xlsx.py` reads workbooks with python-calamine, after `safety.py` has scanned the zip and its XML; readers of
other formats (PDF, Word) go beside it, each the only importer of its library.
"""

from __future__ import annotations

from .xlsx import SUFFIXES, Limits, ReadError, read_workbook

__all__ = ["SUFFIXES", "Limits", "ReadError", "read_workbook"]
