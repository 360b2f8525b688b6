"""Scoring a real-corpus document against its reviewed golden file: shared by tests/test_realcorpus.py and
bench/realcorpus.py (the scoreboard)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realdata.build import Built, build

GOLDEN = Path(__file__).parent / "golden"
BACK_REFERENCE = re.compile(r"（(?:第\d+页)?第\d+段）|（[A-Z]+\d+）")
"""Where a 说明 message points back to an earlier sentence: a page's paragraph in a PDF, a cell in a workbook."""


def narrative_said(result: Any) -> list[tuple[str, str, str]]:
    """A result's 说明 findings, wherever the text stands: (rule, severity, message with its back-references blanked),
    so a PDF's and a workbook's findings on the same text compare equal."""
    return [(f.rule, f.severity, BACK_REFERENCE.sub("（…）", f.message)) for f in result.findings if f.rule.startswith("N5")]
RANK = {"note": 0, "warning": 1, "error": 2}


@dataclass
class Score:
    """One document in one variant."""

    stem: str
    variant: str
    tables: int = 0
    recognised: int = 0
    unexpected: int = 0
    rows: int = 0
    rows_right: int = 0
    false_errors: int = 0
    listed: int = 0
    found: int = 0
    rounding: int = 0
    rounding_noted: int = 0
    unexpected_warnings: int = 0
    text_numbers: int = 0
    """H001 warnings (one per column) on the messy twin, whose amounts are partly text by construction."""
    seconds: float = 0.0
    status: str = "ok"
    details: list[str] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)


def cells_of(built: Built, at: list[list[int]]) -> set[tuple[str, str]]:
    """The (sheet, A1) cells of a list of [table, row, col] JSON coordinates."""
    refs = (built.where(t, r, c).split("!", 1) for t, r, c in at)
    return {(sheet, cell) for sheet, cell in refs}


def score(
    stem: str, variant: str, golden: dict[str, Any], out: Path, built: Any = None, ignore: tuple[str, ...] = ()
) -> Score:
    """``built``: instead of a workbook built from the JSON, any file with the same map from JSON coordinates to
    its cells (``path``, ``where``, ``sheet_of``: a published PDF or Word document, tests/documents/docscore.py);
    ``ignore``: rule prefixes left out of the check."""
    from gongkai.pipeline import check_file

    built = built or build(stem, variant, out)
    result = check_file(built.path, ignore=ignore)
    s = Score(stem, variant, seconds=result.seconds, status=result.status)
    if result.status != "ok":
        s.details.append(f"unreadable: {result.error}")
    found = {(t.id, t.sheet): t for t in result.tables}
    wanted = set()
    for g in golden.get("tables", []):
        if g.get("id") is None:
            continue
        sheet = built.sheet_of(g["index"])
        wanted.add((g["id"], sheet))
        s.tables += 1
        s.rows += g["rows"]
        info = found.get((g["id"], sheet))
        if info and (info.data_rows == g["rows"] or g.get("form")):  # a form's rows: the forms golden scores them
            s.recognised += 1
            s.rows_right += g["rows"]
        else:
            seen = [f"{t.id} ({t.data_rows} rows)" for t in result.tables if t.sheet == sheet] or ["nothing"]
            s.details.append(f"table {g['index']} {sheet}: expected {g['id']} ({g['rows']} rows), read {', '.join(seen)}")
    for t in result.tables:
        if (t.id, t.sheet) not in wanted:
            s.unexpected += 1
            s.details.append(f"unexpected table {t.id} on {t.sheet} ({t.data_rows} rows)")

    expected = golden.get("expected", [])
    rounding = golden.get("rounding", [])
    targets = [cells_of(built, e.get("at", [])) for e in expected]
    documents = [e for e in expected if not e.get("at")]

    def lands(f: Any, cells: set[tuple[str, str]]) -> bool:
        return (f.sheet, f.cell) in cells

    def about(f: Any, e: dict[str, Any]) -> bool:
        tid = e.get("table_id")
        return (tid is not None and f.table == tid) or (f.rule == "R004" and e.get("kind") == "missing-table")

    s.listed = len(expected)
    for e, cells in zip(expected, targets, strict=True):
        strong = [f for f in result.findings if RANK[f.severity] >= RANK[e.get("severity", "error")]]
        if any(lands(f, cells) for f in strong) if cells else any(about(f, e) for f in strong):
            s.found += 1
        else:
            where = ", ".join(f"{a}!{b}" for a, b in sorted(cells)) or e.get("table_id", "?")
            s.details.append(f"missed {e.get('kind', '?')} at {where}: {e.get('evidence', '')}")
    s.findings = list(result.findings)
    tolerated = [cells_of(built, e.get("at", [])) for e in golden.get("tolerated", [])]
    for f in result.findings:
        if f.severity == "note":
            continue
        if any(lands(f, cells) for cells in [*targets, *tolerated]) or any(about(f, e) for e in documents):
            continue
        if f.severity == "warning":
            if f.rule == "H001" and variant == "messy":  # the messy twin stores amounts as text on purpose
                s.text_numbers += 1
                continue
            s.unexpected_warnings += 1
            s.details.append(f"unexpected warning {f.rule} {f.sheet}!{f.cell} [{f.table}]: {f.message}")
            continue
        s.false_errors += 1
        s.details.append(f"false error {f.rule} {f.sheet}!{f.cell} [{f.table}]: {f.message}")
    s.rounding = len(rounding)
    for e in rounding:
        cells = cells_of(built, e.get("at", []))
        if any(lands(f, cells) and f.severity in ("note", "warning") for f in result.findings):
            s.rounding_noted += 1
    return s
