"""read_docx on Word documents built from the JSON tables: the same grids, merges, titles and units back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytest.importorskip("docx")

from doccorpus import STEMS, transcription
from docxbuild import INTRO, TABLES_HEADING, TEXT, build_docx

from gongkai.read.document import DocumentLimits, ReadError, locate, to_sheets
from gongkai.read.docx import read_docx


@pytest.mark.parametrize("stem", STEMS)
def test_word_tables_read_back_as_the_transcription(stem: str, tmp_path: Path) -> None:
    doc = read_docx(build_docx(stem, tmp_path / f"{stem}.docx"))
    want = transcription(stem)["tables"]
    assert [t.title for t in doc.tables] == [t["title"] for t in want]
    for i, (got, w) in enumerate(zip(doc.tables, want, strict=True)):
        where = f"{stem} table {i}"
        assert got.grid == w["header"] + w["rows"], where
        assert got.header_rows == len(w["header"]), where
        assert (got.unit, got.department) == (w["unit"], w.get("org")), where
        assert got.notes == [n for n in w.get("notes") or [] if not n.startswith("page ")], where
        assert got.pages == [] and got.strategy == "word" and got.parent is None
        covered = set()
        for r0, c0, r1, c1 in got.merges:
            assert got.grid[r0][c0] is not None
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        assert covered == {(r, c) for r, row in enumerate(got.grid) for c, v in enumerate(row) if v is None}


def test_narrative_and_headings(tmp_path: Path) -> None:
    doc = read_docx(build_docx("sh-putuo-czj-2025-dept-budget", tmp_path / "a.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:5] == [
        "上海市普陀区财政局2025年度公开文件",
        INTRO,
        TEXT,
        "（一）上海市普陀区财政局的机构设置情况。",
        TABLES_HEADING,
    ]
    headings = [p.text for p in doc.paragraphs if p.heading]
    assert INTRO in headings and TABLES_HEADING in headings and TEXT not in headings
    assert "以上是第1张表。" in texts
    assert not [t for t in texts if t.endswith("预算总表") or t.startswith("编制部门")]  # title lines are the tables'


def test_nested_table_and_locations(tmp_path: Path) -> None:
    doc = read_docx(build_docx("sh-putuo-czj-2025-dept-budget", tmp_path / "n.docx", nested=True))
    outer = doc.tables[0]
    inner = doc.tables[1]
    assert inner.parent == 0 and inner.grid == [["项目", "金额"], ["内嵌合计", "1.00"]] and inner.title is None
    assert [t.title for t in doc.tables[2:]] == [t["title"] for t in transcription("sh-putuo-czj-2025-dept-budget")["tables"][1:]]
    sheet = to_sheets(doc)[0]
    assert sheet.table is outer
    assert locate(sheet, 4, 1) == "表1「2025年部门财务收支预算总表」 一、财政拨款收入 / 预算数"


def test_bad_word_files(tmp_path: Path) -> None:
    def refused(path: Path, limits: DocumentLimits | None = None) -> str:
        with pytest.raises(ReadError) as info:
            read_docx(path, limits)
        return str(info.value)

    good = build_docx("sh-putuo-czj-2025-dept-budget", tmp_path / "g.docx")
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:3000])
    assert refused(cut).startswith("文件已损坏")
    ole = tmp_path / "old.doc"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert refused(ole) == "这是旧版 Word 文档（.doc），无法读取；请在 Word 中另存为 .docx，或提供 PDF"
    enc = tmp_path / "enc.docx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le"))
    assert refused(enc) == "Word 文档有密码保护（已加密），无法读取；请先取消密码再检查"
    hostile = tmp_path / "xxe.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(hostile, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            out.writestr(item, data)
    assert "实体声明" in refused(hostile)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("word/media/huge.bin", b"\0" * (300 * 1024 * 1024))
    assert "压缩炸弹" in refused(bomb)
    assert "单元格超过上限" in refused(good, DocumentLimits(max_cells=100))
    empty = tmp_path / "text.docx"
    import docx

    d = docx.Document()
    d.add_paragraph("只有文字，没有表格。")
    d.save(str(empty))
    assert refused(empty) == "这个 Word 文档里没有找到表格（没有可读取的公开表）；请确认文件是部门预算或决算公开文件"
