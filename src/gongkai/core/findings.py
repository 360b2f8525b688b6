"""Finding and Severity: the vocabulary every layer speaks (rules produce them, shells show them)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    """An equation broken by more than the 舍位 tolerance, or a value that cannot be right."""
    WARNING = "warning"
    """Suspicious; a person must look (a number stored as text, a 定性 indicator with a unit)."""
    NOTE = "note"
    """Within the rounding tolerance, or for information: shown, never fails a batch."""

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


class Finding(BaseModel):
    """One thing wrong (or worth a look) in a workbook, pinned to a cell."""

    model_config = ConfigDict(frozen=True)

    rule: str
    """Stable id of the rule that produced it, e.g. "S101". Never reused."""
    severity: Severity
    table: str | None
    """Stable table id ("budget.expenditure"), None for workbook-level findings."""
    sheet: str
    cell: str
    """A1 address of the cell to mark, e.g. "D14"."""
    message: str
    """One Chinese sentence for the clerk who fixes the workbook."""
    related: tuple[str, ...] = ()
    """Other cells the message refers to, as "Sheet!A1"."""
    suspects: tuple[str, ...] = ()
    """Cells the message names as the likely cause, as "Sheet!A1" (a number typed over a formula, a number stored
    as text a SUM skipped): marked with this finding besides its own cell."""
    expected: Decimal | None = None
    actual: Decimal | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}"

    def __str__(self) -> str:
        return f"{self.where}: {self.rule} [{self.severity.value}] {self.message}"
