"""Documented input limits, checked before the expensive stages see a document.

The parser never raises on any text (``structure.parse``); what is refused here is a *document* too
large for comparison to be meaningful or affordable: a megabyte of repeated headings is 250,000
nodes, and a report with its line breaks removed is one node with tens of thousands of sentences.
``policydiff.read`` refuses such a document with an ``InputError`` that says which limit and what to
do. File-size and decompression limits belong to the readers (``docs/inputs.md``).

Two checks, so that an input over a limit is refused before memory grows:

* ``check_text``, *before parsing*, in one pass of C-speed string operations (about 0.1 s for the
  largest text the readers accept): characters, non-blank lines (every node holds at least one line,
  so this bounds the nodes), sentence-ending marks (bounding the sentences), and marks on one line.
* ``check_document``, after parsing, on what alignment works on: nodes, sentences, sentences per node
  (a paragraph joined from many hard-wrapped lines is only known after parsing).

Values are set from the real corpus (State Council reports 1954–2024, a county education opinion):
the largest (1955) has 57,341 characters, 414 non-blank lines, 357 nodes, 1,089 sentences and at
most 29 sentences in one node. The scaling bench concatenates a report up to ×64 (1955 ×64: 3.7 M
characters, 26,500 lines, 22,848 nodes, 69,700 sentences; parsed in about 3 s) and removes its line
breaks ×16 (17,000 sentences in one node): these limits let all of that through.
"""

from __future__ import annotations

import re

from .model import Document, InputError
from .text import LINE_BREAKS

MAX_CHARS = 4_000_000
"""Characters per document: 70× the longest real report, above the bench's ×64 (3.7 M). The parser
keeps an offset per character, so this bounds its memory (about 1 GB at this size)."""

MAX_LINES = 30_000
"""Non-blank lines per document: 72× the largest real document (414); a report ×64 has 26,500. Since
every node holds at least one line, this also enforces ``MAX_NODES`` before parsing."""

MAX_NODES = MAX_LINES
"""Nodes per document: 84× the largest real document (357); a report ×64 has 22,848. A file of
repeated one-line headings (250,000 in a megabyte) is refused by the line count before parsing."""

MAX_SENTENCES = 100_000
"""Sentences (and, before parsing, sentence-ending marks 。！？；) per document: 90× the largest real
document (1,089); a report ×64 has about 70,000."""

MAX_SENTENCES_PER_NODE = 20_000
"""Sentences in one node (and, before parsing, marks on one line): real nodes have at most 29; a
report with every line break removed, ×16, is one node of about 17,000 sentences (the bench). More
is not a paragraph anyone wrote, and aligning its sentences is the cost being bounded."""

SENTENCE_MARKS = "。！？；"
"""The marks the parser splits sentences at (``structure.SENTENCE_END``); each ends at most one."""

_NON_BLANK_LINE = re.compile(rf"[^\s\u200b-\u200f\u2060\ufeff][^{LINE_BREAKS}]*")
"""From the first visible character of a line to its end: one match per non-blank line (a line of
other invisible characters also counts, which only makes the bound safer)."""

_SMALLER = "compare the document in smaller parts (this is not a yearly work document)"


def _marks(text: str) -> int:
    return sum(text.count(m) for m in SENTENCE_MARKS)


def check_text(path: str, text: str) -> None:
    """Refuse a text over the character, line or sentence-mark limits, before it is parsed.

    Raises:
        InputError: more than ``MAX_CHARS`` characters, ``MAX_LINES`` non-blank lines,
            ``MAX_SENTENCES`` sentence marks, or ``MAX_SENTENCES_PER_NODE`` marks on one line.
    """
    if len(text) > MAX_CHARS:
        raise InputError(path, f"has {len(text):,} characters (the limit is {MAX_CHARS:,})", _SMALLER)
    marks = _marks(text)
    if marks > MAX_SENTENCES:
        raise InputError(path, f"has {marks:,} sentences (the limit is {MAX_SENTENCES:,})", _SMALLER)
    for lines, m in enumerate(_NON_BLANK_LINE.finditer(text), 1):
        if lines > MAX_LINES:
            raise InputError(path, f"has more than {MAX_LINES:,} lines of text", _SMALLER)
        if marks > MAX_SENTENCES_PER_NODE and _marks(m.group()) > MAX_SENTENCES_PER_NODE:
            raise InputError(path, f"has a line of {_marks(m.group()):,} sentences (at offset {m.start()}; the "
                             f"limit is {MAX_SENTENCES_PER_NODE:,})",
                             "check that the file keeps its line breaks, or split that paragraph")


def check_document(doc: Document) -> None:
    """Refuse a parsed document over the node and sentence limits with an ``InputError`` naming the limit.

    Counting stops as soon as a limit is passed, so the check costs no more than the limit itself.

    Raises:
        InputError: more than ``MAX_NODES`` nodes, ``MAX_SENTENCES`` sentences, or
            ``MAX_SENTENCES_PER_NODE`` sentences in one node.
    """
    sentences = 0
    for nodes, node in enumerate(doc.nodes(), 1):
        if nodes > MAX_NODES:
            raise InputError(doc.path, f"has more than {MAX_NODES:,} sections and paragraphs", _SMALLER)
        n = len(node.sentences)
        if n > MAX_SENTENCES_PER_NODE:
            raise InputError(doc.path, f"has a paragraph of {n:,} sentences (at offset {node.span[0]}; the limit "
                             f"is {MAX_SENTENCES_PER_NODE:,})",
                             "check that the file keeps its line breaks, or split that paragraph")
        sentences += n
        if sentences > MAX_SENTENCES:
            raise InputError(doc.path, f"has more than {MAX_SENTENCES:,} sentences", _SMALLER)
