"""PDF → text with pypdfium2 (PDFium): text runs with their boxes, then the layout rules of ``layout``.

pypdfium2 was chosen over pdfplumber (pdfminer.six) by measurement (``docs/decisions.md``): the same
characters on 公文 PDFs, nine times faster. A PDF without a text layer (a scan) is refused: policydiff
does no OCR.
"""

from __future__ import annotations

import statistics
from typing import Any

from ..model import InputError
from . import layout
from .base import Source

_BREAKS = "\r\n"


def read_pdf(data: bytes, path: str) -> Source:
    """Extract a PDF's paragraphs in reading order, 版头/版记 into metadata, furniture dropped."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise InputError(path, "is a password-protected PDF", "remove the password and save it again") from exc
        raise InputError(path, f"is a damaged PDF ({reason})", "save or download it again") from exc
    try:
        pages = [_page(pdf[i], i) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise InputError(path, f"is a PDF whose text cannot be read ({exc})", "save or download it again") from exc
    finally:
        pdf.close()
    pages = layout.drop_furniture(pages)
    if not any(ln.text.strip() for p in pages for ln in p.lines):
        # Page numbers alone (a scanner's stamp, a printed footer) are not a text layer either.
        raise InputError(path, "is a PDF with no text layer (a scan or images of pages)",
                         "policydiff does no OCR; run OCR (e.g. ocrmypdf) and give the result")
    paras = layout.paragraphs(pages)
    body, meta = layout.front_and_back_matter(paras)
    text = "\n".join(body)
    if not text.strip():
        raise InputError(path, "is a PDF whose pages hold no document text", "check that it is the right file")
    return Source(path=path, text=text + "\n", source_format="pdf", metadata=meta)


def _page(page: Any, number: int) -> layout.Page:
    width, height = page.get_size()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        runs: list[layout.Line] = []
        chars: list[str] = []
        index: list[int] = []

        def flush() -> None:
            # Boxes of the first, middle and last character only: a run is one line of one font, so its
            # ends give its extent and three heights its size (a box per character costs 20× more).
            if index:
                picks = sorted({index[0], index[len(index) // 2], index[-1]})
                boxes = [tp.get_charbox(i, loose=True) for i in picks]
                runs.append(layout.Line(text="".join(chars).rstrip(), x0=boxes[0][0], x1=boxes[-1][2],
                                        top=height - max(b[3] for b in boxes), page=number,
                                        char_width=statistics.median(b[3] - b[1] for b in boxes) or 1.0))
            chars.clear()
            index.clear()

        for i in range(min(n, len(text))):
            ch = text[i]
            if ch in _BREAKS:
                flush()
                continue
            if ch.isspace() or ch == "\x00":
                if chars:
                    chars.append(" ")
                continue
            chars.append(ch)
            index.append(i)
        flush()
    finally:
        tp.close()
    return layout.Page(number=number, width=width, height=height, lines=tuple(layout.merge_runs(runs)))
