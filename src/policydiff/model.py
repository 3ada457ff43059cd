"""The shared, frozen data model of policydiff.

Every stage of the pipeline (sources → structure → align → textdiff → compare → render) speaks in
these types, and this module imports nothing of ours, so any stage can use them without pulling in
another stage. All containers are tuples so that values hash, compare and never change under a caller.

Offsets: every ``span`` is a half-open ``(start, end)`` pair of indices into ``Document.text``, the
decoded source (for HTML and DOCX inputs, the text extracted from them). ``Document.text[start:end]``
is exactly the node's own text as written, line breaks of hard-wrapped lines included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import attrs

NodeKind = Literal["document", "front", "part", "section", "measure", "item", "paragraph"]
"""``front`` is front matter (see ``Node.role``); the others are levels of the body."""

FrontRole = Literal["metadata", "notice", "signature", "title", "subtitle", "preamble"]

ChangeKind = Literal["unchanged", "reworded", "split", "merged", "added", "removed"]
"""The closed set of things that can happen to a node between two years.

``moved`` is not a kind but a flag on a change: a reworded measure can also have moved."""

CHANGE_KINDS: tuple[ChangeKind, ...] = ("unchanged", "reworded", "split", "merged", "added", "removed")

Span = tuple[int, int]


class PolicyDiffError(Exception):
    """Base of every error policydiff raises on purpose."""


class InputError(PolicyDiffError):
    """An input that cannot be read as a document: says which file, what is wrong and what to do."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        message = f"{path}: {reason}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class OptionsError(PolicyDiffError):
    """Invalid comparison options (a bad threshold, a pin naming a node that does not exist)."""


@attrs.frozen
class Sentence:
    """One commitment: a sentence of a node's title or body, split on 。！？； outside brackets."""

    text: str
    """The sentence with line breaks and zero-width characters removed."""
    span: Span
    """Where the sentence stands in ``Document.text``."""


@attrs.frozen
class Node:
    """One node of the section tree: a part, section, measure, item, paragraph or front-matter block."""

    id: str
    """Stable path of 1-based child positions, e.g. ``"4.2.3"``; the root is ``""``."""
    kind: NodeKind
    label: str
    """The numbering as written (``一、`` ``（三）`` ``12.`` ``（2）``), or ``""`` when unnumbered."""
    ordinal: int | None
    """The label's number (``（三）`` → 3, ``⑫`` → 12), or None when unnumbered."""
    title: str
    """The heading text, or the run-in title sentence (``强化党建引领工作。``); ``""`` when none."""
    body: str
    """The rest of the node's own text after label and title, line breaks removed."""
    span: Span
    """The node's own text (label + title + body, children excluded) in ``Document.text``."""
    sentences: tuple[Sentence, ...] = ()
    """Title and body split into sentences (commitments)."""
    children: tuple[Node, ...] = ()
    role: FrontRole | None = None
    """For ``front`` nodes: which part of the front matter this is."""

    @property
    def text(self) -> str:
        """Label, title and body joined: the node's own text without line breaks."""
        return self.label + self.title + self.body

    @property
    def heading(self) -> str:
        """Label and title, as the node would be named in a table of contents."""
        return (self.label + self.title).strip() or self.body[:30]

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class Document:
    """One year's document, read and parsed."""

    path: str
    text: str
    """The decoded source that every span points into."""
    metadata: dict[str, str] = attrs.field(factory=dict, hash=False)
    """Fields of the publication block: 索引号, 发文字号, 成文日期, 发文机关, 发布日期, 主题分类, …"""
    title: str = ""
    root: Node = attrs.field(
        factory=lambda: Node(id="", kind="document", label="", ordinal=None, title="", body="", span=(0, 0))
    )
    warnings: tuple[str, ...] = ()
    """What the parser could not place with confidence; never raised."""
    source_format: str = "text"
    """``text``, ``html`` or ``docx``; and the encoding for text, e.g. ``text/gb18030``."""

    def nodes(self) -> Iterator[Node]:
        """Every node except the root, in document order."""
        for child in self.root.children:
            yield from child.walk()

    def node(self, node_id: str) -> Node:
        """The node with this id; raises KeyError when there is none."""
        for n in self.nodes():
            if n.id == node_id:
                return n
        raise KeyError(node_id)


@attrs.frozen
class NumberChange:
    """A numeric target that changed between the two sides of a pair: ``3所`` → ``5所``."""

    subject: str
    """The words before the number (``创建一级园``), to say what was counted."""
    old: str | None
    new: str | None
    old_value: float | None
    new_value: float | None
    unit: str


@attrs.frozen
class CommitmentChange:
    """What became of one sentence inside an aligned pair of nodes."""

    kind: ChangeKind
    old: Sentence | None
    new: Sentence | None
    inline: tuple[tuple[str, str], ...] = ()
    """Inline diff as (op, text) with op one of ``=`` ``-`` ``+``."""


@attrs.frozen
class Change:
    """What became of one or more nodes: one entry of a comparison."""

    kind: ChangeKind
    level: NodeKind
    old: tuple[Node, ...]
    new: tuple[Node, ...]
    moved: bool = False
    similarity: float = 0.0
    commitments: tuple[CommitmentChange, ...] = ()
    inline: tuple[tuple[str, str], ...] = ()
    numbers: tuple[NumberChange, ...] = ()
    old_parent: str | None = None
    """Heading of the old node's parent (for moved nodes: where from)."""
    new_parent: str | None = None
    """Heading of the new node's parent (where to)."""
    part: str = ""
    """Heading of the top-level part the change belongs to (new side first), for summaries."""


@attrs.frozen
class Terms:
    """Quoted slogans “…” and named documents 《…》 found on one side only."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@attrs.frozen
class Comparison:
    """The result of comparing two documents; what every renderer reads."""

    old: Document
    new: Document
    changes: tuple[Change, ...]
    terms: Terms = Terms()
    metadata_changes: tuple[tuple[str, str | None, str | None], ...] = ()
    """(field, old value, new value) for metadata fields that differ."""

    @property
    def changed(self) -> bool:
        """True when anything at all differs (the diff(1) exit status 1)."""
        return bool(self.metadata_changes) or any(c.kind != "unchanged" or c.moved for c in self.changes)
