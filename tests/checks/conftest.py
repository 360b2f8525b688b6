"""The `build` fixture of the rule tests (see rulekit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rulekit import Build, builder


@pytest.fixture
def build(tmp_path: Path) -> Build:
    return builder(tmp_path)
