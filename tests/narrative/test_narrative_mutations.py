"""Seeded mistakes in real 说明 texts: each is found at its sentence, and nothing changes anywhere else.

Every mutation edits one place of a reviewed text (the edited string must occur exactly once); the findings of the
N-rules (errors and warnings) are compared with those of the unedited text: the new ones must all stand in the
edited paragraph and include the expected rule, and every finding elsewhere must be as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from narrativekit import reviewed, text, workbook

from gongkai.checks.narrative import assess
from gongkai.core.claims import extract, paragraphs_from_text
from gongkai.core.findings import Severity


@dataclass(frozen=True)
class Mutation:
    stem: str
    old: str
    new: str
    rule: str
    what: str

    @property
    def id(self) -> str:
        return f"{self.stem.removeprefix('sh-putuo-')}:{self.what}"


CZJ24, CZJ25 = "sh-putuo-czj-2024-final", "sh-putuo-czj-2025-dept-budget"
W23, W25, SWW = "sh-putuo-wanli-2023-dept-budget", "sh-putuo-wanli-2025-dept-budget", "sh-putuo-sww-2025-dept-budget"

MUTATIONS = (
    Mutation(CZJ24, "财政拨款收入2940.05万元，占99.79%", "财政拨款收入2940.05万元，占97.79%", "N503", "a share changed"),
    Mutation(CZJ24, "基本支出2336.91万元，占79.49%", "基本支出2336.91万元，占79.94%", "N503", "a share with two digits swapped"),
    Mutation(CZJ24, "支出决算为135.25万元", "支出决算为135.85万元", "N501", "a 项 amount off by one digit"),
    Mutation(CZJ24, "减少63.14万元，下降2.10%", "减少63.14万元，下降2.70%", "N504", "a percentage inconsistent with its change"),
    Mutation(CZJ24, "成年初预算的98.20%", "成年初预算的96.20%", "N509", "a 执行率 inconsistent with its figures"),
    Mutation(CZJ24, "卫生健康支出（类）60.99万元", "医疗卫生与计划生育支出（类）60.99万元", "N506", "an old 类 name"),
    Mutation(W25, "”科目241.36万元", "”科目214.36万元", "N501", "a 项 amount with two digits swapped"),
    Mutation(W25, "公务接待费1.35万元。", "公务接待费13,500万元。", "N502", "万元 written for 元 (三公 item)"),
    Mutation(W25, "“文化旅游体育与传媒支出（类）体育（款）", "“文化体育与传媒支出（类）体育（款）", "N506", "an old 类 name (2018)"),
    Mutation(W25, "37.91万元，比2024年预算减少10万元", "37.91万元，比2024年预算减少12万元", "N505", "a change on last year wrong"),
    Mutation(W25, "支出预算18,976.76万元，其中", "支出预算189,767,551万元，其中", "N502", "万元 written for 元 (a total)"),
    Mutation(W23, "2023年预算安排100.20万元", "2023年预算安排102.00万元", "N507", "a figure quoted twice with two values"),
    Mutation(W23, "9.00万元，比2022年预算执行数增加33.33%", "9.00万元，比2022年预算执行数增加43.33%", "N504", "a percentage inconsistent with its figures"),
    Mutation(W23, "其他公共安全支出（项）”110.23万元", "其他公共安全支出（项）”110.28万元", "N501", "a 项 amount off in the last digit"),
    Mutation(W23, "“卫生健康支出（类）计划生育事务（款）", "“医疗卫生与计划生育支出（类）计划生育事务（款）", "N506", "an old 类 name (2018)"),
    Mutation(W23, "公务接待费1.35万元。比2022年", "公务接待费2.35万元。比2022年", "N501", "a 三公 item that no longer adds up"),
    Mutation(CZJ25, "”166.66万元，主要用于信息系统", "”166.06万元，主要用于信息系统", "N501", "a 项 amount off by one digit"),
    Mutation(CZJ25, "机关运行经费预算为229.43万元", "机关运行经费预算为2,294,300万元", "N502", "万元 written for 元 (机关运行经费)"),
    Mutation(SWW, "科技条件专项（项）”1,720.00万元", "科技条件专项（项）”1,270.00万元", "N501", "a 项 amount with two digits swapped"),
    Mutation(SWW, "50.00万，合计1170.00万", "50.00万，合计1107.00万", "N507", "a project total quoted twice with two values"),
)


def findings(stem: str, body: str) -> set[tuple[str, str, str]]:
    """(rule, paragraph, figure) of every error and warning of the N-rules on a text."""
    data = reviewed(stem)
    book, _ = workbook(stem)
    previous = workbook(data["previous"])[0] if data.get("previous") else None
    a = assess(extract(paragraphs_from_text(body)), book, previous)
    return {
        (x.rule, x.claim.where.cell, x.claim.figure) for x in a.checks
        if x.severity in (Severity.ERROR, Severity.WARNING)
    }


def test_twenty_mutations_of_every_kind() -> None:
    assert len(MUTATIONS) == 20
    assert {m.rule for m in MUTATIONS} >= {"N501", "N502", "N503", "N504", "N506", "N507"}


@pytest.mark.parametrize("m", MUTATIONS, ids=lambda m: m.id)
def test_mutation_found_at_its_sentence_and_nowhere_else(m: Mutation) -> None:
    body = text(m.stem)
    assert body.count(m.old) == 1, "the mutation must edit one place"
    before = findings(m.stem, body)
    after = findings(m.stem, body.replace(m.old, m.new))
    new = after - before
    gone = before - after
    edited = {p.where_cell for p in _paragraphs_with(body.replace(m.old, m.new), m.new)}
    assert any(rule == m.rule for rule, _, _ in new), (m, new)
    assert {cell for _, cell, _ in new} <= edited, (new, edited)
    assert {cell for _, cell, _ in gone} <= edited, gone


@dataclass(frozen=True)
class _Where:
    where_cell: str


def _paragraphs_with(body: str, snippet: str) -> list[_Where]:
    """The finding address of the paragraph that holds the edit."""
    from gongkai.core.claims import number

    out = []
    for p in number(paragraphs_from_text(body)):
        if snippet.replace("\n", "") in p.text.replace("\n", ""):
            cell = f"第{p.page}页第{p.on_page}段" if p.page is not None else f"第{p.index}段"
            out.append(_Where(cell))
    assert out, "edit not found in any paragraph"
    return out
