"""Reading the PDFs dhrflow writes, in-process: pypdfium2 (PDFium in its wheel, nothing to install)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def pdf_text(path: Path) -> str:
    """The text of every page, pages apart by a form feed, lines by a newline."""
    document = pdfium.PdfDocument(path)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        return "\f".join(pages)
    finally:
        document.close()


def pdf_pages(path: Path) -> int:
    """How many pages render, each at a small scale and each with something drawn on it."""
    document = pdfium.PdfDocument(path)
    try:
        for number, page in enumerate(document, 1):
            bitmap = page.render(scale=20 / 72)
            assert bitmap.width > 0 and bitmap.height > 0, f"page {number} of {path.name} renders empty"
            assert len(set(bytes(bitmap.buffer))) > 1, f"page {number} of {path.name} renders blank"
        return len(document)
    finally:
        document.close()
