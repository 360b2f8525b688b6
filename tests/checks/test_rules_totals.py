"""S1xx: within-table sums. Each rule: a failing and a passing table, whole lists of (cell, rule, severity)."""

from __future__ import annotations

from decimal import Decimal

from rulekit import Build, data, found, messages

from gongkai import checks
from gongkai.checks.totals import structure
from gongkai.core import codes


def expenditure(*rows: tuple[str, str, str, str], money_unit: str = "万元"):
    """部门支出总表 rows (label or code, 合计, 基本支出, 项目支出); a label starting with a digit run of 6 is a unit."""
    out = []
    for label, total, basic, project in rows:
        row: dict[str, object] = {"合计": total, "基本支出": basic, "项目支出": project}
        if label.isdigit():
            row.update({"类": label[:3], **({"款": label[3:5]} if len(label) > 3 else {}), **({"项": label[5:7]} if len(label) > 5 else {})})
            row["科目名称"] = codes.name(label, "function") or f"科目{label}"  # real names: H007 checks them
        else:
            row["科目名称"] = label
        out.append(row)
    return data("budget.expenditure", out, money_unit=money_unit)


CONSISTENT = (
    ("合计", "30.00", "20.00", "10.00"),
    ("101001 某局本级", "30.00", "20.00", "10.00"),
    ("208", "18.00", "18.00", "0"),
    ("20805", "18.00", "18.00", "0"),
    ("2080505", "12.00", "12.00", "0"),
    ("2080506", "6.00", "6.00", "0"),
    ("210", "12.00", "2.00", "10.00"),
    ("21011", "12.00", "2.00", "10.00"),
    ("2101101", "12.00", "2.00", "10.00"),
)
# rows 6 (合计) … 14 (2101101); 合计 E, 基本支出 F, 项目支出 G


def replace(rows, index, value):
    rows = list(rows)
    rows[index] = value
    return tuple(rows)


def test_consistent_table_has_no_findings(build: Build) -> None:
    assert found(build(expenditure(*CONSISTENT)), "S", "H") == []


def test_s101_total_column_is_the_sum_of_its_parts(build: Build) -> None:
    book = build(expenditure(("合计", "12.30", "4.00", "7.00"), ("101001 本级", "11.01", "4.00", "7.00"), ("2080505", "11.00", "4.00", "7.00")))

    assert found(book, "S101") == [("表1-2!E6", "S101", "error"), ("表1-2!E7", "S101", "note")]
    assert messages(book, "S101")[0] == "合计 12.30 ≠ 基本支出 4.00 + 项目支出 7.00 = 11.00（相差 1.30）"
    first = checks.run(book, select=["S101"])[0]
    assert (first.expected, first.actual, first.related) == (Decimal("11.00"), Decimal("12.30"), ("表1-2!F6", "表1-2!G6"))


def test_s101_sangong_columns(build: Build) -> None:
    row = {"单位名称": "本级", "合计": "10.00", "因公出国(境)费": "2.00", "公务用车购置及运行费": "5.00",
           "公务用车购置及运行费/公务用车购置费": "3.00", "公务用车购置及运行费/公务用车运行费": "1.00", "公务接待费": "3.00"}
    book = build(data("budget.general_sangong", [row]))
    # 车 小计 5.00 ≠ 3.00 + 1.00; 合计 10.00 = 2 + 5 + 3
    assert [(w, r) for w, r, _ in found(book, "S101")] == [(f"表3-3!{book.tables[0].columns['公务用车购置及运行费']}6", "S101")]


def test_s101_personnel_plus_public(build: Build) -> None:
    rows = [{"类": "301", "科目名称": "工资福利支出", "合计": "10.00", "人员经费": "10.00", "公用经费": "0"},
            {"类": "302", "科目名称": "商品和服务支出", "合计": "5.00", "人员经费": "0", "公用经费": "4.00"}]
    book = build(data("budget.general_basic", rows))
    assert found(book, "S101") == [("表3-1!E7", "S101", "error")]


def test_s102_total_row_is_the_sum_of_units(build: Build) -> None:
    rows = (("合计", "40.00", "30.00", "10.00"), ("101001 本级", "30.00", "20.00", "10.00"), ("2080505", "30.00", "20.00", "10.00"),
            ("101002 中心", "9.00", "9.00", "0"), ("2080505", "9.00", "9.00", "0"))
    book = build(expenditure(*rows))
    assert found(book, "S102") == [("表1-2!E6", "S102", "error"), ("表1-2!F6", "S102", "error")]
    assert messages(book, "S102")[0] == "合计「合计」 40.00 ≠ 本级 30.00 + 中心 9.00 = 39.00（相差 1.00）"
    assert found(build(expenditure(*CONSISTENT)), "S102") == []


def test_s102_without_units_adds_the_top_codes(build: Build) -> None:
    rows = [{"科目名称": "合计", "合计": "31.00", "当年财政拨款安排": "31.00", "上年结转安排": "0"},
            {"类": "208", "科目名称": "社保", "合计": "20.00", "当年财政拨款安排": "20.00", "上年结转安排": "0"},
            {"类": "208", "款": "05", "科目名称": "养老", "合计": "20.00", "当年财政拨款安排": "20.00", "上年结转安排": "0"},
            {"类": "210", "科目名称": "卫生", "合计": "10.00", "当年财政拨款安排": "10.00", "上年结转安排": "0"}]
    book = build(data("budget.general", rows))
    assert [(w, r) for w, r, _ in found(book, "S102")] == [("表3!E6", "S102"), ("表3!F6", "S102")]


def test_s103_unit_subtotal_is_the_sum_of_its_rows(build: Build) -> None:
    book = build(expenditure(*replace(CONSISTENT, 1, ("101001 某局本级", "31.00", "20.00", "11.00"))))
    assert found(book, "S103") == [("表1-2!E7", "S103", "error"), ("表1-2!G7", "S103", "error")]
    assert found(build(expenditure(*CONSISTENT)), "S103") == []


def test_s103_department_row_adds_its_units(build: Build) -> None:
    rows = [{"单位代码": "101", "单位名称": "某局", "合计": "10.00", "上年结转": "0", "一般公共预算拨款收入": "10.00", "政府性基金预算拨款收入": "0"},
            {"单位代码": "101001", "单位名称": "本级", "合计": "6.00", "上年结转": "0", "一般公共预算拨款收入": "6.00", "政府性基金预算拨款收入": "0"},
            {"单位代码": "101002", "单位名称": "中心", "合计": "3.00", "上年结转": "0", "一般公共预算拨款收入": "3.00", "政府性基金预算拨款收入": "0"}]
    book = build(data("budget.revenue", rows))
    assert [(w, r) for w, r, _ in found(book, "S103")] == [("表1-1!C5", "S103"), ("表1-1!E5", "S103")]


def test_s104_class_is_the_sum_of_its_items(build: Build) -> None:
    book = build(expenditure(*replace(CONSISTENT, 3, ("20805", "19.00", "19.00", "0"))))
    # 208 (18) ≠ 20805 (19) and 20805 (19) ≠ 2080505 + 2080506 (18): both totals around the changed row
    assert found(book, "S104") == [("表1-2!E8", "S104", "error"), ("表1-2!F8", "S104", "error"),
                                   ("表1-2!E9", "S104", "error"), ("表1-2!F9", "S104", "error")]
    assert found(build(expenditure(*CONSISTENT)), "S104") == []


def test_s104_structure_follows_code_prefixes(build: Build) -> None:
    table = build(expenditure(*CONSISTENT)).tables[0]
    st = structure(table)
    assert [n.row.code for n in st.units[0].children] == ["208", "210"]
    assert [n.row.code for n in st.units[0].children[0].children[0].children] == ["2080505", "2080506"]
    assert st.leaves[id(st.total.row)] == 3  # type: ignore[union-attr]


def test_s105_subtotal_is_the_sum_of_its_projects(build: Build) -> None:
    rows = [{"科目名称": "合计", "金额": "9.00"},
            {"科目名称": "101001 本级", "金额": "9.00"},
            {"类": "208", "款": "05", "项": "05", "科目名称": "养老", "金额": "10.00"},
            {"项目名称": "P001-信息化建设", "金额": "6.00"},
            {"项目名称": "P002-办公楼维修", "金额": "3.00"}]
    book = build(data("budget.general_project", rows))
    assert found(book, "S105") == [("表3-2!F8", "S105", "error")]
    assert found(book, "S103") == [("表3-2!F7", "S103", "error")]  # the unit adds its 科目 rows: 9 ≠ 10
    rows[2]["金额"] = Decimal("9.00")
    assert found(build(data("budget.general_project", rows)), "S1") == []


def summary(**amounts: str):
    """部门收支总表 with two 类 rows; amounts override the consistent values."""
    left = [("一般公共预算拨款收入", "80.00"), ("事业收入", "20.00"), ("本年收入合计", "100.00"), ("上年结转", "0"), ("收入总计", "100.00")]
    right = [("社会保障和就业支出", "60.00"), ("卫生健康支出", "40.00"), ("本年支出合计", "100.00"), ("结转下年", "0"), ("支出总计", "100.00")]
    rows = []
    for (li, lv), (ri, rv) in zip(left, right, strict=True):
        rows.append({"收入/项目": li, "收入/预算数": amounts.get(li, lv), "支出/项目": ri, "支出/预算数": amounts.get(ri, rv)})
    return data("budget.summary", rows)


def test_s106_side_totals(build: Build) -> None:
    assert found(build(summary()), "S106", "S107") == []
    book = build(summary(卫生健康支出="41.00"))
    assert found(book, "S106") == [("表1!D8", "S106", "error")]
    assert messages(book, "S106") == ["本年支出合计 100.00 ≠ 社会保障和就业支出 60.00 + 卫生健康支出 41.00 = 101.00（相差 -1.00）"]


def test_s107_income_equals_expenditure(build: Build) -> None:
    book = build(summary(卫生健康支出="39.00", 本年支出合计="99.00", 支出总计="99.00"))
    assert found(book, "S106", "S107") == [("表1!D10", "S107", "error")]
    # a total that is off with its own parts is reported by S106 only
    assert found(build(summary(支出总计="99.00")), "S106", "S107") == [("表1!D10", "S106", "error")]


def test_s108_overall_funds(build: Build) -> None:
    def overall(total: str):
        return data("budget.overall_targets", [], fields={"部门名称": "某局", "资金总额": Decimal(total), "财政拨款": Decimal("80.00"), "其他资金": Decimal("10.00")})

    assert found(build(overall("90.00")), "S108") == []
    assert found(build(overall("100.00")), "S108") == [("表7!B5", "S108", "error")]


def test_rounding_differences_are_notes_scaled_by_the_printed_precision(build: Build) -> None:
    # 万元 with two decimals: 0.005 万元 per part (3 parts: 0.015)
    rows = (("合计", "30.01", "20.00", "10.00"), ("101001 本级", "30.00", "20.00", "10.00"), ("2080505", "30.00", "20.00", "10.00"))
    assert found(build(expenditure(*rows)), "S101") == [("表1-2!E6", "S101", "note")]
    # 元 printed whole: 0.5 元 per part, so 1 元 over 3 parts is 舍位, 2 元 over 3 parts is not
    whole = (("合计", "300001", "200000", "100000"), ("101001 本级", "300000", "200000", "100000"),
             ("2080505", "300000", "200000", "100000"))
    assert found(build(expenditure(*whole, money_unit="元")), "S101") == [("表1-2!E6", "S101", "note")]
    off = replace(whole, 0, ("合计", "300002", "200000", "100000"))
    assert found(build(expenditure(*off, money_unit="元")), "S101") == [("表1-2!E6", "S101", "error")]
    # 元 printed with 分 are the source figures: no 舍位 at all
    cents = (("合计", "300000.02", "200000.00", "100000.01"), ("101001 本级", "300000.01", "200000.00", "100000.01"),
             ("2080505", "300000.01", "200000.00", "100000.01"))
    assert found(build(expenditure(*cents, money_unit="元")), "S101") == [("表1-2!E6", "S101", "error")]
