"""`gongkai fill LINE_ITEMS -o OUT.xlsx [--template T] [--force]`: every budget table from one list of lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add(sub: Any) -> None:
    p = sub.add_parser(
        "fill", help="由预算明细（每行一条预算）生成全部预算公开表",
        description="读取预算明细（xlsx：预算明细/项目绩效/整体绩效/政府采购 工作表；或 CSV），计算全部预算公开表"
        "（元→万元逐行舍位），写入模板，合计/小计保留为公式。输入有问题时列出全部问题（含行号），不写文件。",
    )
    p.add_argument("line_items", metavar="LINE_ITEMS", help="预算明细文件（.xlsx 或 .csv）")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", required=True, help="输出工作簿")
    p.add_argument("--template", metavar="T", help="只填写该模板中包含的表（默认：预算全套）")
    p.add_argument("--department", metavar="NAME", help="部门名称（默认取自整体绩效表或输入文件名）")
    p.add_argument("--money-unit", choices=("万元", "元"), default="万元", help="金额单位（默认 万元）")
    p.add_argument("--force", action="store_true", help="输入有问题时仍然生成（跳过有问题的行）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..fill.compose_budget import compose_book
    from ..fill.lineitems import load
    from ..fill.template import filled
    from ..read import ReadError
    from ..write.workbook import write_template

    source = Path(args.line_items)
    inputs = [source, *([Path(args.template)] if args.template else [])]
    from ._common import refuse, refuse_output

    if refuse_output(args.output, inputs, "gongkai fill"):
        return 2
    try:
        items, problems = load(source)
    except ReadError as exc:
        return refuse(f"{source}：{exc}")
    if problems:
        print(f"{source}：发现 {len(problems)} 个问题：", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        if not args.force:
            print("未生成文件（修正后重试，或加 --force 跳过有问题的行）。", file=sys.stderr)
            return 1
    if not items.lines:
        return refuse("没有可用的预算明细行", 1)
    tables = None
    if args.template:
        try:
            tables = _template_tables(Path(args.template))
        except ReadError as exc:
            return refuse(f"模板 {args.template}：{exc}")
        if not tables:
            return refuse(f"模板 {args.template} 中没有预算公开表")
    department = args.department or items.department or source.stem
    book = compose_book(items, department=department, money_unit=args.money_unit, totals="summed")
    out = write_template(filled(book, tables), args.output)
    print(f"已生成 {out}：{len(tables or book.tables)} 张表，{len(items.lines)} 条预算明细")
    return 1 if problems else 0


def _template_tables(path: Path) -> list[str]:
    """The budget tables a template holds, recognised by title and headers like any workbook."""
    from ..pipeline import load_book

    return [t.id for t in load_book(path).tables if t.id.startswith("budget.")]
