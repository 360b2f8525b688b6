"""`gongkai check PATH...`: check workbooks (folders recurse) and report every finding, in parallel for batches.

Exit codes: 0 no errors; 1 errors found; 2 a file could not be read (the others are still checked and reported).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import add_profile, load_profile

if TYPE_CHECKING:
    from ..batch import Outcome
    from ..pipeline import FileResult

FORMATS = ("table", "json", "csv", "html", "xlsx")


def add(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="勾稽校验：找出每个有问题的单元格",
        description="校验工作簿（文件夹递归）中的公开表：表内与表间勾稽关系、数据规范和绩效指标，并指出有问题的单元格。",
        epilog="退出码：0 无错误；1 发现错误；2 有文件无法读取（其余文件照常检查和报告）。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="工作簿文件或文件夹（递归查找 .xlsx .xlsm .xls .ods）")
    p.add_argument("--format", choices=FORMATS, default="table", help="报告格式（默认 table：中文摘要）；xlsx 需要 --output")
    p.add_argument("-o", "--output", metavar="FILE", help="把报告写入文件而不是屏幕")
    add_profile(p)
    p.add_argument("--select", metavar="ID,...", help="只运行这些规则（编号或前缀，如 S1,X201）")
    p.add_argument("--ignore", metavar="ID,...", help="不运行这些规则（编号或前缀）")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认：全部 CPU 核）")
    p.add_argument("--annotate-dir", metavar="DIR", help="为有错误的工作簿在此文件夹写出标注副本（原文件不动）")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度条；table 格式只列出有问题的文件")
    p.set_defaults(run=run)


def _ids(text: str | None) -> tuple[str, ...]:
    return tuple(s.strip().upper() for s in (text or "").split(",") if s.strip())


def _progress_wanted(args: argparse.Namespace) -> bool:
    if args.quiet or os.environ.get("CI") or os.environ.get("GONGKAI_NO_PROGRESS"):
        return False
    return sys.stderr.isatty()


def run(args: argparse.Namespace) -> int:
    from ..batch import Job, check_many
    from ..pipeline import expand

    if args.format == "xlsx" and not args.output:
        print("gongkai: --format xlsx 需要 --output 文件名", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("gongkai: --jobs 至少为 1", file=sys.stderr)
        return 2
    profile = load_profile(args)
    select, ignore = _ids(args.select) or None, _ids(args.ignore)
    _warn_unknown(select or (), ignore)
    paths = list(expand(args.paths))
    if not paths:
        print("gongkai: 没有找到工作簿文件（.xlsx .xlsm .xls .ods）", file=sys.stderr)
        return 2
    job = Job(profile, select, ignore)
    stream = args.format == "table" and not args.output
    results: list[FileResult | None] = [None] * len(paths)
    annotated: list[Outcome] = []
    outcomes = check_many(paths, job, jobs=args.jobs, annotate_dir=args.annotate_dir)
    with _Progress(len(paths), _progress_wanted(args)) as progress:
        for outcome in outcomes:
            results[outcome.index] = outcome.result
            if outcome.annotated or outcome.annotate_error:
                annotated.append(outcome)
            if stream and (not args.quiet or outcome.result.findings or outcome.result.status != "ok"):
                from ..report.formats import file_text

                progress.print(file_text(outcome.result))
            progress.advance(outcome.result)
    done = [r for r in results if r is not None]
    _write(args, done, stream)
    for o in sorted(annotated, key=lambda o: o.index):
        if o.annotated:
            print(f"已写出标注副本：{o.annotated}", file=sys.stderr)
        else:
            print(f"未能标注 {o.result.path}：{o.annotate_error}", file=sys.stderr)
    if any(r.status != "ok" for r in done):
        return 2
    return 1 if any(r.errors for r in done) else 0


def _write(args: argparse.Namespace, results: list[FileResult], streamed: bool) -> None:
    from ..report import formats as report
    from ._common import dump_json, emit

    fmt = args.format
    if fmt == "table":
        if streamed:
            sys.stdout.write(report.total_text(results) + "\n")
        else:
            emit(report.to_text(results), args.output)
    elif fmt == "json":
        emit(dump_json(report.to_json(results)), args.output)
    elif fmt == "html":
        emit(report.to_html(results), args.output)
    elif fmt == "csv":
        text = report.to_csv(results)
        if args.output:
            from ..write.workbook import atomic_path

            with atomic_path(args.output) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8-sig")
        else:
            sys.stdout.write(text + "\n")
    else:
        from ..report.xlsx_report import write_xlsx

        write_xlsx(results, args.output)
    if args.output:
        print(f"报告已写入 {args.output}", file=sys.stderr)


def _warn_unknown(select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    from .. import checks

    for prefix in (*select, *ignore):
        if not any(rid.startswith(prefix) for rid in checks.RULES):
            print(f"gongkai: 提示：没有以 {prefix} 开头的规则", file=sys.stderr)


class _Progress:
    """A rich progress bar on stderr (only when wanted); printing goes above the bar. Refreshed by hand, no thread."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.bar: Any = None
        self.task: Any = None
        self.failing = self.unreadable = 0
        self.last = 0.0

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("校验中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.fields[status]}"), console=Console(stderr=True), auto_refresh=False, transient=True,
                redirect_stdout=False, redirect_stderr=False,
            )
            self.bar.start()
            self.task = self.bar.add_task("check", total=self.total, status="")
        return self

    def print(self, text: str) -> None:
        if self.bar is not None and sys.stdout.isatty():  # same terminal: print above the bar
            self.bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stdout.write(text + "\n")

    def advance(self, result: FileResult) -> None:
        import time

        self.failing += bool(result.errors)
        self.unreadable += result.status != "ok"
        if self.bar is None:
            return
        status = f"有错误 {self.failing} · 无法读取 {self.unreadable}"
        self.bar.update(self.task, advance=1, status=status)
        now = time.monotonic()
        if now - self.last > 0.1:
            self.bar.refresh()
            self.last = now

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
