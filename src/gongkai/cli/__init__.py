"""The `gongkai` command: argparse subcommands, one module each; heavy libraries are imported only when used.

Exit codes: 0 no errors; 1 errors found; 2 bad usage, a file that could not be read or written, an internal error
or a broken pipe (never 0 or 1, which would say something about the workbooks).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import types
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ._common import Parser, hold_gc, release_gc, setup_console

COMMANDS = ("tables", "check", "annotate", "rules", "template", "fill", "export", "text")
"""Subcommand modules in this package; each has ``add(subparsers)`` and ``run(args) -> int``."""


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or, given one of `COMMANDS`, the main parser with that subcommand alone: what
    running it needs (the other command modules are neither imported nor built; their names appear nowhere in
    what the main parser prints, its usage saying only 命令)."""
    p = Parser(
        prog="gongkai",
        description="部门预算/决算公开表：识别、勾稽校验、填表与导出。",
        epilog="退出码：0 无错误；1 发现错误；2 用法错误、有文件无法读取或写入、程序内部错误。"
        "各命令的用法：gongkai 命令 -h（如 gongkai check -h）。使用说明见 docs/使用说明.md。",
    )
    p.add_argument("--version", action="version", version=f"gongkai {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    for name in COMMANDS if command is None else (command,):
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command still being written in this checkout
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.add(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        return _main(argv)
    finally:
        release_gc()


def _main(argv: Sequence[str] | None) -> int:
    if argv is None:  # this process's own command line (not a caller's list): its start-up is ours to shorten
        hold_gc()
        # No pydantic plugins in the command line: pydantic looks for them in every installed package's metadata
        # (importlib.metadata's entry points) when it builds its first model; measured (callgrind, a cold `gongkai
        # check` of one workbook): 1.5 % of the instructions, ~4 ms. A caller's own setting is kept.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        _no_plugin_loader()
    setup_console()
    argv = list(sys.argv[1:] if argv is None else argv)
    p = parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = p.parse_args(argv)
    if not getattr(args, "command", None):
        p.print_help()
        return 2
    if not getattr(args, "releases_gc", False):  # `check` releases it itself, after its imports
        release_gc()
    try:
        code = int(args.run(args))
        sys.stdout.flush()
        return code
    except SystemExit as exc:  # a subcommand's usage error (e.g. an output that is a folder)
        return exc.code if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`| head`): the result is unknown to it
        _silence_stdout()
        return 2
    except OSError as exc:
        where = f"{exc.filename}：" if exc.filename else ""
        print(f"gongkai：无法读写文件：{where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug must not show a traceback to a clerk, nor pass as "no errors"
        print(f"gongkai：程序内部错误（请报告此问题）：{type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        return 2


PLUGINS_OFF = ("__all__", "1", "true")
"""The values of PYDANTIC_DISABLE_PLUGINS with which pydantic's `get_plugins` returns no plugins."""


class _NoPlugins(types.ModuleType):
    """pydantic's plugin loader when every plugin is disabled: `get_plugins` returns none, as the real one would;
    any other name is looked up in the real module (imported then)."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of every module (__path__, …)
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _no_plugin_loader() -> None:
    """With every pydantic plugin disabled, pydantic still imports its plugin loader when it builds its first model,
    and the loader imports importlib.metadata (with email, socket, …) only to find that plugins are off. Stand in
    for the loader with its answer. Measured (callgrind, a cold `gongkai check` of one workbook): 3.4 % of the
    instructions (~10 ms) besides the 1.5 % of the variable alone."""
    name = "pydantic.plugin._loader"
    if name not in sys.modules and os.environ.get("PYDANTIC_DISABLE_PLUGINS") in PLUGINS_OFF:
        sys.modules[name] = _NoPlugins(name)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not raise BrokenPipeError again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
