"""Published documents held to the real corpus's reviewed golden files (tests/realdata/golden), as workbooks are.

`realdata.score.score` scores a file against its golden through a map from the golden's JSON coordinates
(`[table, row, col]`, 0-based into a JSON table's `rows`) to the file's cells. For a workbook built from the JSON
that map is the builder's; for a document it is the reader's own layout (`read.document.to_sheets`: one sheet per
table, the title and the 部门/金额单位 line above the header, then the rows), so a golden's expected cell lands on
exactly the cell `check_file(document)` reports. The document's tables are the JSON's tables one for one (the
reader's test, test_pdf_tables.py, holds it to that), so JSON table t is the document's table t.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.core.addresses import col_letter
from gongkai.read.document import Document, SheetGrid, to_sheets


@dataclass
class DocBuilt:
    """A document with `realdata.build.Built`'s map from JSON coordinates to its cells."""

    path: Path
    grids: list[SheetGrid]

    @classmethod
    def of(cls, path: Path, document: Document) -> DocBuilt:
        return cls(path, to_sheets(document))

    def sheet_of(self, table: int) -> str:
        return self.grids[table].name

    def where(self, table: int, row: int, col: int) -> str:
        """The "Sheet!A1" of cell (row, col) of the JSON table's rows, in the document read as sheets."""
        g = self.grids[table]
        above = len(g.rows) - len(g.table.grid) - len(g.table.notes)  # the title and 部门/金额单位 rows
        return f"{g.name}!{col_letter(col)}{above + g.table.header_rows + row + 1}"
