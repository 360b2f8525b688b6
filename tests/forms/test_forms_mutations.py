"""Single-error mutations of real forms: one wrong value typed into a real 自评表 / 目标表 / 申报表 (built from the
corpus JSON, tests/realdata/build.py), caught at its cell by the rule of issue 15 §2/§3 it breaks, with nothing
new anywhere else (every other finding of the mutated workbook was already there before the edit).

Each mutation is also a rule's failing fixture built the way real forms look; the unmutated real form is its
passing fixture (the rule reports nothing at that cell there). A few rules get an explicit passing edit (a
consistent copy) where the real form itself fails them.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.pipeline import check_file
from realdata.build import VARIANTS, Built, build

Coord = tuple[int, int, int]
Value = str | int | float | None

QS = "sichuan-qingshen-fgj-2023-selfeval"  # consistent funds; 实际完成值/得分/自评得分 left blank
CZ = "chizhou-tangxi-2022-selfeval"  # a 偏差原因 column; 年度资金总额 printed 0 (a listed error)
CQ = "chongqing-kxc-rmt-2021-selfeval"  # 部门整体 自评表, unsigned targets, a 自评总分
WL = "sh-putuo-wanli-2023-dept-budget"  # 5 Shanghai 财政项目支出绩效目标填报表 (tables 9-13), amounts in 元
HN = "hunan-ningxiang-batang-2021-targets"  # 湖南 项目绩效目标表, 资金 as text in 万元
GS = "guangshui-szfb-2021-targets"  # 湖北 部门整体支出绩效目标申报表, 元 typed in a 万元 block

COST = {(0, 11, 1): "成本指标", (0, 11, 2): "经济成本指标", (0, 11, 3): "项目成本", (0, 11, 6): "万元"}
"""qingshen's second indicator turned into a 成本指标 in 万元 (its 指标性质 and 指标值 set per case)."""

# (case, stem, edits, expected new findings: (rule, severity, cell))
MUTATIONS: list[tuple[str, str, dict[Coord, Value], list[tuple[str, str, Coord]]]] = [
    # §3 项目资金
    ("F450 执行率 ≠ 执行数/预算数", QS, {(0, 4, 5): "90.00%"}, [("F450", "error", (0, 4, 5))]),
    ("F459 执行率 blank", QS, {(0, 4, 5): None}, [("F459", "error", (0, 4, 5))]),
    ("F460 a percentage in an amount cell", QS, {(0, 5, 4): "100%"}, [("F460", "error", (0, 5, 4))]),
    ("H002 text in an amount cell", QS, {(0, 5, 4): "见附件"}, [("H002", "error", (0, 5, 4))]),
    ("F451 年度资金总额 ≠ Σ sources", QS, {(0, 4, 2): 248.93}, [("F451", "error", (0, 4, 2))]),
    ("F452 财政拨款小计 ≠ its sources", QS, {(0, 6, 1): "1.一般公共预算", (0, 6, 2): 238.93, (0, 6, 3): 251.89, (0, 6, 4): 250.89,
                                           (0, 6, 5): "99.60%"},
     [("F452", "error", (0, 5, 4))]),
    ("F451 on a target form's group", WL, {(10, 1, 7): 6451000.0}, [("F451", "error", (10, 0, 7))]),
    # §3 成本指标
    ("F455 exact 控制数 ≠ 全年预算数", QS, {**COST, (0, 11, 4): "=", (0, 11, 5): "250"}, [("F455", "error", (0, 11, 5))]),
    ("F455 全年预算数 over the ≤ ceiling", QS, {**COST, (0, 11, 4): "≤", (0, 11, 5): "200"}, [("F455", "error", (0, 11, 5))]),
    ("F461 成本 实际完成值 ≠ 全年执行数", QS, {**COST, (0, 11, 4): "≤", (0, 11, 5): "251.89", (0, 11, 7): "240"},
     [("F461", "error", (0, 11, 7))]),
    # §3 indicators met, kinds, ranges, units
    ("F453 missed without 偏差原因", CZ, {(2, 0, 4): "45"}, [("F453", "error", (2, 0, 7))]),
    ("F453 unsigned target is exact", CQ, {(2, 2, 5): "98%"}, [("F453", "error", (2, 2, 5))]),
    ("F454 units differ", CZ, {(2, 0, 4): "50人"}, [("F454", "error", (2, 0, 4))]),
    ("F462 quantitative target, text actual", QS, {(0, 10, 7): "完成"}, [("F462", "error", (0, 10, 7))]),
    ("F463 % actual above 100", CZ, {(2, 1, 4): "120"}, [("F463", "error", (2, 1, 4))]),
    ("P306 unit in the name ≠ the values' unit", CZ, {(2, 0, 2): "基建工程委托业务项目数量(次)"}, [("P306", "error", (2, 0, 2))]),
    # §3 scores
    ("F456 自评得分 above 100", CQ, {(0, -3, 5): "105"}, [("F456", "error", (0, -3, 5))]),
    ("F466 得分 > 分值", CZ, {(2, 0, 6): "9"}, [("F466", "error", (2, 0, 6))]),
    ("F465 自评得分 ≠ Σ 得分", QS, {(0, 4, 7): 10, (0, 10, 9): 60, (0, 11, 9): 30, (0, 12, 9): 95},
     [("F465", "error", (0, 12, 9))]),
    # §2 indicator names and signs
    ("P312 variant 二级 name", QS, {(0, 11, 1): "满意度指标", (0, 11, 2): "满意度指标"}, [("P312", "warning", (0, 11, 2))]),
    ("P312 older 二级 placement", QS, {(0, 10, 2): "成本指标"}, [("P312", "warning", (0, 10, 2))]),
    ("P312 unknown 二级 under a valid 一级", QS, {(0, 11, 2): "群众获得感"}, [("P312", "warning", (0, 11, 2))]),
    ("P307 a 二级 of another 一级 (自评表)", QS, {(0, 11, 2): "数量指标"}, [("P307", "error", (0, 11, 2))]),
    ("P307 invalid 一级 (自评表)", QS, {(0, 10, 1): "项目指标"}, [("P307", "error", (0, 10, 1))]),
    ("P302 `>` inside a 指标值", WL, {(9, 7, 6): ">13459.00(平方米)"}, [("P302", "warning", (9, 7, 6))]),
    ("P303 no unit in a quantitative 指标值", WL, {(9, 7, 6): "≥13459.00"}, [("P303", "error", (9, 7, 6))]),
    ("P305 % 指标值 above 100", WL, {(10, 10, 6): "≥180.00(%)"}, [("P305", "error", (10, 10, 6))]),
    ("P314 元 typed in a 万元 block", HN, {(0, 1, 1): "财政拨款:69233552(其中:上级财政资金:6923.3552万元;本级财政:0万元)"},
     [("P314", "error", (0, 1, 1)), ("F451", "error", (0, 0, 1))]),
]

# edits that make a real form consistent again: the failing rule's passing fixture
REPAIRS: list[tuple[str, str, dict[Coord, Value], list[tuple[str, Coord]]]] = [
    ("P313/P314 基本支出 in 万元", GS, {(0, 0, 5): 724.2318}, [("P313", (0, 2, 5)), ("P314", (0, 0, 5))]),
    ("P314 财政拨款 in 万元", GS, {(0, 0, 2): 629.6906}, [("P314", (0, 0, 2))]),
    ("F451 年度资金总额 printed", CZ, {(0, 0, 1): 90, (0, 0, 2): 89.974, (0, 0, 3): 89.974, (0, 0, 5): "100%"}, [("F451", (0, 0, 1)), ("F451", (0, 0, 2))]),
    ("F464 自评得分 in the 合计 row", QS, {(0, 12, 9): "90"}, [("F464", (0, -2, 1))]),
    ("F458 实际完成值 filled", QS, {(0, 10, 7): "100", (0, 11, 7): "100"}, [("F458", (0, 10, 7)), ("F458", (0, 11, 7))]),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutations")


@cache
def _built(stem: str, variant: str, out: Path) -> Built:
    return build(stem, variant, out / "base")


def _findings(path: Path) -> Counter[tuple[str, str, str]]:
    result = check_file(path)
    assert result.status == "ok"
    return Counter((f.rule, f.severity, f"{f.sheet}!{f.cell}") for f in result.findings)


@cache
def _base(stem: str, variant: str, out: Path) -> Counter[tuple[str, str, str]]:
    return _findings(_built(stem, variant, out).path)


def _mutated(stem: str, variant: str, out: Path, edits: dict[Coord, Value], name: str) -> Counter[tuple[str, str, str]]:
    built = _built(stem, variant, out)
    book = load_workbook(built.path)
    for (t, r, c), value in edits.items():
        sheet, ref = built.where(t, r, c).split("!")
        cell = book[sheet][ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # typed text, never a formula
    path = out / f"{stem}-{variant}-{abs(hash(name))}.xlsx"
    book.save(path)
    return _findings(path)


def test_there_are_twenty_mutations_or_more() -> None:
    assert len(MUTATIONS) >= 20
    assert len({m[0].split()[0] for m in MUTATIONS}) >= 18  # rule kinds


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("name", "stem", "edits", "expected"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_is_caught_at_its_cell_and_nowhere_else(
    name: str, stem: str, edits: dict[Coord, Value], expected: list[tuple[str, str, Coord]], variant: str, out: Path,
) -> None:
    built = _built(stem, variant, out)
    base = _base(stem, variant, out)
    new = _mutated(stem, variant, out, edits, name) - base
    want = Counter((rule, severity, built.where(*at)) for rule, severity, at in expected)
    assert new == want
    assert not any(k[:1] == (rule,) and k[2] == built.where(*at) for rule, _, at in expected for k in base)  # passing fixture


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("name", "stem", "edits", "gone"), REPAIRS, ids=[m[0] for m in REPAIRS])
def test_repaired_real_form_passes_the_rule(
    name: str, stem: str, edits: dict[Coord, Value], gone: list[tuple[str, Coord]], variant: str, out: Path,
) -> None:
    built = _built(stem, variant, out)
    base = _base(stem, variant, out)
    after = _mutated(stem, variant, out, edits, name)
    for rule, at in gone:
        where = built.where(*at)
        assert any(k[0] == rule and k[2] == where for k in base), (rule, where)  # the real form fails it …
        assert not any(k[0] == rule and k[2] == where for k in after), (rule, where)  # … its repaired copy passes
    assert not [k for k in after - base if k[1] != "note"], "a repair adds no finding (a ≤ ceiling above the budget is a note)"
