"""Helpers for the rule tests: small tables laid out as published, written to a folder, read back."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from gongkai import checks
from gongkai.core.model import Book
from gongkai.core.profile import Profile
from gongkai.core.specs import spec
from gongkai.fill.layout import TableData, Value, lay_out
from gongkai.pipeline import load_book
from gongkai.write.workbook import write_plans

Build = Callable[..., Book]


def data(table_id: str, rows: list[dict[str, Value]], **kw: object) -> TableData:
    """A TableData of a spec with rows keyed by column key; plain decimal strings in amount columns become Decimal."""
    typed = [{k: Decimal(v) if isinstance(v, str) and _PLAIN.match(v) and _is_amount(table_id, k) else v for k, v in r.items()} for r in rows]
    return TableData(spec=spec(table_id), rows=typed, **kw)  # type: ignore[arg-type]


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
"""Plain decimals become numbers; other text ("1,672.81", "待定") is written as text."""


def _is_amount(table_id: str, key: str) -> bool:
    try:
        return spec(table_id).column(key).kind == "amount"
    except KeyError:
        return False


def builder(folder: Path) -> Build:
    """build(data, ...) → the Book read back from a workbook holding those tables (sheet = the table's number)."""
    count = [0]

    def make(*tables: TableData) -> Book:
        count[0] += 1
        path = folder / f"book{count[0]}.xlsx"
        write_plans([lay_out(t) for t in tables], path)
        return load_book(path)

    return make


def found(book: Book, *rules: str, profile: Profile | None = None) -> list[tuple[str, str, str]]:
    """(cell, rule, severity) of every finding of the given rules (ids or prefixes)."""
    return [(f.where, f.rule, f.severity.value) for f in checks.run(book, profile, select=rules)]


def messages(book: Book, *rules: str) -> list[str]:
    return [f.message for f in checks.run(book, select=rules)]
