"""`gongkai check`: exit codes, the JSON contract, the table summary, rule selection, report files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from checkfixtures import broken, budget, register, unregister
from gongkai.cli import main

ONLY_TEST_RULES = ("--select", "T9")
"""The real rules have their own tests; these tests pin exact findings of the test rules alone."""


@pytest.fixture(autouse=True)
def test_rules():
    register()
    yield
    unregister()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """good.xlsx (consistent), sub/bad.xlsx (合计 11 ≠ 4 + 6 on both rows, 项目支出 6), broken.xlsx (not a workbook)."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    budget(folder / "good.xlsx")
    budget(folder / "sub" / "bad.xlsx", total=11)
    broken(folder / "broken.xlsx")
    return folder


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["check", *ONLY_TEST_RULES, *argv, "--format", "json", "--quiet"])
    return code, json.loads(capsys.readouterr().out)


def test_exit_codes(folder: Path, capsys) -> None:
    assert main(["check", *ONLY_TEST_RULES, str(folder / "good.xlsx"), "-q"]) == 0
    assert main(["check", *ONLY_TEST_RULES, str(folder / "good.xlsx"), str(folder / "sub"), "-q"]) == 1
    assert main(["check", *ONLY_TEST_RULES, str(folder), "-q"]) == 2  # a broken file: 2 even though another has errors
    assert main(["check", *ONLY_TEST_RULES, str(folder / "nothing-here"), "-q"]) == 2
    capsys.readouterr()


def test_json_contract(folder: Path, capsys) -> None:
    code, report = run_json(capsys, str(folder))

    assert code == 2
    assert list(report) == ["version", "files", "summary"]
    assert report["version"] == 1
    assert [Path(f["path"]).relative_to(folder).as_posix() for f in report["files"]] == ["broken.xlsx", "good.xlsx", "sub/bad.xlsx"]
    for f in report["files"]:
        assert list(f) == ["path", "status", "error", "tables", "findings"]
    broken_file, good, bad = report["files"]
    assert broken_file["status"] == "unreadable"
    assert broken_file["error"] == "文件不是 Excel 工作簿（可能是改了扩展名的文本、PDF 或图片）"
    assert (broken_file["tables"], broken_file["findings"]) == ([], [])
    assert good == {
        "path": str(folder / "good.xlsx"), "status": "ok", "error": None,
        "tables": [{"id": "budget.expenditure", "title": "部门支出总表", "sheet": "表1-2"}], "findings": [],
    }
    assert bad["findings"] == [
        {
            "rule": "T901", "severity": "error", "table": "budget.expenditure", "sheet": "表1-2", "cell": cell,
            "related": [f"表1-2!F{row}", f"表1-2!G{row}"], "message": "合计 11.00 不等于 基本支出 + 项目支出 = 10.00",
            "expected": "10.00", "actual": "11.00",
        }
        for row, cell in ((6, "E6"), (7, "E7"))
    ]
    assert report["summary"] == {"files": 3, "errors": 2, "warnings": 0, "notes": 0}


def test_json_severities_and_rounding_note(tmp_path: Path, capsys) -> None:
    budget(tmp_path / "a.xlsx", total="10.01", basic=4, project=0)  # 10.01 vs 4: error; 项目支出 0: warning
    budget(tmp_path / "b.xlsx", total="10.01", basic=4, project=6)  # within 2 x 0.005: note

    code, report = run_json(capsys, str(tmp_path))

    found = [(Path(f["path"]).name, x["cell"], x["rule"], x["severity"]) for f in report["files"] for x in f["findings"]]
    assert found == [
        ("a.xlsx", "E6", "T901", "error"), ("a.xlsx", "G6", "T902", "warning"),
        ("a.xlsx", "E7", "T901", "error"), ("a.xlsx", "G7", "T902", "warning"),
        ("b.xlsx", "E6", "T901", "note"), ("b.xlsx", "E7", "T901", "note"),
    ]
    assert report["summary"] == {"files": 2, "errors": 2, "warnings": 2, "notes": 2}
    assert code == 1


def test_select_and_ignore(folder: Path, capsys) -> None:
    bad = str(folder / "sub" / "bad.xlsx")

    def errors(*argv: str) -> tuple[int, int]:
        code = main(["check", bad, *argv, "--format", "json", "-q"])
        return code, json.loads(capsys.readouterr().out)["summary"]["errors"]

    assert errors("--select", "T9") == (1, 2)
    assert errors("--select", "t902") == (0, 0)  # ids are case-insensitive
    assert errors("--select", "T9", "--ignore", "T901") == (0, 0)
    assert main(["check", bad, "--select", "T901,T902", "--ignore", "t90", "-q"]) == 2  # no rule left to run
    assert "没有要运行的规则" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_rule_selection_matching_no_rule_is_a_usage_error(folder: Path, capsys, option: str) -> None:
    """A typo in --select must not pass the file with ✓ and exit 0."""
    assert main(["check", str(folder / "good.xlsx"), option, "S101,Z99", "-q"]) == 2
    captured = capsys.readouterr()
    assert "没有编号以 Z99 开头的规则" in captured.err
    assert "✓" not in captured.out


def test_table_format_is_a_chinese_summary(folder: Path, capsys) -> None:
    code = main(["check", *ONLY_TEST_RULES, str(folder), "--jobs", "1"])
    out = capsys.readouterr().out

    assert code == 2
    lines = out.splitlines()
    assert lines[0] == f"✗ {folder / 'broken.xlsx'}"  # batch output in input order
    assert lines[1] == "  无法读取：文件不是 Excel 工作簿（可能是改了扩展名的文本、PDF 或图片）"
    assert f"✓ {folder / 'good.xlsx'}：识别出 1 张表；0 个错误，0 个警告，0 个提示" in lines
    assert f"✗ {folder / 'sub' / 'bad.xlsx'}：识别出 1 张表；2 个错误，0 个警告，0 个提示" in lines
    assert "  表1-2!E6  T901  错误  合计 11.00 不等于 基本支出 + 项目支出 = 10.00" in lines
    assert "  表1-2!E7  T901  错误  合计 11.00 不等于 基本支出 + 项目支出 = 10.00" in lines
    assert lines[-2] == "共检查 3 个文件：1 个有错误，1 个无法读取；合计 2 个错误、0 个警告、0 个提示"
    assert lines[-1] == f"未通过的文件：{folder / 'broken.xlsx'}（无法读取）、{folder / 'sub' / 'bad.xlsx'}（有错误）"


def test_quiet_table_lists_only_files_with_problems(folder: Path, capsys) -> None:
    main(["check", *ONLY_TEST_RULES, str(folder), "-q"])
    out = capsys.readouterr().out
    assert "good.xlsx" not in out
    assert "bad.xlsx" in out and "broken.xlsx" in out


def test_report_files(folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "reports"
    for fmt in ("json", "csv", "html", "xlsx", "table"):
        assert main(["check", *ONLY_TEST_RULES, str(folder), "--format", fmt, "-o", str(out / f"r.{fmt}"), "-q"]) == 2
    assert capsys.readouterr().out == ""

    assert json.loads((out / "r.json").read_text(encoding="utf-8"))["summary"]["errors"] == 2
    text = (out / "r.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert [(Path(r["文件"]).name, r["状态"], r["单元格"], r["级别"], r["表"]) for r in rows] == [
        ("broken.xlsx", "无法读取", "", "", ""), ("good.xlsx", "通过", "", "", ""),
        ("bad.xlsx", "有错误", "E6", "错误", "表1-2 部门支出总表"), ("bad.xlsx", "有错误", "E7", "错误", "表1-2 部门支出总表"),
    ]
    page = (out / "r.html").read_text(encoding="utf-8")
    assert page.count("合计 11.00 不等于 基本支出 + 项目支出 = 10.00") == 2  # one list, grouped by severity then table
    assert "<svg" in page and "<script" not in page
    assert (out / "r.xlsx").stat().st_size > 0
    table = (out / "r.table").read_text(encoding="utf-8")
    assert "good.xlsx" not in table  # -q: only the failing files
    assert table.rstrip().splitlines()[-1].startswith("未通过的文件：")


def test_xlsx_needs_an_output_file(folder: Path, capsys) -> None:
    assert main(["check", str(folder / "good.xlsx"), "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_annotate_dir_gets_copies_of_failing_workbooks_only(folder: Path, tmp_path: Path, capsys) -> None:
    marked = tmp_path / "marked"

    assert main(["check", *ONLY_TEST_RULES, str(folder), "--annotate-dir", str(marked), "-q"]) == 2

    assert [p.relative_to(marked).as_posix() for p in marked.rglob("*.xlsx")] == ["sub/bad.xlsx"]
    assert f"已写出标注副本：{marked / 'sub' / 'bad.xlsx'}" in capsys.readouterr().err
