"""Compare workbooks by content (values, formulas, merges, validations, defined names), not bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def content(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted((str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation),
            "protected": ws.protection.sheet,
            "freeze": ws.freeze_panes,
            "state": ws.sheet_state,
        }
    return out
