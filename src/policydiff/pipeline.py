"""The one way a document is loaded: read, check against the input limits, parse, give every node its role.

``policydiff.read`` (so ``show`` and ``diff``), ``timeline`` and ``batch`` all load documents here. They
used to take three paths (``read``; the timeline parsing text in its workers; the batch parsing what it
read), and only ``read`` applied the limits of ``limits.py``: a file that ``diff`` refused as too many
lines or nodes went straight into the parser (and the aligner) from ``timeline`` and ``batch``. The
limits exist because the parser and aligner are not linear in every input (``docs/inputs.md``), so
every path must apply them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from .anatomy import annotate
from .limits import check_document, check_text
from .model import Document, InputError, Role
from .readers.base import Source
from .sources import read_source
from .structure import parse
from .text import all_blank

__all__ = ["Source", "document_of", "load", "source_of"]


def load(path: str | os.PathLike[str], roles: Mapping[str, Role] | None = None, *,
         allow_private: bool = False) -> Document:
    """Read one document (a file or an http(s) URL) and parse it, within the input limits.

    Raises:
        InputError: unreadable, over the limits, or without visible text (see ``policydiff.read``).
        OptionsError: a role override names no node, or no role.
    """
    return document_of(read_source(path, allow_private=allow_private), roles)


def source_of(doc: Document) -> Source:
    """The decoded source a document was parsed from: what a worker process needs to parse it again
    (sending text is cheaper and safer than sending the tree)."""
    return Source(path=doc.path, text=doc.text, source_format=doc.source_format, metadata=dict(doc.metadata))


def document_of(src: Source, roles: Mapping[str, Role] | None = None) -> Document:
    """A decoded source checked against the input limits, parsed and given its anatomy: what ``load`` does
    after reading (the CLI's ``-`` for standard input and the timeline's workers come here with the
    source they hold, the batch with the source it hashed)."""
    if all_blank(src.text):
        raise InputError(src.path, "holds no visible text (only whitespace, zero-width or control characters)",
                         "give a file that holds the document's text")
    check_text(src.path, src.text)
    doc = parse(src.text, path=src.path, metadata=src.metadata, source_format=src.source_format)
    check_document(doc)
    if src.warnings:  # what the reader had to guess comes before what the parser noticed
        doc = attrs.evolve(doc, warnings=src.warnings + doc.warnings)
    return annotate(doc, roles)
