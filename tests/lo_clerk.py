"""A clerk at LibreOffice, driven through UNO: insert a row into a protected sheet, type into it, recalculate.

Run by the system Python that has Debian's python3-uno (`/usr/bin/python3 tests/lo_clerk.py PIPE < jobs.json`),
never imported by the tests (the project venv cannot import `uno`); `recalc.office` starts the LibreOffice it
talks to and `recalc.clerk` runs it. Reads a JSON list of jobs from stdin and prints one JSON result per job:

    {"path": ".../budget-set.xlsx", "sheet": "表1-2", "insert": 10,        # the new row's number (1-based)
     "fill_down": ["E"], "type": {"A": "201", "D": "一般公共服务支出", "F": "123.45"},
     "columns": ["A", ..., "G"], "read": ["E6", "F6"]}

A job inserts one row with `XTableRows.insertByIndex` (which honours the sheet protection: it raises when the
protection forbids inserting rows), then does what a clerk does: Ctrl+D from the row above into the new row for the
`fill_down` columns (`XCellSeries.fillAuto` downwards from one source row: the formula copied with its relative
references moved, what Ctrl+D does), and typing into the `type` cells (`XCell.setFormula`: the input read as typed,
a number as a number, text in a text-formatted cell as text). A locked target is reported, never written to: the
program would refuse it with a message box. (Not through the dispatcher, `.uno:FillDown` and `.uno:EnterString` on a
selection: measured under load, those make LibreOffice 7.4 headless abort in a timer, "Unspecified Application
Error", in about every second run of 33 jobs, and in none without them.) Then every formula is recalculated and the
`read` cells are returned with the new row's and the row above's protection, borders and number format.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import uno  # Debian's python3-uno, for /usr/bin/python3 only
from com.sun.star.beans import PropertyValue
from com.sun.star.sheet.FillDirection import TO_BOTTOM as BOTTOM


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, seconds: float = 120) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def looks(cell: Any) -> dict[str, Any]:
    """What a clerk sees of a cell: can it be typed into, is it ruled on every side, how are numbers shown."""
    sides = (cell.TopBorder, cell.BottomBorder, cell.LeftBorder, cell.RightBorder)
    return {
        "locked": bool(cell.CellProtection.IsLocked),
        "ruled": [s.OuterLineWidth > 0 for s in sides],
        "format": cell.NumberFormat,
    }


def run(ctx: Any, job: dict[str, Any]) -> dict[str, Any]:
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["path"]), "_blank", 0, (prop("Hidden", True),))
    if doc is None:  # what a LibreOffice going down answers
        raise RuntimeError(f"LibreOffice opened nothing for {job['path']}")
    try:
        sheet = doc.Sheets.getByName(job["sheet"])
        new, above = job["insert"], job["insert"] - 1
        out: dict[str, Any] = {"protected": bool(sheet.isProtected()), "inserted": True, "error": None, "refused": []}
        try:
            sheet.getRows().insertByIndex(new - 1, 1)
        except Exception as e:  # com.sun.star.uno.RuntimeException: the protection forbids it
            out["inserted"], out["error"] = False, f"{type(e).__name__}: {e}"
            return out

        def cell(ref: str) -> Any:
            return sheet.getCellRangeByName(ref)

        def anywhere(ref: str) -> Any:  # "E6" on this sheet, "表1!D6" on another
            name, _, at = ref.rpartition("!")
            return (doc.Sheets.getByName(name) if name else sheet).getCellRangeByName(at)

        def writable(target: str) -> bool:
            if cell(target).CellProtection.IsLocked:  # the program would refuse with a message box
                out["refused"].append(target)
                return False
            return True

        for col in job.get("fill_down", []):  # Ctrl+D: the row above filled into the new row
            if writable(f"{col}{new}"):
                cell(f"{col}{above}:{col}{new}").fillAuto(BOTTOM, 1)
        for col, text in job.get("type", {}).items():
            if writable(f"{col}{new}"):
                cell(f"{col}{new}").setFormula(text)
        doc.calculateAll()
        out["new"] = {c: looks(cell(f"{c}{new}")) | {"formula": cell(f"{c}{new}").getFormula()} for c in job["columns"]}
        out["above"] = {c: looks(cell(f"{c}{above}")) for c in job["columns"]}
        out["values"] = {ref: anywhere(ref).getValue() for ref in job.get("read", [])}
        out["formulas"] = {ref: anywhere(ref).getFormula() for ref in job.get("read", [])}
        return out
    finally:
        doc.close(True)


def main() -> None:
    ctx = connect(sys.argv[1])
    for job in json.load(sys.stdin):
        print(json.dumps(run(ctx, job), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
