"""Write small, real PDF files (text only) for the replica's press-release "Volltext".

A hand-written writer keeps the replica free of a PDF library: one font (Helvetica with
WinAnsiEncoding, which covers German umlauts and ß), wrapped lines, as many pages as
the text needs, and a correct cross-reference table so any PDF reader opens it.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
FONT_SIZE = 10.5
LEADING = 14
WRAP_COLUMNS = 95
LINES_PER_PAGE = int((PAGE_HEIGHT - 2 * MARGIN) / LEADING)


def _pdf_string(text: str) -> bytes:
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(title: str, paragraphs: list[str]) -> list[str]:
    lines = [title, ""]
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, WRAP_COLUMNS) or [""])
        lines.append("")
    return lines


def _page_stream(lines: list[str]) -> bytes:
    ops = [b"BT", b"/F1 %.1f Tf" % FONT_SIZE, b"%d TL" % LEADING]
    ops.append(b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN))
    for line in lines:
        ops.append(_pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def make_pdf(title: str, paragraphs: list[str], created: datetime | None = None) -> bytes:
    """Return the bytes of a PDF showing ``title`` and ``paragraphs``."""
    lines = _wrap(title, paragraphs)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    stamp = (created or datetime(2024, 1, 1)).strftime("D:%Y%m%d%H%M%S")
    # Object numbers: 1 catalog, 2 pages tree, 3 font, 4 info, then (page, content) pairs.
    page_ids = [5 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % pid for pid in page_ids), len(pages)),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title %s /Producer (ikpe-archive replica) /CreationDate (%s) >>"
        % (_pdf_string(title), stamp.encode()),
    }
    for page_id, page_lines in zip(page_ids, pages, strict=True):
        stream = _page_stream(page_lines)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, page_id + 1)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        count,
        xref_at,
    )
    return bytes(out)
