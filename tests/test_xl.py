"""gongkai.xl without Excel: the cell functions called directly (on Linux xlwings' decorators leave them plain
callables), their verdicts against the rules', the signatures classic xlwings accepts, and the pure marking plan."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import inspect
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai import pipeline, xl
from gongkai.checks import totals  # noqa: F401  (importing registers the rules)
from gongkai.core import indicator_values as indicators
from gongkai.core import specs
from gongkai.core.findings import Finding, Severity
from gongkai.fill.layout import TableData, lay_out
from gongkai.write import marks
from gongkai.write.workbook import write_plans

FUNCTIONS = [xl.GK_SUMCHECK, xl.GK_INDICATOR, xl.GK_WEIGHTS, xl.GK_CODENAME, xl.GK_WAN]
SCRIPTS = [xl.validate_workbook, xl.clear_marks, xl.fill_from_sheet, xl.export_clean]


@pytest.mark.parametrize("function", FUNCTIONS + SCRIPTS, ids=lambda f: f.__name__)
def test_signatures_classic_xlwings_accepts(function) -> None:
    """Positional parameters only (classic xlwings refuses keyword-only and **kwargs), each with a docstring."""
    params = inspect.signature(function).parameters.values()
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
    assert function.__doc__
    if function in SCRIPTS:
        assert list(inspect.signature(function).parameters) == ["book"]
        assert inspect.signature(function).parameters["book"].default is None


def test_udf_hints_are_not_converters() -> None:
    """Classic xlwings turns parameter annotations into converters: the functions carry none."""
    for function in FUNCTIONS:
        assert function.__annotations__ == {}, function.__name__


@pytest.mark.parametrize(
    ("parts", "total", "tolerance", "expected"),
    [
        ([[1.1, 2.2]], 3.3, None, ""),
        ([[1.1], [2.2], [None]], 3.3, None, ""),
        ([[1.11, 2.22]], 3.34, None, "舍位差 0.01（允许）"),
        ([[1.11, 2.22]], 3.35, None, "合计不符：各部分之和 3.33，差 0.02"),
        ([[1.11, 2.22]], 3.35, 0.01, "舍位差 0.02（允许）"),
        ([["1,000.00", 2000]], 3000, None, ""),
        ([[1.0, "待定"]], 1, None, "不是数字：待定"),
        ([[100, 200]], None, None, "合计不符：各部分之和 300.00，差 -300.00"),
    ],
)
def test_gk_sumcheck(parts, total, tolerance, expected) -> None:
    assert xl.GK_SUMCHECK(parts, total, tolerance) == expected


def test_gk_sumcheck_agrees_with_the_rule(tmp_path: Path) -> None:
    """Per row of a 部门支出总表, GK_SUMCHECK(基本支出:项目支出, 合计) against rule S101 at the 合计 cell."""
    rows = [
        {"类": "208", "款": "05", "项": "05", "科目名称": "甲", "合计": 10.00, "基本支出": 4.00, "项目支出": 6.00},
        {"类": "208", "款": "05", "项": "06", "科目名称": "乙", "合计": 10.01, "基本支出": 4.00, "项目支出": 6.00},
        {"类": "208", "款": "05", "项": "07", "科目名称": "丙", "合计": 10.02, "基本支出": 4.00, "项目支出": 6.00},
        {"类": "208", "款": "05", "项": "08", "科目名称": "丁", "合计": 11.00, "基本支出": 4.00, "项目支出": 6.00},
    ]
    path = tmp_path / "t.xlsx"
    plan = lay_out(TableData(specs.spec("budget.expenditure"), rows=rows))
    write_plans([plan], path)
    s101 = {f.cell: f.severity for f in pipeline.check_file(path, select=["S101"]).findings}
    first = plan.data[0]
    verdicts = {}
    for i, row in enumerate(rows):
        text = xl.GK_SUMCHECK([[row["基本支出"], row["项目支出"]]], row["合计"])
        verdicts[f"E{first + i}"] = None if text == "" else Severity.NOTE if "允许" in text else Severity.ERROR
    assert verdicts == {f"E{first}": None, f"E{first + 1}": Severity.NOTE, f"E{first + 2}": Severity.ERROR, f"E{first + 3}": Severity.ERROR}
    assert {cell: v for cell, v in verdicts.items() if v is not None} == s101


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("≥", 95, "%", "系统可用率"), ""),
        ((">=", "3", "期", "培训期数(期)"), ""),
        (("定性", "明显提高", None, "群众办事便利度"), ""),
        ((">", 95.0, "%", "系统可用率"), "指标性质「>」不规范，应写作「≥」"),
        (("大约", 1, "个"), "指标性质「大约」无效，应为 ≥、≤、= 或 定性"),
        (("≥", "较多", "个"), "定量指标（≥）的指标值应为数字，现为「较多」"),
        (("≥", 3, ""), "定量指标缺少度量单位"),
        (("≥", "95%", None), ""),
        (("≤", 120, "%"), "百分比指标值 120 不在 0～100 之间"),
        (("定性", "优", "个"), "定性指标不应有度量单位（现为「个」）"),
        (("定性", 90, None), "定性指标的指标值应为文字描述，现为数字 90"),
        (("≥", 3, "次", "培训期数（期）"), "三级指标名称中的单位「期」与度量单位「次」不一致"),
        (("", None, None), "指标性质「（空）」无效，应为 ≥、≤、= 或 定性"),
    ],
)
def test_gk_indicator(args, expected) -> None:
    assert xl.GK_INDICATOR(*args) == expected


def test_gk_indicator_is_the_shared_verdict() -> None:
    """GK_INDICATOR shows exactly the pure verdicts the indicator rules use (gongkai.indicators)."""
    found = indicators.judge_indicator("大约", "很多", "", "培训期数(期)")
    assert [v.key for v in found] == ["nature_unknown"]
    found = indicators.judge_indicator("≥", "很多", "", "")
    assert [(v.key, v.severity) for v in found] == [("value_not_number", Severity.ERROR), ("unit_missing", Severity.ERROR)]
    assert xl.GK_INDICATOR("≥", "很多", "", "") == "；".join(v.message for v in found)


@pytest.mark.parametrize(
    ("weights", "total", "expected"),
    [
        ([[20], [20], [10], [30], [20]], None, ""),
        ([[20, 20, 10, 30, 10]], None, ""),
        ([[20, 20, 10, 30, 15]], None, "权重合计为 95，应为 100 或 90"),
        ([[20, 20, 10, 30, 10]], 100, "权重合计为 90，应为 100"),
        ([[50, None, "50"]], 100, ""),
        ([[50, "五十"]], None, "不是数字：五十"),
    ],
)
def test_gk_weights(weights, total, expected) -> None:
    assert xl.GK_WEIGHTS(weights, total) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (2080505.0, "机关事业单位基本养老保险缴费支出"),
        ("208 05 05", "机关事业单位基本养老保险缴费支出"),
        ("201", "一般公共服务支出"),
        (30101, "基本工资"),
        ("3010299", "津贴补贴（3010299 为地方细化科目）"),
        ("2089999", "2089999 不在功能分类科目表中"),
        ("101", "101 不是部门预算使用的科目编码（功能分类 2 开头，经济分类 3 开头）"),
        ("20", "「20」不是科目编码（应为 3、5 或 7 位数字）"),
    ],
)
def test_gk_codename(code, expected) -> None:
    assert xl.GK_CODENAME(code) == expected


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [(12345678, 1234.57), (50, 0.01), (49, 0.0), ("1,000,000", 100.0), (None, ""), ("abc", "不是数字：abc")],
)
def test_gk_wan(yuan, expected) -> None:
    assert xl.GK_WAN(yuan) == expected


# ----------------------------------------------------------------------------------------------------------
# the marking plan (pure)
# ----------------------------------------------------------------------------------------------------------


def finding(cell: str, rule: str, severity: Severity, sheet: str = "表1", **kw) -> Finding:
    return Finding(rule=rule, severity=severity, table="budget.expenditure", sheet=sheet, cell=cell, message=f"{rule} 说明", **kw)


def test_cell_marks_worst_severity_one_mark_per_cell() -> None:
    found = [
        finding("E6", "H001", Severity.WARNING), finding("E6", "S101", Severity.ERROR),
        finding("F7", "H001", Severity.WARNING), finding("G8", "S101", Severity.NOTE),
        finding("A1", "R001", Severity.ERROR, sheet="gone"),
    ]
    plan = marks.cell_marks(found, ["表1"])
    assert [(m.sheet, m.cell, m.severity, m.fill) for m in plan] == [
        ("表1", "E6", Severity.ERROR, "#FFC7CE"), ("表1", "F7", Severity.WARNING, "#FFEB9C"),
    ]
    assert plan[0].note == "【错误】S101 S101 说明\n【警告】H001 H001 说明"


def test_results_rows_and_summary() -> None:
    found = [
        finding("G8", "S101", Severity.NOTE), finding("E6", "S101", Severity.ERROR, expected=Decimal("31.00"), actual=Decimal("30.00")),
        finding("A1", "R004", Severity.ERROR, sheet="it's"),
    ]
    rows = marks.results_rows(found, ["表1", "it's"])
    assert rows[0] == list(marks.COLUMNS)
    assert rows[1] == [1, "错误", "S101", "表1", "=HYPERLINK(\"#'表1'!E6\",\"E6\")", "S101 说明", 31.0, 30.0, -1.0, ""]
    assert rows[2][4] == "=HYPERLINK(\"#'it''s'!A1\",\"A1\")"
    assert rows[3][:5] == [3, "提示", "S101", "表1", "=HYPERLINK(\"#'表1'!G8\",\"G8\")"]
    assert marks.summary(found) == "校验完成：错误 2 个，警告 0 个，提示 1 个。错误标为红色、警告标为黄色，详见「校验结果」表。"
    assert marks.summary([]) == "校验完成：未发现问题。"


def test_records_round_trip() -> None:
    records = [marks.Record("表1", "E6", "?", True), marks.Record("表1", "F7", "", False), marks.Record("表1", "G8", "#00FF00", True)]
    rows = marks.record_rows(records)
    read_back = [[None if v == "" else v for v in row] for row in rows]  # Excel hands blanks back as None
    assert list(marks.parse_records(read_back).values()) == records


def test_gk_indicator_and_gk_weights_agree_with_the_rules(tmp_path: Path) -> None:
    """A 项目支出绩效目标表: per row, GK_INDICATOR is non-empty exactly where rules P301-P306 report, with the
    same messages; per project, GK_WEIGHTS against P309."""
    from gongkai.checks import indicators as indicator_rules  # noqa: F401  (registers P3xx)

    lines = [  # 性质, 值, 单位, 三级指标, 权重
        ("≥", "3", "期", "培训期数(期)", 20), ("≥", "99", "%", "系统可用率", 30), ("定性", "明显提高", None, "便利度", 50),
        (">", "5", "个", "新增网点", 20), ("≥", "较多", None, "覆盖人数", 30), ("定性", "优", "个", "满意度", 30),
        ("≤", "120", "%", "差错率", 15),
    ]
    levels = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标")] * 3
    rows = []
    for i, (nature, value, unit, name, weight) in enumerate(lines):
        project = "P001-网点建设" if i < 3 else "P002-信息系统"
        one, two = levels[i]
        rows.append({
            "单位名称": "某局", "项目名称": project, "预算数": 100, "年度目标": "完成建设", "一级指标": one, "二级指标": two,
            "三级指标": name, "指标性质": nature, "指标值": value, "度量单位": unit, "权重": weight,
        })
    path = tmp_path / "targets.xlsx"
    plan = lay_out(TableData(specs.spec("budget.project_targets"), rows=rows))
    write_plans([plan], path)
    reported = pipeline.check_file(path, select=["P301", "P302", "P303", "P304", "P305", "P306", "P309"]).findings
    by_row: dict[int, list[str]] = {}
    for f in reported:
        if f.rule != "P309":
            by_row.setdefault(int("".join(ch for ch in f.cell if ch.isdigit())), []).append(f.message)
    first = plan.data[0]
    udf = {first + i: xl.GK_INDICATOR(n, v, u, name) for i, (n, v, u, name, _w) in enumerate(lines)}
    assert {r: m for r, m in udf.items() if m} == {r: "；".join(ms) for r, ms in by_row.items()}
    assert sorted(by_row) == [first + 3, first + 4, first + 5, first + 6]
    p309 = [f.message for f in reported if f.rule == "P309"]
    weights = [xl.GK_WEIGHTS([[w for *_x, w in lines[:3]]]), xl.GK_WEIGHTS([[w for *_x, w in lines[3:]]])]
    assert weights == ["", "权重合计为 95，应为 100 或 90"]
    assert len(p309) == 1 and p309[0].endswith("的" + weights[1])
