"""The rule registry: `@rule`, the `Context` a rule gets, and `run` over a book. Rule modules import it."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..core.addresses import cell_position
from ..core.amounts import tolerance
from ..core.findings import Finding, Severity
from ..core.model import Book, Cell, Row, Table
from ..core.profile import Profile

TableFunc = Callable[[Table, "Context"], Iterable[Finding]]
BookFunc = Callable[[Book, "Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    """The usual severity; a rule may report NOTE for 舍位 differences."""
    tables: tuple[str, ...]
    func: Callable[..., Iterable[Finding]]
    book: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")


@lru_cache(maxsize=4096)
def _applies(tables: tuple[str, ...], table_id: str) -> bool:
    return "*" in tables or table_id in tables or any(t.endswith(".*") and table_id.startswith(t[:-1]) for t in tables)


@lru_cache(maxsize=4096)
def _applicable(tables: tuple[str, ...], ids: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of the book's tables (by id, in order) a rule for ``tables`` applies to: one lookup per rule and
    book instead of one per rule and table."""
    return tuple(i for i, table_id in enumerate(ids) if _applies(tables, table_id))


RULES: dict[str, Rule] = {}


def rule(
    id: str, title: str, *, tables: tuple[str, ...] = ("*",), severity: Severity = Severity.ERROR, book: bool = False
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule; the function is returned unchanged so tests call it directly."""

    def register(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if id in RULES:
            raise ValueError(f"duplicate rule id {id!r}")
        if not func.__doc__:
            raise ValueError(f"rule {id} needs a docstring: it is the user documentation")
        RULES[id] = Rule(id, title, severity, tables, func, book)
        return func

    return register


@dataclass
class Context:
    """What a rule may use besides its tables: the profile, and helpers that build findings for the rule."""

    profile: Profile = field(default_factory=Profile)
    rule: Rule | None = None

    def finding(
        self, table: Table | None, cell: Cell | str, message: str, *, severity: Severity | None = None,
        related: Iterable[Cell | str] = (), expected: Decimal | None = None, actual: Decimal | None = None,
        sheet: str | None = None,
    ) -> Finding:
        """A finding of the running rule at a cell (a Cell, or an A1 address on ``table``'s sheet)."""
        assert self.rule is not None
        if isinstance(cell, Cell):
            sheet_name, ref = cell.sheet, cell.ref
        else:
            sheet_name, ref = sheet or (table.sheet if table else ""), cell
        return Finding(
            rule=self.rule.id, severity=severity or self.rule.severity, table=table.id if table else None,
            sheet=sheet_name, cell=ref, message=message,
            related=tuple(c.where if isinstance(c, Cell) else c for c in related), expected=expected, actual=actual,
        )

    def tolerance(self, table: Table, parts: int) -> Decimal:
        if table.rounding is not None:
            return table.rounding * max(parts, 1)
        return tolerance(parts, self.profile.rounding_per_part, table.money_unit)

    def verdict(self, table: Table, actual: Decimal | None, expected: Decimal, parts: int) -> Severity | None:
        """None if equal, NOTE within the table's 舍位 tolerance, ERROR beyond."""
        diff = abs((actual or Decimal(0)) - expected)
        if diff == 0:
            return None
        return Severity.NOTE if diff <= self.tolerance(table, parts) else Severity.ERROR


def run(book: Book, profile: Profile | None = None, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Finding]:
    """Every finding of every enabled rule on a book, in a stable order (sheet order, then cell)."""
    ctx = Context(profile or Profile())
    wanted = tuple(select) if select else None
    ignored = tuple(ignore)
    out: list[Finding] = []
    ids = tuple(t.id for t in book.tables)
    for r in RULES.values():
        if not selected(r.id, ctx.profile, wanted, ignored):
            continue
        ctx.rule = r
        if r.book:
            if all(t == "*" or t in book for t in r.tables):
                out.extend(r.func(book, ctx))
            continue
        for i in _applicable(r.tables, ids):
            out.extend(r.func(book.tables[i], ctx))
    return in_order(book, out)


def selected(rule_id: str, profile: Profile, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> bool:
    """Whether a rule runs: chosen by ``select`` (id prefixes; None: every rule), not by ``ignore``, enabled in the
    profile."""
    wanted, ignored = (tuple(select) if select else None), tuple(ignore)
    if wanted is not None and not rule_id.startswith(wanted):
        return False
    return not (ignored and rule_id.startswith(ignored)) and profile.enabled(rule_id)


def in_order(book: Book, findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the book's stable order: sheet order, then cell, then rule."""
    order = {name: i for i, name in enumerate(book.sheets)}
    return sorted(findings, key=lambda f: (order.get(f.sheet, len(order)), cell_position(f.cell), f.rule))


def rows_with(table: Table, *keys: str) -> Iterator[Row]:
    """Rows that have every column in ``keys``."""
    return (r for r in table.rows if all(k in r.cells for k in keys))
