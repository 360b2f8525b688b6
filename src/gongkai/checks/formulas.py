"""What a workbook's formulas tell: a SUM that leaves out a number stored as text (S109), and the number typed over a
formula behind a broken total (the S101–S106 messages say which cell). Pure: the formulas come read
(`core.formulas.SheetFormulas`, from `read/formulas.py`).

The other rules read cached values only. These need the formulas, which cost a second look at the sheets' XML, so
they run after the rules, in `pipeline.py`, and only when there is something to explain: a number stored as text
(S109) or a sum finding (S101–S106) on a sheet (`sheets_needed`). `registry.run` calls S109 like any rule and it
finds nothing there (no formulas in its context): its findings come from `run_formulas`, which has them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.addresses import cell_position
from ..core.amounts import UNIT_FACTORS, show
from ..core.findings import Finding, Severity
from ..core.formulas import SheetFormulas, summed_cells
from ..core.model import Book, Cell, Row, Table
from ..core.profile import Profile
from ..core.text import parse_number, to_decimal
from .registry import RULES, Context, in_order, rule, selected

SUM_RULES = ("S101", "S102", "S103", "S104", "S105", "S106")
"""The rules whose error findings name a total and its parts: one of those cells may be a typed-over formula."""
FLOAT_SLACK = Decimal("0.000001")
"""Binary floating point in a cached sum (0.1 + 0.2): never a 舍位 difference, always below this."""


@dataclass
class FormulaContext(Context):
    """The context of the formula rules: the formulas of the sheets that needed them, and each sheet's text numbers
    (A1 → (the text, its number in the sheet's unit))."""

    formulas: dict[str, SheetFormulas] = field(default_factory=dict)
    texts: dict[str, dict[str, tuple[str, Decimal]]] = field(default_factory=dict)


def _cells(table: Table) -> Iterator[tuple[Row | None, str, Cell]]:
    for row in table.rows:
        for key, cell in row.cells.items():
            yield row, key, cell
    for key, cell in table.fields.items():
        yield None, key, cell


def _has_text_number(table: Table) -> bool:
    """Whether any cell of the table holds a number stored as text (asked of every table of every workbook: the
    loops are plain, `_cells` would build a tuple per cell)."""
    for row in table.rows:
        for cell in row.cells.values():
            if cell.as_text:
                return True
    return any(cell.as_text for cell in table.fields.values())


def sheets_needed(
    book: Book, findings: Sequence[Finding], profile: Profile | None = None, select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> set[str]:
    """The sheets whose formulas would tell something: those holding a number stored as text (when S109 runs) and
    those with an error of a sum rule. Empty for a clean workbook, which then never has its formulas read."""
    profile = profile or Profile()
    out = {f.sheet for f in findings if f.rule in SUM_RULES and f.severity is Severity.ERROR}
    if selected("S109", profile, select, ignore):
        out |= {t.sheet for t in book.tables if t.sheet not in out and _has_text_number(t)}
    return out & set(book.sheets)


# ----------------------------------------------------------------------------------------------------------
# S109: a SUM that skips a number stored as text
# ----------------------------------------------------------------------------------------------------------


def _text_value(raw: object) -> Decimal | None:
    """The number a text cell shows, in the sheet's own unit ("1,672.81" → 1672.81, "50%" → 0.5)."""
    if not isinstance(raw, str):
        return None
    s = raw.strip()
    percent = s.endswith(("%", "％"))
    value = parse_number(s[:-1] if percent else s)
    return None if value is None else value / 100 if percent else value


@dataclass(frozen=True)
class LeftOut:
    """A SUM whose cached result is the sum of its numbers without the text numbers among its cells."""

    cell: str
    formula: str
    cached: Decimal
    full: Decimal
    """The sum with the text numbers counted, in the sheet's unit."""
    texts: tuple[tuple[str, str, Decimal], ...]
    """(cell, the text as written, its number) of each text number the SUM skipped."""


def left_out(
    ref: str, formula: str, sheet: str, sf: SheetFormulas, texts: dict[str, tuple[str, Decimal]], slack: Decimal,
) -> LeftOut | None:
    """The verdict on one formula cell: a SUM (or SUBTOTAL 9) over cells holding a text number ``texts`` (A1 →
    (text, number)), whose cached value equals the sum of its numeric cells — the text left out — and differs from
    the sum with it by more than ``slack``. None when the formula is no such SUM, has no cached number, counted
    the text (VALUE(), a tool that converts), or is off for some other reason (the sum rules speak of that)."""
    cells = summed_cells(formula, sheet)
    if cells is None or not any(c in texts for c in cells):
        return None
    cached_f = sf.numbers.get(ref)
    if cached_f is None:
        return None
    cached = to_decimal(cached_f)
    numeric = sum((to_decimal(sf.numbers[c]) for c in cells if c not in texts and c in sf.numbers), Decimal(0))
    skipped = [(c, *texts[c]) for c in cells if c in texts]
    full = numeric + sum((v for _, _, v in skipped), Decimal(0))
    slack = max(slack, FLOAT_SLACK)
    if abs(cached - numeric) > slack or abs(cached - full) <= slack:
        return None
    return LeftOut(ref, formula, cached, full, tuple(skipped))


def _left_out_message(x: LeftOut) -> str:
    first = {c: (t, v) for c, t, v in x.texts}  # each text cell once, however often the SUM names it
    named = "、".join(f"{c}「{t.strip()}」" for c, (t, _) in first.items())
    missing = x.full - x.cached
    amount = f"（共 {show(missing)}）" if len(x.texts) > 1 else ""
    cells = "、".join(first)
    return (
        f"{x.cell} 的求和公式 ={x.formula} 得出 {show(x.cached)}，没有计入存为文本的 {named}{amount}，计入后应为 "
        f"{show(x.full)}（Excel 求和会忽略文本；请把 {cells} 改为数值）"
    )


@rule("S109", "求和公式漏计存为文本的数字")
def sum_counts_text_numbers(table: Table, ctx: Context) -> Iterator[Finding]:
    """A total computed in the workbook by ``=SUM(…)`` (or ``SUBTOTAL(9, …)``) over a cell holding a number stored as
    text: Excel's SUM skips text, so the printed total is short by that number. An error when the total's cached
    value equals the sum of the numeric cells without the text number (within the table's 舍位 tolerance); nothing
    when the cached value counts it (the formula converts it with VALUE(), or the tool that saved it did).

    Needs the formulas: run after the value rules, on the sheets with a text number (`checks/formulas.py`); an .xls,
    an .ods and the Excel add-in (values only) are not checked. Source: TABLES.md's data hygiene list (a number
    stored as text) and the issue 19 list. Fails: D21 ``=SUM(D7:D20)`` shows 10,200.00 while D9 holds the text
    "1,672.81" — "D21 的求和公式 =SUM(D7:D20) 得出 10,200.00，没有计入存为文本的 D9「1,672.81」，计入后应为
    11,872.81…", at D21, D9 marked too. Passes: D9 holding the number 1672.81, or D21 showing 11,872.81.
    """
    if not isinstance(ctx, FormulaContext):
        return
    sf, texts = ctx.formulas.get(table.sheet), ctx.texts.get(table.sheet)
    if sf is None or not sf.formulas or not texts:
        return
    factor = UNIT_FACTORS.get(table.money_unit, Decimal(1))
    slack = ctx.tolerance(table, 1) / factor
    mine = {cell.ref for _, _, cell in _cells(table)}
    for ref in sorted(mine & sf.formulas.keys(), key=cell_position):
        x = left_out(ref, sf.formulas[ref], table.sheet, sf, texts, slack)
        if x is None:
            continue
        at = [f"{table.sheet}!{c}" for c in dict.fromkeys(c for c, _, _ in x.texts)]
        yield ctx.finding(
            table, ref, _left_out_message(x), related=at, expected=x.full * factor, actual=x.cached * factor,
        ).model_copy(update={"suspects": tuple(at)})


def text_numbers(book: Book, sheets: Iterable[str]) -> dict[str, dict[str, tuple[str, Decimal]]]:
    """The numbers stored as text on each of ``sheets``, in any table: sheet → A1 → (the text, its number)."""
    wanted = set(sheets)
    out: dict[str, dict[str, tuple[str, Decimal]]] = {}
    for t in book.tables:
        if t.sheet in wanted:
            for _, _, cell in _cells(t):
                if cell.as_text and (v := _text_value(cell.raw)) is not None:
                    out.setdefault(t.sheet, {})[cell.ref] = (str(cell.raw), v)
    return out


# ----------------------------------------------------------------------------------------------------------
# S101–S106: which cell of a broken total is a number typed over a formula
# ----------------------------------------------------------------------------------------------------------


def _parents(table: Table) -> set[int]:
    """Row numbers of the rows that total others: 合计 and unit rows, and 科目 rows whose code begins another's."""
    prefixes = {code[:i] for r in table.rows if (code := r.code) for i in range(1, len(code))}
    return {r.number for r in table.rows if r.kind in ("total", "unit") or (r.code is not None and r.code in prefixes)}


@dataclass(frozen=True)
class _Place:
    table: int
    """The table's place in the book."""
    row: Row
    cell: Cell
    parent: bool


@dataclass
class _Sheet:
    """The amount cells of a sheet's tables, by address and by role (table, total row or not, column)."""

    places: dict[str, _Place]
    roles: dict[tuple[int, bool, str], list[str]]


def _sheet(book: Book, sheet: str) -> _Sheet:
    places: dict[str, _Place] = {}
    roles: dict[tuple[int, bool, str], list[str]] = {}
    for i, table in enumerate(book.tables):
        if table.sheet != sheet:
            continue
        parents = _parents(table)
        for row in table.rows:
            for cell in row.cells.values():
                if isinstance(cell.value, Decimal) and cell.ref not in places:
                    place = places[cell.ref] = _Place(i, row, cell, row.number in parents)
                    roles.setdefault((i, place.parent, _column(cell.ref)), []).append(cell.ref)
    return _Sheet(places, roles)


def _column(ref: str) -> str:
    return ref.rstrip("0123456789")


def typed_over(ref: str, sheet: _Sheet, sf: SheetFormulas) -> str | None:
    """Why the number at ``ref`` looks typed over a formula, or None: it is a number, not a formula, while the cells
    of its role hold formulas — the other total rows' cells of its column (合计, unit and 科目 subtotal rows), the
    other detail rows' cells of its column, or, on a total row, the other amounts of its row. At least two such
    formulas, and twice as many as other numbers among those cells (a second typed-over cell does not hide the
    first)."""
    place = sheet.places.get(ref)
    if place is None or ref in sf.formulas or place.cell.as_text:
        return None
    peers = [r for r in sheet.roles[(place.table, place.parent, _column(ref))] if r != ref]
    formulas = sum(1 for r in peers if r in sf.formulas)
    if formulas >= 2 and formulas > 2 * (len(peers) - formulas):
        return "同列其他合计单元格是公式" if place.parent else "同列其他行的这一栏是公式"
    if place.parent:
        row = [c.ref for c in place.row.cells.values() if c.ref != ref and isinstance(c.value, Decimal)]
        if len(row) >= 2 and all(r in sf.formulas for r in row):
            return "同行其他金额单元格是公式"
    return None


def explain_sums(book: Book, findings: Sequence[Finding], formulas: dict[str, SheetFormulas]) -> list[Finding]:
    """The sum findings (S101–S106 errors) that involve a number typed over a formula, saying so: "……；表1-2!F6
    是手填的数字，同列其他合计单元格是公式，可能是改写公式所致", with that cell among the finding's ``suspects`` when
    it is not the finding's own cell (so it is marked too). Other findings are returned unchanged."""
    sheets: dict[str, _Sheet] = {}
    out = []
    for f in findings:
        sf = formulas.get(f.sheet)
        if f.rule not in SUM_RULES or f.severity is not Severity.ERROR or sf is None or not sf.formulas:
            out.append(f)
            continue
        if f.sheet not in sheets:
            sheets[f.sheet] = _sheet(book, f.sheet)
        prefix = f"{f.sheet}!"
        candidates = [f.cell, *(r[len(prefix):] for r in f.related if r.startswith(prefix))]
        found = [(c, why) for c in dict.fromkeys(candidates) if (why := typed_over(c, sheets[f.sheet], sf))]
        if not found:
            out.append(f)
            continue
        said = "".join(f"；{prefix}{c} 是手填的数字，{why}，可能是改写公式所致" for c, why in found)
        suspects = tuple(f"{prefix}{c}" for c, _ in found if c != f.cell)
        out.append(f.model_copy(update={"message": f.message + said, "suspects": (*f.suspects, *suspects)}))
    return out


def run_formulas(
    book: Book, findings: Sequence[Finding], formulas: dict[str, SheetFormulas], profile: Profile | None = None,
    select: Iterable[str] | None = None, ignore: Iterable[str] = (),
) -> list[Finding]:
    """The findings of `registry.run` told what the formulas say: sum findings explained (`explain_sums`) and the
    S109 findings added (when selected and enabled), all in the order `run` gives (sheet, cell, rule)."""
    profile = profile or Profile()
    out = explain_sums(book, findings, formulas)
    if selected("S109", profile, select, ignore):
        ctx = FormulaContext(profile, rule=RULES["S109"], formulas=formulas, texts=text_numbers(book, formulas))
        added = [f for t in book.tables for f in sum_counts_text_numbers(t, ctx)]
        if added:
            out = in_order(book, [*out, *added])
    return out
