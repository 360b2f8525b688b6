"""`gongkai export DOC.pdf --mode clean -o OUT.xlsx`: the document's tables as a clean workbook, which re-reads as
a workbook with the same tables and findings; `--mode tidy` as for workbooks.

The clean workbook prints amounts in 万元 to two decimals, as published tables do (write/clean.py), so a
document printed in 元 gains 舍位 notes where rounded parts no longer add up to the rounded total to the cent:
notes only, never an error or a warning; every error and warning is the document's own.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from doccorpus import DOCUMENTS, STEMS

from gongkai.cli import main
from gongkai.core.findings import Finding
from gongkai.pipeline import check_file

NARRATIVE = ("N",)
CLEANED = {"R006", "R007"}
"""Reading findings about a printed code (a 类 cell "7" for 210, a 款 "2" for 02) that the clean workbook writes
right, logging each as a code_normalised change: gone on the re-read, and only those."""
PAGE_ONLY = {("sh-putuo-shgzb-2024-final", "R002")}
"""test_document_golden.PAGE_ONLY: 科目名称 not mapped on the page; the clean sheet prints its header in full."""
FORM_TABLES = "budget.project_targets"
"""A Shanghai 财政项目支出绩效目标填报表 (fields, 项目资金 rows, then indicators without 指标性质) is recognised into the
national indicator table, and the clean workbook lays it out as that national table: the fields and fund rows are
not written and the missing 指标性质 print blank. Left out of the comparison, and held to still differ, until the
clean export can print a provincial form as printed."""


def kinds(findings: list[Finding], *, notes: bool, leave: frozenset[str] | set[str] = frozenset()) -> Counter[tuple[str, str, str | None]]:
    return Counter(
        (f.rule, f.severity.value, f.table) for f in findings if (notes or f.severity != "note") and f.table not in leave
    )


@pytest.mark.parametrize("stem", STEMS)
def test_clean_export_rereads_with_the_same_tables_and_findings(stem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = DOCUMENTS / f"{stem}.pdf"
    out = tmp_path / f"{stem}.xlsx"
    before = pdf.read_bytes()
    assert main(["export", str(pdf), "--mode", "clean", "-o", str(out)]) == 0
    assert "张表" in capsys.readouterr().out and pdf.read_bytes() == before
    document, workbook = check_file(pdf, ignore=NARRATIVE), check_file(out)
    assert workbook.status == "ok", workbook.error
    forms = {t.sheet for t in document.tables if t.id == FORM_TABLES and _is_form(pdf, t.sheet)}
    leave = {FORM_TABLES} if forms else set()

    def tables(result: object) -> list[tuple[str, int]]:
        return [(t.id, t.data_rows) for t in result.tables if t.id not in leave]  # type: ignore[attr-defined]

    assert tables(workbook) == tables(document)
    if forms:  # the known gap is still there
        printed = [t.data_rows for t in document.tables if t.id == FORM_TABLES]
        assert [t.data_rows for t in workbook.tables if t.id == FORM_TABLES] != printed
    gone = kinds(document.findings, notes=False, leave=leave) - kinds(workbook.findings, notes=False, leave=leave)
    assert all(rule in CLEANED or (stem, rule) in PAGE_ONLY for rule, _, _ in gone), gone
    assert kinds(workbook.findings, notes=False, leave=leave) - kinds(document.findings, notes=False, leave=leave) == Counter()
    gained = kinds(workbook.findings, notes=True, leave=leave) - kinds(document.findings, notes=True, leave=leave)
    assert all(severity == "note" and rule[0] in "SXF" for rule, severity, _ in gained)
    assert all("舍位" in f.message for f in workbook.findings if f.severity == "note")


def _is_form(pdf: Path, sheet: str) -> bool:
    """The table on ``sheet`` was printed as a form: labelled fields (项目名称, 主管部门 …) above its grid."""
    from gongkai.pipeline import load_book

    return any(t.sheet == sheet and t.fields for t in load_book(pdf).tables)


def test_clean_export_keeps_the_source_columns(tmp_path: Path) -> None:
    """A 收入预算总表 that prints 财政拨款收入 whole gets no blank 一般公共预算拨款收入 / 政府性基金预算拨款收入 columns
    (which would read as zeros and break 财政拨款收入 = Σ its parts)."""
    out = tmp_path / "clean.xlsx"
    assert main(["export", str(DOCUMENTS / "sh-putuo-czj-2025-dept-budget.pdf"), "--mode", "clean", "-o", str(out)]) == 0
    revenue = next(t for t in check_file(out).tables if t.id == "budget.revenue")
    assert "财政拨款收入" in revenue.columns
    assert not {"一般公共预算拨款收入", "政府性基金预算拨款收入"} & set(revenue.columns)


def test_tidy_export_of_a_document(tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "tidy.csv"
    pdf = DOCUMENTS / "sh-putuo-wanli-2025-dept-budget.pdf"
    assert main(["export", str(pdf), "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str)
    assert set(frame["文件"]) == {str(pdf)}
    assert {"budget.summary", "budget.expenditure", "budget.general_basic"} <= set(frame["表"])
    assert frame["金额"].notna().sum() > 100


def test_a_folder_of_documents_exports_one_clean_workbook_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for stem in ("sh-putuo-wanli-2024-dept-budget", "sh-putuo-wanli-2025-dept-budget"):
        (folder / f"{stem}.pdf").write_bytes((DOCUMENTS / f"{stem}.pdf").read_bytes())
    assert main(["export", str(folder), "--mode", "clean", "-o", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "sh-putuo-wanli-2024-dept-budget.xlsx", "sh-putuo-wanli-2025-dept-budget.xlsx",
    ]
