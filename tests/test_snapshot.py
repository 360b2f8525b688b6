"""Every table, row, typed cell and finding on the real corpus, the shipped workbooks and the benchmark workbooks
is what it was when the snapshot was recorded (tests/snapshot.py; issue 18: a faster reader must read the same).

A change meant to move findings regenerates the snapshots (``.venv/bin/python -m tests.snapshot --write``) and the
review reads the difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from snapshot import first_difference, inputs, load, normalised, path_of, snapshot

INPUTS = dict(inputs())


def test_every_input_has_a_snapshot_and_every_snapshot_an_input() -> None:
    stored = {p.name.removesuffix(".json.gz") for p in path_of("x").parent.glob("*.json.gz")}
    assert stored == set(INPUTS)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_same_tables_and_findings_as_recorded(name: str, tmp_path: Path) -> None:
    got = normalised(snapshot(INPUTS[name](tmp_path)))
    golden = load(name)
    assert first_difference(got, golden) is None
    assert golden["check"].get("findings") or golden["check"].get("status") == "unreadable" or golden["book"]["tables"]  # not empty
