"""Single mistakes planted into real published tables: each is caught on the table it was made in, and nothing new
is reported anywhere else (a cross-table finding must name a cell of the changed table).

Each mutation changes the JSON of a real document (tests/realdata/json) the way a clerk's slip would, builds the
workbook as an export would hold it (tests/realdata/build.py) and compares the findings with the unchanged one's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gongkai.core.findings import Finding
from gongkai.pipeline import check_file
from realdata.build import build, load

Doc = dict[str, Any]
WANLI, CZJ, SWW, QZFB = (
    "sh-putuo-wanli-2025-dept-budget", "sh-putuo-czj-2024-final", "sh-putuo-sww-2025-unit-budget", "sh-putuo-qzfb-2025-dept-budget",
)


def cell(t: int, r: int, c: int, value: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc["tables"][t]["rows"][r][c] = value
    return change


def plus(t: int, r: int, cols: tuple[int, ...], amount: float) -> Callable[[Doc], None]:
    """Add ``amount`` to the printed figures of a row (keeping the print style: separators, decimals)."""
    def change(doc: Doc) -> None:
        row = doc["tables"][t]["rows"][r]
        for c in cols:
            text = row[c] or "0"
            decimals = len(text.partition(".")[2])
            value = float(text.replace(",", "")) + amount
            row[c] = f"{value:,.{decimals}f}"
    return change


def swap(t: int, r: int, a: int, b: int) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        row = doc["tables"][t]["rows"][r]
        row[a], row[b] = row[b], row[a]
    return change


def delete(t: int, r: int) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        del doc["tables"][t]["rows"][r]
    return change


def duplicate(t: int, r: int) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        rows = doc["tables"][t]["rows"]
        rows.insert(r + 1, list(rows[r]))
    return change


def both(*changes: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        for c in changes:
            c(doc)
    return change


@dataclass(frozen=True)
class Mutation:
    name: str
    stem: str
    table: int
    """The JSON table changed: findings must land on its sheet."""
    change: Callable[[Doc], None]
    table_id: str
    severity: str = "error"
    whole_book: bool = False
    """A table removed: every later sheet moves, so only the finding itself is asserted."""


MUTATIONS = [
    # 部门预算 (Shanghai, 元 printed whole)
    Mutation("an amount under a 款 (项 合计 only)", WANLI, 2, plus(2, 2, (4,), 1000), "budget.expenditure"),
    Mutation("a 项 row (合计 and 项目支出)", WANLI, 2, plus(2, 2, (4, 6), 1000), "budget.expenditure"),
    Mutation("a 款 row", WANLI, 2, plus(2, 1, (4, 6), 1000), "budget.expenditure"),
    Mutation("a 类 row", WANLI, 2, plus(2, 0, (4, 6), 1000), "budget.expenditure"),
    Mutation("a source of revenue", WANLI, 1, plus(1, 2, (5,), 1000), "budget.revenue"),
    Mutation("一般公共预算 基本支出", WANLI, 4, plus(4, 2, (5,), 1000), "budget.general"),
    Mutation("an economic 款 人员经费", WANLI, 7, plus(7, 1, (4,), 1000), "budget.general_basic"),
    Mutation("an economic 款 row", WANLI, 7, plus(7, 1, (3, 4), 1000), "budget.general_basic"),
    Mutation("a 三公 item (公务用车购置费)", WANLI, 8, cell(8, 0, 4, "16"), "budget.general_sangong"),
    Mutation("a 三公 item (公务接待费)", WANLI, 8, cell(8, 0, 2, "2.35"), "budget.general_sangong"),
    Mutation("a source line of the 收支总表", WANLI, 0, plus(0, 1, (1,), 1000), "budget.summary"),
    Mutation("a 类 line of the 收支总表 with its 总计 (a cross-table figure)", WANLI, 0,
             both(plus(0, 2, (3,), 1000), plus(0, 9, (3,), 1000), plus(0, 0, (1,), 1000), plus(0, 1, (1,), 1000), plus(0, 9, (1,), 1000)),
             "budget.summary"),
    Mutation("a column of 财政拨款收支总表", WANLI, 3, plus(3, 1, (4,), 1000), "budget.fiscal_summary"),
    Mutation("a swapped pair (基本支出 | 项目支出)", WANLI, 2, swap(2, 2, 5, 6), "budget.expenditure"),
    Mutation("a deleted 项 row", WANLI, 2, delete(2, 52), "budget.expenditure"),
    Mutation("a duplicated 项 row", WANLI, 2, duplicate(2, 2), "budget.expenditure"),
    Mutation("a wrong code prefix (款 05 → 06 under 20105)", WANLI, 2, cell(2, 2, 1, "06"), "budget.expenditure"),
    Mutation("a 类 code with another 类's name", WANLI, 2, cell(2, 0, 3, "公共安全支出"), "budget.expenditure", "warning"),
    Mutation("a negative", WANLI, 2, both(cell(2, 2, 6, "-438,300"), cell(2, 2, 5, "876,600")), "budget.expenditure"),
    Mutation("a text such as 4.0O in an amount cell", WANLI, 2, cell(2, 2, 4, "438,3OO"), "budget.expenditure"),
    Mutation("a 类 cell broken (201 → 7)", WANLI, 2, cell(2, 2, 0, "7"), "budget.expenditure"),
    Mutation("a 款 code losing its leading zero", WANLI, 2, cell(2, 2, 1, "5"), "budget.expenditure", "warning"),
    Mutation("an ordinal out of sequence (三、 → 四、)", WANLI, 0, cell(0, 5, 0, "四、事业单位经营收入"), "budget.summary", "warning"),
    Mutation("no 部门 / 金额单位 line", WANLI, 2, lambda doc: doc["tables"][2].update(unit=None), "budget.expenditure", "warning"),
    Mutation("元 printed with 分: a total 1 分 off", SWW, 2, plus(2, 0, (4,), 0.01), "budget.expenditure"),
    Mutation("the 收支总表's 人员经费 (合计 = 人员 + 公用 + 项目)", SWW, 0, plus(0, 0, (4,), 1000), "budget.summary"),
    Mutation("a blanked 三公 row", QZFB, 8, lambda doc: doc["tables"][8].update(rows=[]), "budget.general_sangong"),
    # 部门决算 (the national 2024 set, 万元 with two decimals)
    Mutation("a 决算 column (基本支出 of a 项)", CZJ, 3, plus(3, 3, (5,), 1), "final.expenditure"),
    Mutation("a 决算 revenue source", CZJ, 2, plus(2, 3, (5,), 1), "final.revenue"),
    Mutation("财政拨款收入支出决算总表 一般公共预算财政拨款", CZJ, 4, plus(4, 0, (4,), 1), "final.fiscal_summary"),
    Mutation("a 公用经费 款 of the side-by-side 基本支出表", CZJ, 6, plus(6, 1, (7,), 1), "final.general_basic"),
    Mutation("a 决算 三公 item", CZJ, 7, cell(7, 0, 10, "1.95"), "final.sangong"),
    Mutation("a required 决算 table left out", CZJ, 3, lambda doc: doc["tables"].pop(3), "final.expenditure", whole_book=True),
]


def findings_of(stem: str, out: Path, doc: Doc | None = None) -> tuple[list[Finding], Any]:
    built = build(stem, "published", out, doc)
    result = check_file(built.path)
    assert result.status == "ok", result.error
    return [f for f in result.findings if f.severity != "note"], built


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    out = tmp_path_factory.mktemp("baseline")
    return {stem: findings_of(stem, out)[0] for stem in {m.stem for m in MUTATIONS}}


def key(f: Finding) -> tuple[str, str, str, str]:
    return (f.rule, f.sheet, f.cell, f.message)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_mutation_is_caught_there_and_nowhere_else(mutation: Mutation, baseline: dict[str, list[Finding]], tmp_path: Path) -> None:
    doc = copy.deepcopy(load(mutation.stem))
    mutation.change(doc)
    findings, built = findings_of(mutation.stem, tmp_path, json.loads(json.dumps(doc)))
    before = {key(f) for f in baseline[mutation.stem]}
    new = [f for f in findings if key(f) not in before]
    strong = {"error": ("error",), "warning": ("error", "warning")}[mutation.severity]
    assert any(f.table == mutation.table_id and f.severity in strong for f in new), [str(f) for f in new]
    if mutation.whole_book:
        return
    sheet = built.sheet_of(mutation.table)
    elsewhere = [f for f in new if f.sheet != sheet and not any(r.startswith(f"{sheet}!") for r in f.related)]
    assert elsewhere == [], [str(f) for f in elsewhere]


@pytest.mark.parametrize(("rule", "change", "sheet"), [
    # 收入预算总表 and 支出预算总表 spread the same money over the same 科目: a 项 changed in one (with its 款 and 类)
    ("X213", both(plus(1, 2, (4, 5), 100), plus(1, 1, (4, 5), 100), plus(1, 0, (4, 5), 100)), "表3"),
    # the 一般公共预算 table's 基本支出 total against the 基本支出 table's 合计
    ("X214", both(plus(7, 1, (3, 4), 100), plus(7, 0, (3, 4), 100), plus(7, 31, (3, 4), 100)), "表8"),
])
def test_cross_table_rules_speak_on_real_tables(rule: str, change: Callable[[Doc], None], sheet: str, tmp_path: Path) -> None:
    """Silent on every real document (tests/test_realcorpus.py), and they speak on the planted difference."""
    doc = copy.deepcopy(load(WANLI))
    change(doc)
    findings, _ = findings_of(WANLI, tmp_path, doc)
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) >= 1 and all(f.sheet == sheet and f.severity == "error" for f in hits), [str(f) for f in hits]
