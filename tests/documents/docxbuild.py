"""Word documents (.docx) built from the JSON tables of the real corpus, as a department would write them.

Each table as a real Word table under its title paragraph and its `编制部门：…  单位：…` paragraph, the cells the
JSON marks null merged into the cell they belong to (python-docx `cell.merge`: gridSpan across, vMerge down,
the rectangles the workbook builder infers, `realdata.build.Grid`), the table's 注 lines under it, and some
narrative with headings around the tables. Needs python-docx (an optional dependency).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from doccorpus import transcription

from realdata.build import Grid

INTRO = "第一部分 部门概况"
TEXT = "本部门的主要职能是：贯彻执行国家和本市有关方针政策，按照规定编制并公开部门预算和决算。"
TABLES_HEADING = "第二部分 部门预决算表"


def build_docx(stem: str, path: Path, *, nested: bool = False) -> Path:
    """`path`: the document of `stem` as a .docx. With `nested`, the first table's first body cell also holds a
    small table of its own (a table nested in a cell)."""
    import docx

    data = transcription(stem)
    doc = docx.Document()
    doc.add_heading(f"{data['department']}{data['year']}年度公开文件", level=0)
    doc.add_heading(INTRO, level=1)
    doc.add_paragraph(TEXT)
    doc.add_paragraph(f"（一）{data['department']}的机构设置情况。")
    doc.add_heading(TABLES_HEADING, level=1)
    for t, table in enumerate(data["tables"]):
        add_table(doc, table, nested=nested and t == 0)
        doc.add_paragraph(f"以上是第{t + 1}张表。")
    doc.save(str(path))
    return path


def add_table(doc: Any, table: dict[str, Any], *, nested: bool = False) -> None:
    grid = Grid.of(table)
    doc.add_paragraph(table["title"])
    line = []
    if table.get("org"):
        line.append(f"编制部门：{table['org']}")
    if table.get("unit"):
        line.append(f"单位：{table['unit']}")
    if line:
        doc.add_paragraph("    ".join(line))
    rows, width = len(grid.cells), len(grid.cells[0])
    word = doc.add_table(rows=rows, cols=width)
    word.style = "Table Grid"
    cells = word._cells  # every grid position once (word.cell(r, c) rebuilds this list on each call)
    for r0, c0, r1, c1 in grid.rects:  # disjoint rectangles: merging one leaves the others' cells in place
        cells[r0 * width + c0].merge(cells[r1 * width + c1])
    cells = word._cells  # now with merged cells repeated
    for r, row in enumerate(grid.cells):
        for c, text in enumerate(row):
            if text:
                cells[r * width + c].text = text
    if nested:
        cell = word.cell(grid.n_header, width - 1)
        inner = cell.add_table(rows=2, cols=2)
        for (r, c), text in {(0, 0): "项目", (0, 1): "金额", (1, 0): "内嵌合计", (1, 1): "1.00"}.items():
            inner.cell(r, c).text = text
    for note in table.get("notes") or []:
        if not note.startswith("page "):
            doc.add_paragraph(note)
