"""Grids → Book: find every 公开表 by its title and headers, map columns, type and classify the data rows.

Pure: takes the grids that `read/` produced (or that Excel handed to `xl.py`), returns the typed model. What it
cannot understand becomes a `Problem` (an R-rule finding), never an exception.

regions.py finds the tables by title, headers.py maps a header band to column keys, cells.py types one cell,
rows.py reads a ruled table's rows, forms.py the form tables, book.py ties them into `recognize()`.
"""

from __future__ import annotations

from .book import recognize
from .cells import type_cell
from .headers import map_columns
from .merged_grid import a1

__all__ = ["a1", "map_columns", "recognize", "type_cell"]
