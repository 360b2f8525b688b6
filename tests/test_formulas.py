"""What the formulas tell (issue 19 §2): a SUM that skips a number stored as text (S109), and the sum findings on a
number typed over a formula naming that cell.

Workbooks are built as real exports look: a 部门支出总表 laid out by gongkai, its totals written as formulas with
openpyxl, then recalculated by LibreOffice (so every formula carries the cached value Excel would show); the
shared-formula variant is that file with its row totals rewritten the way Excel saves a filled-down formula.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.checks.formulas import left_out, sheets_needed
from gongkai.core.formulas import SheetFormulas, shift, summed_cells
from gongkai.core.specs import BY_ID
from gongkai.fill.layout import CellWrite, TableData, lay_out
from gongkai.pipeline import check_file, load_book
from gongkai.write.marks import cell_marks
from gongkai.write.workbook import write_plans
from recalc import recalculated

EXAMPLES = Path(__file__).parents[1] / "workbooks" / "examples"
SHEET = "表1-2"
ROWS = [  # row 6 合计, 7 类, 8 款, 9–11 项, 12 款, 13–14 项
    ("", "", "", "合计"), ("205", "", "", "教育支出"), ("205", "01", "", "教育管理事务"), ("205", "01", "01", "行政运行"),
    ("205", "01", "02", "一般行政管理事务"), ("205", "01", "99", "其他教育管理事务支出"), ("205", "02", "", "普通教育"),
    ("205", "02", "01", "学前教育"), ("205", "02", "02", "小学教育"),
]
LEAVES = (9, 10, 11, 13, 14)


def template() -> dict[str, object]:
    """The 部门支出总表 as a template has it: 基本支出/项目支出 typed on the 项 rows, every total a formula."""
    cells: dict[str, object] = {}
    for r, (basic, project) in zip(LEAVES, [(1000, 0), (1672.81, 5), (3, 0), (35.5, 0), (20, 0)], strict=True):
        cells |= {f"F{r}": basic, f"G{r}": project, f"E{r}": f"=SUM(F{r}:G{r})"}
    for c in "EFG":
        cells |= {f"{c}8": f"=SUM({c}9:{c}11)", f"{c}12": f"=SUM({c}13:{c}14)", f"{c}7": f"=SUM({c}8,{c}12)", f"{c}6": f"=SUM({c}7)"}
    return cells


def write(path: Path, cells: dict[str, object]) -> Path:
    rows = [dict(zip(("类", "款", "项", "科目名称"), r, strict=True)) for r in ROWS]
    plan = lay_out(TableData(BY_ID["budget.expenditure"], department="某市教育局", rows=[{k: v for k, v in r.items() if v} for r in rows]))
    for ref, v in cells.items():
        role = "formula" if isinstance(v, str) and v.startswith("=") else "text" if isinstance(v, str) else "amount"
        plan.cells.append(CellWrite(ref, v if role != "amount" else Decimal(str(v)), role))
    return write_plans([plan], path)


def share(path: Path, target: Path, groups: list[list[str]]) -> Path:
    """The workbook as Excel saves a filled-down formula: each group's first cell the master of a shared formula
    (``<f t="shared" ref=… si=…>``), the others ``<f t="shared" si=…/>``; cached values kept."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for si, refs in enumerate(groups):
        for i, ref in enumerate(refs):
            pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f[^>]*>([^<]*)</f>')
            assert pattern.search(xml), ref
            shared = (
                rf'\1<f t="shared" ref="{refs[0]}:{refs[-1]}" si="{si}">\2</f>' if i == 0 else rf'\1<f t="shared" si="{si}"/>'
            )
            xml = pattern.sub(shared, xml, count=1)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def cached(path: Path, target: Path, ref: str, value: str) -> Path:
    """The workbook with one formula's cached value replaced, as a tool that converts text numbers would save it."""
    shutil.copy(path, target)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml, n = re.subn(rf'(<c r="{ref}"[^>]*><f[^>]*>[^<]*</f><v>)[^<]*(</v>)', rf"\g<1>{value}\2", xml)
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


OUTSIDE: dict[str, object] = {  # formulas only in the 合计 and 类 rows: nothing adds the 项 rows' cells
    **{f"{c}{r}": f for c in "EFG" for r, f in ((6, f"=SUM({c}7)"), (7, f"=SUM({c}8,{c}12)"))},
    "E8": 2680.81, "F8": 2675.81, "G8": 5, "E12": 55.5, "F12": 55.5, "G12": 0,
    **{f"E{r}": v for r, v in zip(LEAVES, (1000, 1677.81, 3, 35.5, 20), strict=True)},
    **{f"F{r}": v for r, v in zip(LEAVES, (1000, "1672.81", 3, 35.5, 20), strict=True)},
    **{f"G{r}": v for r, v in zip(LEAVES, (0, 5, 0, 0, 0), strict=True)},
}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("formulas")
    plain = template() | {
        "F10": "1,672.81",  # in F8 =SUM(F9:F11) and E10 =SUM(F10:G10)
        "F13": "35.50", "F12": "=SUM(F13,F14)", "E13": "=SUBTOTAL(9,F13:G13)",  # a list of cells, and SUBTOTAL
    }
    built = {
        "plain": write(root / "plain.xlsx", plain),
        "outside": write(root / "outside.xlsx", OUTSIDE),
        "counted": write(root / "counted.xlsx", template() | {
            "F10": "1672.81", "F8": "=SUM(F9,VALUE(F10),F11)", "E10": "=F10+G10",  # the text converted: counted
        }),
        "typed": write(root / "typed.xlsx", template() | {"F8": 2000, "E13": 999}),  # numbers typed over formulas
    }
    out = dict(zip(built, recalculated(list(built.values()), root / "out", root / "profile"), strict=True))
    out["shared"] = share(out["plain"], root / "shared.xlsx", [[f"E{r}" for r in (9, 10, 11)], ["E14"]])
    out["converted"] = cached(out["plain"], root / "converted.xlsx", "F8", "2675.81")
    return out


def s109(path: Path) -> list[tuple[str, str]]:
    return [(f.where, f.severity.value) for f in check_file(path).findings if f.rule == "S109"]


def test_a_sum_that_skips_a_text_number_is_an_error(books: dict[str, Path]) -> None:
    found = {f.where: f for f in check_file(books["plain"]).findings if f.rule == "S109"}
    assert s109(books["plain"]) == [(f"{SHEET}!F8", "error"), (f"{SHEET}!E10", "error"), (f"{SHEET}!F12", "error"), (f"{SHEET}!E13", "error")]
    f8 = found[f"{SHEET}!F8"]
    assert f8.message == (
        "F8 的求和公式 =SUM(F9:F11) 得出 1,003.00，没有计入存为文本的 F10「1,672.81」，计入后应为 2,675.81"
        "（Excel 求和会忽略文本；请把 F10 改为数值）"
    )
    assert (f8.related, f8.suspects, f8.expected, f8.actual) == ((f"{SHEET}!F10",), (f"{SHEET}!F10",), Decimal("2675.81"), Decimal("1003"))
    assert "=SUM(F13,F14) 得出 20.00" in found[f"{SHEET}!F12"].message
    assert "=SUBTOTAL(9,F13:G13) 得出 0.00，没有计入存为文本的 F13「35.50」，计入后应为 35.50" in found[f"{SHEET}!E13"].message
    marked = {(m.sheet, m.cell) for m in cell_marks(check_file(books["plain"]).findings)}
    assert {(SHEET, "F10"), (SHEET, "F13"), (SHEET, "F8")} <= marked  # the text cells are marked as the cause


def test_a_shared_formula_is_read_at_every_cell_it_covers(books: dict[str, Path]) -> None:
    xml = zipfile.ZipFile(books["shared"]).read("xl/worksheets/sheet1.xml").decode()
    assert '<f t="shared" si="0"/>' in xml and "SUM(F10:G10)" not in xml  # E10's formula is only E9's, shared
    assert s109(books["shared"]) == s109(books["plain"])
    e10 = next(f for f in check_file(books["shared"]).findings if f.rule == "S109" and f.cell == "E10")
    assert e10.message.startswith("E10 的求和公式 =SUM(F10:G10) 得出 5.00，没有计入存为文本的 F10「1,672.81」")


def test_a_text_number_no_sum_adds_is_only_a_style_warning(books: dict[str, Path]) -> None:
    findings = check_file(books["outside"]).findings
    assert [(f.rule, f.where) for f in findings if f.rule in ("H001", "S109")] == [("H001", f"{SHEET}!F10")]


def test_a_sum_whose_cached_value_counts_the_text_is_no_finding(books: dict[str, Path]) -> None:
    counted = check_file(books["counted"]).findings
    assert [(f.rule, f.where) for f in counted if f.severity.value == "error"] == []  # VALUE() and + count the text
    assert [f.rule for f in counted] == ["H001"]
    assert s109(books["converted"]) == [(f"{SHEET}!E10", "error"), (f"{SHEET}!F12", "error"), (f"{SHEET}!E13", "error")]


def test_the_verdict_needs_the_cached_value_short_by_the_text() -> None:
    sf = SheetFormulas(formulas={"D10": "SUM(D7:D9)"}, numbers={"D7": 1.0, "D9": 2.0, "D10": 3.0})
    texts = {"D8": ("1,672.81", Decimal("1672.81"))}
    x = left_out("D10", "SUM(D7:D9)", "s", sf, texts, Decimal("0.005"))
    assert x is not None and (x.cached, x.full) == (Decimal("3.0"), Decimal("1675.81"))
    counted = SheetFormulas(sf.formulas, sf.numbers | {"D10": 1675.81})
    assert left_out("D10", "SUM(D7:D9)", "s", counted, texts, Decimal("0.005")) is None
    other = SheetFormulas(sf.formulas, sf.numbers | {"D10": 100.0})  # neither: off for another reason
    assert left_out("D10", "SUM(D7:D9)", "s", other, texts, Decimal("0.005")) is None
    assert left_out("D10", "SUM(D7:D9)", "s", sf, {"D8": ("0.001", Decimal("0.001"))}, Decimal("0.005")) is None


def test_which_cells_a_formula_sums() -> None:
    assert summed_cells("SUM(D7:D9)", "s") == ("D7", "D8", "D9")
    assert summed_cells("=SUM($D$7,D9, D11)", "s") == ("D7", "D9", "D11")
    assert summed_cells("SUM(D7:E8)", "s") == ("D7", "E7", "D8", "E8")
    assert summed_cells("SUM(D7:D8,D8)", "s") == ("D7", "D8", "D8")  # Excel adds a cell named twice twice
    assert summed_cells("SUBTOTAL(9,D7:D8)", "s") == summed_cells("SUBTOTAL(109,D7:D8)", "s") == ("D7", "D8")
    assert summed_cells("'s'!D7+0", "s") is None
    assert summed_cells("SUM('s'!D7:D8)", "s") == ("D7", "D8")
    for other in ("SUBTOTAL(1,D7:D8)", "SUM(D7:D8)+D9", "SUM(D7,VALUE(D8))", "D7+D8", "SUM(x!D7)", "SUM(D:D)", "SUM(A1:XFD1048576)", "SUM()"):
        assert summed_cells(other, "s") is None, other
    assert shift("SUM(F9:G9)", 1, 0) == "SUM(F10:G10)"
    assert shift("SUM($F9:G$9)+LOG10(A1)&\"A1\"&'x A1'!B2", 2, 1) == "SUM($F11:H$9)+LOG10(B3)&\"A1\"&'x A1'!C4"


def test_a_number_typed_over_a_formula_is_named_in_the_sum_findings(books: dict[str, Path]) -> None:
    findings = check_file(books["typed"]).findings
    said = {(f.rule, f.where): f for f in findings}
    f8 = f"{SHEET}!F8 是手填的数字，同列其他合计单元格是公式，可能是改写公式所致"
    e13 = f"{SHEET}!E13 是手填的数字，同列其他行的这一栏是公式，可能是改写公式所致"
    assert said[("S104", f"{SHEET}!F8")].message.endswith("；" + f8)
    assert said[("S101", f"{SHEET}!E8")].message.endswith("；" + f8)
    assert said[("S101", f"{SHEET}!E8")].suspects == (f"{SHEET}!F8",)
    assert said[("S101", f"{SHEET}!E13")].message.endswith("；" + e13)
    assert [k for k, f in said.items() if "手填的数字" in f.message] == [
        ("S101", f"{SHEET}!E8"), ("S104", f"{SHEET}!F8"), ("S101", f"{SHEET}!E13"),
    ]


def test_the_errors_example_names_the_typed_over_cells() -> None:
    findings = check_file(EXAMPLES / "budget-example-errors.xlsx").findings
    said = {(f.rule, f.where): f for f in findings}
    f6 = "；表1-2!F6 是手填的数字，同列其他合计单元格是公式，可能是改写公式所致"
    h8 = "；表2-1!H8 是手填的数字，同列其他合计单元格是公式，可能是改写公式所致"
    assert said[("S101", "表1-2!E6")].message.endswith(f6) and said[("S101", "表1-2!E6")].suspects == ("表1-2!F6",)
    assert said[("S102", "表1-2!F6")].message.endswith(f6) and said[("S102", "表1-2!F6")].suspects == ()
    assert said[("S101", "表2-1!G8")].message.endswith(h8) and said[("S101", "表2-1!G8")].suspects == ("表2-1!H8",)
    assert said[("S104", "表2-1!H8")].message.endswith(h8)
    assert sorted(k for k, f in said.items() if "手填" in f.message) == sorted(
        [("S101", "表1-2!E6"), ("S102", "表1-2!F6"), ("S101", "表2-1!G8"), ("S104", "表2-1!H8")]
    )
    assert [f.where for f in findings if f.rule == "S109"] == ["表3-1!F8", "表3-1!E9"]
    notes = {(m.sheet, m.cell): m.note for m in cell_marks(findings)}
    assert "S101" in notes[("表1-2", "F6")] and "S102" in notes[("表1-2", "F6")]  # F6 carries E6's finding too
    values_only = check_file(EXAMPLES / "budget-example-errors.xlsx", formulas=False).findings  # the Excel add-in's
    assert [f for f in values_only if f.rule == "S109" or "手填" in f.message] == []
    assert len(values_only) == len(findings) - 2


def test_formulas_are_read_only_when_a_rule_needs_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import gongkai.read.formulas as reader

    calls: list[set[str]] = []
    real = reader.read_formulas

    def recording(path: object, sheets: object) -> object:
        calls.append(set(sheets))  # type: ignore[call-overload]
        return real(path, sheets)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "read_formulas", recording)
    clean = EXAMPLES / "budget-example.xlsx"
    assert check_file(clean).findings == [] and calls == []
    assert sheets_needed(load_book(clean), []) == set()
    check_file(EXAMPLES / "budget-example-errors.xlsx")
    assert calls == [{"表1-2", "表2-1", "表3-1"}]  # the sheets with a sum error or a text number, nothing else


def test_select_and_ignore_reach_the_formula_rule(books: dict[str, Path]) -> None:
    assert [f.rule for f in check_file(books["plain"], ignore=["S109"]).findings if f.rule == "S109"] == []
    assert {f.rule for f in check_file(books["plain"], select=["S109"]).findings} == {"S109"}
