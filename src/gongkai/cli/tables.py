"""`gongkai tables FILE...`: what was recognised in each workbook."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_profile, dump_json, emit, load_profile, table


def add(sub: Any) -> None:
    p = sub.add_parser("tables", help="列出每个文件中识别出的公开表", description="列出每个文件中识别出的公开表、表头位置、数据行和列映射。")
    p.add_argument("paths", nargs="+", metavar="FILE", help="工作簿、PDF 或 Word 公开文件，或文件夹（递归）")
    p.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是屏幕")
    add_profile(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import expand, inspect_file
    from ._common import refuse_output

    profile = load_profile(args)
    paths = list(expand(args.paths))
    if refuse_output(args.output, paths):
        return 2
    results = [inspect_file(path, profile) for path in paths]
    if not results:
        emit("没有找到工作簿或公开文件（.xlsx .xlsm .xls .ods .pdf .docx）", args.output)
        return 2
    if args.format == "json":
        files = [
            {
                "path": r.path, "status": r.status, "error": r.error,
                "tables": [
                    {
                        "id": t.id, "title": t.title, "sheet": t.sheet, "header_rows": list(t.header_rows),
                        "first_row": t.first_row, "last_row": t.last_row, "data_rows": t.data_rows,
                        "columns": t.columns, "unmapped": list(t.unmapped), "missing": list(t.missing),
                    }
                    for t in r.tables
                ],
                "problems": [
                    {"rule": f.rule, "severity": f.severity.value, "sheet": f.sheet, "cell": f.cell, "message": f.message}
                    for f in r.findings
                ],
            }
            for r in results
        ]
        emit(dump_json({"version": 1, "files": files}), args.output)
    else:
        blocks = []
        for r in results:
            if r.status != "ok":
                blocks.append(f"{r.path}\n  无法读取：{r.error}")
                continue
            rows = [
                [
                    t.id, t.title, t.sheet, f"{t.header_rows[0]}-{t.header_rows[1]}",
                    f"{t.first_row}-{t.last_row}" if t.first_row else "-", str(t.data_rows),
                    str(len(t.columns)), "、".join(u.split(":", 1)[1] for u in t.unmapped) or "-",
                ]
                for t in r.tables
            ]
            header = ["表", "表名", "工作表", "表头行", "数据行", "行数", "列", "未识别表头"]
            text = f"{r.path}：识别出 {len(r.tables)} 张表\n{table(rows, header)}" if r.tables else f"{r.path}：识别出 0 张表"
            for f in r.findings:
                text += f"\n  {f.where}  {f.rule} {f.severity.label}：{f.message}"
            blocks.append(text)
        emit("\n\n".join(blocks), args.output)
    if any(r.status != "ok" for r in results):
        return 2
    return 1 if any(r.errors for r in results) else 0  # a table named but not readable (R001) is an error
