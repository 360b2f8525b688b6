"""Check results → reports: the JSON contract, a Chinese text summary, CSV and a self-contained HTML page.

Pure functions of `pipeline.FileResult` lists; no I/O library (the xlsx report is in `xlsx_report.py`).

JSON contract (version 1), stable for scripts::

    {"version": 1,
     "files": [{"path", "status": "ok"|"unreadable", "error",
                "tables": [{"id", "title", "sheet"}],
                "findings": [{"rule", "severity", "table", "sheet", "cell", "related": ["<sheet>!<A1>", ...],
                              "message", "expected", "actual"}]}],
     "summary": {"files", "errors", "warnings", "notes"}}

Amounts (``expected``, ``actual``) are **strings** holding the exact decimal in 万元 (``"1672.81"``), or null:
JSON numbers would pass through binary floats in most parsers. ``Decimal(s)`` or ``float(s)`` reads them.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.findings import Finding, Severity

if TYPE_CHECKING:
    from ..pipeline import FileResult

JSON_VERSION = 1
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
CSV_COLUMNS = (
    "path", "status", "error", "rule", "severity", "table", "sheet", "cell", "related", "message", "expected",
    "actual", "difference",
)
"""One row per finding; a file without findings (or unreadable) gets one row with the finding columns empty."""


def amount(value: Decimal | None) -> str | None:
    """A Decimal as the exact string the JSON contract uses (no exponent), or None."""
    return None if value is None else format(value, "f")


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


def file_json(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path, "status": r.status, "error": r.error,
        "tables": [{"id": t.id, "title": t.title, "sheet": t.sheet} for t in r.tables],
        "findings": [finding_json(f) for f in r.findings],
    }


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    """The whole report as the version-1 contract (a dict ready for ``json.dumps``)."""
    return {"version": JSON_VERSION, "files": [file_json(r) for r in results], "summary": summary(results)}


# --- text ------------------------------------------------------------------------------------------------


def counts_text(r: FileResult) -> str:
    return "，".join(f"{r.count(s)} 个{s.label}" for s in SEVERITIES)


def file_text(r: FileResult) -> str:
    """One file's block of the table format: a headline with counts, then one line per finding."""
    from ..cli._common import table

    if r.status != "ok":
        return f"✗ {r.path}\n  无法读取：{r.error}"
    mark = "✗" if r.errors else "✓"
    head = f"{mark} {r.path}：识别出 {len(r.tables)} 张表；{counts_text(r)}"
    if not r.findings:
        return head
    rows = [[f.where, f.rule, f.severity.label, f.message] for f in r.findings]
    body = table(rows, ["单元格", "规则", "级别", "说明"])
    return head + "\n" + "\n".join("  " + line for line in body.splitlines())


def total_text(results: Sequence[FileResult]) -> str:
    s = summary(results)
    unreadable = sum(1 for r in results if r.status != "ok")
    failing = sum(1 for r in results if r.errors)
    return (
        f"共检查 {s['files']} 个文件：{failing} 个有错误，{unreadable} 个无法读取；"
        f"合计 {s['errors']} 个错误、{s['warnings']} 个警告、{s['notes']} 个提示"
    )


def to_text(results: Sequence[FileResult]) -> str:
    """The readable Chinese summary: every file's block, then the totals."""
    return "\n\n".join([*(file_text(r) for r in results), total_text(results)])


# --- CSV -------------------------------------------------------------------------------------------------


def rows(results: Iterable[FileResult]) -> Iterable[list[str]]:
    """CSV_COLUMNS rows: every finding, and one row for each file that has none (so every file is listed)."""
    for r in results:
        base = [r.path, r.status, r.error or ""]
        if not r.findings:
            yield base + [""] * (len(CSV_COLUMNS) - 3)
        for f in r.findings:
            yield [
                *base, f.rule, f.severity.value, f.table or "", f.sheet, f.cell, " ".join(f.related), f.message,
                amount(f.expected) or "", amount(f.actual) or "", amount(f.difference) or "",
            ]


def to_csv(results: Sequence[FileResult]) -> str:
    """CSV text (write it with a BOM, ``utf-8-sig``, so Excel shows the Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(rows(results))
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
.unreadable{background:#fdecea}.failing{background:#fff4f2}.charts{display:flex;flex-wrap:wrap;gap:32px}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
details{margin:4px 0}summary{cursor:pointer}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def bar_chart(title: str, counts: dict[str, Counter[Severity]], labels: dict[str, str] | None = None) -> str:
    """An inline SVG horizontal bar chart, one bar per key stacked by severity (no script, no web fonts)."""
    labels = labels or {}
    keys = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:40]
    top = max((sum(counts[k].values()) for k in keys), default=0) or 1
    label_w, bar_w, row_h = 260, 360, 20
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

    names = {t: f"{s.number} {s.title}" for t, s in BY_ID.items()}
    names["(工作簿)"] = "（整个工作簿）"
    return names


def to_html(results: Sequence[FileResult], title: str = "公开表校验报告") -> str:
    """One self-contained page: totals, a chart by rule and by table, a summary per file, findings grouped."""
    from .. import checks

    found = [(r, f) for r in results for f in r.findings]
    by_rule: dict[str, Counter[Severity]] = {}
    by_table: dict[str, Counter[Severity]] = {}
    for _, f in found:
        by_rule.setdefault(f.rule, Counter())[f.severity] += 1
        by_table.setdefault(f.table or "(工作簿)", Counter())[f.severity] += 1
    rule_titles = {rid: f"{rid} {r.title}" for rid, r in checks.RULES.items()}
    table_names = _table_names(results)
    legend = "".join(f'<span style="background:{_COLOURS[s]}"></span>{s.label}' for s in SEVERITIES)
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>", f"<p>{_e(total_text(results))}</p>",
    ]
    if found:
        out += [
            f'<h2>问题分布</h2><div class="legend">{legend}</div><div class="charts">',
            f"<div><h3>按规则</h3>{bar_chart('按规则的问题数', by_rule, rule_titles)}</div>",
            f"<div><h3>按表</h3>{bar_chart('按表的问题数', by_table, table_names)}</div></div>",
        ]
    out.append("<h2>文件汇总</h2><table><tr><th>文件</th><th>状态</th><th>表数</th><th>错误</th><th>警告</th><th>提示</th><th>说明</th></tr>")
    for i, r in enumerate(results):
        cls = "unreadable" if r.status != "ok" else "failing" if r.errors else ""
        status = "无法读取" if r.status != "ok" else "有错误" if r.errors else "通过"
        link = f'<a href="#f{i}">{_e(r.path)}</a>' if r.findings else _e(r.path)
        out.append(
            f'<tr class="{cls}"><td>{link}</td><td>{status}</td><td class="n">{len(r.tables)}</td>'
            + "".join(f'<td class="n">{r.count(s)}</td>' for s in SEVERITIES)
            + f"<td>{_e(r.error)}</td></tr>"
        )
    out.append("</table>")
    if found:
        out.append("<h2>按规则和表分组的问题</h2>")
        groups: dict[tuple[str, str], list[tuple[FileResult, Finding]]] = {}
        for r, f in found:
            groups.setdefault((f.rule, f.table or "(工作簿)"), []).append((r, f))
        for (rid, tid), items in sorted(groups.items()):
            head = f"{rule_titles.get(rid, rid)} · {table_names.get(tid, tid)}（{len(items)}）"
            out.append(f"<details open><summary><b>{_e(head)}</b></summary><table>")
            out.append("<tr><th>文件</th><th>单元格</th><th>级别</th><th>说明</th><th>应为</th><th>实为</th></tr>")
            for r, f in items:
                out.append(
                    f"<tr><td>{_e(r.path)}</td><td>{_e(f.where)}</td>"
                    f'<td class="{f.severity.value}">{f.severity.label}</td><td>{_e(f.message)}</td>'
                    f'<td class="n">{_e(amount(f.expected))}</td><td class="n">{_e(amount(f.actual))}</td></tr>'
                )
            out.append("</table></details>")
        out.append("<h2>按文件列出的问题</h2>")
        for i, r in enumerate(results):
            if not r.findings:
                continue
            out.append(f'<h3 id="f{i}">{_e(r.path)}：{_e(counts_text(r))}</h3><table>')
            out.append("<tr><th>单元格</th><th>规则</th><th>级别</th><th>说明</th></tr>")
            for f in r.findings:
                out.append(
                    f"<tr><td>{_e(f.where)}</td><td>{_e(f.rule)}</td>"
                    f'<td class="{f.severity.value}">{f.severity.label}</td><td>{_e(f.message)}</td></tr>'
                )
            out.append("</table>")
    out.append("<p><small>由 gongkai 生成</small></p></body></html>")
    return "\n".join(out)
