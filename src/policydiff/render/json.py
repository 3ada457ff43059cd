"""The Comparison and Document models as JSON (format documented in ``docs/json-format.md``).

The encoder lives in ``policydiff.codec``, next to the decoder that reads it back (``policydiff.loads``):
one serialisation, so that what ``diff -f json`` writes is what ``loads`` and the batch cache read. This
module is the renderer's face of it, in the registry's ``render_comparison`` shape.
"""

from __future__ import annotations

from ..codec import (
    DOCUMENT_FORMAT,
    DOCUMENT_VERSION,
    FORMAT,
    VERSION,
    comparison_dict,
    document_dict,
    dump_document,
    dumps,
    summary,
)
from ..model import Comparison, Document


def render_comparison(cmp: Comparison) -> str:
    """The comparison as indented JSON text (``codec.dumps``)."""
    return dumps(cmp)


def render_document(doc: Document) -> str:
    """The document as indented JSON text (``codec.dump_document``)."""
    return dump_document(doc)


__all__ = ["DOCUMENT_FORMAT", "DOCUMENT_VERSION", "FORMAT", "VERSION", "comparison_dict", "document_dict",
           "render_comparison", "render_document", "summary"]
