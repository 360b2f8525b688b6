"""`gongkai export FILE... -o OUT`: the tables as tidy data (xlsx/csv/parquet) or as clean workbooks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import add_profile, load_profile, refuse

FORMATS = ("xlsx", "csv", "parquet")


def add(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="导出公开表：整理后的长表数据，或规范化的工作簿",
        description=(
            "tidy：每个金额一行（文件、部门、表、单位、科目编码、科目名称、列、金额（万元）、来源单元格），绩效指标每个指标一行；"
            "多个文件合并为一个输出。clean：按公开表模板重新排版的规范工作簿（数字为数值、标签去空格、编码为类/款/项、金额为万元）。"
            "所有改动可用 --changes 逐个单元格列出。"
        ),
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="工作簿、PDF 或 Word 公开文件，或文件夹（递归）")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件；clean 模式且有多个输入时为文件夹")
    p.add_argument("--format", choices=FORMATS, default=None, help="tidy 输出格式（默认按 OUT 的扩展名，否则 xlsx）；clean 只输出 xlsx")
    p.add_argument("--mode", choices=("tidy", "clean"), default="tidy", help="tidy 长表数据（默认）或 clean 规范工作簿")
    p.add_argument("--changes", metavar="FILE", help="把导出所做的每处改动写入此文件（.csv 或 .xlsx）")
    add_profile(p)
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    return refuse(message, command="gongkai export")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "xlsx"


def run(args: argparse.Namespace) -> int:
    from ..pipeline import expand, load_book
    from ..read import ReadError
    from ..write.export import (
        ExportError,
        changes_frame,
        tidy_frame,
        tidy_records,
        write_clean,
        write_frame,
    )

    profile = load_profile(args)
    inputs = list(expand(args.paths))
    if not inputs:
        return _fail("没有找到工作簿或公开文件（.xlsx .xlsm .xls .ods .pdf .docx）")
    fmt = _format(args)
    if args.mode == "clean" and fmt != "xlsx":
        return _fail("clean 模式只能输出 xlsx 工作簿；要导出 csv 或 parquet 请用 --mode tidy")
    output = Path(args.output)
    many_clean = args.mode == "clean" and len(inputs) > 1
    targets = [output / f"{p.stem}.xlsx" for p in inputs] if many_clean else [output]
    if many_clean and len({t.name for t in targets}) < len(targets):
        return _fail("有多个输入文件同名，clean 输出会互相覆盖；请分批导出")
    if args.changes:
        targets.append(Path(args.changes))
    from ._common import output_problem

    if not many_clean and (problem := output_problem(output, inputs)):
        return _fail(problem)
    for target in targets:
        problem = output_problem(target, inputs)
        if problem:
            return _fail(problem)
    if args.changes and Path(args.changes).suffix.lower() not in (".csv", ".xlsx"):
        return _fail("--changes 文件的扩展名应为 .csv 或 .xlsx")

    records: list[dict[str, Any]] = []
    changed: list[tuple[str, Any]] = []
    status = 0
    written = 0
    for i, path in enumerate(inputs):
        try:
            book = load_book(path, profile)
        except ReadError as exc:
            print(f"{path}：无法读取：{exc}", file=sys.stderr)
            status = 2
            continue
        if not book.tables:
            print(f"{path}：没有识别出可导出的公开表", file=sys.stderr)
            status = 2
            continue
        name = str(path)
        if args.mode == "clean":
            changes = write_clean(book, targets[i])
            written += 1
            print(f"{path} → {targets[i]}：{len(book.tables)} 张表，{len(changes)} 处改动")
        else:
            from ..write.clean import clean_book

            records += tidy_records(book, name)
            # tidy amounts stay exact: only the clean workbook rounds to 0.01 万元
            changes = [c for ct in clean_book(book) for c in ct.changes if c.kind != "rounded"]
        changed += [(name, c) for c in changes]
    try:
        if args.mode == "tidy" and records:
            write_frame(tidy_frame(records), output, fmt)  # type: ignore[arg-type]
            print(f"{len(records)} 行 → {output}")
        if args.changes:
            log = Path(args.changes)
            write_frame(changes_frame(changed), log, "csv" if log.suffix.lower() == ".csv" else "xlsx", sheet="改动")
            print(f"{len(changed)} 处改动 → {log}")
    except ExportError as exc:
        return _fail(str(exc))
    if (args.mode == "tidy" and not records) or (args.mode == "clean" and not written):
        return 2
    return status
