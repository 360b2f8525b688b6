"""`gongkai check PATH...`: check workbooks (folders recurse) and report every finding, in parallel for batches.

Exit codes: 0 no errors; 1 errors found; 2 a file could not be read (the others are still checked and reported),
or bad usage (an unknown rule in --select/--ignore, an output that is a folder or an input).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import add_profile, load_profile, refuse

if TYPE_CHECKING:
    from ..pipeline import FileResult
    from ..report.stream import Rendered, Writer

FORMATS = ("table", "json", "csv", "html", "xlsx")


def add(sub: Any) -> None:
    p = sub.add_parser(
        "check", help="勾稽校验：找出每个有问题的单元格",
        description="校验工作簿（文件夹递归）中的公开表：表内与表间勾稽关系、数据规范和绩效指标，并指出有问题的单元格。",
        epilog="退出码：0 无错误；1 发现错误；2 有文件无法读取（其余文件照常检查和报告）。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="工作簿、PDF 或 Word 公开文件，或文件夹（递归查找 .xlsx .xlsm .xls .ods .pdf .docx）")
    p.add_argument("--format", choices=FORMATS, default="table", help="报告格式（默认 table：中文摘要）；xlsx 需要 --output")
    p.add_argument("-o", "--output", metavar="FILE", help="把报告写入文件而不是屏幕（不能是被检查的工作簿）")
    add_profile(p)
    p.add_argument("--select", metavar="ID,...", help="只运行这些规则（编号或前缀，如 S1,X201）")
    p.add_argument("--ignore", metavar="ID,...", help="不运行这些规则（编号或前缀）")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认：全部 CPU 核）")
    p.add_argument("--annotate-dir", metavar="DIR", help="为有错误的工作簿在此文件夹写出标注副本（原文件不动）")
    p.add_argument("-q", "--quiet", action="store_true", help="只列出未通过（有错误或无法读取）的文件；不显示进度条")
    p.add_argument("--show-notes", action="store_true", help="也列出提示（舍位误差等）；默认只计数不列出")
    p.add_argument(
        "--min-severity", choices=tuple(LEVELS), default=None,
        help="列出的最低级别：错误 error、警告 warning（默认）、提示 note",
    )
    p.add_argument(
        "--text", metavar="说明文件",
        help="与工作簿一起核对的说明文字（.txt 或 .docx）：文中每个金额、占比、增减与表中数字核对（PDF/Word 文件自带说明，不需要此项）",
    )
    p.add_argument(
        "--previous", metavar="上年文件",
        help="同一部门上一年的文件（PDF、Word 或工作簿）：核对说明中每一处“比上年”的增减；写 auto 则在所给文件中按部门和年度自动配对",
    )
    p.set_defaults(run=run, releases_gc=True)


LEVELS = {"error": "error", "warning": "warning", "note": "note", "错误": "error", "警告": "warning", "提示": "note"}


def _ids(text: str | None) -> tuple[str, ...]:
    return tuple(s.strip().upper() for s in (text or "").split(",") if s.strip())


def _progress_wanted(args: argparse.Namespace) -> bool:
    if args.quiet or os.environ.get("CI") or os.environ.get("GONGKAI_NO_PROGRESS"):
        return False
    return sys.stderr.isatty()


def shown_severity(args: argparse.Namespace) -> Any:
    """The lowest severity listed: notes only with --show-notes or --min-severity note."""
    from ..core.findings import Severity

    if getattr(args, "min_severity", None):
        return Severity(LEVELS[args.min_severity])
    return Severity.NOTE if getattr(args, "show_notes", False) else Severity.WARNING


def selection_problem(select: tuple[str, ...] | None, ignore: tuple[str, ...], profile: Any = None) -> str | None:
    """Why a rule selection is unusable (Chinese), or None: an id or prefix that matches no rule, or nothing left."""
    from .. import checks

    for prefix in (*(select or ()), *ignore):
        if not any(rid.startswith(prefix) for rid in checks.RULES):
            return f"没有编号以 {prefix} 开头的规则（用 gongkai rules 查看全部规则）"
    left = [
        rid for rid in checks.RULES
        if (select is None or rid.startswith(select)) and not (ignore and rid.startswith(ignore))
        and (profile is None or profile.enabled(rid))
    ]
    if not left:
        return "按 --select/--ignore 和配置，没有要运行的规则"
    return None


def own_output(path: Path) -> str | None:
    """What gongkai wrote this workbook as ("标注副本", "校验报告"), from its document property; None for a user's file."""
    import re
    import zipfile

    try:
        if not _may_name(path, b"docProps/custom.xml"):
            return None
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return None
            xml = zf.read("docProps/custom.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    # lxml (when installed) writes the namespace on the value: <vt:lpwstr xmlns:vt="...">
    m = re.search(r'<property[^>]*name="gongkai"[^>]*>\s*<vt:lpwstr[^>]*>([a-z]+)</vt:lpwstr>', xml)
    return {"annotated": "标注副本", "report": "校验报告"}.get(m.group(1)) if m else None


def _may_name(path: Path, name: bytes) -> bool:
    """Whether a zip's central directory may hold ``name``: False only when it surely does not. Reads the end of the
    file as zipfile does, without building its entries (a folder of 5,000 workbooks is looked through before the
    batch starts, in the parent: about a sixth of the time zipfile takes per file). OSError when unreadable."""
    import struct

    with open(path, "rb") as f:
        size = f.seek(0, 2)
        start = max(0, size - (65536 + 22))
        f.seek(start)
        tail = f.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            return True  # not the end of a zip: zipfile says what it is
        (directory,) = struct.unpack_from("<I", tail, end + 12)
        first = start + end - directory  # the central directory ends where its end record starts
        if directory == 0xFFFFFFFF or first < 0:
            return True  # a zip64 or an odd one
        if first >= start:
            return name in tail[first - start : end]
        f.seek(first)
        return name in f.read(directory)


def inputs(args: argparse.Namespace) -> list[Path]:
    """The files to check: those named, and those found under folders named, less gongkai's own outputs found in
    folders (annotated copies and reports, each skipped with a line saying so; a file named directly is checked)."""
    from ..pipeline import expand

    named = {Path(p) for p in args.paths if not Path(p).is_dir()}
    out = []
    for path in expand(args.paths):
        kind = None if path in named else own_output(path)
        if kind:
            print(f"跳过 gongkai 生成的{kind}：{path}", file=sys.stderr)
            continue
        out.append(path)
    return out


def _usage_problem(args: argparse.Namespace) -> str | None:
    if args.format == "xlsx" and not args.output:
        return "--format xlsx 需要 --output 文件名"
    if args.jobs is not None and args.jobs < 1:
        return "--jobs 至少为 1"
    return None


def run(args: argparse.Namespace) -> int:
    from ..batch import Job
    from ..pool import check_many
    from ..report.stream import RENDERED_FORMATS, InOrder, Render, Totals
    from ._common import colour_wanted, console_encodes, refuse_output, release_gc, terminal_width

    problem = _usage_problem(args)
    if problem:
        return refuse(problem)
    profile = load_profile(args)
    select, ignore = _ids(args.select) or None, _ids(args.ignore)
    problem = selection_problem(select, ignore, profile)
    if problem:
        return refuse(problem)
    if getattr(args, "text", None) or getattr(args, "previous", None):
        from ._narrative import run_narrative

        release_gc()
        return run_narrative(args, profile, select, ignore, shown_severity(args), own_output)
    paths = inputs(args)
    if not paths:
        return refuse("没有找到工作簿或公开文件（.xlsx .xlsm .xls .ods .pdf .docx）")
    if refuse_output(args.output, paths):
        return 2
    if args.annotate_dir and Path(args.annotate_dir).exists() and not Path(args.annotate_dir).is_dir():
        return refuse(f"--annotate-dir {args.annotate_dir} 是文件，应为文件夹")
    shown = shown_severity(args)
    stream = args.format == "table" and not args.output
    plain = not console_encodes("✓✗")
    annotated: list[tuple[int, str, str | None, str | None]] = []
    # each file's report text is rendered where it is checked (in a worker), the parent only writes it
    if stream:  # the table printed as files finish, fitted to this terminal
        how: Render | None = Render("print", shown, args.quiet, terminal_width(), colour_wanted(), plain)
    else:
        how = Render(args.format, shown, args.quiet) if args.format in RENDERED_FORMATS else None
    release_gc()  # the imports are done (`cli.main`)
    outcomes = check_many(paths, Job(profile, select, ignore, how), jobs=args.jobs, annotate_dir=args.annotate_dir)
    totals = Totals()
    with _Progress(len(paths), _progress_wanted(args)) as progress, _report(args, shown, stream) as writer:
        sends: list[Any] = [totals.add, writer.add]
        if stream:
            sends.append(progress.print_block)
        in_order = InOrder(*sends)  # the report is written as the results come, in input order
        for outcome in outcomes:
            if outcome.annotated or outcome.annotate_error:
                annotated.append((outcome.index, outcome.result.path, outcome.annotated, outcome.annotate_error))
            in_order.add(outcome.index, outcome.result)
            progress.advance(outcome.result)
        writer.close(totals)
    if stream:
        sys.stdout.write("\n".join([*([] if args.quiet else [totals.total_text()]), totals.failing_text()]) + "\n")
    elif args.output:
        print(f"报告已写入 {args.output}", file=sys.stderr)
    for _, path, copy, error in sorted(annotated):
        if copy:
            print(f"已写出标注副本：{copy}", file=sys.stderr)
        else:
            print(f"未能标注 {path}：{error}", file=sys.stderr)
    return totals.exit_code()


@contextlib.contextmanager
def _report(args: argparse.Namespace, shown: Any, streamed: bool) -> Iterator[Writer]:
    """The writer of the report, open on stdout or on the output file (written atomically, kept only when the
    batch finishes); nothing for the table printed as files finish (`run` prints it)."""
    from ..report.stream import Discarded, open_writer

    if streamed:
        yield Discarded()
        return
    if args.format == "xlsx":
        from ..report.xlsx_report import XlsxWriter

        xlsx = XlsxWriter(args.output, shown)  # saved atomically by its close(totals)
        try:
            yield xlsx
        except BaseException:
            xlsx.discard()
            raise
        return
    if not args.output:
        yield open_writer(args.format, sys.stdout, shown, quiet=args.quiet)
        return
    from ..write.atomic import atomic_path

    with atomic_path(args.output) as tmp, open(tmp, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8") as out:
        writer = open_writer(args.format, out, shown, quiet=args.quiet)
        try:
            yield writer
        except BaseException:
            discard = getattr(writer, "discard", None)
            if discard:
                discard()
            raise


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

    def print_block(self, r: Rendered) -> None:
        """A file's block of the table (nothing for a file that passed, with --quiet)."""
        if r.text:
            self.print(r.text)

    def advance(self, result: FileResult | Rendered) -> None:
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
