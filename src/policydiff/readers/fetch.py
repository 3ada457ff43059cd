"""``policydiff fetch URL``: download a government article page (or an attachment) with httpx.

Only http(s) is spoken, on the first URL and on every redirect (at most ``MAX_REDIRECTS``); the body
is streamed and abandoned past ``MAX_FETCH_BYTES``; every wait is bounded by a timeout. A page's
charset comes from a byte-order mark, then strict UTF-8 (a wrong ``charset`` header must not garble a
UTF-8 page, and a GBK page is almost never valid UTF-8), then the header, then ``<meta charset>``, then
GB18030. Attachments are the page's links to PDF, DOCX, OFD (and legacy DOC/WPS) files.
"""

from __future__ import annotations

import posixpath
import re
import time
import urllib.parse
from typing import Any

import attrs

from ..model import InputError

MAX_FETCH_BYTES = 16 * 1024 * 1024
"""Largest page or attachment downloaded (16 MiB): an article page is 50–500 KB and a 公文 PDF a few
MB; a body past this is refused while it streams, before it is held in memory."""

FETCH_TIMEOUT = 20.0
"""Seconds to wait to connect and between bytes (20 s): slow county sites answer within a few seconds;
a server that stalls longer is reported instead of hanging the command."""

MAX_REDIRECTS = 5
"""Redirects followed (5): sites move pages to https and to a new path, rarely more than twice; a loop
stops here."""

DEADLINE_FACTOR = 6
"""A whole download may take six timeouts (2 minutes by default): the timeout bounds each wait, so a
server trickling a byte at a time would otherwise hold the command for hours."""

ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".ofd", ".wps")
"""Links to these files are listed as attachments (the kinds documents are published in)."""

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)


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
    url: str


def is_url(s: str) -> bool:
    """True for http(s) URLs (also in the form ``pathlib`` leaves them: ``https:/host/path``)."""
    return bool(re.match(r"^https?:/", s, re.I))


def normalize_url(s: str) -> str:
    """Undo ``pathlib``'s collapsing of ``//`` in a URL given as a path argument."""
    m = re.match(r"^(https?):/+(.*)$", s, re.I | re.S)
    return f"{m.group(1).lower()}://{m.group(2)}" if m else s


def _check_scheme(url: str, shown: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(shown, f"leads to a {scheme or 'relative'}: address ({url})",
                         "policydiff fetches only http and https pages")


def download(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
             transport: Any = None) -> Response:
    """GET ``url`` following at most ``MAX_REDIRECTS`` http(s) redirects; refuse errors and large bodies."""
    import httpx

    url = normalize_url(url)
    shown = url
    _check_scheme(url, shown)
    deadline = time.monotonic() + DEADLINE_FACTOR * timeout
    headers = {"User-Agent": "policydiff (+https://pypi.org/project/policydiff/)", "Accept-Encoding": "gzip, deflate"}
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, transport=transport,
                          headers=headers, trust_env=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", url) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location", "")
                        url = urllib.parse.urljoin(url, location)
                        _check_scheme(url, shown)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(shown, f"answered HTTP {resp.status_code} {resp.reason_phrase}".rstrip(),
                                         "check the address in a browser")
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise InputError(shown, f"is {int(declared) / 2**20:.1f} MiB, over the "
                                         f"{max_bytes / 2**20:.0f} MiB download limit", "download it by hand")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("download too slow")
                        size += len(chunk)
                        if size > max_bytes:
                            raise InputError(shown, f"sent more than the {max_bytes / 2**20:.0f} MiB download "
                                             "limit", "download it by hand")
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type", "")
                    return Response(url=str(resp.url), content_type=ctype.split(";")[0].strip().lower(),
                                    charset=resp.charset_encoding, data=b"".join(chunks))
    except httpx.TimeoutException as exc:
        if str(exc) == "download too slow":
            raise InputError(shown, f"took more than {DEADLINE_FACTOR * timeout:g} s to download",
                             "try again later or use a larger --timeout") from exc
        raise InputError(shown, f"did not answer within {timeout:g} s", "try again later or use --timeout") from exc
    except httpx.HTTPError as exc:
        raise InputError(shown, f"cannot be fetched ({type(exc).__name__}: {exc})",
                         "check the address and the network") from exc
    raise InputError(shown, f"redirects more than {MAX_REDIRECTS} times", "open it in a browser and give the final URL")


def decode_page(resp: Response) -> str:
    """The page as text: BOM, strict UTF-8, the header's charset, ``<meta charset>``, GB18030 (see above)."""
    data = resp.data
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    for name in (resp.charset, meta.group(1).decode("ascii", "replace") if meta else None, "gb18030"):
        if not name:
            continue
        codec = "gb18030" if name.lower().replace("-", "") in ("gb2312", "gbk", "gb18030", "xgbk") else name
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def is_html(resp: Response) -> bool:
    """An HTML page by its content type, or by its first bytes when the server says nothing useful."""
    if resp.content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = resp.data[:1024].lstrip().lower()
    return resp.content_type in ("", "text/plain", "application/octet-stream") and head.startswith(
        (b"<!doctype html", b"<html", b"<?xml"))


def attachments(root: Any, base_url: str) -> list[Attachment]:
    """Links to document files (``ATTACHMENT_EXTENSIONS``), in page order, each URL once."""
    out: list[Attachment] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        url = urllib.parse.urljoin(base_url, href)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or url in seen:
            continue
        if posixpath.splitext(parts.path)[1].lower() not in ATTACHMENT_EXTENSIONS:
            continue
        seen.add(url)
        name = re.sub(r"\s+", " ", "".join(a.itertext())).strip() or posixpath.basename(parts.path)
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
