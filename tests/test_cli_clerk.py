"""The command line as a clerk meets it (issue 19): nothing lost, nothing misleading, Chinese, quiet by default.

Exit codes: 0 clean, 1 errors found, 2 usage, unreadable, internal error or broken pipe (never 0 or 1).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checkfixtures import budget, register, unregister
from gongkai.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "workbooks" / "examples"
SELECT = ("--select", "T9")


@pytest.fixture(autouse=True)
def test_rules():
    register()
    yield
    unregister()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gongkai(*argv: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a child process (for encodings, pipes and terminals)."""
    environ = {**os.environ, "GONGKAI_NO_PROGRESS": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "gongkai", *argv], env=environ, capture_output=True, timeout=300, **kw)


# --- §1 nothing lost ---------------------------------------------------------------------------------------


def test_the_report_never_replaces_the_checked_workbook(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "表.xlsx", total=11)
    before = digest(source)
    for fmt in ("xlsx", "json", "csv", "html", "table"):
        assert main(["check", *SELECT, str(source), "--format", fmt, "-o", str(source)]) == 2
        assert "就是输入文件" in capsys.readouterr().err
    assert digest(source) == before


def test_an_output_that_is_a_folder_or_under_a_file_is_a_chinese_usage_error(tmp_path: Path, capsys) -> None:
    source = budget(tmp_path / "表.xlsx")
    (tmp_path / "报告").mkdir()
    for argv in (
        ["check", str(source), "--format", "xlsx", "-o", str(tmp_path / "报告")],
        ["check", str(source), "--format", "json", "-o", str(source / "r.json")],
        ["annotate", str(source), "-o", str(tmp_path / "报告")],
        ["tables", str(source), "-o", str(tmp_path / "报告")],
        ["rules", "-o", str(tmp_path / "报告")],
        ["export", str(source), "-o", str(tmp_path / "报告")],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "是文件夹" in err or "是文件，不是文件夹" in err, (argv, err)
        assert "Traceback" not in err


def test_own_outputs_inside_a_checked_folder_are_skipped_next_time(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "预算"
    folder.mkdir()
    budget(folder / "a.xlsx", total=11)
    budget(folder / "b.xlsx")
    first = main(["check", *SELECT, str(folder), "--format", "xlsx", "-o", str(folder / "校验报告.xlsx"), "--annotate-dir", str(folder / "标注"), "-q"])
    assert first == 1
    capsys.readouterr()

    again = main(["check", *SELECT, str(folder), "--format", "json", "-q"])

    captured = capsys.readouterr()
    assert again == first  # not 2: neither the report nor the annotated copy is read as a broken 公开表
    assert [Path(f["path"]).name for f in json.loads(captured.out)["files"]] == ["a.xlsx", "b.xlsx"]
    assert f"跳过 gongkai 生成的校验报告：{folder / '校验报告.xlsx'}" in captured.err
    assert f"跳过 gongkai 生成的标注副本：{folder / '标注' / 'a.xlsx'}" in captured.err
    # named directly, an annotated copy is checked like any workbook
    assert main(["check", *SELECT, str(folder / "标注" / "a.xlsx"), "-q"]) == 1


def test_template_never_overwrites_without_out_or_force(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workbooks").mkdir()
    mine = tmp_path / "workbooks" / "budget-set.xlsx"
    mine.write_bytes(b"the clerk's own file")

    assert main(["template"]) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err
    assert mine.read_bytes() == b"the clerk's own file"
    assert main(["template", "--force"]) == 0
    assert mine.read_bytes() != b"the clerk's own file"


# --- §2 nothing misleading ----------------------------------------------------------------------------------


def test_an_internal_error_is_exit_2_with_a_chinese_line_and_no_traceback(tmp_path: Path, capsys, monkeypatch) -> None:
    import gongkai.report.formats as formats

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(formats, "to_json", broken)
    assert main(["check", *SELECT, str(budget(tmp_path / "a.xlsx")), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "RuntimeError: boom" in err and "Traceback" not in err


def test_a_broken_pipe_is_exit_2(tmp_path: Path) -> None:
    files = [str(budget(tmp_path / f"{i}.xlsx")) for i in range(3)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "check", *files], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "GONGKAI_NO_PROGRESS": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away before gongkai wrote anything (like `| head` after its lines)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 2, err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_gbk_console_gets_plain_words_and_the_right_exit_code(tmp_path: Path) -> None:
    errors = EXAMPLES / "budget-example-errors.xlsx"
    out = tmp_path / "out.txt"
    with out.open("wb") as f:
        proc = subprocess.run(
            [sys.executable, "-m", "gongkai", "check", str(errors)], stdout=f, stderr=subprocess.PIPE, timeout=300,
            env={**os.environ, "PYTHONIOENCODING": "gbk", "GONGKAI_NO_PROGRESS": "1"},
        )
    text = out.read_bytes().decode("gbk")
    assert proc.returncode == 1, proc.stderr.decode("gbk", "replace")
    assert text.startswith(f"有误 {errors}：识别出")
    assert "未通过的文件：" in text.splitlines()[-1]
    assert b"Traceback" not in proc.stderr


# --- §3 quiet by default ------------------------------------------------------------------------------------


def test_notes_are_counted_not_listed_unless_asked(tmp_path: Path, capsys) -> None:
    noted = budget(tmp_path / "舍位.xlsx", total="10.01")  # within 2 x 0.005: a note, no error
    assert main(["check", *SELECT, str(noted)]) == 0
    out = capsys.readouterr().out
    assert "0 个错误，0 个警告，2 个提示（未列出，加 --show-notes 显示）" in out
    assert "T901" not in out
    for flag in (["--show-notes"], ["--min-severity", "note"], ["--min-severity", "提示"]):
        assert main(["check", *SELECT, str(noted), *flag]) == 0
        assert "T901  提示" in capsys.readouterr().out
    assert main(["check", *SELECT, str(budget(tmp_path / "坏.xlsx", total=11, project=0)), "--min-severity", "error"]) == 1
    out = capsys.readouterr().out
    assert "T901  错误" in out and "T902" not in out


def test_quiet_prints_only_failing_files_and_names_them_last(tmp_path: Path, capsys) -> None:
    good = budget(tmp_path / "good.xlsx")
    warned = budget(tmp_path / "warned.xlsx", total=4, project=0)  # a warning only: passes
    bad = budget(tmp_path / "bad.xlsx", total=11)
    assert main(["check", *SELECT, str(good), str(warned), str(bad), "-q"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"✗ {bad}：")
    assert not any(str(good) in line or str(warned) in line for line in lines)
    assert lines[-1] == f"未通过的文件：{bad}（有错误）"


def test_batch_output_is_in_input_order_with_a_process_pool(tmp_path: Path, capsys) -> None:
    paths = [str(budget(tmp_path / f"{i:02d}.xlsx", total=11 if i % 3 == 0 else 10)) for i in range(40)]
    assert main(["check", *SELECT, *paths, "--jobs", "2"]) == 1
    heads = [line.split("：")[0][2:] for line in capsys.readouterr().out.splitlines() if line[:2] in ("✓ ", "✗ ")]
    assert heads == paths


def test_the_table_fits_the_terminal_and_is_coloured_on_a_tty(tmp_path: Path) -> None:
    import pty

    from gongkai.cli._common import width

    source = EXAMPLES / "budget-example-errors.xlsx"
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "CI")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "check", str(source), "-q"], stdout=slave, stderr=subprocess.DEVNULL,
        env={**env, "TERM": "xterm", "GONGKAI_NO_PROGRESS": "1"},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    screen = b"".join(chunks).decode()
    assert "\x1b[1;31m错误" in screen  # errors in red
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    assert max(width(line) for line in plain.splitlines()[1:-1]) <= 100
    piped = gongkai("check", str(source), "-q")
    assert b"\x1b[" not in piped.stdout


# --- §4 Chinese ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", "check", "annotate", "tables", "rules", "template", "fill", "export"])
def test_help_is_chinese(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*([command] if command else []), "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：")
    assert "选项" in out and "显示本帮助并退出" in out
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], "缺少必需的参数：PATH"),
        (["check", "x.xlsx", "--format", "pdf"], "参数 --format：无效的选择 'pdf'"),
        (["check", "x.xlsx", "--jobs", "two"], "参数 -j/--jobs：'two' 不是有效的值"),
        (["check", "x.xlsx", "--bogus"], "无法识别的参数：--bogus"),
        (["chek"], "无效的选择 'chek'"),
    ],
)
def test_usage_errors_are_chinese(argv: list[str], expected: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：") and "错误：" in err and expected in err
    for english in ("usage:", "error:", "invalid choice", "required", "unrecognized"):
        assert english not in err


def test_export_clean_keeps_the_official_names_with_full_width_brackets(tmp_path: Path, capsys) -> None:
    import openpyxl

    out = tmp_path / "规范版.xlsx"
    assert main(["export", str(EXAMPLES / "budget-example.xlsx"), "--mode", "clean", "-o", str(out)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    names = [c.value for ws in wb for row in ws.iter_rows(min_row=6) for c in row if isinstance(c.value, str) and "境" in c.value]
    assert names and set(names) == {"因公出国（境）费用"}  # as 政府收支分类科目 prints it, not 因公出国(境)费用


def test_a_refusal_is_one_chinese_line_after_the_program_name(tmp_path: Path, capsys) -> None:
    """Every command that stops before its work says why in one line, ``gongkai：…`` (full-width colon, as the rest of
    the Chinese text), and exits 2; no traceback."""
    (tmp_path / "empty").mkdir()
    example = EXAMPLES / "budget-example.xlsx"
    not_a_workbook = tmp_path / "模板.xlsx"
    not_a_workbook.write_text("不是工作簿", encoding="utf-8")
    line_items = EXAMPLES / "line-items.csv"
    cases = [
        (["rules", "--explain", "Z999"], "没有规则「Z999」"),
        (["annotate", str(example), "--in-place", "-o", str(tmp_path / "other.xlsx")], "--in-place 与 --output"),
        (["annotate", str(example), "-o", str(example)], "输出文件不能是原文件"),
        (["check", str(tmp_path / "empty")], "没有找到工作簿或公开文件"),
        (["check", str(example), "--select", "Z999"], "Z999"),
        (["check", str(example), str(example), "--text", str(example)], "--text 只能配一个要检查的文件"),
        (["fill", str(line_items), "--template", str(not_a_workbook), "-o", str(tmp_path / "out.xlsx")], "模板"),
    ]
    for argv, expected in cases:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, (argv, err)
        lines = err.strip().splitlines()
        assert lines and lines[-1].startswith("gongkai：") and expected in lines[-1], (argv, err)
        assert "Traceback" not in err
