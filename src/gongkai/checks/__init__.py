"""The rule engine: rules are plain functions registered with `@rule`, each yielding Findings of its own id.

Two kinds: a *table rule* runs on every recognised table whose id it lists (``tables=("*",)`` for all);
a *book rule* (``book=True``) runs once per workbook when all the tables it lists are present.
Ids: R0xx reading, H0xx data hygiene, S1xx within-table sums, X2xx across tables, P3xx indicators,
F4xx 决算 and 自评表, N5xx the 说明 text against the tables (run by `narrative.run_narrative`, not by `run`).
"""

from __future__ import annotations

from . import crosstable, final, formulas, hygiene, indicators, narrative, reading, selfeval, totals  # noqa: F401  (importing a module registers its rules)
from .registry import RULES, BookFunc, Context, Rule, TableFunc, rows_with, rule, run

__all__ = ["RULES", "BookFunc", "Context", "Rule", "TableFunc", "rows_with", "rule", "run"]
