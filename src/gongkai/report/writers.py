"""The streaming writers of the text reports (`report.stream` says how they are used): JSON, CSV, the text summary
and the HTML page, each writing what its in-memory twin in `formats.py` writes, one file at a time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..core.findings import Severity
from .stream import Render, Rendered, Totals, Writer, _block

if TYPE_CHECKING:
    from ..pipeline import FileResult


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
            self.by_table.setdefault(f.table or "(工作簿)", Counter())[f.severity] += 1
            tid = f.table or (formats.NARRATIVE if f.sheet == formats.NARRATIVE else "(工作簿)")
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
