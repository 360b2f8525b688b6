"""What two cores give on this machine: the same CPU-bound work in one process, then split over two side by side.

    python bench/cores.py [--rounds N] [--seconds S] [--file WORKBOOK]

The ceiling for any batch speed-up on the machine, measured as its peer in the same run (issue 18 asks ≥ 1.8x on two
cores). Two workloads, each timed alone (one process doing 2 units of work) and as a pair (two processes, one unit
each, started together), interleaved round by round:

* a bare loop: pure-Python integer arithmetic, no memory traffic to speak of (the best case for a VM's second core);
* gongkai checks: `pipeline.check_file` of one workbook in a loop (what a batch worker does, reading the same file
  from the page cache), by default the typical synthetic workbook of `bench/run.py`.

A unit is a fixed amount of work (a loop count or a number of checks sized to about ``--seconds`` on one core), so
speed-up = time alone / time of the pair. Prints a markdown table with the median and the range over the rounds.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def bare(units: int) -> None:
    for _ in range(units):
        x = 0
        for i in range(1_000_000):
            x += i * i % 7


def checks(args: tuple[str, int]) -> None:
    from gongkai.pipeline import check_file

    path, units = args
    for _ in range(units):
        check_file(path)


def alone_and_pair(work, unit) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall seconds of two units in one process, and of one unit in each of two processes started together."""
    ctx = mp.get_context("fork")
    start = time.perf_counter()
    p = ctx.Process(target=work, args=(double(unit),))
    p.start()
    p.join()
    alone = time.perf_counter() - start
    start = time.perf_counter()
    pair = [ctx.Process(target=work, args=(unit,)) for _ in range(2)]
    for q in pair:
        q.start()
    for q in pair:
        q.join()
    return alone, time.perf_counter() - start


def double(unit):  # type: ignore[no-untyped-def]
    return (unit[0], unit[1] * 2) if isinstance(unit, tuple) else unit * 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=4.0, help="about how long one unit takes on one core")
    ap.add_argument("--file", help="the workbook to check (default: the typical synthetic one)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if path is None:
            from run import typical

            path = str(Path(tmp) / "typical.xlsx")
            typical(Path(path), 0)
        from gongkai.pipeline import check_file

        check_file(path)
        start = time.perf_counter()
        bare(5)
        loops = max(1, round(args.seconds / ((time.perf_counter() - start) / 5)))
        start = time.perf_counter()
        for _ in range(10):
            check_file(path)
        files = max(1, round(args.seconds / ((time.perf_counter() - start) / 10)))
        rows: dict[str, list[float]] = {"bare loop": [], "gongkai checks": []}
        for _ in range(args.rounds):
            for name, work, unit in (("bare loop", bare, loops), ("gongkai checks", checks, (path, files))):
                alone, pair = alone_and_pair(work, unit)
                rows[name].append(alone / pair)
    import os

    load = os.getloadavg()[0]
    print(f"{time.strftime('%Y-%m-%d')}, load average {load:.1f} at the end, {args.rounds} rounds, "
          f"one unit ≈ {args.seconds:g} s on one core ({loops} loops of 10⁶; {files} checks of {Path(path).name})\n")
    print("| workload | speed-up of two processes, median | min – max |")
    print("|---|---:|---:|")
    for name, values in rows.items():
        print(f"| {name} | {statistics.median(values):.2f}x | {min(values):.2f}x – {max(values):.2f}x |")


if __name__ == "__main__":
    main()
