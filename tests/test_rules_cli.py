"""`gongkai rules` and the generated rules reference (docs/rules.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gongkai.checks import RULES
from gongkai.cli import main
from gongkai.cli.rules import markdown

ROOT = Path(__file__).parents[1]


def test_rules_reference_is_current() -> None:
    """Regenerate with `gongkai rules --format markdown -o docs/rules.md` after changing a rule."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == markdown(sorted(RULES.values(), key=lambda r: r.id)) + "\n"


def test_every_rule_documents_its_equation_and_a_failing_example() -> None:
    mine = [r for r in RULES.values() if r.id[0] in "HSXP"]
    assert len(mine) >= 37
    for r in mine:
        assert re.fullmatch(r"[HSXP]\d{3}", r.id)
        assert "Fails" in r.doc, r.id
        assert r.title and r.tables


def test_rules_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"S101\s+错误\s+合计列 = 各组成列之和", out)
    assert re.search(r"H001\s+警告\s+数字存为文本", out)


def test_rules_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--explain", "x201"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("X201  部门收支总表支出 = 部门支出总表（按功能分类类）\n严重程度：错误（error）")
    assert "Fails:" in out
    assert main(["rules", "--explain", "Z999"]) == 2
    assert "没有规则「Z999」" in capsys.readouterr().err


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in data["rules"]}
    assert data["version"] == 1
    assert by_id["P302"] | {"doc": ""} == {
        "id": "P302", "title": "指标性质写法不规范", "severity": "warning",
        "tables": ["budget.project_targets", "budget.overall_targets"], "scope": "table", "doc": "",
    }
    assert by_id["X201"]["scope"] == "book"
