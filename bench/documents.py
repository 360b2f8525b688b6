"""Pages per second of reading (and fully checking) each real published PDF, against pdfplumber's own table
extraction of the same pages in the same run.

    python bench/documents.py [--repeat N] [DIR]

For each PDF of DIR (default tests/realdata/documents): pdfplumber's `page.extract_tables()` on every page (a fresh
`pdfplumber.open`), gongkai's `read_pdf`, the tables checked (`read_pdf` → `sheets` → `recognize` → the rules), and
the full check `gongkai check DOC.pdf` runs (`pipeline.check_file`: the tables and the 说明 text, with locations),
each the median of N runs, interleaved so that machine noise falls on all alike. The ratio is pdfplumber's time
over gongkai's: 1.00 = as fast as the bare table extraction. The load average at the start is printed first.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from gongkai.pipeline import check_book, check_file
from gongkai.read.document import sheets
from gongkai.read.pdf import read_pdf
from gongkai.recognize import recognize

DOCUMENTS = Path(__file__).parents[1] / "tests" / "realdata" / "documents"


def extract_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def read(path: Path) -> None:
    read_pdf(path)


def tables(path: Path) -> None:
    check_book(recognize(sheets(read_pdf(path))))


def check(path: Path) -> None:
    result = check_file(path)
    assert result.status == "ok", result.error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DOCUMENTS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import os

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    runs: dict[str, Callable[[Path], object]] = {"plumber": extract_tables, "read": read, "tables": tables, "check": check}
    print(
        f"{'document':34s} {'pages':>5s} {'extract_tables':>14s} {'read_pdf':>9s} {'tables':>7s} {'check':>7s}"
        "  pages/s;  ratio read, tables, check"
    )
    totals = dict.fromkeys(runs, 0.0)
    all_pages = 0
    for path in sorted(args.folder.glob("*.pdf")):
        pages = extract_tables(path)
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.repeat):
            for name, fn in runs.items():
                start = time.perf_counter()
                fn(path)
                times[name].append(time.perf_counter() - start)
        med = {k: statistics.median(v) for k, v in times.items()}
        for k in runs:
            totals[k] += med[k]
        all_pages += pages
        print(
            f"{path.stem:34s} {pages:5d} {pages / med['plumber']:14.1f} {pages / med['read']:9.1f} "
            f"{pages / med['tables']:7.1f} {pages / med['check']:7.1f}"
            f"  {med['plumber'] / med['read']:5.2f} {med['plumber'] / med['tables']:5.2f} {med['plumber'] / med['check']:5.2f}"
        )
    print(
        f"{'all':34s} {all_pages:5d} {all_pages / totals['plumber']:14.1f} {all_pages / totals['read']:9.1f} "
        f"{all_pages / totals['tables']:7.1f} {all_pages / totals['check']:7.1f}  {totals['plumber'] / totals['read']:5.2f} "
        f"{totals['plumber'] / totals['tables']:5.2f} {totals['plumber'] / totals['check']:5.2f}"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
