"""Plans → .xlsx files with openpyxl. The only module that imports openpyxl.

Every output is written to a temporary file beside the target and renamed into place, so a crash never leaves a
half-written workbook and an input is never overwritten unless the caller asks for it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.addresses import col_letter
from ..fill.layout import SheetPlan


class OverwriteError(Exception):
    """The target is an input, or exists and overwriting was not asked for."""


@contextmanager
def atomic_path(target: str | Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` only if the block succeeds."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise OverwriteError(f"{target} 已存在，未覆盖")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _copy_mode(tmp_path, target)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _copy_mode(tmp: Path, target: Path) -> None:
    """Give the new file the permissions of the file it replaces, or a new file's usual ones (mkstemp makes 0600)."""
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except OSError:
        pass  # permissions are a courtesy; the data is what must arrive


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

    wb = render([s.plan for s in book.sheets])
    unlocked = Protection(locked=False)
    for sheet, ws in zip(book.sheets, wb.worksheets, strict=True):
        plan = sheet.plan
        for ref in sheet.inputs:
            ws[ref].protection = unlocked
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
        ws.freeze_panes = f"A{bottom + 1}"
        ws.print_title_rows = f"{top}:{bottom}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.protection.sheet = True
        for allowed in ("formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
            setattr(ws.protection, allowed, False)
        for name, rng in sheet.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!{rng}")
    lists = wb.create_sheet("下拉选项")
    for i, (name, options) in enumerate(book.lists.items(), start=1):
        letter = col_letter(i - 1)
        lists.cell(1, i, name)
        for j, option in enumerate(options, start=2):
            lists.cell(j, i, option).data_type = "s"
        wb.defined_names[name] = DefinedName(name, attr_text=f"'下拉选项'!${letter}$2:${letter}${len(options) + 1}")
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    notes = wb.create_sheet("填表说明", 0)
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


def _add_cached_values(path: Path, cached: dict[int, dict[str, Decimal]]) -> None:
    """Put each formula cell's value into ``<v>`` of the saved sheet XML (openpyxl writes formulas without one)."""
    import re
    import shutil
    import zipfile

    pattern = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*/>(</c>)')
    tmp = path.with_suffix(".cached" + path.suffix)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            values = cached.get(int(m.group(1))) if m else None
            if values:
                def fill(match: re.Match[str], values: dict[str, Decimal] = values) -> str:
                    ref, attrs, formula, end = match.groups()
                    value = values.get(ref)
                    if value is None:
                        return match.group(0)
                    return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{format(value, "f")}</v>{end}'

                data = pattern.sub(fill, data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    shutil.move(tmp, path)
