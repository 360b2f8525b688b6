"""H0xx: data hygiene — numbers stored as text, text in amount cells, negative amounts, 科目编码 that are wrong."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from ..core import codes
from ..core.findings import Finding, Severity
from ..core.model import Cell, Row, Table
from ..core.specs import FORMER_CLASS_NAMES, FUNCTION_CLASSES, Kind
from ..core.text import fold, quote, strip_ordinal
from .registry import Context, rule

NUMERIC: frozenset[str] = frozenset({"amount", "number", "percent"})


def column_kinds(table: Table) -> dict[str, Kind]:
    """Row cell key → column kind (a sided table's keys without the side, a form's without its section)."""
    out: dict[str, Kind] = {}
    for key in table.columns:
        bare = key.split(":", 1)[-1]
        try:
            kind = table.spec.column(bare).kind
        except KeyError:
            continue
        out[key] = kind
        if table.spec.layout == "sided" and "/" in bare:
            out[bare.split("/", 1)[1]] = kind
    return out


def _numeric_cells(table: Table, kinds: frozenset[str]) -> Iterator[tuple[Row | None, str, Cell]]:
    """(row, key, cell) of the cells worth a hygiene look (text numbers, bad text, negatives) in columns of ``kinds``.

    One pass over the table, shared by the H-rules; the form's fields come after the rows.
    """
    for row, key, cell, kind in table.memo("hygiene.flagged", _flag):
        if kind in kinds:
            yield row, key, cell


def _flag(table: Table) -> list[tuple[Row | None, str, Cell, str]]:
    col_kinds = column_kinds(table)
    numeric = {k: v for k, v in col_kinds.items() if v in NUMERIC}
    funds = {k.split(":", 1)[1]: v for k, v in numeric.items() if k.startswith("资金:")}
    out: list[tuple[Row | None, str, Cell, str]] = []
    for row in table.rows:
        keys = funds if row.kind == "fund" else numeric
        cells = row.cells
        for key, kind in keys.items():
            cell = cells.get(key)
            if cell is None:
                continue
            if cell.as_text or cell.bad or (
                ((raw := cell.raw).__class__ is not float or raw < 0)  # a float from 0 up is read as no negative
                and isinstance(v := cell.value, Decimal) and v < 0
            ):
                out.append((row, key, cell, kind))
    for f in table.spec.fields:
        field = table.fields.get(f.key)
        if field is not None and f.kind in NUMERIC:
            out.append((None, f.key, field, f.kind))
    return out


@rule("H001", "数字存为文本", severity=Severity.WARNING)
def number_stored_as_text(table: Table, ctx: Context) -> Iterator[Finding]:
    """An amount (or weight, percentage) cell holds a number typed as text, e.g. '1,672.81'.

    The value is read and used, but Excel's own sums skip text, so totals computed in the workbook may be wrong.
    One warning per column of a table, at its first such cell, counting them and naming the others.
    Source: the issue's data hygiene list. Fails: D8 holding the text "1,672.81". Passes: the number 1672.81.
    """
    by_column: dict[str, list[Cell]] = {}
    for _, key, cell in _numeric_cells(table, NUMERIC):
        column = by_column.setdefault(key, [])
        if cell.as_text and all(c.where != cell.where for c in column):
            column.append(cell)
    for key, cells in by_column.items():
        if not cells:
            continue
        first = cells[0]
        if len(cells) == 1:
            message = f"「{quote(first.raw)}」是存为文本的数字，请改为数值格式（Excel 求和会忽略文本）"
        else:
            shown = "、".join(c.ref for c in cells[:5]) + (" 等" if len(cells) > 5 else "")
            message = f"「{key.split('/')[-1]}」列有 {len(cells)} 个存为文本的数字（{shown}），请改为数值格式（Excel 求和会忽略文本）"
        yield ctx.finding(table, first, message, related=cells[1:])


@rule("H002", "金额单元格中有非数字文本")
def text_in_number_cell(table: Table, ctx: Context) -> Iterator[Finding]:
    """An amount (or weight, percentage) cell holds text that is not a number, e.g. "待定" or "#REF!".

    The cell counts as blank in every equation. Source: the issue's data hygiene list. Fails: 合计 written as
    "见附表". Passes: a number, a blank, or a dash "-".
    """
    seen: set[str] = set()
    for _, _, cell in _numeric_cells(table, NUMERIC):
        if cell.bad and cell.where not in seen:
            seen.add(cell.where)
            yield ctx.finding(table, cell, f"金额单元格中是文字「{quote(cell.raw)}」，不是数字；计算时按空值处理")


def may_be_negative(table: Table, row: Row | None, key: str) -> bool:
    """结余 lines (a surplus may be a deficit) and 增减 columns (a change on last year) are the only amounts that can
    be below zero."""
    label = "" if row is None else (row.item or row.label)
    return any(w in key or w in label for w in ("结余", "增减"))


@rule("H003", "金额为负数")
def negative_amount(table: Table, ctx: Context) -> Iterator[Finding]:
    """An amount is below zero on a line that cannot be negative (every line except 结余 lines).

    Budgets and expenditures are never negative; a negative usually is a sign typed by mistake or a reversal that
    belongs in another line. Source: the issue's data hygiene list. Fails: 项目支出 -12.00. Passes: 年末结转和结余
    -3.00 in a 决算 table.
    """
    for row, key, cell in _numeric_cells(table, frozenset({"amount"})):
        if cell.amount is not None and cell.amount < 0 and not may_be_negative(table, row, key):
            yield ctx.finding(table, cell, f"金额 {cell.amount} 为负数，该项不应为负", actual=cell.amount)


def _coded_rows(table: Table) -> Iterator[list[Row]]:
    """The coded rows of a table, one list per unit block."""
    block: list[Row] = []
    for row in table.rows:
        if row.kind in ("unit", "total"):
            if block:
                yield block
            block = []
        elif row.code:
            block.append(row)
    if block:
        yield block


CODED = ("budget.*", "final.*")


@rule("H004", "科目编码与上级科目不符", tables=CODED)
def code_under_parent(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 款 or 项 code does not begin with the code of the 类 / 款 row it is printed under.

    Within a unit's rows, a row's parent is the nearest row above it with a shorter code; 2080505 must follow a
    20805 (or 208) row, not 21011. Source: TABLES.md, "codes are prefixes of each other".
    Fails: 类 208, 款 20805, then 项 2101101. Passes: 208, 20805, 2080505, 210, 21011, 2101101.
    """
    if table.spec.codes is None:
        return
    for block in _coded_rows(table):
        above: list[Row] = []
        for row in block:
            code = row.code or ""
            while above and len(above[-1].code or "") >= len(code):
                above.pop()
            if above and not code.startswith(above[-1].code or ""):
                parent = above[-1]
                where = row.code_cell or table.ref(row, next(iter(row.cells)))
                yield ctx.finding(
                    table, where, f"科目编码 {code} 与上级科目 {parent.code} {parent.label} 不符（应以 {parent.code} 开头）",
                    related=[parent.code_cell] if parent.code_cell else (),
                )
            above.append(row)


@rule("H005", "科目编码不在政府收支分类科目中", tables=CODED, severity=Severity.WARNING)
def code_in_list(table: Table, ctx: Context) -> Iterator[Finding]:
    """A well-formed 科目编码 is not in the shipped 政府收支分类科目 list.

    Runs only with the year's official list: the shipped lists are a curated subset (see core/data/README.md), and a
    code missing from a subset proves nothing, so without an official list the rule says nothing. 经济分类 7-digit
    sub-items are provincial, so only their 款 is looked up. Fails (official list): 2089998 in 部门支出总表.
    Passes: 2080505; 2089999 其他社会保障和就业支出 with the curated list.
    """
    kind = table.spec.codes
    if kind is None or not codes.official(kind):  # a curated list is no evidence: real codes like 2089999 must pass
        return
    for row in table.rows:
        code = row.code
        if code and codes.well_formed(code, kind) and not codes.known(code, kind):
            list_name = "支出功能分类科目" if kind == "function" else "部门预算支出经济分类科目"
            yield ctx.finding(table, row.code_cell or table.ref(row, next(iter(row.cells))), f"科目编码 {code} 不在{list_name}中，请核对当年科目")


@rule("H006", "科目编码格式错误", tables=CODED)
def code_well_formed(table: Table, ctx: Context) -> Iterator[Finding]:
    """A 科目编码 is not 3, 5 or 7 digits, or does not start as its list does (功能分类 2xx, 经济分类 3xx).

    Source: TABLES.md, "类/款/项 = 3/5/7 digits". Fails: 20805051, 3010 in 经济分类, or 302 in a 功能分类 table.
    Passes: 2080505.
    """
    kind = table.spec.codes
    if kind is None:
        return
    code_keys = [k for k, v in column_kinds(table).items() if v in ("code", "code_part")]
    for row in table.rows:
        if row.code and not codes.well_formed(row.code, kind):
            at = row.code_cell or table.ref(row, code_keys[0] if code_keys else next(iter(row.cells)))
            yield ctx.finding(table, at, f"科目编码 {row.code} 格式不对：应为 3、5 或 7 位数字，{'功能分类以 2' if kind == 'function' else '经济分类以 3'} 开头")
        elif row.code is None and row.kind in ("item", "project"):
            for key in code_keys:
                part = row.cells.get(key)
                if part is not None and any(ch.isdigit() for ch in part.text):
                    yield ctx.finding(table, part, f"「{part.text}」不是有效的科目编码（应为 3、5 或 7 位数字）")
                    break


def _official_name(code: str, kind: codes.CodeKind) -> str | None:
    """The name a code must carry, where the shipped list is sure of it: every 功能分类 类, the 经济分类 类 and 款."""
    if kind == "function":
        return FUNCTION_CLASSES.get(code) if len(code) == 3 else None
    return codes.name(code, kind) if len(code) in (3, 5) else None


@lru_cache(maxsize=1 << 12)
def _same_name(printed: str, official: str) -> bool:
    """The printed name is the official one, give or take a word ("基本养老保险费" for "基本养老保险缴费");
    remembered per pair (every unit block prints the same names)."""
    a, b = strip_ordinal(fold(printed)), fold(official)
    if a == b or (len(a) >= 2 and (a in b or b in a)):
        return True
    from difflib import SequenceMatcher  # only for names that differ: most never get here

    return SequenceMatcher(None, a, b).ratio() >= 0.8


@rule("H007", "科目名称与科目编码不符", tables=CODED, severity=Severity.WARNING)
def code_names_match(table: Table, ctx: Context) -> Iterator[Finding]:
    """A row's 科目名称 is not the name its 科目编码 carries in the 政府收支分类科目, or is a name the 科目 dropped.

    Checked where the list is certain: every 功能分类 类 (also the 类 lines of the 收支总表), and the 经济分类 类 and
    款. Fails: 30202 printed as 咨询费 (30202 is 印刷费); 三、医疗卫生与计划生育支出 (210 is 卫生健康支出 since 2018).
    Passes: 30201 办公费; 208 社会保障和就业支出.
    """
    kind = table.spec.codes or ("function" if table.spec.layout == "sided" else None)
    if kind is None:
        return
    for row in table.rows:
        code = row.code
        if not code or not row.label or (row.kind not in ("item", "total") and row.side is None):
            continue
        official = _official_name(code, kind)
        if official is None or _same_name(row.label, official):
            continue
        where = row.label_cell if row.side is not None and row.label_cell else row.code_cell or row.label_cell
        if where is None:
            continue
        if FORMER_CLASS_NAMES.get(strip_ordinal(fold(row.label))) == code:
            message = f"「{row.label}」是 {code} 类的旧科目名称，现行名称为「{official}」"
        else:
            message = f"科目编码 {code} 的名称应为「{official}」，这里写作「{row.label}」，请核对编码或名称"
        yield ctx.finding(table, where, message)


@rule("H008", "缺少部门或金额单位行", tables=CODED, severity=Severity.WARNING)
def unit_and_department_lines(table: Table, ctx: Context) -> Iterator[Finding]:
    """A published table names its department (部门：… or 单位：…) and its money unit (金额单位：万元) on the line under
    its title. Without the 金额单位 line the amounts are read as 万元; without the 部门 line a reader cannot tell whose
    table it is. Style warnings, at the title, or at the 部门 line when it is printed with the name left out.

    Fails: a 部门支出总表 whose title is followed directly by its header rows; "编制部门：" with nothing after it.
    Passes: 部门：某局 … 金额单位：元.
    """
    if table.spec.layout not in ("ledger", "sided"):
        return
    if not table.unit_printed:
        yield ctx.finding(table, table.title_ref, f"「{table.title}」没有写明金额单位（如“金额单位：万元”），已按万元读取")
    if not table.department and table.department_ref:
        yield ctx.finding(table, table.department_ref, f"「{table.title}」没有填写部门或单位名称（请在此格的冒号后写明）")
    elif not table.department:
        yield ctx.finding(table, table.title_ref, f"「{table.title}」没有写明部门或单位（如“部门：某某局”）")


_NUMERALS = "一二三四五六七八九十"


def _ordinal(label: str) -> int | None:
    """The number of a leading Chinese ordinal: 一、→ 1, 十二、→ 12, 二十四、→ 24; None without one."""
    head = label.split("、", 1)[0] if "、" in label[:5] else ""
    if not head or any(ch not in _NUMERALS for ch in head):
        return None
    if head == "十":
        return 10
    if "十" in head:
        tens, _, ones = head.partition("十")
        return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)
    return _NUMERALS.index(head) + 1 if len(head) == 1 else None


@rule("H009", "收支项目序号不连续", tables=tuple(f"{side}.{t}" for side in ("budget", "final") for t in ("summary", "fiscal_summary")), severity=Severity.WARNING)
def ordinals_in_sequence(table: Table, ctx: Context) -> Iterator[Finding]:
    """The 一、二、三 … of the 收入 and 支出 lines of the 收支总表 run in sequence on each side: a skipped or repeated
    number usually means a line was deleted or copied. A style warning, at the first label out of sequence.

    The numbering starts again after a total line. Fails: 一、财政拨款收入, 二、事业收入, 四、其他收入. Passes: 一、… 二、…
    三、….
    """
    for side in table.spec.sides:
        expected = 1
        for row in (r for r in table.rows if r.side == side.name):
            number = _ordinal(row.label)
            if row.kind == "total":
                expected = 1  # after a total the numbering starts again (年初财政拨款结转和结余: 一、二、三 …)
            if number is None or row.label_cell is None:
                continue
            if number != expected:
                yield ctx.finding(table, row.label_cell, f"「{row.label}」的序号应为第 {expected} 项（{side.name}一方的序号不连续）")
                break
            expected += 1
