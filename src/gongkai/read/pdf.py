"""Published PDF documents → tables (grid + merges, title, 金额单位, 部门) and narrative text. Only pdfplumber here.

A 部门预算/决算 PDF is a run of pages: 说明 text with headings, then the 公开表, each under its title line and a
`编制部门：… 单位：元` line, some running over several pages with the header rows repeated. `read_pdf` gives
each table as the grid pdfplumber's table finder reads from the ruling lines (None = a cell covered by a merged
cell, line breaks inside a cell removed, fully blank rows dropped, continuation pages joined and their repeated
header rows dropped), with the merges as rectangles, and the text outside the tables as paragraphs.

Files from strangers: the byte size and the page count (from the page tree, before any page is parsed) are
checked first; inflating a stream is capped (a decompression bomb stops at the cap); characters and graphic
objects per page and in total are capped; each page has a time budget. Every refusal is a `ReadError` with one
Chinese sentence.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import signal
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import (
    HEADING_RE,
    LEADER_RE,
    NOTE_RE,
    NUMBER_RE,
    PAGE_NUMBER_RE,
    TABLE_NUMBER_RE,
    UNIT_RE,
    DocTable,
    Document,
    DocumentLimits,
    Paragraph,
    ReadError,
    clean_cell,
    department_of,
    drop_rows,
    header_row_count,
    is_blank_row,
    is_title_text,
    join_broken,
    lift_preamble,
    unit_of,
)
from .safety import TimeLimitExceeded
from .xlsx import read_head

__all__ = ["DocumentLimits", "ReadError", "read_pdf"]

Word = dict[str, Any]
"""A word as pdfplumber gives it: text, x0, x1, top, bottom, size."""

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd fonts and colours are not the clerk's


# ----------------------------------------------------------------------------------------------- safety

_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("gongkai_pdf_inflate_budget", default=None)


class _Bomb(BaseException):
    """BaseException: pdfminer swallows `Exception` in places; this must get out."""


class _CappedZlib:
    """Stands in for `zlib` inside pdfminer.pdftypes: decompression stops at the caps of the running read_pdf."""

    error = zlib.error

    def __init__(self, stream_cap: int) -> None:
        self.stream_cap = stream_cap

    def decompress(self, data: bytes, *args: object, **kwargs: object) -> bytes:
        budget = _budget.get()
        if budget is None:
            return bytes(zlib.decompress(data))
        cap = min(budget[0], budget[1])
        d = zlib.decompressobj()
        out = d.decompress(data, cap + 1)
        if len(out) > cap or d.unconsumed_tail:
            raise _Bomb
        if not d.eof and not d.unconsumed_tail:
            out += d.flush()
        budget[0] -= len(out)
        return out

    def decompressobj(self, *args: Any, **kwargs: Any) -> Any:
        budget = _budget.get()
        inner = zlib.decompressobj(*args, **kwargs)
        if budget is None:
            return inner
        return _CappedDecompressor(inner, budget)

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)


class _CappedDecompressor:
    def __init__(self, inner: Any, budget: list[int]) -> None:
        self.inner = inner
        self.budget = budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out: bytes = self.inner.decompress(data)
        self.budget[0] -= len(out)
        if self.budget[0] < 0:
            raise _Bomb
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def _install_cap() -> None:
    import pdfminer.pdftypes as pt

    if not isinstance(getattr(pt, "zlib", None), _CappedZlib):
        setattr(pt, "zlib", _CappedZlib(0))  # noqa: B010 (pdfminer's module global, on purpose)


@contextlib.contextmanager
def _inflate_budget(limits: DocumentLimits) -> Iterator[None]:
    _install_cap()
    token = _budget.set([limits.max_inflated_bytes, limits.max_stream_bytes])
    try:
        yield
    finally:
        _budget.reset(token)


class _PageTimeout(BaseException):
    """BaseException: pdfminer swallows `Exception` in places; this must get out."""


def _cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions (PdfminerException(original)): the original."""
    seen = 0
    while type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], BaseException) and seen < 5:
        exc = exc.args[0]
        seen += 1
    return exc


@contextlib.contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """A hard per-page timeout where the platform allows it (SIGALRM in the main thread); else checked after."""
    use_alarm = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and seconds > 0
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # never steal an alarm already running (the caller's)
    )
    if not use_alarm:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _PageTimeout

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ----------------------------------------------------------------------------------------------- page reading


@dataclass(slots=True)
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float


@dataclass(slots=True)
class _Part:
    """One table as found on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    grid: list[list[str | None]]
    merges: list[tuple[int, int, int, int]]
    strategy: str
    above: list[_Line] = field(default_factory=list)
    below: list[_Line] = field(default_factory=list)
    first_on_page: bool = False
    last_on_page: bool = False
    title: str | None = None
    unit: str | None = None
    department: str | None = None
    number: str | None = None
    notes: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    columns: list[tuple[float, float]] | None = None
    """Column extents of a table read by text alignment (a continuation on the next page reuses them)."""


def _lines(page_no: int, words: list[Word]) -> list[_Line]:
    """Words → text lines; a word belongs to a line its vertical extent overlaps by half (a Latin-font number set
    a few points lower than the CJK text beside it stays on that line)."""
    words = sorted(words, key=lambda w: (w["top"], w["x0"]))
    groups: list[list[Word]] = []
    for w in words:
        h = max(w["bottom"] - w["top"], 0.1)
        for g in reversed(groups[-4:]):
            top = min(x["top"] for x in g)
            bottom = max(x["bottom"] for x in g)
            overlap = min(bottom, w["bottom"]) - max(top, w["top"])
            if overlap >= 0.5 * min(h, bottom - top):
                g.append(w)
                break
        else:
            groups.append([w])
    lines = []
    for g in groups:
        g.sort(key=lambda x: x["x0"])
        text = ""
        prev = None
        for w in g:
            if prev is not None:
                gap = w["x0"] - prev["x1"]
                text += " " if gap > 0.25 * max(w.get("size", 10), 1) else ""
            text += w["text"]
            prev = w
        lines.append(
            _Line(
                page_no,
                min(w["top"] for w in g),
                max(w["bottom"] for w in g),
                g[0]["x0"],
                g[-1]["x1"],
                text,
                _mode_size(g),
            )
        )
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _mode_size(words: list[Word]) -> float:
    weight: dict[float, int] = {}
    for w in words:
        size = round(w.get("size") or 0, 1)
        weight[size] = weight.get(size, 0) + len(w["text"])
    return max(weight, key=lambda k: weight[k]) if weight else 0.0


def _grid_and_merges(table: Any) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """pdfplumber's rows of cell text (None under a spanning cell) and each spanning cell as a rectangle."""
    raw = table.extract()
    cells = table.cells
    xs = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    merges = []
    for x0, top, x1, bottom in cells:
        c0 = xs.index(x0)
        r0 = tops.index(top)
        c1 = max(i for i, x in enumerate(xs) if x < x1 - 0.01)
        r1 = max(i for i, y in enumerate(tops) if y < bottom - 0.01)
        if c1 > c0 or r1 > r0:
            merges.append((r0, c0, r1, c1))
    grid = [[clean_cell(c) for c in row] for row in raw]
    return grid, merges


def _lift_preamble(part: _Part) -> None:
    """Title / 编制部门 / 单位 rows that the table finder took into the grid (the page drew a frame round them)."""
    part.grid, part.merges, (title, unit, department) = lift_preamble(part.grid, part.merges)
    part.title = part.title or title
    part.unit = part.unit or unit
    part.department = part.department or department


def _read_page(
    page: Any, page_no: int, limits: DocumentLimits, carry: list[tuple[float, float]] | None = None
) -> tuple[list[_Part], list[_Line]]:
    objects = sum(len(page.objects.get(k, ())) for k in ("char", "line", "rect", "curve"))
    if objects > limits.max_page_objects:
        raise ReadError(f"第 {page_no} 页有 {objects:,} 个文字和图形对象，超过上限 {limits.max_page_objects:,} 个，未读取")
    found = [t for t in page.find_tables() if t.cells]
    parts: list[_Part] = []
    boxes = []
    for t in found:
        grid, merges = _grid_and_merges(t)
        width = max((len(r) for r in grid), default=0)
        if width < 2 or len(grid) < 1:
            continue  # a framed block of text (a 目录 box), not a table
        parts.append(_Part(page_no, t.bbox, grid, merges, "lines"))
        boxes.append(t.bbox)
    words = page.extract_words(extra_attrs=["size"])

    def inside(w: Word) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    lines = _lines(page_no, [w for w in words if not inside(w)])
    if not parts:
        text_part = _text_table(page, page_no, lines, carry if not any(UNIT_RE.search(ln.text) for ln in lines) else None)
        if text_part is not None:
            parts.append(text_part)
            boxes.append(text_part.bbox)
            lines = _lines(page_no, [w for w in words if not inside(w)])
    parts.sort(key=lambda p: p.bbox[1])
    for i, part in enumerate(parts):
        upper = parts[i - 1].bbox[3] if i else 0.0
        lower = parts[i + 1].bbox[1] if i + 1 < len(parts) else float("inf")
        part.above = [ln for ln in lines if upper <= ln.top and ln.bottom <= part.bbox[1] + 2]
        part.below = [ln for ln in lines if part.bbox[3] - 2 <= ln.top and ln.bottom <= lower]
        part.first_on_page = i == 0
        part.last_on_page = i + 1 == len(parts)
    return parts, lines


def _word_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (vertical overlap by half), each line sorted left to right."""
    groups: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        h = max(w["bottom"] - w["top"], 0.1)
        for g in reversed(groups[-4:]):
            top = min(x["top"] for x in g)
            bottom = max(x["bottom"] for x in g)
            if min(bottom, w["bottom"]) - max(top, w["top"]) >= 0.5 * min(h, bottom - top):
                g.append(w)
                break
        else:
            groups.append([w])
    for g in groups:
        g.sort(key=lambda x: x["x0"])
    return groups


def _columns(lines: list[list[Word]]) -> list[tuple[float, float]]:
    """Column extents: the x-projection of the words of the body lines, split where no word is printed."""
    spans = sorted((w["x0"], w["x1"]) for ln in lines for w in ln)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1.5:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def _header_columns(
    header: list[list[Word]], cols: list[tuple[float, float]], spans: dict[int, tuple[Word, Word]]
) -> list[tuple[float, float]]:
    """Columns that only the header prints (no row has an amount there), and the header words that span columns.

    A header word over no body column either heads an empty column, or is a group heading centred over the
    words below it (`本年收入` over `项目` and `预算数`): then it spans their columns."""

    def over_body(w: Word) -> bool:
        return any(min(b, w["x1"]) - max(a, w["x0"]) > 0 for a, b in cols)

    added: list[tuple[float, float]] = []
    for i, ln in enumerate(header):
        below = [w for w in header[i + 1] if over_body(w)] if i + 1 < len(header) else []
        for w in ln:
            if over_body(w):
                continue
            centre = (w["x0"] + w["x1"]) / 2
            left = [x for x in below if (x["x0"] + x["x1"]) / 2 < centre]
            right = [x for x in below if (x["x0"] + x["x1"]) / 2 > centre]
            if left and right:
                a, b = left[-1], right[0]
                if abs(centre - ((a["x0"] + a["x1"]) / 2 + (b["x0"] + b["x1"]) / 2) / 2) < (w["x1"] - w["x0"]):
                    spans[id(w)] = (a, b)
                    continue
            if not any(min(b, w["x1"]) - max(a, w["x0"]) > 0 for a, b in added):
                added.append((w["x0"], w["x1"]))
    return sorted(cols + added)


def _text_table(page: Any, page_no: int, lines: list[_Line], columns: list[tuple[float, float]] | None = None) -> _Part | None:
    """A table printed without ruling lines: under a `单位：` line (or, on a continuation page, from the top, in the
    columns of the part before), one row per printed line, columns where the body's words leave a gap."""
    start_y = None
    for ln in lines:
        if UNIT_RE.search(ln.text):
            start_y = ln.bottom + 0.5
            break
    if start_y is None:
        if columns is None:
            return None
        start_y = 0.0
    words = [w for w in page.extract_words(x_tolerance=1.5, extra_attrs=["size"]) if w["top"] >= start_y]
    wlines = _word_lines(words)
    # the table ends at a 注/说明 line, a heading, or a gap of several line heights
    end = len(wlines)
    for j, wl in enumerate(wlines):
        text = " ".join(w["text"] for w in wl)
        height = max(wl[0]["bottom"] - wl[0]["top"], 1)
        gap = j and wl[0]["top"] - max(w["bottom"] for w in wlines[j - 1]) > 3 * height
        if NOTE_RE.match(text) or (gap and not any(NUMBER_RE.match(w["text"]) for w in wl)):
            end = j
            break
        if j == 0 and PAGE_NUMBER_RE.match(text):
            continue
    wlines = [wl for wl in wlines[:end] if not PAGE_NUMBER_RE.match(" ".join(w["text"] for w in wl))]
    is_body = [any(NUMBER_RE.match(w["text"]) for w in wl) for wl in wlines]
    if sum(is_body) < 2 and columns is None:
        return None
    first = is_body.index(True) if True in is_body else len(wlines)
    cols = columns or _columns([wl for wl, b in zip(wlines, is_body, strict=True) if b])
    spans: dict[int, tuple[Word, Word]] = {}
    if columns is None:
        cols = _header_columns(wlines[:first], cols, spans)
    if len(cols) < 2:
        return None

    def overlapping(w: Word) -> list[int]:
        return [i for i, (a, b) in enumerate(cols) if min(b, w["x1"]) - max(a, w["x0"]) > 0]

    grid: list[list[str | None]] = []
    merges: list[tuple[int, int, int, int]] = []
    for wl in wlines:
        row: list[str | None] = [""] * len(cols)
        last_x1: dict[int, float] = {}
        for w in wl:
            if id(w) in spans:
                left, right = spans[id(w)]
                hit = overlapping(left)[:1] + overlapping(right)[-1:]
            else:
                hit = overlapping(w)
            if not hit:  # between columns: the nearest
                centre = (w["x0"] + w["x1"]) / 2
                hit = [min(range(len(cols)), key=lambda i: min(abs(cols[i][0] - centre), abs(cols[i][1] - centre)))]
            c0, c1 = hit[0], hit[-1]
            if row[c0]:
                gap = w["x0"] - last_x1.get(c0, w["x0"])
                row[c0] = f"{row[c0]}{' ' if gap > 0.25 * max(w.get('size', 10), 1) else ''}{w['text']}"
            else:
                row[c0] = w["text"]
            last_x1[c0] = w["x1"]
            if c1 > c0 and all(row[c] == "" for c in range(c0 + 1, c1 + 1)):
                for c in range(c0 + 1, c1 + 1):
                    row[c] = None
                merges.append((len(grid), c0, len(grid), c1))
        grid.append(row)
    if not grid:
        return None
    x0 = min(a for a, _ in cols)
    x1 = max(b for _, b in cols)
    top = min(w["top"] for w in wlines[0])
    bottom = max(w["bottom"] for w in wlines[-1])
    part = _Part(page_no, (x0, top, x1, bottom), grid, merges, "text")
    part.columns = cols
    return part


# ----------------------------------------------------------------------------------------------- document


def _label_parts(parts: list[_Part]) -> None:
    """Title, unit, 部门, table number and notes of each part from the lines around it."""
    for part in parts:
        _lift_preamble(part)
        above = part.above
        for k in range(len(above) - 1, -1, -1):
            ln = above[k]
            text = ln.text.strip()
            if UNIT_RE.search(text) or (department_of(text) and len(text) < 80):
                part.unit = part.unit or unit_of(text)
                part.department = part.department or department_of(text)
                part.used.add(id(ln))
                continue
            if part.title is None and is_title_text(text):
                part.title = text
                part.used.add(id(ln))
                if k and TABLE_NUMBER_RE.match(above[k - 1].text.strip()):
                    part.number = above[k - 1].text.strip()
                    part.used.add(id(above[k - 1]))
                break
            if not re.search(r"[\w\u4e00-\u9fff]", text):
                continue  # stray quotes, rules
            break
        note: list[str] = []
        for ln in part.below:
            text = ln.text.strip()
            if NOTE_RE.match(text):
                if note:
                    part.notes.append(join_broken(note))
                note = [text]
                part.used.add(id(ln))
            elif note and not HEADING_RE.match(text) and not PAGE_NUMBER_RE.match(text):
                note.append(text)
                part.used.add(id(ln))
            elif note or text:
                break
        if note:
            part.notes.append(join_broken(note))


def _fallback_title(part: _Part) -> str | None:
    for ln in reversed(part.above):
        text = ln.text.strip()
        if text and not PAGE_NUMBER_RE.match(text) and re.search(r"[\u4e00-\u9fff]", text):
            return text
    return None


def _continues(prev: _Part, part: _Part) -> bool:
    if part.title or part.unit or not part.first_on_page or not prev.last_on_page or part.page != prev.page + 1:
        return False
    if any(re.search(r"[\u4e00-\u9fff]{4,}", ln.text) and not PAGE_NUMBER_RE.match(ln.text) for ln in part.above):
        return False  # text between the two: a new, untitled block
    width = len(prev.grid[0]) if prev.grid else 0
    return bool(part.grid) and len(part.grid[0]) <= width


def _pad(part: _Part, width: int) -> None:
    """A continuation read with fewer columns (its lines do not reach every column): pad after the first cell."""
    have = len(part.grid[0])
    if have >= width:
        return
    extra = width - have
    part.grid = [row[:1] + [None] * extra + row[1:] for row in part.grid]
    merges = []
    for r0, c0, r1, c1 in part.merges:
        merges.append((r0, c0 if c0 == 0 else c0 + extra, r1, c1 + extra))
    for r in range(len(part.grid)):
        if not any(m[0] <= r <= m[2] and m[1] == 0 for m in merges):
            merges.append((r, 0, r, extra))
    part.merges = merges


def _assemble(parts: list[_Part]) -> list[DocTable]:
    tables: list[DocTable] = []
    groups: list[list[_Part]] = []
    for part in parts:
        part.grid, part.merges = drop_rows(
            part.grid, part.merges, {i for i, r in enumerate(part.grid) if is_blank_row(r)}
        )
        if groups and _continues(groups[-1][-1], part):
            groups[-1].append(part)
        elif part.grid or part.title:
            groups.append([part])
    for group in groups:
        head = group[0]
        width = max((len(r) for r in head.grid), default=0)
        grid = [list(r) for r in head.grid]
        merges = list(head.merges)
        row_pages = [head.page] * len(grid)
        header = grid[: header_row_count(grid)]
        pages = [head.page] if grid else []
        for part in group[1:]:
            _pad(part, width)
            skip = 0
            while skip < len(header) and skip < len(part.grid) and part.grid[skip] == header[skip]:
                skip += 1
            rows, part_merges = drop_rows(part.grid, part.merges, set(range(skip)))
            if not rows:
                continue
            offset = len(grid)
            grid.extend(rows)
            merges.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in part_merges)
            row_pages.extend([part.page] * len(rows))
            pages.append(part.page)
        notes = [n for p in group for n in p.notes]
        tables.append(
            DocTable(
                index=len(tables),
                title=head.title or _fallback_title(head),
                unit=head.unit,
                department=head.department,
                pages=pages or [head.page],
                grid=grid,
                merges=sorted(merges),
                header_rows=header_row_count(grid),
                row_pages=row_pages,
                notes=notes,
                number=head.number,
                strategy=head.strategy,
            )
        )
    return tables


def _paragraphs(lines: list[_Line], used: set[int]) -> list[Paragraph]:
    lines = [ln for ln in lines if id(ln) not in used and ln.text.strip()]
    if not lines:
        return []
    sizes: dict[float, int] = {}
    for ln in lines:
        sizes[round(ln.size)] = sizes.get(round(ln.size), 0) + len(ln.text)
    body = max(sizes, key=lambda k: sizes[k])
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    margins: dict[int, tuple[float, float]] = {}
    for page, page_lines in by_page.items():
        body_lines = [ln for ln in page_lines if round(ln.size) == body] or page_lines
        margins[page] = (min(ln.x0 for ln in body_lines), max(ln.x1 for ln in body_lines))
    # running page numbers: a short number line at the very top or bottom of a page
    drop = set()
    for page_lines in by_page.values():
        for ln in (page_lines[0], page_lines[-1]):
            if PAGE_NUMBER_RE.match(ln.text.strip()):
                drop.add(id(ln))
    out: list[Paragraph] = []
    current: list[str] = []
    current_page = 0
    prev: _Line | None = None

    def flush(heading: bool = False) -> None:
        nonlocal current
        if current:
            out.append(Paragraph(current_page, join_broken(current), heading))
        current = []

    for ln in lines:
        if id(ln) in drop:
            continue
        text = ln.text.strip()
        left, right = margins[ln.page]
        toc = LEADER_RE.search(text)
        if toc:  # a 目录 entry: its own paragraph, without the dot leader and page number
            flush()
            text = text[: toc.start()].strip() or text
            out.append(Paragraph(ln.page, text, HEADING_RE.match(text) is not None))
            prev = ln
            continue
        size = max(ln.size, 1)
        short = ln.x1 < right - 2 * size
        heading = (round(ln.size) >= body + 1 and len(text) <= 60) or (
            HEADING_RE.match(text) is not None and len(text) <= 40 and short and not text.endswith(("。", "；", "，", "："))
        )
        if (
            heading
            and out
            and out[-1].heading
            and not current
            and prev is not None
            and prev.page == ln.page
            and round(ln.size) == round(prev.size) > body
            and ln.top - prev.bottom < 0.8 * size
            and HEADING_RE.match(text) is None
        ):
            out[-1].text = join_broken([out[-1].text, text])  # a heading printed on two lines
            prev = ln
            continue
        new = (
            prev is None
            or heading
            or ln.x0 > left + 1.2 * size
            or prev.x1 < right - 2 * size
            or (prev.page == ln.page and ln.top - prev.bottom > 1.2 * size)
            or (prev.text.strip().endswith(("。", "：", "；")) and prev.x1 < right - 0.5 * size)
            or (prev.text.strip().endswith("。") and HEADING_RE.match(text) is not None)
            or (out and out[-1].heading and not current)
        )
        if (
            prev is not None
            and prev.page != ln.page
            and ln.x0 <= left + 1.2 * size
            and current
            and not heading
            and not (prev.text.strip().endswith("。") and HEADING_RE.match(text))
        ):
            new = False  # a paragraph running on to the next page
        if heading:
            flush()
            current_page = ln.page
            current = [text]
            flush(heading=True)
            prev = ln
            continue
        if new:
            flush()
            current_page = ln.page
        current.append(text)
        prev = ln
    flush()
    return out


def _page_count(pdf: Any) -> int:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        if isinstance(count, int):
            return count
    except Exception:  # a broken page tree: pdfplumber's own walk decides below
        pass
    return -1


def read_pdf(path: str | Path, limits: DocumentLimits | None = None) -> Document:
    """Read a published PDF: its tables (grid, merges, title, unit, 部门, pages) and its narrative paragraphs."""
    import pdfplumber
    limits = limits or DocumentLimits()
    path = Path(path)
    size, head = read_head(path, 1024)
    if size == 0:
        raise ReadError("文件是空的（0 字节），不是 PDF")
    if size > limits.max_bytes:
        raise ReadError(f"文件有 {_size(size)}，超过上限 {_size(limits.max_bytes)}，未读取")
    if b"%PDF-" not in head:
        raise ReadError("文件不是 PDF（可能是改了扩展名的其他文件）")
    with path.open("rb") as f:
        f.seek(max(0, size - 4096))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise ReadError("PDF 文件不完整（结尾缺失，可能下载或复制中断），无法读取；请重新获取完整的文件")
    with _inflate_budget(limits):
        try:
            pdf = pdfplumber.open(path)
        except TimeLimitExceeded:
            raise  # the caller's time limit for the whole file
        except (Exception, _Bomb, _PageTimeout) as exc:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
            if isinstance(_cause(exc), TimeLimitExceeded):
                raise _cause(exc) from None
            raise ReadError(_open_message(_cause(exc), limits)) from None
        with pdf:
            try:
                return _read_open(pdf, path, limits)
            except (_Bomb, _PageTimeout) as exc:  # from the page tree, outside a page
                raise ReadError(_open_message(exc, limits)) from None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _open_message(exc: BaseException, limits: DocumentLimits) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect) or "assword" in str(exc):
        return "这个 PDF 有打开密码（已加密），无法读取；请先取消密码，或提供未加密的 PDF"
    if isinstance(exc, PDFEncryptionError) or "ncrypt" in str(exc):
        return "这个 PDF 已加密（加密方式不受支持），无法读取；请提供未加密的 PDF"
    if isinstance(exc, _Bomb):
        return _bomb_message(limits)
    if isinstance(exc, _PageTimeout):
        return f"读取超过 {limits.page_seconds:g} 秒，文件过于复杂或是恶意构造的，未读取"
    return "文件已损坏，无法作为 PDF 读取（可能下载不完整或不是真正的 PDF）"


def _bomb_message(limits: DocumentLimits) -> str:
    return (
        f"文件中的数据解压后超过上限（单个对象 {limits.max_stream_bytes // (1024 * 1024)} MB，"
        f"全部 {limits.max_inflated_bytes // (1024 * 1024)} MB），疑似压缩炸弹，未读取"
    )


_OPERATORS = re.compile(rb"(?<![A-Za-z])(?:re|l|c|v|y|m|Tj|TJ|'|\x22|Do)(?![A-Za-z])")


def _check_operators(page: Any, page_no: int, limits: DocumentLimits) -> None:
    """Refuse a page whose content streams hold more drawing/text operators than the object cap, before pdfminer
    interprets them (interpreting 200,000 rectangles takes pdfminer minutes)."""
    from pdfminer.pdftypes import resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents] if contents is not None else []
    count = 0
    for ref in streams:
        st = resolve1(ref)
        if hasattr(st, "get_data"):
            count += len(_OPERATORS.findall(st.get_data()))
    if count > limits.max_page_objects:
        raise ReadError(f"第 {page_no} 页有约 {count:,} 个绘图和文字指令，超过上限 {limits.max_page_objects:,} 个，未读取")


def _alarm_running() -> bool:
    """Whether a SIGALRM timer is counting down (a caller's time limit, in the main thread)."""
    return (
        hasattr(signal, "getitimer") and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] > 0
    )


def _read_open(pdf: Any, path: Path, limits: DocumentLimits) -> Document:
    count = _page_count(pdf)
    if count > limits.max_pages:
        raise ReadError(f"这个 PDF 有 {count:,} 页，超过上限 {limits.max_pages:,} 页，未读取")
    try:
        pages = pdf.pages
    except _Bomb:
        raise ReadError(_bomb_message(limits)) from None
    except Exception:
        raise ReadError("文件已损坏，无法作为 PDF 读取（页面目录有误）") from None
    if len(pages) > limits.max_pages:
        raise ReadError(f"这个 PDF 有 {len(pages):,} 页，超过上限 {limits.max_pages:,} 页，未读取")
    if not pages:
        raise ReadError("这个 PDF 没有页面，无法读取")
    parts: list[_Part] = []
    lines: list[_Line] = []
    began = time.monotonic()
    broken_xref = any(type(x).__name__ == "PDFXRefFallback" for x in getattr(pdf.doc, "xrefs", []))
    page_seconds = min(limits.page_seconds, 3.0) if broken_xref else limits.page_seconds
    chars = 0
    images = 0
    caller_alarm = _alarm_running()
    for n, page in enumerate(pages, start=1):
        started = time.monotonic()
        try:
            with _time_budget(page_seconds):
                _check_operators(page, n, limits)
                chars += len(page.chars)
                images += len(page.images)
                if chars > limits.max_chars:
                    raise ReadError(f"这个 PDF 的文字超过上限 {limits.max_chars:,} 个字符，未读取")
                carry = parts[-1].columns if parts and parts[-1].page == n - 1 and parts[-1].last_on_page else None
                page_parts, page_lines = _read_page(page, n, limits, carry)
        except (ReadError, TimeLimitExceeded):
            raise
        except (Exception, _Bomb, _PageTimeout) as exc:
            cause = _cause(exc)
            if isinstance(cause, TimeLimitExceeded):
                raise cause from None
            if broken_xref:
                raise ReadError(f"文件已损坏（内部目录有误），第 {n} 页无法读取") from None
            if isinstance(cause, _PageTimeout):
                raise ReadError(f"第 {n} 页读取超过 {limits.page_seconds:g} 秒，文件过于复杂或是恶意构造的，未读取") from None
            if isinstance(cause, _Bomb):
                raise ReadError(_bomb_message(limits)) from None
            raise ReadError(f"文件已损坏，第 {n} 页无法读取") from None
        finally:
            with contextlib.suppress(Exception):
                page.close()
        if caller_alarm and not _alarm_running():
            # the caller's time limit (pipeline, batch) fired inside pdfminer, which swallowed its exception: stop now
            raise TimeLimitExceeded(limits.total_seconds)
        if time.monotonic() - began > limits.total_seconds:
            raise ReadError(f"读取这个 PDF 超过 {limits.total_seconds:g} 秒（到第 {n} 页），文件过于复杂或是恶意构造的，未读取")
        if time.monotonic() - started > page_seconds:
            if broken_xref:
                raise ReadError(f"文件已损坏（内部目录有误），第 {n} 页无法读取")
            raise ReadError(f"第 {n} 页读取超过 {limits.page_seconds:g} 秒，文件过于复杂或是恶意构造的，未读取")
        parts.extend(page_parts)
        lines.extend(page_lines)
    if chars == 0:
        if images:
            raise ReadError("这个 PDF 没有文字层（可能是扫描件），无法读取表格；请提供可复制文字的 PDF 或原始工作簿")
        raise ReadError("这个 PDF 没有任何文字，无法读取表格")
    _label_parts(parts)
    tables = _assemble(parts)
    used = {i for p in parts for i in p.used}
    paragraphs = _paragraphs(lines, used)
    if not tables:
        raise ReadError("这个 PDF 里没有找到表格（没有可读取的公开表）；请确认文件是部门预算或决算公开文件")
    return Document(str(path), "pdf", len(pages), tables, paragraphs)

