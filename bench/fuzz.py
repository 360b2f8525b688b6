"""A longer fuzzing run, by hand: the properties of tests/test_fuzz.py with a bigger budget, then the hostile corpus.

    python bench/fuzz.py [--examples N]

Every property must hold: damaged grids and corrupted files give findings or a ReadError, nothing else. A failure
prints hypothesis' smallest failing example and exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hostile")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    args = parser.parse_args()

    os.environ["GONGKAI_FUZZ_EXAMPLES"] = str(args.examples)
    import corpus

    import test_fuzz
    from gongkai.pipeline import check_file

    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        tests = {
            "damaged grids": (test_fuzz.test_damaged_grids_never_raise, (folder,)),
            "random grids under a title": (test_fuzz.test_random_grids_under_a_title_never_raise, ()),
            "corrupted files": (test_fuzz.test_corrupted_files_give_a_read_error_or_a_result, (folder,)),
            **{
                f"damaged .{fmt} files": (test_fuzz.test_damaged_files_of_every_format_give_a_read_error_or_a_result, (folder, fmt))
                for fmt in sorted(test_fuzz.FORMATS)
            },
        }
        for name, (test, test_args) in tests.items():
            start = time.perf_counter()
            try:
                test(*test_args)
            except Exception as exc:  # report, and go on with the next property
                failed += 1
                print(f"FAIL {name}: {type(exc).__name__}: {exc}")
                continue
            print(f"ok   {name}: up to {args.examples} examples in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        d = Path(folder) / "corpus"
        d.mkdir()
        for case in corpus.ALL:
            result = check_file(case.build(d))
            expected = "unreadable" if case.fragment else "ok"
            if result.status != expected or (case.fragment and case.fragment not in (result.error or "")):
                failed += 1
                print(f"FAIL corpus {case.name}: {result.status} {result.error}")
        print(f"ok   hostile corpus: {len(corpus.ALL)} files in {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
