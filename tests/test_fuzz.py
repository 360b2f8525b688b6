"""Fuzzing: damaged workbooks never make gongkai raise anything but ReadError.

Two levels, each with a fixed budget on every test run (bench/fuzz.py runs the same properties for longer):
* grids: the sheets of a full generated budget workbook, damaged the way clerks and exports damage tables
  (deleted and duplicated rows, swapped columns, text in number cells, merged cells across data, odd values), go
  through recognise + every rule;
* files: the bytes of a generated workbook, corrupted (flipped bytes, cut, parts dropped or garbled), go through
  the reader and the whole pipeline; so do small .xls, .xlsb and .ods files with bytes flipped or cut short, the
  formats whose bytes the safety scan walks itself (an .xls whose sheet lay past its stream's end made calamine
  panic, found this way).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.core.grid import Scalar, Sheet
from gongkai.core.profile import Profile
from gongkai.pipeline import check_file
from gongkai.read import ReadError, read_workbook
from gongkai.recognize import recognize
from hostile import corpus as hostile

EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "60"))
"""A fixed budget on every test run; bench/fuzz.py raises it."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@cache
def base_file(folder: str) -> bytes:
    """A full generated budget workbook (15 公开表), as bytes."""
    from gongkai.fill.sample import sample_workbook

    path = Path(folder) / "fuzz_base.xlsx"
    sample_workbook(path, seed=7, units=2, lines=24)
    return path.read_bytes()


@cache
def base_sheets(folder: str) -> tuple[Sheet, ...]:
    path = Path(folder) / "fuzz_read.xlsx"
    path.write_bytes(base_file(folder))
    return tuple(read_workbook(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("fuzz"))


# -- grid damage ------------------------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from([
    "待定", "#REF!", "#DIV/0!", "#N/A", "1,234.56", "\uff11\uff12\uff13", "－", "-", "—", " ", "", "合计", "小计", "总计", "=SUM(A1:A3)",
    "201", "2010301", "20103", "万元", "金额单位：元", "金额单位：亿元", "部门支出总表", "一般公共预算财政拨款", "项目支出",
    "基本支出", "（一）", "1e308", "-0", "nan", "inf", "12%", "\uff11\uff12\uff05", "∞", "\x00", "\u200b", "\uff21\uff22\uff23", "部门：", "100,",
])
VALUES: st.SearchStrategy[Scalar] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    ODD_TEXT,
    st.text(max_size=30),
)


@st.composite
def damage(draw: st.DrawFn, sheets: tuple[Sheet, ...]) -> list[Sheet]:
    """A copy of the sheets with 1-8 random acts of damage."""
    out = [Sheet(s.name, [list(r) for r in s.rows], list(s.merged), s.hidden, list(s.uncached)) for s in sheets]
    for _ in range(draw(st.integers(1, 8))):
        sheet = out[draw(st.integers(0, len(out) - 1))]
        rows = sheet.rows
        if not rows:
            continue
        height, width = len(rows), max((len(r) for r in rows), default=0) or 1
        r = draw(st.integers(0, height - 1))
        c = draw(st.integers(0, width - 1))
        act = draw(st.sampled_from(["delete_row", "duplicate_row", "swap_columns", "set_cell", "merge", "clear_block", "blank_row", "truncate", "uncached"]))
        if act == "delete_row":
            del rows[r]
        elif act == "duplicate_row":
            rows.insert(r, list(rows[r]))
        elif act == "blank_row":
            rows.insert(r, [None] * width)
        elif act == "swap_columns":
            c2 = draw(st.integers(0, width - 1))
            for row in rows:
                row.extend([None] * (width - len(row)))
                row[c], row[c2] = row[c2], row[c]
        elif act == "set_cell":
            rows[r].extend([None] * (c + 1 - len(rows[r])))
            rows[r][c] = draw(VALUES)
        elif act == "merge":
            r1 = min(height - 1, r + draw(st.integers(0, 6)))
            c1 = min(width - 1, c + draw(st.integers(0, 4)))
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    if (rr, cc) != (r, c) and cc < len(rows[rr]):
                        rows[rr][cc] = None  # Excel keeps only the top-left value of a merged range
            sheet.merged.append((r, c, r1, c1))
        elif act == "clear_block":
            for rr in range(r, min(height, r + draw(st.integers(1, 5)))):
                rows[rr] = [None] * len(rows[rr])
        elif act == "truncate":
            del rows[r:]
        else:
            sheet.uncached.append((r, c))
    return out


def run_all(sheets: list[Sheet]) -> None:
    book = recognize(sheets, {"合计": ["合 计"]})
    findings = checks.run(book, Profile())
    for f in findings:
        assert f.rule and f.message and f.sheet in (*book.sheets, ""), f


def test_the_undamaged_base_is_clean(folder: str) -> None:
    book = recognize(list(base_sheets(folder)))

    assert len(book.tables) == 15
    assert [f for f in checks.run(book, Profile()) if f.severity.value == "error"] == []


@FUZZ
@given(data=st.data())
def test_damaged_grids_never_raise(folder: str, data: st.DataObject) -> None:
    run_all(data.draw(damage(base_sheets(folder))))


@FUZZ
@given(grid=st.lists(st.lists(VALUES, max_size=12), max_size=30), title=st.sampled_from(["部门支出总表", "部门收支总表", "项目支出绩效自评表", "部门整体支出绩效目标表", "项目支出绩效目标表", "财政拨款收支总表"]))
def test_random_grids_under_a_title_never_raise(grid: list[list[Scalar]], title: str) -> None:
    """Whatever follows a table's title (headers or not), the recogniser reports, never raises."""
    run_all([Sheet("Sheet1", [[None, title], *grid])])


# -- file damage ------------------------------------------------------------------------------------------------


def _parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@st.composite
def corrupt(draw: st.DrawFn, blob: bytes) -> bytes:
    """The workbook's bytes after one kind of corruption: of the container, or of one XML part."""
    kind = draw(st.sampled_from(["flip", "cut", "drop_part", "garble_part", "cell_value"]))
    if kind == "flip":
        data = bytearray(blob)
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "cut":
        return blob[: draw(st.integers(0, len(blob) - 1))]
    parts = _parts(blob)
    names = sorted(parts)
    name = draw(st.sampled_from(names))
    if kind == "drop_part":
        del parts[name]
    elif kind == "garble_part":
        xml = bytearray(parts[name])
        at = draw(st.integers(0, max(len(xml) - 1, 0)))
        xml[at:at + draw(st.integers(0, 40))] = draw(st.binary(max_size=40))
        parts[name] = bytes(xml)
    else:  # a cell's cached value replaced by something no spreadsheet writes
        sheets = [n for n in names if n.startswith("xl/worksheets/")]
        name = draw(st.sampled_from(sheets))
        odd = draw(st.sampled_from([b"NaN", b"inf", b"-inf", b"1e400", b"", b"abc", b"0x10", b"1" * 400, b"-0", b"1e-400"]))
        parts[name] = parts[name].replace(b"<v>", b"<v>" + odd + b"<!-- -->", 1).replace(b"<!-- -->", b"", 1)
        kind_attr = draw(st.sampled_from([b"", b' t="e"', b' t="b"', b' t="s"', b' t="d"', b' t="str"']))
        parts[name] = parts[name].replace(b'<c r="', b"<c" + kind_attr + b' r="', 1) if kind_attr else parts[name]
    return _zip(parts)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_corrupted_files_give_a_read_error_or_a_result(folder: str, data: st.DataObject) -> None:
    path = Path(folder) / "corrupt.xlsx"
    path.write_bytes(data.draw(corrupt(base_file(folder))))

    read_error_or_result(path)


def read_error_or_result(path: Path) -> None:
    """The reader gives grids or a ReadError with a message, and the check a result that is unreadable exactly when
    it carries an error."""
    try:
        read_workbook(path)
    except ReadError as exc:
        assert str(exc)
    result = check_file(path)
    assert (result.status == "unreadable") == (result.error is not None)


FORMAT_CELLS = [(0, 0, 1.0), (1, 0, 2.5), (2, 3, 7.0)]
FORMATS: dict[str, Callable[[Path], Path]] = {
    "xls": lambda d: hostile.xls(d / "base.xls", FORMAT_CELLS),
    "xlsb": lambda d: hostile.xlsb(d / "base.xlsb", FORMAT_CELLS),
    "ods": lambda d: hostile.ods(d / "base.ods", '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'),
}
"""Small workbooks written byte by byte by the hostile corpus's builders."""


@st.composite
def damaged(draw: st.DrawFn, blob: bytes) -> bytes:
    """The bytes cut short, or one to twelve of them changed."""
    if draw(st.booleans()):
        return blob[: draw(st.integers(0, len(blob) - 1))]
    data = bytearray(blob)
    for _ in range(draw(st.integers(1, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_undamaged_formats_are_read(folder: str, fmt: str) -> None:
    assert read_workbook(FORMATS[fmt](Path(folder)))[0].rows


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@FUZZ
@given(data=st.data())
def test_damaged_files_of_every_format_give_a_read_error_or_a_result(folder: str, fmt: str, data: st.DataObject) -> None:
    base = Path(folder) / f"base.{fmt}"
    if not base.exists():
        FORMATS[fmt](Path(folder))
    path = Path(folder) / f"damaged.{fmt}"
    path.write_bytes(data.draw(damaged(base.read_bytes())))

    read_error_or_result(path)
