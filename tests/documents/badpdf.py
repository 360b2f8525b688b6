"""Hostile and broken PDFs for the reader's tests, made on the spot (no binary fixtures).

Uses only the standard library, plus pypdfium2 and Pillow (both already installed with pdfplumber) for the scanned
copy of a real page.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path


def write_pdf(objects: list[bytes], path: Path, trailer_extra: bytes = b"") -> Path:
    """Objects 1..n (bodies without `n 0 obj`), object 1 the catalog; a correct xref and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    path.write_bytes(bytes(out))
    return path


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with a few lines of (Latin) text and no table."""
    ops = b"BT /F1 12 Tf 72 760 Td 16 TL " + b" ".join(b"(%s) '" % ln.encode("latin-1") for ln in lines) + b" ET"
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            stream(ops),
            FONT,
        ],
        path,
    )


# --- encryption: the PDF standard security handler, revision 2 (RC4, 40-bit), written out in full

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + _PAD)[:32]


def encrypted_pdf(path: Path, user_password: bytes = b"secret", owner_password: bytes = b"owner") -> Path:
    """A one-page text PDF encrypted with an open password (RC4 40-bit, /V 1 /R 2)."""
    file_id = hashlib.md5(b"gongkai-encrypted-fixture").digest()
    permissions = -44
    o_entry = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
    key = hashlib.md5(_padded(user_password) + o_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_entry = _rc4(key, _PAD)

    def object_key(num: int) -> bytes:
        return hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10]

    content = _rc4(object_key(4), b"BT /F1 12 Tf 72 760 Td (Confidential budget) Tj ET")
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        o_entry.hex().encode(),
        u_entry.hex().encode(),
        permissions,
    )
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            FONT,
            encrypt,
        ],
        path,
        trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode()),
    )


def many_pages_pdf(path: Path, pages: int = 2000) -> Path:
    """A PDF of `pages` empty pages (the page tree says so before any page is parsed)."""
    first_page = 3
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return write_pdf(objects, path)


def bomb_pdf(path: Path, inflated_mb: int = 1024) -> Path:
    """One page whose content stream inflates to `inflated_mb` MB of spaces (about 1 MB on disk)."""
    z = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(z.compress(chunk) for _ in range(inflated_mb)) + z.flush()
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(data, b"/Filter /FlateDecode "),
        ],
        path,
    )


def crowded_pdf(path: Path, rects: int = 200_000) -> Path:
    """One page drawing `rects` tiny rectangles (the table finder's work grows with them)."""
    ops = b"".join(b"%d %d 1 1 re " % (i % 500, (i // 500) % 800) for i in range(rects)) + b"S"
    data = zlib.compress(ops)
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(data, b"/Filter /FlateDecode "),
        ],
        path,
    )


def truncated_pdf(source: Path, path: Path, keep: float = 0.4) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def scanned_pdf(source: Path, path: Path, page: int = 0, scale: float = 1.0) -> Path:
    """A page of a real PDF rendered to an image and wrapped as a PDF: what a scanner gives, no text layer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source))
    try:
        image = doc[page].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    image.save(path, "PDF", resolution=72 * scale)
    return path


def pages_of(source: Path, path: Path, pages: list[int]) -> Path:
    """Some pages of a real PDF (0-based) as a new PDF."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    new = pdfium.PdfDocument.new()
    try:
        new.import_pages(src, pages)
        new.save(str(path))
    finally:
        new.close()
        src.close()
    return path


def without_lines(source: Path, path: Path, pages: list[int]) -> Path:
    """Pages of a real PDF with every path object (the ruling lines) removed: tables printed without lines."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    src = pdfium.PdfDocument(str(source))
    new = pdfium.PdfDocument.new()
    try:
        new.import_pages(src, pages)
        for i in range(len(new)):
            page = new[i]
            for obj in list(page.get_objects(max_depth=1)):
                if obj.type == raw.FPDF_PAGEOBJ_PATH:
                    page.remove_obj(obj)
            page.gen_content()
        new.save(str(path))
    finally:
        new.close()
        src.close()
    return path
