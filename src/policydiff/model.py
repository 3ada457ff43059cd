"""The shared, frozen data model of policydiff.

Every stage of the pipeline (sources → structure → align → textdiff → compare → render) speaks in
these types, and this module imports nothing of ours, so any stage can use them without pulling in
another stage. All containers are tuples so that values hash, compare and never change under a caller.

Offsets: every ``span`` is a half-open ``(start, end)`` pair of indices into ``Document.text``, the
decoded source (for HTML and DOCX inputs, the text extracted from them). ``Document.text[start:end]``
is exactly the node's own text as written, line breaks of hard-wrapped lines included.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeAlias

import attrs

if sys.version_info >= (3, 11):
    from typing import assert_never as assert_never
else:  # typing_extensions comes with typer, a dependency; re-exported for the renderers' ``match``
    from typing_extensions import assert_never as assert_never

NodeKind = Literal["document", "front", "part", "section", "measure", "item", "paragraph"]
"""``front`` is front matter (see ``Node.front_role``); the others are levels of the body."""

FrontRole = Literal["metadata", "notice", "signature", "title", "subtitle", "preamble"]

Role = Literal["front", "back", "review", "guidance", "tasks", "safeguards", "closing"]
"""Where a node stands in the document's anatomy (``anatomy.py``, ``docs/anatomy.md``): matter before the
body (``front``) and after it (``back``: attachments, signature); the review of the past year or term;
the year's guidance and targets; the tasks (measures); the safeguards (organisation, the government's own
conduct); the closing call."""

ROLES: tuple[Role, ...] = ("front", "back", "review", "guidance", "tasks", "safeguards", "closing")

PLAN_ROLES: frozenset[str] = frozenset(("guidance", "tasks", "safeguards"))
"""The roles that make the plan: their sentences are commitments and their figures targets. The review's
sentences are last year's outcomes, the front matter and closing formulas (``docs/facts.md``)."""

ChangeKind = Literal["unchanged", "reworded", "split", "merged", "condensed", "added", "removed"]
"""The closed set of things that can happen to a node between two years.

``merged`` joins several old nodes into one new node that keeps most of their content; ``condensed``
is the end-of-term case: one new node *summarises* several old ones (each old node is mostly gone,
a clause of it survives). ``moved`` is not a kind but a flag on a change: a reworded measure can also
have moved."""

CHANGE_KINDS: tuple[ChangeKind, ...] = ("unchanged", "reworded", "split", "merged", "condensed", "added",
                                        "removed")

QuantityKind = Literal["target", "outcome", "other"]
"""A figure promised for this year (预期目标, 拟, 要, 力争), reached last year (实现, 完成, 增长了), or neither."""

TermKind = Literal["quoted", "document", "phrase"]
"""A quoted slogan “…”, a named document 《…》, or an unquoted key phrase found by segmentation."""

Direction = Literal["strengthened", "weakened", "same"]

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
    front_role: FrontRole | None = None
    """For ``front`` nodes: which part of the front matter this is."""
    role: Role | None = None
    """The node's part in the document's anatomy (review, guidance, tasks …): set by ``anatomy.annotate``,
    which every loading path runs; None only on a tree straight from ``structure.parse``."""
    term: bool = False
    """True in a part that sets a term's plan beside the year's (``anatomy.term_parts``: the five-year
    plan's targets and tasks in the report that opens it): the next year does not carry them on."""

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
    """``text``, ``html``, ``pdf``, ``docx`` or ``ofd``; and the encoding for text, e.g. ``text/gb18030``."""

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


FRONT_PART = "前言"
"""The part front matter is counted under (``Change.part``), as a reader names what precedes 一、."""


@attrs.frozen
class NodeIndex:
    """One document's lookups by node id, built in one walk of the tree: the one index the stages and the
    decoder share (the aligner keeps its own array-based one for its vectors)."""

    node: dict[str, Node] = attrs.field(hash=False)
    parent: dict[str, Node | None] = attrs.field(hash=False)
    """The parent of each node; None for a top-level node (the root is not a parent anyone cites)."""
    part: dict[str, str] = attrs.field(hash=False)
    """Heading of the top-level part each node is under (its own heading at top level; ``FRONT_PART`` for
    front matter): what summaries count changes by."""
    order: dict[str, int] = attrs.field(hash=False)
    """Position of each node in document order."""

    @classmethod
    def of(cls, doc: Document) -> NodeIndex:
        node: dict[str, Node] = {}
        parent: dict[str, Node | None] = {}
        part: dict[str, str] = {}

        def walk(n: Node, up: Node | None, top: str) -> None:
            for c in n.children:
                name = top or (FRONT_PART if c.kind == "front" else c.heading)
                node[c.id] = c
                parent[c.id] = up
                part[c.id] = name
                walk(c, c, name)

        walk(doc.root, None, "")
        return cls(node=node, parent=parent, part=part, order={k: i for i, k in enumerate(node)})


@attrs.frozen
class Quantity:
    """One quantity in a sentence: ``国内生产总值增长5.5%左右``."""

    text: str
    """The quantity as written, qualifier included (``5.5%左右``, ``1.3万亿元``, ``三千人``)."""
    value: Decimal
    """Exact value in the unit's base (``4.06万亿元`` → ``Decimal("4060000000000")``, ``5%`` → 5)."""
    unit: str
    """The unit as written without magnitude (``元``, ``%``, ``所``, ``个百分点``, ``人``)."""
    subject: str
    """What it measures: the indicator or object the number belongs to (``居民消费价格涨幅``, ``新建项目``)."""
    qualifier: str = ""
    """``左右``, ``以上``, ``以内``, ``不少于``, ``超过`` … or ``""``."""
    kind: QuantityKind = "other"
    span: Span = (0, 0)
    """Where the quantity (``text``) stands in ``Document.text``."""
    quote: str = ""
    """The sentence holding it, as a reader would quote it."""
    high: Decimal | None = None
    """For a range (``6.5%－7%``, ``3至5所``): the high end; ``value`` is then the low end."""
    multiyear: bool = False
    """A figure over several years, not one year's: a total or average of a term or plan period (过去五年,
    “十四五”期间, 五年累计, 年均, 到2025年). It pairs only with another multi-year figure and never enters a
    timeline's annual series (``docs/facts.md``)."""


@attrs.frozen
class NumberChange:
    """A quantity paired across the years by what it measures: ``3所`` → ``5所``.

    In ``Change.numbers`` old and new differ (value or qualifier) or one side is None (a new or dropped
    target); in ``Comparison.numbers_unchanged`` both sides are equal."""

    subject: str
    """What was counted (``创建一级园``, ``国内生产总值增长``), never the verb before it."""
    old: str | None
    new: str | None
    old_value: Decimal | None
    new_value: Decimal | None
    unit: str
    qualifier_old: str = ""
    qualifier_new: str = ""
    kind: QuantityKind = "other"
    old_quote: str = ""
    new_quote: str = ""
    old_span: Span | None = None
    new_span: Span | None = None
    old_high: Decimal | None = None
    """High end of a range on the old side (``6.5%－7%`` → 7), else None; ``old_value`` is the low end."""
    new_high: Decimal | None = None
    old_subject: str = ""
    """The old side's subject when both sides are present (``subject`` is the new side's)."""


HEADLINE_INDICATORS: tuple[str, ...] = (
    "国内生产总值", "居民消费价格", "城镇新增就业", "城镇调查失业率", "城镇登记失业率", "赤字率", "粮食产量",
    "专项债", "特别国债", "赤字规模", "能耗", "进出口", "国际收支", "中央预算内投资", "居民收入", "M2",
    "广义货币")
"""The indicators every report states and the press leads with, most quoted first (growth, prices, jobs,
the fiscal stance, grain, energy, trade): the highlights and the timeline put them first. Matched as
substrings of a subject, so the list names indicators, not one year's wording (``国内生产总值增长``,
``单位国内生产总值能耗降低``: the first match in this order wins)."""


def headline_rank(subject: str) -> int:
    """Position of ``subject``'s indicator in ``HEADLINE_INDICATORS``, or its length when it names none;
    ``单位国内生产总值能耗`` is an energy figure, not GDP, so 能耗 is looked at before 国内生产总值."""
    if "能耗" in subject:
        return HEADLINE_INDICATORS.index("能耗")
    for i, word in enumerate(HEADLINE_INDICATORS):
        if word in subject:
            return i
    return len(HEADLINE_INDICATORS)


@attrs.frozen
class Link:
    """Evidence: one old sentence whose content is found in one new sentence."""

    old_id: str
    """Id of the old node holding the old sentence."""
    new_id: str
    old_span: Span
    new_span: Span
    score: float
    """Similarity of the two sentences (0–1; containment-aware, see ``docs/alignment.md``)."""


NearestReason = Literal["below threshold", "taken by a better match", "no candidate"]


@attrs.frozen
class Nearest:
    """For an added or removed node: its closest candidate on the other side and why it was not paired."""

    id: str | None
    label: str
    title: str
    similarity: float
    reason: NearestReason


@attrs.frozen
class CommitmentChange:
    """What became of one sentence inside an aligned pair of nodes."""

    kind: ChangeKind
    old: Sentence | None
    new: Sentence | None
    inline: tuple[tuple[str, str], ...] = ()
    """Inline diff as (op, text) with op one of ``=`` ``-`` ``+``."""
    moved_to: str | None = None
    """For a sentence removed from this pair: id of the new node where its content went, if any."""
    moved_from: str | None = None
    """For a sentence added in this pair: id of the old node its content came from, if any."""


@attrs.frozen
class ChangeBase:
    """What became of one or more nodes: one entry of a comparison. The fields every kind shares.

    A change is one of the closed set of classes below (``Unchanged``, ``Reworded``, ``Split``, ``Merged``,
    ``Condensed``, ``Added``, ``Removed``), so that code can ``match`` on the class and have the type
    checker tell it when a kind is forgotten (``Change`` is their union; see ``docs/json-format.md``).
    Every class keeps the same fields, even those always empty for its kind (``old`` of ``Added``),
    because the JSON of a change has one shape and code written against the one ``Change`` record of
    earlier versions reads ``c.kind``, ``c.old`` and ``c.new`` of any change; ``kind`` is a class
    attribute, the JSON's tag."""

    kind: ClassVar[ChangeKind]
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
    evidence: tuple[Link, ...] = ()
    """Sentence links that support the pairing (reworded, split, merged, condensed)."""
    nearest: Nearest | None = None
    """For added and removed changes: the closest candidate on the other side and why not paired."""


@attrs.frozen
class Unchanged(ChangeBase):
    """The same text in both years (renumbered or moved, perhaps: see ``moved``)."""

    kind: ClassVar[Literal["unchanged"]] = "unchanged"


@attrs.frozen
class Reworded(ChangeBase):
    """One old node and one new node, paired, whose text differs."""

    kind: ClassVar[Literal["reworded"]] = "reworded"


@attrs.frozen
class Split(ChangeBase):
    """One old node became several new ones (``new`` holds them all)."""

    kind: ClassVar[Literal["split"]] = "split"


@attrs.frozen
class Merged(ChangeBase):
    """Several old nodes became one new node that keeps most of their content."""

    kind: ClassVar[Literal["merged"]] = "merged"


@attrs.frozen
class Condensed(ChangeBase):
    """Several old nodes summed up in one new node shorter than half their text (an end-of-term report)."""

    kind: ClassVar[Literal["condensed"]] = "condensed"


@attrs.frozen
class Added(ChangeBase):
    """A new node with no counterpart in the old document (``old`` is empty; ``nearest`` says why)."""

    kind: ClassVar[Literal["added"]] = "added"


@attrs.frozen
class Removed(ChangeBase):
    """An old node with no counterpart in the new document (``new`` is empty; ``nearest`` says why)."""

    kind: ClassVar[Literal["removed"]] = "removed"


Change: TypeAlias = Unchanged | Reworded | Split | Merged | Condensed | Added | Removed
"""Any change: the closed union a ``match`` can exhaust (``case Added(): … case _: assert_never(c)``).
At run time it is a ``types.UnionType``, so ``isinstance(x, Change)`` works too."""

CHANGE_TYPES: dict[ChangeKind, type[Change]] = {
    "unchanged": Unchanged, "reworded": Reworded, "split": Split, "merged": Merged, "condensed": Condensed,
    "added": Added, "removed": Removed}
"""The class of each kind: what the aligner's edits and the JSON decoder build changes with."""


def make_change(kind: ChangeKind, **fields: Any) -> Change:
    """The change of ``kind`` with these fields (those of ``ChangeBase``): for code that holds the kind as
    a string, as the aligner's edits and the JSON do.

    >>> make_change("added", level="measure", old=(), new=()).kind
    'added'
    """
    return CHANGE_TYPES[kind](**fields)


def with_kind(change: Change, kind: ChangeKind, **fields: Any) -> Change:
    """The same change recast as another kind (``attrs.evolve`` keeps the class, so cannot), with
    ``fields`` replaced."""
    return make_change(kind, **{**attrs.asdict(change, recurse=False), **fields})


@attrs.frozen
class Term:
    """A slogan, named document or key phrase found on one side only."""

    text: str
    """As written, with its marks for quoted slogans and documents (“双减”, 《…》)."""
    kind: TermKind
    count_old: int
    count_new: int
    span: Span | None = None
    """First occurrence in the side where it occurs (new for added, old for removed)."""
    salience: float = 0.0
    """Ranking score (higher first); see ``docs/facts.md``."""


@attrs.frozen
class Terms:
    """New (``added``) and dropped (``removed``) terms, most salient first."""

    added: tuple[Term, ...] = ()
    removed: tuple[Term, ...] = ()
    returning: tuple[Term, ...] = ()
    """Terms absent from the old document but used in an earlier year (when earlier years were given):
    back after a gap, not new (“双减”, “枫桥经验”); in the new document's order of salience."""


@attrs.frozen
class StrengthShift:
    """The verb of an aligned commitment moved on the strength scale (探索 → 推进, 继续 → 深化)."""

    old_id: str
    new_id: str
    old_words: str
    new_words: str
    direction: Direction
    old_quote: str
    new_quote: str


@attrs.frozen
class Comparison:
    """The result of comparing two documents; what every renderer reads."""

    old: Document
    new: Document
    changes: tuple[Change, ...]
    terms: Terms = Terms()
    metadata_changes: tuple[tuple[str, str | None, str | None], ...] = ()
    """(field, old value, new value) for metadata fields that differ."""
    numbers_unchanged: tuple[NumberChange, ...] = ()
    """Quantities whose subject keeps the same value and qualifier (``GDP target unchanged at 5%左右``)."""
    strength: tuple[StrengthShift, ...] = ()
    """Commitments whose verb got stronger or weaker."""

    @property
    def changed(self) -> bool:
        """True when anything at all differs (the diff(1) exit status 1)."""
        return bool(self.metadata_changes) or any(c.kind != "unchanged" or c.moved for c in self.changes)


# --- summary counts (reports) ------------------------------------------------------------------------

COUNT_KEYS: tuple[str, ...] = (*CHANGE_KINDS, "moved", "changed")
"""Keys of ``Counts``: one per kind, then ``moved`` (a flag, counted on top of the kind) and ``changed``
(changes that are not plain unchanged: kind other than unchanged, or moved), which is what a table of
contents or a chart bar counts, so one change is one count everywhere."""


def is_changed(change: Change) -> bool:
    """True for a change a reader should look at: any kind but unchanged, or an unchanged node that moved."""
    return change.kind != "unchanged" or change.moved


def count_changes(changes: tuple[Change, ...] | list[Change]) -> dict[str, int]:
    """Counts per ``COUNT_KEYS`` over ``changes``; kinds sum to ``len(changes)``."""
    out = dict.fromkeys(COUNT_KEYS, 0)
    for ch in changes:
        out[ch.kind] += 1
        out["moved"] += ch.moved
        out["changed"] += is_changed(ch)
    return out


@attrs.frozen
class Summary:
    """Counts of a comparison, whole document and per top-level part, computed once for every renderer."""

    total: dict[str, int] = attrs.field(hash=False)
    """``count_changes`` over all changes."""
    parts: tuple[tuple[str, dict[str, int]], ...] = attrs.field(hash=False)
    """(part heading, counts) in the new document's order; ``Change.part`` names the part."""


def summarize(cmp: Comparison) -> Summary:
    """The counts every report shows (summary table, chart, table of contents, JSON ``summary``)."""
    parts: dict[str, list[Change]] = {}
    for ch in cmp.changes:
        parts.setdefault(ch.part, []).append(ch)
    return Summary(total=count_changes(cmp.changes),
                   parts=tuple((p, count_changes(chs)) for p, chs in parts.items()))


def _document_fields() -> None:
    """Copy each field's docstring (the string literal under it) into its class's docstring.

    Those literals are for readers of the source; Python keeps none of them at run time, so ``help()``
    and IDEs would show classes without their fields' meaning. This adds an ``Attributes:`` section
    built from them, once at import."""
    import ast
    import inspect
    import sys

    try:
        tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    except (OSError, TypeError):  # no source (frozen or zipped install): keep the docstrings as they are
        return
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        target = globals().get(cls.name)
        fields: list[str] = []
        for field, doc in zip(cls.body, [*cls.body[1:], None], strict=True):
            if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) \
                    and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) \
                    and isinstance(doc.value.value, str):
                text = " ".join(inspect.cleandoc(doc.value.value).split())
                fields.append(f"    {field.target.id}: {text}")
        if fields and isinstance(target, type) and target.__doc__ and "Attributes:" not in target.__doc__:
            target.__doc__ = inspect.cleandoc(target.__doc__) + "\n\nAttributes:\n" + "\n".join(fields)


_document_fields()
