"""compose: every total of the budget set against independent pandas sums of the input lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from gongkai.fill.compose_budget import FIELDS, compose_book
from gongkai.fill.sample import sample_lines

CENT = Decimal("0.01")


def w(yuan: Decimal) -> Decimal:
    return (Decimal(yuan) / 10000).quantize(CENT, ROUND_HALF_UP)


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    items = sample_lines(42, units=3, lines=120)
    df = pd.DataFrame([x.model_dump() for x in items.lines])
    df["fam"] = df["source"].str.replace("上年结转-", "", regex=False)
    return df


def total(df: pd.DataFrame) -> Decimal:
    return sum(df["amount"], Decimal(0))


def row(book, table_id: str, **match):
    return next(r for r in book.table(table_id).rows if all(r.get(k) == v for k, v in match.items()))


def test_rounded_totals_equal_pandas_sums(lines: pd.DataFrame):
    book = compose_book(sample_lines(42, units=3, lines=120))
    general = lines[lines.fam == "一般公共预算"]

    assert row(book, "budget.expenditure", 科目名称="合计")["合计"] == w(total(lines))
    assert row(book, "budget.expenditure", 科目名称="合计")["基本支出"] == w(total(lines[lines.kind != "项目支出"]))
    for unit, part in lines.groupby("unit_code"):
        assert row(book, "budget.revenue", 单位代码=unit)["合计"] == w(total(part))
        assert row(book, "budget.expenditure", 科目名称=f"{unit} {part.unit_name.iloc[0]}")["项目支出"] == w(total(part[part.kind == "项目支出"]))
    g = row(book, "budget.general", 科目名称="合计")
    assert g["上年结转安排"] == w(total(general[general.source.str.startswith("上年结转")]))
    assert g["当年财政拨款安排"] == w(total(general[general.source == "一般公共预算"]))
    for code, part in general.groupby(general.function_code.str[:3]):
        assert next(r for r in book.table("budget.general").rows if r.get("类") == code and "款" not in r)["合计"] == w(total(part))
    sangong = row(book, "budget.general_sangong", 单位名称="合计")
    for code, key in (("30212", "因公出国(境)费"), ("30217", "公务接待费"), ("31013", "公务用车购置及运行费/公务用车购置费")):
        assert sangong[key] == w(total(general[general.economic_code.str[:5] == code]))
    assert book.table("budget.overall_targets").fields["资金总额"] == w(total(lines))


def test_every_total_is_made_of_its_parts():
    for totals in ("rounded", "summed"):
        book = compose_book(sample_lines(5), totals=totals)
        for node, parts in book.parts.items():
            assert book.yuan[node] == sum((book.yuan[p] for p in parts), Decimal(0))
            if totals == "summed":
                assert book.values[node] == sum((book.values[p] for p in parts), Decimal(0)), node
            else:
                assert book.values[node] == w(book.yuan[node])
        assert book.table("budget.overall_targets").fields.keys() >= {"资金总额", "财政拨款", "其他资金"}
        assert (("budget.overall_targets", FIELDS, "资金总额")) in book.parts


def test_summary_balances_and_lists_every_class(lines: pd.DataFrame):
    book = compose_book(sample_lines(42, units=3, lines=120), totals="summed")
    summary = book.table("budget.summary").rows
    income = next(r for r in summary if r.get("收入/项目") == "收入总计")["收入/预算数"]
    spend = next(r for r in summary if r.get("支出/项目") == "支出总计")["支出/预算数"]
    classes = [r["支出/项目"] for r in summary if r.get("支出/项目") and r["支出/项目"] not in ("本年支出合计", "事业单位结余分配", "结转下年", "支出总计")]

    assert abs(income - spend) <= Decimal("0.005") * len(lines)
    assert abs(income - w(total(lines))) <= Decimal("0.01") * len(lines)
    assert len(classes) == lines.function_code.str[:3].nunique()


def test_yuan_money_unit_keeps_exact_values(lines: pd.DataFrame):
    book = compose_book(sample_lines(42, units=3, lines=120), money_unit="元")

    assert row(book, "budget.expenditure", 科目名称="合计")["合计"] == total(lines)
    assert all(t.money_unit == "元" for t in book.tables)
