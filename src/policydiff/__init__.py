"""policydiff: compare yearly Chinese government work documents.

The public API is small: ``read`` a file or ``parse`` text into a ``Document``; ``compare`` two
documents into a ``Comparison``; render it with ``policydiff.render``.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what ``__getattr__`` imports on first use, for type checkers and readers
    from .align import AlignOptions
    from .batch import BatchSummary, batch
    from .compare import CompareOptions
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
    from .readers.base import Source
    from .structure import parse
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
    "parse",
    "read",
    "timeline",
]

__version__ = "0.1.0"

_MODEL = ("Change", "CommitmentChange", "Comparison", "Document", "InputError", "Node", "NumberChange", "OptionsError",
          "PolicyDiffError", "Sentence", "Terms")

_LAZY = {
    **dict.fromkeys(_MODEL, "model"),
    "AlignOptions": "align",
    "BatchSummary": "batch",
    "batch": "batch",
    "CompareOptions": "compare",
    "parse": "structure",
    "Timeline": "timeline",
    "timeline": "timeline",
}
"""Public name → the module that defines it, imported on first use (PEP 562): ``import policydiff`` (and
so every CLI command's start, ``--help`` included) costs nothing; the model (attrs) loads with the first
type used, the aligner and its scipy, the segmenter, pyarrow and the process pools when a comparison, a
timeline or a batch is asked for."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


_SHADOWED = frozenset({"compare", "batch", "timeline"})
"""Public functions named like the submodule that defines them. Importing a submodule sets it as an
attribute of the package, which would replace ``policydiff.compare`` (the function) with the module the
first time anything imports ``policydiff.compare`` lazily; the eager imports this package used to do
happened to run before the function was bound."""


class _Package(types.ModuleType):
    """The package's module type: keeps the public functions of ``_SHADOWED`` when their submodules load
    (the submodules stay in ``sys.modules``, where ``from policydiff.compare import …`` finds them)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    from .sources import read_source

    return _document(read_source(path))


def _document(src: Source) -> Document:
    """A decoded source checked against the input limits and parsed: what ``read`` does after reading (the
    CLI's ``-`` for standard input comes here with the bytes it read)."""
    from .limits import check_document, check_text
    from .model import InputError
    from .structure import parse
    from .text import all_blank

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

    >>> from policydiff import parse
    >>> a = parse("一、学前教育\n1.推进等级园创建。创建一级园3所。\n")
    >>> b = parse("一、学前教育\n2.推进等级园创建。创建一级园5所。\n")
    >>> cmp = compare(a, b)
    >>> [(c.level, c.kind) for c in cmp.changes]
    [('part', 'unchanged'), ('measure', 'reworded')]
    >>> [(n.old, n.new) for n in cmp.changes[1].numbers]
    [('3所', '5所')]
    """
    from .compare import compare as _compare

    return _compare(old, new, options)
