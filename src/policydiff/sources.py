"""Readers: bytes of a file → decoded text + metadata.

Government documents arrive as text in UTF-8 (with or without BOM), UTF-16 with BOM or GB18030/GBK;
as HTML pages saved from a government site; or as DOCX. Everything else (PDF, images, binaries,
legacy .doc, empty files) is refused with an ``InputError`` that says what the file is and what to do,
because guessing would produce a tree of garbage that then "differs" from everything.

For HTML and DOCX the decoded source is the text extracted from the file; spans point into it.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from typing import Any

import attrs
from lxml import etree
from lxml import html as lxml_html

from .model import InputError
from .text import METADATA_FIELDS

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file", "convert it to text first (e.g. pdftotext -layout FILE out.txt)"),
    (b"\x89PNG", "a PNG image", "policydiff reads text, HTML or DOCX; run OCR and save the text"),
    (b"\xff\xd8\xff", "a JPEG image", "policydiff reads text, HTML or DOCX; run OCR and save the text"),
    (b"GIF8", "a GIF image", "policydiff reads text, HTML or DOCX; run OCR and save the text"),
    (b"\xd0\xcf\x11\xe0", "a legacy Word/Excel (OLE) file", "save it as .docx or .txt first"),
    (b"Rar!", "a RAR archive", "extract the document first"),
    (b"\x1f\x8b", "a gzip archive", "extract the document first"),
    (b"7z\xbc\xaf", "a 7z archive", "extract the document first"),
)


@attrs.frozen
class Source:
    """A decoded input: the text spans point into, what it was read from, and found metadata."""

    path: str
    text: str
    source_format: str
    metadata: dict[str, str] = attrs.field(factory=dict)


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a file into text, detecting its kind and encoding.

    Raises:
        InputError: the path is missing or a directory, or the file is empty, binary, a PDF or image,
            or text in no encoding we can decode.
    """
    p = os.fspath(path)
    if not os.path.exists(p):
        raise InputError(p, "no such file", "check the path")
    if os.path.isdir(p):
        raise InputError(p, "is a directory, not a document", "name one file per year")
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(p, f"cannot be read ({exc.strerror})", "check its permissions") from exc
    return read_bytes(data, p)


def read_bytes(data: bytes, path: str = "<bytes>") -> Source:
    """Decode ``data`` (named ``path`` in errors) as text, HTML or DOCX."""
    if not data.strip():
        raise InputError(path, "is empty", "give a file that holds the document's text")
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"is {what}, not a text document", hint)
    if data.startswith(b"PK\x03\x04"):
        return _read_docx(data, path)
    text, encoding = decode_text(data, path)
    if _looks_like_html(text, path):
        return _read_html(text, path)
    return Source(path=path, text=text, source_format=f"text/{encoding}")


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes by BOM, then strict UTF-8, then strict GB18030 (a superset of GBK and GB2312)."""
    boms = (
        (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
        (b"\xff\xfe", "utf-16", "utf-16"),
        (b"\xfe\xff", "utf-16", "utf-16"),
    )
    for bom, codec, name in boms:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"has a {name} byte-order mark but invalid {name} at byte "
                                 f"{exc.start}", "re-save it as UTF-8") from exc
            return _check_text(text, path), name
    if b"\x00" in data:
        raise InputError(path, "is a binary file (it contains NUL bytes)",
                         "give a text, HTML or DOCX file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
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
        raise InputError(path, f"is not valid UTF-8, UTF-16 or GB18030 text (bad byte at {exc.start})",
                         "re-save it as UTF-8") from exc


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" for ch in text)


def _check_text(text: str, path: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 50):
        raise InputError(path, "looks binary (many control characters)", "give a text, HTML or DOCX file")
    if not text.strip():
        raise InputError(path, "holds only whitespace", "give a file that holds the document's text")
    return text


def _looks_like_html(text: str, path: str) -> bool:
    if path.lower().endswith((".html", ".htm", ".shtml", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<body" in text[:200000].lower()


# --- HTML -----------------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "iframe",
              "button", "select", "template", "svg")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "hr"}
_ARTICLE_HINTS = re.compile(r"(zoom|content|article|TRS_Editor|wenzhang|zhengwen|detail|main-?text|"
                            r"conTxt|pages_content|view)", re.I)
_NAV_HINTS = re.compile(r"(nav|menu|breadcrumb|crumb|footer|header|sidebar|share|copyright|banner|"
                        r"position|location|related|toolbar|print)", re.I)


def _read_html(text: str, path: str) -> Source:
    try:
        root: Any = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"is HTML that cannot be parsed ({exc})", "save the page again") from exc
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        hint = f"{el.get('id', '')} {el.get('class', '')}"
        if el.getparent() is not None and _NAV_HINTS.search(hint) and not _ARTICLE_HINTS.search(hint):
            el.drop_tree()
    metadata = _html_metadata(root)
    title = ""
    title_el = root.find(".//title")
    if title_el is not None and title_el.text:
        title = title_el.text.strip()
    article = _find_article(root)
    body_text = _block_text(article).strip("\n")
    if not body_text.strip():
        raise InputError(path, "is an HTML page with no article text", "save the page that holds the document")
    if title:
        metadata.setdefault("页面标题", title)
    return Source(path=path, text=body_text + "\n", source_format="html", metadata=metadata)


def _html_metadata(root: Any) -> dict[str, str]:
    """Pick label/value pairs (索引号, 发文字号, …) out of tables and definition lists, then drop them."""
    found: dict[str, str] = {}
    for table in list(root.iter("table", "dl", "ul")):
        cells = [_clean(" ".join(str(t) for t in c.itertext())) for c in table.iter("td", "th", "dt", "dd", "li")]
        pairs = _label_value_pairs(cells)
        if len(pairs) >= 2:
            found.update(pairs)
            if table.getparent() is not None:
                table.drop_tree()
    return found


def _label_value_pairs(cells: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    i = 0
    while i < len(cells):
        cell = cells[i]
        m = re.match(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*)$", cell)
        key = m.group(1) if m else cell.rstrip(":： ")
        if key in METADATA_FIELDS:
            value = m.group(2).strip() if m and m.group(2).strip() else ""
            if not value and i + 1 < len(cells):
                value = cells[i + 1]
                i += 1
            pairs[key] = value
        i += 1
    return pairs


def _find_article(root: Any) -> Any:
    """The element most likely to hold the article: hinted by id/class, else the densest text block."""
    best: Any | None = None
    best_score = 0.0
    body = root.find(".//body")
    fallback = body if body is not None else root
    for el in fallback.iter():
        if not isinstance(el.tag, str) or el.tag not in ("div", "article", "section", "td", "main"):
            continue
        text_len = len(_clean("".join(el.itertext())))
        if text_len < 40:
            continue
        link_len = sum(len(_clean("".join(a.itertext()))) for a in el.iter("a"))
        hint = f"{el.get('id', '')} {el.get('class', '')}"
        score = (text_len - 2 * link_len) * (1.5 if _ARTICLE_HINTS.search(hint) else 1.0)
        score -= 0.02 * sum(1 for _ in el.iter("div"))
        if score > best_score:
            best, best_score = el, score
    return best if best is not None else fallback


def _block_text(el: Any) -> str:
    """Text of an element with block elements on their own lines."""
    out = io.StringIO()

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            out.write("\n")
        if node.text and tag:
            out.write(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS:
            out.write("\n")
        if node.tail:
            out.write(node.tail)

    walk(el)
    lines = [ln.strip() for ln in out.getvalue().replace("\xa0", " ").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\xa0", " ")).strip()


# --- DOCX -----------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, path: str) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise InputError(path, "is a ZIP archive but not a DOCX document",
                                 "give a .docx, text or HTML file")
            xml = zf.read("word/document.xml")
    except zipfile.BadZipFile as exc:
        raise InputError(path, "is a damaged ZIP/DOCX file", "save the document again") from exc
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"has a damaged word/document.xml ({exc})", "save the document again") from exc
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
            if el.tag == f"{_W}t":
                parts.append(el.text or "")
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            else:
                parts.append("\n")
        line = "".join(parts)
        if line.strip():
            paragraphs.append(line)
    if not paragraphs:
        raise InputError(path, "is a DOCX document with no text", "check that it is the right file")
    return Source(path=path, text="\n".join(paragraphs) + "\n", source_format="docx")
