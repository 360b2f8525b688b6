"""Excel entry points: the 公开表 ribbon's scripts and the GK_* cell functions. The only module importing xlwings.

One declaration serves three ways of running inside Excel:

* classic xlwings (BSD-3; Windows/macOS with a local Python): the ribbon's VBA calls
  ``RunPython "import gongkai.xl; gongkai.xl.validate_workbook()"``; the script finds its workbook with
  ``xw.Book.caller()``. Functions come in through the add-in's Import Functions.
* xlwings Lite (``macros/lite/main.py``) and xlwings Server: the runtime injects the workbook (``book``).

Scripts read every value first and write afterwards: Lite and Server hand over a snapshot that never shows the
script's own writes, and cannot read fills, notes' text, formulas or merged ranges. Classic Excel reads the merged
ranges too (``Range.merge_area``), so it hands recognition the grid ``gongkai check`` reads from the file; elsewhere
the recogniser's merge-free path decides. No script waits on a prompt nobody can see: a message box is shown only
by a visible Excel with alerts on (classic), or recorded for the client to show (Lite, Server). No rule lives here: reading,
checking, the marking plan and the functions' verdicts are the pure core's (``recognize``, ``checks``, ``marks``,
``amounts``, ``indicator_values``, ``codes``).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlwings as xw
from xlwings import arg, func, script

from .checks import run as run_rules
from .core import amounts, codes, indicator_values
from .core.addresses import cell_position
from .core.findings import Finding
from .core.grid import Scalar, Sheet, to_scalar
from .core.model import Book
from .core.profile import Profile
from .core.text import parse_code, parse_number, to_decimal
from .fill.layout import SheetPlan
from .pipeline import NO_TABLE
from .recognize import recognize
from .write import marks

__all__ = [
    "GK_CODENAME", "GK_INDICATOR", "GK_SUMCHECK", "GK_WAN", "GK_WEIGHTS",
    "clear_marks", "export_clean", "fill_from_sheet", "validate_workbook",
]

FILL_PROBLEMS = "填充问题"
EXPORT_PREFIX = "导出_"
CLEAR_FILL_FALLBACK = "#FFFFFF"
"""What "no fill" becomes on clients that cannot clear a fill (xlwings Server's and VBA's remote clients)."""

# ----------------------------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------------------------


def sheet_values(sheet: Any) -> list[list[Scalar]]:
    """A sheet's values from A1 to the last used cell (indexes are Excel coordinates, as the reader wants)."""
    last = sheet.used_range.last_cell
    # err_to_str: an error cell reads "#REF!" (as the command line sees it), not None
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value or [[]]
    return [[to_scalar(v) for v in row] for row in values]


def merged_ranges(sheet: Any, rows: list[list[Scalar]]) -> list[tuple[int, int, int, int]]:
    """Classic Excel only: the sheet's merged ranges with a value, as the reader gives them (0-based, inclusive).

    In Excel only a merged range's top-left cell holds a value, so an anchor is a filled cell with an empty cell to
    its right or below; ``Range.merge_area`` is asked of those cells only, and not at all when the used range has
    no merged cell. Ranges over an empty anchor are left out (recognition reads nothing from them). Not run by the
    tests: the remote engine raises NotImplementedError for merge areas, and there is no Excel on Linux.
    """
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    if not height or not width or sheet.range((1, 1), (height, width)).merge_cells is False:
        return []

    def empty(r: int, c: int) -> bool:
        return r < height and c < width and (c >= len(rows[r]) or rows[r][c] is None)

    found = set()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or not (empty(r, c + 1) or empty(r + 1, c)):
                continue
            area = sheet.range((r + 1, c + 1)).merge_area
            n_rows, n_cols = area.shape
            if n_rows * n_cols > 1:
                found.add((area.row - 1, area.column - 1, area.row + n_rows - 2, area.column + n_cols - 2))
    return sorted(found)


def read_sheets(book: Any) -> list[Sheet]:
    """Every worksheet except gongkai's own, as the reader's grids. Classic Excel passes the merged ranges on;
    Lite and Server cannot read them, so there the recogniser spreads group headers and fills blocks down."""
    classic = _client(book) == "excel"
    out = []
    for s in book.sheets:
        if s.name in marks.OWN_SHEETS:
            continue
        rows = sheet_values(s)
        out.append(Sheet(s.name, rows, merged_ranges(s, rows) if classic else [], hidden=not s.visible))
    return out


def check_book(book: Any, profile: Profile | None = None) -> list[Finding]:
    """The findings ``gongkai check`` reports for the workbook's current values."""
    return _check(book, profile)[1]


def _check(book: Any, profile: Profile | None) -> tuple[Book, list[Finding]]:
    profile = profile or Profile()
    model = recognize(read_sheets(book), profile.header_synonyms)
    findings = run_rules(model, profile)
    if model.text:  # the workbook's own 说明 sheets, as `gongkai check` reads them
        from .checks.narrative import check_text, own_text

        try:
            findings += check_text(model, own_text(model), profile=profile)[0]
        except Exception:  # a sentence gongkai cannot read must not cost the clerk the tables' marks
            traceback.print_exc()
    return model, findings


# ----------------------------------------------------------------------------------------------------------
# what the client can do
# ----------------------------------------------------------------------------------------------------------


def _in_lite() -> bool:
    """xlwings Lite runs Python in the browser (Pyodide)."""
    return sys.platform == "emscripten"


def _client(book: Any) -> str:
    """"excel" (classic xlwings: COM/AppleScript), "lite", or the remote client's name ("Office.js", "VBA" ...)."""
    if book.app.engine.name != "remote":
        return "excel"
    if _in_lite():
        return "lite"
    return str(book.api.get("client", ""))


def _no_fill(book: Any) -> str | None:
    """The colour that means "no fill": None where the client clears fills (classic, Lite); white elsewhere,
    because the public xlwings Server and VBA clients turn a null colour into an error or black."""
    return None if _client(book) in ("excel", "lite") else CLEAR_FILL_FALLBACK


def _read_fill(rng: Any) -> str:
    """A cell's fill before marking ("#RRGGBB", "" for none), or UNKNOWN where the client cannot read fills."""
    try:
        color = rng.color
    except NotImplementedError:
        return marks.UNKNOWN
    if color is None:
        return ""
    if isinstance(color, tuple):
        return str(xw.utils.rgb_to_hex(*color))  # type: ignore[no-untyped-call]
    return str(color)


def _restore_fill(book: Any, rng: Any, original: str) -> None:
    rng.color = original if original.startswith("#") else _no_fill(book)


def _add_note(rng: Any, text: str) -> bool:
    """Add a note; False when the cell already has one (the clerk's: left alone) or the client has no notes."""
    try:
        if rng.note is not None:
            return False
        rng.add_note(text)
    except (NotImplementedError, ValueError):
        return False  # VBA/Server clients, or a note the snapshot knows about: the results sheet lists it anyway
    return True


def _delete_note(rng: Any) -> None:
    try:
        note = rng.note
    except NotImplementedError:
        return
    if note is not None:
        note.delete()


def _range(book: Any, sheet: str, cell: str) -> Any | None:
    if sheet not in [s.name for s in book.sheets]:
        return None  # renamed or deleted since it was marked
    return book.sheets[sheet].range(cell)


def _replace_sheet(book: Any, name: str, rows: Sequence[Sequence[object]], *, first: bool, keep_formats: bool = False) -> Any:
    """Write ``rows`` from A1 into sheet ``name``, cleared if it exists (its formats too unless ``keep_formats``),
    else added (first or last)."""
    width = max((len(r) for r in rows), default=1)
    values = [[*r, *([None] * (width - len(r)))] for r in rows]
    if name in [s.name for s in book.sheets]:
        sheet = book.sheets[name]
        if keep_formats:
            sheet.clear_contents()
        else:
            sheet.clear()
    elif first:
        sheet = book.sheets.add(name, before=book.sheets[0])
    else:
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    if values:
        sheet.range("A1").value = values
    return sheet


def _seen(book: Any) -> bool:
    """Whether a message box would be seen. Classic Excel shows it modally and the script waits for a click, so it
    is shown only when Excel is visible and its alerts are on (not in automation); remote clients only record it."""
    if _client(book) != "excel":
        return True
    return bool(book.app.visible) and bool(book.app.display_alerts)


def _alert(book: Any, text: str, title: str = "gongkai 公开表") -> None:
    """A message for the clerk: on classic Excel's status bar always, in a message box where it will be seen."""
    _status(book, text)
    if not _seen(book):
        return
    with contextlib.suppress(NotImplementedError, AttributeError):  # a client without message boxes
        book.app.alert(text, title=title)


def _status(book: Any, text: str | bool) -> None:
    """Classic Excel's status bar (False gives it back to Excel); other clients have none."""
    if _client(book) == "excel":
        with contextlib.suppress(NotImplementedError, AttributeError):
            book.app.status_bar = text


# ----------------------------------------------------------------------------------------------------------
# scripts (the ribbon's buttons)
# ----------------------------------------------------------------------------------------------------------

ERROR_LOG = "gongkai-error.log"


def _guarded(book: Any, work: Callable[[Any], object], what: str) -> None:
    """Run a script's work; a failure reaches the clerk as one Chinese sentence, never as a traceback. The
    traceback goes to a log file in the temporary folder (classic Excel, where xlwings would show stderr in a
    message box) or to the output pane (Lite) and the server's log (Server)."""
    try:
        work(book)
    except Exception:  # the clerk gets a sentence, the log the details
        detail = traceback.format_exc()
        where = ""
        if _client(book) == "excel":
            log = Path(tempfile.gettempdir()) / ERROR_LOG
            with contextlib.suppress(OSError):
                log.write_text(detail, encoding="utf-8")
                where = f"详细信息已写入 {log}。"
        else:
            print(detail)
        _alert(book, f"{what}未完成：gongkai 内部出错。{where}请把本工作簿和这条提示发给维护 gongkai 的同事。")


def validate(book: Any, profile: Profile | None = None) -> list[Finding]:
    """validate_workbook's work, returning the findings: read all, check, then mark, list and summarise (with the
    time it took, on the 校验结果 sheet, in the message and, in classic Excel, on the status bar)."""
    start = time.perf_counter()
    _status(book, "gongkai：正在校验……")
    names = [s.name for s in book.sheets]
    sheets = [s for s in names if s not in marks.OWN_SHEETS]
    previous = marks.parse_records(sheet_values(book.sheets[marks.MARKS_SHEET])) if marks.MARKS_SHEET in names else {}
    model, findings = _check(book, profile)
    plan = marks.cell_marks(findings, sheets)
    wanted = {(m.sheet, m.cell) for m in plan}
    for key, rec in previous.items():  # undo the last run's marks
        rng = _range(book, rec.sheet, rec.cell)
        if rng is None:
            continue
        if rec.noted:
            _delete_note(rng)
        if key not in wanted:
            _restore_fill(book, rng, rec.original)
    records = []
    for m in plan:
        rng = book.sheets[m.sheet].range(m.cell)
        old = previous.get((m.sheet, m.cell))
        original = old.original if old is not None else _read_fill(rng)
        rng.color = m.fill
        records.append(marks.Record(m.sheet, m.cell, original, _add_note(rng, m.note)))
    if not model.tables and not model.problems:  # what `gongkai check` reports for such a file
        head = f"校验未进行：{NO_TABLE}。"
    else:
        head = marks.summary(findings)
    text = f"{head}用时 {time.perf_counter() - start:.1f} 秒。"
    table = marks.results_rows(findings, sheets)
    results = _replace_sheet(book, marks.RESULT_SHEET, [[text], [], *table], first=True)
    results.range((3, 1), (2 + len(table), len(table[0]))).columns.autofit()
    if records:
        kept = _replace_sheet(book, marks.MARKS_SHEET, marks.record_rows(records), first=False)
        if _client(book) in ("excel", "lite"):  # the public Server and VBA clients cannot hide sheets
            kept.visible = False
    elif marks.MARKS_SHEET in names:
        book.sheets[marks.MARKS_SHEET].delete()
    results.activate()
    _alert(book, text)
    return findings


@script
def validate_workbook(book: xw.Book | None = None) -> None:
    """校验: mark every error (red, Excel's "Bad") and warning (yellow, "Neutral") in place, note each marked cell
    where the client supports notes, and list all findings on the 校验结果 sheet. Run it again at will: the last
    run's marks are removed first."""
    _guarded(book if book is not None else xw.Book.caller(), validate, "校验")


def clear(book: Any) -> int:
    """clear_marks' work: restore the recorded fills, delete gongkai's notes and sheets; the number of cells."""
    names = [s.name for s in book.sheets]
    if marks.MARKS_SHEET not in names:
        records = {}
    else:
        records = marks.parse_records(sheet_values(book.sheets[marks.MARKS_SHEET]))
    for rec in records.values():
        rng = _range(book, rec.sheet, rec.cell)
        if rng is None:
            continue
        if rec.noted:
            _delete_note(rng)
        _restore_fill(book, rng, rec.original)
    for name in (marks.MARKS_SHEET, marks.RESULT_SHEET):
        if name in [s.name for s in book.sheets]:
            book.sheets[name].delete()
    _alert(book, f"已清除 {len(records)} 个单元格的标记。")
    return len(records)


@script
def clear_marks(book: xw.Book | None = None) -> None:
    """清除标记: restore the fills of the cells 校验 marked, remove its notes and its 校验结果 sheet."""
    _guarded(book if book is not None else xw.Book.caller(), clear, "清除标记")


def apply_plan(book: Any, plan: SheetPlan, name: str, *, keep_formats: bool = False) -> Any:
    """Write a laid-out sheet into sheet ``name`` (cleared first, or added at the end): values in one block,
    amount formats per column; merges only where the client can merge (classic Excel, Lite)."""
    cells = {(r + 1, c + 1): cw for cw in plan.cells for r, c in [cell_position(cw.ref)]}
    height = max((r for r, _ in cells), default=1)
    width = max((c for _, c in cells), default=1)
    values: list[list[object]] = [[None] * width for _ in range(height)]
    for (r, c), cw in cells.items():
        values[r - 1][c - 1] = float(cw.value) if isinstance(cw.value, Decimal) else cw.value
    sheet = _replace_sheet(book, name, values, first=False, keep_formats=keep_formats)
    first, last = plan.data
    if last >= first:
        for c in sorted({c for (r, c), cw in cells.items() if cw.role in ("amount", "formula", "total")}):
            sheet.range((first, c), (last, c)).number_format = "#,##0.00"
    if _client(book) in ("excel", "lite") and not keep_formats:  # a template's sheet keeps its own merges
        for merged in plan.merges:
            sheet.range(merged).merge()
    sheet.range((1, 1), (height, width)).columns.autofit()
    return sheet


def fill(book: Any) -> list[str]:
    """fill_from_sheet's work: line items (sheets 预算明细, 项目绩效, 整体绩效, 政府采购) → every budget table.

    Each table goes to the sheet where the workbook already holds it (the template's sheet, cleared of values and
    rewritten), or to a new sheet. Values only: ``gongkai fill`` writes live formulas. Returns the problems found
    in the line items (nothing is written when there are any; they are listed on a 填充问题 sheet).
    """
    from .fill.compose_budget import compose
    from .fill.layout import lay_out
    from .fill.lineitems import SHEETS, parse_grids

    grids = {s.name: s.rows for s in read_sheets(book) if s.name in SHEETS.values()}
    if SHEETS["lines"] not in grids:
        text = f"没有找到「{SHEETS['lines']}」表：请先在本工作簿中填写预算明细（每行一条预算）。"
        _alert(book, text)
        return [text]
    items, problems = parse_grids(grids, weight_totals=Profile().weight_totals_allowed)
    if problems:
        _replace_sheet(book, FILL_PROBLEMS, [["填充未进行：预算明细有以下问题"], *[[p] for p in problems]], first=True).activate()
        _alert(book, f"预算明细有 {len(problems)} 个问题，未填充，详见「{FILL_PROBLEMS}」表。")
        return problems
    where = {t.id: t.sheet for t in recognize(read_sheets(book)).tables}
    tables = compose(items, totals="summed")  # what the template's formulas would show
    for data in tables:
        plan = lay_out(data)
        apply_plan(book, plan, where.get(data.spec.id, plan.name), keep_formats=data.spec.id in where)
    if FILL_PROBLEMS in [s.name for s in book.sheets]:
        book.sheets[FILL_PROBLEMS].delete()
    _alert(book, f"已根据预算明细填充 {len(tables)} 张公开表。请点「校验」检查。")
    return []


@script
def fill_from_sheet(book: xw.Book | None = None) -> None:
    """填充: fill every budget table of the open template from the line-items sheet (预算明细) of the same workbook."""
    _guarded(book if book is not None else xw.Book.caller(), fill, "填充")


def export(book: Any) -> list[str]:
    """export_clean's work: every recognised table, normalised (numbers as numbers, labels rejoined, codes whole,
    amounts in 万元), on a new sheet named 导出_<sheet>; returns the sheet names written."""
    from .fill.layout import lay_out
    from .write.clean import clean_book, sheet_names

    tables = clean_book(recognize(read_sheets(book), Profile().header_synonyms))
    names = [f"{EXPORT_PREFIX}{n}"[:31] for n in sheet_names(tables)]
    for table, name in zip(tables, names, strict=True):
        apply_plan(book, lay_out(table.data, sheet=name), name)
    changed = sum(len(t.changes) for t in tables)
    _alert(book, f"已导出 {len(tables)} 张表到新工作表（{EXPORT_PREFIX}…），规范化修改 {changed} 处。")
    return names


@script
def export_clean(book: xw.Book | None = None) -> None:
    """导出: write every table, cleaned, to new sheets 导出_<sheet> in this workbook."""
    _guarded(book if book is not None else xw.Book.caller(), export, "导出")


# ----------------------------------------------------------------------------------------------------------
# functions for cells: "" when all is well, else a short Chinese message
# ----------------------------------------------------------------------------------------------------------


def _flat(values: Any) -> list[Any]:
    if isinstance(values, (list, tuple)):
        return [v for item in values for v in _flat(item)]
    return [values]


def _amount(value: Any) -> Decimal | None:
    """A cell value as a Decimal: numbers, and numbers written as text; None for blanks; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, (int, float)):
        return to_decimal(value)
    if isinstance(value, Decimal):
        return value
    number = parse_number(str(value))
    if number is None:
        raise ValueError(str(value))
    return number


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}"


@func
@arg("parts", ndim=2, doc="各组成部分（一个区域）")
@arg("total", doc="合计数")
@arg("tolerance", doc="每个组成部分允许的舍位差，默认 0.005")
def GK_SUMCHECK(parts, total, tolerance=None):  # type: ignore[no-untyped-def]  # hints would be xlwings converters
    """合计 = 各部分之和？"" 为相等；舍位差在允许范围内为提示；超出为错误。"""
    try:
        values = [_amount(v) for v in _flat(parts)]
        actual = _amount(total)
        per_part = _amount(tolerance) if tolerance not in (None, "") else Decimal("0.005")
    except ValueError as exc:
        return f"不是数字：{exc}"
    present = [v for v in values if v is not None]
    expected = amounts.total(present)
    verdict = amounts.judge(actual, expected, len(present), per_part or Decimal("0.005"))
    if verdict is None:
        return ""
    diff = (actual or Decimal(0)) - expected
    if verdict.value == "note":
        return f"舍位差 {_fmt(diff)}（允许）"
    return f"合计不符：各部分之和 {_fmt(expected)}，差 {_fmt(diff)}"


@func
@arg("nature", doc="指标性质：≥、≤、= 或 定性")
@arg("value", doc="指标值")
@arg("unit", doc="度量单位")
@arg("name", doc="三级指标名称（可省略）")
def GK_INDICATOR(nature, value, unit, name=""):  # type: ignore[no-untyped-def]
    """绩效指标是否自洽（指标性质、指标值、度量单位、三级指标中的单位）；"" 为无问题。"""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = indicator_values.judge_indicator(
        "" if nature is None else str(nature), value, "" if unit is None else str(unit), "" if name is None else str(name)
    )
    return "；".join(v.message for v in found)


@func
@arg("weights", ndim=2, doc="一个项目全部指标的权重（一个区域）")
@arg("total", doc="权重应合计为（默认 100 或 90）")
def GK_WEIGHTS(weights, total=None):  # type: ignore[no-untyped-def]
    """一个项目的指标权重之和是否为 100（或 90）；"" 为无问题。"""
    try:
        values = [_amount(v) for v in _flat(weights)]
        wanted = _amount(total)
    except ValueError as exc:
        return f"不是数字：{exc}"
    allowed = (wanted,) if wanted is not None else Profile().weight_totals_allowed
    verdict = indicator_values.judge_weights(values, allowed)
    return "" if verdict is None else verdict.message


@func
@arg("code", doc="科目编码：功能分类 2 开头，经济分类 3 开头（3/5/7 位）")
def GK_CODENAME(code):  # type: ignore[no-untyped-def]
    """科目编码的名称（政府收支分类科目）；编码无效或不在科目表中时给出说明。"""
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    text = "" if code is None else str(code)
    digits = parse_code(text)
    if digits is None:
        return f"「{text}」不是科目编码（应为 3、5 或 7 位数字）"
    kind: codes.CodeKind | None = "function" if digits[0] == "2" else "economic" if digits[0] == "3" else None
    if kind is None:
        return f"{digits} 不是部门预算使用的科目编码（功能分类 2 开头，经济分类 3 开头）"
    name = codes.name(digits, kind)
    if name is None and kind == "economic" and len(digits) == 7 and codes.known(digits, kind):
        return f"{codes.name(digits[:5], kind)}（{digits} 为地方细化科目）"
    return name if name is not None else f"{digits} 不在{'功能' if kind == 'function' else '经济'}分类科目表中"


@func
@arg("yuan", doc="以元为单位的金额")
def GK_WAN(yuan):  # type: ignore[no-untyped-def]
    """元 → 万元，按四舍五入保留两位小数（与公开表逐行舍位相同）。"""
    try:
        value = _amount(yuan)
    except ValueError as exc:
        return f"不是数字：{exc}"
    if value is None:
        return ""
    return float(amounts.wan(value))
