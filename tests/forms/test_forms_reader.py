"""The form reader on real forms changed the way other exports print them (issue 15 §1).

Each case edits a real corpus document (a JSON copy) and builds it with the corpus builder, in all three variants
(published, messy, nomerge: the merges the edits imply are there, or not at all): a 绩效指标 section label merged
down over the indicator header and every indicator row, indicator header cells two rows tall, 执行率 printed over
two grid columns, a score line merged over the width, a 表7 funds block with its labels in one row and the
amounts in the row below.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import realdata.build as builder
from gongkai.core.model import Book, Table
from gongkai.pipeline import check_file, load_book
from realdata.build import VARIANTS

QS = "sichuan-qingshen-fgj-2023-selfeval"
REAL_LOAD = builder.load


def _build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, doc: dict[str, Any], variant: str) -> tuple[builder.Built, Book]:
    real = builder.load
    monkeypatch.setattr(builder, "load", lambda stem: doc if stem == QS else real(stem))
    built = builder.build(QS, variant, tmp_path)
    return built, load_book(built.path)


def _selfeval(book: Book) -> Table:
    (table,) = [t for t in book.tables if t.id == "final.project_selfeval"]
    return table


def _qingshen() -> dict[str, Any]:
    return copy.deepcopy(REAL_LOAD(QS))


@pytest.mark.parametrize("variant", VARIANTS)
def test_section_label_merged_down_does_not_extend_the_header_band(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """绩效指标(90分) merged from the indicator header down over both indicator rows (and 预算执行情况 over the funds)."""
    doc = _qingshen()
    rows = doc["tables"][0]["rows"]
    for r in (10, 11):
        rows[r][0] = None
    for r in (4, 5, 6, 7, 8):
        rows[r][0] = None
    built, book = _build(monkeypatch, tmp_path, doc, variant)
    t = _selfeval(book)
    assert book.problems == ()
    assert t.columns["三级指标"] == "D" and t.columns["实际完成值"] == "H" and t.columns["资金:执行率"] == "F"
    assert [(r.label, r.text("年度指标值"), r.text("度量单位")) for r in t.of_kind("indicator")] == [
        ("发放(缴纳)覆盖率", "100", "%"), ("足额保障率(参保率)", "100", "%")]
    assert [r.item for r in t.of_kind("fund")] == ["年度资金总额", "财政拨款", "财政专户管理资金", "单位资金", "其他资金"]
    if variant != "nomerge":
        assert any(m[1] == 0 and m[2] - m[0] == 2 for m in load_sheet_merges(built))  # the label really spans down


def load_sheet_merges(built: builder.Built) -> list[tuple[int, int, int, int]]:
    from gongkai.read.xlsx import read_workbook

    return read_workbook(built.path)[0].merged


@pytest.mark.parametrize("variant", VARIANTS)
def test_header_cells_two_rows_tall(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """The indicator header over two rows: 年度指标 over 指标值 | 度量单位, 一级指标 … 指标性质 two rows tall."""
    doc = _qingshen()
    rows = doc["tables"][0]["rows"]
    width = len(rows[9])
    sub: list[str | None] = [None] * 5 + ["指标值", "度量单位"] + [""] * (width - 7)  # 一级…指标性质 grow down
    rows[9][5], rows[9][6] = "年度指标", None
    rows.insert(10, sub)
    _, book = _build(monkeypatch, tmp_path, doc, variant)
    t = _selfeval(book)
    assert book.problems == ()
    assert [r.number for r in t.of_kind("indicator")] == [17, 18]  # the header: rows 15-16
    assert (t.columns["年度指标值"], t.columns["度量单位"], t.columns["实际完成值"]) == ("F", "G", "H")
    assert [(r.text("指标性质"), r.text("年度指标值"), r.text("度量单位")) for r in t.of_kind("indicator")] == [("=", "100", "%")] * 2


@pytest.mark.parametrize("variant", VARIANTS)
def test_rate_header_over_two_columns_is_one_column(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """预算执行率 printed over two grid columns (its 权重 column folded into it): one column, not an unmapped one."""
    doc = _qingshen()
    rows = doc["tables"][0]["rows"]
    for r in range(3, 9):
        rows[r][6] = None
    _, book = _build(monkeypatch, tmp_path, doc, variant)
    t = _selfeval(book)
    assert not [p for p in book.problems if p.rule == "R003"]
    assert t.columns["资金:执行率"] == "F" and "资金:分值" not in t.columns
    total = next(t.of_kind("fund"))
    assert total.amount("执行率") == Decimal("100.00") and not total.cells["执行率"].as_text  # 100.00% is the convention


@pytest.mark.parametrize("variant", VARIANTS)
def test_score_line_merged_over_the_width_ends_the_grid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """自评得分：85分 in one cell over the width after the indicators: read as the field, never as an indicator."""
    doc = _qingshen()
    rows = doc["tables"][0]["rows"]
    width = len(rows[9])
    rows[12] = ["自评得分：85分"] + [None] * (width - 1)  # the 合计 row replaced by the score line
    _, book = _build(monkeypatch, tmp_path, doc, variant)
    t = _selfeval(book)
    assert t.fields["自评得分"].amount == Decimal(85) and t.fields["自评得分"].ref == "A18"
    assert [r.number for r in t.of_kind("indicator")] == [16, 17]
    result = check_file(builder.build(QS, variant, tmp_path).path)
    assert not [f for f in result.findings if f.rule in ("F464", "F456")]


@pytest.mark.parametrize("variant", VARIANTS)
def test_overall_targets_funds_labels_over_their_amounts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """表7: 资金总额 | 财政拨款 | 其他资金 in one row and the amounts in the row below; 年度总体目标 to the right."""
    doc = {
        "kind": "targets", "department": "某县财政局", "tables": [{
            "title": "2024年部门整体支出绩效目标表", "unit": "万元",
            "header": [["部门名称", "某县财政局", None, None, None, None, None]],
            "rows": [
                ["年度部门整体支出预算", "资金总额", "财政拨款", "其他资金", "", "", ""],
                [None, "1,250.00", "1,200.00", "50.00", "", "", ""],
                ["年度总体目标", "保障机关正常运转，完成年度财政管理任务。", None, None, None, None, None],
                ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
                ["产出指标", "数量指标", "培训期数(期)", "≥", "4", "期", "50"],
                ["效益指标", "社会效益指标", "群众满意度提升", "定性", "明显提高", "", "50"],
            ],
        }],
    }
    real = builder.load
    monkeypatch.setattr(builder, "load", lambda stem: doc if stem == "overall-fixture" else real(stem))
    built = builder.build("overall-fixture", variant, tmp_path)
    book = load_book(built.path)
    (t,) = book.tables
    assert t.id == "budget.overall_targets" and book.problems == ()
    assert {k: (c.ref, c.amount) for k, c in t.fields.items() if c.amount is not None} == {
        "资金总额": ("B5", Decimal("1250.00")), "财政拨款": ("C5", Decimal("1200.00")), "其他资金": ("D5", Decimal("50.00"))}
    assert t.fields["部门名称"].text == "某县财政局" and t.fields["年度总体目标"].text.startswith("保障机关")
    assert [r.label for r in t.of_kind("indicator")] == ["培训期数(期)", "群众满意度提升"]
    assert [f for f in check_file(built.path).findings if f.severity == "error"] == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_text_stored_as_a_formula_without_a_result_is_read_as_its_text(tmp_path: Path, variant: str) -> None:
    """A 指标值 "=30万元" that the writing tool saved as a formula without a cached value: read as its text (not
    blank, not a reading problem); a real expression is not taken for text."""
    from openpyxl import load_workbook

    from gongkai.read.safety import literal

    built = builder.build("sh-putuo-wanli-2023-dept-budget", variant, tmp_path)
    sheet, ref = built.where(9, 7, 6).split("!")
    book = load_workbook(built.path)
    book[sheet][ref] = "=30万元"  # openpyxl writes <f>30万元</f> and no <v>
    path = tmp_path / f"formula-{variant}.xlsx"
    book.save(path)
    read = load_book(path)
    (t,) = [x for x in read.tables if x.sheet == sheet]
    row = next(r for r in t.of_kind("indicator") if r.cells["指标值"].ref == ref)
    assert row.text("指标值") == "=30万元"
    assert not [p for p in read.problems if p.ref == ref]
    assert not [f for f in check_file(path).findings if (f.sheet, f.cell) == (sheet, ref) and f.severity != "note"]
    assert literal("30万元") and literal("≥95%") and not literal("SUM(E6:E9)") and not literal("'表1-1'!E5")
    assert not literal('IF(A1="是",1,0)') and not literal("表1!A1")


HN = "hunan-ningxiang-batang-2021-targets"
COST_ROWS = [
    ["项目预算成本构成", "成本项目", "金额", "测算依据", "2020年实际执行数", ""],
    [None, "道路建设", "6,000.0000", "按工程预算", "5,800.00", ""],
    [None, "学校改造", "4,606.7522", "按合同", "4,200.00", ""],
    [None, "合计", "10,606.7522", "", "10,000.00", ""],
]


def _hunan_with_costs(total: str) -> dict[str, Any]:
    doc = copy.deepcopy(REAL_LOAD(HN))
    rows = doc["tables"][0]["rows"]
    costs = copy.deepcopy(COST_ROWS)
    costs[3][2] = total
    rows[6:6] = costs  # after 项目立项的依据, before 项目实施进度计划
    return doc


@pytest.mark.parametrize("variant", VARIANTS)
def test_project_cost_breakdown_is_read_and_its_total_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variant: str) -> None:
    """The 湖南 项目绩效目标表 with a 项目预算成本构成 sub-table (成本项目 | 金额 | 测算依据 | 2020年实际执行数, 合计):
    the items and the total read as rows of their own, the fields and indicators around them unchanged; P315
    passes on a 合计 that adds up and fails on one that does not, at the 合计's 金额."""
    real = builder.load
    for total, expected in (("10,606.7522", []), ("10,700.0000", ["P315"])):
        doc = _hunan_with_costs(total)
        monkeypatch.setattr(builder, "load", lambda stem, doc=doc: doc if stem == HN else real(stem))
        built = builder.build(HN, variant, tmp_path / total)
        book = load_book(built.path)
        (t,) = book.tables
        costs = [r for r in t.of_kind("fund") if r.side == "成本构成"]
        cent = Decimal("0.01")  # amounts are read to the 分
        assert [(r.item, r.label, r.amount("金额"), r.amount("实际执行数")) for r in costs] == [
            ("成本项目", "道路建设", Decimal("6000.00"), Decimal("5800.00")),
            ("成本项目", "学校改造", Decimal("4606.75"), Decimal("4200.00")),
            ("合计", "合计", Decimal(total.replace(",", "")).quantize(cent), Decimal("10000.00"))]
        assert t.fields["年度目标"].text.startswith("全面完成") and len(list(t.of_kind("indicator"))) == 9
        assert not [p for p in book.problems if p.rule in ("R002", "R003")]
        found = [(f.rule, f.cell) for f in check_file(built.path).findings if f.rule == "P315"]
        assert found == [(r, built.where(0, 9, 2).split("!")[1]) for r in expected]
