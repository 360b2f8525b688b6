"""batch.py: every file accounted for, in the pool and in process; crashes and time-outs reported, the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkfixtures import CRASH, SLOW, broken, budget, register, unregister
from gongkai.batch import (
    CRASH_MESSAGE,
    IN_PROCESS_BELOW,
    Job,
    Stats,
    annotate_targets,
    timeout_message,
)
from gongkai.cli import main
from gongkai.core.profile import Profile
from gongkai.pool import check_many


@pytest.fixture(autouse=True)
def test_rules():
    register()
    yield
    unregister()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """40 files in two folders: 32 good, 4 failing, 2 broken, one that crashes its worker, one that hangs.

    Returns the folder and each file's expected kind by name.
    """
    root = tmp_path_factory.mktemp("corpus")
    kinds: dict[str, str] = {}
    for i in range(40):
        folder = root / ("a" if i % 2 else "b")
        folder.mkdir(exist_ok=True)
        path = folder / f"{i:02d}.xlsx"
        if i in (3, 17, 22, 35):
            budget(path, total=11)
            kinds[path.name] = "failing"
        elif i in (8, 30):
            broken(path)
            kinds[path.name] = "broken"
        elif i == 12:
            budget(path, total=CRASH)
            kinds[path.name] = "crash"
        elif i == 25:
            budget(path, total=SLOW)
            kinds[path.name] = "slow"
        else:
            budget(path)
            kinds[path.name] = "good"
    return root, kinds


def test_pool_accounts_for_every_file(corpus, tmp_path: Path) -> None:
    root, kinds = corpus
    paths = sorted(root.rglob("*.xlsx"))
    assert len(paths) >= IN_PROCESS_BELOW  # so the pool is used
    stats = Stats()
    job = Job(Profile(max_seconds_per_file=2), select=("T9",))

    outcomes = list(check_many(paths, job, jobs=2, annotate_dir=tmp_path / "marked", stats=stats))

    assert sorted(o.index for o in outcomes) == list(range(len(paths)))
    by_name = {Path(o.result.path).name: o for o in outcomes}
    for name, kind in kinds.items():
        r = by_name[name].result
        got = (r.status, r.errors, r.error)
        expected = {
            "good": ("ok", 0, None), "failing": ("ok", 2, None),
            "broken": ("unreadable", 0, "文件不是 Excel 工作簿（可能是改了扩展名的文本、PDF 或图片）"),
            "crash": ("unreadable", 0, CRASH_MESSAGE), "slow": ("unreadable", 0, timeout_message(2)),
        }[kind]
        assert got == expected, name
    annotated = sorted(Path(o.annotated).relative_to(tmp_path / "marked").as_posix() for o in outcomes if o.annotated)
    assert annotated == ["a/03.xlsx", "a/17.xlsx", "a/35.xlsx", "b/22.xlsx"]
    assert sorted(p.relative_to(tmp_path / "marked").as_posix() for p in (tmp_path / "marked").rglob("*.xlsx")) == annotated
    assert stats.workers == 4  # two, plus one replacing the crashed worker and one replacing the killed one
    assert len(stats.peak_rss_kib) == 2 and all(kib > 0 for kib in stats.peak_rss_kib)


def test_in_process_time_limit(tmp_path: Path) -> None:
    paths = [budget(tmp_path / "slow.xlsx", total=SLOW), budget(tmp_path / "bad.xlsx", total=11)]
    stats = Stats()

    outcomes = list(check_many(paths, Job(Profile(max_seconds_per_file=0.5), select=("T9",)), jobs=4, stats=stats))

    assert stats.workers == 0
    assert [(o.index, o.result.status, o.result.error, o.result.errors) for o in outcomes] == [
        (0, "unreadable", timeout_message(0.5), 0), (1, "ok", None, 2),
    ]


def test_cli_jobs_2_reports_every_file(corpus, tmp_path: Path, capsys) -> None:
    root, kinds = corpus
    profile = tmp_path / "p.toml"
    profile.write_text("max_seconds_per_file = 2\n", encoding="utf-8")
    report = tmp_path / "r.json"

    code = main(["check", "--select", "T9", str(root), "--jobs", "2", "--profile", str(profile), "--format", "json", "-o", str(report)])

    assert code == 2
    data = json.loads(report.read_text(encoding="utf-8"))
    paths = [f["path"] for f in data["files"]]
    assert paths == [str(p) for p in sorted(root.rglob("*.xlsx"))]  # input order, whatever the finishing order
    status = {Path(f["path"]).name: f["status"] for f in data["files"]}
    assert status == {n: "unreadable" if k in ("broken", "crash", "slow") else "ok" for n, k in kinds.items()}
    assert data["summary"] == {"files": 40, "errors": 8, "warnings": 0, "notes": 0}
    capsys.readouterr()


def test_annotate_targets_mirror_the_inputs(tmp_path: Path) -> None:
    paths = [tmp_path / "x" / "a.xlsx", tmp_path / "x" / "y" / "a.xlsx", tmp_path / "x" / "a.xlsm", tmp_path / "x" / "b.xls"]
    out = tmp_path / "out"
    assert [Path(t).relative_to(out).as_posix() for t in annotate_targets(paths, out)] == [
        "a.xlsx", "y/a.xlsx", "a(2).xlsx", "b.xlsx",
    ]


def test_chunks_deal_neighbouring_files_to_different_workers() -> None:
    """Every file once, at most ``size`` per chunk, and consecutive chunks interleaved: the workers move through the
    batch side by side, so the report (written in input order) holds few results that arrive early."""
    from gongkai.batch import strided

    items = [(i, f"{i}.xlsx", None) for i in range(203)]
    chunks = strided(items, 16, 2)

    assert sorted(i for c in chunks for i, _, _ in c) == list(range(203))
    assert max(map(len, chunks)) == 16
    assert [i for i, _, _ in chunks[0][:3]] == [0, 2, 4] and [i for i, _, _ in chunks[1][:3]] == [1, 3, 5]
    assert [i for i, _, _ in chunks[2][:2]] == [32, 34]
