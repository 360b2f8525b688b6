"""N5xx: the 说明 text against the tables — every amount, share and change the narrative quotes.

`assess` compares the `core.claims` of a narrative with the figures of the recognised tables (`Figures`) and, given
last year's document, with last year's figures; it records for every claim whether it agrees, is wrong, or could
not be checked and why. The N-rules turn that into findings; a rule never guesses: what the text does not say
clearly, or what the tables do not hold, is listed as not checked.

Where a narrative finding points: ``sheet`` is "说明", ``cell`` the paragraph ("第12页第3段"; "第3段" for a plain
text); in a workbook's own 说明 sheet (`Book.text`: the 上海 platform exports 部门编制说明, 其他相关情况说明 …) the
sheet and cell that hold the sentence. ``related`` are the cells compared with ("表1!B14"), and the message quotes
the sentence with the figure marked 【…】.

Tolerance (舍位): a figure of the text printed with *d* decimals agrees with the table when it is the table value
rounded or cut to *d* decimals; the table's own 舍位 (0.005 万元 per cell of a 万元 table) widens that into a note.
A share or a percentage agrees when some values within those bounds give it.

This module registers the rules; the assessment lives in `narrative_assess` (with `core.claims` and
`narrative_figures`), imported the first time one of its names is asked for here: a workbook's check registers the
N-rules and never runs them, so it imports none of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.findings import Finding, Severity
from ..core.model import Book
from ..core.profile import Profile
from .registry import RULES, Context, rule

if TYPE_CHECKING:
    from ..core.claims import Unchecked, Where
    from .narrative_assess import Assessment, Check, NarrativeSummary, NotChecked, agree, assess

NARRATIVE = "说明"
"""The rules' table list: no recognised table has this id, so `checks.run` never runs them on a book alone."""


# --------------------------------------------------------------------------------------------------------
# Rules: each yields the findings of its id from the assessment the context carries
# --------------------------------------------------------------------------------------------------------


@dataclass
class NarrativeContext(Context):
    """The context of the N-rules: the assessment of the text (made once, shared by the rules)."""

    assessment: Assessment | None = None


def _findings(ctx: Context, rule_id: str) -> Iterator[Finding]:
    if not isinstance(ctx, NarrativeContext) or ctx.assessment is None:
        return
    for x in ctx.assessment.checks:
        if x.rule != rule_id or x.severity is None:
            continue
        yield ctx.finding(
            None, x.claim.where.cell, x.message, severity=x.severity, related=x.related, expected=x.expected,
            actual=x.actual, sheet=x.claim.where.sheet,
        )


@rule("N501", "说明中的金额与表中数字一致", tables=(NARRATIVE,), book=True)
def amount_matches_table(book: Book, ctx: Context) -> Iterator[Finding]:
    """说明 quotes a figure (收入预算18,976.76万元, “一般公共服务支出（类）…（项）”43.83万元, “三公”经费37.91万元, 机关运行经费,
    编报绩效目标的项目资金) and the table that holds it must give the same figure, the unit converted (元 → 万元) and
    the text's figure being the table value rounded or cut to the printed decimals. A difference within the table's
    own 舍位 (0.005 万元 per cell of a 万元 table) is a note.

    Example: text 「涉及项目预算资金3328.13万元」 while the five 项目绩效目标表 give 33,513,343 元 = 3,351.33 万元 → error.
    """
    return _findings(ctx, "N501")


@rule("N502", "说明中的金额单位与表一致（元/万元）", tables=(NARRATIVE,), book=True)
def unit_matches_table(book: Book, ctx: Context) -> Iterator[Finding]:
    """The figure differs from the table but matches it times 10,000 or divided by 10,000: 万元 written for 元 (or the
    reverse). Only a figure of three significant digits or more is taken as evidence of a unit slip.

    Example: 「公务接待费13,500万元」 while the 三公 table gives 1.35 万元 (13,500 元) → error.
    """
    return _findings(ctx, "N502")


@rule("N503", "占比与所述金额一致", tables=(NARRATIVE,), book=True)
def share_matches_parts(book: Book, ctx: Context) -> Iterator[Finding]:
    """占 X% must be the part over the whole the sentence names (the total it opened with, 其中：…, or 占本年支出合计的):
    X is checked against every part/whole the printed figures can stand for (each rounded or cut to its decimals).

    Example: 「一般公共预算财政拨款支出2940.05万元 … 一般公共服务支出（类）2106.66万元，占71.73%」: 2106.66 ÷ 2940.05 =
    71.65% → error.
    """
    return _findings(ctx, "N503")


@rule("N504", "增减额、增减幅度与所述金额一致", tables=(NARRATIVE,), book=True)
def change_is_consistent(book: Book, ctx: Context) -> Iterator[Finding]:
    """A change must agree with the figures the text gives for it: 增加 X万元，增长 Y% needs Y = X ÷ (this year - X);
    上年执行数为 A，本年预算安排 B，增加 Y% needs Y = (B - A) ÷ A; 持平 needs A = B; and nothing that is 0 this year
    can have risen (「政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元」 → error).
    """
    return _findings(ctx, "N504")


@rule("N505", "比上年的增减与上年文件一致", tables=(NARRATIVE,), book=True)
def change_matches_previous(book: Book, ctx: Context) -> Iterator[Finding]:
    """With last year's document (``gongkai check THIS --previous LAST``), every 比上年/比2024年预算 claim is checked
    against the two years' table figures: the change amount must be this year's figure less last year's (each within
    its 舍位), a percentage that change over last year's figure, 持平 the two equal.

    Example: 2025 「“三公”经费预算数为37.91万元，比2024年预算减少10万元」 with 2024's 三公 table 47.91 万元 → agrees;
    「减少12万元」 would be an error.
    """
    return _findings(ctx, "N505")


@rule("N506", "类/款/项名称与表和现行科目一致", tables=(NARRATIVE,), book=True, severity=Severity.WARNING)
def subject_names_are_current(book: Book, ctx: Context) -> Iterator[Finding]:
    """The 类/款/项 names the text quotes must be those the table prints for that 科目 (and the year's 政府收支分类
    科目): an old 类 name (医疗卫生与计划生育支出 for 卫生健康支出, 文化体育与传媒支出 for 文化旅游体育与传媒支出)
    or a name at the wrong level is a wording warning; the amount is still compared with the 科目 meant.

    Example: 「“卫生健康支出（类）卫生健康支出（款）计划生育事务（项）”20.00万元」 while the table has 210 卫生健康支出 /
    21007 计划生育事务 / 2100717 计划生育服务 → warning.
    """
    return _findings(ctx, "N506")


@rule("N507", "同一数字前后一致", tables=(NARRATIVE,), book=True)
def figure_said_once(book: Book, ctx: Context) -> Iterator[Finding]:
    """The same figure (the same subject, measure and year) given twice in the text with two values.

    Example: 「“…职业年金缴费支出（项）”220.63万元 … 2023年预算安排441.25万元」 → error at the second.
    """
    return _findings(ctx, "N507")


@rule("N508", "文中科目在表中能找到", tables=(NARRATIVE,), book=True, severity=Severity.WARNING)
def subject_in_tables(book: Book, ctx: Context) -> Iterator[Finding]:
    """A 类/款/项 the text quotes that no recognised function table holds (neither by its names nor by the deepest
    name within its 类): the text speaks of a 科目 the tables do not show.

    Example: 「“教育支出（类）其他教育支出（款）其他教育支出（项）”25.00万元」 with no 205 rows in the tables → warning.
    """
    return _findings(ctx, "N508")


@rule("N509", "执行率与所述金额一致", tables=(NARRATIVE,), book=True)
def rate_matches(book: Book, ctx: Context) -> Iterator[Finding]:
    """完成年初预算的 X% (执行率) must be the 决算 over the 年初预算 the text (or the table) gives.

    Example: 「年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%」 agrees; 「…的96.20%」 → error.
    """
    return _findings(ctx, "N509")


@rule("N510", "合计与其中各项之和一致", tables=(NARRATIVE,), book=True)
def parts_add_up(book: Book, ctx: Context) -> Iterator[Finding]:
    """A total the text states with all its parts must equal their sum: 三公 = 出国 + 车 + 接待, 车 = 购置 + 运行,
    政府采购 = 货物 + 工程 + 服务, 收入 = its sources, a project's 合计 = its parts, the 绩效目标 total = the projects
    it lists. A difference within one unit of each printed figure is a 舍位 note.

    Example: 「政府采购预算4821.20万元，其中：货物57.43万元、工程3780.72万元、服务983.05万元」 agrees.
    """
    return _findings(ctx, "N510")


NARRATIVE_RULES = tuple(r for r in RULES if r.startswith("N5"))


def run_narrative(
    assessment: Assessment, book: Book, profile: Profile | None = None, select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """The N-rule findings of an assessment, in text order (select/ignore by id prefix, the profile's disabled rules)."""
    ctx = NarrativeContext(profile or Profile(), assessment=assessment)
    wanted = tuple(select) if select else None
    ignored = tuple(ignore)
    out: list[Finding] = []
    for rid, r in RULES.items():
        if not rid.startswith("N5"):
            continue
        if (wanted is not None and not rid.startswith(wanted)) or (ignored and rid.startswith(ignored)) or not ctx.profile.enabled(rid):
            continue
        ctx.rule = r
        out.extend(r.func(book, ctx))
    paragraph = {(x.rule, x.claim.where.address, x.message): x.claim.where.paragraph for x in assessment.checks}
    # text order (a workbook's cell may hold the whole 说明), then rule; stable: sentence order within a rule
    return sorted(out, key=lambda f: (paragraph.get((f.rule, f"{f.sheet}!{f.cell}", f.message), 0), f.rule))


def check_text(
    book: Book, paragraphs: Iterable[object], previous: Book | None = None, profile: Profile | None = None,
    select: Iterable[str] | None = None, ignore: Iterable[str] = (),
) -> tuple[list[Finding], NarrativeSummary]:
    """The N-rule findings of a narrative against its book (and last year's book), with the assessment's summary."""
    from ..core.claims import extract
    from .narrative_assess import assess

    assessment = assess(extract(paragraphs), book, previous)
    return run_narrative(assessment, book, profile, select, ignore), assessment.summary()


def own_text(book: Book) -> list[object]:
    """The paragraphs of a workbook's own 说明 sheets (`Book.text`), each at its sheet and cell."""
    from ..core.claims import paragraphs_of_cells

    return list(paragraphs_of_cells(book.text))


def __getattr__(name: str) -> Any:
    """The assessment's names (`narrative_assess`), and ``Unchecked`` and ``Where`` of `core.claims`, imported the
    first time one is asked for."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import narrative_assess

    try:
        return getattr(narrative_assess, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


__all__ = [
    "Assessment", "Check", "NarrativeContext", "NarrativeSummary", "NotChecked", "Unchecked", "Where", "agree",
    "assess", "check_text", "own_text", "run_narrative",
]
