"""OFD (GB/T 33190) → text: the package's XML read with lxml, text objects in page and reading order.

An OFD is a ZIP: ``OFD.xml`` names the document root (``Doc_0/Document.xml``), which lists pages by
``BaseLoc``; each page's ``Content.xml`` holds ``TextObject``s with a ``Boundary`` ("x y w h" in mm)
and ``TextCode``s (text, offsets ``X``/``Y`` and per-glyph advances ``DeltaX``). Lines and paragraphs
then follow the same rules as PDF (``layout``).
"""

from __future__ import annotations

import math
import posixpath
import re
from typing import Any

from lxml import etree

from ..model import InputError
from . import layout
from .base import Source, ZipReader, element_text

_A4 = (210.0, 297.0)

MAX_COORDINATE_MM = 100_000.0
"""Largest coordinate, size or advance taken from an OFD (100 m). Pages are at most A0 (1189 mm); a
number beyond this, or NaN or infinity, is not a position but a broken or hostile file, refused with
one line instead of surfacing later as "internal error" in the layout arithmetic (finding 10)."""

MIN_CHAR_MM = 0.01
"""Smallest character size used in layout (0.01 mm): layout divides positions by it, so a zero or
vanishing ``Size`` would otherwise make infinite ratios."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def is_ofd(names: set[str]) -> bool:
    """A ZIP is an OFD package when it has an ``OFD.xml`` entry point."""
    return "OFD.xml" in names


def _xml(zr: ZipReader, name: str) -> Any:
    if name not in zr.names:
        raise InputError(zr.path, f"is an OFD package without {name}", "save or download it again")
    try:
        return etree.fromstring(zr.read(name), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(zr.path, f"has a damaged {name} ({exc})", "save or download it again") from exc


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


class _Numbers:
    """Reads the numbers of one OFD part, refusing NaN, infinities and sizes past ``MAX_COORDINATE_MM``."""

    def __init__(self, path: str, part: str) -> None:
        self.path = path
        self.part = part

    def one(self, tok: str, attr: str) -> float | None:
        """A token as a number; None for one that is not a number at all (skipped, as before)."""
        try:
            value = float(tok)
        except ValueError:
            return None
        if not math.isfinite(value) or abs(value) > MAX_COORDINATE_MM:
            shown = tok if len(tok) <= 20 else tok[:20] + "…"
            raise InputError(self.path, f"has an impossible number {shown!r} in {attr} of {self.part}",
                             "the OFD is damaged; save or export it again")
        return value

    def all(self, s: str | None, attr: str) -> list[float]:
        out = []
        for tok in (s or "").split():
            value = self.one(tok, attr)
            if value is not None:
                out.append(value)
        return out

    def advances(self, delta: str | None, n: int) -> float:
        """Sum of the first ``n`` glyph advances in a ``DeltaX`` ("g 3 4.2" repeats 4.2 three times)."""
        toks = (delta or "").split()
        total, used, i = 0.0, 0, 0
        while i < len(toks) and used < n:
            if toks[i] == "g" and i + 2 < len(toks):
                count, step = self.one(toks[i + 1], "DeltaX"), self.one(toks[i + 2], "DeltaX")
                take = max(0, min(int(count or 0), n - used))
                total += take * (step or 0.0)
                used += take
                i += 3
            else:
                total += self.one(toks[i], "DeltaX") or 0.0
                used += 1
                i += 1
        return total


def read_ofd(zr: ZipReader) -> Source:
    """Extract an OFD package's paragraphs with the PDF layout rules."""
    root = _xml(zr, "OFD.xml")
    doc_root = next((el.text.strip() for el in root.iter() if _local(el) == "DocRoot" and el.text), None)
    if not doc_root:
        raise InputError(zr.path, "is an OFD package whose OFD.xml names no DocRoot", "save or download it again")
    doc_root = doc_root.lstrip("/")
    doc = _xml(zr, doc_root)
    base = posixpath.dirname(doc_root)
    box = next((_Numbers(zr.path, doc_root).all(el.text, "PhysicalBox") for el in doc.iter()
                if _local(el) == "PhysicalBox"), [])
    width, height = (box[2], box[3]) if len(box) == 4 else _A4
    pages = []
    for number, page_el in enumerate(el for el in doc.iter() if _local(el) == "Page"):
        loc = (page_el.get("BaseLoc") or "").lstrip("/")
        name = posixpath.normpath(posixpath.join(base, loc)) if not loc.startswith(base + "/") else loc
        pages.append(_page(_xml(zr, name), number, width, height, _Numbers(zr.path, name)))
    pages = layout.drop_furniture(pages)
    if not any(p.lines for p in pages):
        raise InputError(zr.path, "is an OFD with no text objects (scanned pages?)",
                         "policydiff does no OCR; run OCR and give the result")
    paras = layout.paragraphs(pages)
    body, meta = layout.front_and_back_matter(paras)
    text = "\n".join(body)
    if not text.strip():
        raise InputError(zr.path, "is an OFD whose pages hold no document text", "check that it is the right file")
    return Source(path=zr.path, text=text + "\n", source_format="ofd", metadata=meta)


def _page(page: Any, number: int, width: float, height: float, num: _Numbers) -> layout.Page:
    box = next((num.all(el.text, "PhysicalBox") for el in page.iter() if _local(el) == "PhysicalBox"), [])
    if len(box) == 4:
        width, height = box[2], box[3]
    runs: list[layout.Line] = []
    for obj in (el for el in page.iter() if _local(el) == "TextObject"):
        bx = num.all(obj.get("Boundary"), "Boundary")
        if len(bx) != 4:
            continue
        size = num.all(obj.get("Size"), "Size")
        char_w = min(max(size[0] if size else bx[3], MIN_CHAR_MM), MAX_COORDINATE_MM)
        for code in (el for el in obj if _local(el) == "TextCode"):
            text = re.sub(r"[\r\n\t]", " ", element_text(code))
            if not text.strip():
                continue
            x = bx[0] + (num.all(code.get("X"), "X") or [0.0])[0]
            y = bx[1] + (num.all(code.get("Y"), "Y") or [char_w])[0]
            adv = num.advances(code.get("DeltaX"), len(text) - 1) if code.get("DeltaX") else (len(text) - 1) * char_w
            runs.append(layout.Line(text=text, x0=x, x1=x + adv + char_w, top=y - char_w, page=number,
                                    char_width=char_w))
    return layout.Page(number=number, width=width, height=height, lines=tuple(layout.merge_runs(runs)))
