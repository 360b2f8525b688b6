"""Reports written while a batch runs: the results go to a writer one file at a time, in input order, so memory does
not grow with the number of files (issue 18 §5).

`InOrder` takes results as the workers finish them (any order) and passes them on in input order, keeping the few
that arrive early; `Totals` keeps what the reports end with (counts, the failing files named in the last line).
Each writer below writes the same text as its in-memory twin in `formats.py`
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
from pathlib import Path
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

        text = JsonWriter.fragment(r)
    elif how.format == "csv":

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


# --- the writers -----------------------------------------------------------------------------------------


class JsonWriter:
    """`cli._common.dump_json(formats.to_json(results))`, one file at a time."""

    def __init__(self, out: IO[str]) -> None:
        from . import formats

        self.out, self.first = out, True
        out.write('{\n  "version": ' + str(formats.JSON_VERSION) + ',\n  "files": [')

    @staticmethod
    def fragment(r: FileResult) -> str:
        """The file's entry in the report (`formats.file_json`), indented as in the whole report."""
        import json

        from . import formats

        entry = formats.to_json([r])["files"][0]  # the contract's entry for one file (formats.file_json)
        try:
            text = indented_json(entry)
        except _NotPlain:
            text = json.dumps(entry, ensure_ascii=False, indent=2, default=str)
        # json escapes every "\n" inside a string, so each one left is a line of the layout; not splitlines, which also
        # breaks at U+2028, U+2029 and U+0085 inside a quoted cell text and so made the report invalid JSON
        return "    " + text.replace("\n", "\n    ")

    def add(self, r: FileResult | Rendered) -> None:
        text = r.text if isinstance(r, Rendered) else self.fragment(r)
        self.out.write(("\n" if self.first else ",\n") + text)
        self.first = False

    def close(self, totals: Totals) -> None:
        import json

        summary = json.dumps(totals.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        self.out.write(("]" if self.first else "\n  ]") + ',\n  "summary": ' + summary + "\n}\n")


class _NotPlain(Exception):
    """A value `indented_json` leaves to json.dumps."""


def indented_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, default=str)``, character for character, for dicts with
    string keys, lists, tuples, strings, finite numbers, booleans and None (anything else raises _NotPlain): 1.7
    times as fast as json's own indenting encoder, which is pure Python (the C one does not indent)."""
    # json.dumps's own string encoder with ensure_ascii=False (in C)
    from json.encoder import encode_basestring as text

    def enc(v: Any, inner: str) -> str:
        if type(v) is str:
            return text(v)
        if v is None:
            return "null"
        if isinstance(v, dict):
            if not v:
                return "{}"
            deeper = inner + "  "
            parts = []
            for k, x in v.items():
                if type(k) is not str:
                    raise _NotPlain
                parts.append(text(k) + ": " + (text(x) if type(x) is str else "null" if x is None else enc(x, deeper)))
            return "{" + inner + ("," + inner).join(parts) + inner[:-2] + "}"
        if isinstance(v, (list, tuple)):
            if not v:
                return "[]"
            deeper = inner + "  "
            items = [text(x) if type(x) is str else enc(x, deeper) for x in v]
            return "[" + inner + ("," + inner).join(items) + inner[:-2] + "]"
        if isinstance(v, str):
            return text(v)
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return int.__repr__(v)
        if isinstance(v, float) and v - v == 0:  # finite (NaN and infinities left to json)
            return float.__repr__(v)
        raise _NotPlain

    return enc(value, "\n  ")


class CsvWriter:
    """`formats.to_csv(results, shown)` and its last newline."""

    def __init__(self, out: IO[str], shown: Severity = Severity.NOTE) -> None:
        import csv

        from . import formats

        self.out, self.shown = out, shown
        csv.writer(out, lineterminator="\n").writerow(formats.CSV_COLUMNS)

    @staticmethod
    def fragment(r: FileResult, shown: Severity = Severity.NOTE) -> str:
        """The file's rows (`formats.rows`), as the CSV text they are written as."""
        import csv
        import io

        from . import formats

        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(formats.rows([r], shown))
        return buf.getvalue()

    def add(self, r: FileResult | Rendered) -> None:
        self.out.write(r.text if isinstance(r, Rendered) else self.fragment(r, self.shown))

    def close(self, totals: Totals) -> None:
        pass


class TextWriter:
    """`formats.to_text(results, shown, quiet=quiet)` and its last newline."""

    def __init__(self, out: IO[str], shown: Severity = Severity.NOTE, quiet: bool = False) -> None:
        self.out, self.shown, self.quiet = out, shown, quiet

    def add(self, r: FileResult | Rendered) -> None:
        self.out.write(r.text if isinstance(r, Rendered) else _block(r, Render("table", self.shown, self.quiet)))

    def close(self, totals: Totals) -> None:
        tail = [totals.failing_text()] if self.quiet else [totals.total_text(), totals.failing_text()]
        self.out.write("\n".join(tail) + "\n")


class HtmlWriter:
    """`formats.to_html(results, title, shown, generated)`: the sections after the totals and charts are written to
    temporary files as results arrive, then the page is put together."""

    def __init__(self, out: IO[str], title: str = "公开表校验报告", shown: Severity = Severity.NOTE, generated: Any = None) -> None:
        import datetime as dt
        import tempfile

        from .. import checks
        from . import formats

        self.out, self.title, self.shown = out, title, shown
        self.when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
        self.rule_titles = {rid: f"{rid} {r.title}" for rid, r in checks.RULES.items()}
        self.by_rule: dict[str, Counter[Severity]] = {}
        self.by_table: dict[str, Counter[Severity]] = {}
        self.hidden = 0
        self.folder = Path(tempfile.mkdtemp(prefix="gongkai-html-"))
        self.files = (self.folder / "files.html").open("w", encoding="utf-8")
        self.narratives = (self.folder / "narratives.html").open("w", encoding="utf-8")
        self.groups: dict[Severity, dict[str, tuple[IO[str], list[int]]]] = {s: {} for s in formats.SEVERITIES}
        """Per severity, per table in order of first appearance: the temporary file of its rows and their count."""

    def add(self, r: FileResult) -> None:
        from . import formats

        e = formats._e
        cls = "unreadable" if r.status != "ok" else "failing" if r.errors else ""
        self.files.write(
            f'\n<tr class="{cls}"><td>{e(r.path)}</td><td class="addr">{e(formats.modified(r.path))}</td>'
            f'<td class="addr">{formats.status_label(r)}</td><td class="n">{len(r.tables)}</td>'
            + "".join(f'<td class="n">{r.count(s)}</td>' for s in formats.SEVERITIES)
            + f"<td>{e(r.error)}</td></tr>"
        )
        if r.narrative is not None:
            self.narratives.write(f"\n<p><b>{e(r.path)}</b>：{e(r.narrative.text)}</p>")
            if r.narrative.unchecked:
                self.narratives.write("\n<details><summary>未核对的数字</summary><table><tr><th>位置</th><th>原文</th><th>原因</th></tr>")
                for u in r.narrative.unchecked:
                    self.narratives.write(
                        f'\n<tr><td class="addr">{e(u.cell)}</td><td>{e(u.sentence)}</td><td>{e(u.reason)}</td></tr>'
                    )
                self.narratives.write("\n</table></details>")
        self.hidden += sum(1 for f in r.findings if formats.RANK[f.severity] > formats.RANK[self.shown])
        for f in formats.shown_findings(r, self.shown):
            self.by_rule.setdefault(f.rule, Counter())[f.severity] += 1
            self.by_table.setdefault(formats.group_of(f), Counter())[f.severity] += 1
            tid = formats.group_of(f)
            groups = self.groups[f.severity]
            if tid not in groups:
                name = f"{f.severity.value}-{len(groups)}.html"
                groups[tid] = ((self.folder / name).open("w", encoding="utf-8"), [0])
            rows, count = groups[tid]
            count[0] += 1
            rows.write(
                f'\n<tr><td>{e(r.path)}</td><td class="addr">{e(f.where)}</td>'
                f'<td class="addr" title="{e(self.rule_titles.get(f.rule, f.rule))}">{e(f.rule)}</td>'
                f"<td>{e(f.message)}</td>"
                f'<td class="n">{e(formats.shown_amount(f.expected))}</td><td class="n">{e(formats.shown_amount(f.actual))}</td></tr>'
            )

    def _copy(self, f: IO[str]) -> None:
        import shutil

        f.close()
        with open(f.name, encoding="utf-8") as src:
            shutil.copyfileobj(src, self.out)

    def close(self, totals: Totals) -> None:
        from .. import __version__
        from . import formats

        e, out = formats._e, self.out
        found = any(self.by_rule)
        table_names = formats._table_names([])
        legend = "".join(f'<span style="background:{formats._COLOURS[s]}"></span>{s.label}' for s in formats.SEVERITIES)
        head = [
            "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title><style>{formats._CSS}</style></head><body>",
            f"<h1>{e(self.title)}</h1>",
            f'<p class="meta">生成时间：{e(self.when)} · gongkai {e(__version__)}</p>',
            f"<p>{e(totals.total_text())}</p>",
        ]
        if self.hidden:
            head.append(f"<p class=\"meta\">另有 {self.hidden} 个提示（舍位误差等）未列出；加 --show-notes 可列出。</p>")
        if found:
            head += [
                f'<h2>问题分布</h2><div class="legend">{legend}</div><div class="charts">',
                f"<div><h3>按规则</h3>{formats.bar_chart('按规则的问题数', self.by_rule, self.rule_titles)}</div>",
                f"<div><h3>按表</h3>{formats.bar_chart('按表的问题数', self.by_table, table_names)}</div></div>",
            ]
        head.append(
            "<h2>文件汇总</h2><table><tr><th>文件</th><th>修改时间</th><th>状态</th><th>表数</th><th>错误</th><th>警告</th>"
            "<th>提示</th><th>说明</th></tr>"
        )
        try:
            out.write("\n".join(head))
            self._copy(self.files)
            out.write("\n</table>")
            self._copy(self.narratives)
            if found:
                out.write("\n<h2>问题清单</h2>")
                for severity in formats.SEVERITIES:
                    groups = self.groups[severity]
                    if not groups:
                        continue
                    out.write(f'\n<h3 class="{severity.value}">{severity.label}（{sum(c[0] for _, c in groups.values())}）</h3>')
                    for tid, (rows, count) in groups.items():
                        out.write(f"\n<details open><summary><b>{e(f'{table_names.get(tid, tid)}（{count[0]}）')}</b></summary><table>")
                        out.write("\n<tr><th>文件</th><th>单元格</th><th>规则</th><th>说明</th><th>应为</th><th>实为</th></tr>")
                        self._copy(rows)
                        out.write("\n</table></details>")
            out.write(f"\n<p><small>由 gongkai {e(__version__)} 生成于 {e(self.when)}</small></p></body></html>\n")
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary files (also when the batch stops early)."""
        import shutil

        for f in (self.files, self.narratives, *(rows for g in self.groups.values() for rows, _ in g.values())):
            f.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def open_writer(fmt: str, out: IO[str], shown: Severity = Severity.NOTE, *, quiet: bool = False) -> Writer:
    """The streaming writer of a text format ("json", "csv", "html", "table")."""
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "csv":
        return CsvWriter(out, shown)
    if fmt == "html":
        return HtmlWriter(out, shown=shown)
    if fmt == "table":
        return TextWriter(out, shown, quiet)
    raise ValueError(fmt)
