"""policydiff: compare yearly Chinese government work documents.

The public API is small: ``read`` a file or ``parse`` text into a ``Document``; ``compare`` two
documents into a ``Comparison``; render it with ``policydiff.render``.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what ``__getattr__`` imports on first use, for type checkers and readers
    from .align import AlignOptions
    from .batch import BatchSummary, batch
    from .codec import dumps, loads
    from .compare import CompareOptions
    from .model import (
        Added,
        Change,
        ChangeBase,
        CommitmentChange,
        Comparison,
        Condensed,
        Document,
        InputError,
        Merged,
        Node,
        NumberChange,
        OptionsError,
        PolicyDiffError,
        Removed,
        Reworded,
        Role,
        Sentence,
        Split,
        Terms,
        Unchanged,
    )
    from .timeline import Timeline, timeline
    from .track import Track, track

__all__ = [
    "Added",
    "AlignOptions",
    "BatchSummary",
    "Change",
    "ChangeBase",
    "CommitmentChange",
    "CompareOptions",
    "Comparison",
    "Condensed",
    "Document",
    "InputError",
    "Merged",
    "Node",
    "NumberChange",
    "OptionsError",
    "PolicyDiffError",
    "Removed",
    "Reworded",
    "Role",
    "Sentence",
    "Split",
    "Terms",
    "Timeline",
    "Track",
    "Unchanged",
    "batch",
    "compare",
    "dumps",
    "loads",
    "parse",
    "read",
    "timeline",
    "track",
]

__version__ = "0.1.0"

_MODEL = ("Added", "Change", "ChangeBase", "CommitmentChange", "Comparison", "Condensed", "Document", "InputError",
          "Merged", "Node", "NumberChange", "OptionsError", "PolicyDiffError", "Removed", "Reworded", "Role",
          "Sentence", "Split", "Terms", "Unchanged")

_LAZY = {
    **dict.fromkeys(_MODEL, "model"),
    "AlignOptions": "align",
    "BatchSummary": "batch",
    "batch": "batch",
    "CompareOptions": "compare",
    "dumps": "codec",
    "loads": "codec",
    "Timeline": "timeline",
    "timeline": "timeline",
    "Track": "track",
    "track": "track",
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


_SHADOWED = frozenset({"compare", "batch", "timeline", "track"})
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


def parse(text: str, path: str = "<text>", metadata: dict[str, str] | None = None, source_format: str = "text",
          roles: Mapping[str, Role] | None = None) -> Document:
    r"""Parse decoded text into a ``Document``: the section tree, every node with its anatomy role.

    Args:
        text: the document's text.
        path: the name to report it by.
        metadata: fields read by a reader (索引号, 发文字号 …), kept over those found in the text.
        source_format: what the text was read from (``text``, ``html``, ``pdf`` …).
        roles: anatomy overrides, node (id, locator such as ``二（三）``, or top-level label) → role
            (``docs/anatomy.md``); each applies to the node and its descendants.

    Raises:
        OptionsError: an override names no node, or a role that is not one of ``model.ROLES``. The
            parser itself never raises on any text.

    >>> doc = parse("一、2022年工作回顾\n去年经济增长了3%。\n二、2023年重点工作\n要稳定就业。\n")
    >>> [(n.label, n.role) for n in doc.root.children]
    [('一、', 'review'), ('二、', 'tasks')]
    >>> [n.role for n in parse("一、回顾\n去年增长了3%。\n", roles={"一、": "tasks"}).nodes()]
    ['tasks', 'tasks']
    """
    from .anatomy import annotate
    from .structure import parse as _parse

    return annotate(_parse(text, path=path, metadata=metadata, source_format=source_format), roles)


def read(path: str | os.PathLike[str], roles: Mapping[str, Role] | None = None, *,
         allow_private: bool = False) -> Document:
    """Read one year's document (text, HTML, PDF, DOCX, OFD, or an http(s) URL) and parse it into a section tree.

    Args:
        path: the file to read (its kind and, for text, its encoding are detected), or a URL.
        roles: anatomy overrides, as for ``parse`` (``docs/anatomy.md``).
        allow_private: let a URL (and its redirects) reach loopback and private addresses (an intranet);
            by default only public addresses are fetched (``docs/inputs.md``).

    Returns:
        The parsed ``Document``; spans point into ``Document.text``.

    Raises:
        InputError: the file is missing, empty, binary, an image or scanned PDF, over the input limits
            (``docs/inputs.md``), or cannot be decoded; a URL cannot be fetched; it holds no visible text
            (only whitespace, zero-width or control characters); or the parsed document is over the
            limits of ``policydiff.limits`` (lines, nodes, sentences).
        OptionsError: a role override names no node, or no role.
    """
    from .pipeline import load

    return load(path, roles, allow_private=allow_private)


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
