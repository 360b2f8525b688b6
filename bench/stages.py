"""Where the time of one `gongkai check` goes: median ms per stage over a few workbooks.

    python bench/stages.py FILE.xlsx... [--repeat N] [--profile]

Stages: calamine's bare load (the floor), the container safety scan, read_workbook (calamine + typing of every
cell into grids, including the scan), recognize (grids → Book of pydantic models), the rules. ``--profile``
adds a cProfile listing of the whole check (top 25 by own time).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from run import calamine_load


def median_ms(func: Callable[[], object], repeat: int) -> float:
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    from gongkai import checks
    from gongkai.core.profile import Profile
    from gongkai.pipeline import check_file
    from gongkai.read import read_workbook
    from gongkai.recognize import recognize

    try:
        from gongkai.read.safety import scan_xlsx
    except ImportError:  # no safety scan in this checkout
        scan_xlsx = None

    def scan(path: Path) -> object:
        import zipfile

        with zipfile.ZipFile(path) as z:
            return scan_xlsx(z) if scan_xlsx else None

    rows = []
    for path in args.files:
        sheets = read_workbook(path)
        book = recognize(sheets)
        stage = {
            "calamine bare load": median_ms(lambda p=path: calamine_load(p), args.repeat),
            "safety scan": median_ms(lambda p=path: scan(p), args.repeat) if scan_xlsx else float("nan"),
            "read_workbook (incl. scan)": median_ms(lambda p=path: read_workbook(p), args.repeat),
            "recognize": median_ms(lambda s=sheets: recognize(s), args.repeat),
            "rules": median_ms(lambda b=book: checks.run(b, Profile()), args.repeat),
            "check_file (all)": median_ms(lambda p=path: check_file(p), args.repeat),
        }
        rows.append(stage)
    print("| stage | median ms |\n|---|---:|")
    for key in rows[0]:
        print(f"| {key} | {statistics.median(r[key] for r in rows):.1f} |")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for path in args.files:
            check_file(path)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
