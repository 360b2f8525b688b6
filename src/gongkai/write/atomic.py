"""Atomic writes: every output goes to a temporary file beside its target and is renamed into place, so a crash
never leaves a half-written file (the standard library only: a JSON or CSV report needs nothing of openpyxl)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OverwriteError(Exception):
    """The target is an input, or exists and overwriting was not asked for."""


@contextmanager
def atomic_path(target: str | Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` only if the block succeeds."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise OverwriteError(f"{target} 已存在，未覆盖")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _copy_mode(tmp_path, target)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _copy_mode(tmp: Path, target: Path) -> None:
    """Give the new file the permissions of the file it replaces, or a new file's usual ones (mkstemp makes 0600)."""
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except OSError:
        pass  # permissions are a courtesy; the data is what must arrive
