"""Reference docs generated from the specs (tables) — `python -m gongkai.docs` rewrites docs/tables.md."""

from __future__ import annotations

import sys
from pathlib import Path

from .core.specs import SPECS, TableSpec

LAYOUTS = {
    "ledger": "rows by code / unit",
    "sided": "two sides (收入 / 支出) of fixed items",
    "indicators": "indicator rows in project blocks",
    "form": "labelled fields + grids",
}


def _columns(s: TableSpec) -> str:
    parts = []
    for c in s.columns:
        if c.kind == "code":
            continue
        name = c.key + ("" if c.required else " (optional)")
        synonyms = [n for n in c.names[1:]]
        if synonyms:
            name += f" — also {', '.join(synonyms)}"
        parts.append(f"`{name}`")
    return "<br>".join(parts)


def tables_markdown() -> str:
    """docs/tables.md: every table spec, its titles, columns and column equations."""
    lines = [
        "# Tables gongkai recognises",
        "",
        "Generated from `src/gongkai/core/specs.py` by `python -m gongkai.docs`; do not edit by hand.",
        "A table is recognised by its title (any of the titles below, anywhere in a cell that ends with it) and its",
        "header texts, never by sheet name or position. Column keys are what rules, reports and exports call a column.",
        "",
        "| id | title (and aliases) | MOF no. | layout | codes | columns (key — accepted spellings) | column equations |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in SPECS:
        titles = "<br>".join([s.title, *s.aliases])
        sums = "<br>".join(f"{total} = {' + '.join(parts)}" for total, parts in s.sums) or "-"
        codes = {"function": "功能分类", "economic": "经济分类"}.get(s.codes or "", "-")
        lines.append(f"| `{s.id}` | {titles} | {s.number} | {LAYOUTS[s.layout]} | {codes} | {_columns(s)} | {sums} |")
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/tables.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(tables_markdown(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
