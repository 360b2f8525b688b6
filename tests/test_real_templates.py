"""The 上海 budget platform's blank export templates (tests/realdata/templates, as WPS saved them): read as a clerk
gets them before filling in a figure. Nine tables in each, in the platform's order, and nothing wrong with a blank
template but the 编制部门 line it leaves to the clerk; its 目录 sheet, which lists the nine titles, is no table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.pipeline import check_file
from realdata.build import EXPORTED_STEMS, TEMPLATES, exported_with_text, load
from realdata.score import narrative_said

ORDER = [
    "budget.summary", "budget.revenue", "budget.expenditure", "budget.fiscal_summary", "budget.general",
    "budget.fund", "budget.capital", "budget.general_basic", "budget.general_sangong",
]
BLANKS = sorted(TEMPLATES.glob("sh-*-budget-template.xls*"))


def test_the_templates_are_vendored() -> None:
    assert [p.name for p in BLANKS] == ["sh-dept-budget-template.xlsx", "sh-unit-budget-template.xls", "sh-unit-budget-template.xlsx"]


@pytest.mark.parametrize("path", BLANKS, ids=lambda p: p.name)
def test_a_blank_template_is_nine_tables_and_no_error(path: Path) -> None:
    result = check_file(path)
    assert result.status == "ok"
    assert [t.id for t in result.tables] == ORDER
    assert all(t.sheet.startswith(("部门", "单位")) for t in result.tables)
    assert not [f for f in result.findings if f.severity != "warning"], [str(f) for f in result.findings]
    assert {f.rule for f in result.findings} == {"H008"}  # 编制部门：/编制单位： left blank for the clerk
    assert not [f for f in result.findings if f.sheet == "目录"]
    if path.suffix == ".xlsx":  # each at the label the name goes after, where the clerk types it
        sheets = load_workbook(path)
        assert {str(sheets[f.sheet][f.cell].value).strip() for f in result.findings} <= {"编制部门：", "编制单位："}
        assert all("没有填写部门或单位名称" in f.message for f in result.findings)


def test_the_xls_template_reads_as_its_xlsx_twin() -> None:
    xls, xlsx = (check_file(TEMPLATES / f"sh-unit-budget-template.{ext}") for ext in ("xls", "xlsx"))
    assert [(t.id, t.sheet, t.title, t.data_rows) for t in xls.tables] == [(t.id, t.sheet, t.title, t.data_rows) for t in xlsx.tables]
    assert [(f.rule, f.sheet, f.cell, f.message) for f in xls.findings] == [(f.rule, f.sheet, f.cell, f.message) for f in xlsx.findings]


def _sheet(rows: list[list[object]], path: Path) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


TITLES = [f"    {n}. 2025年预算单位{t}" for n, t in enumerate(("财务收支预算总表", "收入预算总表", "支出预算总表"), start=1)]
SANGONG = load("sh-putuo-sww-2025-unit-budget")["tables"][8]


def test_a_contents_listing_above_a_table_on_one_sheet(tmp_path: Path) -> None:
    """Three titles on adjacent rows are a listing; the 三公 table under it, after a blank row, is read."""
    rows: list[list[object]] = [["目  录"], *([t] for t in TITLES), [], [SANGONG["title"]], ["单位：上海市普陀区商务委员会", "", "", "", "", "", "单位：万元"]]
    rows += [[v or "" for v in r] for r in SANGONG["header"]] + [[float(v) if v else "" for v in SANGONG["rows"][0]]]
    result = check_file(_sheet(rows, tmp_path / "listing.xlsx"))
    assert [t.id for t in result.tables] == ["budget.general_sangong"]
    assert [t.data_rows for t in result.tables] == [1]
    assert not [f for f in result.findings if f.severity == "error"], [str(f) for f in result.findings]


def test_two_bare_titles_are_still_tables_not_found(tmp_path: Path) -> None:
    """Two titles with nothing under them are no listing: each is a table whose header is missing (R001)."""
    result = check_file(_sheet([[TITLES[0]], [TITLES[1]]], tmp_path / "bare.xlsx"))
    assert [f.rule for f in result.findings if f.severity == "error"] == ["R001", "R001"]


def test_a_department_line_left_blank_is_marked_where_the_name_goes(tmp_path: Path) -> None:
    """H008 in the exported layout: "编制部门：" with the name left out is marked at that cell, where the clerk
    types; a table with no 部门 line at all is marked at its title."""
    from realdata.build import EXPORTED, build

    built = build("sh-putuo-sww-2025-dept-budget", EXPORTED, tmp_path)
    assert not [f for f in check_file(built.path).findings if f.rule == "H008"]
    book = load_workbook(built.path)
    refs = []
    for t in (1, 2):
        ws = book[built.sheet_of(t)]
        label = next(c for row in ws.iter_rows(max_row=5) for c in row if str(c.value or "").startswith("编制部门"))
        label.value = "编制部门：" if t == 1 else None
        refs.append(label.coordinate)
    book.save(tmp_path / "blank.xlsx")
    found = [(f.sheet, f.cell, f.message) for f in check_file(tmp_path / "blank.xlsx").findings if f.rule == "H008"]
    assert [(sheet, cell) for sheet, cell, _ in found] == [(built.sheet_of(1), refs[0]), (built.sheet_of(2), "A2")]
    assert "没有填写部门或单位名称" in found[0][2] and "没有写明部门或单位" in found[1][2]


def test_the_exported_figures_as_excel_97_read_as_the_xlsx(tmp_path: Path) -> None:
    """The platform also exports .xls (its 单位 template is one): the exported workbooks of a 部门 and a 单位
    budget, saved as Excel 97-2003 by LibreOffice, give the same tables and findings, cell for cell."""
    from realdata.build import EXPORTED, build
    from recalc import converted

    stems = ("sh-putuo-sww-2025-unit-budget", "sh-putuo-wanli-2025-dept-budget")
    books = [build(stem, EXPORTED, tmp_path).path for stem in stems]
    for xlsx, xls in zip(books, converted(books, tmp_path / "xls", tmp_path / "profile", "xls:MS Excel 97"), strict=True):
        a, b = check_file(xlsx), check_file(xls)
        assert b.status == "ok", b.error
        assert [(t.id, t.sheet, t.data_rows) for t in b.tables] == [(t.id, t.sheet, t.data_rows) for t in a.tables]
        assert [(f.rule, f.sheet, f.cell, f.message) for f in b.findings] == [(f.rule, f.sheet, f.cell, f.message) for f in a.findings]
    assert check_file(books[1]).findings  # wanli 2025: its 舍位 notes, so the comparison compares something


@pytest.mark.parametrize("path", [p for p in BLANKS if p.suffix == ".xlsx"], ids=lambda p: p.name)
def test_a_blank_templates_own_text_is_read_and_nothing_is_claimed(path: Path) -> None:
    """The 说明 sheets of a blank template hold prompts ("预算数为XXX万元"): every figure is found and left
    unchecked as a placeholder, a 比上年 or a standard; nothing is called wrong."""
    result = check_file(path)
    report = result.narrative
    assert report is not None and report.found > 30
    assert report.checked == report.wrong == 0
    assert {u.reason for u in report.unchecked} >= {"模板占位符（**），没有填写数字"}
    assert not [f for f in result.findings if f.rule.startswith("N")]


COUNTS = ("found", "checked", "agreeing", "wrong")


@pytest.mark.parametrize("stem", EXPORTED_STEMS)
def test_a_workbooks_own_text_is_checked_as_the_published_document_is(stem: str, tmp_path: Path) -> None:
    """The same 说明 in the workbook's own 编制说明 sheet gets the findings it gets in the published PDF (万里 2023:
    five wrong figures, 2024: two), each at the cell that holds the sentence, and nothing else there: the text quotes
    the document's own 目录 (nine table titles: a listing, no table) and ends a project's 说明 with "详见单位的项目绩效
    目标表" (a pointer to a table, not its title: no R001)."""
    pdf, workbook = exported_with_text(stem, tmp_path)
    published, exported = check_file(pdf), check_file(workbook)
    assert published.narrative is not None and exported.narrative is not None and exported.narrative.found > 30
    assert [getattr(exported.narrative, k) for k in COUNTS] == [getattr(published.narrative, k) for k in COUNTS]
    assert narrative_said(exported) == narrative_said(published)
    texts = load_workbook(workbook)
    for f in (f for f in exported.findings if f.sheet.endswith("编制说明")):
        assert f.rule.startswith("N")
        quoted = re.search(r"【(.+?)】", f.message)
        assert quoted and quoted.group(1) in texts[f.sheet][f.cell].value, (f.cell, f.message)


def test_last_years_workbook_checks_this_years_text_as_last_years_document_does(tmp_path: Path) -> None:
    """万里 2024's 说明 against 2023's (--previous): the two exported workbooks check every 比上年 the two PDFs do."""
    from gongkai.pipeline import check_narrative_file

    (pdf, workbook), (last_pdf, last_workbook) = (
        exported_with_text(f"sh-putuo-wanli-{year}-dept-budget", tmp_path) for year in (2024, 2023)
    )
    published = check_narrative_file(pdf, previous=last_pdf)
    exported = check_narrative_file(workbook, previous=last_workbook)
    assert published.narrative is not None and exported.narrative is not None
    assert [getattr(exported.narrative, k) for k in COUNTS] == [getattr(published.narrative, k) for k in COUNTS]
    assert narrative_said(exported) == narrative_said(published)
    assert exported.narrative.checked > check_file(workbook).narrative.checked  # type: ignore[union-attr]


def test_the_report_lists_a_workbooks_own_text_under_the_text(tmp_path: Path) -> None:
    """In the HTML report the findings of a workbook's 说明 sheet stand under 说明文字, as a document's do, each
    at its sheet and cell."""
    from gongkai.cli import main

    _, workbook = exported_with_text("sh-putuo-wanli-2023-dept-budget", tmp_path)
    assert main(["check", str(workbook), "--format", "html", "-o", str(tmp_path / "report.html"), "-q"]) == 1
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert re.findall(r"<summary><b>说明文字（与各表核对）（(\d+)）</b>", page) == ["6"]
    assert "（整个工作簿）" not in page and "部门编制说明!A58" in page


def test_text_lists_a_workbooks_own_text_by_sheet_and_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`gongkai text` on a workbook: the 说明 sheets the checks read, each sheet named, each paragraph's cell given."""
    import json

    from gongkai.cli import main

    template = TEMPLATES / "sh-dept-budget-template.xlsx"
    assert main(["text", str(template)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "—— 工作表「其他相关情况说明」 ——" in lines and not any("部门收支总表」" in ln for ln in lines)
    assert any(ln.startswith("\u3000\u3000") and ln.endswith("（A3）") and "XXX万元" in ln for ln in lines)
    assert main(["text", str(template), "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {"sheet", "cell", "heading", "text"} == set(items[0]) and {i["sheet"] for i in items} >= {"封面", "部门编制说明"}
    example = Path(__file__).resolve().parents[1] / "workbooks" / "examples" / "budget-example.xlsx"
    assert main(["text", str(example)]) == 2
    assert "工作簿中没有说明文字" in capsys.readouterr().err


def test_a_text_sheet_with_a_small_table_of_its_own_still_has_its_sentences_checked(tmp_path: Path) -> None:
    """A 说明 sheet where the clerk pasted a small table (labels and figures below the text): its sentences are still
    the 说明, checked as before; the table's short labels are not read as sentences."""
    _, workbook = exported_with_text("sh-putuo-wanli-2023-dept-budget", tmp_path)
    before = check_file(workbook)
    book = load_workbook(workbook)
    sheet = next(ws for ws in book.worksheets if ws.title.endswith("编制说明"))
    below = sheet.max_row + 2
    for i, (label, amount) in enumerate([("一般公共服务支出", 1.5), ("公共安全支出", 2.25), ("教育支出", 3.0),
                                         ("科学技术支出", 4.0), ("文化旅游体育与传媒支出", 5.0), ("合计", 15.75)]):
        sheet.cell(below + i, 1, label)
        sheet.cell(below + i, 2, amount)
    book.save(tmp_path / "with-table.xlsx")
    after = check_file(tmp_path / "with-table.xlsx")
    assert after.narrative is not None and before.narrative is not None
    assert [getattr(after.narrative, k) for k in COUNTS] == [getattr(before.narrative, k) for k in COUNTS]
    assert narrative_said(after) == narrative_said(before)


def test_a_whole_说明_in_one_cell_is_read_sentence_by_sentence_in_order(tmp_path: Path) -> None:
    """As the template's own 说明 sheets hold it: the whole text in one cell, one paragraph a line. The PDF's findings,
    in the PDF's order, every one at that cell."""
    pdf, workbook = exported_with_text("sh-putuo-wanli-2023-dept-budget", tmp_path)
    book = load_workbook(workbook)
    sheet = next(ws for ws in book.worksheets if ws.title.endswith("编制说明"))
    lines = [c.value for c in sheet["A"] if c.value]
    for cell in sheet["A"]:
        cell.value = None
    sheet["A1"] = "\n".join(lines)
    book.save(tmp_path / "one-cell.xlsx")
    published, exported = check_file(pdf), check_file(tmp_path / "one-cell.xlsx")
    assert narrative_said(exported) == narrative_said(published) and len(narrative_said(exported)) == 6
    assert {(f.sheet, f.cell) for f in exported.findings if f.rule.startswith("N")} == {(sheet.title, "A1")}
