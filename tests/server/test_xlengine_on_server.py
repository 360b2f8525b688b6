"""Demo: run a @script and a @func the way xlwings Server / Lite do (xlwings.server.*).

Needs a separate process with the env set before xlwings is imported:

    XLWINGS_ON_SERVER=true pytest tests/test_xlengine_server.py

(the decorators are chosen at `import xlwings` time, design §1.2). Skips itself otherwise.
"""
import os

import pytest

if os.environ.get("XLWINGS_ON_SERVER") != "true":
    pytest.skip("needs XLWINGS_ON_SERVER=true set before xlwings is imported",
                allow_module_level=True)

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import asyncio
import sys
import types
from pathlib import Path

import openpyxl
import xlwings as xw
import xlwings.server
from xlwings import arg, func, script

sys.path.insert(0, str(Path(__file__).parent))
import xlengine


# --- a tiny "user module", as custom_functions/__init__.py or Lite's main.py would be ---------
@func
@arg("net", doc="Net amount")
def GK_GROSS(net: float, rate: float = 0.19) -> float:
    """Gross amount"""
    return round(net * (1 + rate), 2)


@script
def mark_negatives(book: xw.Book, color: str = "#FFC7CE"):
    sheet = book.sheets[0]
    for i, (amount,) in enumerate(sheet["B2"].expand("down").options(ndim=2).value):
        if amount < 0:
            sheet.range((i + 2, 2)).color = color


demo = types.ModuleType("demo_user_module")
demo.GK_GROSS, demo.mark_negatives = GK_GROSS, mark_negatives


@pytest.fixture
def book(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["account", "amount"])
    for row in (["4000", 10.0], ["4010", -5.0], ["4020", 7.5], ["4030", -1.0]):
        wb.active.append(row)
    wb.save(tmp_path / "b.xlsx")
    return xw.Book(json=xlengine.payload_from_xlsx(tmp_path / "b.xlsx"))


def test_decorators_are_officejs_ones():
    assert hasattr(GK_GROSS, "__xlfunc__")
    assert asyncio.iscoroutinefunction(mark_negatives)  # async wrapper, 1st arg = current_user
    assert xlwings.server.custom_scripts_meta(demo)[0]["function_name"] == "mark_negatives"
    meta = xlwings.server.custom_functions_meta(demo)
    assert [f["id"] for f in meta["functions"]] == ["GK_GROSS"]


def test_custom_scripts_call(book):
    # What the Server router does: typehint_to_value injects the Book; `args` fill the script's
    # remaining parameters positionally; it returns the (injected) Book -> respond book.json().
    rv = asyncio.run(xlwings.server.custom_scripts_call(
        demo, "mark_negatives", typehint_to_value={xw.Book: book}))
    assert rv is book
    acts = xlengine.actions(rv)
    assert [(a["func"], a["start_row"], a["args"]) for a in acts] == [
        ("setRangeColor", 2, ["#FFC7CE"]), ("setRangeColor", 4, ["#FFC7CE"])]
    assert not xlengine.disallowed(acts, "Office.js")

    book.json()["actions"].clear()
    asyncio.run(xlwings.server.custom_scripts_call(
        demo, "mark_negatives", typehint_to_value={xw.Book: book}, args=["#FFEB9C"]))
    assert {a["args"][0] for a in xlengine.actions(book)} == {"#FFEB9C"}


def _body(**kw):
    body = {
        "client": "Office.js", "func_name": "GK_GROSS", "args": [[[100]]],
        "caller_address": "[b.xlsx]Sheet!C2", "session_id": "test",
        "culture_info_name": "en-US", "date_format": "M/d/yyyy",
        "version": xw.__version__, "runtime": "1.4",
    }
    body.update(kw)
    return body


def test_custom_functions_call():
    call = xlwings.server.custom_functions_call
    assert asyncio.run(call(_body(), demo)) == [[119.0]]
    assert asyncio.run(call(_body(args=[[[100]], [[0.1]]]), demo)) == [[110.0]]
    body = _body()
    del body["runtime"]
    with pytest.raises(KeyError, match="runtime"):
        asyncio.run(call(body, demo))
