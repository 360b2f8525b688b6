"""P3xx: indicators of 项目支出绩效目标表 (表6) and 部门整体支出绩效目标表 (表7)."""

from __future__ import annotations

from decimal import Decimal

from rulekit import Build, data, found, messages

from gongkai.core.profile import Profile

KEYS = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向性")
GOOD = (
    ("产出指标", "数量指标", "培训期数(期)", "≥", "3", "期", 30, "正向指标"),
    ("产出指标", "质量指标", "合格率", "≥", "95", "%", 20, "正向指标"),
    ("产出指标", "时效指标", "完成时限", "≤", "12", "月", 20, "反向指标"),
    ("效益指标", "社会效益指标", "服务水平", "定性", "明显提高", None, 20, None),
    ("满意度指标", "服务对象满意度指标", "满意度", "≥", "90", "%", 10, "正向指标"),
)
# 表6 columns: 单位名称 A, 项目名称 B, 预算数 C, 年度目标 D, 一级 E, 二级 F, 三级 G, 性质 H, 指标值 I, 单位 J, 权重 K, 方向 L
# rows 5-9: the first project; 10-14: the second


def targets(*changes: tuple[int, str, object], drop: tuple[int, ...] = ()):
    """Two projects with the GOOD indicators; changes = (row index 0-9, column key, new value)."""
    rows = []
    for project, budget in (("XM0001-培训项目", "10.00"), ("XM0002-维修项目", "20.00")):
        for ind in GOOD:
            row = {"单位名称": "某局本级", "项目名称": project, "预算数": Decimal(budget), "年度目标": "完成培训"}
            row.update({k: (Decimal(v) if k == "权重" else v) for k, v in zip(KEYS, ind, strict=True) if v is not None})
            rows.append(row)
    for i, key, value in changes:
        if value is None:
            rows[i].pop(key, None)
        else:
            rows[i][key] = value
    return data("budget.project_targets", [r for i, r in enumerate(rows) if i not in drop])


def test_good_indicators_have_no_findings(build: Build) -> None:
    assert found(build(targets()), "P", "H") == []


def test_p301_nature_must_be_standard(build: Build) -> None:
    book = build(targets((1, "指标性质", "约")))
    assert found(book, "P301") == [("表6!H6", "P301", "error")]
    assert messages(book, "P301") == ["指标性质「约」无效，应为 ≥、≤、= 或 定性"]


def test_p302_greater_than_is_a_warning(build: Build) -> None:
    assert found(build(targets((1, "指标性质", ">"))), "P30") == [("表6!H6", "P302", "warning")]


def test_p303_quantitative_needs_number_and_unit(build: Build) -> None:
    book = build(targets((0, "指标值", "较多"), (6, "度量单位", None)))
    assert found(book, "P303") == [("表6!I5", "P303", "error"), ("表6!J11", "P303", "error")]


def test_p304_qualitative_is_text_without_unit(build: Build) -> None:
    assert found(build(targets((3, "度量单位", "%"))), "P304") == [("表6!J8", "P304", "warning")]
    assert found(build(targets((3, "指标值", "90"))), "P304") == [("表6!I8", "P304", "warning")]


def test_p305_percent_within_0_to_100(build: Build) -> None:
    assert found(build(targets((1, "指标值", "120"))), "P305") == [("表6!I6", "P305", "error")]


def test_p306_unit_in_the_name_equals_the_unit(build: Build) -> None:
    book = build(targets((0, "度量单位", "次")))
    assert found(book, "P306") == [("表6!J5", "P306", "error")]
    assert messages(book, "P306") == ["三级指标名称中的单位「期」与度量单位「次」不一致"]


def test_p307_level2_belongs_to_level1(build: Build) -> None:
    book = build(targets((3, "二级指标", "数量指标"), (5, "一级指标", "产品指标")))
    assert found(book, "P307") == [("表6!F8", "P307", "error"), ("表6!E10", "P307", "error")]
    assert messages(book, "P307")[0] == "二级指标「数量指标」不属于一级指标「效益指标」（它属于产出指标）"


def test_p308_direction_agrees_with_nature(build: Build) -> None:
    assert found(build(targets((0, "指标方向性", "反向指标"))), "P308") == [("表6!L5", "P308", "error")]


def test_p309_weights_add_up_to_the_profile_total(build: Build) -> None:
    book = build(targets((0, "权重", Decimal(20))))  # first project: 90
    assert found(book, "P309") == []  # the default profile allows 100 and 90
    strict = Profile(weight_total=Decimal(100), weight_totals_allowed=(Decimal(100),))
    assert found(book, "P309", profile=strict) == [("表6!B5", "P309", "error")]
    book = build(targets((5, "权重", Decimal(35))))  # second project: 105
    assert found(book, "P309") == [("表6!B10", "P309", "error")]
    assert messages(book, "P309") == ["项目「维修项目」的权重合计为 105，应为 100 或 90"]


def test_p310_outputs_and_effects_present(build: Build) -> None:
    book = build(targets((8, "权重", Decimal(30)), drop=(9,)))  # no 满意度: not required
    assert found(book, "P310") == []
    book = build(targets((4, "权重", Decimal(30)), drop=(3,)))  # no 效益
    assert found(book, "P310") == [("表6!B5", "P310", "error")]
    assert messages(book, "P310") == ["项目「培训项目」缺少效益指标"]


def test_p311_duplicate_names_in_a_project(build: Build) -> None:
    assert found(build(targets((2, "三级指标", "合格率"))), "P311") == [("表6!G7", "P311", "warning")]
    # the same name in two projects is fine
    assert found(build(targets()), "P311") == []


def test_overall_targets_are_one_project(build: Build) -> None:
    rows = [{k: (Decimal(v) if k == "权重" else v) for k, v in zip(KEYS, ind, strict=True) if v is not None} for ind in GOOD]
    fields = {"部门名称": "某局", "资金总额": Decimal(30), "财政拨款": Decimal(30), "其他资金": Decimal(0)}
    assert found(build(data("budget.overall_targets", rows, fields=fields)), "P") == []
    rows[0]["权重"] = Decimal(40)
    rows[4]["一级指标"] = "效益指标"
    book = build(data("budget.overall_targets", rows, fields=fields))
    assert [r for _, r, _ in found(book, "P")] == ["P309", "P307"]
