"""Defences against hostile files: a scan of an .xlsx's zip and XML before calamine sees it, and a per-file time limit.

Before calamine allocates anything, the scan makes sure of:

* the byte budget: a part that inflates beyond the size its header declares is refused (the declared sizes are
  summed against the limit in `xlsx.py`); inflating goes in one step capped at the declared size;
* the extent of every worksheet from A1 (calamine allocates the whole rectangle, so one cell at XFD1048576 would
  exhaust memory and abort the process);
* no XML part declares a DTD (billion laughs, external entities): the prolog of every part is read, up to its root
  element, which is the only place a parser accepts a DOCTYPE;
* the shared-string table does not declare far more strings than it holds (calamine reserves memory for them);

and it reports what calamine does not tell: the error values it reads as empty (#REF!, #DIV/0!) and the formulas
saved without a cached result.

**Which parts are worksheets** is decided as calamine decides, on the safe side, since a worksheet the scan passes
over is one calamine may allocate without a check: calamine finds the workbook through ``_rels/.rels`` (in any
folder, ``xl/`` only by custom), follows its relationships to the sheets (a target as written, "../" and all), and
looks each name up in the zip ignoring case and reading "\\" as "/"; its zip reader takes a name's raw bytes as UTF-8
where valid, and an Info-ZIP Unicode Path field over the name. So every part that may go by a name that the
target of a sheet relationship resolves to, or that lies in a workbook folder's ``worksheets/``, is scanned
whole (UTF-16 XML read as UTF-8 first); a target without ``sheetData`` in it holds no cell calamine would read.

Pure stdlib (ISA-L's inflate when the ``isal`` package is installed); no workbook
library.

A worksheet is read by the **quick scan** when its XML is laid out as Excel, WPS and openpyxl write it (a
``<dimension>``, every cell's first attribute ``r="…"``, no namespace prefixes): one regex pass over the cells,
checked against the dimension; the other checks are single-byte searches (a ":" before looking for prefixed
elements, an "f" before looking for formulas). A cell tag that pass does not know by heart (``t="e"``, a formula
without a result, attributes other than ``s`` and ``t`` in that order) is read on its own, attribute by attribute.
Rows need no look: calamine places a cell by a row's ``r`` only when the cell has none, and such a cell sends the
sheet to the **careful scan**, which reads every reference in any spelling and counts cells without one.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import posixpath
import re
import signal
import struct
import threading
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from ..core.addresses import col_index as layout_col_index

T = TypeVar("T")


def _inflater() -> Any:
    """ISA-L's zlib (inflates about twice as fast, the same API) when installed, else zlib (Pyodide has no isal)."""
    try:
        return importlib.import_module("isal.isal_zlib")
    except ImportError:  # pragma: no cover
        return zlib


_INFLATE = _inflater()

HEAD = 4096
"""Bytes inflated of a part that is not a worksheet: its prolog (and the shared-string table's counts) lie there."""
ARCHIVE_IN_MEMORY = 64 * 1024 * 1024
"""An archive up to this size is read into memory at once for the scan."""
MAX_MARKS = 10_000
"""At most this many error / uncached-formula cells are remembered per sheet."""

# --- both scans: error values and uncached formulas, cell by cell ------------------------------------------
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")([^>]*)(?<!/)>(.*?)</(?:\w+:)?c>', re.S)
"""A cell of type ``e`` with its content (an empty one, ``<c t="e"/>``, holds no value to report)."""
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)\s*'
    rb'(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?\s*</(?:\w+:)?c>',
    re.S,
)
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_STR_TYPE = re.compile(rb'\bt="str"')

# --- the careful scan ---------------------------------------------------------------------------------------
_R_DIGITS = re.compile(rb'r(?<![\w:.-]r)\s*=\s*["\']\s*[A-Za-z]*\s*0*([0-9]+)')
_R_LETTERS = re.compile(rb'r(?<![\w:.-]r)\s*=\s*["\']\s*([A-Za-z]+)')
"""Every attribute named ``r`` (cells: "B7", rows: "7"), in any spelling calamine accepts (spaces around ``=``,
either quote, lower case); on any element, which only makes the extent err on the large side."""
_TAG_BODY = rb'(?:[^>"\']|"[^"]*"|\'[^\']*\')*'
_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])")
_REFERENCED = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)(?=[\s/>])" + _TAG_BODY + rb"?(?<=[\s\"'])r\s*=")
"""A cell or row start tag with an ``r`` attribute (quoted values skipped, so a ``>`` inside one is no tag end)."""

# --- the quick scan -----------------------------------------------------------------------------------------
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([1-9][0-9]{0,6})"')
_PREFIXED = re.compile(rb":(?:c|row|f|v|is)[\s/>]")
_PLAIN_TAIL = rb'(?: s="[0-9]++")?+(?: t="[a-df-zA-Z]\w*+")?+ ?+/?+>'
"""The rest of a cell's start tag as Excel, WPS and openpyxl write it: a style, a type other than ``e`` (an empty
cell closed by ``/>``, or by `` />`` as Python's own XML writer does: openpyxl without lxml, gongkai's workbooks)."""
_UNCACHED = rb"\s*+<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
"""What follows the start tag of a formula cell without a result."""
_UNCACHED_AFTER = re.compile(_UNCACHED)
_ATTRIBUTES = re.compile(rb"""(?:\s+(?!r=)[\w:.-]+=(?:"[^"]*"|'[^']*'))*+\s*/?>""")
"""The rest of any cell start tag without a second ``r`` attribute (``x:r`` is another attribute)."""
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_UNIQUE_COUNT = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*?\buniqueCount\s*=\s*["']\s*([0-9]+)""")
"""The rest of a shared-string table's start tag, up to its uniqueCount (a ">" inside a quoted value is no tag end)."""


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
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    """Uncached "formulas" that are no expression (``=30万元`` stored as a formula by the writing tool): the text
    the cell means, "=" included. They are not in ``uncached``."""

    @property
    def cells(self) -> int:
        return self.rows * self.cols


def _position(attrs: bytes) -> tuple[int, int] | None:
    m = _REF.search(attrs)
    return (int(m.group(2)) - 1, col_index(m.group(1))) if m else None


def _error(scan: SheetScan, m: re.Match[bytes]) -> None:
    pos, value = _position(m.group(1)), _VALUE.search(m.group(2))
    if pos is not None and value is not None and len(scan.errors) < MAX_MARKS:
        scan.errors.append((*pos, value.group(1).decode("utf-8", "replace").strip()))


def literal(formula: str) -> bool:
    """A formula that is no expression but text typed after "=" (``30万元``, ``≥95%``): outside quotes it holds a
    character no Excel expression has (CJK, ≥, full-width), and it names no other sheet."""
    bare = _QUOTED.sub("", formula)
    return "!" not in bare and any(ord(ch) > 0x7F for ch in bare)


def _formula(scan: SheetScan, m: re.Match[bytes]) -> None:
    empty = m.group(3) is None or not (m.group(4) or b"").strip()
    if empty and not (m.group(3) is not None and _STR_TYPE.search(m.group(1))):
        pos = _position(m.group(1))
        if pos is None or len(scan.uncached) + len(scan.texts) >= MAX_MARKS:
            return
        text = html.unescape((m.group(2) or b"").decode("utf-8", "replace"))  # 30&#19975;&#20803; is 30万元
        if text.strip() and literal(text):
            scan.texts[pos] = "=" + text.strip()
        else:
            scan.uncached.append(pos)


def scan_sheet_xml(data: bytes) -> SheetScan:
    """Extent, error values and uncached formulas of one worksheet's XML (never raises).

    The extent errs on the large side: cells and rows written without a reference are counted as if they all lay
    in a line, and in the careful scan every ``r`` attribute counts, rows' too.
    """
    return _quick(data) or careful_scan(data)


def careful_scan(data: bytes) -> SheetScan:
    """The scan for any XML: every reference in any spelling, cells without one counted, prefixes allowed."""
    scan = SheetScan()
    digits = set(_R_DIGITS.findall(data))
    letters = {x.upper() for x in _R_LETTERS.findall(data)}
    elements = _ELEMENT.findall(data)
    unreferenced = len(elements) - len(_REFERENCED.findall(data))  # cells (and rows) placed one after another
    scan.rows = max(max(map(int, digits), default=0), elements.count(b"row") if unreferenced > 0 else 0)
    scan.cols = max(max((col_index(x) + 1 for x in letters), default=0), unreferenced)
    if b't="e"' in data:
        for m in _ERROR_CELL.finditer(data):
            _error(scan, m)
    if b"<f" in data or b":f>" in data or b":f " in data:
        for m in _FORMULA_CELL.finditer(data):
            _formula(scan, m)
    return scan


def _letters_upto(c: str) -> str:
    """A regex for column letters from A to ``c`` (bijective base 26: every shorter name comes first)."""
    if len(c) == 1:
        return f"[A-{c}]"
    alts = [f"[A-Z]{{1,{len(c) - 1}}}"]
    alts += [c[:i] + f"[A-{chr(ord(ch) - 1)}]" + "[A-Z]" * (len(c) - i - 1) for i, ch in enumerate(c) if ch > "A"]
    return "(?:" + "|".join([*alts, c]) + ")"


def _row_blocks(digits: str) -> tuple[str, str]:
    """Regexes for row numbers below the block of ``digits`` (same length, same first two digits or higher first
    ones) and in it: a row number beyond the block does not match either. The longest numbers come first (most
    rows of a sheet have as many digits as its last one)."""
    k, d0 = len(digits), int(digits[0])
    below = [f"[1-9][0-9]{{0,{k - 2}}}"] if k > 1 else []
    if d0 > 1:
        below.append(f"[1-{d0 - 1}][0-9]{{{k - 1}}}")
    if k == 1:
        return ("(?:" + "|".join(below) + ")") if below else "(?!)", f"[{d0}-9]"
    d1 = int(digits[1])
    if d1 > 0:
        below.append(f"{d0}[0-{d1 - 1}][0-9]{{{k - 2}}}")
    block = [f"{d0}[{d1}-9][0-9]{{{k - 2}}}"] + ([f"[{d0 + 1}-9][0-9]{{{k - 1}}}"] if d0 < 9 else [])
    return "(?:" + "|".join(below[::-1]) + ")", "(?:" + "|".join(block) + ")"


@lru_cache(maxsize=512)
def _cell_patterns(col: str, rows: str, formulas: bool = True) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """For a sheet whose dimension ends at ``col`` and rows of the first two digits and length of ``rows``: the
    pattern that passes over every plain cell in bounds and yields the row of those in the top block (b"" for a
    cell to look at: out of bounds, a tag not written as usual, an error value, a formula without a result), and
    the reference check alone. Without ``formulas`` (a sheet with no "f" in its cells) no cell is looked at for a
    formula."""
    letters = _letters_upto(col)
    below, block = _row_blocks(rows)
    tail = (_PLAIN_TAIL + (b"(?!" + _UNCACHED + b")" if formulas else b"")).decode()
    cells = f'<c(?! r="{letters}{below}"{tail})(?: r="{letters}({block})"{tail})?'
    ref = f'{letters}(?:{below}|({block}))"'
    return re.compile(cells.encode()), re.compile(ref.encode())


@lru_cache(maxsize=512)
def _dimension_patterns(col: bytes, row: bytes, formulas: bool) -> tuple[int, re.Pattern[bytes], re.Pattern[bytes]]:
    """For a dimension ending at ``col`` ``row``: the number of columns, and `_cell_patterns`."""
    letters = col.decode()
    cells, ref = _cell_patterns(letters, row[:2].decode() + "0" * (len(row) - 2), formulas)
    return col_index(letters) + 1, cells, ref


def _quick(data: bytes) -> SheetScan | None:
    """The one-pass scan of a sheet laid out as Excel writes it; None when it cannot vouch for the sheet."""
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>")
    dim = _DIMENSION.search(data, 0, start) if start > 0 else None
    if (
        dim is None or end < start or data.find(b"sheetData", end + 12) >= 0 or data.find(b":sheetData", 0, start) >= 0
        or (data.find(b":", start, end) >= 0 and _PREFIXED.search(data, start, end))
    ):
        return None
    formulas = data.find(b"f", start, end) >= 0  # every formula element's name holds an "f"
    cols, cells, ref = _dimension_patterns(dim.group(1), dim.group(2), formulas)
    found = cells.findall(data, start, end)
    scan = SheetScan(0, 0, [], [], {})
    top = [x for x in found if x]
    if len(top) < len(found):  # cells to look at, each on its own
        last = start
        for m in cells.finditer(data, start, end):
            if m.group(1):
                continue
            at = m.start()
            inside = ref.match(data, at + 6) if data.startswith(b'<c r="', at) else None
            tag = _ATTRIBUTES.match(data, inside.end()) if inside is not None else None
            if inside is None or tag is None:  # out of bounds, no reference first, a second one: the careful scan
                return None
            if inside.group(1):
                top.append(inside.group(1))
            if at >= last and data.find(b't="e"', at, tag.end()) >= 0:
                error = _ERROR_CELL.match(data, at)
                if error is not None:
                    _error(scan, error)
                    last = error.end()
            formula = _FORMULA_CELL.match(data, at) if formulas else None
            if formula is not None:
                _formula(scan, formula)
            elif formulas and _UNCACHED_AFTER.match(data, tag.end()):
                return None  # a formula without a result that the cell pattern does not read
    # Every cell lies within the dimension, so it bounds the extent: the rows of the cells in its top rows when
    # there are any, else its own last row (WPS and Excel count empty formatted rows into it: thousands of them).
    if top or data.find(b"<c", start, end) >= 0:  # (a sheet without a cell has no extent)
        scan.rows, scan.cols = int(max(top)) if top else int(dim.group(2)), cols
    return scan


# --- the zip ----------------------------------------------------------------------------------------------


def _archive(z: zipfile.ZipFile) -> bytes | None:
    """The whole archive's bytes, read at once (one read instead of two per part), unless it is large."""
    fp: Any = z.fp
    try:
        size = fp.seek(0, 2)
        if size > ARCHIVE_IN_MEMORY:
            return None
        fp.seek(0)
        data: bytes = fp.read()
    except (AttributeError, OSError):
        return None
    return data


def read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None = None, archive: bytes | None = None) -> bytes:
    """A part's bytes, or its first ``limit`` bytes (``archive``: the archive's bytes, when already read). A part
    that inflates beyond its declared size raises BadZipFile (inflating stops there); so does a damaged one."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with z.open(info) as f:  # encrypted, bzip2, lzma…: zipfile decides, and raises what it raises
            return f.read(limit) if limit is not None else f.read()
    at = info.header_offset
    if archive is not None:
        header = archive[at : at + 30]
    else:
        fp: Any = z.fp
        fp.seek(at)
        header = fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"Bad magic number for file header: {info.filename!r}")
    name, extra = struct.unpack_from("<HH", header, 26)
    at += 30 + name + extra
    if archive is not None:
        raw: bytes | memoryview = memoryview(archive)[at : at + info.compress_size]
    else:
        fp.seek(at)
        raw = fp.read(info.compress_size)
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile(f"Truncated file: {info.filename!r}")
    want = info.file_size if limit is None else min(limit, info.file_size)
    if want == 0 and limit is not None:
        return b""  # (a max_length of 0 would mean no limit at all)
    if info.compress_type == zipfile.ZIP_STORED:
        if limit is None and len(raw) != info.file_size:
            raise zipfile.BadZipFile(f"Bad size for file {info.filename!r}")
        return bytes(raw[:want])
    inflater = _INFLATE.decompressobj(-15)
    try:
        data: bytes = inflater.decompress(raw, want + 1 if limit is None else want)
    except _INFLATE.error as exc:
        raise zipfile.BadZipFile(f"Bad deflate data in {info.filename!r}: {exc}") from None
    if limit is None and (len(data) != info.file_size or not inflater.eof):
        raise zipfile.BadZipFile(f"Size of {info.filename!r} differs from the declared {info.file_size} bytes")
    return data


def as_utf8(data: bytes) -> bytes:
    """XML in UTF-16 (a byte-order mark, or a NUL beside its first "<") as UTF-8, so that the byte scans read what
    an XML parser reads; any other XML passes as it is (every other encoding a parser knows writes markup in ASCII)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").encode()
    if data[:2] == b"<\x00" or data[:2] == b"\x00<":
        return data.decode("utf-16-le" if data[0] else "utf-16-be", "replace").encode()
    return data


def _prolog_declares_dtd(data: bytes) -> bool | None:
    """True when the XML declares a DTD before its root element, False when the root element comes first, None
    when ``data`` ends (or holds something else) before either."""
    prolog = _PROLOG.match(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
    at = prolog.end() if prolog else 0
    if data.startswith(b"<!DOCTYPE", at):
        return True
    nxt = data[at + 1 : at + 2]
    return False if data[at : at + 1] == b"<" and nxt and nxt not in b"!?" else None


def _declares_dtd(z: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> bool:
    """Whether a part declares a DTD; ``data`` is its head (or all of it)."""
    verdict = _prolog_declares_dtd(data)
    if verdict is None and len(data) < info.file_size:
        data = as_utf8(read_part(z, info))
        verdict = _prolog_declares_dtd(data)
    if verdict is None:  # not XML as parsers read it: refuse what looks like a declaration anywhere
        return b"<!DOCTYPE" in data or b"<!ENTITY" in data
    return verdict


def _normal(name: str) -> str:
    """A part's name as calamine looks it up: its zip lookup turns "\\" into "/" and ignores case."""
    return name.replace("\\", "/").lower()


def _aliases(info: zipfile.ZipInfo) -> set[str]:
    """Every name calamine's zip reader may give the part (normalised): Python's, the raw bytes as UTF-8 where
    Python read them as CP437 (the zip crate takes any valid UTF-8), and an Info-ZIP Unicode Path extra field's."""
    names = {_normal(info.filename)}
    if not info.extra and info.filename.isascii():  # nearly every part: one name
        return names
    if not info.flag_bits & 0x800 and not info.filename.isascii():
        with contextlib.suppress(UnicodeError):
            names.add(_normal(info.filename.encode("cp437").decode("utf-8")))
    extra, at = info.extra, 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        if tag == 0x7075 and size > 5:
            names.add(_normal(extra[at + 9 : at + 4 + size].decode("utf-8", "replace")))
        at += 4 + size
    return names


_RELATIONSHIP = re.compile(rb"""<(?:[\w.-]+:)?Relationship\b([^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+)>""")
"""A relationship's start tag and its attributes (a ">" inside a quoted value is no tag end)."""
_ATTR = re.compile(rb"""\b(Type|Target|Id)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_TYPES = frozenset({b"worksheet", b"chartsheet", b"dialogsheet"})
"""The relationship types calamine opens as sheets (the last segment of ``Type``; any other makes it refuse)."""


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace")) if b"&" in raw else raw.decode("utf-8", "replace")


def _relationships(rels: bytes, sheets_only: bool = True) -> tuple[set[str], dict[str, str]]:
    """Of a relationships part, read the lenient way calamine reads it (whether or not it parses as XML):

    * the ``Target`` of every relationship, or (``sheets_only``) of every one whose type is a sheet's or cannot be
      told, as written (calamine takes it so) and with its entities decoded;
    * Id → Target, decoded, to name the sheets.
    """
    targets: set[str] = set()
    ids: dict[str, str] = {}
    for attributes in _RELATIONSHIP.findall(rels):
        kinds: list[bytes] = []
        found: list[bytes] = []
        named: list[bytes] = []
        for key, quoted, apostrophed in _ATTR.findall(attributes):
            (kinds if key == b"Type" else found if key == b"Target" else named).append(quoted or apostrophed)
        if found and (not sheets_only or not kinds or any(t.rpartition(b"/")[2] in _SHEET_TYPES for t in kinds)):
            for raw in found:
                targets.update((raw.decode("utf-8", "replace"), _text(raw)))
        if found and named:
            ids.setdefault(_text(named[-1]), _text(found[-1]))
    return targets, ids


@lru_cache(maxsize=4096)
def _resolved(folder: str, target: str) -> frozenset[str]:
    """Where readers look for a relationship's target from ``folder`` (normalised names): calamine's way (from the
    root after a leading "/", else the folder and the target as written, "../" and all) and the normalised path."""
    first = target[1:] if target.startswith("/") else folder + target
    return frozenset((_normal(first), _normal(posixpath.normpath(posixpath.join(folder, target)).lstrip("/"))))


def _folder(target: str) -> str:
    """The folder of ``_rels/.rels``'s workbook target, as calamine takes it ("xl/workbook.xml" → "xl/")."""
    cut = target.rfind("/")
    return _normal(target[: cut + 1].removeprefix("/")) if cut >= 0 else ""


@dataclass
class _Package:
    """What decides which parts the scan reads whole: the folders a workbook may sit in, every part a
    relationship there points to, and the sheet names of the parts the workbook names."""

    folders: set[str] = field(default_factory=lambda: {"xl/"})
    targets: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    """Normalised part name → sheet name."""
    read: dict[int, bytes] = field(default_factory=dict)
    """By ``id(info)``: the parts read whole here (DTD checked)."""

    @property
    def strings(self) -> set[str]:
        """Where calamine reads a shared-string table: ``sharedStrings.xml`` in each workbook folder."""
        return {f + "sharedstrings.xml" for f in self.folders}

    def is_sheet(self, name: str, prefixes: tuple[str, ...]) -> bool:
        """Whether calamine (or openpyxl) could read the part of this normalised name as a worksheet (``prefixes``:
        every folder's ``worksheets/``)."""
        return name in self.targets or (name.endswith(".xml") and name.startswith(prefixes))


@dataclass
class ZipMembers:
    """A zip's parts for the scans of one file: every name calamine's zip reader may give each (`_aliases`) and the
    archive's bytes, found once however many scans ask."""

    z: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    aliases: dict[int, set[str]]
    archive: bytes | None

    @classmethod
    def of(cls, z: zipfile.ZipFile, archive: bytes | None = None) -> ZipMembers:
        infos = z.infolist()
        return cls(z, infos, {id(info): _aliases(info) for info in infos}, archive if archive is not None else _archive(z))

    def by_name(self) -> dict[str, list[zipfile.ZipInfo]]:
        """Normalised name → the parts that may go by it."""
        out: dict[str, list[zipfile.ZipInfo]] = {}
        for info in self.infos:
            for name in self.aliases[id(info)]:
                out.setdefault(name, []).append(info)
        return out

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A part's bytes, UTF-16 read as UTF-8."""
        return as_utf8(read_part(self.z, info, archive=self.archive))

    def whole(self, info: zipfile.ZipInfo) -> bytes:
        """`read`, refusing a part that declares a DTD (HostileXml)."""
        data = self.read(info)
        if _declares_dtd(self.z, info, data):
            raise HostileXml(info.filename)
        return data


def _package(members: ZipMembers) -> _Package:
    """Where the workbook sits and what it points to (HostileXml for a DTD in the parts read).

    calamine finds the workbook through ``_rels/.rels`` (any folder) and looks parts up without regard to case or
    slashes; the folder of every target there is taken, and ``xl/`` besides, so that no worksheet calamine reads is
    left out of the scan.
    """
    pkg = _Package()
    by_name = members.by_name()

    def whole(name: str) -> list[bytes]:
        found = []
        for info in by_name.get(name, ()):
            data = pkg.read.get(id(info))
            if data is None:
                data = pkg.read[id(info)] = members.whole(info)
            found.append(data)
        return found

    for data in whole("_rels/.rels"):
        pkg.folders.update(_folder(t) for t in _relationships(data, sheets_only=False)[0])
    for folder in sorted(pkg.folders):
        rels = [_relationships(data) for data in whole(folder + "_rels/workbook.xml.rels")]
        for targets, _ in rels:
            pkg.targets.update(p for t in targets for p in _resolved(folder, t))
        for book in whole(folder + "workbook.xml"):
            for _, ids in rels:
                pkg.names.update(_sheet_names(folder, book, ids))
    return pkg


def _sheet_names(folder: str, book: bytes, ids: dict[str, str]) -> dict[str, str]:
    """Normalised part name → sheet name, from a workbook.xml and its relationships' Id → Target (nothing when the
    XML does not parse: the names only label the scans). A sheet's relationship is its last attribute named ``id``
    in any namespace, as calamine reads it."""
    try:
        root = ET.fromstring(book)
    except ET.ParseError:
        return {}
    names: dict[str, str] = {}
    for sheet in root.iter():
        if sheet.tag != "sheet" and not sheet.tag.endswith("}sheet"):
            continue
        found = [v for k, v in sheet.attrib.items() if k == "id" or k.endswith("}id")]
        target = ids.get(found[-1]) if found else None
        if target:
            for part in _resolved(folder, target):
                names.setdefault(part, sheet.get("name") or "")
    return names


def _sheet_parts(z: zipfile.ZipFile, archive: bytes | None = None) -> dict[str, str]:
    """Worksheet part name (as the zip spells it) → sheet name (HostileXml for a DTD in the parts read)."""
    members = ZipMembers.of(z, archive)
    names = _package(members).names
    return {info.filename: names[n] for info in members.infos for n in sorted(members.aliases[id(info)]) if n in names}


def scan_xlsx(z: zipfile.ZipFile, members: ZipMembers | None = None) -> dict[str, SheetScan]:
    """Scan every worksheet of an .xlsx/.xlsm; keys are sheet names (or part names when unmapped).

    Every part calamine could read as a worksheet is scanned whole: under a workbook folder's ``worksheets/``, or
    the target of any of the workbook's relationships (names compared as calamine compares them). Raises HostileXml
    when an XML part declares a DTD (billion laughs, external entities), FalseCount when the shared-string table
    claims more strings than it holds (calamine would reserve memory for all of them), and BadZipFile when a part
    inflates beyond its declared size or is damaged. ``members``: the zip's `ZipMembers`, when another scan has them.
    """
    m = members or ZipMembers.of(z)
    pkg = _package(m)
    scans: dict[str, SheetScan] = {}
    prefixes = tuple(f + "worksheets/" for f in pkg.folders)
    strings = pkg.strings
    for info in m.infos:
        names = m.aliases[id(info)]
        data = pkg.read.get(id(info))
        if any(pkg.is_sheet(n, prefixes) for n in names):
            if data is None:
                data = m.whole(info)
            if b"sheetData" in data or not names & pkg.targets:  # calamine reads no cell from a part without one
                key = next((pkg.names[n] for n in sorted(names) if n in pkg.names), info.filename)
                scans[key if key not in scans else f"{info.filename}#{len(scans)}"] = scan_sheet_xml(data)
                continue
        elif data is not None or not any(n.endswith((".xml", ".rels", ".vml")) for n in names):
            continue
        head = data if data is not None else as_utf8(read_part(z, info, HEAD, m.archive))
        if data is None and _declares_dtd(z, info, head):
            raise HostileXml(info.filename)
        if b"sst" in head or names & strings:
            _check_string_count(m, info, head)
    return scans


def _check_string_count(members: ZipMembers, info: zipfile.ZipInfo, head: bytes) -> None:
    """FalseCount for a part that may be read as the shared-string table and declares far more strings than it
    holds. calamine reserves room for the uniqueCount of the first sst element however far into the part it comes
    (comments and other elements skipped), so every ``sst`` tag of the whole part is asked, the largest count taken."""
    whole = head if len(head) >= info.file_size else members.read(info)
    declared = 0
    at = whole.find(b"sst")
    while at >= 0:
        if whole[at - 1 : at] in (b"<", b":") and (count := _UNIQUE_COUNT.match(whole, at + 3)) is not None:
            declared = max(declared, int(count.group(1)))
        at = whole.find(b"sst", at + 3)
    if declared > 1024:
        actual = whole.count(b"<si") + whole.count(b":si")
        if declared > actual + 1024:
            raise FalseCount(info.filename, declared, actual)


# --- OpenDocument ------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"""<(/?)table:(table-row|table-cell|covered-table-cell|table)\b([^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+)>"""
)
"""The elements calamine's ODS reader reads, by the names it matches (the ``table:`` prefix as written)."""
_ROWS_REPEATED = re.compile(rb"""\btable:number-rows-repeated\s*=\s*["']\s*\+?([0-9]+)""")
_COLUMNS_REPEATED = re.compile(rb"""\btable:number-columns-repeated\s*=\s*["']\s*\+?([0-9]+)""")
ODS_MAX_ROWS, ODS_MAX_COLUMNS = 1_048_576, 16_384
"""Where calamine caps a table's repeated rows and a row's repeated cells."""


def ods_cells(content: bytes) -> int:
    """How many cells calamine may hold for an ODS ``content.xml``, on the large side: the cells it stores row by row
    while reading (a row up to its last cell with content, repeats expanded), or the rectangle it then fills per
    table (from the first row to the last with content, repeated rows expanded, by the widest row), whichever is
    more.

    A cell counts as having content when it has any ``office:`` attribute or a formula, or is not empty-closed.
    A 16 KB file of 20,000 rows with one value in column 16,000 each makes calamine ask for 320 million cells.
    """
    stored = spread = 0
    rows = width = at = row_width = 0
    repeats = 1
    last = -1
    for m in _ODS_TAG.finditer(content):
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        closed = attrs.endswith(b"/")
        if name == b"table":
            if closing:
                spread += (last + 1) * width  # from A1, as the grid is padded
                rows = width = 0
                last = -1
            continue
        if name == b"table-row":
            if not closing:
                found = _ROWS_REPEATED.search(attrs)
                repeats = max(1, int(found.group(1))) if found else 1
                at = row_width = 0
            if closing or closed:
                if row_width:
                    last = rows + repeats - 1
                    width = max(width, row_width)
                stored += row_width
                rows = min(ODS_MAX_ROWS, rows + repeats)
            continue
        if closing:
            continue
        found = _COLUMNS_REPEATED.search(attrs)
        at = min(ODS_MAX_COLUMNS, at + (max(1, int(found.group(1))) if found else 1))
        if not closed or b"office:" in attrs or b"table:formula" in attrs:
            row_width = at
    return max(stored, spread)


def scan_ods(z: zipfile.ZipFile, members: ZipMembers | None = None) -> int:
    """`ods_cells` of an OpenDocument spreadsheet's content (every part named content.xml, in any case); 0 without
    one. The DTD check of `scan_xlsx` has read the part's prolog already."""
    m = members or ZipMembers.of(z)
    return sum(ods_cells(m.read(info)) for info in m.infos if "content.xml" in m.aliases[id(info)])


# --- Excel binary workbooks (.xlsb) ---------------------------------------------------------------------------


def xlsb_sheet_cells(data: bytes) -> int:
    """The rectangle an .xlsb worksheet part fills, from A1 (as the grid is padded) to its last cell record
    (BrtCellRk … BrtFmlaError, each placed by the last BrtRowHdr's row and its own 32-bit column), read as calamine
    reads the records (a row beyond 2²⁰ or BrtEndSheetData ends them)."""
    at, end = 0, len(data)
    row = 0
    bottom = right = -1
    while at < end:
        kind = data[at]
        at += 1
        if kind & 0x80:  # a two-byte record type
            if at >= end:
                break
            kind = (kind & 0x7F) | ((data[at] & 0x7F) << 7)
            at += 1
        size = shift = 0
        for _ in range(4):  # the length: up to four bytes of seven bits
            if at >= end:
                break
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        body, at = at, at + size
        if at > end or kind == 0x0092:  # cut short, or BrtEndSheetData
            break
        if kind == 0x0000 and size >= 4:  # BrtRowHdr
            (row,) = struct.unpack_from("<I", data, body)
            if row > 0x0010_0000:
                break
        elif 0x0002 <= kind <= 0x000B and size >= 4:
            (col,) = struct.unpack_from("<I", data, body)
            bottom, right = max(bottom, row), max(right, col)
    return (bottom + 1) * (right + 1) if bottom >= 0 else 0  # from A1, as the grid is padded


def scan_xlsb(z: zipfile.ZipFile, members: ZipMembers | None = None) -> int:
    """`xlsb_sheet_cells` summed over every part calamine may read as an .xlsb worksheet: ``xl/`` and each target of
    ``xl/_rels/workbook.bin.rels``, or a ``.bin`` part under ``xl/worksheets/`` (names compared as calamine's zip
    lookup compares them); 0 for a workbook without such parts."""
    m = members or ZipMembers.of(z)
    targets: set[str] = set()
    for info in m.infos:
        if "xl/_rels/workbook.bin.rels" in m.aliases[id(info)]:
            targets.update(p for t in _relationships(m.read(info), sheets_only=False)[0] for p in _resolved("xl/", t))
    return sum(
        xlsb_sheet_cells(read_part(z, info, archive=m.archive))
        for info in m.infos
        if any(n in targets or (n.startswith("xl/worksheets/") and n.endswith(".bin")) for n in m.aliases[id(info)])
    )


# --- Excel 97-2003 (.xls) ---------------------------------------------------------------------------------

_XLS_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
"""The cell records calamine places by their first two words, row and column: Number, Label, RString, BoolErr, Rk,
LabelSst, Formula (MulRk, 0x00BD, spans columns)."""


_XLS_ROWS = re.compile(rb"(?:\x08\x02\x10\x00.{16})+", re.S)
"""A run of ROW records (0x0208, 16 bytes each): exports write one per formatted row, empty or not, in blocks of 32,
so the loop below passes over a run in one match instead of a step per row."""


def _xls_records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """(type, data) of the records from ``at`` (a record cut short ends them, as it ends calamine's reading)."""
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        if at + 4 + size > len(stream):
            return
        yield kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def _xls_sheet_cells(stream: bytes, at: int) -> tuple[int, int]:
    """(the rectangle from A1 to the last cell, the cells its DIMENSIONS record reserves: u32 arithmetic
    wrapping as calamine's does) of the sheet whose BOF is at ``at``. One tight loop over the records: a sheet has
    one per cell."""
    unpack, end, cells = struct.unpack_from, len(stream), _XLS_CELLS
    reserved = 0
    bottom = right = -1
    depth, seen = 0, False
    row_run = _XLS_ROWS.match
    while at + 4 <= end:
        kind, size = unpack("<HH", stream, at)
        if kind == 0x0208 and size == 16 and (run := row_run(stream, at)) is not None:
            at = run.end()
            continue
        body, at = at + 4, at + 4 + size
        if at > end:  # a record cut short ends calamine's reading too
            break
        if kind in cells:
            if size >= 4 and not depth:
                row, col = unpack("<HH", stream, body)
                bottom, right = (row if row > bottom else bottom), (col if col > right else right)
        elif depth:  # an embedded chart's substream: skipped
            depth += (kind == 0x0809) - (kind == 0x000A)
        elif kind == 0x00BD and size >= 6:  # MulRk: a row's cells from one column to another
            row, col = unpack("<HH", stream, body)
            (last,) = unpack("<H", stream, at - 2)
            bottom, right = max(bottom, row), max(right, col, last)
        elif kind == 0x0809:
            depth, seen = (1, seen) if seen else (0, True)
        elif kind == 0x000A:
            break
        elif kind == 0x0200 and size in (10, 14):
            rf, rl, cf, cl = unpack("<HHHH" if size == 10 else "<IIHH", stream, body)
            cf = 0 if cf > 0xFF or cl < cf else cf
            end_r, end_c = (rl - 1, cl - 1) if rl >= 1 and cl >= 1 else (rf, cf)
            rows, cols = ((end_r - rf) & 0xFFFFFFFF) + 1, ((end_c - cf) & 0xFFFFFFFF) + 1
            reserved = max(reserved, rows * cols)
    spread = (bottom + 1) * (right + 1) if bottom >= 0 else 0  # from A1, as the grid is padded
    return spread, reserved


XLS_SHEET_CELLS = 65_536 * 256
"""The most cells an Excel 97-2003 sheet has: a DIMENSIONS record may claim that much of a sheet (calamine reserves
room for it, which costs address space, not memory), never more."""


def scan_xls(data: bytes) -> tuple[int, int]:
    """What calamine allocates for an .xls when it opens it (every sheet: it reads them all then): the cells from A1
    to each sheet's last, summed, and the largest room a DIMENSIONS record reserves; (0, 0) for an OLE file
    without a workbook stream (an encrypted .xlsx). Raises ValueError for an OLE container that cannot be read."""
    import olefile  # here: only an .xls needs it

    try:
        with olefile.OleFileIO(data) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return 0, 0
            stream = ole.openstream(name).read()
    except Exception as exc:  # olefile does not say what a damaged container raises (OSError, struct, index errors)
        raise ValueError(str(exc) or type(exc).__name__) from None
    positions = []
    for kind, d in _xls_records(stream, 0):  # the workbook's globals, up to their EOF: BoundSheet8 gives each sheet's BOF
        if kind == 0x000A:
            break
        if kind == 0x0085 and len(d) >= 4:
            positions.append(struct.unpack_from("<I", d)[0])
    if any(at > len(stream) for at in positions):  # calamine would slice the stream there and panic
        raise ValueError("工作表的位置超出了工作簿数据")
    sheets = [_xls_sheet_cells(stream, at) for at in positions]
    return sum(c for c, _ in sheets), max((r for _, r in sheets), default=0)


# --- time -------------------------------------------------------------------------------------------------


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
