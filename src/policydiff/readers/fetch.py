"""``policydiff fetch URL``: download a government article page (or an attachment) with httpx.

**Where it connects.** Only http(s), on the first URL and on every redirect (at most ``MAX_REDIRECTS``),
and only to public addresses unless ``allow_private`` (``--allow-private``): every host is resolved
once, each of its addresses checked (no loopback, private, link-local, multicast, reserved or
unspecified address, nor an IPv6 form of one), and the connection made to the checked address
(``netguard``), so a redirect, an attachment link or a host that re-resolves cannot reach a service
on the machine or the intranet (server-side request forgery).

**How long.** One deadline (``timeout``) covers the whole download: resolving, connecting, the headers
and the body, across redirects. The body is streamed and abandoned past ``MAX_FETCH_BYTES``.

**What it says.** Link text, URLs, header values and reason phrases come from the server; every one is
put on one line with control characters (C0, C1, ESC, bidi overrides) removed before it reaches a
message, so a page cannot drive the terminal or reverse what the reader sees.

**How it is read.** A page's charset comes from a byte-order mark, then strict UTF-8, then the declared
charset (header, then ``<meta>``) if it decodes cleanly and gives plausible text, else GB18030, with a
warning whenever the declaration was overruled (``decode_page``). The kind comes from the bytes when
they contradict the content type (a PDF served as ``text/html`` is read as a PDF, with a warning).
Attachments are the page's links to PDF, DOCX, OFD (and legacy DOC/WPS) files.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import time
import urllib.parse
from typing import Any

import attrs

from ..model import InputError
from ..text import one_line, visible

MAX_FETCH_BYTES = 16 * 1024 * 1024
"""Largest page or attachment downloaded (16 MiB): an article page is 50–500 KB and a 公文 PDF a few
MB; a body past this is refused while it streams, before it is held in memory."""

FETCH_TIMEOUT = 60.0
"""Seconds for a whole download (60 s): resolving, connecting, headers and body, redirects included.
Slow county sites send a 5 MB attachment within half a minute; a server that takes longer, or trickles
its headers a byte at a time, is reported instead of holding the command (or a batch worker)."""

MAX_REDIRECTS = 5
"""Redirects followed (5): sites move pages to https and to a new path, rarely more than twice; a loop
stops here."""

ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".ofd", ".wps")
"""Links to these files are listed as attachments (the kinds documents are published in)."""

ALLOW_PRIVATE_ENV = "POLICYDIFF_ALLOW_PRIVATE"
"""Set to ``1`` to allow private addresses everywhere, for commands without ``--allow-private`` (``batch``
downloading a manifest's URLs from an intranet, in worker processes that inherit the environment). It
can only widen what a call allows, never narrow it."""

MAX_SHOWN_CHARS = 200
"""Server-supplied text (a URL, a link's text, a reason phrase) is cut to 200 characters in messages."""

PLAUSIBLE_CJK_SHARE = 0.5
"""A declared charset's reading is implausible when fewer than half of its non-ASCII characters are
Chinese (ideographs, CJK punctuation, full-width forms) while GB18030 reads the same bytes cleanly
with more: the Latin-1 reading of GBK bytes ("½ÌÓý") has none. Government pages are Chinese, so a
page whose declared reading has no Chinese but whose GB18030 reading does was declared wrongly."""

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
_GB = ("gb2312", "gbk", "gb18030", "xgbk", "cp936", "ms936", "euccn", "hzgb2312")


def shown(text: str) -> str:
    r"""Server-supplied text as it may appear in a message: one line, no control or bidi characters, cut.

    >>> shown("\x1b[31mred\x1b[0m \u202etxt.exe\n next")
    '[31mred[0m txt.exe next'
    """
    line = one_line(text)
    return line if len(line) <= MAX_SHOWN_CHARS else line[:MAX_SHOWN_CHARS - 1] + "…"


@attrs.frozen
class Response:
    url: str
    """The final URL, after redirects."""
    content_type: str
    charset: str | None
    data: bytes


@attrs.frozen
class Attachment:
    name: str
    """The link's text (one line, control characters removed)."""
    url: str


def is_url(s: str) -> bool:
    """True for http(s) URLs (also in the form ``pathlib`` leaves them: ``https:/host/path``)."""
    return bool(re.match(r"^https?:/", s, re.I))


def normalize_url(s: str) -> str:
    """Undo ``pathlib``'s collapsing of ``//`` in a URL given as a path argument."""
    m = re.match(r"^(https?):/+(.*)$", s, re.I | re.S)
    return f"{m.group(1).lower()}://{m.group(2)}" if m else s


def _check_scheme(url: str, first: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(first, f"leads to a {shown(scheme) or 'relative'}: address ({shown(url)})",
                         "policydiff fetches only http and https pages")


def download(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
             allow_private: bool = False) -> Response:
    """GET ``url`` within one deadline, following at most ``MAX_REDIRECTS`` http(s) redirects.

    Only public addresses are connected to unless ``allow_private`` or ``POLICYDIFF_ALLOW_PRIVATE=1``
    (see the module docstring).

    Raises:
        InputError: a non-http(s) address or redirect, a private address, too many redirects, an HTTP
            error status, a connection error, the deadline passed, or a body over ``max_bytes``.
    """
    import httpx

    from . import netguard

    url = normalize_url(url)
    first = shown(url)
    _check_scheme(url, first)
    allow_private = allow_private or os.environ.get(ALLOW_PRIVATE_ENV) == "1"
    guard = netguard.Guard(time.monotonic() + timeout, allow_private=allow_private)
    headers = {"User-Agent": "policydiff (+https://pypi.org/project/policydiff/)", "Accept-Encoding": "gzip, deflate"}
    answered = False
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, transport=netguard.transport(guard),
                          headers=headers, trust_env=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", url) as resp:
                    if resp.is_redirect:
                        location = visible(resp.headers.get("location", "")).strip()
                        url = urllib.parse.urljoin(url, location)
                        _check_scheme(url, first)
                        continue
                    answered = True
                    if resp.status_code >= 400:
                        status = f"answered HTTP {resp.status_code} {shown(resp.reason_phrase)}".rstrip()
                        raise InputError(first, status, "check the address in a browser")
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise InputError(first, f"is {int(declared) / 2**20:.1f} MiB, over the "
                                         f"{max_bytes / 2**20:.0f} MiB download limit", "download it by hand")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise InputError(first, f"sent more than the {max_bytes / 2**20:.0f} MiB download "
                                             "limit", "download it by hand")
                        chunks.append(chunk)
                        guard.left(None)  # a server trickling bytes meets the deadline here too
                    ctype = resp.headers.get("content-type", "")
                    charset = resp.charset_encoding
                    return Response(url=str(resp.url), content_type=ctype.split(";")[0].strip().lower(),
                                    charset=shown(charset) if charset else None, data=b"".join(chunks))
    except netguard.AddressRefused as exc:
        where = "is at" if exc.host == urllib.parse.urlsplit(normalize_url(first)).hostname else "leads to"
        raise InputError(first, f"{where} {shown(exc.host)} = {exc.address}, a {exc.kind} address; policydiff "
                         "fetches only public addresses", "add --allow-private (allow_private=True) to fetch from "
                         "an intranet") from exc
    except (httpx.TimeoutException, netguard.DeadlineExpired) as exc:
        if answered:
            raise InputError(first, f"took more than {timeout:g} s to download",
                             "try again later or use a larger --timeout") from exc
        raise InputError(first, f"did not answer within {timeout:g} s", "try again later or use --timeout") from exc
    except httpx.HTTPError as exc:
        raise InputError(first, f"cannot be fetched ({type(exc).__name__}: {shown(str(exc))})",
                         "check the address and the network") from exc
    raise InputError(first, f"redirects more than {MAX_REDIRECTS} times", "open it in a browser and give the final URL")


def _codec(name: str | None) -> str | None:
    """The Python codec of a declared charset (GB2312/GBK as GB18030, their superset); None if unknown."""
    if not name:
        return None
    key = name.strip().lower().replace("-", "").replace("_", "")
    if key in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def _is_chinese(ch: str) -> bool:
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f")


def _chinese_share(text: str) -> tuple[float, int]:
    """(share of non-ASCII characters that are Chinese, count of non-ASCII characters)."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 1.0, 0
    return sum(1 for ch in non_ascii if _is_chinese(ch)) / len(non_ascii), len(non_ascii)


def decode_page(resp: Response) -> str:
    """The page as text (``decode_page_checked`` without its warnings)."""
    return decode_page_checked(resp)[0]


def decode_page_checked(resp: Response) -> tuple[str, list[str]]:
    """The page as text and what was overruled: BOM, strict UTF-8, the declared charset, GB18030.

    The declared charset (header first, then ``<meta>``) is used only when it decodes the bytes cleanly
    and gives plausible text (``PLAUSIBLE_CJK_SHARE``); otherwise the bytes are sniffed as the text reader
    does and a warning names the declaration that was not followed.
    """
    data = resp.data
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), []
    meta = _META_CHARSET.search(data[:4096])
    candidates = (("the Content-Type header", resp.charset),
                  ("the page's <meta>", meta.group(1).decode("ascii", "replace") if meta else None))
    declared = [(where, name) for where, name in candidates if name]
    warnings: list[str] = []

    def overruled(used: str, why: str) -> None:
        for where, name in declared:
            if _codec(name) != used:
                warnings.append(f"{where} declares charset {shown(name)}, but {why}: read as {used.upper()}")
                return

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        overruled("utf-8", "the bytes are valid UTF-8")
        return text, warnings
    try:
        gb_text: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    gb_share = _chinese_share(gb_text)[0] if gb_text is not None else 0.0
    for where, name in declared:
        use = _codec(name)
        if use is None:
            warnings.append(f"{where} declares an unknown charset {shown(name)}")
            continue
        try:
            text = data.decode(use)
        except UnicodeDecodeError:
            warnings.append(f"{where} declares charset {shown(name)}, but the bytes are not valid {shown(name)}")
            continue
        share, count = _chinese_share(text)
        if count and share < PLAUSIBLE_CJK_SHARE and gb_text is not None and gb_share > share:
            warnings.append(f"{where} declares charset {shown(name)}, but that reading is not Chinese text "
                            "(mojibake)")
            continue
        return text, warnings
    if gb_text is not None:
        if declared:
            warnings[-1] += "; read as GB18030"
        return gb_text, warnings
    warnings.append("the page is neither UTF-8 nor GB18030 nor its declared charset: undecodable bytes replaced")
    return data.decode("gb18030", errors="replace"), warnings


_SNIFFED = ((b"%PDF-", "a PDF"), (b"PK\x03\x04", "a ZIP (DOCX/OFD)"), (b"\x89PNG", "a PNG image"),
            (b"\xff\xd8\xff", "a JPEG image"), (b"\xd0\xcf\x11\xe0", "a legacy Word (OLE) file"),
            (b"\x1f\x8b", "a gzip archive"))
"""Magic numbers that decide a download's kind whatever its content type says."""


def sniff(resp: Response) -> tuple[bool, str | None]:
    """(is it an HTML page?, a warning when the content type contradicts the bytes).

    The bytes win: a PDF served as ``text/html`` is read as a PDF (it was diffed as raw PDF source), and
    HTML served as ``application/pdf`` is read as HTML.
    """
    head = resp.data[:1024].lstrip(b"\x00\t\r\n \xef\xbb\xbf")
    declared_html = resp.content_type in ("text/html", "application/xhtml+xml")
    for magic, what in _SNIFFED:
        if head.startswith(magic):
            note = (f"served as {shown(resp.content_type)} but the bytes are {what}: read as {what}"
                    if declared_html else None)
            return False, note
    looks_html = head.lower().startswith((b"<!doctype html", b"<html", b"<?xml"))
    if declared_html:
        return True, None
    if looks_html and resp.content_type in ("", "text/plain", "application/octet-stream"):
        return True, None
    if looks_html:
        return True, f"served as {shown(resp.content_type)} but the bytes are an HTML page: read as HTML"
    return False, None


def is_html(resp: Response) -> bool:
    """An HTML page by its bytes and content type (``sniff``)."""
    return sniff(resp)[0]


def attachments(root: Any, base_url: str) -> list[Attachment]:
    """Links to document files (``ATTACHMENT_EXTENSIONS``), in page order, each URL once."""
    out: list[Attachment] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        url = urllib.parse.urljoin(base_url, visible(href).strip())
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or url in seen:
            continue
        if posixpath.splitext(parts.path)[1].lower() not in ATTACHMENT_EXTENSIONS:
            continue
        seen.add(url)
        name = shown("".join(a.itertext())) or shown(posixpath.basename(parts.path))
        out.append(Attachment(name=name, url=url))
    return out


def attachment_filename(att: Attachment) -> str:
    """A safe local file name for an attachment: the URL's base name (never a path)."""
    base = posixpath.basename(urllib.parse.unquote(urllib.parse.urlsplit(att.url).path))
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base).lstrip(".")
    return base or "attachment"


def as_text(text: str, metadata: dict[str, str]) -> str:
    """A fetched article as a text file: the metadata block ("发文字号：…" lines), a blank line, the text.

    The parser reads such a block back as metadata, so a saved page gives the tree the page gives.
    """
    from ..text import METADATA_FIELDS

    head = [f"{k}：{v}" for k, v in metadata.items() if k in METADATA_FIELDS and v and "\n" not in v]
    return ("\n".join(head) + "\n\n" if head else "") + text
