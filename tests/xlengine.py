"""Test support: run gongkai's Excel scripts on the REAL xlwings remote engine.

The remote engine is ``xw.Book(json=payload)`` (xlwings PRO, ``xlwings/pro/_xlremote.py``). It is
a snapshot of the workbook (values, names, tables, note addresses) plus a recorder of *actions*
that a client (Office.js add-in, VBA ``RunServerPython``, Google Apps Script, Office Scripts)
would execute. This module

* builds the request payload a client would send, from a real ``.xlsx`` (``payload_from_xlsx``),
* returns the recorded actions (``actions``),
* knows which action names each client can execute (``ALLOWED``), and
* optionally replays a subset of actions onto a copy of the file with openpyxl
  (``apply_actions_to_xlsx``; OUR emulation, not an xlwings client).

Licensing: xlwings PRO code is only *called* here, never copied. Using it needs
``XLWINGS_LICENSE_KEY`` in the environment before ``import xlwings`` (tests use ``noncommercial``,
see docs/design §5). This module itself never imports xlwings at import time.

Pinned against xlwings 0.37.8 (payload keys read by ``_xlremote.py``; client sources shipped in
the wheel) and the xlwings-server JS client at commit 8862003 (not shipped in the wheel).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import re
import shutil
from pathlib import Path

import openpyxl
import python_calamine
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

__all__ = [
    "ALLOWED",
    "ALLOWED_SOURCE",
    "action_names",
    "actions",
    "apply_actions_to_xlsx",
    "disallowed",
    "emitted_action_names",
    "payload_from_xlsx",
]

XLWINGS_VERSION = importlib.metadata.version("xlwings")

# --------------------------------------------------------------------------------------------
# Payload
# --------------------------------------------------------------------------------------------

_EPOCH_1900 = dt.datetime(1899, 12, 30)  # Excel serial 0 as the JS client computes it (25569 = 1970-01-01)
_VISIBILITY = {"Visible": "Visible", "Hidden": "Hidden", "VeryHidden": "VeryHidden"}


def _js_iso(value: dt.datetime) -> str:
    """Like JS ``Date.prototype.toISOString()``: millisecond precision and a trailing ``Z``.

    The Office.js client converts date/time cells with ``new Date((serial - 25569) * 86400000)
    .toISOString()`` (``convertDateValues``); the engine matches that pattern and turns it back
    into a naive ``datetime`` (it cuts the ``Z``).
    """
    value = value.replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _cell_to_wire(v):
    """A python-calamine value -> what the Office.js client puts into ``values``."""
    if v is None:
        return ""
    if isinstance(v, bool):  # before numbers: bool is an int
        return v
    if isinstance(v, int):
        # Excel stores doubles only; calamine may hand out ints. Keep numbers as floats so that
        # reads behave like classic xlwings (a real Office.js JSON body would parse 3 as int 3).
        return float(v)
    if isinstance(v, dt.datetime):
        return _js_iso(v)
    if isinstance(v, dt.date):
        return _js_iso(dt.datetime(v.year, v.month, v.day))
    if isinstance(v, dt.time):  # "Time" category: serial < 1 -> 1899-12-30THH:MM:SS
        return _js_iso(dt.datetime.combine(_EPOCH_1900.date(), v))
    if isinstance(v, dt.timedelta):  # durations ([h]:mm) are "Time" too: epoch + serial
        return _js_iso(_EPOCH_1900 + v)
    return v  # float, str


def _a1(row0: int, col0: int) -> str:
    return f"{get_column_letter(col0 + 1)}{row0 + 1}"


def _strip(address: str) -> str:
    """Office.js ``Range.address`` style: no ``$``, no sheet name."""
    return address.split("!")[-1].replace("$", "")


def _scan_cached(ws_v):
    """Error cells and formula results without a cached value, from a data_only read-only sheet.

    python-calamine turns error values (``#DIV/0!``) into ``""``; the Office.js client sends the
    error string. openpyxl's ``data_only`` reader still knows the cell type (``e`` for errors;
    ``n`` with no value for a formula never calculated, ``str`` with no value for a formula that
    legitimately returned ``""``).
    """
    errors, uncached = {}, set()
    for row in ws_v.iter_rows():
        for c in row:
            if getattr(c, "row", None) is None:  # EmptyCell
                continue
            if c.data_type == "e" and c.value is not None:
                errors[(c.row - 1, c.column - 1)] = str(c.value)
            elif c.value is None and c.data_type in ("n", "b", "e", "d"):
                uncached.add((c.row - 1, c.column - 1))
    return errors, uncached


def _tables(ws_f) -> list[dict]:
    out = []
    for t in ws_f.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(t.ref)
        hdr = t.headerRowCount in (None, 1)
        tot = bool(t.totalsRowCount) or bool(t.totalsRowShown and t.totalsRowCount)
        first, last = get_column_letter(min_col), get_column_letter(max_col)
        body_min = min_row + (1 if hdr else 0)
        body_max = max_row - (1 if tot else 0)
        style = t.tableStyleInfo
        out.append({
            "name": t.displayName,
            "range_address": _strip(t.ref),
            "header_row_range_address": f"{first}{min_row}:{last}{min_row}" if hdr else None,
            "data_body_range_address": f"{first}{body_min}:{last}{body_max}",
            "total_row_range_address": f"{first}{max_row}:{last}{max_row}" if tot else None,
            "show_headers": hdr,
            "show_totals": tot,
            "table_style": style.name if style is not None else None,
            "show_autofilter": t.autoFilter is not None,
            "show_table_style_first_column": bool(style and style.showFirstColumn),
            "show_table_style_last_column": bool(style and style.showLastColumn),
            "show_table_style_row_stripes": bool(style and style.showRowStripes),
            "show_table_style_column_stripes": bool(style and style.showColumnStripes),
        })
    return out


def _name_entry(name, defn, sheet_names, scope_ix):
    dests = list(defn.destinations)
    if not dests:  # constants / formulas: the JS clients only send names of type "Range"
        return None
    sheet_index = address = None
    if len(dests) == 1 and dests[0][0] in sheet_names:  # multi-area -> null, like the JS client
        sheet_index, address = sheet_names.index(dests[0][0]), _strip(dests[0][1])
    return {
        "name": name,
        "sheet_index": sheet_index,
        "address": address,
        "refers_to": "=" + defn.attr_text,  # newer clients send it; the engine falls back to coords
        "scope_sheet_name": None if scope_ix is None else sheet_names[scope_ix],
        "scope_sheet_index": scope_ix,
        "book_scope": scope_ix is None,
    }


def payload_from_xlsx(path, *, client: str = "Office.js", version: str | None = None,
                      notes: bool = True, missing_cache: str = "raise") -> dict:
    """Build the request payload a client's ``getBookData()`` would send for ``path``.

    Shape (``xlwings/pro/_xlremote.py`` 0.37.8; xlwings-server ``getBookData``)::

        {client, version,
         book: {name, active_sheet_index, selection},
         names: [{name, sheet_index, address, refers_to, scope_sheet_name, scope_sheet_index,
                  book_scope}],
         sheets: [{name, values, used_range_address, visibility, pictures, shapes, charts,
                   tables, print_area, notes?, show_gridlines?, pivot_tables?}]}

    * ``values``: cached cell values read with python-calamine, a rectangle from A1 to the last
      used cell (as the JS client sends ``A1:<usedRange.lastCell>``). Empty -> ``""``; numbers ->
      float; bool; str; error cells -> their error string (``"#DIV/0!"``; the engine reads them as
      None unless ``err_to_str``); date/time/duration -> ISO string ``...T..:..:..000Z`` (what
      the JS ``convertDateValues`` produces; the engine parses it back to ``datetime``).
      An empty sheet sends ``[[""]]`` (Excel's used range of an empty sheet is A1).
    * Formula cells without a cached value (any file openpyxl wrote and no spreadsheet app ever
      recalculated) cannot be represented honestly: ``missing_cache="raise"`` (default) raises
      ``ValueError``; ``"empty"`` sends ``""``.
    * ``notes`` (Office.js only): per-sheet ``[{"address": "B3"}]`` from openpyxl comments (Excel's
      *notes*). Text is not sent (the engine can't read it synchronously anyway). The engine's
      ``add_note`` needs this key; the public xlwings-server JS client does NOT send it (there
      ``add_note`` raises NotImplementedError). ``notes=False`` omits it like that client.
    * ``show_gridlines`` and ``pivot_tables`` are sent for Office.js only (as the engine's own
      ``Sheets.add`` does); pictures/shapes/charts/pivot tables are always empty lists here.
    * Only worksheets are sent (chart sheets are not in Office.js' worksheet collection).
    * ``version`` defaults to the installed xlwings; non-Office.js clients must match it exactly.
    """
    if missing_cache not in ("raise", "empty"):
        raise ValueError("missing_cache must be 'raise' or 'empty'")
    path = Path(path)
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in cal.sheets_metadata}
    wb_f = openpyxl.load_workbook(path)  # formulas, comments, names, tables, views
    wb_v = openpyxl.load_workbook(path, data_only=True, read_only=True)  # cached types
    try:
        sheet_names = [ws.title for ws in wb_f.worksheets]
        sheets = []
        for ws_f in wb_f.worksheets:
            cs = cal.get_sheet_by_name(ws_f.title)
            rows = cs.to_python(skip_empty_area=False) if cs.end is not None else []
            values = [[_cell_to_wire(v) for v in row] for row in rows]
            errors, uncached = _scan_cached(wb_v[ws_f.title])
            missing = sorted(
                (r, c) for (r, c) in uncached
                if ws_f.cell(r + 1, c + 1).data_type == "f"
            )
            # calamine's extent ignores error cells and uncached formulas; Excel's doesn't.
            extra = list(errors) + missing
            start = list(cs.start) if cs.end is not None else None
            end = list(cs.end) if cs.end is not None else None
            for r, c in extra:
                start = [min(start[0], r), min(start[1], c)] if start else [r, c]
                end = [max(end[0], r), max(end[1], c)] if end else [r, c]
            if end is not None:
                width = end[1] + 1
                values = [row + [""] * (width - len(row)) for row in values]
                values += [[""] * width for _ in range(end[0] + 1 - len(values))]
            for (r, c), err in errors.items():
                values[r][c] = err
            if missing and missing_cache == "raise":
                shown = [_a1(r, c) for r, c in missing[:5]]
                raise ValueError(
                    f"{path.name}!{ws_f.title}: {len(missing)} formula cell(s) without a cached "
                    f"value (e.g. {shown}); recalculate the file first (LibreOffice headless, "
                    f"see design §4.4) or pass missing_cache='empty'")
            if end is not None:
                used = f"{_a1(*start)}:{_a1(*end)}"
            else:
                used, values = None, [[""]]
            sheet = {
                "name": ws_f.title,
                "values": values,
                "used_range_address": used,
                "visibility": _VISIBILITY.get(visibility.get(ws_f.title), "Visible"),
                "pictures": [],
                "shapes": [],
                "charts": [],
                "tables": _tables(ws_f),
                "print_area": _strip(ws_f.print_area) if ws_f.print_area else None,
            }
            if client == "Office.js":
                sheet["show_gridlines"] = ws_f.sheet_view.showGridLines in (None, True)
                sheet["pivot_tables"] = []
                if notes:
                    sheet["notes"] = [
                        {"address": c.coordinate}
                        for (_r, _c), c in sorted(ws_f._cells.items())
                        if c.comment is not None
                    ]
            sheets.append(sheet)

        names = []
        for n, d in wb_f.defined_names.items():
            if not n.startswith("_xlnm."):
                names.append(_name_entry(n, d, sheet_names, None))
        for ix, ws_f in enumerate(wb_f.worksheets):
            for n, d in ws_f.defined_names.items():
                if not n.startswith("_xlnm."):
                    names.append(_name_entry(n, d, sheet_names, ix))
        names = [n for n in names if n is not None]

        active = wb_f.active if wb_f.active in wb_f.worksheets else wb_f.worksheets[0]
        sel = active.sheet_view.selection
        selection = _strip(str(sel[0].sqref).split()[0]) if sel and sel[0].sqref else "A1"
        return {
            "client": client,
            "version": version or XLWINGS_VERSION,
            "book": {
                "name": path.name,
                "active_sheet_index": wb_f.worksheets.index(active),
                "selection": selection,
            },
            "names": names,
            "sheets": sheets,
        }
    finally:
        wb_v.close()
        wb_f.close()


# --------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------


def actions(book) -> list[dict]:
    """The actions recorded on a remote ``xw.Book`` (``book.json()["actions"]``, what the Server
    router returns to the client). Each is ``{func, args, values, sheet_position, start_row,
    start_column, row_count, column_count}`` with 0-based positions."""
    return list(book.json()["actions"])


def action_names(book_or_actions) -> list[str]:
    acts = book_or_actions if isinstance(book_or_actions, list) else actions(book_or_actions)
    return [a["func"] for a in acts]


def disallowed(book_or_actions, client: str = "Office.js") -> list[str]:
    """Recorded action names that ``client`` cannot execute (empty list = all fine)."""
    return [f for f in action_names(book_or_actions) if f not in ALLOWED[client]]


# --------------------------------------------------------------------------------------------
# Per-client allow-lists
# --------------------------------------------------------------------------------------------

def _xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")  # does not execute xlwings/__init__.py
    return Path(next(iter(spec.submodule_search_locations)))


# Snapshots for xlwings 0.37.8. They are used only if the wheel's client sources are missing;
# tests assert that what is derived from the installed wheel equals them, so an xlwings upgrade
# that changes a client shows up as a test failure instead of silently changing the lists.
_VBA_0378 = frozenset({
    "setValues", "rangeClearContents", "rangeClearFormats", "rangeClear", "addSheet",
    "setSheetName", "setAutofit", "setRangeColor", "activateSheet", "addHyperlink",
    "setNumberFormat", "setPictureName", "setPictureHeight", "setPictureWidth", "deletePicture",
    "addPicture", "updatePicture", "alert", "setRangeName", "namesAdd", "nameDelete", "runMacro",
    "rangeDelete", "rangeInsert", "rangeSelect", "addTable", "setTableName", "resizeTable",
    "showAutofilterTable", "showHeadersTable", "showTotalsTable", "setTableStyle", "copyRange",
    "sheetDelete", "sheetClear", "sheetClearContents", "sheetClearFormats",
})
# In 0.37.8 Google Apps Script and Office Scripts execute exactly the same 37 names as VBA.
_GAS_0378 = _VBA_0378
_OFFICE_SCRIPTS_0378 = _VBA_0378

# Office.js: the client is NOT shipped in the xlwings wheel. This is the `funcs` map of
# xlwings-server's `xlwings_server/static/js/custom-scripts/index.js` (github:xlwings/xlwings-server
# @ 88620030ee48643d4eff789728cc3aecf302be38), i.e. the public Office.js client of xlwings Server,
# 44 names. It has no addNote/addComment/setSheetAutofit/rangeMerge/... although the 0.37.8
# engine records them for client "Office.js": those are for xlwings Lite, whose Office.js client
# is closed source, so Lite's list cannot be derived (not guessed here).
_OFFICEJS_SERVER_8862003 = frozenset({
    "setValues", "addSheet", "setSheetName", "setAutofit", "setRangeColor", "activateSheet",
    "addHyperlink", "setNumberFormat", "setPictureName", "setPictureWidth", "setPictureHeight",
    "deletePicture", "addPicture", "updatePicture", "alert", "setRangeName", "namesAdd",
    "nameDelete", "runMacro", "rangeDelete", "rangeInsert", "rangeSelect", "rangeClearContents",
    "rangeClearFormats", "rangeGroup", "rangeUngroup", "rangeClear", "rangeAdjustIndent",
    "addTable", "setTableName", "resizeTable", "showAutofilterTable", "showHeadersTable",
    "showTotalsTable", "setTableStyle", "copyRange", "copyFromRange", "sheetDelete", "sheetClear",
    "sheetClearFormats", "sheetClearContents", "freezePaneAtRange", "freezePaneUnfreeze",
    "setFontProperty",
})


def _derive_vba(root: Path):
    # addin/Remote.bas dispatches with `Application.Run action("func"), wb, action`, so an action
    # is any `Sub <name>(wb As Workbook, action As Dictionary)`.
    src = (root / "addin" / "Remote.bas").read_text(encoding="utf-8", errors="replace")
    return frozenset(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", src, re.M))


def _derive_gas(root: Path):
    # js/xlwings.js ("xlwings for Google Apps Script") dispatches `funcs[action.func](workbook,
    # action)` with `funcs = this` (all global functions). `getRange(workbook, action)` has the
    # same signature but is a helper, not an action.
    src = (root / "js" / "xlwings.js").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^function (\w+)\(workbook, action\)", src, re.M)) - {"getRange"}


def _derive_office_scripts(root: Path):
    # js/xlwings.ts ("xlwings for Microsoft Office Scripts"): `registerCallback(<fn>)` per action,
    # dispatched via `globalThis.callbacks[action.func]`.
    src = (root / "js" / "xlwings.ts").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^registerCallback\((\w+)\);", src, re.M))


def _build_allowed():
    root = _xlwings_dir()
    allowed, source = {}, {}
    for client, derive, fallback, rel in (
        ("VBA", _derive_vba, _VBA_0378, "addin/Remote.bas"),
        ("Google Apps Script", _derive_gas, _GAS_0378, "js/xlwings.js"),
        ("Office Scripts", _derive_office_scripts, _OFFICE_SCRIPTS_0378, "js/xlwings.ts"),
    ):
        try:
            allowed[client] = derive(root)
            source[client] = f"installed xlwings {XLWINGS_VERSION}: xlwings/{rel}"
        except OSError:
            allowed[client] = fallback
            source[client] = f"snapshot of xlwings 0.37.8 xlwings/{rel} (not found in the install)"
    allowed["Office.js"] = _OFFICEJS_SERVER_8862003
    source["Office.js"] = ("snapshot of xlwings-server@8862003 static/js/custom-scripts/index.js "
                           "(not shipped in the xlwings wheel; xlwings Lite's client is not public)")
    return allowed, source


ALLOWED, ALLOWED_SOURCE = _build_allowed()


def emitted_action_names() -> frozenset[str]:
    """Every action name the installed remote engine can record (``func="..."`` literals in
    ``xlwings/pro/_xlremote.py``; 122 in 0.37.8). Read as text, nothing is copied."""
    src = (_xlwings_dir() / "pro" / "_xlremote.py").read_text(encoding="utf-8")
    return frozenset(re.findall(r'func="(\w+)"', src))


# --------------------------------------------------------------------------------------------
# Emulation (ours, NOT an xlwings client)
# --------------------------------------------------------------------------------------------

EMULATED = frozenset({
    "setValues", "setRangeColor", "setNumberFormat", "addNote", "addHyperlink", "addSheet",
    "sheetDelete", "setSheetName", "rangeClear", "rangeClearContents", "rangeClearFormats",
    "sheetClear", "sheetClearContents", "sheetClearFormats",
})


def apply_actions_to_xlsx(src, actions_, dst):
    """EMULATION: replay a subset of recorded actions onto a copy of ``src`` saved as ``dst``.

    This is our approximation of what a client would do, so that a test can inspect (or
    recalculate with LibreOffice) the resulting file. It proves nothing about Excel or any xlwings
    client. Supported: ``EMULATED``; any other action raises ``NotImplementedError``.
    Formats are simplified (solid fills; clearing formats resets style to the default).
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    src, dst = Path(src), Path(dst)
    if src.resolve() != dst.resolve():
        shutil.copyfile(src, dst)
    keep_vba = dst.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(dst, keep_vba=keep_vba)

    def cells(ws, a):
        r0, c0 = a["start_row"] + 1, a["start_column"] + 1
        return [ws.cell(r0 + i, c0 + j)
                for i in range(a["row_count"]) for j in range(a["column_count"])]

    def clear_contents(cs):
        for c in cs:
            c.value = None

    def clear_formats(cs):
        for c in cs:
            c.style = "Normal"

    for a in actions_:
        f, args = a["func"], a.get("args") or []
        if f not in EMULATED:
            raise NotImplementedError(f"no emulation for action {f!r}")
        if f == "addSheet":
            wb.create_sheet(args[1], index=args[0])
            continue
        ws = wb.worksheets[a["sheet_position"]]
        if f == "setValues":
            r0, c0 = a["start_row"] + 1, a["start_column"] + 1
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    if isinstance(v, str) and re.match(r"^\d{4}-\d\d-\d\dT", v):
                        with contextlib.suppress(ValueError):
                            v = dt.datetime.fromisoformat(v.rstrip("Z"))
                    ws.cell(r0 + i, c0 + j).value = v
        elif f == "setRangeColor":
            for c in cells(ws, a):
                if args[0] is None:
                    c.fill = PatternFill(fill_type=None)
                else:
                    rgb = "FF" + args[0].lstrip("#").upper()
                    c.fill = PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)
        elif f == "setNumberFormat":
            for c in cells(ws, a):
                c.number_format = args[0]
        elif f == "addNote":
            ws[_strip(args[0])].comment = Comment(args[1], "xlwings")
        elif f == "addHyperlink":
            address, text, tip = [*args, None, None, None][:3]
            for c in cells(ws, a):
                c.hyperlink = address
                if tip:
                    c.hyperlink.tooltip = tip
                c.value = text if text is not None else address
        elif f == "sheetDelete":
            wb.remove(ws)
        elif f == "setSheetName":
            ws.title = args[0]
        elif f == "rangeClearContents":
            clear_contents(cells(ws, a))
        elif f == "rangeClearFormats":
            clear_formats(cells(ws, a))
        elif f == "rangeClear":
            cs = cells(ws, a)
            clear_contents(cs)
            clear_formats(cs)
        elif f in ("sheetClear", "sheetClearContents", "sheetClearFormats"):
            cs = [c for row in ws.iter_rows() for c in row]
            if f != "sheetClearFormats":
                clear_contents(cs)
            if f != "sheetClearContents":
                clear_formats(cs)
    wb.save(dst)
    return dst
