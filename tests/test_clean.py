"""clean.py: a messy workbook and its clean twin normalise to the same tables; every change is listed."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from factory import messy_plan, table_data
from gongkai.core.model import Book
from gongkai.core.specs import spec
from gongkai.fill.layout import SheetPlan, TableData, Value, lay_out
from gongkai.pipeline import check_file, load_book
from gongkai.write.clean import clean_book, indicator_number, split_code
from gongkai.write.export import clean_plans, table_records, tidy_records, write_clean
from gongkai.write.workbook import write_plans

UNITS = [("101001", "某某市医疗保障局（本级）"), ("101002", "某某市医疗保障事务中心")]
FUNCTION_ITEMS = [
    ("2010101", "行政运行"),
    ("2080501", "行政单位离退休"),
    ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("2080506", "机关事业单位职业年金缴费支出"),
    ("2101101", "行政单位医疗"),
    ("2210201", "住房公积金"),
]
ECONOMIC_ITEMS = {
    ("301", "工资福利支出", "人员经费"): [("30101", "基本工资"), ("30102", "津贴补贴"), ("30108", "机关事业单位基本养老保险缴费")],
    ("302", "商品和服务支出", "公用经费"): [("30201", "办公费"), ("30211", "差旅费")],
}
IGNORED = ("文件", "来源")


def cents(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(0, 5_000_000)) / 100


def add(rows: list[dict[str, Value]], keys: tuple[str, ...]) -> dict[str, Value]:
    return {k: sum((Decimal(str(r[k])) for r in rows if r.get(k) is not None), Decimal(0)) for k in keys}


def expenditure(seed: int) -> TableData:
    """部门支出总表 whose sums hold: 合计 = Σ units = Σ 项 rows; 合计 = 基本支出 + 项目支出 on every row."""
    rng = random.Random(seed)
    keys = ("合计", "基本支出", "项目支出")
    body: list[dict[str, Value]] = []
    units: list[dict[str, Value]] = []
    for code, name in UNITS:
        items = []
        for subject, label in FUNCTION_ITEMS:
            basic, project = cents(rng), cents(rng)
            items.append({**split_code(subject), "科目名称": label, "合计": basic + project, "基本支出": basic, "项目支出": project})
        unit = {"科目名称": f"{code} {name}", **add(items, keys)}
        units.append(unit)
        body += [unit, *items]
    return TableData(spec("budget.expenditure"), department="某某市医疗保障局", rows=[{"科目名称": "合计", **add(units, keys)}, *body])


def general_basic(seed: int) -> TableData:
    """一般公共预算基本支出预算表: per unit, 经济分类 类 rows = Σ their 款 rows; 合计 = 人员经费 + 公用经费."""
    rng = random.Random(seed + 1)
    keys = ("合计", "人员经费", "公用经费")
    body: list[dict[str, Value]] = []
    units: list[dict[str, Value]] = []
    for code, name in UNITS:
        block: list[dict[str, Value]] = []
        classes = []
        for (klass, label, column), items in ECONOMIC_ITEMS.items():
            rows = []
            for subject, item_label in items:
                amount = cents(rng)
                rows.append({**split_code(subject), "科目名称": item_label, "合计": amount, column: amount})
            head = {**split_code(klass), "科目名称": label, **add(rows, keys)}
            classes.append(head)
            block += [head, *rows]
        unit = {"科目名称": f"{code} {name}", **add(classes, keys)}
        units.append(unit)
        body += [unit, *block]
    return TableData(spec("budget.general_basic"), department="某某市医疗保障局", rows=[{"科目名称": "合计", **add(units, keys)}, *body])


def twin_tables(seed: int) -> list[TableData]:
    return [
        expenditure(seed), general_basic(seed),
        table_data(spec("budget.project_targets"), seed), table_data(spec("budget.summary"), seed),
        table_data(spec("final.project_selfeval"), seed),
    ]


def merge_down(plan: SheetPlan, key: str) -> None:
    """Merge runs of equal values in a data column (类 merged over its rows), as exports do."""
    letter = plan.columns.get(key)
    if letter is None:
        return
    at = {int(c.ref[len(letter):]): c for c in plan.cells if c.ref[: len(letter)] == letter and c.ref[len(letter):].isdigit()}
    rows = sorted(r for r in at if plan.data[0] <= r)
    runs: list[list[int]] = []
    for r in rows:
        if runs and runs[-1][-1] == r - 1 and at[runs[-1][0]].value == at[r].value:
            runs[-1].append(r)
        else:
            runs.append([r])
    for run in runs:
        if len(run) > 1:
            drop = {at[r] for r in run[1:]}
            plan.cells = [c for c in plan.cells if c not in drop]
            plan.merges.append(f"{letter}{run[0]}:{letter}{run[-1]}")


def in_yuan(data: TableData) -> TableData:
    rows = [{k: v * 10000 if isinstance(v, Decimal) else v for k, v in r.items()} for r in data.rows]
    return replace(data, rows=rows, money_unit="元")


def write_twins(folder: Path, seed: int) -> tuple[Path, Path]:
    """The clean twin (published layout) and the messy one (text numbers, split labels, full-width forms, shuffled
    and extra columns, blank rows, a repeated header, one code column or 类 merged down, amounts in 元)."""
    datas = twin_tables(seed)
    clean = folder / "clean.xlsx"
    write_plans([lay_out(d, sheet=f"表{i}") for i, d in enumerate(datas)], clean)
    plans = []
    for i, d in enumerate(datas):
        plan = messy_plan(in_yuan(d) if i == 1 else d, seed + i)
        merge_down(plan, "类")
        merge_down(plan, "一级指标")
        plan.name = f"表{i}"
        plans.append(plan)
    messy = folder / "messy.xlsx"
    write_plans(plans, messy)
    return clean, messy


def meaning(book: Book) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k not in IGNORED} for r in tidy_records(book, "x")]


@pytest.fixture(scope="module", params=[0, 7])
def twins(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_twins(tmp_path_factory.mktemp(f"twins{request.param}"), request.param)


def test_messy_and_clean_twin_give_identical_tidy_data(twins: tuple[Path, Path]) -> None:
    clean, messy = twins
    clean_book_, messy_book = load_book(clean), load_book(messy)
    assert [t.id for t in messy_book.tables] == [t.id for t in clean_book_.tables]
    assert meaning(messy_book) == meaning(clean_book_)
    assert len(meaning(clean_book_)) > 120


def test_clean_output_reads_back_into_the_same_tables(twins: tuple[Path, Path], tmp_path: Path) -> None:
    for source in twins:
        book = load_book(source)
        write_clean(book, tmp_path / "out.xlsx")
        again = load_book(tmp_path / "out.xlsx")
        assert again.problems == ()
        assert meaning(again) == meaning(book)
        # nothing left to change: the clean workbook is its own clean form
        assert [c for ct in clean_book(again) for c in ct.changes] == []


def test_clean_output_raises_no_hygiene_findings(twins: tuple[Path, Path], tmp_path: Path) -> None:
    _, messy = twins
    assert any(f.rule == "H001" for f in check_file(messy).findings)  # the messy one has text numbers
    write_clean(load_book(messy), tmp_path / "out.xlsx")
    assert [(f.where, f.rule) for f in check_file(tmp_path / "out.xlsx").findings if f.rule.startswith("H")] == []


def test_clean_workbook_uses_the_published_layout(twins: tuple[Path, Path]) -> None:
    _, messy = twins
    tables = clean_book(load_book(messy))
    plans = clean_plans(tables)
    assert [p.name for p in plans] == ["表0", "表1", "表2", "表3", "表4"]
    expected = [lay_out(ct.data, sheet=p.name) for ct, p in zip(tables, plans, strict=True)]
    assert [(p.cells, p.merges) for p in plans] == [(p.cells, p.merges) for p in expected]
    by_id = {ct.table.id: ct.data for ct in tables}
    # the 元 sheet is in 万元 now, rounded to 分 as published
    basic = by_id["budget.general_basic"]
    assert basic.money_unit == "万元"
    assert all(isinstance(v, Decimal) and v == v.quantize(Decimal("0.01")) for r in basic.rows for k, v in r.items() if k in ("合计", "人员经费", "公用经费"))


@pytest.mark.parametrize("which", [0, 1])
def test_tidy_amounts_of_a_table_add_up_to_its_totals(twins: tuple[Path, Path], which: int) -> None:
    book = load_book(twins[which])
    for table in (book.get("budget.expenditure"), book.get("budget.general_basic")):
        assert table is not None
        records = table_records(table, "x", "")
        columns = {r["列"] for r in records}
        assert columns == {"合计", *table.spec.sums[0][1]} & set(table.columns)
        for column in columns:
            total = [r["金额"] for r in records if r["列"] == column and r["行类型"] == "合计"]
            details = [r["金额"] for r in records if r["列"] == column and r["明细"]]
            assert len(total) == 1 and len(details) >= 4
            assert sum(details, Decimal(0)) == total[0], (table.id, column)


def test_changes_list_every_cell_that_changed(tmp_path: Path) -> None:
    data = TableData(spec("budget.expenditure"), department="某局", rows=[
        {"科目名称": "合计", "合计": "1,672.81", "基本支出": "１，０００．００", "项目支出": 672.81},
        {"科目名称": "101001 某局", "合计": 1672.814, "基本支出": 1000, "项目支出": "-"},
        {"类": "208", "款": "05", "项": "05", "科目名称": "机关事业单位基本养老\n保险缴费支出", "合计": 1000},
        {"类": "208", "款": "05", "项": "06", "科目名称": "机关事业单位职业年金缴费支出（试行）", "合计": 672.81},
        {"科目名称": "2101101 行政 单位医疗", "合计": 0},
    ])
    plan = lay_out(data)
    merge_down(plan, "类")
    write_plans([plan], tmp_path / "t.xlsx")
    (table,) = clean_book(load_book(tmp_path / "t.xlsx"))
    assert [(c.ref, c.column, c.kind, c.before, c.after) for c in table.changes] == [
        ("E6", "合计", "text_number", "1,672.81", "1672.81"),
        ("F6", "基本支出", "text_number", "１，０００．００", "1000.00"),
        ("F6", "基本支出", "full_width", "１，０００．００", "1,000.00"),
        ("E7", "合计", "rounded", "1672.814", "1672.81"),
        ("G7", "项目支出", "placeholder", "-", ""),
        ("D8", "科目名称", "label_cleaned", "机关事业单位基本养老\n保险缴费支出", "机关事业单位基本养老保险缴费支出"),
        ("A9", "类", "filled_down", "", "208（取自 A8）"),
        ("D10", "科目名称", "label_cleaned", "2101101 行政 单位医疗", "2101101行政单位医疗"),
        ("D10", "科目名称", "code_split", "2101101行政单位医疗", "2101101 | 行政单位医疗"),
    ]
    assert [(r.get("类"), r.get("款"), r.get("项"), r.get("科目名称")) for r in table.data.rows] == [
        (None, None, None, "合计"), (None, None, None, "101001 某局"),
        ("208", "05", "05", "机关事业单位基本养老保险缴费支出"), ("208", "05", "06", "机关事业单位职业年金缴费支出（试行）"),  # as officially printed
        ("210", "11", "01", "行政单位医疗"),
    ]
    assert table.data.rows[0] == {"科目名称": "合计", "合计": Decimal("1672.81"), "基本支出": Decimal("1000.00"), "项目支出": Decimal("672.81")}
    assert "项目支出" not in table.data.rows[1]


def test_amounts_in_yuan_are_converted_and_logged(tmp_path: Path) -> None:
    data = TableData(spec("budget.expenditure"), money_unit="元", rows=[{"科目名称": "合计", "合计": 16728100, "基本支出": 10000050, "项目支出": 6728050}])
    write_plans([lay_out(data)], tmp_path / "t.xlsx")
    (table,) = clean_book(load_book(tmp_path / "t.xlsx"))
    assert [(c.ref, c.kind, c.before, c.after) for c in table.changes] == [
        ("E6", "unit_converted", "16728100 元", "1672.81 万元"),
        ("F6", "unit_converted", "10000050 元", "1000.005 万元"),
        ("F6", "rounded", "1000.005", "1000.01"),
        ("G6", "unit_converted", "6728050 元", "672.805 万元"),
        ("G6", "rounded", "672.805", "672.81"),
    ]
    assert table.data.money_unit == "万元"


def test_unit_code_in_the_name_goes_to_its_own_column(tmp_path: Path) -> None:
    data = TableData(spec("budget.general_sangong"), rows=[{"单位名称": "101001 某局", "合计": 3, "因公出国(境)费": 1, "公务用车购置及运行费/公务用车购置费": 0, "公务用车购置及运行费/公务用车运行费": 1, "公务用车购置及运行费": 1, "公务接待费": 1}])
    write_plans([lay_out(data)], tmp_path / "t.xlsx")
    (table,) = clean_book(load_book(tmp_path / "t.xlsx"))
    assert (table.data.rows[0]["单位代码"], table.data.rows[0]["单位名称"]) == ("101001", "某局")
    assert [(c.kind, c.after) for c in table.changes] == [("code_split", "101001 | 某局")]


def test_indicator_number() -> None:
    assert [indicator_number(t, u) for t, u in [("≥90", "%"), ("99%", "%"), ("12个月", "个月"), ("明显提高", ""), ("3", "期")]] == [
        Decimal(90), Decimal(99), Decimal(12), None, Decimal(3),
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_sample_budget_sets_round_trip(seed: int, tmp_path: Path) -> None:
    """The full sample budget set (sample.py): clean output reads back into the same tables, without hygiene findings."""
    from gongkai.fill.sample import sample_workbook

    sample_workbook(tmp_path / "s.xlsx", seed, totals="summed")
    sample_workbook(tmp_path / "m.xlsx", seed, totals="summed", messy=True)
    book = load_book(tmp_path / "s.xlsx")
    assert meaning(load_book(tmp_path / "m.xlsx")) == meaning(book)
    write_clean(book, tmp_path / "c.xlsx")
    again = load_book(tmp_path / "c.xlsx")
    assert again.problems == () and len(again.tables) == len(book.tables) >= 10
    assert meaning(again) == meaning(book)
    assert [(f.where, f.rule) for f in check_file(tmp_path / "c.xlsx").findings if f.rule.startswith("H")] == []
    table = book.get("budget.expenditure")
    assert table is not None
    records = table_records(table, "x", "")
    for column in {r["列"] for r in records}:
        total = [r["金额"] for r in records if r["列"] == column and r["行类型"] == "合计"]
        assert total == [sum((r["金额"] for r in records if r["列"] == column and r["明细"]), Decimal(0))], column
