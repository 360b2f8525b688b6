"""R0xx: what the reader could not understand, reported once (never by every rule that wanted the table)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding, Severity
from ..core.model import Book
from ..core.specs import BY_ID, PUBLISHED_SETS
from .registry import Context, rule


def _problems(book: Book, ctx: Context, rule_id: str) -> Iterator[Finding]:
    for p in book.problems:
        if p.rule == rule_id:
            table = next((t for t in book.tables if t.id == p.table and t.sheet == p.sheet), None)
            f = ctx.finding(table, p.ref, p.message, sheet=p.sheet)
            yield f if table else f.model_copy(update={"table": p.table})


@rule("R001", "表名找到但表头不符，表格未能识别", book=True, severity=Severity.ERROR)
def title_without_headers(book: Book, ctx: Context) -> Iterator[Finding]:
    """A sheet names a 公开表 in its title, but the header rows below it are not that table's headers.

    The table is not read, so none of its equations can be checked. Fails: a sheet titled 部门支出总表 whose
    headers are 项目 | 金额 | 备注.
    """
    yield from _problems(book, ctx, "R001")


@rule("R002", "缺少必需的列", book=True, severity=Severity.ERROR)
def required_columns_present(book: Book, ctx: Context) -> Iterator[Finding]:
    """A recognised table lacks a column its form requires (e.g. 部门支出总表 without 项目支出).

    Equations that need the column are skipped. Fails: 部门支出总表 with only 合计 and 基本支出.
    """
    yield from _problems(book, ctx, "R002")


@rule("R003", "未能识别的表头", book=True, severity=Severity.NOTE)
def headers_understood(book: Book, ctx: Context) -> Iterator[Finding]:
    """A header cell that matches no column of the table's form: its column is not read.

    Usually a local extra column (备注); check it is not a misspelt standard column. Fails: 项目支出 printed as
    项目支 出出.
    """
    yield from _problems(book, ctx, "R003")


@rule("R004", "缺少应公开的表", book=True, severity=Severity.ERROR)
def required_tables_present(book: Book, ctx: Context) -> Iterator[Finding]:
    """A table the workbook should hold is not there: one the profile requires, or one of the published set the
    workbook holds most of (the 9 tables of the 2024 决算 set, Shanghai's 9 budget tables, the 15 of the 财政部 budget
    template). A table no set of the workbook's kind holds (a province that does not publish it) is not missing.

    Fails: a 2024 决算 set with 8 of its 9 tables, 支出决算表 left out. Fails with the sichuan profile on a workbook
    without 一般公共预算“三公”经费支出预算表. Passes: Shanghai's 9 budget tables (no 政府采购预算表 there).
    """
    sheet = book.sheets[0] if book.sheets else ""
    for table_id in ctx.profile.required_tables:
        if table_id not in book:
            title = BY_ID[table_id].title if table_id in BY_ID else table_id
            yield ctx.finding(None, "A1", f"工作簿中没有找到应公开的「{title}」", sheet=sheet).model_copy(update={"table": table_id})
    name, members = _published_set(book)
    unread = {p.table for p in book.problems if p.rule == "R001"}  # found by its title, reported by R001 already
    for table_id in members:
        if table_id not in book and table_id not in ctx.profile.required_tables and table_id not in unread:
            message = f"工作簿中有{name}的大部分表格，但没有「{BY_ID[table_id].title}」"
            yield ctx.finding(None, "A1", message, sheet=sheet).model_copy(update={"table": table_id})


def _published_set(book: Book) -> tuple[str, tuple[str, ...]]:
    """The published set the workbook holds most of (more than two thirds), or none; a set it holds whole wins."""
    best: tuple[float, str, tuple[str, ...]] = (0.0, "", ())
    for name, members in PUBLISHED_SETS.items():
        share = sum(1 for t in members if t in book) / len(members)
        if share > best[0]:
            best = (share, name, members)
    return (best[1], best[2]) if best[0] > 2 / 3 else ("", ())


@rule("R005", "公式没有计算结果", book=True, severity=Severity.ERROR)
def formulas_have_results(book: Book, ctx: Context) -> Iterator[Finding]:
    """A table's cells hold formulas saved without their calculated results (written by a program, never opened in
    Excel). The reader sees only saved results, so these cells read as empty and the equations cannot be checked.

    Open the file in Excel (or WPS) and save it, then check again. Fails: 合计 = SUM(F6:G6) written by a script.
    """
    yield from _problems(book, ctx, "R005")


@rule("R006", "类编码不完整", book=True, severity=Severity.ERROR)
def class_codes_complete(book: Book, ctx: Context) -> Iterator[Finding]:
    """A 类 cell holds something that is not a 3-digit 类 code ("7" under 210 卫生健康支出). The row is read with the
    类 its 款, 项 and neighbouring rows give, so its sums are still checked; the printed code must be corrected.

    Fails: 类 | 款 | 项 printed 7 | 11 | 02 directly under 21011 行政事业单位医疗 — "类编码「7」… 应为「210」".
    """
    yield from _problems(book, ctx, "R006")


@rule("R007", "科目编码缺少前导零", book=True, severity=Severity.WARNING)
def codes_keep_leading_zero(book: Book, ctx: Context) -> Iterator[Finding]:
    """A 款 or 项 cell prints one digit where the code has two ("2" for "02"): the export dropped the leading zero,
    usually by storing the code as a number. It is read as "02"; store codes as text.

    Fails: 301 | 2 | 津贴补贴 — read as 30102, with this warning at the 款 cell.
    """
    yield from _problems(book, ctx, "R007")


@rule("R008", "表格没有数据也没有说明", book=True, severity=Severity.ERROR)
def tables_have_rows_or_say_why(book: Book, ctx: Context) -> Iterator[Finding]:
    """A 公开表 prints its headers but no data row, and no line saying why (本表无数据, 本部门无此项支出 …), while the
    workbook's other tables carry figures: a row was deleted or left blank. A blank template (no figures anywhere)
    is not reported.

    Fails: 财政拨款“三公”经费支出决算表 with its header rows only, in a 决算 set whose other tables are filled.
    Passes: the same table with 说明：本部门本年度没有财政拨款“三公”经费支出，故本表无数据。
    """
    filled = any(c.amount for t in book.tables for r in t.rows for c in r.cells.values())
    if not filled:
        return
    for table in book.tables:
        if table.spec.layout in ("ledger", "sided") and not table.rows and table.empty_note is None:
            yield ctx.finding(table, table.title_ref, f"「{table.title}」只有表头，没有数据行，也没有注明“本表无数据”")
