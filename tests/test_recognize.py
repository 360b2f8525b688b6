"""The reader: every table of TABLES.md recognised with all its rows and columns, clean or messy."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import recalc
from factory import UNITS, all_tables, messy_plan, stack, table_data
from gongkai.core.grid import Sheet
from gongkai.core.model import Table
from gongkai.core.specs import SPECS, spec
from gongkai.core.text import clean
from gongkai.fill.layout import TableData, lay_out, printed_columns
from gongkai.pipeline import load_book
from gongkai.recognize import recognize
from gongkai.write.workbook import write_plans

CODE_KEYS = {"类", "款", "项", "科目编码"}


def projection(t: Table) -> tuple[object, ...]:
    """What a table means, independent of where and how it was written."""
    rows = [
        (r.kind, r.code, r.label, r.unit, r.project, r.project_code, r.item, r.side,
         {k: c.value for k, c in r.cells.items() if c.value is not None and k not in CODE_KEYS})
        for r in t.rows
    ]
    return (t.id, rows, {k: c.value for k, c in t.fields.items()})


def expected_rows(data: TableData) -> int:
    if data.spec.layout == "sided":
        return sum(1 for row in data.rows for k, v in row.items() if k.endswith("/项目") and v)
    return sum(1 for row in data.rows if row) + len(data.funds)


@pytest.fixture(scope="module")
def clean_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[TableData]]:
    datas = all_tables(0)
    path = tmp_path_factory.mktemp("clean") / "clean.xlsx"
    write_plans([lay_out(d, sheet=f"表{i}") for i, d in enumerate(datas)], path)
    return path, datas


def test_every_table_is_recognised_with_all_rows_and_columns(clean_book: tuple[Path, list[TableData]]) -> None:
    path, datas = clean_book
    book = load_book(path)
    assert [t.id for t in book.tables] == [s.id for s in SPECS]
    assert book.problems == ()
    for table, data in zip(book.tables, datas, strict=True):
        assert len(table.rows) == expected_rows(data), table.id
        printed = {c.key for c in printed_columns(data.spec, data)} if data.spec.layout != "form" else set()
        assert printed <= set(table.columns), table.id
        assert table.unmapped == () and table.missing == (), table.id
        assert table.department == "某某市医疗保障局"
        assert table.money_unit == "万元"
        assert table.number == data.spec.number


def test_messy_workbook_reads_as_its_clean_twin(clean_book: tuple[Path, list[TableData]], tmp_path: Path) -> None:
    path, datas = clean_book
    plans = []
    for i, d in enumerate(datas):
        plan = messy_plan(d, seed=i)
        plan.name = f"表{i}"
        plans.append(plan)
    write_plans(plans, tmp_path / "messy.xlsx")
    clean, messy = load_book(path), load_book(tmp_path / "messy.xlsx")
    assert [projection(t) for t in messy.tables] == [projection(t) for t in clean.tables]
    # the only problems are the extra 备注 columns, reported once per table as R003
    assert {p.rule for p in messy.problems} == {"R003"}
    assert all(p.message.endswith("备注") for p in messy.problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(SPECS), seed=st.integers(0, 10_000), flags=st.tuples(st.booleans(), st.booleans(), st.booleans()))
def test_property_messy_variants_parse_to_the_clean_table(table, seed: int, flags: tuple[bool, bool, bool], tmp_path_factory) -> None:
    data = table_data(table, seed)
    folder = tmp_path_factory.mktemp("prop")
    write_plans([lay_out(data, sheet="a")], folder / "clean.xlsx")
    shuffle, repeat, extra = flags
    write_plans([messy_plan(data, seed, shuffle=shuffle, repeat=repeat, extra=extra)], folder / "messy.xlsx")
    clean, messy = load_book(folder / "clean.xlsx"), load_book(folder / "messy.xlsx")
    assert [projection(t) for t in messy.tables] == [projection(t) for t in clean.tables]


def test_text_numbers_are_parsed_and_remembered(tmp_path: Path) -> None:
    data = TableData(spec("budget.expenditure"), rows=[
        {"科目名称": "合计", "合计": "1,672.81", "基本支出": "１，０００．００", "项目支出": 672.81},
        {"科目名称": "101001 某局", "合计": "待定", "基本支出": "-", "项目支出": None},
    ])
    write_plans([lay_out(data)], tmp_path / "t.xlsx")
    t = load_book(tmp_path / "t.xlsx").tables[0]
    total, unit = t.rows
    assert (total.cells["合计"].value, total.cells["合计"].as_text, total.cells["合计"].ref) == (Decimal("1672.81"), True, "E6")
    assert (total.cells["基本支出"].value, total.cells["基本支出"].as_text) == (Decimal("1000.00"), True)
    assert (total.cells["项目支出"].value, total.cells["项目支出"].as_text) == (Decimal("672.81"), False)
    assert (unit.cells["合计"].value, unit.cells["合计"].bad) == (None, True)  # text that is no number
    assert (unit.cells["基本支出"].value, unit.cells["基本支出"].bad) == (None, False)  # a dash means nothing
    assert "项目支出" not in unit.cells and unit.amount("项目支出") is None  # blank is not zero
    assert t.ref(unit, "项目支出") == "G7"
    assert (unit.kind, unit.unit, unit.unit_name) == ("unit", "101001", "某局")


def test_amounts_in_yuan_are_scaled_to_wan(tmp_path: Path) -> None:
    data = TableData(spec("budget.expenditure"), money_unit="元", rows=[{"科目名称": "合计", "合计": 16728100, "基本支出": 10000000.5, "项目支出": 6728099.5}])
    write_plans([lay_out(data)], tmp_path / "t.xlsx")
    t = load_book(tmp_path / "t.xlsx").tables[0]
    assert t.money_unit == "元"
    assert [t.rows[0].amount(k) for k in ("合计", "基本支出", "项目支出")] == [Decimal("1672.81"), Decimal("1000.00005"), Decimal("672.80995")]


def test_two_tables_on_one_sheet_and_an_empty_one(tmp_path: Path) -> None:
    first = lay_out(table_data(spec("budget.general_sangong")), sheet="三公")
    second = lay_out(TableData(spec("budget.fund_sangong"), note="本表无数据"), sheet="x")
    write_plans([stack(first, second)], tmp_path / "t.xlsx")
    book = load_book(tmp_path / "t.xlsx")
    assert [(t.id, t.sheet, len(t.rows), t.empty_note) for t in book.tables] == [
        ("budget.general_sangong", "三公", 3, None),
        ("budget.fund_sangong", "三公", 0, "本表无数据"),
    ]
    assert book.tables[1].header_rows[0] > book.tables[0].data_last_row


def test_title_variants_match_by_title_not_sheet_name() -> None:
    from gongkai.core.specs import match_title

    assert match_title("乐山市医疗保障局2025年部门收支总表").id == "budget.summary"
    assert match_title("表3-3：一般公共预算“三公”经费支出预算表（续）").id == "budget.general_sangong"
    assert match_title("一般公共预算财政拨款支出决算明细表").id == "final.general_detail"
    assert match_title("财政拨款支出决算明细表").id == "final.fiscal_detail"
    assert match_title("财政拨款支出预算表（部门经济分类科目）").id == "budget.fiscal_economic"
    assert match_title("注：本表反映部门收支总表的情况，收入总计等于支出总计。") is None
    assert match_title("部门收支总表说明") is None


def test_codes_split_over_columns_or_in_one_cell_or_in_the_label() -> None:
    base = [[None] * 6 for _ in range(3)]
    base[0][0] = "部门支出总表"
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出", None]
    rows = [
        ["2080505", "机关事业单位基本养老保险缴费支出", 3.0, 3.0, None, None],
        ["208.05.05", "机关事业单位基本养老保险缴费支出", 3.0, 3.0, None, None],
        [None, "2101501 行政运行", 2.0, 2.0, None, None],
        [None, "[101001]某某局", 5.0, 5.0, None, None],
    ]
    sheet = Sheet("s", [base[0], header, *rows])
    t = recognize([sheet]).tables[0]
    assert [(r.kind, r.code, r.label, r.unit) for r in t.rows] == [
        ("item", "2080505", "机关事业单位基本养老保险缴费支出", None),
        ("item", "2080505", "机关事业单位基本养老保险缴费支出", None),
        ("item", "2101501", "行政运行", None),
        ("unit", None, "某某局", "101001"),
    ]


def test_parts_typed_as_numbers_keep_their_zeros() -> None:
    sheet = Sheet("s", [
        ["一般公共预算支出预算表"],
        ["科目编码", None, None, "科目名称", "合计", "当年财政拨款安排", "上年结转安排"],
        ["类", "款", "项", None, None, None, None],
        [208.0, 5.0, 5.0, "机关事业单位基本养老保险缴费支出", 1.0, 1.0, None],
    ], merged=[(1, 0, 1, 2), (1, 3, 2, 3), (1, 4, 2, 4), (1, 5, 2, 5), (1, 6, 2, 6)])
    t = recognize([sheet]).tables[0]
    assert [r.code for r in t.rows] == ["2080505"]
    assert t.header_rows == (2, 3)


def test_indicator_blocks_fill_merged_project_cells(clean_book: tuple[Path, list[TableData]]) -> None:
    path, _ = clean_book
    t = load_book(path).get("budget.project_targets")
    assert t is not None
    first = t.rows[0]
    assert (first.unit, first.project, first.project_code is not None) == (clean(UNITS[0][1]), "医保信息化建设项目1", True)
    # every row of the block points at the merged top-left cell of its project
    block = [r for r in t.rows if r.project == first.project and r.unit == first.unit]
    assert len(block) == 5
    assert {r.cells["项目名称"].ref for r in block} == {first.cells["项目名称"].ref}
    assert {r.cells["预算数"].amount for r in block} == {first.cells["预算数"].amount}


def test_mislabelled_table_is_reported_not_read() -> None:
    sheet = Sheet("s", [["部门支出总表"], ["项目", "金额", "备注"], ["办公费", 1.0, None]])
    book = recognize([sheet])
    assert book.tables == ()
    assert [(p.rule, p.ref) for p in book.problems] == [("R001", "A1")]


def test_every_cell_keeps_its_source(clean_book: tuple[Path, list[TableData]]) -> None:
    path, _ = clean_book
    for t in load_book(path).tables:
        for r in t.rows:
            for key, cell in r.cells.items():
                assert cell.sheet == t.sheet
                if t.spec.layout in ("ledger", "sided") and key in t.columns:
                    assert cell.ref == f"{t.columns[key if t.spec.layout == 'ledger' else r.side + '/' + key]}{r.number}"


@pytest.fixture(scope="module")
def converted(clean_book: tuple[Path, list[TableData]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    path, _ = clean_book
    out = tmp_path_factory.mktemp("converted")
    profile = tmp_path_factory.mktemp("lo-profile")
    return {fmt: recalc.converted([path], out, profile, to)[0] for fmt, to in (("xls", "xls:MS Excel 97"), ("ods", "ods"))}


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_read_like_xlsx(fmt: str, clean_book: tuple[Path, list[TableData]], converted: dict[str, Path]) -> None:
    path, _ = clean_book
    original, other = load_book(path), load_book(converted[fmt])
    assert [projection(t) for t in other.tables] == [projection(t) for t in original.tables]


def test_random_grids_never_crash() -> None:
    rng = random.Random(7)
    words = ["合计", "部门支出总表", "科目编码", "类", "款", "项", "基本支出", "项目支出", "1,2", "—", None, 3.5, "2080505", "单位："]
    for _ in range(300):
        rows = [[rng.choice(words) for _ in range(rng.randint(0, 8))] for _ in range(rng.randint(0, 12))]
        recognize([Sheet("s", rows)])


def test_sided_table_without_its_group_row() -> None:
    sheet = Sheet("s", [
        ["部门收支总表"],
        ["部门：某局", None, None, "金额单位：元"],
        ["收入项目", "预算数", "支出项目", "预算数"],
        ["一、一般公共预算拨款收入", 1500000.0, "社会保障和就业支出", 1500000.0],
        ["收入总计", 1500000.0, "支出总计", 1500000.0],
    ])
    t = recognize([sheet]).tables[0]
    assert t.columns == {"收入/项目": "A", "收入/预算数": "B", "支出/项目": "C", "支出/预算数": "D"}
    assert [(r.side, r.item, r.amount("预算数")) for r in t.rows] == [
        ("收入", "一般公共预算拨款收入", Decimal("150.0000")),
        ("支出", "类:208", Decimal("150.0000")),
        ("收入", "收入总计", Decimal("150.0000")),
        ("支出", "支出总计", Decimal("150.0000")),
    ]


def test_final_accounts_row_and_column_numbers_are_not_data() -> None:
    sheet = Sheet("s", [
        ["支出决算表"],
        ["科目编码", "科目名称", "行次", "本年支出合计", "基本支出", "项目支出"],
        ["栏次", None, None, 1.0, 2.0, 3.0],
        ["合计", None, 1.0, 10.0, 6.0, 4.0],
        ["2080505", "机关事业单位基本养老保险缴费支出", 2.0, 10.0, 6.0, 4.0],
    ])
    book = recognize([sheet])
    (t,) = book.tables
    assert [(r.kind, r.code, r.amount("本年支出合计")) for r in t.rows] == [("total", None, Decimal(10)), ("item", "2080505", Decimal(10))]
    assert t.unmapped == () and book.problems == ()


def test_the_meta_line_prefilter_lets_every_label_and_unit_through() -> None:
    """`read_meta` skips texts holding none of 单位, 部门, 元: every label and lone unit `_meta_text` reads holds one."""
    from gongkai.recognize.rows import _META_LABELS, _META_UNITS

    assert all("单位" in label or "部门" in label for label in _META_LABELS)
    assert all("元" in unit for unit in _META_UNITS)


@pytest.mark.parametrize("unit", ["万元", "元"])
def test_zero_and_negative_zero_keep_their_signs_through_the_amount_memo(unit: str) -> None:
    """0.0 and -0.0 share a key in the amount memo, which holds 0.0: a -0.0 read after it is still -0 (and the other
    way round), at any 金额单位."""
    from gongkai.recognize.cells import amount

    sheet = Sheet("s", [
        ["支出决算表"],
        [f"单位：{unit}"],
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
        ["合计", None, 0.0, -0.0, 0.0],
        ["2080505", "机关事业单位基本养老保险缴费支出", -0.0, 0.0, -0.0],
    ])
    (t,) = recognize([sheet]).tables
    keys = ("本年支出合计", "基本支出", "项目支出")
    signs = [[(r.amount(k) == 0, r.amount(k).is_signed()) for k in keys] for r in t.rows]  # type: ignore[union-attr]
    assert signs == [[(True, False), (True, True), (True, False)], [(True, True), (True, False), (True, True)]]
    assert str(amount(-0.0, Decimal(1))) == "-0.00" and str(amount(0.0, Decimal(1))) == "0.00"
