"""`check_many`: a batch of files checked in this process or by worker processes. Each worker gets chunks of files
over a pipe and sends one Outcome per file as soon as it is done; the parent replaces a worker that dies or
overruns the time limit (`batch` says how)."""

from __future__ import annotations

import contextlib
import signal
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import (
    CHUNK_MAX,
    CHUNK_MIN,
    CRASH_MESSAGE,
    IN_PROCESS_BELOW,
    POLL_SECONDS,
    Item,
    Job,
    Outcome,
    Stats,
    annotate_targets,
    default_jobs,
    in_process,
    process,
    strided,
    timeout_message,
    unreadable,
)


def _work(conn: Any, job: Job, inherited: Sequence[Any] = ()) -> None:
    """Worker loop: receive chunks, send one Outcome per file, then the peak RSS when told to stop. ``inherited``:
    the parent's ends of the pipes, which a forked worker holds too; closed, so that a worker whose parent is gone
    (killed) finds its pipe closed and ends, instead of waiting forever on a pipe it holds open itself."""
    import resource

    for c in inherited:
        c.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            conn.send(("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
            return
        for item in chunk:
            outcome = process(item, job)
            try:
                conn.send(outcome)
            except (BrokenPipeError, ConnectionResetError):  # the parent is gone
                return


@dataclass
class _Worker:
    process: Any
    conn: Any
    queue: deque[deque[Item]] = field(default_factory=deque)
    """Chunks sent and not finished, oldest first; the first item of the first one is being checked."""
    since: float = 0.0
    """When the file being checked was started (as far as the parent can tell)."""


class Pool:
    def __init__(self, job: Job, size: int, stats: Stats | None) -> None:
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        self.ctx: Any = mp.get_context("fork" if "fork" in methods else "spawn")
        self.job, self.size, self.stats = job, size, stats
        self.limit = job.profile.max_seconds_per_file
        self.pending: deque[deque[Item]] = deque()
        self.workers: list[_Worker] = []
        self.done: set[int] = set()

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        inherited = [parent, *(w.conn for w in self.workers)] if self.ctx.get_start_method() == "fork" else []
        proc = self.ctx.Process(target=_work, args=(child, self.job, inherited), daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        self.workers.append(w)
        if self.stats is not None:
            self.stats.workers += 1
        return w

    def _feed(self, w: _Worker, depth: int = 2) -> None:
        """Keep two chunks queued at each worker, so it never waits for the parent between chunks."""
        while len(w.queue) < depth and self.pending:
            chunk = self.pending.popleft()
            w.conn.send(list(chunk))
            if not w.queue:
                w.since = time.monotonic()
            w.queue.append(chunk)

    def _accept(self, w: _Worker, outcome: Outcome) -> Outcome | None:
        if w.queue:
            head = w.queue[0]
            for i, item in enumerate(head):
                if item[0] == outcome.index:
                    del head[i]
                    break
            if not head:
                w.queue.popleft()
        w.since = time.monotonic()
        if outcome.index in self.done:
            return None
        self.done.add(outcome.index)
        return outcome

    def _drain(self, w: _Worker) -> Iterator[Outcome]:
        """Everything the worker has sent that is waiting in its pipe."""
        while True:
            try:
                if not w.conn.poll():
                    return
                msg = w.conn.recv()
            except (EOFError, OSError):
                return
            if isinstance(msg, Outcome) and (accepted := self._accept(w, msg)) is not None:
                yield accepted

    def _lose(self, w: _Worker, message: str) -> Iterator[Outcome]:
        """A worker died or was killed: report its current file, requeue the rest of its chunks, replace it."""
        yield from self._drain(w)
        with contextlib.suppress(OSError):
            w.conn.close()
        self.workers.remove(w)
        culprit: Item | None = None
        for chunk in w.queue:
            while chunk:
                item = chunk.popleft()
                if item[0] in self.done:
                    continue
                if culprit is None:
                    culprit = item
                    continue
                self.pending.appendleft(deque([item]))
        if culprit is not None:
            self.done.add(culprit[0])
            yield unreadable(culprit, message, self.job, time.monotonic() - w.since)
        if self.pending:
            self._feed(self._spawn())

    def run(self, chunks: Sequence[Sequence[Item]], total: int) -> Iterator[Outcome]:
        from multiprocessing.connection import wait

        self.pending.extend(deque(c) for c in chunks)
        try:
            for _ in range(self.size):
                self._spawn()
            for depth in (1, 2):  # one chunk each, then the second: neighbouring chunks go to different workers
                for w in list(self.workers):
                    self._feed(w, depth)
            while len(self.done) < total:
                by_handle: dict[Any, _Worker] = {}
                for w in self.workers:
                    by_handle[w.conn] = w
                    by_handle[w.process.sentinel] = w
                if not by_handle:  # every worker gone with work left: should not happen; never spin
                    for chunk in self.pending:
                        for item in chunk:
                            if item[0] not in self.done:
                                self.done.add(item[0])
                                yield unreadable(item, CRASH_MESSAGE, self.job)
                    break
                ready = wait(list(by_handle), timeout=POLL_SECONDS)
                for handle in ready:
                    w = by_handle[handle]
                    if w not in self.workers:
                        continue
                    yield from self._drain(w)
                    if not w.process.is_alive():
                        w.process.join()
                        yield from self._lose(w, CRASH_MESSAGE)
                    else:
                        self._feed(w)
                if self.limit > 0:
                    now = time.monotonic()
                    for w in list(self.workers):
                        if w.queue and now - w.since > self.limit:
                            yield from self._drain(w)
                            if w.queue and time.monotonic() - w.since > self.limit:
                                w.process.kill()
                                w.process.join()
                                yield from self._lose(w, timeout_message(self.limit))
            self._stop()
        finally:
            for w in self.workers:
                if w.process.is_alive():
                    w.process.kill()
                w.process.join()
            self.workers.clear()

    def _stop(self) -> None:
        """Ask every worker to finish and report its peak memory."""
        for w in self.workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self.workers:
            try:
                if w.conn.poll(5):
                    msg = w.conn.recv()
                    if isinstance(msg, tuple) and msg[0] == "rss" and self.stats is not None:
                        self.stats.peak_rss_kib.append(int(msg[1]))
            except (EOFError, OSError):
                pass
            w.process.join(5)


def check_many(
    paths: Sequence[str | Path], job: Job | None = None, *, jobs: int | None = None, annotate_dir: str | Path | None = None,
    stats: Stats | None = None,
) -> Iterator[Outcome]:
    """Check every file; yield one Outcome per file, in the order they finish (``Outcome.index`` = input order)."""
    job = job or Job()
    files = [Path(p) for p in paths]
    targets: list[str | None] = (
        list(annotate_targets(files, Path(annotate_dir))) if annotate_dir is not None else [None] * len(files)
    )
    items: list[Item] = [(i, str(p), t) for i, (p, t) in enumerate(zip(files, targets, strict=True))]
    jobs = max(1, jobs or default_jobs())
    if jobs == 1 or len(items) < IN_PROCESS_BELOW:
        if stats is not None:
            stats.workers = 0
        yield from in_process(items, job)
        return
    size = max(CHUNK_MIN, min(CHUNK_MAX, len(items) // (jobs * 4)))
    yield from Pool(job, min(jobs, -(-len(items) // size)), stats).run(strided(items, size, jobs), len(items))
