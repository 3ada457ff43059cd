"""Documented input limits, checked before the expensive stages see a document.

The parser never raises on any text (``structure.parse``); what is refused here is a *document* too
large for comparison to be meaningful or affordable: a megabyte of repeated headings is 250,000
nodes, and a report with its line breaks removed is one node with tens of thousands of sentences.
Alignment works on nodes and sentences, so that is what is counted, and ``policydiff.read`` refuses
such a document with an ``InputError`` that says which limit and what to do, before alignment
allocates anything. File-size and decompression limits belong to ``sources`` (reading bytes).

Values are set from the real corpus (State Council reports 1954–2024, a county education opinion):
the largest has 414 non-blank lines, 357 nodes, 1,089 sentences, and at most 29 sentences in one node.
The scaling bench concatenates a report up to ×64, which these limits must let through.
"""

from __future__ import annotations

import re

from .model import Document, InputError
from .text import LINE_BREAKS

MAX_LINES = 40_000
"""Non-blank lines per document, checked *before* parsing: every node holds at least one line, so
this bounds the nodes the parser can build, and refusing here answers in well under a second
(parsing 40,000 heading lines takes about 1.2 s). 97× the largest real document (414 lines); a
report ×64 has about 26,500."""

MAX_NODES = 30_000
"""Nodes per document: 84× the largest real document (357), so a report concatenated ×64 (about
23,000 nodes for the longest report) is still compared, while a file of repeated headings (one node
per short line, 250,000 in a megabyte) is refused."""

MAX_SENTENCES_PER_NODE = 20_000
"""Sentences in one node: real nodes have at most 29; a report with every line break removed is one
node, about 17,000 sentences when concatenated ×16 (the scaling bench). More than this is not a
paragraph anyone wrote, and aligning its sentences is the cost being bounded."""

MAX_SENTENCES = 100_000
"""Sentences per document: 90× the largest real document (1,089); a report ×64 has about 70,000."""


_NON_BLANK_LINE = re.compile(rf"[^\s\u200b-\u200f\u2060\ufeff][^{LINE_BREAKS}]*")
"""From the first visible character of a line to its end: one match per non-blank line (a line of
other invisible characters also counts, which only makes the bound safer)."""


def check_text(path: str, text: str) -> None:
    """Refuse a text with more than ``MAX_LINES`` non-blank lines, before it is parsed.

    Raises:
        InputError: the text has more than ``MAX_LINES`` non-blank lines.
    """
    for lines, _ in enumerate(_NON_BLANK_LINE.finditer(text), 1):
        if lines > MAX_LINES:
            raise InputError(path, f"has more than {MAX_LINES:,} lines of text",
                             "compare the document in smaller parts (this is not a yearly work document)")


def check_document(doc: Document) -> None:
    """Refuse a document over the limits above with an ``InputError`` naming the limit.

    Counting stops as soon as a limit is passed, so the check costs no more than the limit itself.

    Raises:
        InputError: more than ``MAX_NODES`` nodes, ``MAX_SENTENCES`` sentences, or
            ``MAX_SENTENCES_PER_NODE`` sentences in one node.
    """
    sentences = 0
    for nodes, node in enumerate(doc.nodes(), 1):
        if nodes > MAX_NODES:
            raise InputError(doc.path, f"has more than {MAX_NODES:,} sections and paragraphs",
                             "compare the document in smaller parts (this is not a yearly work document)")
        n = len(node.sentences)
        if n > MAX_SENTENCES_PER_NODE:
            raise InputError(doc.path, f"has a paragraph of {n:,} sentences (at offset {node.span[0]}; the limit "
                             f"is {MAX_SENTENCES_PER_NODE:,})",
                             "check that the file keeps its line breaks, or split that paragraph")
        sentences += n
        if sentences > MAX_SENTENCES:
            raise InputError(doc.path, f"has more than {MAX_SENTENCES:,} sentences",
                             "compare the document in smaller parts (this is not a yearly work document)")
