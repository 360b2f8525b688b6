"""Regions: where each 公开表 starts (its title) and ends on a sheet; stacked 自评表 blocks split apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.specs import TableSpec, match_title
from ..core.text import clean
from .merged_grid import _Grid


@dataclass
class _Region:
    spec: TableSpec
    grid: _Grid
    title_row: int
    title_col: int
    end: int  # exclusive
    title: str
    extra: list[tuple[int, int]] = field(default_factory=list)  # continuation title rows merged in
    listed: bool = False  # the title stands in a 目录 listing: without a header under it, it is no table


def _find_titles(grid: _Grid) -> list[tuple[int, int, TableSpec, str]]:
    found = []
    for r, row in enumerate(grid.rows):
        for c, v in enumerate(row):
            if type(v) is str and ("表" in v or "三公" in v) and len(v) <= 120:  # grid text is str, never a subclass
                s = match_title(v)
                if s is not None:
                    found.append((r, c, s, clean(v)))
                    break
    return found


CONTENTS_RUN = 3
"""Titles of different tables on this many rows with nothing between them make a 目录 listing: the 上海 unit
budget template lists its nine tables so, without the dot leaders that keep a title from matching."""


def _listed(grid: _Grid, titles: list[tuple[int, int, TableSpec, str]]) -> set[int]:
    """The rows of titles that stand in a contents listing: runs of `CONTENTS_RUN` or more titles of at least two
    tables with no filled row between two of them."""
    listed: set[int] = set()
    run = titles[:1]
    for title in [*titles[1:], None]:
        if title is not None and not any(grid.texts(r) for r in range(run[-1][0] + 1, title[0])):
            run.append(title)
            continue
        if len(run) >= CONTENTS_RUN and len({s.id for _, _, s, _ in run}) > 1:
            listed.update(r for r, _, _, _ in run)
        run = [title] if title is not None else []
    return listed


def _regions(grid: _Grid) -> list[_Region]:
    titles = _find_titles(grid)
    listed = _listed(grid, titles) if len(titles) >= CONTENTS_RUN else set()
    regions: list[_Region] = []
    for i, (r, c, s, text) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else grid.height
        prev = regions[-1] if regions else None
        if prev is not None and prev.spec is s and s.layout != "form":
            prev.end = end  # the same table continued after a page break ("（续）")
            prev.extra.append((r, c))
            continue
        regions.append(_Region(s, grid, r, c, end, text, listed=r in listed))
    return regions


def _split_form_regions(regions: list[_Region]) -> list[_Region]:
    """Stacked 自评表 blocks without repeated titles: split a form region at each further 项目名称 row."""
    out: list[_Region] = []
    for reg in regions:
        if reg.spec.id != "final.project_selfeval":
            out.append(reg)
            continue
        g = reg.grid
        starts = [r for r in range(reg.title_row + 1, reg.end) if any(t.rstrip(":") == "项目名称" for _, t in g.texts(r)[:2])]
        if len(starts) <= 1:
            out.append(reg)
            continue
        bounds = [*starts[1:], reg.end]
        out.append(_Region(reg.spec, g, reg.title_row, reg.title_col, bounds[0], reg.title))
        for s, e in zip(starts[1:], bounds[1:], strict=True):
            out.append(_Region(reg.spec, g, s - 1, 0, e, reg.title))
    return out
