"""`gongkai tables`: what was recognised, per file, as a table or the JSON contract; bad files reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factory import table_data
from gongkai.cli import main
from gongkai.core.specs import spec
from gongkai.fill.layout import lay_out
from gongkai.write.workbook import write_plans


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_plans([lay_out(table_data(spec("budget.expenditure")), sheet="支出")], tmp_path / "good.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "notes.txt").write_text("ignored: not a workbook suffix")
    return tmp_path


def test_json_contract(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", str(folder), "--format", "json"]) == 2  # one file could not be read
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    broken, good = report["files"]
    assert (broken["status"], good["status"]) == ("unreadable", "ok")
    assert "损坏" in broken["error"] and broken["tables"] == []
    (table,) = good["tables"]
    assert {k: table[k] for k in ("id", "title", "sheet", "first_row", "last_row", "data_rows", "unmapped")} == {
        "id": "budget.expenditure", "title": "部门支出总表", "sheet": "支出", "first_row": 6, "last_row": 22,
        "data_rows": 17, "unmapped": [],
    }
    assert table["columns"] == {"类": "A", "款": "B", "项": "C", "科目名称": "D", "合计": "E", "基本支出": "F", "项目支出": "G",
        "上缴上级支出": "H", "事业单位经营支出": "I", "对下级单位补助支出": "J",
    }


def test_table_format_is_readable_chinese(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["tables", str(folder / "good.xlsx")])
    out = capsys.readouterr().out
    assert "识别出 1 张表" in out and "budget.expenditure" in out and "部门支出总表" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "空"), (b"%PDF-1.7 fake", "不是 Excel"), (b"hello", "不是 Excel")],
)
def test_bad_files_get_one_chinese_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert main(["tables", str(path)]) == 2
    out = capsys.readouterr()
    assert message in out.out and "Traceback" not in out.out + out.err


def test_workbook_without_any_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.fill.layout import SheetPlan

    plan = SheetPlan(name="杂项")
    plan.put(1, 0, "会议纪要")
    write_plans([plan], tmp_path / "memo.xlsx")
    assert main(["tables", str(tmp_path / "memo.xlsx")]) == 2
    assert "没有识别出任何公开表" in capsys.readouterr().out


def test_reading_problems_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.fill.layout import SheetPlan

    plan = SheetPlan(name="表1-2")
    plan.put(1, 0, "部门支出总表")
    for i, text in enumerate(("项目", "金额", "备注")):
        plan.put(2, i, text)
    plan.put(3, 0, "办公费")
    plan.put(3, 1, 1.0)
    write_plans([plan], tmp_path / "mislabelled.xlsx")
    assert main(["tables", str(tmp_path / "mislabelled.xlsx"), "--format", "json"]) == 1
    (file,) = json.loads(capsys.readouterr().out)["files"]
    assert file["tables"] == []
    assert [(p["rule"], p["sheet"], p["cell"]) for p in file["problems"]] == [("R001", "表1-2", "A1")]
    main(["tables", str(tmp_path / "mislabelled.xlsx")])
    assert "R001" in capsys.readouterr().out
