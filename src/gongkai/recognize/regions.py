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


def _regions(grid: _Grid) -> list[_Region]:
    titles = _find_titles(grid)
    regions: list[_Region] = []
    for i, (r, c, s, text) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else grid.height
        prev = regions[-1] if regions else None
        if prev is not None and prev.spec is s and s.layout != "form":
            prev.end = end  # the same table continued after a page break ("（续）")
            prev.extra.append((r, c))
            continue
        regions.append(_Region(s, grid, r, c, end, text))
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
