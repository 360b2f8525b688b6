"""Line-item input: typing before pydantic, Chinese problems with row numbers, xlsx and CSV alike."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from gongkai.fill.lineitems import load, parse_grids
from gongkai.fill.sample import input_sheets, sample_lines, write_line_items

HEADER = ["单位代码", "单位名称", "功能分类科目编码", "经济分类科目编码", "支出类型", "资金来源", "项目名称", "金额（元）"]
INDICATORS = [
    ["单位代码", "项目名称", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向性"],
    ["101001", "培训项目", "完成培训", "产出指标", "数量指标", "培训期数", "≥", "4", "期", 50.0, "正向指标"],
    ["101001", "培训项目", None, "满意度指标", "服务对象满意度指标", "满意度", "≥", "90", "%", 50.0, "正向指标"],
]


def test_sample_round_trips_through_sheets():
    items = sample_lines(7)

    parsed, problems = parse_grids(input_sheets(items))

    assert problems == []
    assert parsed == items


def test_sample_is_deterministic_and_realistic():
    a, b = sample_lines(3, units=4, lines=150), sample_lines(3, units=4, lines=150)

    assert a == b
    assert len(a.units()) == 4
    assert 140 <= len(a.lines) <= 160
    assert {x.economic_code for x in a.lines} >= {"30212", "30217", "30231", "31013"}
    assert all(sum(i.weight for i in a.indicators if i.project == p) == 100 for _, p in a.projects())


def test_bad_lines_are_all_reported_with_rows():
    grid = [
        HEADER,
        ["101001", "某局本级", "2010101", "30101", "基本支出-人员经费", "一般公共预算", None, 1000.0],
        ["101001", "某局本级", "2010101", "30101", "基本支出-人员经费", "一般公共预算", None, "1,000.00"],
        ["101001", "某局本级", "2010101", "30201", "基本支出-公用经费", "一般公共预算", None, -5.0],
        ["101001", "某局本级", "9999999", "30201", "基本支出-公用经费", "一般公共预算", None, 5.0],
        [None, None, "2010101", "30201", "基本支出-公用经费", "上年结转", None, 5.0],
        ["101001", "某局本级", "2010101", "30201", "项目支出", "一般公共预算", "无指标项目", 5.0],
        ["101001", "某局本级", "2010101", "30201", "项目支出", "一般公共预算", "培训项目", "待定"],
        ["101001", "某局本级", "2010101", "30201", "项目支出", "一般公共预算", "培训项目", 5.0],
    ]

    items, problems = parse_grids({"预算明细": grid, "项目绩效": INDICATORS})

    assert problems == [
        "预算明细 第3行：金额「1,000.00」是存为文本的数字，请改为数值",
        "预算明细 第4行：金额为负数（-5.0），预算金额不能为负",
        "预算明细 第5行：未知的功能分类科目编码 9999999",
        "预算明细 第6行：缺少单位代码",
        "预算明细 第6行：缺少单位名称",
        "预算明细 第6行：资金来源「上年结转」无法识别（上年结转请写明资金性质，如「上年结转-一般公共预算」）",
        "预算明细 第8行：金额「待定」不是数字",
        "预算明细 第7行：项目「无指标项目」（某局本级）没有绩效指标（请在「项目绩效」表填写）",
    ]
    assert [x.row for x in items.lines] == [2, 7, 9]
    assert items.lines[0].amount == Decimal("1000.00")


def test_bad_indicators_are_reported():
    rows = [
        INDICATORS[0],
        ["101001", "培训项目", "完成培训", "产出指标", "满意度指标", "培训期数", "≥", "四期", "期", 50.0, "反向指标"],
        ["101001", "培训项目", None, "满意度指标", "服务对象满意度指标", "满意度", "定性", "高", "%", 40.0, None],
    ]
    grid = [HEADER, ["101001", "某局本级", "2010101", "30201", "项目支出", "一般公共预算", "培训项目", 5.0]]

    _, problems = parse_grids({"预算明细": grid, "项目绩效": rows})

    assert problems == [
        "项目绩效 第2行：二级指标「满意度指标」不属于产出指标（应为 数量指标 / 质量指标 / 时效指标 / 成本指标）",
        "项目绩效 第2行：定量指标（≥）的指标值「四期」应为数字",
        "项目绩效 第2行：指标方向性「反向指标」与指标性质「≥」不符",
        "项目绩效 第3行：定性指标不应有度量单位（「%」）",
        "预算明细 第2行：项目「培训项目」（某局本级）没有绩效指标（请在「项目绩效」表填写）",
    ]


def test_csv_text_numbers_are_fine_and_wan_headers_scale(tmp_path: Path):
    items = sample_lines(11, units=2, lines=40)
    write_line_items(items, tmp_path / "in.csv")
    write_line_items(items, tmp_path / "in.xlsx")

    from_csv, csv_problems = load(tmp_path / "in.csv")
    from_xlsx, xlsx_problems = load(tmp_path / "in.xlsx")
    wan = [[*HEADER[:-1], "金额（万元）"], ["101001", "某局本级", "2010101", "30101", "人员经费", "一般公共预算", None, 1.2345]]
    scaled, _ = parse_grids({"预算明细": wan})

    assert csv_problems == xlsx_problems == []
    assert from_csv == from_xlsx == items
    assert scaled.lines[0].amount == Decimal("12345.00")
    assert scaled.lines[0].kind == "基本支出-人员经费"


def test_a_kuan_with_sub_items_needs_sub_items_everywhere():
    grid = [
        HEADER,
        ["101001", "某局本级", "2010101", "3010201", "人员经费", "一般公共预算", None, 10.0],
        ["101001", "某局本级", "2010101", "30102", "人员经费", "一般公共预算", None, 10.0],
    ]

    _, problems = parse_grids({"预算明细": grid})

    assert problems == ["预算明细 第3行：经济分类 30102 已有7位明细科目，本行也请用7位明细科目"]
