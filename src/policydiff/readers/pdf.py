"""PDF → text with pypdfium2 (PDFium): text runs with their boxes, then the layout rules of ``layout``.

pypdfium2 was chosen over pdfplumber (pdfminer.six) by measurement (``docs/decisions.md``): the same
characters on 公文 PDFs, nine times faster. A PDF without a text layer (a scan) is refused: policydiff
does no OCR.

**Bounded work** (issue 21, finding 6). PDFium has no limit on what it inflates: an 8 MB compression
bomb took 9.6 GB and 29 s, and under a memory cap PDFium aborts the whole process. So a PDF is read in
two steps:

1. ``scan_streams``, in this process, before PDFium sees the file: every FlateDecode stream (other than
   images, which text extraction never decodes) is inflated with ``zlib.decompressobj(max_length)`` in
   bounded steps, and the total must stay under ``MAX_PDF_INFLATED_BYTES``; an ordinary bomb is refused
   in a fraction of a second with its own message. The same pass finds strings longer than PDFium
   reads (it keeps the first 32,767 bytes of a string and drops the rest): their loss becomes a
   warning instead of silence.
2. PDFium itself runs in a child process (``pdfium_worker.py``) with its address space capped at
   ``MAX_PDF_MEMORY`` and a ``MAX_PDF_SECONDS`` timeout, and refuses more than ``MAX_PDF_PAGES`` pages.
   Whatever the scan cannot see (encrypted streams, other filters, repaired cross-references), the
   child's death is turned into one error line. Costs about 0.15 s a PDF (``docs/decisions.md``).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import zlib
from typing import Any

import attrs

from ..model import InputError
from . import layout
from .base import Source

MAX_PDF_PAGES = 2_000
"""Most pages read (2,000). A yearly work document is 5–60 pages and a budget report a few hundred;
a file of a million pages that share one content stream is a way to spend hours, refused at once."""

MAX_PDF_INFLATED_BYTES = 256 * 1024 * 1024
"""Most bytes all FlateDecode streams (images aside) may inflate to (256 MiB). A 公文 PDF's content
streams and fonts inflate to a few MB (a 30-page report printed by Chromium: under 2 MB); an 8 MB
bomb inflating to gigabytes stops here, after at most this much inflating, in well under a second."""

MAX_PDF_MEMORY = 1024 * 1024 * 1024
"""Address space of the PDFium process (1 GiB). Reading a 30-page 公文 PDF peaks at about 30 MB;
a 64 MiB input (the file limit) with its copies fits; a bomb the scan could not see ends here."""

MAX_PDF_SECONDS = 60
"""Wall-clock (and CPU) seconds for PDFium (60 s). 30 pages take 0.3 s; the limit is for a file built
to make PDFium work for hours, and for a batch worker that must not hang on one."""

PDFIUM_MAX_STRING = 32_767
"""The longest string PDFium's content parser keeps (``kMaxStringLength``): the rest is dropped."""

_SCAN_STEP = 1024 * 1024
"""Inflating is done at most 1 MiB of output at a time, so no single step can blow up."""

_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_FONT_PROGRAM = re.compile(rb"/Length[123]\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_LONG_LITERAL = re.compile(rb"\((?:[^(\\]|\\.){%d}" % PDFIUM_MAX_STRING, re.S)
_LONG_HEX = re.compile(rb"<[0-9A-Fa-f\s]{%d}" % (2 * PDFIUM_MAX_STRING + 2))
_WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfium_worker.py")


@attrs.frozen
class Scan:
    """What ``scan_streams`` found: bytes inflated and streams holding strings PDFium would cut."""

    inflated: int
    long_strings: int


def _dict_before(data: bytes, start: int) -> bytes:
    """The stream's dictionary: from the last ``obj`` before the ``stream`` keyword to it (at most 4 KB)."""
    window = data[max(0, start - 4096):start]
    at = window.rfind(b"obj")
    return window[at:] if at >= 0 else window


def _inflate(chunk: bytes, budget: int, path: str) -> tuple[bytes, int]:
    """Inflate one zlib stream without ever producing more than ``budget`` bytes (or ``_SCAN_STEP`` at once).

    Returns (what was inflated, kept only if small enough to search for long strings; bytes produced).
    A damaged stream counts what it produced: PDFium will see the same.
    """
    d = zlib.decompressobj()
    produced = 0
    kept: list[bytes] = []
    pending = chunk
    try:
        while pending or not d.eof:
            out = d.decompress(pending, _SCAN_STEP)
            pending = d.unconsumed_tail
            produced += len(out)
            if produced > budget:
                raise InputError(path, f"is a PDF whose streams inflate past {MAX_PDF_INFLATED_BYTES / 2**20:.0f} MiB "
                                 "(a compression bomb?)", "this is not an ordinary document; check where it came from")
            if produced <= 16 * _SCAN_STEP:
                kept.append(out)
            if not out and not pending:
                break
    except zlib.error:
        pass
    return b"".join(kept), produced


def _has_long_string(content: bytes) -> bool:
    """Whether a stream holds a literal or hex string longer than PDFium keeps.

    A long literal string is a long stretch without ``)`` (a string with nested parentheses is missed),
    a long hex string one without ``>``: split at those bytes first (C speed), and search only the
    stretches long enough, so that a 10 MB font costs milliseconds, not a regular expression per byte.
    """
    for stop, pattern in ((b")", _LONG_LITERAL), (b">", _LONG_HEX)):
        for piece in content.split(stop):
            if len(piece) >= PDFIUM_MAX_STRING and pattern.search(piece + stop):
                return True
    return False


def scan_streams(data: bytes, path: str) -> Scan:
    """Inflate the FlateDecode streams PDFium parses as text (page contents, forms, CMaps) within
    ``MAX_PDF_INFLATED_BYTES``; count those holding strings longer than PDFium keeps.

    Images (never decoded for text) and embedded font programs (``/Length1``–``/Length3``: megabytes of
    binary in every 公文 PDF, where inflating them here cost half a second) are skipped, and the file is
    searched with ``bytes.find`` from one stream's end to the next: the child process's memory cap
    covers what is skipped, as it covers encrypted streams that do not inflate here.

    Raises:
        InputError: the streams inflate past ``MAX_PDF_INFLATED_BYTES``.
    """
    total = 0
    long_strings = 0
    pos = 0
    while True:
        at = data.find(b"stream", pos)
        if at < 0:
            break
        pos = at + 6
        if at and data[at - 1:at].isalpha():  # "endstream"
            continue
        start = pos + (2 if data[pos:pos + 2] == b"\r\n" else 1 if data[pos:pos + 1] in (b"\n", b"\r") else 0)
        if start == pos:
            continue
        head = _dict_before(data, at)
        length = _LENGTH.search(head)
        if length is not None and int(length.group(1)) <= len(data) - start:
            end = start + int(length.group(1))
        else:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        pos = max(pos, end)
        if b"/Image" in head or _FONT_PROGRAM.search(head):
            continue
        filt = _FILTER.search(head)
        names = re.findall(rb"/([A-Za-z0-9]+)", filt.group(1)) if filt else []
        content = data[start:end]
        if names and all(n in (b"FlateDecode", b"Fl") for n in names):
            for _ in names:  # chained filters multiply the ratio: each stage is bounded
                content, produced = _inflate(content, MAX_PDF_INFLATED_BYTES - total, path)
                total += produced
        elif names:
            continue
        if len(content) > PDFIUM_MAX_STRING and _has_long_string(content):
            long_strings += 1
    return Scan(inflated=total, long_strings=long_strings)


def _run_pdfium(data: bytes, path: str) -> dict[str, Any]:
    """PDFium's text runs from the child process; its death, timeout or garbage as one ``InputError``."""
    cmd = [sys.executable, "-I", _WORKER, str(MAX_PDF_PAGES), str(MAX_PDF_MEMORY), str(MAX_PDF_SECONDS)]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=MAX_PDF_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise InputError(path, f"is a PDF that PDFium could not read within {MAX_PDF_SECONDS} s",
                         "this is not an ordinary document; check where it came from") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read: the PDF reader did not start ({exc.strerror or exc})",
                         "check the installation (pypdfium2)") from exc
    if proc.returncode != 0:
        if proc.returncode < 0 or proc.returncode >= 128 or b"MemoryError" in proc.stderr:
            raise InputError(path, f"is a PDF that needs more than the {MAX_PDF_MEMORY / 2**20:.0f} MiB memory "
                             "limit for reading PDFs (a compression bomb?), or stopped PDFium",
                             "this is not an ordinary document; check where it came from")
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise InputError(path, f"cannot be read by PDFium ({last[0][:200]})", "save or download it again")
    try:
        result: dict[str, Any] = json.loads(proc.stdout)
    except ValueError as exc:
        raise InputError(path, "cannot be read by PDFium (no result)", "save or download it again") from exc
    return result


def _finite(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def read_pdf(data: bytes, path: str) -> Source:
    """Extract a PDF's paragraphs in reading order, 版头/版记 into metadata, furniture dropped."""
    if not _OBJ.search(data):
        raise InputError(path, "is a damaged PDF (it holds no objects)", "save or download it again")
    scan = scan_streams(data, path)
    result = _run_pdfium(data, path)
    error = result.get("error")
    if error == "password":
        raise InputError(path, "is a password-protected PDF", "remove the password and save it again")
    if error == "pages":
        raise InputError(path, f"is a PDF of {result.get('detail')} pages, over the limit of {MAX_PDF_PAGES:,}",
                         "give the document itself, not a collection")
    if error == "text":
        raise InputError(path, f"is a PDF whose text cannot be read ({result.get('detail')})",
                         "save or download it again")
    if error is not None:
        raise InputError(path, f"is a damaged PDF ({result.get('detail')})", "save or download it again")
    pages = []
    for number, (width, height, runs) in enumerate(result["pages"]):
        lines = [layout.Line(text=t, x0=x0, x1=x1, top=top, page=number, char_width=cw)
                 for t, x0, x1, top, cw in runs if _finite(x0, x1, top, cw)]
        pages.append(layout.Page(number=number, width=width if _finite(width) else 595.0,
                                 height=height if _finite(height) else 842.0,
                                 lines=tuple(layout.merge_runs(lines))))
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
    warnings: tuple[str, ...] = ()
    if scan.long_strings:
        warnings = (f"{scan.long_strings} stream(s) hold a string longer than the {PDFIUM_MAX_STRING:,} bytes "
                    "PDFium reads: the text past that point is missing",)
    return Source(path=path, text=text + "\n", source_format="pdf", metadata=meta, warnings=warnings)
