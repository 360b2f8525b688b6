"""Checking many files, the part that is the same in a worker and in this process: one file's Job and Outcome
(`process`), files checked here with a timer (`in_process`), and how a batch is cut into chunks (`strided`).
`pool.check_many` runs a batch, here or over worker processes.

Files go to the workers in chunks (≥ 16, `shared/design/xlsx-io-measured.md`: smaller chunks drown a 5 ms
check in IPC; smaller only at the very end, so the workers finish together); each result comes back as soon as its file is done, over a pipe per worker, so a worker that crashes or
is killed loses nothing already sent. The parent watches every worker: one that dies (a crash in a native reader,
the OOM killer) or spends longer than the profile's ``max_seconds_per_file`` on one file is replaced, that file
is reported as unreadable with a Chinese message, and the rest of its chunk goes back into the queue.
Small batches (or ``jobs=1``) run in this process, with a timer for the time limit. Never prints.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .core.profile import Profile
from .pipeline import FileResult, check_file
from .report.stream import Render, Rendered, render

CHUNK_MIN, CHUNK_MAX = 16, 64
IN_PROCESS_BELOW = 32
"""Batches smaller than this are checked in this process: forking workers would cost more than it saves."""
POLL_SECONDS = 0.2

Item = tuple[int, str, str | None]
"""(index in the batch, path, where to write an annotated copy if the file has errors)."""


# Plain classes, not dataclasses: a dataclass compiles its methods when its module is imported (0.6-1 ms each),
# which every cold `gongkai check` pays.


class Job(NamedTuple):
    """What every file gets: the profile and rule selection, and whether failing files are annotated."""

    profile: Profile = Profile()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    render: Render | None = None
    """Send each file's report text (`report.stream.render`) instead of its result: the parent of a batch then only
    writes it, leaving the cores to the workers (a result's unpickling and JSON encoding cost it ~3 ms a file)."""


class Outcome:
    """One file's result, with its place in the batch and the annotated copy written for it (if any)."""

    __slots__ = ("annotate_error", "annotated", "index", "result")

    def __init__(
        self, index: int, result: FileResult | Rendered, annotated: str | None = None, annotate_error: str | None = None,
    ) -> None:
        self.index = index
        self.result = result
        """The result, or, when the job says how (`Job.render`), its report text and counts."""
        self.annotated = annotated
        self.annotate_error = annotate_error


class Stats:
    """What the last batch cost: workers used and their peak resident memory (KiB, from getrusage)."""

    def __init__(self) -> None:
        self.workers = 0
        self.peak_rss_kib: list[int] = []


class _Timeout(Exception):
    pass


def timeout_message(seconds: float) -> str:
    return f"检查超时：超过 {seconds:g} 秒仍未完成，已跳过（文件可能过大或结构异常）"


CRASH_MESSAGE = "检查此文件时进程意外退出（文件可能损坏或过大），已跳过"


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def annotate_targets(paths: Sequence[Path], folder: Path) -> list[str]:
    """Where each file's annotated copy goes: its path relative to the inputs' common folder, under ``folder``."""
    resolved = [p.resolve() for p in paths]
    root = Path(os.path.commonpath([p.parent for p in resolved])) if resolved else Path()
    out: list[str] = []
    taken: set[Path] = set()
    for p in resolved:
        target = folder / p.relative_to(root).with_suffix(".xlsx")
        n = 2
        while target in taken:
            target = target.with_name(f"{p.stem}({n}).xlsx")
            n += 1
        taken.add(target)
        out.append(str(target))
    return out


def process(item: Item, job: Job) -> Outcome:
    """Check one file (and annotate it if it has errors and a target is given). Never raises."""
    index, path, target = item
    try:
        result = check_file(path, job.profile, job.select, job.ignore)
    except _Timeout:
        raise
    except Exception as exc:  # a rule's bug must not stop the batch
        result = FileResult(path=path, status="unreadable", error=f"检查时出错（程序缺陷，请报告）：{type(exc).__name__}: {exc}")
    outcome = Outcome(index, result)
    if target and result.errors:
        from .write.annotate import MarkError, annotate

        try:
            outcome.annotated = str(annotate(path, result.findings, target))
        except MarkError as exc:
            outcome.annotate_error = str(exc)
        except Exception as exc:
            outcome.annotate_error = f"标注失败：{type(exc).__name__}: {exc}"
    if job.render is not None:
        outcome.result = render(result, job.render)
    return outcome


def unreadable(item: Item, message: str, job: Job, seconds: float = 0.0) -> Outcome:
    """The Outcome of a file that could not be checked (a crash, the time limit), with its Chinese message."""
    result = FileResult(path=item[1], status="unreadable", error=message, seconds=seconds)
    return Outcome(item[0], result if job.render is None else render(result, job.render))


TAIL_CHUNK_MIN = 2
"""The smallest chunk, at the very end of a batch."""


def strided(items: Sequence[Item], size: int, jobs: int) -> list[list[Item]]:
    """Chunks of ``size`` items, the items of each run of ``size * jobs`` dealt round-robin over ``jobs`` chunks:
    the workers move through the batch side by side, so results come back nearly in input order and the report,
    written in input order, holds only a few that arrive early (a chunk each would hold a chunk's worth). Toward
    the end the chunks get smaller, a quarter of what is left per worker (down to TAIL_CHUNK_MIN): each worker
    holds at most two chunks, so when nothing is left to deal, the workers finish together instead of one waiting
    through the other's last two full chunks."""
    chunks: list[list[Item]] = []
    start = 0
    while start < len(items):
        n = max(TAIL_CHUNK_MIN, min(size, (len(items) - start) // (jobs * 4)))
        block = n * jobs
        chunks += [list(items[start + w : start + block : jobs]) for w in range(jobs)]
        start += block
    return [c for c in chunks if c]


# --- in this process -------------------------------------------------------------------------------------


def in_process(items: Sequence[Item], job: Job) -> Iterator[Outcome]:
    """Check the items one after another in this process, each within the profile's time limit where a timer can
    enforce it (the main thread, with setitimer)."""
    limit = job.profile.max_seconds_per_file
    timed = limit > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    for item in items:
        if not timed:
            yield process(item, job)
            continue
        start = time.perf_counter()
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            outcome = process(item, job)
        except _Timeout:
            outcome = unreadable(item, timeout_message(limit), job, time.perf_counter() - start)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        yield outcome


def _raise_timeout(signum: int, frame: Any) -> None:
    raise _Timeout
