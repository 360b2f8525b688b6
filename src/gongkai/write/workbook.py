"""Plans → .xlsx files with openpyxl. The only module that imports openpyxl.

Every output is written to a temporary file beside the target and renamed into place, so a crash never leaves a
half-written workbook and an input is never overwritten unless the caller asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.addresses import col_letter
from ..fill.layout import SheetPlan
from .atomic import atomic_path


def _value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    return v


def _styles() -> dict[str, dict[str, Any]]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="FF999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return {
        "title": {"font": Font(bold=True, size=16), "alignment": Alignment(horizontal="center", vertical="center")},
        "number": {"font": Font(size=10)},
        "meta": {"font": Font(size=10)},
        "header": {"font": Font(bold=True), "alignment": centre, "border": box, "fill": PatternFill("solid", fgColor="FFF2F2F2")},
        "label": {"border": box, "alignment": Alignment(vertical="center", wrap_text=True)},
        "code": {"border": box, "alignment": Alignment(horizontal="center", vertical="center"), "number_format": "@"},
        "text": {"border": box, "alignment": Alignment(vertical="center", wrap_text=True)},
        "amount": {"border": box, "number_format": "#,##0.00"},
        "formula": {"border": box, "number_format": "#,##0.00"},
        "total": {"border": box, "number_format": "#,##0.00", "font": Font(bold=True)},
    }


def render(plans: Iterable[SheetPlan], *, styled: bool = True) -> Any:
    """An openpyxl Workbook holding the plans, one sheet each (not saved)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    styles = _styles() if styled else {}
    for plan in plans:
        ws = wb.create_sheet(plan.name[:31])
        for cw in plan.cells:
            cell = ws[cw.ref]
            cell.value = _value(cw.value)
            if cw.role != "formula" and isinstance(cw.value, str) and cw.value.startswith("="):
                cell.data_type = "s"  # text such as the 指标性质 "=", not a formula
            for attr, style in styles.get(cw.role, {}).items():
                setattr(cell, attr, style)
        for rng in plan.merges:
            ws.merge_cells(rng)
        for letter, width in plan.widths.items():
            ws.column_dimensions[letter].width = width
    return wb


def save(wb: Any, target: str | Path, *, overwrite: bool = True) -> Path:
    """Save an openpyxl workbook atomically."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        wb.save(tmp)
    return Path(target)


def write_plans(plans: Iterable[SheetPlan], target: str | Path, *, styled: bool = True) -> Path:
    """Write the plans as a new workbook at ``target`` (atomically)."""
    return save(render(plans, styled=styled), target)


def write_rows(sheets: dict[str, list[list[Any]]], target: str | Path) -> Path:
    """Write plain sheets of rows (header first, bold) as a new workbook: line-item input files and examples."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name[:31])
        for row in rows:
            ws.append([_value(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    return save(wb, target)


def write_template(book: Any, target: str | Path, *, overwrite: bool = True) -> Path:
    """Write a `template.BookTemplate`: plans plus dropdowns, protection, defined names, print setup, 填表说明.

    Formula cells that carry a cached value (``SheetTemplate.cached``) get it written into the sheet XML as well,
    so readers that do not calculate (calamine, previewers) see the numbers, not blanks.
    """
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..core.specs import INSTRUCTIONS_SHEET, LIST_SHEET

    wb = render([s.plan for s in book.sheets])
    unlocked = Protection(locked=False)
    ruled = _styles()["label"]["border"]
    for sheet, ws in zip(book.sheets, wb.worksheets, strict=True):
        plan = sheet.plan
        for ref in sheet.inputs:
            ws[ref].protection = unlocked
            ws[ref].border = ruled  # entry cells are ruled like the rest of the table, on screen and on paper
        for v in sheet.validations:
            if v.kind == "list":
                dv = DataValidation(type="list", formula1=v.formula.removeprefix("="), allow_blank=True)
            else:
                low, high = v.formula.split(",")
                dv = DataValidation(type=v.kind, operator="between", formula1=low, formula2=high, allow_blank=True)
            dv.showErrorMessage = v.strict
            dv.errorStyle = "stop" if v.strict else "warning"
            dv.error = "请从下拉列表中选择" if v.kind == "list" else "超出允许范围"
            dv.prompt = v.prompt
            dv.showInputMessage = bool(v.prompt)
            dv.add(v.ref)
            ws.add_data_validation(dv)
        top, bottom = plan.header
        _size_header_rows(ws, plan)
        ws.freeze_panes = f"A{bottom + 1}"
        ws.print_title_rows = f"{top}:{bottom}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if _fixed_rows(plan.table_id) else 0  # a 收支总表 never grows: one page
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.protection.sheet = True
        for allowed in ("formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
            setattr(ws.protection, allowed, False)
        for name, rng in sheet.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!{rng}")
    lists = wb.create_sheet(LIST_SHEET)
    for i, (name, options) in enumerate(book.lists.items(), start=1):
        letter = col_letter(i - 1)
        lists.cell(1, i, name)
        for j, option in enumerate(options, start=2):
            lists.cell(j, i, option).data_type = "s"
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{LIST_SHEET}'!${letter}$2:${letter}${len(options) + 1}")
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    notes = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    for i, line in enumerate(book.instructions, start=1):
        cell = notes.cell(i, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    wb.defined_names["gk_kind"] = DefinedName("gk_kind", attr_text=f'"{book.kind}"')
    wb.active = 1 if len(wb.worksheets) > 1 else 0
    with atomic_path(target, overwrite=overwrite) as tmp:
        wb.save(tmp)
        cached = {i + 1: s.cached for i, s in enumerate(book.sheets) if s.cached}
        if cached:
            _add_cached_values(tmp, {n + 1: c for n, c in cached.items()})  # 填表说明 is sheet 1
    return Path(target)


FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f\b[^>]*/>|<f\b[^>]*>.*?</f>)(<v\s*/>|<v>\s*</v>)?</c>', re.S)
"""A formula cell as openpyxl writes it: ``<v/>``, ``<v />`` (lxml or not), ``<v></v>`` or no ``<v>`` at all."""
FORMULA_CELL_ANY = re.compile(
    r'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f\b[^>]*/>|<f\b[^>]*>.*?</f>)(<v\s*/>|<v>[^<]*</v>)?</c>', re.S
)
"""A formula cell with or without a cached value."""
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _rewrite_sheets(path: Path, edit: dict[str, Any]) -> None:
    """Rewrite the sheet XML parts named in ``edit`` (part name → function of the XML text) in place."""
    import shutil
    import zipfile

    tmp = path.with_suffix(".cached" + path.suffix)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in edit:
                data = edit[info.filename](data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    shutil.move(tmp, path)


def _fill_values(xml: str, values: dict[str, tuple[str | None, str]], *, replace: bool = False) -> str:
    """Give each formula cell in ``values`` (ref → (type, cached text, XML-escaped)) its ``<v>``; with ``replace``
    also the cells that already have one."""

    def fill(match: re.Match[str]) -> str:
        ref, attrs, formula, _ = match.groups()
        if ref not in values:
            return match.group(0)
        kind, text = values[ref]
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        if kind in ("str", "b", "e"):
            attrs += f' t="{kind}"'
        return f'<c r="{ref}"{attrs}>{formula}<v>{text}</v></c>'

    return (FORMULA_CELL_ANY if replace else FORMULA_CELL).sub(fill, xml)


def _add_cached_values(path: Path, cached: dict[int, dict[str, Decimal]]) -> None:
    """Put each formula cell's value into ``<v>`` of the saved sheet XML (openpyxl writes formulas without one)."""
    edit = {}
    for n, values in cached.items():
        texts: dict[str, tuple[str | None, str]] = {ref: (None, format(d, "f")) for ref, d in values.items()}
        edit[f"xl/worksheets/sheet{n}.xml"] = lambda xml, v=texts: _fill_values(xml, v)
    _rewrite_sheets(path, edit)


def sheet_parts(zf: Any) -> dict[str, str]:
    """Sheet name → its XML part in an open .xlsx zip (from xl/workbook.xml and its relationships)."""
    import posixpath

    import defusedxml.ElementTree as SafeET

    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id"))
        if part:
            out[sheet.get("name", "")] = part
    return out


def cached_formula_values(source: str | Path) -> dict[str, dict[str, tuple[str | None, str]]]:
    """Every formula cell's cached result in an .xlsx/.xlsm: sheet name → ref → (cell type, XML-escaped text)."""
    import zipfile
    from xml.sax.saxutils import escape

    import defusedxml.ElementTree as SafeET

    out: dict[str, dict[str, tuple[str | None, str]]] = {}
    with zipfile.ZipFile(source) as zf:
        names = set(zf.namelist())
        for sheet, part in sheet_parts(zf).items():
            if part not in names:
                continue
            values: dict[str, tuple[str | None, str]] = {}
            for _, el in SafeET.iterparse(zf.open(part)):
                if el.tag != f"{_MAIN}c":
                    continue
                v = el.find(f"{_MAIN}v")
                if el.find(f"{_MAIN}f") is not None and v is not None and v.text is not None:
                    values[el.get("r", "")] = (el.get("t"), escape(v.text))
                el.clear()
            if values:
                out[sheet] = values
    return out


def replace_cached_values(path: str | Path, cached: dict[str, dict[str, tuple[str | None, str]]]) -> None:
    """Overwrite the cached results of the formula cells in ``cached`` (e.g. from a recalculated copy), in place."""
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
    edit = {
        parts[name]: (lambda xml, v=values: _fill_values(xml, v, replace=True))
        for name, values in cached.items() if name in parts
    }
    if edit:
        _rewrite_sheets(path, edit)


UNPRESERVED_TEXT = re.compile(r"<t>(\s[^<]*|[^<]*\s)</t>")
"""A text openpyxl writes without ``xml:space="preserve"`` although it begins or ends with white space: a run that
is only spaces or line breaks (openpyxl 3.1 marks a text only when it has something besides). Excel and calamine
drop such a run, so the indent of a clerk's 说明 paragraph in a WPS rich-text cell would be lost."""


def _preserve_spaces(xml: str) -> str:
    return UNPRESERVED_TEXT.sub(r'<t xml:space="preserve">\1</t>', xml)


def restore_dropped(path: str | Path, cached: dict[str, dict[str, tuple[str | None, str]]]) -> None:
    """Put back into a copy openpyxl saved what its save drops: each formula's result (``cached``, from
    `cached_formula_values` of the workbook it loaded; sheets matched by name) and the white space of texts it wrote
    unmarked (`UNPRESERVED_TEXT`).

    Without the results a reader that does not calculate (calamine, a previewer, the next `gongkai check`) would see
    every 合计 empty."""
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
    def mend(values: dict[str, tuple[str | None, str]] | None) -> Any:
        return lambda xml: _fill_values(_preserve_spaces(xml), values) if values else _preserve_spaces(xml)

    _rewrite_sheets(path, {part: mend(cached.get(name)) for name, part in parts.items()})


def printable(ws: Any, widths: Mapping[str, float], wrap: Iterable[str], *, header_rows: int = 1) -> None:
    """A list sheet that prints well: landscape A4, one page wide, header rows repeated on every page, the
    ``wrap`` columns wrapped with row heights set for their text (Excel does not size rows it did not lay out).
    A sheet written row by row (openpyxl's write-only mode) does the same per row with `top_aligned` and
    `row_height`, and `print_setup`."""
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w
    wrap = tuple(wrap)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            if cell.value is not None:
                cell.alignment = top_aligned(cell.alignment, cell.column_letter in wrap)
        height = row_height(((cell.column_letter, cell.value) for cell in row), widths, wrap)
        if height is not None:
            ws.row_dimensions[row[0].row].height = height
    print_setup(ws, header_rows)


def top_aligned(alignment: Any, wrapped: bool) -> Any:
    """A `printable` cell's alignment (for a cell with a value): at the top, wrapped in a ``wrap`` column, its
    horizontal alignment kept."""
    from openpyxl.styles import Alignment

    if wrapped:
        return Alignment(wrap_text=True, vertical="top", horizontal=alignment.horizontal)
    return Alignment(vertical="top", horizontal=alignment.horizontal, wrap_text=alignment.wrap_text)


def row_height(cells: Iterable[tuple[str, Any]], widths: Mapping[str, float], wrap: Iterable[str]) -> float | None:
    """The height a `printable` row needs for the text of its ``wrap`` columns, from its (column letter, value)
    pairs; None when one line is enough (the row keeps Excel's default height)."""
    from math import ceil

    wrap = tuple(wrap)
    lines = 1
    for letter, value in cells:
        if letter in wrap and value is not None:
            width = widths.get(letter, 10) - 1
            lines = max(lines, sum(max(1, ceil(_display_width(part) / width)) for part in str(value).split("\n")))
    return 15 * lines + 2 if lines > 1 else None


def print_setup(ws: Any, header_rows: int = 1) -> None:
    """A `printable` sheet's page: landscape A4, one page wide, the header rows on every page, gridlines, page
    numbers in the footer (also on a write-only sheet: openpyxl writes all of it when the sheet is closed)."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _size_header_rows(ws: Any, plan: SheetPlan) -> None:
    """Give each header row the height its wrapped text needs, so header text never spills into the data rows.

    A header cell's text wraps within its (merged) width; the rows a merged cell spans share its lines.
    """
    from math import ceil

    from ..core.addresses import cell_position

    top, bottom = plan.header
    spans: dict[str, tuple[int, int, int, int]] = {}
    for rng in plan.merges:
        a, _, b = rng.partition(":")
        (r0, c0), (r1, c1) = cell_position(a), cell_position(b or a)
        spans[a] = (r0, c0, r1, c1)
    need: dict[int, float] = {}
    for cw in plan.cells:
        if cw.role != "header" or not isinstance(cw.value, str):
            continue
        r0, c0 = cell_position(cw.ref)
        r0, c0, r1, c1 = spans.get(cw.ref, (r0, c0, r0, c0))
        width = sum(ws.column_dimensions[col_letter(c)].width or 9 for c in range(c0, c1 + 1)) - 1.5
        lines = max(1, ceil(_display_width(cw.value) * 1.1 / max(width, 2)))
        rows = list(range(r0 + 1, r1 + 2))  # cell_position is 0-based; rows are 1-based
        per_row = 15.0 * lines / len(rows) + 3
        for r in rows:
            need[r] = max(need.get(r, 16.0), per_row)
    for r in range(top, bottom + 1):
        if r in need:
            ws.row_dimensions[r].height = round(need[r], 1)


def _fixed_rows(table_id: str | None) -> bool:
    """Whether a table has a fixed set of printed rows (the two-sided 收支总表), so it always fits one page."""
    from ..core.specs import BY_ID

    found = BY_ID.get(table_id or "")
    return bool(found is not None and found.sides)
