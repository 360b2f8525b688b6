"""python-docx (the Word reader) brings lxml; openpyxl must still parse through the standard library and defusedxml.

With lxml installed openpyxl switches to it unless OPENPYXL_LXML is "False" when openpyxl is first imported, and
then skips defusedxml. `gongkai/__init__.py` sets it (keeping a caller's own value), so any gongkai module imported
before openpyxl keeps the defusedxml guard. Checked in a fresh interpreter, without the variable set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import gongkai.write.annotate, openpyxl.xml
print(json.dumps({"lxml": openpyxl.xml.LXML, "defused": openpyxl.xml.DEFUSEDXML, "env": __import__("os").environ.get("OPENPYXL_LXML")}))
"""


def probe(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"} | env
    out = subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_lxml_is_installed_with_the_word_reader() -> None:
    pytest.importorskip("docx")
    import lxml.etree  # noqa: F401  (the reason for this file)


def test_openpyxl_parses_through_defusedxml_after_gongkai_is_imported() -> None:
    assert probe() == {"lxml": False, "defused": True, "env": "False"}


def test_a_callers_own_choice_is_kept() -> None:
    pytest.importorskip("lxml")
    assert probe(OPENPYXL_LXML="True") == {"lxml": True, "defused": True, "env": "True"}
