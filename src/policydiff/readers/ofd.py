"""OFD (GB/T 33190) → text: the package's XML read with lxml, text objects in page and reading order.

An OFD is a ZIP: ``OFD.xml`` names the document root (``Doc_0/Document.xml``), which lists pages by
``BaseLoc``; each page's ``Content.xml`` holds ``TextObject``s with a ``Boundary`` ("x y w h" in mm)
and ``TextCode``s (text, offsets ``X``/``Y`` and per-glyph advances ``DeltaX``). Lines and paragraphs
then follow the same rules as PDF (``layout``).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from typing import Any

from lxml import etree

from ..model import InputError
from . import layout
from .base import Source, ZipReader

_A4 = (210.0, 297.0)
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


def _floats(s: str | None) -> list[float]:
    out = []
    for tok in (s or "").split():
        try:
            out.append(float(tok))
        except ValueError:
            continue
    return out


def _advances(delta: str | None, n: int) -> float:
    """Sum of the first ``n`` glyph advances in a ``DeltaX`` ("g 3 4.2" repeats 4.2 three times)."""
    toks = (delta or "").split()
    total, used, i = 0.0, 0, 0
    while i < len(toks) and used < n:
        if toks[i] == "g" and i + 2 < len(toks):
            count, step = int(float(toks[i + 1])), float(toks[i + 2])
            take = min(count, n - used)
            total += take * step
            used += take
            i += 3
        else:
            with contextlib.suppress(ValueError):
                total += float(toks[i])
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
    box = next((_floats(el.text) for el in doc.iter() if _local(el) == "PhysicalBox"), [])
    width, height = (box[2], box[3]) if len(box) == 4 else _A4
    pages = []
    for number, page_el in enumerate(el for el in doc.iter() if _local(el) == "Page"):
        loc = (page_el.get("BaseLoc") or "").lstrip("/")
        name = posixpath.normpath(posixpath.join(base, loc)) if not loc.startswith(base + "/") else loc
        pages.append(_page(_xml(zr, name), number, width, height))
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


def _page(page: Any, number: int, width: float, height: float) -> layout.Page:
    box = next((_floats(el.text) for el in page.iter() if _local(el) == "PhysicalBox"), [])
    if len(box) == 4:
        width, height = box[2], box[3]
    runs: list[layout.Line] = []
    for obj in (el for el in page.iter() if _local(el) == "TextObject"):
        bx = _floats(obj.get("Boundary"))
        if len(bx) != 4:
            continue
        size = _floats(obj.get("Size"))
        char_w = size[0] if size else bx[3]
        for code in (el for el in obj if _local(el) == "TextCode"):
            text = re.sub(r"[\r\n\t]", " ", code.text or "")
            if not text.strip():
                continue
            x = bx[0] + (_floats(code.get("X")) or [0.0])[0]
            y = bx[1] + (_floats(code.get("Y")) or [char_w])[0]
            adv = _advances(code.get("DeltaX"), len(text) - 1) if code.get("DeltaX") else (len(text) - 1) * char_w
            runs.append(layout.Line(text=text, x0=x, x1=x + adv + char_w, top=y - char_w, page=number,
                                    char_width=char_w))
    return layout.Page(number=number, width=width, height=height, lines=tuple(layout.merge_runs(runs)))
