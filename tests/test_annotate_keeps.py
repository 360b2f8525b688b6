"""An annotated copy loses nothing: values, cached formula results, styles, notes, defined names, data validation.

Re-checking an annotated copy gives exactly the findings of the original (the 校验结果 sheet is not read as a
公开表), on the shipped examples, a filled workbook and every real-corpus workbook.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.cli import main
from gongkai.core.findings import Severity
from gongkai.pipeline import check_file
from gongkai.write.annotate import annotate
from gongkai.write.workbook import FORMULA_CELL, cached_formula_values
from realdata.build import STEMS, build

EXAMPLES = Path(__file__).resolve().parents[1] / "workbooks" / "examples"


def findings(path: Path) -> list[tuple]:
    r = check_file(path)
    assert r.status == "ok", r.error
    return [(f.rule, f.severity, f.table, f.sheet, f.cell, f.message, f.expected, f.actual) for f in r.findings]


def tables(path: Path) -> list[tuple[str, str]]:
    return [(t.id, t.sheet) for t in check_file(path).tables]


@pytest.mark.parametrize("name", ["budget-example-errors.xlsx", "budget-example.xlsx"])
def test_rechecking_an_annotated_example_gives_the_original_findings(name: str, tmp_path: Path) -> None:
    source = EXAMPLES / name
    out = annotate(source, check_file(source).findings, tmp_path / "marked.xlsx")

    assert findings(out) == findings(source)
    assert tables(out) == tables(source)
    assert cached_formula_values(out) == cached_formula_values(source)  # every formula keeps its result


def test_every_formula_cell_of_the_copy_has_a_cached_value(tmp_path: Path) -> None:
    source = EXAMPLES / "budget-example-errors.xlsx"
    out = annotate(source, check_file(source).findings, tmp_path / "marked.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(zf.read(n).decode() for n in sheets)
    formulas = re.findall(r'<c r="([A-Z]+[0-9]+)"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>.*?</f>)(<v>[^<]+</v>)?', xml)
    empty = [ref for ref, v in formulas if not v]
    assert FORMULA_CELL.search(xml) is None  # no formula cell left with an empty <v>
    assert len(formulas) > 100
    assert empty == []


@pytest.mark.parametrize("stem", STEMS)
def test_rechecking_an_annotated_real_workbook_gives_the_original_findings(stem: str, tmp_path: Path) -> None:
    source = build(stem, "published", tmp_path).path
    result = check_file(source)
    if result.status != "ok":
        pytest.skip(f"not readable as a workbook: {result.error}")
    out = annotate(source, result.findings, tmp_path / "marked.xlsx")
    assert findings(out) == findings(source)


def test_notes_names_validation_strings_and_styles_survive(tmp_path: Path) -> None:
    source = EXAMPLES / "budget-example-errors.xlsx"
    wb = openpyxl.load_workbook(source)
    ws = wb["表1"]
    ws["A3"].comment = Comment("会计的批注", "会计")
    wb.defined_names["我的区域"] = DefinedName("我的区域", attr_text="'表1'!$B$6:$B$9")
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    dv.add("H3")
    ws.add_data_validation(dv)
    ws["H4"] = '=IF(B6>0,"有","无")'  # a formula whose result is text
    ws["H5"] = "=B6>0"  # … and one whose result is a boolean
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    # give the two new formulas cached results, as Excel would have saved them
    import shutil

    from gongkai.write.workbook import _fill_values, _rewrite_sheets, sheet_parts

    with zipfile.ZipFile(edited) as zf:
        part = sheet_parts(zf)["表1"]
    shutil.copy(edited, tmp_path / "with-values.xlsx")
    edited = tmp_path / "with-values.xlsx"
    _rewrite_sheets(edited, {part: lambda xml: _fill_values(xml, {"H4": ("str", "有"), "H5": ("b", "1")})})
    source_findings = check_file(edited).findings

    out = annotate(edited, source_findings, tmp_path / "marked.xlsx")

    assert cached_formula_values(out)["表1"]["H4"] == ("str", "有")
    assert cached_formula_values(out)["表1"]["H5"] == ("b", "1")
    wb2 = openpyxl.load_workbook(out)
    assert wb2["表1"]["A3"].comment.text.startswith("会计的批注")
    assert "我的区域" in wb2.defined_names
    assert [str(d.sqref) for d in wb2["表1"].data_validations.dataValidation] == [
        str(d.sqref) for d in openpyxl.load_workbook(edited)["表1"].data_validations.dataValidation
    ]
    assert wb2["表1"]["B6"].number_format == openpyxl.load_workbook(edited)["表1"]["B6"].number_format
    values = openpyxl.load_workbook(out, data_only=True)["表1-2"]
    original = openpyxl.load_workbook(edited, data_only=True)["表1-2"]
    assert [[c.value for c in row] for row in values.iter_rows()] == [[c.value for c in row] for row in original.iter_rows()]
    assert findings(out) == findings(edited)


def test_annotate_cli_then_check_again_same_exit_and_findings(tmp_path: Path, capsys) -> None:
    source = EXAMPLES / "budget-example-errors.xlsx"
    out = tmp_path / "marked.xlsx"
    assert main(["annotate", str(source), "-o", str(out)]) == 1
    capsys.readouterr()
    assert main(["check", str(out), "--format", "json", "-q"]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    original = check_file(source)
    assert report["summary"]["errors"] == original.errors > 0
    assert report["summary"]["warnings"] == original.count(Severity.WARNING)


def _sheets(path: Path) -> dict[str, tuple[list[list[object]], list[object]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {n: (book.get_sheet_by_name(n).to_python(), sorted(book.get_sheet_by_name(n).merged_cell_ranges or []))
            for n in book.sheet_names}


def _layout(path: Path) -> dict[str, tuple[dict[str, float | None], dict[int, float | None], str | None]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: ({k: d.width for k, d in ws.column_dimensions.items()}, {k: d.height for k, d in ws.row_dimensions.items()},
                       ws.print_title_rows) for ws in wb.worksheets}


@pytest.mark.parametrize("name", ["sh-dept-budget-template.xlsx", "sh-unit-budget-template.xlsx"])
def test_a_real_wps_template_keeps_every_text_and_layout(name: str, tmp_path: Path) -> None:
    """The platform's templates as WPS saved them: every sheet's values (the 说明 sheets' rich text with its
    indents: openpyxl writes a run of spaces without xml:space="preserve", and calamine and Excel drop it), merged
    ranges, column widths, row heights and print titles as they were, the findings the same."""
    from realdata.build import TEMPLATES

    source = TEMPLATES / name
    out = annotate(source, check_file(source).findings, tmp_path / "marked.xlsx")
    before, after = _sheets(source), _sheets(out)
    assert list(after) == ["校验结果", *before]
    assert {n: after[n] for n in before} == before
    assert {n: v for n, v in _layout(out).items() if n in before} == _layout(source)
    assert findings(out) == findings(source)
    duties = [v for row in after[list(before)[2]][0] for v in row if isinstance(v, str)]  # 部门主要职能 / 单位职能
    assert any("\n    主要职能包括" in v for v in duties)  # the indent is a run of four spaces alone


def test_an_exported_real_workbook_is_annotated_without_loss(tmp_path: Path) -> None:
    from realdata.build import EXPORTED

    source = build("sh-putuo-wanli-2025-dept-budget", EXPORTED, tmp_path).path
    out = annotate(source, check_file(source).findings, tmp_path / "marked.xlsx")
    before = _sheets(source)
    assert {n: v for n, v in _sheets(out).items() if n in before} == before
    assert findings(out) == findings(source)
