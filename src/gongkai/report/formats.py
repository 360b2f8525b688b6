"""Check results → reports: the JSON contract, a Chinese text summary, CSV and a self-contained HTML page.

Pure functions of `pipeline.FileResult` lists; no I/O library (the xlsx report is in `xlsx_report.py`).

JSON contract (version 1), stable for scripts::

    {"version": 1,
     "files": [{"path", "status": "ok"|"unreadable", "error",
                "tables": [{"id", "title", "sheet"}],
                "findings": [{"rule", "severity", "table", "sheet", "cell", "related": ["<sheet>!<A1>", ...],
                              "message", "expected", "actual"}]}],
     "summary": {"files", "errors", "warnings", "notes"}}

A file whose 说明 text was checked (a PDF/Word document, or ``--text``) also carries ``"narrative": {"found",
"checked", "agreeing", "wrong", "unchecked": [{"cell", "sentence", "figure", "reason"}]}``; its N5xx findings have
``sheet`` "说明", ``cell`` the paragraph ("第12页第3段") and ``related`` the table cells compared with.

A published document (PDF, Word) names where each finding is printed, beside the grid address of its tables read
as worksheets: every finding of such a file carries ``"location": {"page", "table", "title", "row", "column",
"text"}`` (``page`` the PDF page, null in a Word document; ``table`` the table's place in the document from 1;
``row`` and ``column`` the printed labels; ``text`` "第12页「支出预算总表」 行政运行 / 项目支出"), or ``"location":
null`` for a finding printed on no table (a missing table, the 说明). A workbook's findings have no ``location``.

Amounts (``expected``, ``actual``) are **strings** holding the exact decimal in 万元 (``"1672.81"``), or null:
JSON numbers would pass through binary floats in most parsers. ``Decimal(s)`` or ``float(s)`` reads them.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.amounts import show
from ..core.findings import Finding, Severity

if TYPE_CHECKING:
    from ..pipeline import FileResult
    from .stream import Rendered

JSON_VERSION = 1
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
CSV_COLUMNS = (
    "文件", "状态", "无法读取的原因", "规则", "级别", "表", "工作表", "单元格", "相关单元格", "说明", "应为", "实为", "差额",
    "页", "表序号", "行", "列", "位置",
)
"""One row per finding; a file without findings (or unreadable) gets one row with the finding columns empty. The
last five say where a published document (PDF, Word) prints the finding: page, the table's place in the document,
the printed row and column labels, all of it in one phrase; empty for a workbook."""


def amount(value: Decimal | None) -> str | None:
    """A Decimal as the exact string the JSON contract uses (no exponent), or None."""
    return None if value is None else format(value, "f")


def shown_amount(value: Decimal | None) -> str | None:
    """An amount as a report shows it: thousands separated, to the cent unless finer, as the messages write it
    ("8,445.11", "0.00" whether the cell held 0 or 0.0, "105.00", "0.125")."""
    return None if value is None else show(value)


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    """The contract's summary: files, and findings by severity over all files."""
    counts = Counter(f.severity for r in results for f in r.findings)
    return {
        "files": len(results), "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING],
        "notes": counts[Severity.NOTE],
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": f.severity.value, "table": f.table, "sheet": f.sheet, "cell": f.cell,
        "related": list(f.related), "message": f.message, "expected": amount(f.expected), "actual": amount(f.actual),
    }


def location_json(r: FileResult, f: Finding) -> dict[str, Any] | None:
    """Where a document prints a finding (page, table, title, row, column, text), or None."""
    loc = r.location(f)
    return None if loc is None else loc.model_dump()


def is_document(r: FileResult) -> bool:
    """A published PDF or Word document (its findings are located by page/table, row and column labels)."""
    return r.path.lower().endswith((".pdf", ".docx"))


def file_json(r: FileResult) -> dict[str, Any]:
    document = is_document(r)
    out: dict[str, Any] = {
        "path": r.path, "status": r.status, "error": r.error,
        "tables": [{"id": t.id, "title": t.title, "sheet": t.sheet} for t in r.tables],
        "findings": [finding_json(f) | ({"location": location_json(r, f)} if document else {}) for f in r.findings],
    }
    if r.narrative is not None:
        out["narrative"] = narrative_json(r)
    return out


NARRATIVE = "说明"
"""The sheet of every narrative (N5xx) finding: its cell is the paragraph, "第12页第3段"."""


def narrative_json(r: FileResult) -> dict[str, Any]:
    """The 说明 summary of a file: figures found / checked / agreeing / wrong, and each figure not checked and why."""
    n = r.narrative
    assert n is not None
    return {
        "found": n.found, "checked": n.checked, "agreeing": n.agreeing, "wrong": n.wrong,
        "unchecked": [{"cell": u.cell, "sentence": u.sentence, "figure": u.figure, "reason": u.reason} for u in n.unchecked],
    }


def narrative_text(r: FileResult) -> str:
    """The 说明 line of a file's block: counts, then (indented) why the figures left unchecked were left."""
    n = r.narrative
    if n is None:
        return ""
    reasons: dict[str, int] = {}
    for u in n.unchecked:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    lines = [n.text]
    lines += [f"  未核对 {k} 处：{why}" for why, k in sorted(reasons.items(), key=lambda x: -x[1])]
    return "\n".join("  " + line for line in lines)


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    """The whole report as the version-1 contract (a dict ready for ``json.dumps``)."""
    return {"version": JSON_VERSION, "files": [file_json(r) for r in results], "summary": summary(results)}


# --- text ------------------------------------------------------------------------------------------------

RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
MARKS = {"ok": "✓", "fail": "✗"}
WORDS = {"ok": "通过", "fail": "有误"}
"""The headline marks, and the plain words used where the console cannot show the marks (GBK)."""
_ANSI = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m", "ok": "\x1b[32m", "fail": "\x1b[1;31m"}
_RESET = "\x1b[0m"


def shown_findings(r: FileResult, shown: Severity = Severity.NOTE) -> list[Finding]:
    """The findings a report lists: errors first, then warnings (then notes if ``shown`` is NOTE), in check order."""
    return sorted((f for f in r.findings if RANK[f.severity] <= RANK[shown]), key=lambda f: RANK[f.severity])


def group_of(f: Finding) -> str:
    """The table a report lists a finding under: its own, the 说明 text (an N-rule, whether the text is a document's
    or a workbook's own 说明 sheet), or the whole workbook."""
    return f.table or (NARRATIVE if f.rule.startswith("N5") else "(工作簿)")


def table_name(table: str | None) -> str:
    """A table as its printed number and title ("表1-2 部门支出总表"); the id stays in JSON only."""
    from ..core.specs import BY_ID

    if table is None:
        return "（整个工作簿）"
    if table == NARRATIVE:
        return "说明文字（与各表核对）"
    spec = BY_ID.get(table)
    return f"{spec.number} {spec.title}".strip() if spec else table


def status_label(r: FileResult | Rendered) -> str:
    return "无法读取" if r.status != "ok" else "有错误" if r.errors else "通过"


def counts_text(r: FileResult, shown: Severity = Severity.NOTE) -> str:
    """"1 个错误，0 个警告，9 个提示", saying when a severity is counted but not listed."""
    parts = []
    for s in SEVERITIES:
        part = f"{r.count(s)} 个{s.label}"
        if RANK[s] > RANK[shown] and r.count(s):
            part += "（未列出，加 --show-notes 显示）" if s == Severity.NOTE else "（未列出）"
        parts.append(part)
    return "，".join(parts)


def _wrap(text: str, cols: int) -> list[str]:
    """Cut text into lines of at most ``cols`` display columns (CJK characters count two), never inside a number
    or a word ("5,450.25" stays whole) unless it alone is longer than a line."""
    from ..cli._common import width

    lines, line = [], ""
    for ch in text:
        if line and width(line + ch) > cols:
            word = re.search(r"[0-9A-Za-z,.\-+%]+$", line) if re.fullmatch(r"[0-9A-Za-z,.\-+%]", ch) else None
            if word and word.start() > 0:
                lines.append(line[: word.start()].rstrip())
                line = word.group(0)
            else:
                lines.append(line.rstrip())
                line = ""
            if ch == " " and not line:
                continue
        line += ch
    return [*lines, line]


def file_text(
    r: FileResult, shown: Severity = Severity.NOTE, *, columns: int | None = None, colour: bool = False,
    plain: bool = False,
) -> str:
    """One file's block of the table format: a headline with counts, then one line per finding listed.

    ``columns`` fits the table to a terminal of that width (the 说明 column wraps); ``colour`` adds ANSI colours;
    ``plain`` writes 通过/有误 instead of the marks ✓/✗ (for a console encoding that cannot hold them).
    """
    from ..cli._common import pad, width

    marks = WORDS if plain else MARKS

    def paint(text: str, key: Any) -> str:
        return f"{_ANSI[key]}{text}{_RESET}" if colour else text

    if r.status != "ok":
        return f"{paint(marks['fail'], 'fail')} {r.path}\n  无法读取：{r.error}"
    key = "fail" if r.errors else "ok"
    head = f"{paint(marks[key], key)} {r.path}：识别出 {len(r.tables)} 张表；{counts_text(r, shown)}"
    if r.narrative is not None:
        head += "\n" + narrative_text(r)
    listed = shown_findings(r, shown)
    if not listed:
        return head
    header = ["位置" if is_document(r) else "单元格", "规则", "级别", "说明"]
    rows = [[where(r, f), f.rule, f.severity.label, f.message] for f in listed]
    cols = [max(width(row[i]) for row in [header, *rows]) for i in range(3)]
    indent = 2 + sum(cols) + 2 * 3
    message_cols = max(columns - indent, 20) if columns else None
    out = [head, "  " + "  ".join(pad(h, c) for h, c in zip(header[:3], cols, strict=True)) + "  " + header[3]]
    rule = max(width(h) for h in [header[3], *(row[3] for row in rows)])
    out.append("  " + "  ".join("-" * c for c in cols) + "  " + "-" * min(rule, message_cols or rule))
    for f, row in zip(listed, rows, strict=True):
        pieces = _wrap(row[3], message_cols) if message_cols else [row[3]]
        cells = [pad(row[0], cols[0]), pad(row[1], cols[1]), paint(pad(row[2], cols[2]), f.severity)]
        out.append("  " + "  ".join(cells) + "  " + pieces[0])
        out += [" " * indent + piece for piece in pieces[1:]]
    return "\n".join(out)


def where(r: FileResult, f: Finding) -> str:
    """A finding's place as a report names it: in a document where it is printed (`第12页「支出预算总表」 行政运行 /
    项目支出`), else its cell (`表1-2!F14`)."""
    loc = r.location(f)
    if loc is not None:
        return loc.text
    if is_document(r) and f.sheet != NARRATIVE:  # about the whole document (a required table missing)
        return "（整个文件）"
    return f.where


def total_text(results: Sequence[FileResult]) -> str:
    s = summary(results)
    unreadable = sum(1 for r in results if r.status != "ok")
    failing = sum(1 for r in results if r.errors)
    return (
        f"共检查 {s['files']} 个文件：{failing} 个有错误，{unreadable} 个无法读取；"
        f"合计 {s['errors']} 个错误、{s['warnings']} 个警告、{s['notes']} 个提示"
    )


def failing_text(results: Sequence[FileResult], most: int = 10) -> str:
    """The last line: which files failed (errors, or unreadable), or that all passed."""
    failing = [r for r in results if r.errors or r.status != "ok"]
    if not failing:
        return "全部通过：没有发现错误" if results else "没有检查任何文件"
    names = [f"{r.path}（{status_label(r)}）" for r in failing[:most]]
    more = f" 等 {len(failing)} 个" if len(failing) > most else ""
    return f"未通过的文件：{'、'.join(names)}{more}"


def to_text(results: Sequence[FileResult], shown: Severity = Severity.NOTE, *, quiet: bool = False) -> str:
    """The readable Chinese summary: every file's block (only failing files when ``quiet``), the totals, the failing files."""
    listed = [r for r in results if not quiet or r.errors or r.status != "ok"]
    tail = [failing_text(results)] if quiet else [total_text(results), failing_text(results)]
    return "\n\n".join([*(file_text(r, shown) for r in listed), "\n".join(tail)])


# --- CSV -------------------------------------------------------------------------------------------------


def rows(results: Iterable[FileResult], shown: Severity = Severity.NOTE) -> Iterable[list[str]]:
    """CSV_COLUMNS rows: every finding listed, and one row for each file that has none (so every file is listed)."""
    for r in results:
        base = [r.path, status_label(r), r.error or ""]
        listed = shown_findings(r, shown)
        if not listed:
            yield base + [""] * (len(CSV_COLUMNS) - 3)
        for f in listed:
            loc = r.location(f)
            at = [str(loc.page or ""), str(loc.table), loc.row, loc.column, loc.text] if loc else [""] * 5
            yield [
                *base, f.rule, f.severity.label, table_name(f.table), f.sheet, f.cell, " ".join(f.related), f.message,
                amount(f.expected) or "", amount(f.actual) or "", amount(f.difference) or "", *at,
            ]


def to_csv(results: Sequence[FileResult], shown: Severity = Severity.NOTE) -> str:
    """CSV text with Chinese headers (write it with a BOM, ``utf-8-sig``, so Excel shows the Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(rows(results, shown))
    return buf.getvalue().rstrip("\n")


# --- HTML ------------------------------------------------------------------------------------------------

_COLOURS = {Severity.ERROR: "#c0392b", Severity.WARNING: "#d68910", Severity.NOTE: "#2e86c1"}

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#c0392b;font-weight:bold}.warning{color:#b9770e}.note{color:#2e86c1}
.unreadable{background:#fdecea}.failing{background:#fff4f2}.charts{display:flex;flex-wrap:wrap;gap:32px;align-items:flex-start}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
details{margin:4px 0}summary{cursor:pointer}
td.addr,td.n{white-space:nowrap}.meta{color:#555;font-size:13px}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def bar_chart(title: str, counts: dict[str, Counter[Severity]], labels: dict[str, str] | None = None) -> str:
    """An inline SVG horizontal bar chart, one bar per key stacked by severity (no script, no web fonts)."""
    labels = labels or {}
    keys = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:40]
    top = max((sum(counts[k].values()) for k in keys), default=0) or 1
    label_w, bar_w, row_h = 250, 320, 20  # two charts side by side on a 1280-pixel screen
    height = row_h * len(keys) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>'
    ]
    for i, key in enumerate(keys):
        y = 10 + i * row_h
        text = labels.get(key, key)
        text = text if len(text) <= 22 else text[:21] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">{_e(text)}</text>')
        x = float(label_w)
        for s in SEVERITIES:
            n = counts[key][s]
            if not n:
                continue
            w = bar_w * n / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="{row_h - 5}" fill="{_COLOURS[s]}">'
                f"<title>{_e(text)}：{n} 个{s.label}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="12">{sum(counts[key].values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table_names(results: Sequence[FileResult]) -> dict[str, str]:
    from ..core.specs import BY_ID

    names = {t: table_name(t) for t in BY_ID}
    names["(工作簿)"] = table_name(None)
    names[NARRATIVE] = table_name(NARRATIVE)
    return names


def modified(path: str) -> str:
    """A file's modification time as the report prints it ("2025-03-01 09:30"), or "" when it is gone."""
    import datetime as dt
    import os

    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def to_html(
    results: Sequence[FileResult], title: str = "公开表校验报告", shown: Severity = Severity.NOTE,
    generated: Any = None,
) -> str:
    """One self-contained page: when and by which gongkai version, totals, charts, a summary per file with each file's
    modification time, and one list of findings grouped by severity, then by table (addresses never wrap)."""
    import datetime as dt

    from .. import __version__, checks

    found = [(r, f) for r in results for f in shown_findings(r, shown)]
    by_rule: dict[str, Counter[Severity]] = {}
    by_table: dict[str, Counter[Severity]] = {}
    for _, f in found:
        by_rule.setdefault(f.rule, Counter())[f.severity] += 1
        by_table.setdefault(group_of(f), Counter())[f.severity] += 1
    rule_titles = {rid: f"{rid} {r.title}" for rid, r in checks.RULES.items()}
    table_names = _table_names(results)
    legend = "".join(f'<span style="background:{_COLOURS[s]}"></span>{s.label}' for s in SEVERITIES)
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    hidden = sum(1 for r in results for f in r.findings if RANK[f.severity] > RANK[shown])
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">生成时间：{_e(when)} · gongkai {_e(__version__)}</p>',
        f"<p>{_e(total_text(results))}</p>",
    ]
    if hidden:
        out.append(f"<p class=\"meta\">另有 {hidden} 个提示（舍位误差等）未列出；加 --show-notes 可列出。</p>")
    if found:
        out += [
            f'<h2>问题分布</h2><div class="legend">{legend}</div><div class="charts">',
            f"<div><h3>按规则</h3>{bar_chart('按规则的问题数', by_rule, rule_titles)}</div>",
            f"<div><h3>按表</h3>{bar_chart('按表的问题数', by_table, table_names)}</div></div>",
        ]
    out.append(
        "<h2>文件汇总</h2><table><tr><th>文件</th><th>修改时间</th><th>状态</th><th>表数</th><th>错误</th><th>警告</th>"
        "<th>提示</th><th>说明</th></tr>"
    )
    for r in results:
        cls = "unreadable" if r.status != "ok" else "failing" if r.errors else ""
        out.append(
            f'<tr class="{cls}"><td>{_e(r.path)}</td><td class="addr">{_e(modified(r.path))}</td>'
            f'<td class="addr">{status_label(r)}</td><td class="n">{len(r.tables)}</td>'
            + "".join(f'<td class="n">{r.count(s)}</td>' for s in SEVERITIES)
            + f"<td>{_e(r.error)}</td></tr>"
        )
    out.append("</table>")
    for r in results:
        if r.narrative is not None:
            out.append(f"<p><b>{_e(r.path)}</b>：{_e(r.narrative.text)}</p>")
            if r.narrative.unchecked:
                out.append("<details><summary>未核对的数字</summary><table><tr><th>位置</th><th>原文</th><th>原因</th></tr>")
                out += [
                    f'<tr><td class="addr">{_e(u.cell)}</td><td>{_e(u.sentence)}</td><td>{_e(u.reason)}</td></tr>'
                    for u in r.narrative.unchecked
                ]
                out.append("</table></details>")
    if found:
        out.append("<h2>问题清单</h2>")
        for severity in SEVERITIES:
            items = [(r, f) for r, f in found if f.severity == severity]
            if not items:
                continue
            out.append(f'<h3 class="{severity.value}">{severity.label}（{len(items)}）</h3>')
            groups: dict[str, list[tuple[FileResult, Finding]]] = {}
            for r, f in items:
                groups.setdefault(group_of(f), []).append((r, f))
            for tid, group in groups.items():
                head = f"{table_names.get(tid, tid)}（{len(group)}）"
                out.append(f"<details open><summary><b>{_e(head)}</b></summary><table>")
                out.append("<tr><th>文件</th><th>单元格</th><th>规则</th><th>说明</th><th>应为</th><th>实为</th></tr>")
                for r, f in group:
                    out.append(
                        f'<tr><td>{_e(r.path)}</td><td class="addr">{_e(where(r, f))}</td>'
                        f'<td class="addr" title="{_e(rule_titles.get(f.rule, f.rule))}">{_e(f.rule)}</td>'
                        f"<td>{_e(f.message)}</td>"
                        f'<td class="n">{_e(shown_amount(f.expected))}</td><td class="n">{_e(shown_amount(f.actual))}</td></tr>'
                    )
                out.append("</table></details>")
    out.append(f"<p><small>由 gongkai {_e(__version__)} 生成于 {_e(when)}</small></p></body></html>")
    return "\n".join(out)
