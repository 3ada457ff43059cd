"""Text → section tree.

The parser works in four passes, each simple enough to reason about on messy real files:

1. **Lines.** The text is cut at every Unicode line break (LF, CR, CRLF, NEL, U+2028/U+2029, VT, FF);
   each line keeps the offsets of its first and last visible character. Invisible characters
   (zero-width, bidi controls, control characters, noncharacters: see ``text``) count as whitespace
   everywhere and are dropped from line text, because copied web text is full of them.
2. **Front metadata.** A publication block at the top (``索引号:`` / value lines, ``-`` separators) is
   read into ``metadata`` and becomes one ``front`` node.
3. **Paragraphs.** A line that does not end in sentence punctuation is joined with the next one (hard
   wraps and lines broken around links), unless it is a heading, the next line starts with a numbering
   label or ``——``, or either is a date line. Each paragraph keeps a map from its characters to source
   offsets, so spans point to the original characters even across the joins.
4. **Tree.** Numbering styles (``一、`` ``（一）`` ``1.`` ``（1）`` ``①`` ``第一部分`` …) get their depth
   from the order in which they first appear, not from a fixed table: a style seen before closes
   everything opened after it, a new style opens one level deeper. Unnumbered paragraphs whose first
   sentence is a short run-in title (``促进消费稳定增长。``) become measures under the current heading.
   Everything before the first heading is front matter (notice, signature, title, preamble).

The parser never raises on text: what it cannot place becomes a paragraph, with a warning when that
is a guess worth knowing about.
"""

from __future__ import annotations

import re

import attrs

from .model import Document, FrontRole, Node, NodeKind, Sentence
from .text import (
    INVISIBLE,
    METADATA_FIELDS,
    RUN_IN_TITLE_MAX,
    TERMINAL,
    cn_number,
    is_blank,
    one_line,
    printable,
    split_lines,
)

SENTENCE_END = "。！？；"
"""Where commitments are split (outside quotes and brackets)."""
OPENERS = "“‘《（(「『【〔［[〈"
CLOSERS = "”’》）)」』】〕］]〉"
_PAIRS = dict(zip(OPENERS, CLOSERS, strict=True))
MAX_BRACKET = 160
"""An opening bracket not closed within this many characters is treated as stray."""
HEADING_TITLE_MAX = 48
"""Longest first sentence taken as the title of a numbered node."""

_CN_DIGITS = "零〇一二三四五六七八九十百两"
_CN = f"[{_CN_DIGITS}]+"
_AR = "[0-9０-９]{1,3}"


@attrs.frozen
class _Style:
    name: str
    kind: NodeKind
    pattern: re.Pattern[str]


STYLES: tuple[_Style, ...] = (
    _Style("chapter", "part", re.compile(rf"第{_CN}(?:部分|章|篇|編|编)")),
    _Style("di-section", "section", re.compile(rf"第{_CN}节")),
    _Style("article", "measure", re.compile(rf"第{_CN}条")),
    # not before a numeral (二、三产业 is a list of numbers), unless that numeral counts years: 一、一年来工作回顾
    # (2004), 一、三年来的斗争和新时期的总任务 (1978) are the reports' first parts
    _Style("cn", "part", re.compile(rf"[{_CN_DIGITS[2:]}]+[、．](?![{_CN_DIGITS}](?![{_CN_DIGITS}]*年))")),
    _Style("paren-cn", "section", re.compile(rf"[（(]{_CN}[）)]")),
    _Style("arabic", "measure", re.compile(rf"{_AR}\s?[、.．](?![0-9０-９])")),
    _Style("paren-arabic", "item", re.compile(rf"[（(]{_AR}[）)]")),
    _Style("circled", "item", re.compile("[\u2460-\u2473]")),
)

_DATE_LINE = re.compile(rf"^(?:\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(?:\d{{1,2}}|{_CN})\s*月\s*"
                        rf"(?:\d{{1,2}}|{_CN})\s*日$|^\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}$")
_TITLE_WORDS = re.compile("意见|要点|报告|计划|方案|规划|通知|总结|决定|纲要|安排|部署|任务")
_NOTICE = re.compile("印发给你们|现将|请认真贯彻|遵照执行|认真组织实施|结合实际.{0,10}贯彻")
_VOCATIVE = re.compile(r"^[^，。,]{2,10}[！!]$")
_ISSUER_END = re.compile("(局|委员会|委|政府|办公室|办公厅|厅|部|院|中心|小组|党组)$")
_META_LABEL = re.compile(r"^({})\s*[:：]?\s*(.*)$".format("|".join(METADATA_FIELDS)))


# --- pass 1: lines ------------------------------------------------------------------------------


@attrs.frozen
class _Line:
    start: int
    end: int
    text: str
    pos: tuple[int, ...]


def _lines(text: str) -> list[_Line]:
    """Non-blank lines at every Unicode line break (``text.split_lines``), invisible characters dropped.

    Each line's ``pos`` maps its kept characters back to offsets in ``text``, so a span still covers
    the control, bidi and zero-width characters between them: nothing is lost, nothing invisible is
    passed on to titles, sentences or renderers.
    """
    out: list[_Line] = []
    for a, b in split_lines(text):
        while a < b and is_blank(text[a]):
            a += 1
        while b > a and is_blank(text[b - 1]):
            b -= 1
        if a < b:
            chars, pos = [], []
            for i in range(a, b):
                if text[i] not in INVISIBLE:
                    chars.append(text[i])
                    pos.append(i)
            out.append(_Line(a, b, "".join(chars), tuple(pos)))
    return out


# --- pass 2: front metadata --------------------------------------------------------------------


def _metadata_block(lines: list[_Line]) -> tuple[dict[str, str], int]:
    """Read a leading ``索引号: …`` block; returns the fields and how many lines it used."""
    meta: dict[str, str] = {}
    i = 0
    used = 0
    while i < len(lines):
        t = lines[i].text
        if re.fullmatch(r"[-—_=*·•]+", t):
            i += 1
            continue
        m = _META_LABEL.match(t)
        if not m:
            break
        value = m.group(2).strip()
        if not value and i + 1 < len(lines) and not _META_LABEL.match(lines[i + 1].text) \
                and not re.fullmatch(r"[-—_=*·•]+", lines[i + 1].text):
            i += 1
            value = lines[i].text.strip()
        meta[m.group(1)] = value
        i += 1
        used = i
    if len(meta) < 2:
        return {}, 0
    return meta, used


# --- pass 3: paragraphs ------------------------------------------------------------------------


@attrs.frozen
class _Para:
    start: int
    end: int
    text: str
    pos: tuple[int, ...]


def _match_label(text: str) -> tuple[_Style, str, str] | None:
    """The numbering style and label at the start of ``text``, and the rest after it."""
    for style in STYLES:
        m = style.pattern.match(text)
        if m:
            rest = text[m.end():]
            if not rest.strip() and style.name not in ("chapter", "cn", "paren-cn"):
                return None
            return style, m.group(0).strip(), rest
    return None


_PROSE_MARKS = re.compile(r"[，。；：！？,.;:!?]")
"""Punctuation of sentences: a line holding one is prose, not a heading or a title."""


def _heading_like(text: str) -> bool:
    """A short line with no punctuation at all: a title, a heading, an issuer or speaker line."""
    return len(text) <= 30 and "、" not in text and not _PROSE_MARKS.search(text)


def _is_heading_line(text: str) -> bool:
    """A numbered heading that is complete on its line (``一、以党的建设为核心，发挥党建引领作用``)."""
    lab = _match_label(text)
    if lab is None:
        return False
    rest = lab[2]
    return len(rest) <= 50 and not any(c in rest for c in "。！？") and not rest.endswith(("，", "、", ","))


_ONE_CHARACTER_CLAUSE = re.compile(r"^[\u3400-\u9fff][，、；,;]")
"""A line whose first clause is one character continues the line before: no paragraph opens with a
one-character clause, while a word broken across lines (an invisible line between, from a web page's
markup) leaves exactly that: 改 / 革，加快推进基础性、关键性改革."""


def _joins(cur: str, nxt: str, prev: str | None, front: bool) -> bool:
    if nxt[0] in CLOSERS or nxt[0] in "，。；：、,.;:" or cur[-1] in OPENERS:
        return True
    if cur[-1] in TERMINAL:
        return False
    if _match_label(nxt) or nxt.startswith("——") or _DATE_LINE.match(nxt) or _DATE_LINE.match(cur):
        return False
    if _is_heading_line(cur):
        return False
    if _ONE_CHARACTER_CLAUSE.match(nxt):
        return True  # a word broken across lines: 要全面深化各领域改 / 革，加快推进… (2017), …建 / 设，构建… (2021)
    if front and _heading_like(cur) and _heading_like(nxt) and len(nxt) <= 2:
        return True  # a title broken before its last character: 政府工作报 / 告
    if _heading_like(cur) and (front or prev is None or prev[-1] in TERMINAL) and len(cur) <= 24:
        return False
    if front and (prev is None or prev[-1] in TERMINAL) and _title_like(cur) and not _title_like(nxt):
        return False  # a title longer than a heading (``TITLE_MAX``) above the first sentence of prose
    return not (front and _heading_like(nxt) and len(nxt) <= 24 and _heading_like(cur))


def _paragraphs(lines: list[_Line], first_heading_line: int) -> list[_Para]:
    out: list[_Para] = []
    i = 0
    while i < len(lines):
        group = [lines[i]]
        while i + 1 < len(lines) and _joins(group[-1].text, lines[i + 1].text,
                                            group[-2].text if len(group) > 1 else
                                            (lines[i - len(group)].text if i - len(group) >= 0 else None),
                                            i < first_heading_line):
            i += 1
            group.append(lines[i])
        out.append(_Para(group[0].start, group[-1].end, "".join(g.text for g in group),
                         tuple(p for g in group for p in g.pos)))
        i += 1
    return out


# --- sentences and titles -----------------------------------------------------------------------


def sentence_ends(text: str) -> list[int]:
    """Indices just after each sentence-ending mark outside quotes and brackets.

    An opening bracket never closed in the text (or not within ``MAX_BRACKET`` characters) is
    ignored, so one stray “ cannot swallow a whole paragraph.
    """
    ignore: set[int] = set()
    for _ in range(4):
        ends, unclosed = _scan(text, ignore)
        if not unclosed:
            break
        ignore |= unclosed
    return ends


def _scan(text: str, ignore: set[int]) -> tuple[list[int], set[int]]:
    ends: list[int] = []
    stack: list[tuple[str, int]] = []
    stale: set[int] = set()
    for i, ch in enumerate(text):
        if ch in _PAIRS and i not in ignore:
            stack.append((_PAIRS[ch], i))
            continue
        if stack and ch == stack[-1][0]:
            stack.pop()
            continue
        if ch in CLOSERS and any(c == ch for c, _ in stack):
            while stack and stack[-1][0] != ch:
                stack.pop()
            if stack:
                stack.pop()
            continue
        while stack and i - stack[-1][1] > MAX_BRACKET:
            stale.add(stack.pop()[1])
        if ch in SENTENCE_END and not stack:
            j = i + 1
            while j < len(text) and (text[j] in SENTENCE_END or text[j] in "”’」』"):
                j += 1
            if not ends or ends[-1] < j:
                ends.append(j)
    if not ends or ends[-1] < len(text):
        if text[(ends[-1] if ends else 0):].strip():
            ends.append(len(text))
        elif ends:
            ends[-1] = len(text)
    return ends, stale | {pos for _, pos in stack}


def _first_sentence_end(text: str, marks: str = "。！？") -> int | None:
    for e in sentence_ends(text):
        k = e - 1
        while k > 0 and text[k] in "”’」』":
            k -= 1
        if text[k] in marks:
            return e
        if text[k] in "；":
            return None
    return None


def _split_title(rest: str, numbered: bool) -> tuple[str, str]:
    """(title, body) of a node's text after its label."""
    if not rest:
        return "", ""
    end = _first_sentence_end(rest)
    if numbered:
        if end is None:
            return (rest, "") if len(rest) <= 60 else ("", rest)
        return (rest[:end], rest[end:]) if end <= HEADING_TITLE_MAX else ("", rest)
    if end is None:
        return (rest, "") if _heading_like(rest) else ("", rest)
    first = rest[:end]
    if end <= RUN_IN_TITLE_MAX and rest[end:].strip() and "，" not in first and "," not in first \
            and first[-1] in "。":
        return first, rest[end:]
    return "", rest


# --- pass 4: tree ------------------------------------------------------------------------------


@attrs.define
class _Builder:
    kind: NodeKind
    label: str
    ordinal: int | None
    title: str
    body: str
    span: tuple[int, int]
    sentences: tuple[Sentence, ...]
    front_role: FrontRole | None = None
    children: list[_Builder] = attrs.field(factory=list)

    def freeze(self, node_id: str) -> Node:
        kids = tuple(c.freeze(f"{node_id}.{i}" if node_id else str(i))
                     for i, c in enumerate(self.children, 1))
        return Node(id=node_id, kind=self.kind, label=self.label, ordinal=self.ordinal, title=self.title,
                    body=self.body, span=self.span, sentences=self.sentences, children=kids,
                    front_role=self.front_role)


def parse_ordinal(label: str) -> int | None:
    """The number in a label: ``（三）`` → 3, ``十二、`` → 12, ``１２．`` → 12, ``⑫`` → 12."""
    digits = re.sub(r"\D", "", label.translate(_FULLWIDTH))
    if digits:
        return int(digits)
    circ = [c for c in label if "\u2460" <= c <= "\u2473"]
    if circ:
        return ord(circ[0]) - 0x2460 + 1
    cn = "".join(c for c in label if c in _CN_DIGITS)
    return cn_number(cn) if cn else None


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _sentences(para: _Para, offset: int) -> tuple[Sentence, ...]:
    text = para.text[offset:]
    out = []
    start = 0
    for end in sentence_ends(text):
        piece = text[start:end]
        a = start + (len(piece) - len(piece.lstrip()))
        b = end - (len(piece) - len(piece.rstrip()))
        if a < b:
            out.append(Sentence(text[a:b], (para.pos[offset + a], para.pos[offset + b - 1] + 1)))
        start = end
    return tuple(out)


def _node(para: _Para, kind: NodeKind, label: str, rest_at: int, numbered: bool,
          front_role: FrontRole | None = None) -> _Builder:
    rest = para.text[rest_at:]
    stripped = rest.lstrip()
    rest_at += len(rest) - len(stripped)
    title, body = _split_title(stripped, numbered) if front_role is None else ("", stripped)
    return _Builder(kind=kind, label=label, ordinal=parse_ordinal(label) if label else None,
                    title=title, body=body, span=(para.start, para.end),
                    sentences=_sentences(para, rest_at), front_role=front_role)


def parse(text: str, path: str = "<text>", metadata: dict[str, str] | None = None,
          source_format: str = "text") -> Document:
    r"""Parse decoded text into a ``Document`` with its section tree. Never raises on any text.

    >>> doc = parse("一、总体要求\n1.强化党建引领工作。坚持党的领导。\n")
    >>> [(n.kind, n.label, n.title) for n in doc.nodes()]
    [('part', '一、', '总体要求'), ('measure', '1.', '强化党建引领工作。')]
    """
    # The one gate from outside text into the model: file names and metadata from readers can hold
    # control characters too (a name is escaped, so two names stay distinct; metadata is cleaned).
    meta = {one_line(k): one_line(v) for k, v in (metadata or {}).items()}
    warnings: list[str] = []
    lines = _lines(text)
    block, used = _metadata_block(lines)
    top: list[_Builder] = []
    if used:
        for k, v in block.items():
            meta.setdefault(k, v)
        body_text = "".join(ln.text for ln in lines[:used])
        top.append(_Builder(kind="front", label="", ordinal=None, title="", body=body_text,
                            span=(lines[0].start, lines[used - 1].end), sentences=(), front_role="metadata"))
    lines = lines[used:]
    first_heading = next((i for i, ln in enumerate(lines) if _match_label(ln.text)), len(lines))
    paras = _paragraphs(lines, first_heading)
    first_labelled = next((i for i, p in enumerate(paras) if _match_label(p.text)), None)
    front_end = first_labelled if first_labelled is not None else _front_end_unnumbered(paras)
    title = _front_matter(paras[:front_end], top)
    _body(paras[front_end:], top, warnings)
    root = _Builder(kind="document", label="", ordinal=None, title=title, body="", span=(0, 0),
                    sentences=(), children=top)
    return Document(path=printable(path), text=text, metadata=meta, title=title, root=root.freeze(""),
                    warnings=tuple(warnings), source_format=source_format)


def _front_end_unnumbered(paras: list[_Para]) -> int:
    """Without any numbered heading, front matter is only the short lines at the top."""
    for i, p in enumerate(paras):
        if not (_heading_like(p.text) or _DATE_LINE.match(p.text) or p.text.startswith("——")
                or _NOTICE.search(p.text) or p.text.endswith(("：", ":"))):
            return i
    return len(paras)


TITLE_MAX = 60
"""Longest line read as a document's title. Titles run longer than headings (``_heading_like``, 30): a
notice's ``XX市人民政府办公室关于印发XX市2023年深化教育领域综合改革工作要点的通知`` (38), a congress report's
two-line ``高举中国特色社会主义伟大旗帜　为全面建设社会主义现代化国家而团结奋斗`` (34); like a heading, a
title has no sentence punctuation."""


def _title_like(text: str) -> bool:
    return len(text) <= TITLE_MAX and not _PROSE_MARKS.search(text)


def _front_matter(paras: list[_Para], out: list[_Builder]) -> str:
    """Give each front paragraph its role; returns the document title."""
    roles: list[FrontRole] = ["preamble"] * len(paras)
    title_at = None
    for i, p in enumerate(paras):
        t = p.text
        if _DATE_LINE.match(t):
            roles[i] = "signature"
            if i > 0 and _heading_like(paras[i - 1].text) and _ISSUER_END.search(paras[i - 1].text):
                roles[i - 1] = "signature"
        elif _NOTICE.search(t):
            roles[i] = "notice"
            if i > 0 and paras[i - 1].text.endswith(("：", ":")):
                roles[i - 1] = "notice"
    # The title stands above the text: a heading-like line after the first paragraph of prose is a section
    # heading of an unnumbered body (1982's 第六个五年计划的基本任务 after 各位代表：现在，我代表国务院…).
    top = next((i for i, p in enumerate(paras) if roles[i] == "preamble" and not _title_like(p.text)),
               len(paras))
    for i, p in enumerate(paras[:top]):  # a line opening with a dash is a subtitle, whatever words it holds:
        # ——在中国共产党第十九次全国代表大会上的报告 names the occasion under the title line above it
        if roles[i] == "preamble" and _title_like(p.text) and _TITLE_WORDS.search(p.text) \
                and not p.text.startswith("——"):
            title_at = i
            break
    if title_at is None:
        title_at = next((i for i, p in enumerate(paras[:top]) if roles[i] == "preamble"
                         and _title_like(p.text) and not _ISSUER_END.search(p.text)
                         and not p.text.startswith("——")), None)
    if title_at is not None:
        roles[title_at] = "title"
        for j in range(title_at + 1, len(paras)):
            t = paras[j].text
            if roles[j] != "preamble":
                continue
            if t.startswith("——") or (_heading_like(t) and len(t) <= 16):
                roles[j] = "subtitle" if t.startswith("——") else "signature"
            else:
                break
    for i, p in enumerate(paras):
        out.append(_node(p, "front", "", 0, False, front_role=roles[i]))
    return paras[title_at].text if title_at is not None else ""


def _body(paras: list[_Para], top: list[_Builder], warnings: list[str]) -> None:
    stack: list[tuple[str, _Builder]] = []
    last_ordinal: dict[str, int] = {}

    def container() -> list[_Builder]:
        return stack[-1][1].children if stack else top

    for p in paras:
        lab = _match_label(p.text)
        if lab is not None:
            style, label, rest = lab
            names = [s for s, _ in stack]
            if style.name in names:
                del stack[names.index(style.name):]
            node = _node(p, style.kind, label, len(p.text) - len(rest), True)
            prev = last_ordinal.get(style.name)
            if node.ordinal is not None and prev is not None and node.ordinal not in (prev + 1, 1):
                warnings.append(f"numbering jumps from {prev} to {node.ordinal} at {label}"
                                f"{node.title[:20]} (offset {p.start})")
            if node.ordinal is not None:
                last_ordinal[style.name] = node.ordinal
            container().append(node)
            stack.append((style.name, node))
            continue
        if _VOCATIVE.match(p.text) and stack:
            del stack[1:]
            container().append(_node(p, "paragraph", "", 0, False))
            continue
        node = _node(p, "paragraph", "", 0, False)
        parent_kind = stack[-1][1].kind if stack else None
        if node.title and node.body and parent_kind in ("part", "section", None):
            node.kind = "measure"
        container().append(node)

