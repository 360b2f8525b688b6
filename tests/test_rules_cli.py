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
    assert out.startswith("X201  部门收支总表支出 = 部门支出总表（按功能分类类）\n级别：错误\n适用：表1 部门收支总表、表1-2 部门支出总表")
    assert "错误示例：" in out and "正确示例：" in out and "Fails:" not in out
    assert main(["rules", "--explain", "Z999"]) == 2
    assert "没有规则「Z999」" in capsys.readouterr().err


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in data["rules"]}
    assert data["version"] == 1
    assert by_id["P302"] | {"doc": ""} == {
        "id": "P302", "title": "指标性质写法不规范", "severity": "warning",
        "tables": ["budget.project_targets", "budget.overall_targets", "final.project_selfeval", "final.overall_selfeval"],
        "scope": "table", "doc": "",
    }
    assert by_id["X201"]["scope"] == "book"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_explained_in_chinese_with_a_failing_and_a_passing_example(rule_id: str, capsys) -> None:
    assert main(["rules", "--explain", rule_id]) == 0
    out = capsys.readouterr().out
    body = out.split("\n\n")[1]  # 说明, 错误示例, 正确示例 (the last paragraph names the CLI option)
    lines = body.splitlines()
    assert [line.split("：")[0] for line in lines] == ["说明", "错误示例", "正确示例"], out
    assert all(len(line.split("：", 1)[1]) > 3 for line in lines)
    english = [w for w in re.findall(r"[A-Za-z]{4,}", out.split("\n\n")[0] + body) if w not in ("Excel",)]
    assert english == [], english
