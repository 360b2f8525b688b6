"""`gongkai text DOC`: the narrative of a published PDF/Word document (its 说明), headings and paragraphs in order.

The text outside the tables, as the document reader keeps it for the 说明 checks: each heading on its own line,
each paragraph on one line indented as printed Chinese text is, and in a PDF a line naming the page whenever a new
page begins. `--format json` gives the same as a list of {"page", "heading", "text"}.
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
        "text", help="列出 PDF/Word 公开文件的说明文字（标题和段落，按顺序，带页码）",
        description="按原文顺序列出 PDF 或 Word 公开文件中表格以外的文字：各级标题和段落，PDF 注明每段所在的页码。",
        epilog="退出码：0 成功；2 文件无法读取或不是 PDF/Word 文件。",
    )
    p.add_argument("path", metavar="DOC", help="PDF 或 Word（.docx）公开文件")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是屏幕")
    add_profile(p)
    p.set_defaults(run=run)


def render(paragraphs: list[Any], kind: str) -> str:
    """Headings flush left, paragraphs indented, and in a PDF `—— 第 3 页 ——` before the first paragraph of each page."""
    out: list[str] = []
    page = None
    for p in paragraphs:
        if kind == "pdf" and p.page != page:
            page = p.page
            out += [*([""] if out else []), f"—— 第 {page} 页 ——"]
        if p.heading:
            out.append(p.text)
        else:
            out.append(INDENT + p.text)
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import DOCUMENT_SUFFIXES, read_document
    from ..read import ReadError

    path = Path(args.path)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        return refuse(f"只能读取 PDF 或 Word（.docx）公开文件，{path.name} 不是（工作簿没有说明文字）", command="gongkai text")
    if refuse_output(args.output, [path], "gongkai text"):
        return 2
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
