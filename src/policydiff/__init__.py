"""policydiff: compare yearly Chinese government work documents.

The public API is small: ``read`` a file or ``parse`` text into a ``Document``; ``compare`` two
documents into a ``Comparison``; render it with ``policydiff.render``.
"""

from __future__ import annotations

import os

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

__all__ = [
    "Change",
    "CommitmentChange",
    "Comparison",
    "Document",
    "InputError",
    "Node",
    "NumberChange",
    "OptionsError",
    "PolicyDiffError",
    "Sentence",
    "Terms",
    "parse",
    "read",
]

__version__ = "0.1.0"


def read(path: str | os.PathLike[str]) -> Document:
    """Read one year's document (text, HTML or DOCX) and parse it into a section tree.

    Args:
        path: the file to read; its encoding (UTF-8, UTF-16 with BOM, GB18030) is detected.

    Returns:
        The parsed ``Document``; spans point into ``Document.text``.

    Raises:
        InputError: the file is missing, empty, binary, a PDF or image, or cannot be decoded.
    """
    src = read_source(path)
    return parse(src.text, path=src.path, metadata=src.metadata, source_format=src.source_format)
