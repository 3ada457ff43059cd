"""Locators: the path a reader would cite for a node, e.g. ``三（六）第2段`` or ``二、5.``.

Node ids (``4.2.3``) are stable but nobody cites them; labels alone (``5.``) repeat in every part and
unnumbered paragraphs have none. A locator joins the labels of a node's ancestors the way Chinese
readers cite a document: a part label loses its ``、`` before a bracketed section (``三（六）``) and
keeps it before a measure (``二、5.``); an unnumbered node is "the k-th unnumbered paragraph" of its
parent (``第2段``). The words for paragraphs and front matter are parameters, so that the renderers
pass them from their one table of UI words (``render/labels.py``) in the reader's language.

This is a leaf module: it imports only the model, so any stage or renderer can use it.
"""

from __future__ import annotations

from .model import Document, Node

PARAGRAPH = "第{n}段"
"""Default word for the k-th unnumbered paragraph of a parent (the common Chinese citation form)."""

FRONT = "前言"
"""Default name of the front matter (notice, title, preamble before the first numbered heading)."""


def locators(doc: Document, *, paragraph: str = PARAGRAPH, front: str = FRONT) -> dict[str, str]:
    """Every node id of ``doc`` → its locator.

    ``paragraph`` is a format string with ``{n}`` (``"第{n}段"``, ``"¶{n}"``); ``front`` names the front
    matter, whose nodes are located as ``front + paragraph`` (``前言第3段``).

    >>> from policydiff import parse
    >>> doc = parse("一、总体要求\\n（一）学前教育\\n1.推进等级园创建。创建一级园3所。\\n二、保障\\n加强领导。\\n")
    >>> sorted(locators(doc).values())
    ['一、', '一（一）', '一（一）1.', '二、', '二、第1段']
    """
    out: dict[str, str] = {}

    def walk(node: Node, prefix: str, in_front: bool) -> None:
        unnumbered = 0
        for child in node.children:
            if child.kind == "front":
                unnumbered += 1
                out[child.id] = front + paragraph.format(n=unnumbered)
                walk(child, out[child.id], True)
                continue
            if child.label:
                bracketed = prefix.endswith("、") and child.label.startswith(("（", "("))
                out[child.id] = (prefix[:-1] if bracketed else prefix) + child.label
            else:
                unnumbered += 1
                out[child.id] = prefix + paragraph.format(n=unnumbered)
            walk(child, out[child.id], in_front)

    walk(doc.root, "", False)
    return out


def join(ids: tuple[str, ...] | list[str], table: dict[str, str], none: str = "—") -> str:
    """Locators of several nodes (a merge's sources), joined with ``+``; ``none`` when there are none."""
    return "+".join(table.get(i, i) for i in ids) or none
