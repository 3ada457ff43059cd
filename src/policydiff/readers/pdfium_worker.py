"""PDFium in a process of its own: the PDF on stdin, its text runs as JSON on stdout.

Run by ``readers/pdf.py`` as ``python -I pdfium_worker.py MAX_PAGES MAX_BYTES``; it imports only the
standard library and pypdfium2 (not policydiff, whose import costs a second). Before importing
PDFium it caps its own address space (``RLIMIT_AS``) and CPU time, so a compression bomb that makes
PDFium allocate gigabytes ends this process (PDFium aborts on a failed allocation: SIGABRT, exit
134), never the caller; the caller turns any death into one error line.

Output: ``{"pages": [[width, height, [[text, x0, x1, top, char_width], ...]], ...]}`` or
``{"error": "password" | "damaged" | "pages", "detail": "..."}``.
"""

from __future__ import annotations

import json
import statistics
import sys
from typing import Any

_BREAKS = "\r\n"


def _limit(max_bytes: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: the caller's timeout still holds
        return
    for kind, value in ((resource.RLIMIT_AS, max_bytes), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _soft, hard = resource.getrlimit(kind)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (cap, hard))
        except (ValueError, OSError):
            pass


def _page(page: Any) -> list[Any]:
    """The page's size and its text runs: one run per stretch of text between line breaks."""
    width, height = page.get_size()
    tp = page.get_textpage()
    runs: list[list[Any]] = []
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        chars: list[str] = []
        index: list[int] = []

        def flush() -> None:
            # Boxes of the first, middle and last character only: a run is one line of one font, so its
            # ends give its extent and three heights its size (a box per character costs 20× more).
            if index:
                picks = sorted({index[0], index[len(index) // 2], index[-1]})
                boxes = [tp.get_charbox(i, loose=True) for i in picks]
                runs.append(["".join(chars).rstrip(), boxes[0][0], boxes[-1][2], height - max(b[3] for b in boxes),
                             statistics.median(b[3] - b[1] for b in boxes) or 1.0])
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
    return [width, height, runs]


def main(argv: list[str]) -> int:
    max_pages, max_bytes, cpu_seconds = int(argv[1]), int(argv[2]), int(argv[3])
    _limit(max_bytes, cpu_seconds)
    data = sys.stdin.buffer.read()
    import pypdfium2 as pdfium

    out: dict[str, Any]
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        out = {"error": "password" if "password" in reason.lower() else "damaged", "detail": reason}
    else:
        try:
            count = len(pdf)
            if count > max_pages:
                out = {"error": "pages", "detail": str(count)}
            else:
                out = {"pages": [_page(pdf[i]) for i in range(count)]}
        except pdfium.PdfiumError as exc:
            out = {"error": "text", "detail": str(exc)}
        finally:
            pdf.close()
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
