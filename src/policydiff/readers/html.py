"""HTML pages → article text + the metadata table (索引号, 发文字号, …).

Government article pages wrap the document in layout tables, navigation, share bars and footers. The
reader drops scripts, navigation and footers, takes label/value pairs out of the metadata table, and
keeps the element with the most text that is not links (content density, with a bonus for ids/classes
such as ``zoom``, ``TRS_Editor``). Block elements become line breaks; the result is the extracted text
that spans point into.

Robustness (issue 12): an XML declaration (XHTML) is removed before parsing; a metadata table nested in
an outer layout table is taken alone (only the innermost container's own cells are read, and a container
is dropped only when metadata makes up most of its text, so a ``<ul>`` mixing label cells and a measure
keeps the measure); nesting deeper than libxml2 keeps (it drops content below depth 256) is flattened.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import InputError
from ..text import METADATA_FIELDS
from . import layout
from .base import Source

METADATA_SHARE = 0.6
"""A table, list or definition list is removed as a whole only when its metadata pairs make up at least
60 % of its text; below that it is a layout container that also holds the article, and only the
metadata cells themselves are removed."""

MIN_ARTICLE_CHARS = 40
"""An element with fewer than 40 characters of text is never the article (a title, a date line)."""

LINK_PENALTY = 2.0
"""Text inside links counts against an element twice: navigation blocks are mostly links."""

HINT_BONUS = 1.5
"""Elements whose id/class name the article (``zoom``, ``content``, ``TRS_Editor``) score 1.5×."""

DEPTH_LOSS_SHARE = 0.9
"""If the parsed tree holds less than 90 % of the page's visible CJK characters, the parser dropped deep
content (libxml2 stops at depth 256) and the page is re-read with layout containers flattened."""

MAX_HTML_ELEMENTS = 500_000
"""Most start tags in a page (500,000). A government article page has 1,000–5,000 elements and a report
exported from Word with a ``<span>`` per run perhaps 100,000; reading costs about 8 µs an element, so
this keeps the worst page the size limit allows to about 4 s. Counted on the text before libxml2 parses."""

MAX_HTML_ATTRIBUTES = 1_000
"""Most attributes on one element (1,000; real elements have under 30). libxml2 compares each new
attribute with the element's earlier ones, so one element with 200,000 attributes (2.4 MB) runs for
minutes; at 1,000 an element costs about 1.5 ms. Counted by a pre-scan that reads start tags as the
HTML parser does (quotes delimit only values after ``=``; ``<`` does not end a tag)."""

_TAG_START = re.compile(r"<[A-Za-z]")
_START_TAG = re.compile(r"""<[A-Za-z][^\s>]*(?:\s+|=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*)|[^\s=>]+)*>?""")
"""A start tag read as libxml2's HTML parser does: a name, then whitespace, ``=value`` (quoted or not)
or attribute names (which may hold quotes and ``<``), up to ``>``. The branches start with different
characters and the tag may end anywhere, so matching never backtracks."""
_TAG_PART = re.compile(r"""\s+|=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*)|[^\s=>]+""")

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "iframe",
              "button", "select", "template", "svg")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "hr", "td", "th"}
_ARTICLE_HINTS = re.compile(r"(zoom|content|article|TRS_Editor|wenzhang|zhengwen|detail|main-?text|"
                            r"conTxt|pages_content|view)", re.I)
_NAV_HINTS = re.compile(r"(nav|menu|breadcrumb|crumb|footer|header|sidebar|share|copyright|banner|"
                        r"position|location|related|toolbar|print)", re.I)
_XML_DECL = re.compile(r"^\s*(\ufeff)?\s*<\?xml[^>]*\?>", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_REF = re.compile(r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])"
                          r"|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|6553[45]));")
_CONTAINERS = ("table", "dl", "ul", "ol")
_CELLS = ("td", "th", "dt", "dd", "li")
_LABEL = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*)$")


def _raw_text_spans(lower: str) -> list[tuple[int, int]]:
    """Spans of ``<script>``/``<style>`` content, which the parser reads as raw text (no tags inside).

    Found with ``str.find`` and never searched twice, so a page of unclosed ``<script`` is still linear.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        starts = [i for i in (lower.find("<script", pos), lower.find("<style", pos)) if i >= 0]
        if not starts:
            return spans
        start = min(starts)
        name = "</script" if lower.startswith("<script", start) else "</style"
        end = lower.find(name, start + 1)
        end = len(lower) if end < 0 else end
        spans.append((start, end))
        pos = end + 1


def check_markup(text: str, path: str) -> None:
    """Refuse a page with more elements or attributes on one element than the limits, before parsing.

    Linear in the page: a count of ``<`` first (most pages stop there), then start tags outside
    scripts and styles; attributes are counted only in tags long enough to hold more than the limit.

    Raises:
        InputError: more than ``MAX_HTML_ELEMENTS`` start tags, or an element with more than
            ``MAX_HTML_ATTRIBUTES`` attributes.
    """
    if text.count("<") <= MAX_HTML_ELEMENTS and len(text) < 2 * MAX_HTML_ATTRIBUTES:
        return
    lower = text.lower()
    pieces = []
    pos = 0
    for start, end in _raw_text_spans(lower):
        pieces.append(text[pos:start + 1])
        pos = end
    pieces.append(text[pos:])
    markup = " ".join(pieces)
    if markup.count("<") > MAX_HTML_ELEMENTS:
        elements = len(_TAG_START.findall(markup))
        if elements > MAX_HTML_ELEMENTS:
            raise InputError(path, f"is an HTML page of {elements:,} elements, over the limit of "
                             f"{MAX_HTML_ELEMENTS:,}", "save the article itself, or its text")
    for m in _START_TAG.finditer(markup):
        tag = m.group()
        if len(tag) < 2 * MAX_HTML_ATTRIBUTES:
            continue
        count = 0
        for part in _TAG_PART.finditer(tag, len(tag.split(None, 1)[0])):
            first = tag[part.start()]
            count += not first.isspace() and first != "="
            if count > MAX_HTML_ATTRIBUTES:
                raise InputError(path, f"has an element with more than {MAX_HTML_ATTRIBUTES:,} attributes (at "
                                 f"character {m.start():,})", "this is not an ordinary page; check where it came from")


def _parse(text: str, path: str) -> Any:
    from lxml import etree  # here: a plain-text input (most of them) never needs lxml (~15 ms to import)
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"is HTML that cannot be parsed ({exc})", "save the page again") from exc


def _visible_cjk(text: str) -> int:
    stripped = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    return len(_CJK.findall(re.sub(r"<[^>]*>", "", stripped)))


def _flatten(text: str) -> str:
    return re.sub(r"<(/?)(div|span|font|section|article|center|main|b|i|strong|em)\b[^>]*>",
                  lambda m: "<br>" if m.group(2).lower() in ("div", "section", "article", "center", "main") else "",
                  text, flags=re.I)


def read_html(text: str, path: str) -> Source:
    """The article text of a page and its metadata table."""
    text = _XML_DECL.sub("", text, count=1)
    check_markup(text, path)
    # Control characters (raw or as &#x1b;) cannot stand in an lxml tree; they carry nothing on a page.
    text = _NOT_XML_REF.sub(" ", _NOT_XML.sub(" ", text))
    root = _parse(text, path)
    expected = _visible_cjk(text)
    if expected and len(_CJK.findall(root.text_content())) < DEPTH_LOSS_SHARE * expected:
        root = _parse(_flatten(text), path)
    metadata, body_text = extract(root)
    kept, notes = layout.front_and_back_matter(body_text.split("\n"))
    if kept and "附件" in notes:  # only the attachment notes: an HTML page has no 版头/版记 layout of its own
        body_text = "\n".join(kept)
        metadata["附件"] = notes["附件"]
    if not body_text.strip():
        raise InputError(path, "is an HTML page with no article text", "save the page that holds the document")
    return Source(path=path, text=body_text + "\n", source_format="html", metadata=metadata)


def extract(root: Any) -> tuple[dict[str, str], str]:
    """(metadata, article text) of a parsed page; the tree is modified (navigation and metadata dropped)."""
    for bad in list(root.iter(*_DROP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        hint = f"{el.get('id', '')} {el.get('class', '')}"
        if _NAV_HINTS.search(hint) and not _ARTICLE_HINTS.search(hint):
            el.drop_tree()
    metadata = _html_metadata(root)
    title_el = root.find(".//title")
    if title_el is not None and title_el.text and title_el.text.strip():
        metadata.setdefault("页面标题", title_el.text.strip())
    article = _find_article(root)
    return metadata, block_text(article).strip("\n")


def _owner(el: Any) -> Any | None:
    anc = el.getparent()
    while anc is not None and anc.tag not in _CONTAINERS:
        anc = anc.getparent()
    return anc


def _html_metadata(root: Any) -> dict[str, str]:
    """Label/value pairs (索引号, 发文字号, …) out of tables and lists, innermost container first."""
    found: dict[str, str] = {}
    containers = [c for c in root.iter(*_CONTAINERS)]
    for container in reversed(containers):  # innermost (later in document order among nested) first
        if container.getparent() is None:
            continue
        cells = [c for c in container.iter(*_CELLS) if _owner(c) is container]
        texts = [_clean(" ".join(str(t) for t in c.itertext())) for c in cells]
        pairs, used = _label_value_pairs(texts)
        if len(pairs) < 2:
            continue
        found.update(pairs)
        meta_len = sum(len(texts[i]) for i in used)
        total = len(_clean(" ".join(str(t) for t in container.itertext())))
        if total and meta_len >= METADATA_SHARE * total:
            container.drop_tree()
        else:
            for i in sorted(used, reverse=True):
                cell = cells[i]
                if cell.getparent() is not None:
                    cell.drop_tree()
    return found


def _label_value_pairs(cells: list[str]) -> tuple[dict[str, str], list[int]]:
    pairs: dict[str, str] = {}
    used: list[int] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        m = _LABEL.match(cell)
        key = m.group(1) if m else cell.rstrip(":： ")
        if key in METADATA_FIELDS:
            value = m.group(2).strip() if m and m.group(2).strip() else ""
            used.append(i)
            if not value and i + 1 < len(cells) and not _is_label(cells[i + 1]):
                value = cells[i + 1]
                i += 1
                used.append(i)
            pairs[key] = value
        i += 1
    return pairs, used


def _is_label(cell: str) -> bool:
    m = _LABEL.match(cell)
    return (m.group(1) if m else cell.rstrip(":： ")) in METADATA_FIELDS


def _find_article(root: Any) -> Any:
    """The element with the highest content score, computed bottom-up in one pass (no per-element rescans)."""
    from lxml import etree

    body = root.find(".//body")
    top = body if body is not None else root
    text_len: dict[Any, int] = {}
    link_len: dict[Any, int] = {}
    divs: dict[Any, int] = {}
    best: Any | None = None
    best_score = 0.0
    for _event, el in etree.iterwalk(top, events=("end",)):
        if not isinstance(el.tag, str):
            continue
        own = len(_clean(el.text or ""))
        t = own + sum(text_len.pop(c, 0) + len(_clean(c.tail or "")) for c in el)
        lk = (t if el.tag == "a" else 0) + sum(link_len.pop(c, 0) for c in el)
        dv = (1 if el.tag == "div" else 0) + sum(divs.pop(c, 0) for c in el)
        text_len[el], link_len[el], divs[el] = t, min(lk, t), dv
        if el.tag in ("div", "article", "section", "td", "main") and t >= MIN_ARTICLE_CHARS:
            hint = f"{el.get('id', '')} {el.get('class', '')}"
            score = (t - LINK_PENALTY * min(lk, t)) * (HINT_BONUS if _ARTICLE_HINTS.search(hint) else 1.0)
            score -= 0.02 * dv
            if score > best_score:
                best, best_score = el, score
    return best if best is not None else top


def block_text(el: Any) -> str:
    """Text of an element with block elements on their own lines (iterative: any nesting depth)."""
    from lxml import etree

    out: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if node.text and tag:
                out.append(node.text)
        else:
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if node.tail and node is not el:
                out.append(node.tail)
    lines = [ln.strip() for ln in "".join(out).replace("\xa0", " ").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\xa0", " ")).strip()
