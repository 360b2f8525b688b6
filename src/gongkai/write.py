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

from .layout import SheetPlan


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
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


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
    from openpyxl.utils import get_column_letter  # noqa: F401  (kept for callers extending the sheet)

    wb = Workbook()
    wb.remove(wb.active)
    styles = _styles() if styled else {}
    for plan in plans:
        ws = wb.create_sheet(plan.name[:31])
        for cw in plan.cells:
            cell = ws[cw.ref]
            cell.value = _value(cw.value)
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
