"""`gongkai text DOC`: the narrative of a published PDF/Word document (its 说明), headings and paragraphs in order.

The text outside the tables, as the document reader keeps it for the 说明 checks: each heading on its own line,
each paragraph on one line indented as printed Chinese text is, and in a PDF a line naming the page whenever a new
page begins. `--format json` gives the same as a list of {"page", "heading", "text"}. A workbook gives the text of
its own 说明 sheets (`Book.text`), a line naming each sheet and each paragraph's cell after it; its JSON items carry
"sheet" and "cell" instead of "page".
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._common import add_profile, dump_json, emit, load_profile, refuse, refuse_output

INDENT = "\u3000\u3000"
"""Two ideographic spaces: the first-line indent of a printed Chinese paragraph."""


def add(sub: Any) -> None:
    p = sub.add_parser(
        "text", help="列出 PDF/Word 公开文件或工作簿的说明文字（标题和段落，按顺序，带页码或单元格）",
        description="按原文顺序列出 PDF 或 Word 公开文件中表格以外的文字：各级标题和段落，PDF 注明每段所在的页码；"
        "工作簿列出公开表以外各工作表（如「部门编制说明」）的文字，注明所在单元格。",
        epilog="退出码：0 成功；2 文件无法读取，或不是 PDF/Word 文件或工作簿，或其中没有说明文字。",
    )
    p.add_argument("path", metavar="DOC", help="PDF 或 Word（.docx）公开文件，或工作簿")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是屏幕")
    add_profile(p)
    p.set_defaults(run=run)


def render(paragraphs: list[Any], kind: str) -> str:
    """Headings flush left, paragraphs indented, and in a PDF `—— 第 3 页 ——` before the first paragraph of each page;
    in a workbook `—— 工作表「部门编制说明」 ——` before each sheet and each paragraph's cell after it, as （A58）."""
    out: list[str] = []
    part: object = None
    for p in paragraphs:
        where = p.page if kind == "pdf" else p.sheet if kind == "workbook" else None
        if where is not None and where != part:
            part = where
            out += [*([""] if out else []), f"—— 第 {where} 页 ——" if kind == "pdf" else f"—— 工作表「{where}」 ——"]
        line = p.text if p.heading else INDENT + p.text
        out.append(f"{line}（{p.cell}）" if kind == "workbook" else line)
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import DOCUMENT_SUFFIXES, read_document
    from ..read import ReadError
    from ..read.xlsx import SUFFIXES

    path = Path(args.path)
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES and suffix not in SUFFIXES:
        return refuse(f"只能读取 PDF、Word（.docx）公开文件或工作簿，{path.name} 都不是", command="gongkai text")
    if refuse_output(args.output, [path], "gongkai text"):
        return 2
    if suffix in SUFFIXES:
        return _workbook(path, args)
    try:
        document = read_document(path, load_profile(args))
    except ReadError as exc:
        return refuse(f"{path}：无法读取：{exc}", command="gongkai text")
    if not document.paragraphs:
        return refuse(f"{path}：除表格外没有读出文字", command="gongkai text")
    if args.format == "json":
        emit(dump_json([
            {"page": p.page if document.kind == "pdf" else None, "heading": p.heading, "text": p.text}
            for p in document.paragraphs
        ]), args.output)
    else:
        emit(render(document.paragraphs, document.kind), args.output)
    return 0


def _workbook(path: Path, args: argparse.Namespace) -> int:
    """A workbook's own 说明 sheets, as the checks read them."""
    from ..checks.narrative import own_text
    from ..pipeline import load_book
    from ..read import ReadError

    try:
        book = load_book(path, load_profile(args))
    except ReadError as exc:
        return refuse(f"{path}：无法读取：{exc}", command="gongkai text")
    paragraphs: list[Any] = own_text(book)
    if not paragraphs:
        return refuse(f"{path}：工作簿中没有说明文字（公开表以外没有写着文字的工作表）", command="gongkai text")
    if args.format == "json":
        emit(dump_json([{"sheet": p.sheet, "cell": p.cell, "heading": p.heading, "text": p.text} for p in paragraphs]), args.output)
    else:
        emit(render(paragraphs, "workbook"), args.output)
    return 0
