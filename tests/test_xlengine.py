"""Tests for tests/xlengine.py: payloads from real .xlsx files on the real xlwings remote engine."""
import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before the first `import xlwings`

import datetime as dt
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

sys.path.insert(0, str(Path(__file__).parent))
import xlwings as xw

import xlengine

if not xw.__pro__:
    pytest.skip(
        "xlwings was imported without a valid XLWINGS_LICENSE_KEY (the remote engine is PRO); "
        "set XLWINGS_LICENSE_KEY=noncommercial before xlwings is first imported",
        allow_module_level=True,
    )


def _set_cached_values(path: Path, sheet_xml: str, patches: dict[bytes, bytes]):
    """Give openpyxl-written formula cells a cached value, as Excel/LibreOffice would on save."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                for old, new in patches.items():
                    assert old in data, old
                    data = data.replace(old, new)
            out.writestr(item, data)
    tmp.replace(path)


@pytest.fixture
def ledger(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ledger"
    ws.append(["account", "amount", "date"])
    ws.append(["4000", 100.5, dt.date(2024, 1, 31)])
    ws.append(["4010", 20, dt.datetime(2024, 2, 1, 12, 30)])
    ws["A4"] = "total"
    ws["B4"] = "=SUM(B2:B3)"      # cached value 120.5 patched in below
    ws["B5"] = "=1/0"             # cached #DIV/0! patched in below
    ws["B2"].comment = Comment("checked by clerk", "clerk")
    wb.defined_names["GrandTotal"] = DefinedName("GrandTotal", attr_text="Ledger!$B$4")
    summary = wb.create_sheet("Summary")
    summary["A1"] = "ok"
    summary.sheet_state = "hidden"
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    _set_cached_values(path, "xl/worksheets/sheet1.xml", {
        b"<f>SUM(B2:B3)</f><v />": b"<f>SUM(B2:B3)</f><v>120.5</v>",
        b'<c r="B5"><f>1/0</f><v />': b'<c r="B5" t="e"><f>1/0</f><v>#DIV/0!</v>',
    })
    return path


@pytest.fixture
def book(ledger):
    return xw.Book(json=xlengine.payload_from_xlsx(ledger))


def test_payload_shape(ledger):
    p = xlengine.payload_from_xlsx(ledger)
    assert p["client"] == "Office.js" and p["version"] == xw.__version__
    assert p["book"] == {"name": "ledger.xlsx", "active_sheet_index": 0, "selection": "A1"}
    assert p["names"] == [{
        "name": "GrandTotal", "sheet_index": 0, "address": "B4", "refers_to": "=Ledger!$B$4",
        "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True,
    }]
    led, summ = p["sheets"]
    assert led["values"] == [
        ["account", "amount", "date"],
        ["4000", 100.5, "2024-01-31T00:00:00.000Z"],
        ["4010", 20.0, "2024-02-01T12:30:00.000Z"],
        ["total", 120.5, ""],
        ["", "#DIV/0!", ""],
    ]
    assert led["used_range_address"] == "A1:C5"
    assert led["notes"] == [{"address": "B2"}]
    assert (led["visibility"], summ["visibility"]) == ("Visible", "Hidden")
    for key in ("pictures", "shapes", "charts", "tables", "pivot_tables"):
        assert led[key] == []


def test_round_trip_reads(book):
    ledger = book.sheets["Ledger"]
    assert ledger["A1"].value == "account"
    assert ledger["B4"].value == 120.5                  # cached value of the formula
    assert ledger["B5"].value is None                   # error -> None (default err_to_str)
    assert ledger["B5"].options(err_to_str=True).value == "#DIV/0!"
    assert ledger["C2"].value == dt.datetime(2024, 1, 31)
    assert ledger.used_range.address == "$A$1:$C$5"
    assert ledger["A1"].expand().value[1] == ["4000", 100.5, dt.datetime(2024, 1, 31)]
    assert [n.name for n in book.names] == ["GrandTotal"]
    assert book.names["GrandTotal"].refers_to_range.value == 120.5
    assert ledger["B2"].note is not None and ledger["B3"].note is None
    assert [s.visible for s in book.sheets] == [True, False]


def test_unreadable_attributes_raise(book):
    cell = book.sheets[0]["B2"]
    for read in (lambda: cell.color, lambda: cell.note.text, lambda: cell.formula,
                 lambda: cell.number_format, lambda: cell.hyperlink):
        with pytest.raises(NotImplementedError):
            read()


def test_recorded_writes_and_allow_list(book):
    sheet = book.sheets[0]
    sheet["B2"].value = 3
    sheet["B2"].color = "#FFC7CE"
    sheet["C3"].add_note("date looks late")
    sheet["A2"].add_hyperlink("https://example.org/4000", "4000")
    book.sheets.add("x")
    book.sheets["Summary"].delete()

    acts = xlengine.actions(book)
    assert [a["func"] for a in acts] == [
        "setValues", "setRangeColor", "addNote", "addHyperlink", "addSheet", "sheetDelete"]
    assert acts[0]["values"] == [[3]]
    assert (acts[0]["sheet_position"], acts[0]["start_row"], acts[0]["start_column"]) == (0, 1, 1)
    assert acts[1]["args"] == ["#FFC7CE"]
    assert acts[2]["args"] == ["$C$3", "date looks late"]
    assert acts[3]["args"][:2] == ["https://example.org/4000", "4000"]
    assert acts[3]["args"][2].startswith("https://example.org/4000 - Click once")  # default tip
    assert acts[4]["args"] == [2, "x"]
    assert acts[5]["sheet_position"] == 1
    assert [s.name for s in book.sheets] == ["Ledger", "x"]
    assert sheet["B2"].value == 100.5  # snapshot: writes are not read back

    # The public Office.js client (xlwings-server) executes everything except addNote, which
    # only xlwings Lite's (closed) client handles; VBA can't do notes either.
    assert xlengine.disallowed(acts, "Office.js") == ["addNote"]
    for a in acts:
        if a["func"] != "addNote":
            assert a["func"] in xlengine.ALLOWED["Office.js"]
    assert xlengine.disallowed(acts, "VBA") == ["addNote"]


def test_notes_need_office_js_with_notes(ledger):
    no_notes = xw.Book(json=xlengine.payload_from_xlsx(ledger, notes=False))
    with pytest.raises(NotImplementedError, match=r"ExcelApi 1\.18"):
        no_notes.sheets[0]["C3"].add_note("x")
    vba = xw.Book(json=xlengine.payload_from_xlsx(ledger, client="VBA"))
    with pytest.raises(NotImplementedError, match=r"Office\.js"):
        vba.sheets[0]["C3"].add_note("x")
    with pytest.raises(ValueError, match="already has a note"):
        xw.Book(json=xlengine.payload_from_xlsx(ledger)).sheets[0]["B2"].add_note("x")


def test_version_must_match_for_non_officejs(ledger):
    with pytest.raises(xw.XlwingsError, match="version is different"):
        xw.Book(json=xlengine.payload_from_xlsx(ledger, client="VBA", version="0.30.0"))
    xw.Book(json=xlengine.payload_from_xlsx(ledger, client="Office.js", version="0.30.0"))


def test_uncached_formula_raises(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"] = 1, "=A1*2"
    wb.save(tmp_path / "raw.xlsx")
    with pytest.raises(ValueError, match="A2"):
        xlengine.payload_from_xlsx(tmp_path / "raw.xlsx")
    p = xlengine.payload_from_xlsx(tmp_path / "raw.xlsx", missing_cache="empty")
    assert p["sheets"][0]["values"] == [[1.0], [""]]


def test_allow_lists_come_from_the_installed_clients():
    assert xw.__version__ == "0.37.8"  # the snapshots below are for this version
    assert xlengine.ALLOWED["VBA"] == xlengine._VBA_0378
    assert xlengine.ALLOWED["Google Apps Script"] == xlengine._GAS_0378
    assert xlengine.ALLOWED["Office Scripts"] == xlengine._OFFICE_SCRIPTS_0378
    assert "installed" in xlengine.ALLOWED_SOURCE["VBA"]
    emitted = xlengine.emitted_action_names()
    assert len(emitted) == 122
    for client, names in xlengine.ALLOWED.items():
        assert names <= emitted, (client, names - emitted)
    assert len(xlengine.ALLOWED["Office.js"]) == 44 and len(xlengine.ALLOWED["VBA"]) == 37
    assert "addNote" not in xlengine.ALLOWED["Office.js"]


def test_apply_actions_emulation(ledger, tmp_path):
    book = xw.Book(json=xlengine.payload_from_xlsx(ledger))
    sheet = book.sheets[0]
    sheet["B2"].value = 3
    sheet["B2"].color = "#FFC7CE"
    sheet["C3"].add_note("late")
    sheet["A2"].add_hyperlink("https://example.org/4000", "4000")
    book.sheets.add("Report")["A1"].value = [["cell", "message"], ["C3", "late"]]
    book.sheets["Summary"].delete()
    out = xlengine.apply_actions_to_xlsx(ledger, xlengine.actions(book), tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Ledger", "Report"]
    ws = wb["Ledger"]
    assert ws["B2"].value == 3 and ws["B2"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["C3"].comment.text == "late"
    assert ws["A2"].hyperlink.target == "https://example.org/4000"
    assert wb["Report"]["B2"].value == "late"
    with pytest.raises(NotImplementedError):
        xlengine.apply_actions_to_xlsx(ledger, [{"func": "rangeMerge", "args": [False]}],
                                       tmp_path / "x.xlsx")
