"""Fixed-layout pages (PDF, OFD) → paragraphs, and the 公文 版头 / 版记 → metadata.

A page arrives as positioned lines. Three rules turn them into the text a reader sees:

* **Furniture**: page numbers ("— 3 —", "-3-", "第3页", "3/30") and running headers or footers (the
  same text, digits aside, at the top or bottom of most pages) are dropped.
* **Hard wraps**: a line that reaches the right margin continues into the next line (also across a
  page break); one that ends before it ends its paragraph, as does a line followed by an indented one
  or, when it ends a sentence, by a line starting with a label.
* **版头 / 版记** (GB/T 9704): the issuing organ's mark ("××局文件") and the 发文字号 line at the top of
  the first page, and the 抄送 / 印发 block at the end, are taken out of the text into metadata, so a
  notice's distribution list never aligns with measures.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

import attrs

MARGIN_SLACK_CHARS = 1.5
"""A line whose right edge is within 1.5 character widths of the right margin "reaches" it: justified
CJK lines end exactly at the margin, but a line ending in a closing quote or a half-width digit pair can
stop up to one character short, and 1.5 keeps a genuinely short last line (≥ 2 characters short) apart."""

INDENT_CHARS = 1.0
"""A line starting at least one character width right of the left margin is indented: 公文 paragraphs
start with a two-character indent, so one is enough to see it and survives imprecise glyph boxes."""

FURNITURE_BAND = 0.12
"""Running headers and footers live in the top and bottom 12 % of a page (an A4 公文 has 37 mm and
35 mm margins, 12–13 % of its 297 mm height)."""

REPEAT_SHARE = 0.5
"""A line counts as a running header/footer when its text (digits aside) recurs in the band on at least
half of the pages (and on three or more): a title repeated by chance on two pages is not furniture."""

_DASHES = r"[\s\-—–－‐一_·]*"
_PAGE_NUMBER = re.compile(rf"^{_DASHES}(第\s*)?[0-9０-９]+(\s*页)?(\s*/\s*(共\s*)?[0-9]+\s*页?)?{_DASHES}$")
_ORGAN_MARK = re.compile(r"^(?P<organ>\S{2,40}?)\s*文\s*件$")
_DOC_NUMBER = re.compile(r"^(?P<no>\S{1,20}〔\s*\d{4}\s*〕\s*\d+\s*号)(\s+签发人[:：]\s*(?P<signer>.+))?$")
_COPY_TO = re.compile(r"^(?P<key>抄\s*送|抄\s*报|发\s*送)\s*[:：]\s*(?P<value>.*)$")
_LABEL_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,3}[.．、](?!\d))")
_SENTENCE_END = "。；！？：”’）)"
_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*(?:[:：]|\d)")
_ATTACHMENT_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*\S")
ATTACHMENT_ITEM_CHARS = 60
"""A line after "附件：" is another attachment's name only if it is short (a title, not a measure)."""
_PRINTED = re.compile(r"^(?P<organ>\S.*?)\s+(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")


@attrs.frozen
class Line:
    """One line of a page in page coordinates (x grows right, ``top`` grows down the page)."""

    text: str
    x0: float
    x1: float
    top: float
    page: int
    char_width: float
    """Typical width of one full-width character on this line (the font size)."""


@attrs.frozen
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


SAME_LINE = 0.5
"""Two runs of text whose tops differ by less than half a character height stand on one line (a 版记
line with the printing office at the left and the date at the right comes out as two runs)."""


def merge_runs(runs: list[Line]) -> list[Line]:
    """Runs of text in reading order: top to bottom, runs on the same line left to right and joined."""
    out: list[Line] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        prev = out[-1] if out else None
        if prev is not None and abs(run.top - prev.top) < SAME_LINE * max(run.char_width, prev.char_width):
            gap = " " if run.x0 - prev.x1 > run.char_width else ""
            first, second = (prev, run) if prev.x0 <= run.x0 else (run, prev)
            out[-1] = attrs.evolve(prev, text=first.text + gap + second.text, x0=min(prev.x0, run.x0),
                                   x1=max(prev.x1, run.x1))
        else:
            out.append(run)
    return out


def is_page_number(text: str) -> bool:
    """``— 3 —``, ``-3-``, ``第3页``, ``3/30``, ``3``: a line that is only a page number.

    >>> [is_page_number(t) for t in ("— 3 —", "-12-", "第 3 页", "3 / 30", "3.推进", "2022年")]
    [True, True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.match(text.strip()))


def drop_furniture(pages: list[Page]) -> list[Page]:
    """Pages without page numbers and running headers/footers."""
    def key(line: Line) -> str:
        return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s", "", line.text))

    def in_band(line: Line, page: Page) -> bool:
        return line.top < page.height * FURNITURE_BAND or line.top > page.height * (1 - FURNITURE_BAND)

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({key(ln) for ln in page.lines if in_band(ln, page)})
    need = max(3, int(len(pages) * REPEAT_SHARE + 0.999))
    repeated = {k for k, c in counts.items() if c >= need}
    out = []
    for page in pages:
        kept = tuple(ln for ln in page.lines
                     if not (in_band(ln, page) and (is_page_number(ln.text) or key(ln) in repeated)))
        out.append(attrs.evolve(page, lines=kept))
    return out


def paragraphs(pages: list[Page]) -> list[str]:
    """Join hard-wrapped lines into paragraphs by the right-margin rule (see the module docstring)."""
    lines = [ln for p in pages for ln in p.lines if ln.text.strip()]
    if not lines:
        return []
    cw = statistics.median(ln.char_width for ln in lines) or 1.0
    # The margins are those of the body text: the most common left edge and the furthest right edge
    # reached by many lines (a few wide lines such as a table must not move it).
    left = Counter(round(ln.x0 / cw) for ln in lines).most_common(1)[0][0] * cw
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) >= 10 else rights[-1]
    out: list[str] = []
    cur = ""
    for i, ln in enumerate(lines):
        cur += ln.text.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        reaches = ln.x1 >= right - MARGIN_SLACK_CHARS * ln.char_width
        next_indented = nxt is not None and nxt.x0 > left + INDENT_CHARS * nxt.char_width
        nxt_text = nxt.text.strip() if nxt is not None else ""
        next_back_matter = bool(_COPY_TO.match(nxt_text) or _PRINTED.match(nxt_text))
        # A full line ending a sentence, followed by a flush-left label ("（二）", "3."), ends its paragraph
        # too: some layouts do not indent numbered paragraphs.
        next_label = cur.endswith(tuple(_SENTENCE_END)) and bool(_LABEL_START.match(nxt_text))
        if nxt is None or not reaches or next_indented or next_back_matter or next_label:
            out.append(cur)
            cur = ""
    return out


def front_and_back_matter(paras: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take the 版头 (organ's mark, 发文字号, 签发人), 版记 (抄送, 印发机关, 印发日期) and a closing 附件说明
    (attachment names) out of the text.

    >>> body, meta = front_and_back_matter(["青溪县教育局文件", "青教〔2022〕2号", "一、总体要求",
    ...                                      "抄送：县委办。", "青溪县教育局办公室 2022年2月18日印发"])
    >>> body, meta["发文字号"], meta["抄送"], meta["印发日期"]
    (['一、总体要求'], '青教〔2022〕2号', '县委办。', '2022年2月18日')
    """
    meta: dict[str, str] = {}
    body = list(paras)
    head = 0
    while head < min(4, len(body)):
        text = body[head].strip()
        # The organ's mark is set letter-spaced in large type; extraction may put spaces between glyphs.
        organ = _ORGAN_MARK.match(re.sub(r"\s", "", text)) if len(text) <= 60 else None
        number = _DOC_NUMBER.match(text)
        if organ and "发文机关" not in meta:
            meta["发文机关"] = organ.group("organ")
        elif number and "发文字号" not in meta:
            meta["发文字号"] = re.sub(r"\s", "", number.group("no"))
            if number.group("signer"):
                meta["签发人"] = number.group("signer").strip()
        else:
            break
        head += 1
    body = body[head:]
    tail = len(body)
    while tail > 0:
        text = body[tail - 1].strip()
        copy = _COPY_TO.match(text)
        printed = _PRINTED.match(text)
        if printed and "印发机关" not in meta:
            meta["印发机关"] = printed.group("organ").strip()
            meta["印发日期"] = re.sub(r"\s", "", printed.group("date"))
        elif copy:
            meta[re.sub(r"\s", "", copy.group("key"))] = copy.group("value").strip()
        else:
            break
        tail -= 1
    # 附件说明 at the very end ("附件：1.××表" and "2.××表" lines): the attachments' names, not measures.
    for start in range(tail - 1, max(-1, tail - 12), -1):
        if _ATTACHMENT_NOTE.match(body[start].strip()):
            items = [body[i].strip() for i in range(start + 1, tail)]
            if all(_ATTACHMENT_ITEM.match(t) and len(t) <= ATTACHMENT_ITEM_CHARS for t in items):
                first = re.sub(r"^附\s*件\s*[:：]?\s*", "", body[start].strip())
                meta["附件"] = "；".join([first, *items]) if first else "；".join(items)
                tail = start
            break
    return body[:tail], meta
