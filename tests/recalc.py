"""LibreOffice headless recalculation for tests: one `soffice --convert-to xlsx` call for many workbooks.

The throwaway profile sets OOXMLRecalcMode=0 so LibreOffice recalculates every formula on load, even when the
file carries cached values (our filled workbooks do); see shared/design/xlwings-and-excel-testing.md §4.3 and §4.4.
Use `recalculated(paths, outdir, profile)` from a session fixture (`converted` for another format: PDF, xls, ods);
both skip the test when soffice is absent and run a crashed conversion again.

`office(root)` starts a headless LibreOffice listening on a private pipe (and always shuts it down), `clerk(lo,
jobs)` drives it through UNO with tests/lo_clerk.py (restarting a LibreOffice that crashed), run by the system
Python of Debian's python3-uno (`uno_python` skips the test when it is missing): what a clerk does in the program,
not only what the file says.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def recalculated(paths: Sequence[Path], outdir: Path, profile: Path, attempts: int = 3) -> list[Path]:
    """Convert every workbook to xlsx in one LibreOffice run, recalculating all formulas (the profile's
    OOXMLRecalcMode=0); return the converted paths, named as their inputs."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
    return converted(paths, outdir, profile, "xlsx", attempts)


def converted(paths: Sequence[Path], outdir: Path, profile: Path, to: str, attempts: int = 3) -> list[Path]:
    """`soffice --convert-to TO` of every file in one LibreOffice run (``to`` as soffice takes it: "pdf",
    "xls:MS Excel 97"); return the converted paths. Skips the test without soffice.

    A run that crashes (LibreOffice 7.4 headless aborts now and then, see `Office`) is run again, all of it: a
    crash may leave a converted file half written. `attempts` runs in all; every failure is reported.
    """
    exe = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.stem for p in paths]
    assert len(set(names)) == len(names), "files converted together need distinct names"
    suffix = "." + to.split(":", 1)[0]
    out = [outdir / (p.stem + suffix) for p in paths]
    assert not {o.resolve() for o in out} & {p.resolve() for p in paths}, "the converted files would replace their inputs"
    failures = []
    for _ in range(attempts):
        done = subprocess.run(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to, "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, text=True, timeout=300,
        )
        missing = [p.name for p in out if not p.exists()]
        if done.returncode == 0 and not missing:
            return out
        failures.append(f"exit {done.returncode}, not converted {missing}; LibreOffice printed:\n{(done.stdout + done.stderr)[-1500:]}")
        for converted_file in out:
            converted_file.unlink(missing_ok=True)
    raise AssertionError(f"LibreOffice failed all {attempts} conversions:\n" + "\n---\n".join(failures))


UNO_PYTHON = "/usr/bin/python3"
"""Debian's python3-uno installs the `uno` module for the system Python only; the project venv cannot import it."""
CLERK = Path(__file__).with_name("lo_clerk.py")


def uno_python() -> str:
    """The Python that can drive LibreOffice through UNO; skips the test without soffice or python3-uno."""
    soffice()
    if not Path(UNO_PYTHON).exists() or subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        pytest.skip("python3-uno is not installed (apt-get install python3-uno): LibreOffice cannot be driven through UNO")
    return UNO_PYTHON


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


BROKEN = ("DisposedException", "NoConnectException")
"""What the clerk prints when its LibreOffice went away under it even before soffice has exited."""


NO_LOCKS = XCU.replace(
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">',
    '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>\n'
    '<item oor:path="/org.openoffice.Office.Recovery/AutoSave"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>\n'
    '<item oor:path="/org.openoffice.Office.Recovery/RecoveryInfo"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>\n'
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">',
)
"""The recalculating profile, without the .~lock files a crash leaves behind (which make the rerun open nothing)
and without autosave and recovery data (a test's documents are never saved; no timer should write them)."""


class Office:
    """A headless LibreOffice listening on a private pipe, restarted with a fresh profile when it crashes.

    LibreOffice 7.4 headless can abort on its own ("Unspecified Application Error", signal 6 in
    SvpSalInstance::CheckTimeout): under load, in about every second run of 33 jobs while the clerk edited through
    the dispatcher (it no longer does, see tests/lo_clerk.py). That is the office failing, not the workbook, so
    `clerk` starts a new one and runs the jobs again (they never save, so running them twice changes nothing).
    soffice runs in a process group of its own (oosplash and soffice.bin), terminated on `stop`, then killed if it
    has not gone within 30 seconds: no LibreOffice outlives the test. What it prints goes to `soffice.log` in its
    profile.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.starts = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.pipe = ""

    @property
    def profile(self) -> Path:
        """The profile of the current start (a fresh one each time)."""
        return self.root / f"profile-{self.starts}"

    @property
    def log(self) -> Path:
        return self.profile / "soffice.log"

    def start(self) -> None:
        self.starts += 1
        profile = self.profile
        self.pipe = f"gongkai-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(NO_LOCKS, encoding="utf-8")
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
                 "--norestore", "--nodefault", "--nolockcheck", f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def stop(self) -> None:
        if self.proc is None:
            return
        group = self.proc.pid  # start_new_session: the group id is the leader's pid, and lives while any member does
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with suppress(ProcessLookupError):
                os.killpg(group, sig)
            deadline = time.monotonic() + 30
            while _alive(group) and time.monotonic() < deadline:
                with suppress(subprocess.TimeoutExpired):
                    self.proc.wait(0.2)
            if not _alive(group):
                break
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.proc = None

    def gone(self, within: float = 0) -> bool:
        """Has this LibreOffice exited, waiting up to `within` seconds for it (oosplash exits when soffice.bin does)?"""
        if self.proc is None:
            return True
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(within)
        return self.proc.poll() is not None

    def said(self) -> str:
        """The end of what this LibreOffice printed (its crash report, when it crashed)."""
        with suppress(OSError):
            return self.log.read_text(encoding="utf-8", errors="replace")[-1500:]
        return ""


@contextmanager
def office(root: Path) -> Iterator[Office]:
    """A running `Office` whose profiles live under `root`, always stopped on the way out."""
    uno_python()
    lo = Office(root)
    lo.start()
    try:
        yield lo
    finally:
        lo.stop()


def clerk(lo: Office, jobs: Sequence[dict[str, Any]], attempts: int = 3) -> list[dict[str, Any]]:
    """Run tests/lo_clerk.py's jobs against `lo`; one result per job.

    A job that fails while LibreOffice stays up fails the test at once; when LibreOffice exited (or the connection
    to it broke) under the jobs, it is restarted and the jobs are run again, `attempts` times in all, and every
    crash is reported if none passed. A LibreOffice that crashed on the last attempt is restarted too, for the next
    test.
    """
    crashes = []
    for _ in range(attempts):
        if not lo.gone():
            done = subprocess.run(
                [uno_python(), str(CLERK), lo.pipe], input=json.dumps(list(jobs), ensure_ascii=False),
                capture_output=True, text=True, timeout=300,
            )
            if done.returncode == 0:
                return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
            assert lo.gone(within=10) or any(word in done.stderr for word in BROKEN), done.stderr[-3000:]
            told = done.stderr[-1500:]
        else:
            told = "(not run: LibreOffice had already exited)"
        crashes.append(f"LibreOffice went away (start {lo.starts}); it printed:\n{lo.said()}\nthe clerk printed:\n{told}")
        lo.stop()
        lo.start()
    raise AssertionError(f"LibreOffice crashed on all {attempts} attempts:\n" + "\n---\n".join(crashes))
