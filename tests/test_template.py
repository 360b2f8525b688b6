"""Templates: the committed workbooks/ files are what `gongkai template` writes, and they carry the template features."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from gongkai.cli import main
from gongkai.fill.template import FILES, sum_formula
from gongkai.pipeline import inspect_file
from wbcompare import content

WORKBOOKS = Path(__file__).parents[1] / "workbooks"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    assert main(["template", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_committed_template_is_current(generated: Path, name: str):
    assert content(WORKBOOKS / name) == content(generated / name), f"regenerate with: gongkai template --out workbooks ({name})"


@pytest.mark.parametrize("name", sorted(FILES))
def test_template_is_recognised(generated: Path, name: str):
    result = inspect_file(generated / name)

    assert [t.id for t in result.tables] == list(FILES[name][1])
    assert all(not t.unmapped and not t.missing for t in result.tables)


def test_template_features(generated: Path):
    wb = openpyxl.load_workbook(generated / "budget-set.xlsx")
    expenditure, targets = wb["表1-2"], wb["表6"]

    assert wb.sheetnames[0] == "填表说明"
    assert wb["下拉选项"].sheet_state == "hidden"
    assert expenditure.protection.sheet and expenditure.protection.password is None
    assert expenditure["E6"].value == '=SUMIFS(E7:E26,A7:A26,"<>",B7:B26,"")'
    assert expenditure["E7"].value == "=SUM(F7,G7)"
    assert expenditure["E6"].protection.locked and not expenditure["F7"].protection.locked
    assert expenditure.freeze_panes == "A6"
    assert expenditure.print_title_rows == "$4:$5"
    assert expenditure.page_setup.orientation == "landscape"
    assert {(str(v.sqref), v.formula1) for v in targets.data_validations.dataValidation} >= {
        ("H5:H24", "指标性质"), ("E5:E24", "一级指标"), ("F5:F24", "INDIRECT($E5)"), ("J5:J24", "度量单位"), ("L5:L24", "指标方向性"),
    }
    assert wb.defined_names["gk_budget_expenditure"].attr_text == "'表1-2'!$A$6:$G$26"
    assert wb.defined_names["gk_budget_expenditure_合计"].attr_text == "'表1-2'!$E$6"
    assert wb.defined_names["产出指标"].attr_text == "'下拉选项'!$F$2:$F$5"
    assert wb["表1"]["B6"].value == "='表1-1'!E5"


def test_sum_formula_compresses_ranges():
    assert sum_formula("表1", [("表1", "E", 7), ("表1", "E", 8), ("表1", "E", 9), ("表1", "E", 12)]) == "=SUM(E7:E9,E12)"
    assert sum_formula("表1", [("表1-1", "C", 5)]) == "='表1-1'!C5"
    assert sum_formula("表1", []) == "=0"
