"""The 政府收支分类科目 code lists shipped as package data: 支出功能分类 and 部门预算支出经济分类.

Loaded once, on first use. Codes are digit strings: 类/款/项 = 3/5/7 digits. The lists are a curated subset
(see ``data/README.md``), so "not in the list" is a warning, never an error.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Literal

CodeKind = Literal["function", "economic"]
SANGONG_CODES = {"30212": "因公出国(境)费", "30217": "公务接待费", "30231": "公务用车运行费", "31013": "公务用车购置费"}
"""经济分类 款 of the 三公 items, by the 三公 column they feed."""

LEVELS = {3: "类", 5: "款", 7: "项"}
"""Code length → level name."""
FIRST_DIGIT: dict[CodeKind, str] = {"function": "2", "economic": "3"}
"""Department tables use 2xx function codes and 3xx economic codes."""


@cache
def codes(kind: CodeKind) -> dict[str, str]:
    """Code → name for one list ("function" or "economic"), read once."""
    name = "function_codes.csv" if kind == "function" else "economic_codes.csv"
    text = (resources.files("gongkai.core") / "data" / name).read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


OFFICIAL: dict[CodeKind, bool] = {"function": False, "economic": False}
"""Whether the shipped list of a kind is the year's official 《政府收支分类科目》 (complete), not a curated subset.
No official list could be obtained for 2023–2026 (see data/README.md): "not in the list" is then no evidence."""


def official(kind: CodeKind) -> bool:
    """Whether a code missing from the shipped list is really missing from the 科目 (the list is official)."""
    return OFFICIAL[kind]


def name(code: str, kind: CodeKind) -> str | None:
    """The official name of a code, None when the list does not hold it."""
    return codes(kind).get(code)


def known(code: str, kind: CodeKind) -> bool:
    """Whether the list holds the code. Economic 7-digit sub-items are provincial: their 款 must be known."""
    if kind == "economic" and len(code) == 7:
        return code[:5] in codes(kind)
    return code in codes(kind)


def parent(code: str) -> str | None:
    """The code one level up: 2080505 → 20805 → 208 → None."""
    return code[:-2] if len(code) in (5, 7) else None


def class_of(code: str) -> str:
    """The 类 (first three digits) of a code."""
    return code[:3]


def well_formed(code: str, kind: CodeKind) -> bool:
    """3, 5 or 7 digits, starting with the list's first digit (2 for 功能分类, 3 for 经济分类)."""
    return code.isdigit() and len(code) in LEVELS and code.startswith(FIRST_DIGIT[kind])
