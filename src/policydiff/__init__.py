"""policydiff: compare yearly Chinese government work documents.

The public API is small: ``read`` a file or ``parse`` text into a ``Document``; ``compare`` two
documents into a ``Comparison``; render it with ``policydiff.render``.
"""

from __future__ import annotations

import os

from .align import AlignOptions
from .batch import BatchSummary, batch
from .codec import dumps, loads
from .compare import CompareOptions
from .compare import compare as _compare
from .limits import check_document, check_text
from .model import (
    Change,
    CommitmentChange,
    Comparison,
    Document,
    InputError,
    Node,
    NumberChange,
    OptionsError,
    PolicyDiffError,
    Sentence,
    Terms,
)
from .sources import read_source
from .structure import parse
from .text import all_blank
from .timeline import Timeline, timeline

__all__ = [
    "AlignOptions",
    "BatchSummary",
    "Change",
    "CommitmentChange",
    "CompareOptions",
    "Comparison",
    "Document",
    "InputError",
    "Node",
    "NumberChange",
    "OptionsError",
    "PolicyDiffError",
    "Sentence",
    "Terms",
    "Timeline",
    "batch",
    "compare",
    "dumps",
    "loads",
    "parse",
    "read",
    "timeline",
]

__version__ = "0.1.0"


def read(path: str | os.PathLike[str]) -> Document:
    """Read one year's document (text, HTML, PDF, DOCX, OFD, or an http(s) URL) and parse it into a section tree.

    Args:
        path: the file to read (its kind and, for text, its encoding are detected), or a URL.

    Returns:
        The parsed ``Document``; spans point into ``Document.text``.

    Raises:
        InputError: the file is missing, empty, binary, an image or scanned PDF, over the input limits
            (``docs/inputs.md``), or cannot be decoded; a URL cannot be fetched; it holds no visible text
            (only whitespace, zero-width or control characters); or the parsed document is over the
            limits of ``policydiff.limits`` (lines, nodes, sentences).
    """
    src = read_source(path)
    if all_blank(src.text):
        raise InputError(src.path, "holds no visible text (only whitespace, zero-width or control characters)",
                         "give a file that holds the document's text")
    check_text(src.path, src.text)
    doc = parse(src.text, path=src.path, metadata=src.metadata, source_format=src.source_format)
    check_document(doc)
    return doc


def compare(old: Document, new: Document, options: CompareOptions | None = None) -> Comparison:
    r"""Compare two years of a document.

    Args:
        old: the earlier year, from ``read`` or ``parse``.
        new: the later year.
        options: thresholds and pinned pairs (``CompareOptions(align=AlignOptions(...))``).

    Returns:
        A ``Comparison`` whose ``changes`` hold every node of both documents exactly once, in the
        new document's order.

    Raises:
        OptionsError: a pinned node id does not exist, or a threshold is out of range.

    >>> a = parse("一、学前教育\n1.推进等级园创建。创建一级园3所。\n")
    >>> b = parse("一、学前教育\n2.推进等级园创建。创建一级园5所。\n")
    >>> cmp = compare(a, b)
    >>> [(c.level, c.kind) for c in cmp.changes]
    [('part', 'unchanged'), ('measure', 'reworded')]
    >>> [(n.old, n.new) for n in cmp.changes[1].numbers]
    [('3所', '5所')]
    """
    return _compare(old, new, options)
