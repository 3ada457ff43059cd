"""Readers: bytes of a file (or an http(s) URL) → decoded text + metadata.

Government documents arrive as text in UTF-8 (with or without BOM), UTF-16 with BOM or GB18030/GBK;
as HTML pages saved from a government site or fetched by URL; as PDF, DOCX (automatic numbering
written out) or OFD. Everything else (scanned PDFs, images, binaries, legacy .doc, empty files,
devices, files over the input limits) is refused with an ``InputError`` that says what the file is and
what to do, because guessing would produce a tree of garbage that then "differs" from everything.

For every kind but plain text the decoded source is the text extracted from the file; spans point into
it. The readers live in ``policydiff.readers``; this module picks one, and imports it only then: the
HTML reader and the page layout rules it loads (their regular expressions, ``statistics``) cost a plain
text file, most inputs and the sample pair ``diff`` starts on, ~10 ms for nothing. Limits:
``docs/inputs.md``.
"""

from __future__ import annotations

import os

import attrs

from .model import InputError
from .readers import fetch as _fetch
from .readers.base import MAX_TEXT_BYTES, Source, ZipReader, read_file_capped

__all__ = ["Source", "decode_text", "read_bytes", "read_source", "read_source_bytes", "read_url"]

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG", "a PNG image", "policydiff reads text, HTML, PDF, DOCX or OFD; run OCR and save the text"),
    (b"\xff\xd8\xff", "a JPEG image", "policydiff reads text, HTML, PDF, DOCX or OFD; run OCR and save the text"),
    (b"GIF8", "a GIF image", "policydiff reads text, HTML, PDF, DOCX or OFD; run OCR and save the text"),
    (b"\xd0\xcf\x11\xe0", "a legacy Word/Excel (OLE) file", "save it as .docx or .txt first"),
    (b"Rar!", "a RAR archive", "extract the document first"),
    (b"\x1f\x8b", "a gzip archive", "extract the document first"),
    (b"7z\xbc\xaf", "a 7z archive", "extract the document first"),
)


def read_source(path: str | os.PathLike[str], *, allow_private: bool = False) -> Source:
    """Read a file (or an http(s) URL) into text, detecting its kind and encoding.

    ``allow_private`` lets a URL reach loopback and private addresses (``readers/fetch.py``).

    Raises:
        InputError: the path is missing, a directory or a device, or the file is empty, binary, an
            image, a scanned PDF, over the input limits, or text in no encoding we can decode.
    """
    return read_source_bytes(path, allow_private=allow_private)[1]


def read_source_bytes(path: str | os.PathLike[str], *, allow_private: bool = False) -> tuple[bytes, Source]:
    """``read_source``, with the bytes it read: for the batch's content hash, which must be of the very
    bytes decoded (a second read could see another file, or another page of a URL)."""
    p = os.fspath(path)
    if _fetch.is_url(p):
        data, src, _ = _read_url(p, allow_private=allow_private, attachments=False)
        return data, src
    data = read_file_capped(p)
    return data, read_bytes(data, p)


def read_url(url: str, *, timeout: float = _fetch.FETCH_TIMEOUT,
             allow_private: bool = False) -> tuple[Source, list[_fetch.Attachment]]:
    """Fetch a page (article + metadata table) or a document file by URL; also its attachments.

    The kind is decided by the bytes when they contradict the content type, and a page's declared
    charset only when it fits the bytes; either case is a warning in ``Source.warnings``.
    """
    _, src, found = _read_url(url, timeout=timeout, allow_private=allow_private)
    return src, found


def _read_url(url: str, *, timeout: float = _fetch.FETCH_TIMEOUT, allow_private: bool = False,
              attachments: bool = True) -> tuple[bytes, Source, list[_fetch.Attachment]]:
    from lxml import etree
    from lxml import html as lxml_html

    from .readers.html import read_html

    url = _fetch.normalize_url(url)
    resp = _fetch.download(url, timeout=timeout, allow_private=allow_private)
    html_page, note = _fetch.sniff(resp)
    notes = (note,) if note else ()
    if not html_page:
        src = read_bytes(resp.data, url)
        return resp.data, attrs.evolve(src, warnings=notes + src.warnings), []
    text, charset_notes = _fetch.decode_page_checked(resp)
    src = read_html(text, url)
    src = attrs.evolve(src, warnings=(*notes, *charset_notes, *src.warnings))
    if not attachments:
        return resp.data, src, []
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), base_url=resp.url,
                                             parser=lxml_html.HTMLParser(encoding="utf-8", huge_tree=True))
    except (etree.ParserError, ValueError):  # the page was parsed once already; links are a bonus
        return resp.data, src, []
    return resp.data, src, _fetch.attachments(root, resp.url)


def read_bytes(data: bytes, path: str = "<bytes>") -> Source:
    """Decode ``data`` (named ``path`` in errors) as text, HTML, PDF, DOCX or OFD."""
    if not data.strip():
        raise InputError(path, "is empty", "give a file that holds the document's text")
    if data.lstrip(b"\x00\t\r\n \xef\xbb\xbf").startswith(b"%PDF"):
        from .readers.pdf import read_pdf

        return read_pdf(data, path)
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"is {what}, not a text document", hint)
    if data.startswith(b"PK\x03\x04"):
        from .readers.docx import read_docx  # imported for a package only: most inputs are text
        from .readers.ofd import is_ofd, read_ofd

        zr = ZipReader(data, path, "DOCX/OFD")
        if is_ofd(zr.names):
            zr.kind = "OFD"
            return read_ofd(zr)
        zr.kind = "DOCX"
        return read_docx(zr)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(path, f"is {len(data) / 2**20:.1f} MiB of text, over the {MAX_TEXT_BYTES / 2**20:.0f} MiB "
                         "limit for text and HTML", "give one year's document, not a collection")
    text, encoding = decode_text(data, path)
    if looks_like_html(text, path):
        from .readers.html import read_html

        return read_html(text, path)
    return Source(path=path, text=text, source_format=f"text/{encoding}")


def looks_like_html(text: str, path: str) -> bool:
    """A file named .html/.htm, or text that starts like an HTML or XHTML page."""
    if path.lower().endswith((".html", ".htm", ".shtml", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<body" in text[:200000].lower()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes by BOM, then strict UTF-8, then strict GB18030 (a superset of GBK and GB2312).

    Errors name the offending byte's offset in the file (BOM included) and its line.
    """
    boms = (
        (b"\xef\xbb\xbf", "utf-8", "utf-8"),
        (b"\xff\xfe", "utf-16-le", "utf-16"),
        (b"\xfe\xff", "utf-16-be", "utf-16"),
    )
    for bom, codec, name in boms:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                at = exc.start + len(bom)
                raise InputError(path, f"has a {name} byte-order mark but invalid {name} at byte {at} "
                                 f"(0x{data[at]:02X})", "re-save it as UTF-8") from exc
            return _check_text(text, path), name
    if b"\x00" in data:
        nul = data.index(b"\x00")
        raise InputError(path, f"is a binary file (a NUL byte at byte {nul})",
                         "give a text, HTML, PDF, DOCX or OFD file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    else:
        # Short GB18030 text can also be valid UTF-8 (十 = CA AE = ʮ): prefer the reading with Chinese.
        if not _has_cjk(text) and not text.isascii():
            try:
                alt = data.decode("gb18030")
            except UnicodeDecodeError:
                alt = ""
            if _has_cjk(alt):
                return _check_text(alt, path), "gb18030"
        return _check_text(text, path), "utf-8"
    try:
        return _check_text(data.decode("gb18030"), path), "gb18030"
    except UnicodeDecodeError as exc:
        # Report the reading that got further: a UTF-8 file with one bad byte fails GB18030 early.
        at = max(utf8_error, exc.start)
        codec = "UTF-8" if utf8_error >= exc.start else "GB18030"
        raise InputError(path, f"is not valid UTF-8, UTF-16 or GB18030 text (reading it as {codec}, byte {at} "
                         f"(0x{data[at]:02X}) on line {_line_of(data, at)} is invalid)",
                         "re-save it as UTF-8") from exc


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" for ch in text)


def _check_text(text: str, path: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 50):
        raise InputError(path, "looks binary (many control characters)", "give a text, HTML, PDF, DOCX or OFD file")
    if not text.strip():
        raise InputError(path, "holds only whitespace", "give a file that holds the document's text")
    return text
