"""Reports written while a batch runs: the results go to a writer one file at a time, in input order, so memory does
not grow with the number of files (issue 18 §5).

`InOrder` takes results as the workers finish them (any order) and passes them on in input order, keeping the few
that arrive early; `Totals` keeps what the reports end with (counts, the failing files named in the last line).
Each writer (`report.writers`, also importable from here) writes the same text as its in-memory twin in `formats.py`
(`to_json`, `to_csv`, `to_text`, `to_html`; `tests/test_report_stream.py` holds them to it) to an open text file,
as the results arrive:

    writer = open_writer("json", out, shown)
    for r in results_in_input_order:
        writer.add(r)
    writer.close(totals)

In a batch the workers render each file's text for the JSON, CSV and text reports (`render` gives a `Rendered`,
which these writers take as well as a result): the parent, which shares the cores with them, only writes it.

The HTML page starts with totals and charts, so its sections are written to temporary files and put together at
the end. The xlsx report streams too (`xlsx_report.XlsxWriter`, openpyxl's write-only mode, each row laid out as
`write.workbook.printable` lays out a finished sheet); it is saved to a path, not written to a text file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol

from ..core.findings import Severity

if TYPE_CHECKING:
    from ..pipeline import FileResult

# formats and the writers (with json, csv) are imported where used: a check of one passing file printed with -q
# needs none of them (a cold start compiles each module it imports when run from source).

FAILING_NAMED = 10
"""How many failing files the last line names (`formats.failing_text`)."""
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)


class Rendered(NamedTuple):
    """A file's result as a batch's parent needs it: what `Totals` and the progress bar count, and the report's
    text for the file, rendered where the file was checked (`render`), so the parent only writes it (issue 18 §5)."""

    path: str
    status: str
    error: str | None
    counts: tuple[int, int, int]
    """Findings by severity: errors, warnings, notes."""
    text: str
    """The file's fragment of the report, as the writer of `Render.format` writes it for this file."""

    def count(self, severity: Severity) -> int:
        return self.counts[SEVERITIES.index(severity)]

    @property
    def errors(self) -> int:
        return self.counts[0]


class Render(NamedTuple):
    """What to render each file's result as (`render`): a report format with its options."""

    format: str
    """"json", "csv", "table" (the text report's blocks) or "print" (the blocks printed as files finish)."""
    shown: Severity = Severity.NOTE
    quiet: bool = False
    columns: int | None = None
    colour: bool = False
    plain: bool = False


RENDERED_FORMATS = ("json", "csv", "table", "print")
"""The formats whose writers take a `Rendered` (HTML and xlsx put the findings of all files together: they take the
`FileResult`)."""


def render(r: FileResult, how: Render) -> Rendered:
    """A result as its file's report text (what the writer of ``how.format`` would write for it) and its counts."""
    if how.format == "json":
        from .writers import JsonWriter

        text = JsonWriter.fragment(r)
    elif how.format == "csv":
        from .writers import CsvWriter

        text = CsvWriter.fragment(r, how.shown)
    elif how.format in ("table", "print"):
        text = _block(r, how)
    else:
        raise ValueError(how.format)
    counts = (r.count(Severity.ERROR), r.count(Severity.WARNING), r.count(Severity.NOTE))
    return Rendered(r.path, r.status, r.error, counts, text)


def _block(r: FileResult, how: Render) -> str:
    """The table format's block of a file ("" when ``quiet`` and it passed)."""
    if how.quiet and not (r.errors or r.status != "ok"):
        return ""
    from . import formats

    if how.format == "print":
        return formats.file_text(r, how.shown, columns=how.columns, colour=how.colour, plain=how.plain)
    return formats.file_text(r, how.shown) + "\n\n"


class Totals:
    """What the reports end with, counted as results pass. (A plain class: a dataclass would compile its methods
    at every cold start.)"""

    def __init__(self) -> None:
        self.files = 0
        self.severities: Counter[Severity] = Counter()
        self.failing = 0
        self.unreadable = 0
        self.failing_named: list[str] = []
        self.failing_any = 0
        """Files that failed (errors or unreadable); the first FAILING_NAMED are named."""

    def add(self, r: FileResult | Rendered) -> None:
        self.files += 1
        for s in SEVERITIES:
            self.severities[s] += r.count(s)
        errors = r.errors
        self.failing += bool(errors)
        self.unreadable += r.status != "ok"
        if errors or r.status != "ok":
            self.failing_any += 1
            if len(self.failing_named) < FAILING_NAMED:
                from .formats import status_label

                self.failing_named.append(f"{r.path}（{status_label(r)}）")

    def summary(self) -> dict[str, int]:
        """`formats.summary`."""
        s = self.severities
        return {"files": self.files, "errors": s[Severity.ERROR], "warnings": s[Severity.WARNING], "notes": s[Severity.NOTE]}

    def total_text(self) -> str:
        """`formats.total_text`."""
        s = self.summary()
        return (
            f"共检查 {s['files']} 个文件：{self.failing} 个有错误，{self.unreadable} 个无法读取；"
            f"合计 {s['errors']} 个错误、{s['warnings']} 个警告、{s['notes']} 个提示"
        )

    def failing_text(self) -> str:
        """`formats.failing_text`."""
        if not self.failing_any:
            return "全部通过：没有发现错误" if self.files else "没有检查任何文件"
        more = f" 等 {self.failing_any} 个" if self.failing_any > FAILING_NAMED else ""
        return f"未通过的文件：{'、'.join(self.failing_named)}{more}"

    def exit_code(self) -> int:
        """0 no errors, 1 errors found, 2 a file could not be read (`cli._narrative.exit_code`)."""
        return 2 if self.unreadable else 1 if self.failing else 0


KEPT_AS_OBJECTS = 32
"""How many waiting results InOrder keeps as they are; more are held pickled."""


class InOrder:
    """Pass results on in input order: each as soon as it and every one before it are done. A few results that must
    wait are kept as they are (the other worker's file is nearly done: pickling each would cost the parent ~1 ms);
    beyond KEPT_AS_OBJECTS they are held pickled and compressed (a typical workbook's result takes about 250 KB as
    objects, 50 KB pickled; a `Rendered` one is its report text, which compresses about tenfold): when one worker
    falls behind (a slow file, a busy core), the others' results pile up until it catches
    up, and memory stays flat."""

    def __init__(self, *send: Callable[[Any], None]) -> None:
        self.send = send
        self.waiting: dict[int, Any] = {}
        self.next = 0

    def add(self, index: int, result: FileResult | Rendered) -> None:
        if index != self.next:
            if len(self.waiting) < KEPT_AS_OBJECTS:
                self.waiting[index] = result
                return
            import pickle  # only when many results arrive before their turn (a batch with a slow file)
            import zlib

            self.waiting[index] = zlib.compress(pickle.dumps(result, pickle.HIGHEST_PROTOCOL), 1)
            return
        self._pass(result)
        while self.next in self.waiting:
            held = self.waiting.pop(self.next)
            if isinstance(held, bytes):
                import pickle
                import zlib

                held = pickle.loads(zlib.decompress(held))
            self._pass(held)

    def _pass(self, r: FileResult | Rendered) -> None:
        for send in self.send:
            send(r)
        self.next += 1

    @property
    def held(self) -> int:
        """Results waiting for one before them."""
        return len(self.waiting)


class Writer(Protocol):
    def add(self, r: Any) -> None: ...

    def close(self, totals: Totals) -> None: ...


class Discarded:
    """No report file: the table format prints each file's block itself."""

    def add(self, r: FileResult | Rendered) -> None:
        pass

    def close(self, totals: Totals) -> None:
        pass


WRITERS = ("JsonWriter", "CsvWriter", "TextWriter", "HtmlWriter", "indented_json")
"""The writers, in `report.writers` (imported when one is asked for: a check printed to the screen needs none)."""


def open_writer(fmt: str, out: IO[str], shown: Severity = Severity.NOTE, *, quiet: bool = False) -> Writer:
    """The streaming writer of a text format ("json", "csv", "html", "table")."""
    from .writers import open_writer

    return open_writer(fmt, out, shown, quiet=quiet)


def __getattr__(name: str) -> Any:
    if name in WRITERS:
        from . import writers

        return getattr(writers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
