"""Terms: quoted slogans “…”, named documents 《…》 and key phrases new or dropped between years.

Interim version moved out of ``textdiff``; the facts issue (#8) adds key phrases and counts.
"""

from __future__ import annotations

import re

from .model import Document, Term, Terms
from .text import normalize

# --- quoted terms ---------------------------------------------------------------------------------------

_TERM = re.compile(r"“([^“”\n]{2,40})”|《([^《》\n]{2,80})》|「([^「」\n]{2,40})」")


def terms(text: str) -> list[str]:
    """Quoted slogans and named documents, as written (with their marks), in order of first use."""
    seen: dict[str, str] = {}
    for m in _TERM.finditer(text):
        whole = m.group(0)
        key = normalize(whole)
        if key not in seen:
            seen[key] = whole
    return list(seen.values())


def term_changes(old: Document, new: Document) -> Terms:
    """Quoted terms on one side only."""
    oterms, nterms = terms(old.text), terms(new.text)
    okeys, nkeys = {normalize(t) for t in oterms}, {normalize(t) for t in nterms}

    def term(t: str, doc: Document, count_old: int, count_new: int) -> Term:
        at = doc.text.find(t)
        return Term(text=t, kind="document" if t.startswith("《") else "quoted", count_old=count_old,
                    count_new=count_new, span=(at, at + len(t)) if at >= 0 else None)

    return Terms(added=tuple(term(t, new, 0, new.text.count(t)) for t in nterms if normalize(t) not in okeys),
                 removed=tuple(term(t, old, old.text.count(t), 0) for t in oterms if normalize(t) not in nkeys))
