"""Scoreboard of the real corpus: how gongkai reads the published 公开表 of tests/realdata/, per document and variant.

    python bench/realcorpus.py [--stem S …] [--variant V] [--verbose] [--json] [--golden DIR]

For every document with a golden file (tests/realdata/golden/<stem>.json) it builds each workbook variant
(published, messy, nomerge: tests/realdata/build.py; for the 上海 budgets also exported, the figures in the budget
platform's real export template) in a temporary folder, runs `check_file` and compares with the golden file:

* tables: golden tables with an id / those recognised, i.e. a TableInfo with that id and the golden row count as
  data_rows on the table's sheet; *unexpected*: recognised tables not in the golden file (on a sheet the golden
  file expects no 公开表, or with another id);
* rows: Σ data_rows of the correctly recognised tables / Σ golden rows of the tables with an id;
* false errors: error findings that land on no cell of an expected entry (and match no document-level entry);
  an error on a 舍位 (rounding) cell is false: those must be notes;
* listed found: expected entries matched by a finding of at least their severity on one of their cells (`at`
  holds alternatives). An entry with an empty `at` is document-level (a missing table): matched, generously, by
  a finding whose table is the entry's table_id, or, for kind "missing-table", by any R004 (missing table) finding;
* rounding: 舍位 entries with a note or warning on one of their cells. Other notes are ignored.

Then the forms' own rows (绩效目标表 / 申报表 / 自评表, golden files in tests/realdata/golden/forms/, compared by
tests/forms/formgold.py): forms read, fields / fund values / indicator rows read right cell by cell, extra
indicator rows, false errors on forms, expected findings found.

Then the platform's blank export templates themselves (tests/realdata/templates/, as a clerk gets them before
filling in a figure): tables recognised, errors, warnings, and findings on the 目录 sheet (there must be none).

Then each 上海 budget's published 说明 written into its exported workbook's 编制说明 sheet (`exported_with_text`):
the figures found, checked, agreeing and wrong there against the same counts on the published PDF, whether the
findings are the same message for message, and any other finding on the 说明 sheet (there must be none).

A finding "lands" on a cell when its own sheet and cell are that cell (related cells do not count). Documents
without a golden file are listed as "no golden". Then the time of one check of the largest workbook of the
corpus against python-calamine's bare load of the same file (median of 10 runs each, same run). Exit status 0
always: it is a scoreboard, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from realdata.build import (  # noqa: E402
    EXPORTED,
    EXPORTED_STEMS,
    STEMS,
    TEMPLATES,
    VARIANTS,
    build,
    exported_with_text,
    load,
)
from realdata.score import GOLDEN, Score, narrative_said, score  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "forms"))
import formgold  # noqa: E402  (the forms' golden comparison, shared with tests/forms/test_forms_corpus.py)


def largest() -> str:
    """The stem with the most cells."""
    def size(stem: str) -> int:
        return sum(len(r) for t in load(stem)["tables"] for r in t["header"] + t["rows"])
    return max(STEMS, key=size)


def timing(out: Path, runs: int = 10) -> dict[str, Any]:
    """One check of the largest published workbook vs python-calamine's bare load of it: medians, same run."""
    from python_calamine import CalamineWorkbook

    from gongkai.pipeline import check_file

    def calamine(path: Path) -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            sheet.to_python(skip_empty_area=False)
            _ = sheet.merged_cell_ranges
        book.close()

    stem = largest()
    path = build(stem, "published", out).path
    check_file(path)  # warm up: imports, caches
    calamine(path)
    checks, loads = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        check_file(path)
        t1 = time.perf_counter()
        calamine(path)
        checks.append(t1 - t0)
        loads.append(time.perf_counter() - t1)
    check_ms, load_ms = statistics.median(checks) * 1000, statistics.median(loads) * 1000
    return {"stem": stem, "kib": path.stat().st_size // 1024, "check_ms": round(check_ms, 1),
            "calamine_ms": round(load_ms, 1), "ratio": round(check_ms / load_ms, 1)}


def table(scores: list[Score], missing: list[str]) -> str:
    head = ("document", "variant", "tables", "unexpected", "rows right", "false errors", "other warnings", "listed found", "舍位 notes")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(name: str, variant: str, group: list[Score]) -> str:
        def total(key: str) -> int:
            return sum(getattr(x, key) for x in group)
        cells = (name, variant, f"{total('recognised')}/{total('tables')}", str(total("unexpected")),
                 f"{total('rows_right')}/{total('rows')}", str(total("false_errors")), str(total("unexpected_warnings")),
                 f"{total('found')}/{total('listed')}",
                 f"{total('rounding_noted')}/{total('rounding')}")
        return "| " + " | ".join(cells) + " |"

    for s in scores:
        lines.append(row(s.stem, s.variant if s.status == "ok" else f"{s.variant} ({s.status})", [s]))
    for stem in missing:
        lines.append(f"| {stem} | no golden | | | | | | | |")
    for variant in dict.fromkeys(s.variant for s in scores):
        lines.append(row("**total**", variant, [s for s in scores if s.variant == variant]))
    if scores:
        lines.append(row("**total**", "all", scores))
    return "\n".join(lines)


def forms_table(scores: list[formgold.FormScore]) -> str:
    """The forms' own scoreboard (golden files in tests/realdata/golden/forms/): forms read, fields, fund values and
    indicator rows read right cell by cell, extra indicator rows, false errors, expected findings found."""
    head = ("form document", "variant", "forms read", "fields right", "fund values right", "indicator rows right",
            "extra rows", "false errors", "expected found")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(name: str, variant: str, group: list[formgold.FormScore]) -> str:
        def total(key: str) -> int:
            return sum(getattr(x, key) for x in group)
        cells = (name, variant, f"{total('forms_read')}/{total('forms')}", f"{total('fields_right')}/{total('fields')}",
                 f"{total('funds_right')}/{total('funds')}", f"{total('rows_right')}/{total('rows')}", str(total("extra_rows")),
                 str(total("false_errors")), f"{total('found')}/{total('listed')}")
        return "| " + " | ".join(cells) + " |"

    lines += [row(s.stem, s.variant, [s]) for s in scores]
    for variant in dict.fromkeys(s.variant for s in scores):
        lines.append(row("**total**", variant, [s for s in scores if s.variant == variant]))
    if scores:
        lines.append(row("**total**", "all", scores))
    return "\n".join(lines)


def blank_templates() -> list[dict[str, Any]]:
    """Each blank export template checked as it is: tables recognised, errors, warnings, findings on its 目录."""
    from gongkai.pipeline import check_file

    rows = []
    for path in sorted(TEMPLATES.glob("*.xls*")):
        result = check_file(path)
        rows.append({"template": path.name, "tables": len(result.tables), "errors": result.errors,
                     "warnings": sum(f.severity == "warning" for f in result.findings),
                     "contents": sum(f.sheet == "目录" for f in result.findings)})
    return rows


def templates_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| blank export template | tables recognised | errors | warnings | findings on 目录 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r['template']} | {r['tables']} | {r['errors']} | {r['warnings']} | {r['contents']} |" for r in rows]
    return "\n".join(lines)


def own_texts(stems: list[str], out: Path) -> list[dict[str, Any]]:
    """Each exported document with its published 说明 in the workbook, against the published PDF."""
    from gongkai.pipeline import check_file

    def counts(result: Any) -> str:
        n = result.narrative
        return f"{n.found}/{n.checked}/{n.agreeing}/{n.wrong}" if n is not None else "none"

    rows = []
    for stem in (s for s in stems if s in EXPORTED_STEMS):
        pdf, workbook = exported_with_text(stem, out)
        published, exported = check_file(pdf), check_file(workbook)
        rows.append({"document": stem, "pdf": counts(published), "workbook": counts(exported),
                     "same": narrative_said(published) == narrative_said(exported), "findings": len(narrative_said(exported)),
                     "other": sum(f.sheet.endswith("编制说明") and not f.rule.startswith("N5") for f in exported.findings)})
    return rows


def own_text_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| document, 说明 in its exported workbook | PDF: found/checked/agreeing/wrong | workbook | same findings | "
             "说明 findings | other findings on the 说明 sheet |", "|---|---:|---:|:---:|---:|---:|"]
    lines += [f"| {r['document']} | {r['pdf']} | {r['workbook']} | {'yes' if r['same'] else '**no**'} | {r['findings']} | "
              f"{r['other']} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stem", action="append", help="only this document (repeatable)")
    parser.add_argument("--variant", choices=[*VARIANTS, EXPORTED], help="only this variant")
    parser.add_argument("--verbose", action="store_true", help="list each false error, missed entry and table")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--golden", type=Path, default=GOLDEN, help="folder of golden files")
    parser.add_argument("--runs", type=int, default=10, help="runs for the timing (0: no timing)")
    args = parser.parse_args(argv)

    stems = args.stem or list(STEMS)
    unknown = [s for s in stems if s not in STEMS]
    if unknown:
        print(f"unknown stem(s): {', '.join(unknown)}", file=sys.stderr)
    def variants(stem: str) -> list[str]:
        every = [*VARIANTS, EXPORTED] if stem in EXPORTED_STEMS else list(VARIANTS)
        return [v for v in every if v == args.variant] if args.variant else every

    scores, missing = [], []
    with tempfile.TemporaryDirectory(prefix="gongkai-realcorpus-") as tmp:
        for stem in (s for s in stems if s in STEMS):
            path = args.golden / f"{stem}.json"
            if not path.is_file():
                if stem not in formgold.STEMS:  # a form document is scored in the forms' table
                    missing.append(stem)
                continue
            golden = json.loads(path.read_text(encoding="utf-8"))
            scores += [score(stem, v, golden, Path(tmp)) for v in variants(stem)]
        forms = [formgold.score(stem, v, Path(tmp)) for stem in formgold.STEMS if stem in stems for v in variants(stem)]
        times = timing(Path(tmp), args.runs) if args.runs > 0 else None
        texts = own_texts(stems, Path(tmp))
    blanks = blank_templates()

    if args.json:
        print(json.dumps({"scores": [asdict(s) for s in scores], "no_golden": missing, "timing": times,
                          "forms": [asdict(s) for s in forms], "templates": blanks,
                          "own_text": texts}, ensure_ascii=False, indent=1))
        return 0
    print(table(scores, missing))
    if forms:
        print("\n" + forms_table(forms))
    print("\n" + templates_table(blanks))
    if texts:
        print("\n" + own_text_table(texts))
    if times:
        print(f"\nlargest workbook ({times['stem']}, published, {times['kib']} KiB): one check {times['check_ms']} ms, "
              f"python-calamine bare load {times['calamine_ms']} ms ({times['ratio']} times), median of {args.runs} runs")
    if args.verbose:
        for s in scores:
            if s.details:
                print(f"\n{s.stem} [{s.variant}]")
                print("\n".join(f"  {d}" for d in s.details))
        for f in forms:
            if f.details:
                print(f"\n{f.stem} [{f.variant}] forms")
                print("\n".join(f"  {d}" for d in f.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
