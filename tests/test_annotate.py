"""`gongkai annotate` and mark.py: a marked COPY (styles, notes, 校验结果 with links); the source never changes."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from checkfixtures import budget, register, unregister
from gongkai.cli import main
from gongkai.core.findings import Finding, Severity
from gongkai.write.annotate import MarkError, annotate


@pytest.fixture(autouse=True)
def test_rules():
    register()
    yield
    unregister()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(cell) -> str:
    return cell.fill.fgColor.rgb


def test_annotate_marks_a_copy(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "bad.xlsx", total=11, project=0)  # E6/E7 errors (11 ≠ 4), G6/G7 warnings
    before = digest(source)
    out = tmp_path / "out" / "marked.xlsx"

    assert main(["annotate", "--select", "T9", str(source), "-o", str(out)]) == 1

    assert digest(source) == before
    assert "已写出标注副本" in capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    ws = wb["表1-2"]
    marked = {
        c.coordinate: (c.style, fill(c), c.font.color.rgb, c.comment.text)
        for row in ws.iter_rows() for c in row if c.comment is not None
    }
    error = "【错误】T901 合计 11.00 不等于 基本支出 + 项目支出 = 4.00"
    warning = "【警告】T902 项目支出为 0，请确认"
    assert marked == {
        "E6": ("Bad", "FFFFC7CE", "FF9C0006", error), "E7": ("Bad", "FFFFC7CE", "FF9C0006", error),
        "G6": ("Neutral", "FFFFEB9C", "FF9C5700", warning), "G7": ("Neutral", "FFFFEB9C", "FF9C5700", warning),
    }
    assert ws["E7"].number_format == "#,##0.00"  # the cell keeps its format and border
    assert ws["E7"].border.left.style == "thin"
    assert ws["F7"].style == "Normal" and ws["F7"].comment is None

    assert wb.sheetnames == ["校验结果", "表1-2"]
    assert wb.active.title == "校验结果"
    results = wb["校验结果"]
    rows = list(results.iter_rows(values_only=True))
    assert rows[0] == ("序号", "级别", "规则", "工作表", "单元格", "说明", "应为", "实为", "差额", "相关单元格")
    assert [r[:5] for r in rows[1:]] == [
        (1, "错误", "T901", "表1-2", "E6"), (2, "错误", "T901", "表1-2", "E7"),
        (3, "警告", "T902", "表1-2", "G6"), (4, "警告", "T902", "表1-2", "G7"),
    ]
    assert rows[1][6:] == (4, 11, 7, "表1-2!F6 表1-2!G6")
    links = [results.cell(r, 5).hyperlink.location for r in range(2, 6)]
    assert links == ["'表1-2'!E6", "'表1-2'!E7", "'表1-2'!G6", "'表1-2'!G7"]
    assert results.auto_filter.ref == "A1:J5"


def test_annotate_a_clean_workbook(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "good.xlsx")
    assert main(["annotate", "--select", "T9", str(source)]) == 0
    out = tmp_path / "good-校验结果.xlsx"
    wb = openpyxl.load_workbook(out)
    assert [r for r in wb["校验结果"].iter_rows(min_row=2, values_only=True)] == [(None,) * 5 + ("未发现问题",) + (None,) * 4]
    assert all(c.comment is None for row in wb["表1-2"].iter_rows() for c in row)
    capsys.readouterr()


def test_annotate_refuses_to_overwrite_its_input(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "bad.xlsx", total=11)
    before = digest(source)

    assert main(["annotate", "--select", "T9", str(source), "-o", str(source)]) == 2
    assert main(["annotate", "--select", "T9", str(source), "-o", str(tmp_path / "." / "bad.xlsx")]) == 2
    assert "输出文件不能是原文件" in capsys.readouterr().err
    with pytest.raises(MarkError, match="输出文件不能是原文件"):
        annotate(source, [], source)
    assert digest(source) == before


def test_in_place_keeps_a_backup(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "bad.xlsx", total=11)
    before = digest(source)

    assert main(["annotate", "--select", "T9", str(source), "--in-place"]) == 1

    assert digest(tmp_path / "bad.bak.xlsx") == before
    wb = openpyxl.load_workbook(source)
    assert wb["表1-2"]["E6"].style == "Bad"
    assert main(["annotate", "--select", "T9", str(source), "--in-place"]) == 1  # a second run keeps the first backup
    assert digest(tmp_path / "bad.bak.xlsx") == before
    assert (tmp_path / "bad.bak2.xlsx").exists()
    capsys.readouterr()


def test_unreadable_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "x.xlsx"
    source.write_text("no")
    assert main(["annotate", "--select", "T9", str(source), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "无法读取" in capsys.readouterr().out
    assert not (tmp_path / "o.xlsx").exists()


def test_merged_cells_existing_notes_and_unknown_sheets(tmp_path: Path) -> None:
    source = budget(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(source)
    wb["表1-2"]["E7"].comment = openpyxl.comments.Comment("原有批注", "clerk")
    wb.save(source)
    findings = [
        Finding(rule="T901", severity=Severity.ERROR, table=None, sheet="表1-2", cell="C2", message="标题中的问题"),
        Finding(rule="T902", severity=Severity.WARNING, table=None, sheet="表1-2", cell="E7", message="请确认"),
        Finding(rule="T902", severity=Severity.NOTE, table=None, sheet="表1-2", cell="F7", message="仅提示"),
        Finding(rule="T901", severity=Severity.ERROR, table=None, sheet="没有这张表", cell="A1", message="别处",
                expected=Decimal("1.5"), actual=Decimal(2)),
    ]
    out = annotate(source, findings, tmp_path / "o.xlsx")

    wb = openpyxl.load_workbook(out)
    ws = wb["表1-2"]
    assert (ws["A2"].style, ws["A2"].comment.text) == ("Bad", "【错误】T901 标题中的问题")  # C2 is inside A2:G2
    assert ws["E7"].comment.text == "原有批注\n---\n【警告】T902 请确认"
    assert ws["F7"].comment is None and ws["F7"].style == "Normal"  # notes are listed, not marked
    rows = list(wb["校验结果"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[4], r[8]) for r in rows] == [
        ("错误", "表1-2", "C2", None), ("错误", "没有这张表", "A1", 0.5), ("警告", "表1-2", "E7", None),
        ("提示", "表1-2", "F7", None),
    ]
    assert wb["校验结果"]["E3"].hyperlink is None  # no link to a sheet that does not exist


def test_not_an_xlsx(tmp_path: Path) -> None:
    source = tmp_path / "a.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(MarkError, match="只能标注"):
        annotate(source, [], tmp_path / "o.xlsx")
