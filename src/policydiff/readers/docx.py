"""DOCX → text: paragraphs in reading order with Word's automatic numbering written out.

Word keeps "一、" and "1." of automatically numbered paragraphs out of the text: a paragraph carries
``w:numPr`` (list ``numId`` and level ``ilvl``, directly or through its style) and ``numbering.xml``
says how that level is counted (``w:numFmt``: decimal, chineseCounting, ideographTraditional, …),
written (``w:lvlText`` such as "%1、", "（%1）", "%1.%2") and restarted (``w:lvlRestart``,
``w:startOverride``). We count as Word does and prefix each paragraph with the label a reader sees, so
measures can be aligned by number. Tables are read cell by cell in reading order; tracked changes are
read as accepted (insertions kept, deletions dropped); comments, which live outside
``word/document.xml``, are ignored.
"""

from __future__ import annotations

from typing import Any

import attrs
from lxml import etree

from ..model import InputError
from . import layout
from .base import Source, ZipReader, element_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}delText", f"{_W}instrText", _MC_FALLBACK}
_LABEL_END = "、.．)）:：]】"

MAX_LEVEL = 9
"""Word lists have nine levels (ilvl 0–8); anything deeper in a file is clamped, not trusted."""

MAX_LIST_START = 32767
"""Largest list start value (``w:start``, ``w:startOverride``) taken as written: Word's own "Start at"
box stops at 32767. A file may say 10^15 (or 10^30); such a start is counted from 32767 instead, with a
warning, so that no label is ever built from a number nobody numbered a paragraph with (finding 5)."""

MAX_ROMAN = 3999
"""Roman numerals are written up to 3999 (MMMCMXCIX); larger counters are written in decimal, as a
number of "M"s proportional to the value is not a label."""

MAX_LETTER_REPEAT = 10
"""Word's letter format repeats the letter past Z (27 → AA, 53 → AAA); past ten repeats (260) the
counter is written in decimal, so a label's length never grows with the value."""

_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting).

    >>> [chinese_counting(n) for n in (1, 10, 12, 20, 99, 105, 110)]
    ['一', '十', '十二', '二十', '九十九', '一百零五', '一百一十']
    """
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                     _CN_DIGITS[rest // 10] + "十" + (_CN_DIGITS[rest % 10] if rest % 10 else ""))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


_ROMAN_DIGITS = (("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"),
                 ("", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"),
                 ("", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"),
                 ("", "M", "MM", "MMM"))


def _roman(n: int) -> str:
    """1 → I, 1994 → MCMXCIV: digit by digit (no loop over the value); decimal past ``MAX_ROMAN``.

    >>> [_roman(n) for n in (1, 4, 1994, 3999, 4000, 10**15)]
    ['I', 'IV', 'MCMXCIV', 'MMMCMXCIX', '4000', '1000000000000000']
    """
    if not 0 < n <= MAX_ROMAN:
        return str(n)
    return "".join(_ROMAN_DIGITS[k][n // 10**k % 10] for k in (3, 2, 1, 0))


def _letters(n: int) -> str:
    """Word's letter counter: 1 → A, 26 → Z, 27 → AA, 53 → AAA; decimal past ``MAX_LETTER_REPEAT`` repeats."""
    repeat = (n - 1) // 26 + 1
    if n <= 0 or repeat > MAX_LETTER_REPEAT:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * repeat


def format_number(n: int, fmt: str) -> str:
    """A counter value in a ``w:numFmt`` (unknown formats fall back to decimal, as Word does)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_counting(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


@attrs.frozen
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None
    """``w:lvlRestart``: restart after this (1-based) level; 0 never; None: after any higher level."""
    suffix: str = "tab"


def _val(el: Any, name: str) -> str | None:
    child = el.find(f"{_W}{name}")
    return None if child is None else child.get(f"{_W}val")


def _int(s: str | None, default: int) -> int:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _start(s: str | None, default: int, warnings: list[str]) -> int:
    """A list start value, clamped to 0 … ``MAX_LIST_START`` (with a warning when it was outside)."""
    value = _int(s, default)
    if 0 <= value <= MAX_LIST_START:
        return value
    clamped = min(max(value, 0), MAX_LIST_START)
    shown = str(value) if abs(value) < 10**40 else f"about 10^{len(str(abs(value))) - 1}"
    warnings.append(f"a list numbering starts at {shown}, outside Word's 0–{MAX_LIST_START}: counted from {clamped}")
    return clamped


def _levels(abstract: Any, warnings: list[str]) -> dict[int, _Level]:
    out: dict[int, _Level] = {}
    for lvl in abstract.iter(f"{_W}lvl"):
        ilvl = max(0, min(_int(lvl.get(f"{_W}ilvl"), 0), MAX_LEVEL - 1))
        restart = _val(lvl, "lvlRestart")
        out[ilvl] = _Level(start=_start(_val(lvl, "start"), 1, warnings), fmt=_val(lvl, "numFmt") or "decimal",
                           text=_val(lvl, "lvlText") or "", restart=None if restart is None else _int(restart, 0),
                           suffix=_val(lvl, "suff") or "tab")
    return out


class Numbering:
    """Word's list counters: ``label(numId, ilvl)`` returns the next label of that list level."""

    def __init__(self, root: Any | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.warnings: list[str] = []
        """Start values that had to be clamped (``MAX_LIST_START``), for the document's warnings."""
        if root is None:
            return
        for a in root.iter(f"{_W}abstractNum"):
            self.abstract[a.get(f"{_W}abstractNumId") or ""] = _levels(a, self.warnings)
        for num in root.iter(f"{_W}num"):
            abs_id = _val(num, "abstractNumId") or ""
            overrides: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for ov in num.iter(f"{_W}lvlOverride"):
                ilvl = max(0, min(_int(ov.get(f"{_W}ilvl"), 0), MAX_LEVEL - 1))
                so = _val(ov, "startOverride")
                if so is not None:
                    starts[ilvl] = _start(so, 1, self.warnings)
                lvl = ov.find(f"{_W}lvl")
                if lvl is not None:
                    wrapper = etree.Element(f"{_W}abstractNum")
                    lvl_copy = etree.fromstring(etree.tostring(lvl))
                    lvl_copy.set(f"{_W}ilvl", str(ilvl))
                    wrapper.append(lvl_copy)
                    overrides.update(_levels(wrapper, self.warnings))
            self.nums[num.get(f"{_W}numId") or ""] = (abs_id, overrides, starts)

    def label(self, num_id: str, ilvl: int) -> str:
        """The label the next paragraph of this list level shows ("一、", "（3）", "2.1"); "" when none."""
        if num_id not in self.nums:
            return ""
        abs_id, overrides, starts = self.nums[num_id]
        levels = {**self.abstract.get(abs_id, {}), **overrides}
        ilvl = max(0, min(ilvl, MAX_LEVEL - 1))
        level = levels.get(ilvl)
        if level is None:
            return ""
        # Lists with start overrides count on their own; others share their abstract list's counters,
        # which is how Word continues "1. 2. 3." across separate w:num instances of one list.
        key = f"num:{num_id}" if starts or overrides else f"abs:{abs_id}"
        counts = self.counters.setdefault(key, [None] * MAX_LEVEL)
        current = counts[ilvl]
        counts[ilvl] = (starts.get(ilvl, level.start) if current is None else current + 1)
        for deeper in range(ilvl + 1, MAX_LEVEL):
            d = levels.get(deeper)
            restart = None if d is None else d.restart
            if restart is None or (restart > 0 and restart <= ilvl + 1):
                counts[deeper] = None
        text = level.text
        for k in range(MAX_LEVEL - 1, -1, -1):
            if f"%{k + 1}" in text:
                lv = levels.get(k, _Level())
                value = counts[k] if counts[k] is not None else starts.get(k, lv.start)
                text = text.replace(f"%{k + 1}", format_number(value or 0, lv.fmt))
        if not text:
            return ""
        if level.suffix == "nothing" or text[-1] in _LABEL_END:
            return text
        return text + " "


def _style_numbering(styles: Any | None) -> dict[str, tuple[str, int]]:
    """Style id → (numId, ilvl) for styles that number their paragraphs (following ``w:basedOn``)."""
    if styles is None:
        return {}
    raw: dict[str, tuple[str | None, int | None, str | None]] = {}
    for st in styles.iter(f"{_W}style"):
        sid = st.get(f"{_W}styleId") or ""
        num_pr = st.find(f"{_W}pPr/{_W}numPr")
        num_id = ilvl = None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            ilvl = _int(_val(num_pr, "ilvl"), 0) if _val(num_pr, "ilvl") is not None else None
        raw[sid] = (num_id, ilvl, _val(st, "basedOn"))
    out: dict[str, tuple[str, int]] = {}
    for sid in raw:
        seen: set[str] = set()
        cur: str | None = sid
        num_id, ilvl = None, None
        while cur is not None and cur in raw and cur not in seen:
            seen.add(cur)
            n, lv, based = raw[cur]
            num_id = num_id if num_id is not None else n
            ilvl = ilvl if ilvl is not None else lv
            cur = based
        if num_id is not None:
            out[sid] = (num_id, ilvl or 0)
    return out


def _parse(zr: ZipReader, name: str, required: bool) -> Any | None:
    if name not in zr.names:
        if required:
            raise InputError(zr.path, "is a ZIP archive but not a DOCX document", "give a .docx, text or HTML file")
        return None
    try:
        return etree.fromstring(zr.read(name), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(zr.path, f"has a damaged {name} ({exc})", "save the document again") from exc


def _own_text(p: Any) -> str:
    """The text of paragraph ``p``: runs outside deletions, not those of paragraphs nested in it."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SKIP or tag == f"{_W}p":
                continue
            if tag == f"{_W}t":
                parts.append(element_text(child))
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _main_part(zr: ZipReader) -> str:
    """The main document part: ``word/document.xml``, or wherever ``_rels/.rels`` says it is."""
    if "word/document.xml" in zr.names or "_rels/.rels" not in zr.names:
        return "word/document.xml"
    try:
        rels = etree.fromstring(zr.read("_rels/.rels"), parser=_PARSER)
    except etree.XMLSyntaxError:
        return "word/document.xml"
    for rel in rels:
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return "word/document.xml"


def read_docx(zr: ZipReader) -> Source:
    """Paragraphs of the main document part with their automatic numbering labels."""
    main = _main_part(zr)
    root = _parse(zr, main, required=True)
    assert root is not None  # required=True raises instead of returning None
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    numbering = Numbering(_parse(zr, f"{folder}numbering.xml", required=False))
    style_num = _style_numbering(_parse(zr, f"{folder}styles.xml", required=False))
    paragraphs: list[str] = []
    for p in root.iter(f"{_W}p"):
        anc = p.getparent()
        hidden = False
        while anc is not None:
            if anc.tag in _SKIP:
                hidden = True
                break
            anc = anc.getparent()
        if hidden:
            continue
        line = _own_text(p)
        num_id, ilvl = None, 0
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        style = p.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and style.get(f"{_W}val") in style_num:
            num_id, ilvl = style_num[style.get(f"{_W}val") or ""]
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            ilvl = _int(_val(num_pr, "ilvl"), ilvl)
        label = numbering.label(num_id, ilvl) if num_id and num_id != "0" else ""
        if not line.strip():
            continue  # an empty numbered paragraph still counts, as in Word
        paragraphs.append(label + line.lstrip() if label else line)
    body, meta = layout.front_and_back_matter(paragraphs)
    if not any(p.strip() for p in body):
        raise InputError(zr.path, "is a DOCX document with no text", "check that it is the right file")
    return Source(path=zr.path, text="\n".join(body) + "\n", source_format="docx", metadata=meta,
                  warnings=tuple(dict.fromkeys(numbering.warnings)))
