"""The assessment behind the N-rules (`narrative`): every claim of a 说明 against the figures of the tables.

`assess` compares the `core.claims` of a narrative with the figures of the recognised tables (`Figures`) and, given
last year's document, with last year's figures; it records for every claim whether it agrees, is wrong, or could
not be checked and why. See `narrative` for where a finding points and the tolerance (舍位).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..core.claims import Claim, Claims, Subject, Unchecked, Where  # noqa: F401  (named by `narrative` too)
from ..core.findings import Severity
from ..core.model import Book
from .narrative_figures import OLD_CLASS_NAMES, OLD_SUB_NAMES, Figure, Figures, Missing, name_key

ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --------------------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One comparison made for a claim: which rule, the verdict (None = agrees), the message and the cells."""

    rule: str
    claim: Claim
    severity: Severity | None
    message: str = ""
    related: tuple[str, ...] = ()
    expected: Decimal | None = None
    actual: Decimal | None = None
    table: str | None = None


@dataclass
class Assessment:
    """Every claim of a text with its checks, and what was not checked (by claim, with the reason)."""

    claims: Claims
    checks: list[Check] = field(default_factory=list)
    missing: dict[int, str] = field(default_factory=dict)
    figures: dict[int, Figure] = field(default_factory=dict)
    """The table figure each amount claim was compared with."""

    def of(self, claim: Claim) -> list[Check]:
        return [c for c in self.checks if c.claim.n == claim.n]

    def status(self, claim: Claim) -> str:
        """"agrees", "wrong" (an error or warning), "note" (舍位 only) or "unchecked"."""
        checks = self.of(claim)
        if not checks:
            return "unchecked"
        if any(c.severity in (Severity.ERROR, Severity.WARNING) for c in checks):
            return "wrong"
        if any(c.severity == Severity.NOTE for c in checks):
            return "note"
        return "agrees"

    def summary(self) -> NarrativeSummary:
        statuses = [self.status(c) for c in self.claims.claims]
        unchecked = [
            (c.where, c.figure, self.missing.get(c.n, "没有可核对的数")) for c in self.claims.claims if self.status(c) == "unchecked"
        ]
        unchecked += [(u.where, u.figure, u.reason) for u in self.claims.unchecked]
        return NarrativeSummary(
            found=len(statuses) + len(self.claims.unchecked),
            checked=sum(s != "unchecked" for s in statuses),
            agreeing=sum(s in ("agrees", "note") for s in statuses),
            wrong=sum(s == "wrong" for s in statuses),
            unchecked=tuple(NotChecked(w.cell if w.in_sheet is None else w.address, w.marked(), fig, why) for w, fig, why in unchecked),
        )


@dataclass(frozen=True)
class NotChecked:
    """A figure of the text that was not checked: where, the sentence (figure marked), the figure and why."""

    cell: str
    sentence: str
    figure: str
    reason: str


@dataclass(frozen=True)
class NarrativeSummary:
    """What the report says of a 说明: figures found, checked, agreeing, wrong, and those not checked."""

    found: int
    checked: int
    agreeing: int
    wrong: int
    unchecked: tuple[NotChecked, ...] = ()

    @property
    def text(self) -> str:
        return (
            f"说明文字：找到 {self.found} 处数字，核对 {self.checked} 处，其中一致 {self.agreeing} 处、不符 {self.wrong} 处；"
            f"未核对 {self.found - self.checked} 处"
        )


def assess(claims: Claims, book: Book, previous: Book | None = None, previous_claims: Claims | None = None) -> Assessment:
    """Every claim of ``claims`` checked against ``book`` (and against last year's ``previous`` book)."""
    a = Assessment(claims)
    figures = Figures(book)
    prev = Figures(previous) if previous is not None else None
    for c in claims.claims:
        if c.kind in ("amount", "count"):
            _amount(a, c, figures)
    for c in claims.claims:
        if c.kind == "share":
            _share(a, c, figures)
        elif c.kind == "change":
            _change(a, c, figures, prev, claims, previous_claims)
        elif c.kind == "rate":
            _rate(a, c, figures)
    _twice(a)
    _parts(a)
    a.checks.sort(key=lambda x: (x.claim.where.paragraph, x.claim.n, x.rule))
    return a


# --- amounts ---------------------------------------------------------------------------------------------


def _amount(a: Assessment, c: Claim, figures: Figures) -> None:
    if c.year is not None and a.claims.year is not None and c.year != a.claims.year:
        a.missing[c.n] = f"是{c.year}年的数（上年数），本年表中没有"
        return
    found = figures.amount(c.subject, c.measure if c.kind == "amount" else "")
    if isinstance(found, Missing):
        a.missing[c.n] = found.reason
        if found.problem and not any(x.rule == "N508" and x.claim.subject == c.subject for x in a.checks):
            a.checks.append(Check("N508", c, Severity.WARNING, f"{_quote(c)}：{found.reason}，未能核对"))
        return
    a.figures[c.n] = found
    if c.subject.key == "功能":
        _wording(a, c, found)
    if c.kind == "count":
        if c.value == found.value:
            a.checks.append(Check("N501", c, None))
        else:
            a.checks.append(Check(
                "N501", c, Severity.ERROR,
                f"{_quote(c)}：文中为 {c.figure}，表中{found.label}为 {found.value:f} 个", found.cells, found.value, c.value,
            ))
        return
    verdict = agree(c.value, c.decimals, c.unit_size, found.value, found.bound)
    if verdict is None:
        a.checks.append(Check("N501", c, None, related=found.cells))
        return
    for factor, what in ((Decimal("0.0001"), "把元写成了万元：文中的数是元"), (Decimal(10000), "把万元写成了元：文中的数是万元")):
        if c.unit in ("元", "万元") and _significant(c.figure) >= 3 and agree(c.value * factor, c.decimals, c.unit_size * factor, found.value, found.bound) is None:
            a.checks.append(Check(
                "N502", c, Severity.ERROR,
                f"{_quote(c)}：单位疑似写错（{what}）：表中{found.label}为 {_printed(found)}",
                found.cells, found.value, c.value, _table(found),
            ))
            return
    diff = c.value - found.value
    a.checks.append(Check(
        "N501", c, verdict,
        f"{_quote(c)}：文中为 {c.figure}，表中{found.label}为 {_printed(found)}，文中{'多' if diff > 0 else '少'} {_wan(abs(diff))}"
        + ("（舍位差）" if verdict == Severity.NOTE else ""),
        found.cells, found.value, c.value, _table(found),
    ))


def _significant(figure: str) -> int:
    """Significant digits of a printed figure ("0.30万元" → 2): a unit mix-up needs at least three to be evidence."""
    digits = "".join(ch for ch in figure if ch.isdigit()).lstrip("0")
    return len(digits)


def agree(
    value: Decimal, decimals: int, unit: Decimal, table: Decimal, bound: Decimal = ZERO, slack: Decimal = ZERO
) -> Severity | None:
    """None when ``value`` (printed with ``decimals``, one unit of its last digit = ``unit`` 万元) is ``table`` rounded
    or cut to that precision (widened by ``slack``: a difference of figures each rounded first); NOTE within the
    table's own 舍位 ``bound`` beyond that; ERROR otherwise."""
    half = unit / 2 + slack
    diff = value - table
    if -half <= diff <= half or (bound == 0 and -unit - slack < diff <= 0):
        return None
    if -unit - bound < diff <= half + bound:
        return Severity.NOTE
    return Severity.ERROR


def _wording(a: Assessment, c: Claim, fig: Figure) -> None:
    """N506: the 类/款/项 names as written against the names the table prints (and the old names of the list)."""
    written = list(c.subject.names)
    levels = list(c.subject.levels)
    notes: list[str] = []
    if written and name_key(written[0]) in OLD_CLASS_NAMES:
        _, new = OLD_CLASS_NAMES[name_key(written[0])]
        notes.append(f"「{written[0]}」是旧的类名称，{a.claims.year or '现行'}年科目为「{new}」")
    if len(written) > 1 and fig.code:
        old = OLD_SUB_NAMES.get((fig.code[:3], name_key(written[1])))
        if old:
            notes.append(f"「{written[1]}」是旧的款名称，现行科目为「{old}」")
    table_path = list(fig.path)
    if not notes and table_path:
        depth = {"类": 0, "款": 1, "项": 2}
        wrong = []
        for name, level in zip(written, levels, strict=True):
            i = depth[level]
            if i >= len(table_path) or name_key(name) != name_key(table_path[i]):
                wrong.append(f"{name}（{level}）")
        if wrong or len(written) != len(table_path):
            right = "".join(f"{n}（{lv}）" for n, lv in zip(table_path, ("类", "款", "项"), strict=False))
            notes.append(f"科目写作「{c.subject.label}」，表中为「{right}」（{fig.code}）")
    said = any(
        x.rule == "N506" and x.severity is not None and x.claim.where.paragraph == c.where.paragraph
        and x.claim.subject.names == c.subject.names for x in a.checks
    )
    if notes and not said:  # once per paragraph: the item's later sentences name it again
        a.checks.append(Check("N506", c, Severity.WARNING, f"{_quote(c)}：" + "；".join(notes), fig.cells, table=None))
    elif notes:
        a.checks.append(Check("N506", c, None))
    else:
        a.checks.append(Check("N506", c, None))


# --- shares, rates ----------------------------------------------------------------------------------------


def _share(a: Assessment, c: Claim, figures: Figures) -> None:
    part = a.claims.get(c.of)
    whole = a.claims.get(c.base)
    if part is None:
        a.missing[c.n] = "未能判断占比的分子"
        return
    denominator: _Denominator | None
    if whole is not None:
        denominator = (whole.value, whole.unit_size), f"{whole.subject.label}{whole.figure}", (whole.where.address,)
    else:
        denominator = _from_tables(figures.amount(c.whole, part.measure)) if c.whole is not None else None
    if denominator is None:
        a.missing[c.n] = "未能判断占比的分母"
        return
    _judge_ratio(a, c, "N503", "占比", part, f"{part.subject.label}{part.figure}", *denominator, "分母为0，占比无法计算")


def _rate(a: Assessment, c: Claim, figures: Figures) -> None:
    actual = a.claims.get(c.of)
    plan = a.claims.get(c.base)
    if actual is None:
        a.missing[c.n] = "未能判断执行率所指"
        return
    denominator: _Denominator | None
    if plan is not None:
        denominator = (plan.value, plan.unit_size), f"年初预算{plan.figure}", ()
    else:
        denominator = _from_tables(figures.amount(actual.subject, "年初预算"))
    if denominator is None:
        a.missing[c.n] = "文中和表中都没有这一项的预算数"
        return
    _judge_ratio(a, c, "N509", "执行率", actual, actual.figure, *denominator, "预算数为0，执行率无法计算")


_Denominator = tuple[tuple[Decimal, Decimal], str, tuple[str, ...]]
"""(value, printed unit), how a message names it, the cells it cites."""


def _from_tables(found: object) -> _Denominator | None:
    """A denominator the tables hold (its 舍位 as its unit), or None when they do not."""
    if not isinstance(found, Figure):
        return None
    return (found.value, Decimal("0.0001") + found.bound), f"{found.label} {_money(found.value)}", found.cells


def _judge_ratio(
    a: Assessment, c: Claim, rule: str, what: str, part: Claim, part_text: str, whole: tuple[Decimal, Decimal],
    whole_label: str, related: tuple[str, ...], zero: str,
) -> None:
    """The percentage ``c`` against part ÷ whole (value, printed unit), each rounded or cut as printed: checked, an
    error naming both amounts, or why it cannot be judged (``zero``: the whole can be 0)."""
    lo, hi = ratio_range(part.value, part.unit_size, *whole)
    if lo is None or hi is None:
        a.missing[c.n] = zero
        return
    if within(c.value, c.unit_size, lo, hi):
        a.checks.append(Check(rule, c, None))
        return
    computed = _pct(part.value / whole[0] * HUNDRED) if whole[0] else "—"
    a.checks.append(Check(
        rule, c, Severity.ERROR, f"{_quote(c)}：{what}与所述金额不符：{part_text} ÷ {whole_label} = {computed}，文中为 {c.figure}",
        related, None, c.value,
    ))


def ratio_range(part: Decimal, part_unit: Decimal, whole: Decimal, whole_unit: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """The percentages part/whole can be when each was rounded or cut to its printed unit (None: whole can be 0)."""
    p_lo, p_hi = max(part - part_unit / 2, ZERO), part + part_unit
    w_lo, w_hi = whole - whole_unit / 2, whole + whole_unit
    if w_lo <= 0:
        return None, None
    return p_lo / w_hi * HUNDRED, p_hi / w_lo * HUNDRED


def within(pct: Decimal, unit: Decimal, lo: Decimal, hi: Decimal) -> bool:
    """A printed percentage (one unit of its last digit = ``unit``) can come from a value in [lo, hi]: rounded, the
    value lies in [pct - unit/2, pct + unit/2]; cut (9.5575% printed 9.55%), in [pct, pct + unit)."""
    return lo < pct + unit and hi >= pct - unit / 2


# --- changes --------------------------------------------------------------------------------------------


def _change(
    a: Assessment, c: Claim, figures: Figures, prev: Figures | None, claims: Claims, previous_claims: Claims | None
) -> None:
    cur = a.claims.get(c.of)
    base = a.claims.get(c.base)
    did = False
    if cur is not None and base is not None:
        did = _change_stated(a, c, cur, base) or did
    pair = a.claims.get(c.pair)
    if cur is not None and pair is not None and c.unit == "%" and pair.unit != "%":
        did = _change_pair(a, c, cur, pair) or did
    if cur is not None and c.unit != "%" and c.direction == 1 and cur.value + cur.unit_size < c.value:
        a.checks.append(Check(
            "N504", c, Severity.ERROR,
            f"{_quote(c)}：{cur.subject.label}本年为 {cur.figure}，不可能比上年增加 {c.figure}（上年将为负数）",
            (cur.where.address,), None, c.value,
        ))
        did = True
    if prev is not None:
        did = _change_previous(a, c, cur, figures, prev) or did
    if not did:
        if c.unit == "%" and base is not None and base.value == 0:
            a.missing[c.n] = "上年为0，增幅无法计算"
        elif prev is None:
            a.missing[c.n] = "需要上年的文件（--previous）才能核对"
        else:
            a.missing.setdefault(c.n, "没有可核对的上年数")


def _change_stated(a: Assessment, c: Claim, cur: Claim, base: Claim) -> bool:
    """N504: a change against the base and current figures the sentence itself states."""
    if c.unit == "%":
        if base.value == 0:
            a.missing[c.n] = "上年为0，增幅无法计算"
            return False
        diff = cur.value - base.value
        lo, hi = ratio_range(abs(diff), cur.unit_size + base.unit_size, base.value, base.unit_size)
        sign_ok = (c.direction == 0 and abs(diff) <= cur.unit_size) or (c.direction != 0 and (diff > 0) == (c.direction > 0)) or diff == 0
        ok = sign_ok and (c.direction == 0 or (lo is not None and hi is not None and within(c.value, c.unit_size, lo, hi)))
        if ok:
            a.checks.append(Check("N504", c, None))
        else:
            computed = _pct(diff / base.value * HUNDRED)
            a.checks.append(Check(
                "N504", c, Severity.ERROR,
                f"{_quote(c)}：增减幅度与文中金额不符：上年 {base.figure}、本年 {cur.figure}，应为{_dir(diff)} {computed}，"
                f"文中为{_dir_word(c)} {c.figure}",
                (base.where.address, cur.where.address), None, c.value,
            ))
        return True
    expected = cur.value - base.value
    if agree(c.signed, c.decimals, c.unit_size, expected) is None:
        a.checks.append(Check("N504", c, None))
    else:
        a.checks.append(Check(
            "N504", c, Severity.ERROR,
            f"{_quote(c)}：增减额与文中金额不符：上年 {base.figure}、本年 {cur.figure}，应为{_dir(expected)} {_wan(abs(expected))}",
            (base.where.address,), expected, c.signed,
        ))
    return True


def _change_pair(a: Assessment, c: Claim, cur: Claim, amount: Claim) -> bool:
    """N504: 增加 X万元，增长 Y%: Y must be X over last year's figure (this year's less X)."""
    base = cur.value - amount.signed
    if base <= 0:
        a.missing[c.n] = "上年为0或无法推算，增幅无法计算"
        return False
    lo, hi = ratio_range(amount.value, amount.unit_size, base, cur.unit_size + amount.unit_size)
    ok = (c.direction == amount.direction) and lo is not None and hi is not None and within(c.value, c.unit_size, lo, hi)
    if ok:
        a.checks.append(Check("N504", c, None))
        return True
    computed = _pct(amount.value / base * HUNDRED)
    a.checks.append(Check(
        "N504", c, Severity.ERROR,
        f"{_quote(c)}：增减幅度与增减额不符：本年 {cur.figure}，{_dir_word(amount)} {amount.figure}，"
        f"即上年 {_wan(base)}，应为{_dir_word(amount)} {computed}，文中为{_dir_word(c)} {c.figure}",
        (amount.where.address, cur.where.address), None, c.value,
    ))
    return True


def _change_previous(a: Assessment, c: Claim, cur: Claim | None, figures: Figures, prev: Figures) -> bool:
    """N505: a change on last year against last year's document (``--previous``)."""
    year = a.claims.year
    if c.base_year is not None and year is not None and c.base_year != year - 1:
        a.missing[c.n] = f"比较的是{c.base_year}年，不是上一年"
        return False
    if c.base_measure == "执行数" and prev.kind != "final":
        a.missing[c.n] = "与上年执行数比较，上年的预算文件中没有执行数"
        return False
    measure = "决算" if prev.kind == "final" else "预算"
    last = prev.amount(c.subject, measure)
    if isinstance(last, Missing):
        a.missing[c.n] = f"上年文件：{last.reason}"
        return False
    now_fig = a.figures.get(cur.n) if cur is not None else None
    if now_fig is None:
        found = figures.amount(c.subject, "")
        now_fig = found if isinstance(found, Figure) else None
    if now_fig is not None:
        now, now_unit, now_cells = now_fig.value, now_fig.bound, now_fig.cells
    elif cur is not None:
        now, now_unit, now_cells = cur.value, cur.unit_size, (cur.where.address,)
    else:
        a.missing[c.n] = "本年数未知"
        return False
    expected = now - last.value
    related = (*now_cells, *(f"上年:{x}" for x in last.cells))
    what = f"本年 {_money(now)}，上年{last.label} {_money(last.value)}"
    if c.unit == "%":
        if last.value == 0:
            a.missing[c.n] = "上年为0，增幅无法计算"
            return False
        step = Decimal("0.01")  # the text may work from figures rounded to 0.01 万元
        lo, hi = ratio_range(abs(expected), now_unit + last.bound + 2 * step, last.value, last.bound + step)
        ok = (expected == 0 or (expected > 0) == (c.direction > 0)) and lo is not None and hi is not None and within(c.value, c.unit_size, lo, hi)
        shown = _pct(abs(expected) / last.value * HUNDRED)
    else:
        ok = agree(c.signed, c.decimals, c.unit_size, expected, now_unit + last.bound, slack=c.unit_size) is None
        shown = _wan(abs(expected))
    if c.direction == 0:
        ok = agree(ZERO, 2, Decimal("0.01"), expected, now_unit + last.bound, slack=Decimal("0.01")) is None
    if ok:
        a.checks.append(Check("N505", c, None, related=related))
    else:
        said = "持平" if c.direction == 0 else f"{_dir_word(c)} {c.figure}"
        a.checks.append(Check(
            "N505", c, Severity.ERROR,
            f"{_quote(c)}：与上年文件不符：{what}，应为{_dir(expected)} {shown}，文中为{said}",
            related, expected if c.unit != "%" else None, c.signed if c.unit != "%" else c.value,
        ))
    return True


# --- a figure said twice, parts of a total ----------------------------------------------------------------

_NOT_TWICE = ("项目/用款计划", "政府采购/中标", "资产", "?")


def _twice(a: Assessment) -> None:
    """N507: the same figure (subject, measure, year) given twice with values that cannot both be right."""
    first: dict[tuple[Subject, str, int | None], Claim] = {}
    for c in a.claims.claims:
        if c.kind != "amount" or c.subject.key in _NOT_TWICE:
            continue
        key = (_twice_key(c.subject), c.measure, c.year)
        seen = first.get(key)
        if seen is None:
            first[key] = c
            continue
        if agree(c.value, c.decimals, max(c.unit_size, seen.unit_size), seen.value) is None:
            continue
        a.checks.append(Check(
            "N507", c, Severity.ERROR,
            f"{_quote(c)}：{c.subject.label}前文（{seen.where.cell}）为 {seen.figure}，此处为 {c.figure}，两处不一致",
            (seen.where.address,), seen.value, c.value,
        ))


def _twice_key(s: Subject) -> Subject:
    if s.key == "功能":
        return Subject("功能", tuple(name_key(n) for n in s.names), s.levels, "")
    return Subject(s.key, s.names, (), "")


PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("三公/合计", ("三公/因公出国(境)费", "三公/公务用车购置及运行费", "三公/公务接待费")),
    ("三公/公务用车购置及运行费", ("三公/公务用车购置费", "三公/公务用车运行费")),
    ("政府采购/合计", ("政府采购/货物", "政府采购/工程", "政府采购/服务")),
    ("收入总计", ("财政拨款收入", "事业收入", "经营收入", "其他收入")),
    ("本年支出合计", ("基本支出", "项目支出")),
    ("一般公共预算基本支出", ("人员经费", "公用经费")),
)
"""Totals the text states with all their parts (其中：…), which must add up."""


def _parts(a: Assessment) -> None:
    """N510: a total and its parts as the text states them (三公, 政府采购, 收入 sources, a project's 其中)."""
    cs = [c for c in a.claims.claims if c.kind == "amount" and c.year == a.claims.year]
    for total_key, part_keys in PARTS:
        for t in (c for c in cs if c.subject.key == total_key):
            near = [c for c in cs if c.n > t.n and c.where.paragraph - t.where.paragraph <= 3 and c.measure == t.measure]
            parts = []
            for k in part_keys:
                hit = next((c for c in near if c.subject.key == k), None)
                if hit is None:
                    break
                parts.append(hit)
            if len(parts) == len(part_keys):
                _sum_check(a, t, parts)
    # a project's parts and its 合计, and the projects listed under the 绩效目标 total
    by_project: dict[str, list[Claim]] = {}
    for c in cs:
        if c.subject.key == "项目" and c.subject.names:
            by_project.setdefault(c.subject.names[0] + f"#{c.where.paragraph}", []).append(c)
    for group in by_project.values():
        totals = [c for c in group if c.subject.names[1:2] == ("合计",)]
        parts = [c for c in group if c.subject.names[1:2] != ("合计",)]
        if totals and len(parts) >= 2:
            for t in totals:
                _sum_check(a, t, parts)
    for t in (c for c in cs if c.subject.key == "绩效目标/资金"):
        count = next((c for c in a.claims.claims if c.kind == "count" and c.subject.key == "绩效目标/项目数" and c.where.paragraph == t.where.paragraph), None)
        parts = [c for c in cs if c.subject.key == "项目" and c.where.paragraph == t.where.paragraph and c.n > t.n]
        if count is not None and parts and len(parts) == int(count.value):
            _sum_check(a, t, parts)


def _sum_check(a: Assessment, total: Claim, parts: Sequence[Claim]) -> None:
    wrong = {x.claim.n for x in a.checks if x.severity == Severity.ERROR and x.rule in ("N501", "N502")}
    if total.n in wrong or any(p.n in wrong for p in parts):
        return  # a figure already wrong against its table: the sum would only repeat that finding elsewhere
    s = sum((p.value for p in parts), ZERO)
    diff = total.value - s
    tol = total.unit_size + sum((p.unit_size for p in parts), ZERO)
    if diff == 0:
        a.checks.append(Check("N510", total, None))
        a.checks.extend(Check("N510", p, None) for p in parts)  # the parts agree with the total they add up to
        return
    severity = Severity.NOTE if abs(diff) <= tol else Severity.ERROR
    listed = " + ".join(p.figure for p in parts)
    a.checks.append(Check(
        "N510", total, severity,
        f"{_quote(total)}：{total.subject.label} {total.figure} 与其中各项之和（{listed} = {_wan(s)}）相差 {_wan(diff)}"
        + ("（舍位差）" if severity == Severity.NOTE else ""),
        tuple(p.where.address for p in parts), s, total.value,
    ))


# --------------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------------


def _quote(c: Claim) -> str:
    return f"「{c.where.marked()}」"


def _money(wan: Decimal) -> str:
    """A table figure in 万元 for a message: "18,976.7551万元"; whole 万元 figures with two decimals."""
    exponent = wan.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{wan:,.{places}f}万元"


def _printed(fig: Figure) -> str:
    """A table figure as the table prints it, with its 万元 value: "2,206,272元（220.63万元）", "37.91万元"."""
    if fig.unit == "元":
        yuan = (fig.value * 10000).normalize()
        exponent = yuan.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return f"{yuan:,.{places}f}元（{_wan(fig.value)}）"
    return _money(fig.value)


def _wan(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,}万元" if abs(value) >= Decimal("0.01") or value == 0 else f"{value.normalize():f}万元"


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def _dir(diff: Decimal) -> str:
    return "增加" if diff > 0 else "减少" if diff < 0 else "持平"


def _dir_word(c: Claim) -> str:
    return "增加" if c.direction > 0 else "减少" if c.direction < 0 else "持平"


def _table(fig: Figure) -> str | None:
    return None
