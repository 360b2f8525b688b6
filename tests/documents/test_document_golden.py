"""`check_file` on every real published PDF, and on the .docx built from the same tables, held to the reviewed golden
file of its stem (tests/realdata/golden) exactly as the JSON-built workbooks are (tests/test_realcorpus.py): every
table recognised with its stable id and physical row count, zero errors other than the golden's expected findings,
each of those found at its cell (mapped into the document by docscore.py), 舍位 differences as notes only.

The 说明 rules (N5xx) are left out here: the goldens review the tables; the narrative of each document has its own
reviewed test (tests/narrative/test_narrative_reviewed.py).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from doccorpus import DOCUMENTS, STEMS, document
from docscore import DocBuilt

from gongkai.pipeline import FileResult, check_file
from realdata.score import GOLDEN, Score, score

NARRATIVE = ("N",)
SEEDED = "sh-putuo-czj-2024-final-SEEDED"
KNOWN_MISSES = {"sh-putuo-shfly-2024-unit-budget": 1}  # as tests/test_realcorpus.py: 30210 is in no curated list


def golden(stem: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    return data


UNSIGNED = "没有写明部门或单位"
"""H008's message for a table printed without its 部门 line. The 决算 PDFs print the department once, on the cover,
and no 编制部门 line over their tables (the JSON has no `org` for them); the workbook builder writes one from the
document's department, so the goldens, reviewed on those workbooks, list no such warning. On the document the
warning is true: it must be there exactly for the tables that print no 部门."""


PAGE_ONLY = {
    ("sh-putuo-shgzb-2024-final", "pdf"): [
        "false error R002 政府性基金预算财政拨款收入支出决算表!A3 [final.fund]: 「政府性基金预算财政拨款收入支出决算表」缺少必需的列：科目名称",
        "false error R002 国有资本经营预算财政拨款收入支出决算表!A3 [final.capital_revenue]: 「国有资本经营预算财政拨款收入支出决算表」缺少必需的列：科目名称",
    ],
}
"""Errors the page gives and the golden does not list, each exactly. The two empty 决算 tables of 社会工作部 print
their 合计 row on the last header line, ruled across 编码 and 科目名称 (the PDF's lines say so); recognition then
maps no column to 科目名称. The JSON-built workbook and .docx let 科目名称 run down into that line instead (the
builder's guess from the JSON's nulls) and read it. Left to recognition (a 合计 label spanning the code and name
columns on a header line is the total row's label); see test_document_recognition.PDF_ONLY."""


def held_to_golden(s: Score, built: DocBuilt) -> None:
    assert s.status == "ok", s.details
    assert s.tables > 0
    assert (s.recognised, s.rows_right) == (s.tables, s.rows), [d for d in s.details if d.startswith("table")]
    assert s.unexpected == 0, [d for d in s.details if d.startswith("unexpected table")]
    false = [d for d in s.details if d.startswith("false")]
    assert false == PAGE_ONLY.get((s.stem, s.variant), [])
    unsigned = {g.name for g in built.grids if g.table.department is None}
    warned = {f.sheet for f in s.findings if f.rule == "H008" and UNSIGNED in f.message}
    assert warned <= unsigned  # never on a table that prints its 部门
    assert [d for d in s.details if d.startswith("unexpected warning") and UNSIGNED not in d] == []
    assert s.found == s.listed - KNOWN_MISSES.get(s.stem, 0), [d for d in s.details if d.startswith("missed")]
    assert s.rounding_noted == s.rounding, "a 舍位 difference must be a note"
    assert all(f.rule[0] in "SXF" and "舍位" in f.message for f in s.findings if f.severity == "note")


@cache
def pdf_built(stem: str) -> DocBuilt:
    return DocBuilt.of(DOCUMENTS / f"{stem}.pdf", document(stem))


@cache
def pdf_score(stem: str) -> Score:
    built = pdf_built(stem)
    return score(stem, "pdf", golden(stem), built.path.parent, built=built, ignore=NARRATIVE)


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_is_read_and_checked_right(stem: str) -> None:
    held_to_golden(pdf_score(stem), pdf_built(stem))


def test_a_table_printed_without_its_department_is_warned() -> None:
    """The national 2024 决算 PDF prints no 部门 line over any of its nine tables: H008 says so on each, at its title."""
    s = pdf_score("sh-putuo-czj-2024-final")
    warned = sorted(f.table for f in s.findings if f.rule == "H008" and UNSIGNED in f.message)
    assert warned == sorted(g["id"] for g in golden("sh-putuo-czj-2024-final")["tables"] if g["id"])  # type: ignore[index, union-attr]


def test_the_seeded_copys_planted_problems_are_reported() -> None:
    """The edited copy: its 支出决算表 removed (R004, about the whole document) and its 三公 table left with a header
    and no row (R008, located on its page)."""
    s = pdf_score(SEEDED)
    errors = {(f.rule, f.table) for f in s.findings if f.severity == "error"}
    assert errors == {("R004", "final.expenditure"), ("R008", "final.sangong")}
    result = check_file(DOCUMENTS / f"{SEEDED}.pdf", ignore=NARRATIVE)
    located = {f.rule: result.location(f) for f in result.findings if f.severity == "error"}
    assert located["R004"] is None  # a table that is not there is printed on no page
    sangong = located["R008"]
    assert sangong is not None and (sangong.page, sangong.title) == (15, "财政拨款“三公”经费支出决算表")


def test_an_expected_finding_is_located_by_page_table_row_and_column() -> None:
    """Each expected cell finding of a golden, on its document: the page it is printed on, the table's title and
    the printed row and column labels (what a reader of the PDF looks for), beside the grid address."""
    checked = missed = 0
    for stem in STEMS:
        g = golden(stem)
        cells = [e for e in g.get("expected", []) if e.get("at")]  # type: ignore[union-attr]
        if not cells:
            continue
        doc = document(stem)
        built = DocBuilt.of(DOCUMENTS / f"{stem}.pdf", doc)
        result = check_file(built.path, ignore=NARRATIVE)
        for e in cells:
            t, r, c = e["at"][0]
            sheet, cell = built.where(t, r, c).split("!")
            hits = [f for f in result.findings if (f.sheet, f.cell) == (sheet, cell)]
            if not hits:  # KNOWN_MISSES
                missed += 1
                continue
            loc = result.location(hits[0])
            table = doc.tables[t]
            assert loc is not None and loc.table == t + 1 and loc.title == table.title
            assert loc.page == table.row_pages[table.header_rows + r]
            assert loc.row and loc.row in table.rows[r]
            assert loc.text.startswith(f"第{loc.page}页「{table.title}」 {loc.row}")
            checked += 1
    assert checked > 0 and missed == sum(KNOWN_MISSES.values())


@pytest.fixture(scope="module")
def docx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx")


@pytest.mark.parametrize("stem", STEMS)
def test_docx_is_read_and_checked_right(stem: str, docx_dir: Path) -> None:
    """The same tables as a Word document (docxbuild.py: real Word tables, merged cells as gridSpan/vMerge): held
    to the same golden, with the same findings (rule, severity, table, message) as the PDF."""
    pytest.importorskip("docx")
    from docxbuild import build_docx

    from gongkai.read.docx import read_docx

    path = build_docx(stem, docx_dir / f"{stem}.docx")
    built = DocBuilt.of(path, read_docx(path))
    s = score(stem, "docx", golden(stem), docx_dir, built=built, ignore=NARRATIVE)
    held_to_golden(s, built)

    def kinds(score: Score) -> Counter[tuple[str, str, str | None, str]]:
        page_only = PAGE_ONLY.get((score.stem, score.variant), [])
        return Counter(
            (f.rule, f.severity, f.table, f.message.replace("“", "").replace("”", ""))  # TITLE_AS_PRINTED: the quotes
            for f in score.findings if not any(d.endswith(f"{f.sheet}!{f.cell} [{f.table}]: {f.message}") for d in page_only)
        )

    assert kinds(s) == kinds(pdf_score(stem))


def test_word_findings_are_located_by_table_number(docx_dir: Path) -> None:
    pytest.importorskip("docx")
    from docxbuild import build_docx

    result: FileResult = check_file(build_docx(SEEDED, docx_dir / "seeded.docx"), ignore=NARRATIVE)
    sangong = next(result.location(f) for f in result.findings if f.rule == "R008")
    assert sangong is not None and sangong.page is None
    assert sangong.text == f"表{sangong.table}「财政拨款“三公”经费支出决算表」"
