"""The Excel script (gongkai.xl.validate_workbook's work) on the REAL xlwings remote engine, with payloads built from
the readable files of the hostile corpus: no exception, the same reading findings as the command line, and the
files the payloads came from unchanged.

Files Excel itself refuses to open (not a zip, encrypted, bombs) never reach a script, so only the readable ones
are here. Inside Excel every formula has a result, so a formula without a cached one cannot occur (R005 is the
command line's); the payload shows such a cell as empty, as Excel would before recalculating.
"""

from __future__ import annotations

import hashlib
import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before the first `import xlwings`

from pathlib import Path

import corpus
import pytest
from corpus import DAMAGED, READABLE, Case

xw = pytest.importorskip("xlwings")
xlengine = pytest.importorskip("xlengine")

if not xw.__pro__:
    pytest.skip("the remote engine needs XLWINGS_LICENSE_KEY=noncommercial before xlwings is imported", allow_module_level=True)

from gongkai import xl  # noqa: E402

EXCEL_FINDINGS = {"uncached_formulas": ()}
"""Where Excel's view differs from the file's (see the module docstring)."""


@pytest.mark.parametrize("case", DAMAGED + READABLE, ids=lambda c: c.name)
def test_validate_in_excel_reports_and_never_raises(tmp_path: Path, case: Case) -> None:
    path = case.build(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    book = xw.Book(json=xlengine.payload_from_xlsx(path, notes=False, missing_cache="empty"))

    findings = xl.validate(book)

    reading = [(f.where, f.rule) for f in findings if f.rule.startswith(("R", "H"))]
    assert reading == list(EXCEL_FINDINGS.get(case.name, case.findings))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert xlengine.disallowed(book, "Office.js") == []


def test_validate_in_excel_on_a_clean_book_marks_nothing(tmp_path: Path) -> None:
    path = corpus.good_workbook(tmp_path / "good.xlsx")
    book = xw.Book(json=xlengine.payload_from_xlsx(path))

    assert xl.validate(book) == []
