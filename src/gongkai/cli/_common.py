"""Helpers the subcommands share: printing, output files, profile loading."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(cols - width(text), 0)


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain aligned text table (no dependency; fine in any terminal and in logs)."""
    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(str(h), c) for h, c in zip(header, cols, strict=True)).rstrip()]
    lines.append("  ".join("-" * c for c in cols))
    lines += ["  ".join(pad(str(v), c) for v, c in zip(r, cols, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def refuse(message: str, code: int = 2, command: str = "gongkai") -> int:
    """Say on stderr, in Chinese, why a command does not go on (``gongkai：…``, ``gongkai export：…``); the exit code
    to return."""
    print(f"{command}：{message}", file=sys.stderr)
    return code


def dump_json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to ``output`` (exit 2 with a Chinese message when it cannot be a file)."""
    if output:
        from ..write.atomic import atomic_path

        problem = output_problem(output)
        if problem:
            raise SystemExit(refuse(problem))

        with atomic_path(output) as tmp:
            Path(tmp).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def add_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME|FILE", default=None, help="配置：内置名称（default、sichuan）或 .toml 文件")


def load_profile(args: argparse.Namespace) -> Any:
    from ..core.profile import ProfileError, load

    try:
        return load(args.profile)
    except ProfileError as exc:
        raise SystemExit(refuse(str(exc))) from None


# --- start-up ---------------------------------------------------------------------------------------------

_gc_held = False
YOUNG_GC_THRESHOLD = 20_000
"""Allocations (less deallocations) between two collections of the youngest generation in a command-line process
(Python's default: 700). A check's objects are freed by reference counting; the collector only walks the workbook
being checked again and again while it is built: measured over 60 typical workbooks, 7 ms of a 55 ms check at
700, 0.1 ms at 20,000, peak RSS 44 -> 46 MiB."""


def hold_gc() -> None:
    """No cyclic garbage collection while a command-line process starts (`release_gc` ends it): its imports make
    objects that live as long as the process, which the collector would walk again and again."""
    global _gc_held
    if gc.isenabled():
        gc.disable()
        _gc_held = True


def release_gc() -> None:
    """The imports done: the objects they made are frozen (never walked again: neither by the collections of a long
    batch, nor at exit, nor copied page by page into forked workers) and collection resumes, the youngest generation
    collected every YOUNG_GC_THRESHOLD allocations (the workers inherit both). Measured (callgrind, a cold `gongkai
    check` of one workbook): the freezing, 5 % fewer instructions, ~15 ms. Does nothing unless `hold_gc` held it."""
    global _gc_held
    if _gc_held:
        _gc_held = False
        gc.freeze()
        gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()


# --- argparse in Chinese --------------------------------------------------------------------------------

_ERRORS = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1：无效的选择 \2（可选：\3）"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"参数 \1：\3 不是有效的值（应为 \2）"),
    (r"argument (.*?): expected one argument", r"参数 \1：需要一个值"),
    (r"argument (.*?): expected at least one argument", r"参数 \1：至少需要一个值"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (.*?): ignored explicit argument (.*)", r"参数 \1：多余的值 \2"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 不明确，可能是：\2"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"无效的选择 \1（可选：\2）"),
)


def chinese_error(message: str) -> str:
    """argparse's English error messages in Chinese (the option names stay as typed)."""
    for pattern, replacement in _ERRORS:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese: 用法, 位置参数, 选项, and translated error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_error(message)}\n")


# --- the console: encodings, width, colour -------------------------------------------------------------


def console_encodes(text: str, stream: Any = None) -> bool:
    """Whether the stream's encoding can hold ``text`` (a GBK console cannot hold ✓ or ✗)."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def setup_console() -> None:
    """Never die on a character the console cannot show: replace it (the marks have word fallbacks)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def terminal_width(stream: Any = None) -> int | None:
    """Columns to fit: the terminal's on a tty, or $COLUMNS when set; None (no wrapping) for a file or a pipe."""
    stream = stream or sys.stdout
    if os.environ.get("COLUMNS", "").isdigit():
        return max(int(os.environ["COLUMNS"]), 40)
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 40)
    except (AttributeError, OSError, ValueError):
        pass
    return None


def colour_wanted(stream: Any = None) -> bool:
    """Colour only on a terminal, and never with $NO_COLOR set (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --- output files ---------------------------------------------------------------------------------------


def output_problem(target: str | Path, inputs: Sequence[str | Path] = ()) -> str | None:
    """Why ``target`` cannot be an output file (Chinese), or None: a folder, under a file, or one of the inputs."""
    path = Path(target)
    if path.is_dir():
        return f"输出 {target} 是文件夹；请给出文件名（如 {path / ('报告' + (path.suffix or '.xlsx'))}）"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"输出 {target} 的上级 {parent} 是文件，不是文件夹"
            break
    for source in inputs:
        source = Path(source)
        try:
            same = path.exists() and source.exists() and path.samefile(source)
        except OSError:
            same = False
        if same or path.resolve() == source.resolve():
            return f"输出文件 {target} 就是输入文件 {source}，不会覆盖输入；请换一个输出文件名"
    return None


def refuse_output(target: str | Path | None, inputs: Sequence[str | Path] = (), command: str = "gongkai") -> bool:
    """Print why ``target`` cannot be written (and return True), or return False when it is fine or not given."""
    if not target:
        return False
    problem = output_problem(target, inputs)
    if problem:
        refuse(problem, command=command)
        return True
    return False
