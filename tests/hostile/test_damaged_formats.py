"""Damaged .xls, .xlsb and .ods files (bytes flipped, the file cut short) give a ReadError or a result, never a
traceback, a panic or a crash: the same property as tests/test_fuzz.py's for .xlsx, on the formats whose bytes the
safety scan walks itself (an .xls's sheet placed past its stream's end made calamine panic, found this way)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import corpus
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.pipeline import check_file
from gongkai.read import ReadError, read_workbook

EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "60"))
"""A fixed budget on every test run; bench/fuzz.py raises it."""
CELLS = [(0, 0, 1.0), (1, 0, 2.5), (2, 3, 7.0)]
BUILD: dict[str, Callable[[Path], Path]] = {
    "xls": lambda d: corpus.xls(d / "base.xls", CELLS),
    "xlsb": lambda d: corpus.xlsb(d / "base.xlsb", CELLS),
    "ods": lambda d: corpus.ods(d / "base.ods", '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'),
}


@cache
def folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="gongkai-damaged-"))


@cache
def base(fmt: str) -> bytes:
    return BUILD[fmt](folder()).read_bytes()


@st.composite
def damaged(draw: st.DrawFn, blob: bytes) -> bytes:
    if draw(st.booleans()):
        return blob[: draw(st.integers(0, len(blob) - 1))]
    data = bytearray(blob)
    for _ in range(draw(st.integers(1, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.mark.parametrize("fmt", sorted(BUILD))
def test_the_undamaged_file_is_read(fmt: str) -> None:
    base(fmt)
    assert read_workbook(folder() / f"base.{fmt}")[0].rows


@pytest.mark.parametrize("fmt", sorted(BUILD))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_damaged_file_gives_a_read_error_or_a_result(fmt: str, data: st.DataObject) -> None:
    path = folder() / f"damaged.{fmt}"
    path.write_bytes(data.draw(damaged(base(fmt))))

    try:
        read_workbook(path)
    except ReadError as exc:
        assert str(exc)
    result = check_file(path)
    assert (result.status == "unreadable") == (result.error is not None)
