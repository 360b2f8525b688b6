"""read_pdf on the 13 real published PDFs against their JSON transcription, cell by cell."""

from __future__ import annotations

import pytest
from doccorpus import STEMS, document, expected_notes, expected_title, transcription

from gongkai.read.document import locate, to_sheets


def test_the_corpus_is_here() -> None:
    assert len(STEMS) == 13


@pytest.mark.parametrize("stem", STEMS)
def test_tables_equal_the_transcription(stem: str) -> None:
    doc = document(stem)
    want = transcription(stem)["tables"]
    assert [t.title for t in doc.tables] == [expected_title(stem, i, t) for i, t in enumerate(want)]
    for i, (got, w) in enumerate(zip(doc.tables, want, strict=True)):
        where = f"{stem} table {i} {w['title']}"
        assert got.unit == w["unit"], where
        assert got.department == w.get("org"), where
        assert got.pages == w["pages"], where
        assert got.grid == w["header"] + w["rows"], where
        assert got.header_rows == len(w["header"]), where
        assert len(got.row_pages) == len(got.grid), where
        assert got.strategy == "lines"


@pytest.mark.parametrize("stem", STEMS)
def test_notes_under_tables(stem: str) -> None:
    for i, (got, w) in enumerate(zip(document(stem).tables, transcription(stem)["tables"], strict=True)):
        assert got.notes == expected_notes(stem, i, w), f"{stem} table {i}"


@pytest.mark.parametrize("stem", STEMS)
def test_merges_cover_exactly_the_none_cells(stem: str) -> None:
    for table in document(stem).tables:
        covered = set()
        for r0, c0, r1, c1 in table.merges:
            assert 0 <= r0 <= r1 < len(table.grid) and 0 <= c0 <= c1 < len(table.grid[r0])
            assert table.grid[r0][c0] is not None
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        nones = {(r, c) for r, row in enumerate(table.grid) for c, v in enumerate(row) if v is None}
        assert covered == nones, f"{stem} {table.title}"


@pytest.mark.parametrize("stem", STEMS)
def test_narrative_in_order_without_table_text(stem: str) -> None:
    doc = document(stem)
    assert doc.paragraphs and any(p.heading for p in doc.paragraphs)
    pages = [p.page for p in doc.paragraphs]
    assert pages == sorted(pages)
    text = doc.text()
    for cell in ("功能分类科目编码", "编制部门：", "单位：元", "单位：万元"):
        assert cell not in text, (stem, cell)


def test_narrative_headings_and_paragraphs() -> None:
    doc = document("sh-putuo-czj-2024-final")
    headings = [p.text for p in doc.paragraphs if p.heading]
    assert "第一部分 上海市普陀区财政局概况" in headings
    assert "七、财政拨款“三公”经费支出决算情况说明" in headings
    assert "（一）一般公共预算财政拨款支出决算总体情况" in headings
    assert "第三部分上海市普陀区财政局2024年度部门决算情况说明" in headings  # a heading printed on two lines
    body = [p for p in doc.paragraphs if p.text.startswith("本年收入合计2946.25万元")]
    assert len(body) == 1 and body[0].page == 21 and not body[0].heading
    # a Latin-font number set lower than the CJK line around it stays in its place in the sentence
    assert any("纳入上海市普陀区财政局2024年度部门决算编制范围的单位包括：" in p.text for p in doc.paragraphs)
    # a paragraph running on to the next page is one paragraph
    assert any(p.text.endswith("减少人员经费开支。") and p.page == 21 for p in doc.paragraphs)


def test_table_of_contents_entries() -> None:
    doc = document("sh-putuo-wanli-2025-dept-budget")
    assert [p.text for p in doc.paragraphs[2:5]] == ["目 录", "一、部门主要职能", "二、部门机构设置"]


def test_sheets_and_locations() -> None:
    doc = document("sh-putuo-wanli-2025-dept-budget")
    sheets = to_sheets(doc)
    assert len(sheets) == len(doc.tables)
    sheet = sheets[2]
    assert sheet.rows[0][0] == "2025年部门支出预算总表"
    assert sheet.rows[1][0] == "部门：上海市普陀区人民政府万里街道办事处" and sheet.rows[1][-1] == "金额单位：元"
    assert sheet.rows[2:] == doc.tables[2].grid
    assert (0, 0, 0, 6) in sheet.merged and (2, 0, 2, 3) in sheet.merged  # title across, 项目 over 4 columns
    row = next(r for r, (_, label) in sheet.locations.items() if label == "行政运行")
    assert locate(sheet, row, 6) == "第17页「2025年部门支出预算总表」 行政运行 / 项目支出"
    assert locate(sheet, len(sheet.rows) - 1, 4) == "第18页「2025年部门支出预算总表」 合计 / 合计"
