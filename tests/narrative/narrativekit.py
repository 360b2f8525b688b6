"""The hand-reviewed claims lists (claims/<stem>.json) against what gongkai extracts and matches.

`score(stem)` builds the document's workbook from the real corpus (tests/realdata), reads its 说明 text
(texts/<stem>.txt, the PDF's text layer, table pages blanked), extracts and assesses the claims (with last year's
workbook when the list names one) and compares claim by claim with the reviewed list: found, the same subject,
the same table cell (JSON coordinates), the same linked figures, the same verdict.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gongkai.checks.narrative import Assessment, assess
from gongkai.core.claims import Claim, Claims, extract, paragraphs_from_text
from gongkai.core.model import Book
from gongkai.pipeline import load_book
from realdata.build import build, load

HERE = Path(__file__).parent
STEMS = tuple(sorted(p.stem for p in (HERE / "claims").glob("*.json")))


@cache
def _out() -> Path:
    return Path(tempfile.mkdtemp(prefix="gongkai-narrative-"))


def reviewed(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / "claims" / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def text(stem: str) -> str:
    return (HERE / "texts" / f"{stem}.txt").read_text(encoding="utf-8")


@cache
def workbook(stem: str) -> tuple[Book, dict[str, tuple[int, int, int]]]:
    """The published workbook of a stem, recognised, and the map from its cells back to JSON (table, row, col)."""
    built = build(stem, "published", _out())
    back = {}
    for t, table in enumerate(load(stem)["tables"]):
        for r, row in enumerate(table["rows"]):
            for c in range(len(row)):
                back[built.where(t, r, c)] = (t, r, c)
    return load_book(built.path), back


def status(a: Assessment, c: Claim) -> str:
    s = a.status(c)
    return "agrees" if s == "note" else s


@dataclass
class Score:
    stem: str
    reviewed: int = 0
    extracted: int = 0
    matched: int = 0
    not_claims: int = 0
    not_claims_found: int = 0
    false_reports: list[str] = field(default_factory=list)
    wrong_listed: int = 0
    wrong_found: int = 0
    mismatches: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    """Claims whose table figure is reviewed but whose table gongkai did not recognise."""

    def line(self) -> str:
        return (
            f"{self.stem}: {self.reviewed} claims reviewed, {self.extracted} extracted, {self.matched} matched right, "
            f"{len(self.false_reports)} false reports, {self.wrong_found}/{self.wrong_listed} wrong ones found, "
            f"{self.not_claims_found}/{self.not_claims} non-claims set aside; tables not recognised for {len(self.unrecognised)}"
        )


def run(stem: str, paragraphs: list[object] | None = None) -> tuple[Claims, Assessment]:
    data = reviewed(stem)
    book, _ = workbook(stem)
    previous = workbook(data["previous"])[0] if data.get("previous") else None
    claims = extract(paragraphs if paragraphs is not None else paragraphs_from_text(text(stem)))
    return claims, assess(claims, book, previous)


def score(stem: str, paragraphs: list[object] | None = None) -> Score:
    data = reviewed(stem)
    _, back = workbook(stem)
    prev_back = workbook(data["previous"])[1] if data.get("previous") else {}
    claims, a = run(stem, paragraphs)
    pool: dict[tuple[int | None, str, str], list[Claim]] = defaultdict(list)
    for c in claims.claims:
        pool[(c.where.page, c.figure, c.kind)].append(c)
    set_aside: dict[tuple[int | None, str], int] = defaultdict(int)
    for u in claims.unchecked:
        set_aside[(u.where.page, u.figure)] += 1
    s = Score(stem)
    for i, e in enumerate(data["claims"]):
        where = f"#{i} p{e['page']} {e['figure']}"
        if e["kind"] == "not_a_claim":
            s.not_claims += 1
            if set_aside[(e["page"], e["figure"])] > 0:
                set_aside[(e["page"], e["figure"])] -= 1
                s.not_claims_found += 1
            continue
        s.reviewed += 1
        s.wrong_listed += e["verdict"] == "wrong"
        hits = pool.get((e["page"], e["figure"], e["kind"]))
        if not hits:
            s.mismatches.append(f"{where}: not extracted")
            continue
        c = hits.pop(0)
        s.extracted += 1
        got = status(a, c)
        if e["verdict"] != "wrong" and got == "wrong":
            s.false_reports.append(f"{where}: reported {[x.rule for x in a.of(c) if x.severity is not None]}")
        if e["verdict"] == "wrong" and got == "wrong":
            rules = sorted(x.rule for x in a.of(c) if x.severity is not None)
            s.wrong_found += rules == sorted(e.get("finding", []))
        problems = _compare(e, c, claims, a, back, prev_back, got)
        if problems:
            s.mismatches.append(f"{where}: " + "; ".join(problems))
            if e.get("table") and c.n not in a.figures and "没有识别出" in a.missing.get(c.n, ""):
                s.unrecognised.append(where)
        else:
            s.matched += 1
    return s


def _coords(cells: tuple[str, ...], back: dict[str, tuple[int, int, int]]) -> list[list[int]]:
    return [list(back[w]) for w in cells if w in back]


def _compare(
    e: dict[str, Any], c: Claim, claims: Claims, a: Assessment, back: dict[str, tuple[int, int, int]],
    prev_back: dict[str, tuple[int, int, int]], got: str,
) -> list[str]:
    out = []
    if c.subject.label != e["refers_to"]:
        out.append(f"refers to {c.subject.label!r}, reviewed {e['refers_to']!r}")
    if c.kind == "amount" and (c.measure, c.year) != (e.get("measure"), e.get("year")):
        out.append(f"measure {c.measure}{c.year}, reviewed {e.get('measure')}{e.get('year')}")
    if c.kind == "change" and (c.direction, f"{c.base_year or ''}{c.base_measure}") != (e.get("direction"), e.get("base")):
        out.append("direction/base differ")
    for key, n in (("of", c.of), ("with", c.base), ("pair", c.pair)):
        mine = claims.claims[n].figure if n is not None else None
        if mine != e.get(key):
            out.append(f"{key} {mine!r}, reviewed {e.get(key)!r}")
    want = [[x["index"], x["row"], x["col"]] for x in e.get("table") or [] if "index" in x]
    fig = a.figures.get(c.n)
    mine_cells: list[list[int]] = _coords(fig.cells, back) if fig is not None else []
    prev_cells: list[list[int]] = []
    for x in a.of(c):
        if x.rule == "N505":
            mine_cells = _coords(tuple(w for w in x.related if not w.startswith("上年:")), back)
            prev_cells = _coords(tuple(w[3:] for w in x.related if w.startswith("上年:")), prev_back)
    if want != mine_cells:
        out.append(f"table {mine_cells}, reviewed {want}")
    want_prev = [[x["index"], x["row"], x["col"]] for x in e.get("previous_table") or [] if "index" in x]
    if want_prev != prev_cells:
        out.append(f"previous table {prev_cells}, reviewed {want_prev}")
    if got != e["verdict"]:
        out.append(f"verdict {got}, reviewed {e['verdict']}")
    return out
