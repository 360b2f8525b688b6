"""Header bands: the header words of a spec, header paths through merged cells, columns mapped to keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from ..core.specs import Col, Item, TableSpec
from ..core.text import fold, shown, strip_ordinal
from .merged_grid import _Grid

IGNORED_HEADERS = frozenset({"行次", "栏次", "序号", "编号"})
"""Header texts of bookkeeping columns: not data, not worth a finding."""

_HEADER_NOISE = re.compile(r"^\*+|^\d{4}年度?|[(（](?:万元|元|亿元|千元)[)）]$")


@lru_cache(maxsize=1 << 12)
def header_text(text: str) -> str:
    """A header cell as the specs name it: folded, without a leading ``*`` (required field), a year
    ("2024年预算数" → "预算数") or a money unit ("支出(万元)" → "支出")."""
    folded = fold(text).rstrip(":")
    bare = _HEADER_NOISE.sub("", folded)
    return bare or folded


def _header_words(spec: TableSpec, columns: Iterable[Col]) -> frozenset[str]:
    words: set[str] = set()
    for c in columns:
        words |= c.folded_names
        for alts in c.folded_under:
            words |= alts
    for s in spec.sides:
        words.add(fold(s.name))
    return frozenset(words)


def _is_header_row(grid: _Grid, r: int, words: frozenset[str]) -> bool:
    hits = sum(1 for _, t in grid.texts(r) if t in words or strip_ordinal(t) in words or header_text(t) in words)
    return hits >= 2


def _paths(grid: _Grid, band: range) -> dict[int, list[str]]:
    """Per grid column, the distinct folded header texts top-down across the band (merged cells spread).

    Where merges are unknown (.ods, or a grid handed over by Excel), a group header spreads right over the empty
    cells after it when the rows below have headers there.
    """
    levels: list[list[str]] = []
    for r in band:
        row = [header_text(shown(v)) if (v := grid.merged_value(r, c)) is not None else "" for c in range(grid.width)]
        if r < band.stop - 1:
            carry = ""
            for c in range(grid.width):
                below = any(grid.get(rr, c) is not None for rr in range(r + 1, band.stop))
                if row[c]:
                    carry = row[c] if below else ""
                elif carry and below and grid.origin(r, c) == (r, c):
                    row[c] = carry
                else:
                    carry = ""
        levels.append(row)
    paths: dict[int, list[str]] = {}
    for c in range(grid.width):
        path: list[str] = []
        for row in levels:
            t = row[c]
            if t and (not path or path[-1] != t):
                path.append(t)
        if path:
            paths[c] = path
    return paths


def _side_groups(spec: TableSpec, paths: dict[int, list[str]]) -> dict[int, list[str]]:
    """A sided table printed without its 收入 / 支出 group row: each label column starts the next side."""
    sides = [fold(side.under[0]) for side in spec.sides]
    if any(p[0] in sides for p in paths.values()):
        return paths
    out: dict[int, list[str]] = {}
    current = -1
    for c in sorted(paths):
        last = paths[c][-1]
        if last in ("项目", "收入项目", "支出项目", "收入", "支出") or last.endswith("项目"):
            named = next((i for i, n in enumerate(sides) if last.startswith(n)), None)
            current = named if named is not None else min(current + 1, len(sides) - 1)
        out[c] = [sides[current], *paths[c]] if current >= 0 else paths[c]
    return out


def map_columns(
    columns: Sequence[Col], paths: dict[int, list[str]], synonyms: Mapping[str, frozenset[str]] | None = None
) -> tuple[dict[str, int], list[int]]:
    """Assign spec columns to grid columns by header path; return (key → column, unmapped grid columns)."""
    choice: dict[int, Col] = {}
    extra = synonyms or {}
    for c, path in paths.items():
        last = path[-1]
        bare = strip_ordinal(last)
        ancestors = set(path[:-1])
        best: tuple[int, Col] | None = None
        for col in columns:
            names = col.folded_names | extra[col.key] if col.key in extra else col.folded_names
            if last not in names and bare not in names:
                continue
            if not all(alts & ancestors for alts in col.folded_under):
                continue
            score = len(col.folded_under)
            if best is None or score > best[0]:
                best = (score, col)
        if best is None:
            best = _inner_leaf(columns, path, extra)
        if best is not None:
            choice[c] = best[1]
    mapped: dict[str, int] = {}
    for c in sorted(choice):
        key = choice[c].key
        if key not in mapped:
            mapped[key] = c
    used = set(mapped.values())
    # a header merged over two columns (执行率) is one column: its second column is neither mapped nor unknown
    unmapped = [
        c for c in paths
        if c not in used and paths[c][-1] not in IGNORED_HEADERS and not (c - 1 in paths and paths[c - 1] == paths[c] and c - 1 in used)
    ]
    return mapped, unmapped


def _inner_leaf(columns: Sequence[Col], path: list[str], extra: Mapping[str, frozenset[str]]) -> tuple[int, Col] | None:
    """The column a path names when its groups stand below the item: 合计 / 预算数 (决算 三公 tables print 预算数 and
    决算数 under each item, where the form puts each item under 预算数 / 决算数)."""
    steps = {t: i for i, t in enumerate(path)}
    best: tuple[int, int, Col] | None = None
    for col in columns:
        names = col.folded_names | extra.get(col.key, frozenset())
        depth = max((steps[n] for n in names if n in steps), default=-1)
        if depth < 0 or not col.folded_under or not all(alts & steps.keys() for alts in col.folded_under):
            continue
        score = (len(col.folded_under), depth)
        if best is None or score > best[:2]:
            best = (*score, col)
    return (best[0], best[2]) if best else None


@lru_cache(maxsize=1024)
def _item_names(item: Item) -> frozenset[str]:
    return frozenset(strip_ordinal(x) for x in item.folded) | item.folded
