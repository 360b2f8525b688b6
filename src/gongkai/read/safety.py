"""Defences against hostile files: a cheap scan of an .xlsx's XML before calamine sees it, and a per-file time limit.

The scan reads every worksheet's XML once (bounded by the inflated-size limit already checked) and reports:
its extent from A1 (calamine allocates the whole rectangle, so one cell at XFD1048576 would exhaust memory), the
error values calamine reads as empty (#REF!, #DIV/0!), the formulas saved without a cached result, and whether any
part declares a DTD (entity expansion, external entities). Pure stdlib plus defusedxml; no workbook library.
"""

from __future__ import annotations

import posixpath
import re
import signal
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..core.addresses import col_index as layout_col_index

T = TypeVar("T")

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF_NUMBERS = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,10})"')
_REF_LETTERS = re.compile(rb'r="([A-Z]{1,3})[0-9]')
"""Every r="…" attribute (cells: "B7", rows: "7"); they also match a few other attributes ending in r, which
only makes the extent err on the large side."""
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")([^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
    rb'(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?\s*</(?:\w+:)?c>',
    re.S,
)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_STR_TYPE = re.compile(rb'\bt="str"')
_UNIQUE_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="\s*([0-9]+)')
MAX_MARKS = 10_000
"""At most this many error / uncached-formula cells are remembered per sheet."""


class HostileXml(Exception):
    """A part of the workbook declares a DTD or entities: real Excel files never do."""


class FalseCount(Exception):
    """A part declares far more entries than it holds; calamine would reserve memory for the declared number."""

    def __init__(self, part: str, declared: int, actual: int) -> None:
        super().__init__(part, declared, actual)
        self.part, self.declared, self.actual = part, declared, actual


class TimeLimitExceeded(Exception):
    """Work on one file took longer than the profile allows."""


def col_index(letters: bytes | str) -> int:
    """b"A" → 0, b"XFD" → 16383."""
    return layout_col_index(letters.decode() if isinstance(letters, bytes) else letters)


@dataclass
class SheetScan:
    """What the XML of one worksheet holds that calamine would not tell (0-based positions)."""

    rows: int = 0
    """Rows from A1 to the last row with anything in it."""
    cols: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    """Cells holding an error value: (row, col, "#REF!")."""
    uncached: list[tuple[int, int]] = field(default_factory=list)
    """Formula cells saved without a calculated result."""

    @property
    def cells(self) -> int:
        return self.rows * self.cols


def _position(attrs: bytes) -> tuple[int, int] | None:
    m = _REF.search(attrs)
    return (int(m.group(2)) - 1, col_index(m.group(1))) if m else None


def scan_sheet_xml(data: bytes) -> SheetScan:
    """Extent, error values and uncached formulas of one worksheet's XML (never raises).

    One regex pass over the cell references plus a few byte counts: about as fast as inflating the XML. The extent
    errs on the large side: cells and rows written without a reference are counted as if they all lay in a line.
    """
    scan = SheetScan()
    numbers = _REF_NUMBERS.findall(data)  # row numbers of every cell and row reference
    letters = set(_REF_LETTERS.findall(data))
    elements = sum(map(data.count, (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b"<row", b":row")))
    unreferenced = elements - len(numbers)  # cells (and rows) placed one after another
    scan.rows = max(max(map(int, set(numbers)), default=0), data.count(b"<row") + data.count(b":row") if unreferenced > 0 else 0)
    scan.cols = max(max((col_index(x) + 1 for x in letters), default=0), unreferenced)
    if b't="e"' in data:
        for m in _ERROR_CELL.finditer(data):
            pos, value = _position(m.group(1)), _VALUE.search(m.group(2))
            if pos is not None and value is not None and len(scan.errors) < MAX_MARKS:
                scan.errors.append((*pos, value.group(1).decode("utf-8", "replace").strip()))
    if b"<f" in data or b":f>" in data or b":f " in data:
        for m in _FORMULA_CELL.finditer(data):
            empty = m.group(2) is None or not (m.group(3) or b"").strip()
            if empty and not (m.group(2) is not None and _STR_TYPE.search(m.group(1))):
                pos = _position(m.group(1))
                if pos is not None and len(scan.uncached) < MAX_MARKS:
                    scan.uncached.append(pos)
    return scan


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → sheet name, from xl/workbook.xml and its relationships."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    try:
        book = SafeET.fromstring(z.read("xl/workbook.xml"))
        rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except DefusedXmlException:
        raise HostileXml("xl/workbook.xml") from None
    except SafeET.ParseError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id", "")] = part
    parts: dict[str, str] = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            part = targets.get(sheet.get(f"{_REL_NS}id", ""))
            if part:
                parts[part] = sheet.get("name", "")
    return parts


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated in small steps: a part that lies about its size stops at the size it declared
    (then fails its CRC check) instead of inflating all at once."""
    out = bytearray()
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            out += chunk
    return bytes(out)


def scan_xlsx(z: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Scan every worksheet of an .xlsx/.xlsm; keys are sheet names (or part names when unmapped).

    Raises HostileXml when an XML part declares a DTD (billion laughs, external entities), FalseCount when the
    shared-string table claims more strings than it holds (calamine would reserve memory for all of them).
    """
    parts = _sheet_parts(z)
    scans: dict[str, SheetScan] = {}
    for info in z.infolist():
        name = info.filename
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        data = _read_part(z, info)
        if b"<!" in data and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
            raise HostileXml(name)
        if name.startswith("xl/worksheets/"):
            scans[parts.get(name) or name] = scan_sheet_xml(data)
        elif (m := _UNIQUE_COUNT.search(data, 0, 4096)) is not None:  # the shared-string table
            declared, actual = int(m.group(1)), data.count(b"<si") + data.count(b":si")
            if declared > actual + 1024:
                raise FalseCount(name, declared, actual)
    return scans


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after ``seconds`` of wall time.

    Uses SIGALRM, so it works on POSIX in the main thread (the CLI, and each worker of a process pool); elsewhere
    (Windows, Excel's threads) it does nothing, and the size and cell limits are the defence.
    """
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # never steal an alarm already running
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def within_time(seconds: float | None, func: Callable[[], T]) -> T:
    """``func()`` under ``time_limit(seconds)``."""
    with time_limit(seconds):
        return func()
