"""Claims extraction (core/claims.py): what each kind of 说明 sentence yields, and what is left unchecked."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.claims import Claim, Paragraph, extract, number, paragraphs_from_text


def claims(*texts: str, year: int = 2025, kind: str = "budget") -> list[Claim]:
    return list(extract([Paragraph(t, page=3) for t in texts], year=year, kind=kind).claims)


def brief(cs: list[Claim]) -> list[tuple[str, str, str]]:
    return [(c.kind, c.subject.label, c.figure) for c in cs]


def test_totals_sources_and_a_change_on_last_year() -> None:
    cs = claims("2025年，某街道收入预算18,976.76万元，其中：财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元；"
                "事业收入0.00万元；其他收入0.00万元。")
    assert brief(cs) == [
        ("amount", "收入预算（收入总计）", "18,976.76万元"),
        ("amount", "财政拨款收入", "18,976.76万元"),
        ("change", "财政拨款收入", "3,355.65万元"),
        ("amount", "事业收入", "0.00万元"),
        ("amount", "其他收入", "0.00万元"),
    ]
    change = cs[2]
    assert (change.direction, change.base_year, change.base_measure, change.of) == (1, 2024, "预算", 1)
    assert change.value == Decimal("3355.65") and change.decimals == 2
    assert cs[0].value == Decimal("18976.76") and cs[0].measure == "预算" and cs[0].year == 2025


def test_function_item_with_last_years_execution_and_a_percentage() -> None:
    cs = claims("1. “一般公共服务支出（类）统计信息事务（款）统计管理（项）”2.63万元，主要用于统计管理。2022年当年预算执行数为"
                "1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70 %。主要原因是：统计管理经费增加。", year=2023)
    assert [c.subject.names for c in cs] == [("一般公共服务支出", "统计信息事务", "统计管理")] * 4
    first, base, again, pct = cs
    assert (base.measure, base.year) == ("执行数", 2022)
    assert (again.measure, again.year) == ("预算", 2023)
    assert (pct.kind, pct.unit, pct.value, pct.of, pct.base) == ("change", "%", Decimal("77.70"), again.n, base.n)
    assert first.subject.levels == ("类", "款", "项")


def test_the_item_of_a_paragraph_carries_over_a_line_break() -> None:
    # a text dump ends the first paragraph at a line's end; the second goes on about the same 项
    cs = claims("13. “社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）”17.72万元，主要用于行政单位离退休。",
                "2022年当年预算执行数为8.61万元，2023年预算安排17.72万元，比2022年预算执行数增加105.81%。", year=2023)
    assert {c.subject.names[-1] for c in cs} == {"行政单位离退休"}
    assert cs[-1].kind == "change" and cs[-1].base is not None


def test_amount_and_percentage_of_one_change_are_paired() -> None:
    cs = claims("机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。", year=2024, kind="final")
    amount, change, pct = cs
    assert (change.pair, pct.pair) == (pct.n, change.n)
    assert change.of == pct.of == amount.n and amount.measure == "决算"


def test_change_stated_in_the_next_sentence_links_back() -> None:
    cs = claims("（三）公务接待费1.35万元。比2024年预算持平，主要原因是公务接待费保持不变。")
    assert brief(cs) == [("amount", "公务接待费", "1.35万元"), ("change", "公务接待费", "持平")]
    assert cs[1].of == 0 and cs[1].direction == 0


def test_shares_take_the_total_the_sentence_opened_with_or_the_one_named() -> None:
    cs = claims("本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；", kind="final")
    shares = [c for c in cs if c.kind == "share"]
    assert [(cs[s.of].figure, cs[s.base].figure, s.figure) for s in shares if s.of is not None and s.base is not None] == [
        ("2940.05万元", "2946.25万元", "99.79%"), ("6.2万元", "2946.25万元", "0.21%"),
    ]
    named = claims("本年支出合计2940.05万元。", "一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。", kind="final")
    share = named[-1]
    assert share.kind == "share" and share.whole is not None and share.whole.key == "本年支出合计"


def test_rate_against_the_plan_of_the_same_subject_only() -> None:
    cs = claims("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。", kind="final")
    plan, actual, rate = cs
    assert (plan.measure, actual.measure) == ("年初预算", "决算")
    assert (rate.kind, rate.of, rate.base) == ("rate", actual.n, plan.n)
    sangong = claims("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为"
                     "0.00万元，完成预算的0%。", kind="final")
    item_rate = sangong[-1]
    assert item_rate.subject.key == "三公/因公出国(境)费" and item_rate.base is None  # its plan is not stated


def test_thresholds_placeholders_and_reasons_are_not_claims() -> None:
    ex = extract([Paragraph("截至2024年8月31日共有车辆0辆；单价100万元（含）以上设备（不含车辆）0台（套）。", page=4),
                  Paragraph("1.因公出国（境）经费支出**万元，完成预算**%。", page=4)], year=2025, kind="final")
    assert [c.figure for c in ex.claims] == []
    assert [(u.figure, u.reason[:5]) for u in ex.unchecked] == [("100万元", "是标准或限"), ("**万元", "模板占位符"), ("**%", "模板占位符")]


def test_an_amount_whose_subject_is_unclear_is_listed_not_guessed() -> None:
    ex = extract([Paragraph("本单位另有往来款项12.30万元。", page=2)], year=2025, kind="budget")
    assert ex.claims == ()
    assert [u.figure for u in ex.unchecked] == ["12.30万元"]


def test_projects_listed_under_the_target_total() -> None:
    cs = claims("2025年度，本单位编报绩效目标的项目共4个，涉及项目预算资金598.46万元。其中：中介机构服务费418.80万元，"
                "财政业务费10.00万元，信息化系统日常维护费166.66万元，援滇干部工作经费3.00万元。")
    assert brief(cs) == [
        ("count", "编报绩效目标的项目数", "4个"), ("amount", "编报绩效目标的项目资金", "598.46万元"),
        ("amount", "项目：中介机构服务费", "418.80万元"), ("amount", "项目：财政业务费", "10.00万元"),
        ("amount", "项目：信息化系统日常维护费", "166.66万元"), ("amount", "项目：援滇干部工作经费", "3.00万元"),
    ]


def test_wan_without_yuan_and_full_width_digits() -> None:
    cs = extract([Paragraph("科技创新专项经费情况说明", heading=True), Paragraph("2025年度项目总预算１７２０.００万，其中各级企业技术中心认定1720.00万。")],
                 year=2025, kind="budget").claims
    assert [(c.subject.label, c.value, c.unit) for c in cs] == [
        ("项目「科技创新专项」合计", Decimal("1720.00"), "万元"), ("项目「科技创新专项」：各级企业技术中心认定", Decimal("1720.00"), "万元"),
    ]


def test_broken_paragraphs_are_joined_and_numbered_per_page() -> None:
    ps = number([Paragraph("标题", page=1, heading=True), Paragraph("一般公共预算财政拨款支出2940.05万元，主要用于：卫生健康支出（类）60.99万元，占2.07%；住房保障支出（", page=1),
                 Paragraph("类）445.69万元，占15.16%；", page=2), Paragraph("（三）下一项。", page=2)])
    assert [(p.page, p.on_page, p.text[:6]) for p in ps] == [(1, 1, "标题"), (1, 2, "一般公共预算"), (2, 1, "（三）下一项")]
    cs = extract(ps, year=2024, kind="final").claims
    shares = [c for c in cs if c.kind == "share"]
    assert [(s.where.cell, cs[s.base].figure) for s in shares if s.base is not None] == [("第1页第2段", "2940.05万元")] * 2
    assert "445.69万元" in [c.figure for c in cs]


def test_plain_text_paragraphs_with_pages() -> None:
    text = "一、收入\n2025年收入预算18,976.76万元，其中：财政拨款收入18,976.76万\n元。\n\f二、其他\n“三公”经费预算数为37.91万元。\n"
    ps = paragraphs_from_text(text)
    assert [(p.page, p.heading, p.text) for p in ps] == [
        (1, True, "一、收入"), (1, False, "2025年收入预算18,976.76万元，其中：财政拨款收入18,976.76万元。"),
        (2, True, "二、其他"), (2, False, "“三公”经费预算数为37.91万元。"),
    ]


PIECES = st.sampled_from([
    "收入预算", "财政拨款收入", "比2024年预算", "增加", "减少", "持平", "增长", "下降", "占", "其中：", "，", "；", "。",
    "“一般公共服务支出（类）", "财政事务（款）", "行政运行（项）”", "“三公”经费", "公务接待费", "完成年初预算的",
    "主要原因是", "单价", "以上", "（含）", "**", "万元", "元", "万", "%", "个", "编报绩效目标的项目", "涉及项目预算资金",
    "2022年当年预算执行数为", "2023年预算安排", "与2023年度相比", "\n", " ", "（一）", "1.", "合计",
])
NUMBERS = st.one_of(st.integers(0, 10**9).map(str), st.decimals(0, 10**6, places=2).map(str), st.just("1,234.56"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, NUMBERS), max_size=40), st.lists(st.booleans(), max_size=3))
def test_any_text_gives_claims_whose_figures_stand_in_their_sentences(parts: list[str], split: list[bool]) -> None:
    text = "".join(parts)
    paragraphs = [Paragraph(t, page=1) for t in ([text[: len(text) // 2], text[len(text) // 2 :]] if split and split[0] else [text])]
    ex = extract(paragraphs)
    for c in ex.claims:
        assert c.where.sentence[c.where.start : c.where.end] == c.figure
        for link in (c.of, c.base, c.pair):
            assert link is None or 0 <= link < len(ex.claims)
    for u in ex.unchecked:
        assert u.where.sentence[u.where.start : u.where.end] == u.figure


def test_what_an_item_is_used_for_is_no_subject() -> None:
    cs = claims("4. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元，主要用于人员经费及公用经费。"
                "2023年当年预算执行数为711.34万元，2024年预算安排738.66万元，比2023年预算执行数增加3.84%。", year=2024)
    assert {c.subject.names[-1] for c in cs} == {"社会福利事业单位"}


def test_dash_joined_subject_paths() -> None:
    cs = claims("1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，主要用于行政单位的基本支出。",
                "1.“一般公共服务支出”科目12,789万元，主要用于人员经费。")
    assert [(c.subject.names, c.subject.levels, c.figure) for c in cs] == [
        (("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行"), ("类", "款", "项"), "1,202.95万元"),
        (("一般公共服务支出",), ("类",), "12,789万元"),
    ]
