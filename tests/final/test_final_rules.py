"""Each F-rule: a failing fixture (one value changed in the consistent 决算 set) and the passing clean set."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from finalkit import as_sheet, book_of, found, run

from gongkai.checks import RULES
from gongkai.fill.compose_final import final_tables, selfeval_blocks
from gongkai.fill.layout import TableData, lay_out

Edit = Callable[[dict[str, TableData], list[TableData]], None]


def _set(table_id: str, index: int, key: str, value: object) -> Edit:
    def edit(tables: dict[str, TableData], _blocks: list[TableData]) -> None:
        tables[table_id].rows[index][key] = value  # type: ignore[assignment]

    return edit


def _fund(block: int, index: int, key: str, value: object) -> Edit:
    def edit(_tables: dict[str, TableData], blocks: list[TableData]) -> None:
        blocks[block].funds[index][key] = value  # type: ignore[assignment]

    return edit


def _indicator(block: int, index: int, **values: object) -> Edit:
    def edit(_tables: dict[str, TableData], blocks: list[TableData]) -> None:
        blocks[block].rows[index].update(values)  # type: ignore[arg-type]

    return edit


def _field(block: int, key: str, value: object) -> Edit:
    def edit(_tables: dict[str, TableData], blocks: list[TableData]) -> None:
        blocks[block].fields[key] = value  # type: ignore[assignment]

    return edit


def _nothing_spent(_tables: dict[str, TableData], blocks: list[TableData]) -> None:
    for row in blocks[0].funds:
        row["全年执行数"], row["执行率"] = Decimal(0), Decimal(0)


def _findings(edit: Edit | None, rule: str) -> list[tuple[str, str, str]]:
    tables = {t.spec.id: t for t in final_tables(0)}
    blocks = selfeval_blocks(0, 2)
    if edit is not None:
        edit(tables, blocks)
    plans = [lay_out(t, t.spec.number) for t in tables.values()]
    plans += [lay_out(b, f"自评表{i + 1}") for i, b in enumerate(blocks)]
    return found(run(book_of([as_sheet(p) for p in plans]), select=[rule]), rule)


D = Decimal
CASES: list[tuple[str, Edit, list[tuple[str, str, str]]]] = [
    ("F401", _set("final.summary", 11, "收入/决算数", D("698.96")), [("公开01表!D12", "F401", "error")]),
    ("F402", _set("final.fund", 3, "年末结转和结余", D("3.32")), [("公开10表!J9", "F402", "error")]),
    ("F403", _set("final.fiscal_summary", 5, "收入/决算数", D("7.85")), [("公开04表!B10", "F403", "error")]),
    ("F404", _set("final.general", 3, "本年支出合计", D("320.00")), [("公开06表!E9", "F404", "warning")]),
    ("F405", _set("final.sangong", 0, "决算数/公务接待费", D("0.50")), [("公开13表!M7", "F405", "warning")]),
    ("F410", _set("final.summary", 4, "收入/决算数", D("18.90")), [("公开02表!G6", "F410", "error")]),
    ("F411", _set("final.summary", 1, "支出/决算数", D("190.00")), [("公开03表!E13", "F411", "error")]),
    ("F412", _set("final.fiscal_summary", 0, "收入/决算数", D("535.57")), [("公开04表!B6", "F412", "error")]),
    ("F413", _set("final.general", 0, "本年支出合计", D("538.56")), [("公开06表!E6", "F413", "error")]),
    ("F414", _set("final.fund", 0, "本年支出/小计", D("137.32")), [("公开10表!G6", "F414", "error")]),
    ("F415", _set("final.general", 3, "基本支出", D("300.00")), [("公开05表!F9", "F415", "error")]),
    ("F416", _set("final.general_detail", 0, "基本支出", D("420.88")), [("公开07表!F6", "F416", "error")]),
    ("F417", _set("final.general_basic", 2, "合计", D("188.16")), [("公开08表!E8", "F417", "error")]),
    ("F418", _set("final.general_project", 1, "决算数", D("30.79")), [("公开06表!G17", "F418", "error")]),
    ("F419", _set("final.sangong", 0, "决算数/公务接待费", D("0.50")), [("公开13表!M7", "F419", "warning")]),
    ("F450", _fund(0, 0, "执行率", D("100")), [("自评表1!F8", "F450", "error")]),
    ("F451", _fund(0, 2, "全年预算数", D("1.00")), [("自评表1!C8", "F451", "error")]),
    ("F452", _fund(1, 2, "全年执行数", D("99.00")), [("自评表2!D9", "F452", "error")]),
    ("F453", _indicator(0, 0, 实际完成值="28次"), [("自评表1!E15", "F453", "error")]),
    ("F454", _indicator(0, 0, 实际完成值="45人"), [("自评表1!E15", "F454", "error")]),
    ("F455", _indicator(0, 3, 年度指标值="200万元"), [("自评表1!D18", "F455", "error")]),
    ("F456", _field(0, "自评得分", D("105")), [("自评表1!B21", "F456", "error")]),
    ("F457", _nothing_spent, [("自评表1!B21", "F457", "warning")]),
    ("F458", _indicator(0, 1, 实际完成值=None), [("自评表1!E16", "F458", "error")]),
    ("F459", _fund(0, 0, "执行率", None), [("自评表1!F8", "F459", "error")]),
    ("F460", _fund(0, 2, "全年执行数", "100%"), [("自评表1!D10", "F460", "error")]),
    ("F461", _indicator(0, 3, 实际完成值="1万元"), [("自评表1!E18", "F461", "error")]),
    ("F462", _indicator(0, 0, 实际完成值="完成"), [("自评表1!E15", "F462", "error")]),
    ("F463", _indicator(0, 5, 实际完成值="120%"), [("自评表1!E20", "F463", "error")]),
    ("F464", _field(0, "自评得分", None), [("自评表1!B4", "F464", "error")]),
    ("F465", _field(0, "自评得分", D("12")), [("自评表1!B21", "F465", "error")]),
    ("F466", _indicator(0, 1, 得分=99), [("自评表1!G16", "F466", "error")]),
]


@pytest.mark.parametrize(("rule", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_fails_on_its_fixture(rule: str, edit: Edit, expected: list[tuple[str, str, str]]) -> None:
    assert _findings(edit, rule) == expected


@pytest.mark.parametrize("rule", [c[0] for c in CASES])
def test_rule_passes_on_the_consistent_set(rule: str) -> None:
    assert _findings(None, rule) == []


def test_every_f_rule_has_a_case_and_a_documented_failing_example() -> None:
    ids = sorted(r for r in RULES if r.startswith("F"))
    assert ids == sorted(c[0] for c in CASES)
    for rule_id in ids:
        assert "Fails:" in RULES[rule_id].doc, rule_id


def test_missed_target_with_a_reason_column_is_pinned_at_the_reason() -> None:
    blocks = selfeval_blocks(0, 2)
    missed = next(i for i, b in enumerate(blocks) if any(r.get("偏差原因分析及改进措施") for r in b.rows))

    def edit(tables: dict[str, TableData], blocks_: list[TableData]) -> None:
        blocks_[missed].rows[0]["偏差原因分析及改进措施"] = None
        blocks_[missed].rows[1]["偏差原因分析及改进措施"] = "无偏差。"  # keeps the column printed

    assert _findings(edit, "F453") == [(f"自评表{missed + 1}!H18", "F453", "error")]


def test_execution_rate_as_excel_fraction_is_accepted() -> None:
    blocks = selfeval_blocks(0, 1)
    rate = blocks[0].funds[0]["执行率"]
    edit = _fund(0, 0, "执行率", float(D(str(rate)) / 100))
    assert _findings(edit, "F450") == []


def test_rate_rounding_is_a_note_not_an_error() -> None:
    blocks = selfeval_blocks(0, 1)
    rate = D(str(blocks[0].funds[0]["执行率"]))
    assert _findings(_fund(0, 0, "执行率", rate + D("0.01")), "F450") == [("自评表1!F8", "F450", "note")]
