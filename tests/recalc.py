"""LibreOffice headless recalculation for tests: one `soffice --convert-to xlsx` call for many workbooks.

The throwaway profile sets OOXMLRecalcMode=0 so LibreOffice recalculates every formula on load, even when the
file carries cached values (our filled workbooks do); see shared/design/xlwings-and-excel-testing.md §4.3 and §4.4.
Use `recalculated(paths, outdir)` from a session fixture; it skips the test when soffice is absent.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def recalculated(paths: Sequence[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert every workbook in one LibreOffice run (recalculating all formulas); return the converted paths."""
    exe = soffice()
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in paths]
    assert len(set(names)) == len(names), "workbooks converted together need distinct file names"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )
    out = [outdir / p.name for p in paths]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out
