"""The real published PDFs (tests/realdata/documents) and their JSON transcription (tests/realdata/json), read once
per test session."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from gongkai.read.document import Document
from gongkai.read.pdf import read_pdf

REALDATA = Path(__file__).parents[1] / "realdata"
DOCUMENTS = REALDATA / "documents"
JSON_DIR = REALDATA / "json"
STEMS: tuple[str, ...] = tuple(sorted(p.stem for p in DOCUMENTS.glob("*.pdf")))

# Where the JSON is not what the page prints, the reader follows the page. Each difference, exactly:
TITLE_AS_PRINTED = {
    # The quote marks of “三公” are set 6 pt lower than the rest of the title line; the JSON's line split put them
    # on a line of their own and left spaces. The reader keeps a glyph on the line its height overlaps by half.
    ("sh-putuo-czj-2024-final", 7): "财政拨款“三公”经费支出决算表",
}
NOTES_AS_PRINTED = {
    # The page prints a second sentence under the 注 (the template's instruction, left in by the department);
    # the JSON left it out.
    ("sh-putuo-shgzb-2024-final", 8): [
        "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：",
        "说明：中共上海市普陀区委社会工作部本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    ],
    ("sh-putuo-shgzb-2024-final", 9): [
        "注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。无国有资本经营预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：",
        "说明：中共上海市普陀区委社会工作部本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
    ],
}


@cache
def document(stem: str) -> Document:
    return read_pdf(DOCUMENTS / f"{stem}.pdf")


@cache
def transcription(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((JSON_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def expected_title(stem: str, index: int, table: dict[str, Any]) -> str:
    """The title as printed: for 部门决算单位构成 the JSON's title is an editor's label and the page prints only
    the sentence above the table (`title_as_printed_above`)."""
    return TITLE_AS_PRINTED.get((stem, index)) or table.get("title_as_printed_above") or table["title"]


def expected_notes(stem: str, index: int, table: dict[str, Any]) -> list[str]:
    printed = [n for n in table.get("notes") or [] if not n.startswith("page ")]  # "page N: …": the JSON's own
    return NOTES_AS_PRINTED.get((stem, index), printed)
