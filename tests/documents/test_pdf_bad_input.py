"""Scanned, encrypted, corrupt, table-less, oversized and hostile PDFs: each one Chinese message, in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import badpdf
import pytest
from doccorpus import DOCUMENTS, STEMS, transcription

from gongkai.read.document import DocumentLimits, ReadError
from gongkai.read.pdf import read_pdf

REAL = DOCUMENTS / "sh-putuo-czj-2025-dept-budget.pdf"


def refused(path: Path, limits: DocumentLimits | None = None, seconds: float = 5.0) -> str:
    started = time.monotonic()
    with pytest.raises(ReadError) as info:
        read_pdf(path, limits)
    assert time.monotonic() - started < seconds
    message = str(info.value)
    assert message and "\n" not in message and "Traceback" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return message


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    path = badpdf.scanned_pdf(REAL, tmp_path / "scan.pdf", page=8)
    assert refused(path) == "这个 PDF 没有文字层（可能是扫描件），无法读取表格；请提供可复制文字的 PDF 或原始工作簿"


def test_encrypted_pdf(tmp_path: Path) -> None:
    message = refused(badpdf.encrypted_pdf(tmp_path / "enc.pdf"))
    assert message == "这个 PDF 有打开密码（已加密），无法读取；请先取消密码，或提供未加密的 PDF"


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    path = badpdf.truncated_pdf(REAL, tmp_path / "cut.pdf", keep)
    assert refused(path) == "PDF 文件不完整（结尾缺失，可能下载或复制中断），无法读取；请重新获取完整的文件"


def test_damaged_middle(tmp_path: Path) -> None:
    data = REAL.read_bytes()
    path = tmp_path / "hole.pdf"
    path.write_bytes(data[:2000] + b"\0" * 50_000 + data[-3000:])
    assert refused(path, seconds=15).startswith("文件已损坏")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04not a pdf", "预算表".encode() * 100])
def test_not_a_pdf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    assert "PDF" in refused(path)


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "none.pdf") == "找不到文件"


def test_pdf_without_tables(tmp_path: Path) -> None:
    message = "这个 PDF 里没有找到表格（没有可读取的公开表）；请确认文件是部门预算或决算公开文件"
    assert refused(badpdf.pages_of(REAL, tmp_path / "text.pdf", [0, 1, 2, 3])) == message
    assert refused(badpdf.text_pdf(tmp_path / "latin.pdf", ["Annual report", "no tables"])) == message


def test_page_count_refused_before_reading(tmp_path: Path) -> None:
    path = badpdf.many_pages_pdf(tmp_path / "many.pdf", 2000)
    assert refused(path, seconds=3) == "这个 PDF 有 2,000 页，超过上限 500 页，未读取"


def test_decompression_bomb(tmp_path: Path) -> None:
    path = badpdf.bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=200)  # 200 MB of spaces in 200 KB
    assert path.stat().st_size < 1024 * 1024
    assert "压缩炸弹" in refused(path, DocumentLimits(max_stream_bytes=64 * 1024 * 1024), seconds=3)
    assert "压缩炸弹" in refused(path, DocumentLimits(max_stream_bytes=1024 * 1024), seconds=3)


def test_crowded_page(tmp_path: Path) -> None:
    message = refused(badpdf.crowded_pdf(tmp_path / "crowd.pdf", 200_000), seconds=5)
    assert message == "第 1 页有约 200,000 个绘图和文字指令，超过上限 150,000 个，未读取"


def test_size_and_time_limits() -> None:
    assert refused(REAL, DocumentLimits(max_bytes=100_000)) == "文件有 175 KB，超过上限 98 KB，未读取"
    assert refused(REAL, DocumentLimits(page_seconds=0.001)) == "第 1 页读取超过 0.001 秒，文件过于复杂或是恶意构造的，未读取"


def test_limits_leave_room_for_real_documents() -> None:
    """The real documents read well inside the limits (at most 35 pages, 2,723 operators on a page)."""
    for stem in STEMS[:3]:
        assert read_pdf(DOCUMENTS / f"{stem}.pdf", DocumentLimits(max_pages=40, max_page_objects=10_000)).tables


def test_table_printed_without_ruling_lines(tmp_path: Path) -> None:
    """The text-alignment fallback: real pages with every line removed read back to the same rows."""
    path = badpdf.without_lines(REAL, tmp_path / "nolines.pdf", [8, 9, 10])
    doc = read_pdf(path)
    want = transcription(REAL.stem)["tables"]
    first, second = doc.tables
    assert first.strategy == second.strategy == "text"
    assert (first.title, first.unit, first.department) == ("2025年部门财务收支预算总表", "元", "上海市普陀区财政局")
    assert first.grid == want[0]["header"] + want[0]["rows"]  # its group headings found by their centring
    assert first.merges == [(0, 0, 0, 1), (0, 2, 0, 3)]
    assert second.title == "2025年部门收入预算总表" and second.pages == [2, 3]  # continuation page joined
    assert second.rows[:-1] == want[1]["rows"][:-1]
    assert second.rows[-1][3:] == ["合计", "31,214,205.80", "31,214,205.80", "", "", ""]
    assert not [p for p in doc.paragraphs if "31,214,205.80" in p.text]


def test_the_callers_time_limit_is_kept() -> None:
    """The pipeline's per-file limit (read.safety.time_limit, SIGALRM) is not replaced by the per-page budget."""
    from gongkai.read.safety import TimeLimitExceeded, time_limit

    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.3):
        read_pdf(DOCUMENTS / "sh-putuo-wanli-2023-dept-budget.pdf")
    assert time.monotonic() - started < 2


def test_a_time_limit_swallowed_inside_pdfminer_still_stops_the_read() -> None:
    """pdfminer catches `Exception` in places, so the caller's TimeLimitExceeded can vanish inside it: the reader sees
    that the caller's timer has run out and stops after that page all the same (here the alarm does nothing at all)."""
    import signal

    from gongkai.read.safety import TimeLimitExceeded

    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    started = time.monotonic()
    try:
        with pytest.raises(TimeLimitExceeded):
            read_pdf(DOCUMENTS / "sh-putuo-wanli-2023-dept-budget.pdf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired and time.monotonic() - started < 3
