"""Recalculate workbooks with LibreOffice (headless) and keep the results as the files' cached formula values.

Used to build the shipped examples: a workbook whose planted mistakes change values that formulas depend on must
carry what Excel would show after recalculation, or gongkai and Excel would disagree about the same file.
LibreOffice keeps stale cached values on ``--convert-to xlsx`` unless its profile sets ``OOXMLRecalcMode`` to 0
(always recalculate); a throwaway profile does that. Only the cached values are taken from LibreOffice's copy:
formulas, styles and everything else stay as gongkai wrote them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .workbook import cached_formula_values, replace_cached_values

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class RecalcError(Exception):
    """LibreOffice is missing or did not convert a file; the message is Chinese."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(paths: Sequence[str | Path]) -> None:
    """Recalculate every workbook in one LibreOffice run and write the results into each file's cached values."""
    exe = soffice()
    if exe is None:
        raise RecalcError("需要 LibreOffice（soffice）才能重新计算工作簿")
    files = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="gongkai-recalc-") as tmp:
        root = Path(tmp)
        (root / "profile" / "user").mkdir(parents=True)
        (root / "profile" / "user" / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
        for i, f in enumerate(files):  # distinct names: LibreOffice writes each result under its input's name
            (root / f"in{i}").mkdir()
            shutil.copy(f, root / f"in{i}" / f"w{i}.xlsx")
        done = subprocess.run(
            [
                exe, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless", "--convert-to", "xlsx",
                "--outdir", str(root / "out"), *(str(root / f"in{i}" / f"w{i}.xlsx") for i in range(len(files))),
            ],
            capture_output=True, timeout=600, check=False,
        )
        for i, f in enumerate(files):
            converted = root / "out" / f"w{i}.xlsx"
            if not converted.exists():
                raise RecalcError(f"LibreOffice 未能重新计算 {f}：{done.stderr.decode('utf-8', 'replace')[:200]}")
            replace_cached_values(f, cached_formula_values(converted))
