"""`gongkai rules [--explain ID] [--format table|json|markdown]`: the rule registry, as the docs show it."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import dump_json, emit, refuse, table

GROUPS = (
    ("R", "读取 (R0xx)", "What the reader could not understand."),
    ("H", "数据规范 (H0xx)", "Data hygiene: numbers stored as text, text in amount cells, negative amounts, 科目编码."),
    ("S", "表内勾稽 (S1xx)", "Equations within one table."),
    ("X", "表间勾稽 (X2xx)", "Equations across the tables of a budget workbook."),
    ("P", "绩效指标 (P3xx)", "The indicators of 项目支出绩效目标表 and 部门整体支出绩效目标表."),
    ("F", "决算与自评 (F4xx)", "The 决算 tables and the 项目支出绩效自评表."),
    ("N", "说明文字 (N5xx)", "The 说明 text of a document (or a .txt/.docx given with --text) against the tables, and against last year's document (--previous)."),
)


def add(sub: Any) -> None:
    p = sub.add_parser("rules", help="列出全部校验规则", description="列出全部校验规则（编号、严重程度、适用的表），或解释一条规则。")
    p.add_argument("--explain", metavar="ID", help="显示一条规则的完整说明，如 S101")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table", help="输出格式（默认 table）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是屏幕")
    p.set_defaults(run=run)


def _tables(tables: tuple[str, ...]) -> str:
    return "all tables" if tables == ("*",) else ", ".join(tables)


def explanations() -> dict[str, dict[str, str]]:
    """The Chinese explanation of every rule (checks/explain_zh.toml): what must hold, a failing and a passing example."""
    import tomllib
    from importlib.resources import files

    return tomllib.loads(files("gongkai.checks").joinpath("explain_zh.toml").read_text(encoding="utf-8"))


def table_names(tables: tuple[str, ...]) -> str:
    """The tables a rule applies to, as clerks know them: "表1 部门收支总表、表1-2 部门支出总表", "全部预算表"."""
    from ..report.formats import table_name

    wild = {"*": "全部表", "budget.*": "全部预算表", "final.*": "全部决算表", "说明": "说明文字（与各表核对）"}
    return "、".join(wild.get(t) or table_name(t) for t in tables)


def explain_text(r: Any) -> str:
    """`gongkai rules --explain ID`: the rule in Chinese, with a failing and a passing example."""
    zh = explanations().get(r.id, {})
    scope = "整个工作簿（需要这些表同时存在）" if r.book else "每张表分别检查"
    if r.tables == ("说明",):  # N5xx: run on a document's 说明 (or --text), not on the workbook alone
        scope = "逐句核对文件的说明文字（或随工作簿给出的说明文件）"
    lines = [
        f"{r.id}  {r.title}",
        f"级别：{r.severity.label}",
        f"适用：{table_names(r.tables)}；{scope}",
        "",
        f"说明：{zh.get('what', r.title)}",
    ]
    if zh.get("fails"):
        lines.append(f"错误示例：{zh['fails']}")
    if zh.get("passes"):
        lines.append(f"正确示例：{zh['passes']}")
    lines += ["", f"关闭这条规则：gongkai check --ignore {r.id} …，或在配置文件的 disabled_rules 中写上 {r.id}。"]
    return "\n".join(lines)


def _record(r: Any) -> dict[str, Any]:
    return {
        "id": r.id, "title": r.title, "severity": r.severity.value, "tables": list(r.tables),
        "scope": "book" if r.book else "table", "doc": r.doc,
    }


def markdown(rules: list[Any]) -> str:
    """The rules reference (docs/rules.md), generated from the registry."""
    lines = [
        "# Rules reference",
        "",
        "Generated from the rule registry by `gongkai rules --format markdown > docs/rules.md`; do not edit by hand.",
        "Each rule's text is its docstring: the equation, its source, and a failing example. Severity is the usual",
        "one: a difference within the 舍位 tolerance (0.005 per summed part, scaled by the sheet's 金额单位) is",
        "reported as a `note` instead of an `error`. Switch rules off with `--ignore` or a profile's `disabled_rules`.",
        "The sources cited (TABLES.md, its sections in quotes) are in [TABLES.md](TABLES.md), the domain reference;",
        "clerks read the Chinese explanation of a rule with `gongkai rules --explain ID` (`checks/explain_zh.toml`).",
        "",
        "| id | title | severity | tables |",
        "|---|---|---|---|",
    ]
    lines += [f"| [{r.id}](#{r.id.lower()}) | {r.title} | {r.severity.value} | {_tables(r.tables)} |" for r in rules]
    for prefix, heading, blurb in GROUPS:
        group = [r for r in rules if r.id.startswith(prefix)]
        if not group:
            continue
        lines += ["", f"## {heading}", "", blurb]
        for r in group:
            scope = "the workbook (needs " + _tables(r.tables) + ")" if r.book else _tables(r.tables)
            lines += ["", f"### {r.id}", "", f"**{r.title}** — `{r.severity.value}`; checks {scope}.", "", r.doc]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..checks import RULES

    rules = sorted(RULES.values(), key=lambda r: r.id)
    if args.explain:
        wanted = args.explain.strip().upper()
        found = [r for r in rules if r.id == wanted]
        if not found:
            return refuse(f"没有规则「{args.explain}」；用 gongkai rules 查看全部规则")
        rules = found
        if args.format == "table":
            emit(explain_text(rules[0]), args.output)
            return 0
    if args.format == "json":
        emit(dump_json({"version": 1, "rules": [_record(r) for r in rules]}), args.output)
    elif args.format == "markdown":
        emit(markdown(rules), args.output)
    else:
        rows = [[r.id, r.severity.label, r.title, table_names(r.tables)] for r in rules]
        emit(table(rows, ["编号", "级别", "规则", "适用的表"]) + "\n\n每条规则的说明和示例：gongkai rules --explain 编号（如 S101）", args.output)
    return 0
