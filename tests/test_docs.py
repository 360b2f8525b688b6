"""Generated reference docs are current (regenerate with `python -m gongkai.docs`)."""

from __future__ import annotations

from pathlib import Path

from gongkai.core.specs import SPECS
from gongkai.docs import tables_markdown

ROOT = Path(__file__).parents[1]


def test_tables_reference_is_current() -> None:
    assert (ROOT / "docs" / "tables.md").read_text(encoding="utf-8") == tables_markdown()


def test_every_table_of_the_reference_has_a_spec() -> None:
    """The 29 stable ids of TABLES.md (15 budget, 13 决算 and the 自评表), and the 部门整体 自评表 of real forms."""
    ids = [s.id for s in SPECS]
    assert len(ids) == len(set(ids)) == 30 and "final.overall_selfeval" in ids
    assert sum(i.startswith("budget.") for i in ids) == 15
