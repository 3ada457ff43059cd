"""Leaf text utilities every stage shares: what counts as blank, the same, and similar.

This module imports nothing of ours, so the parser, the aligner, the text differ and the renderers
can all use one definition of normalisation, zero-width handling, Chinese numerals and bigram
similarity without importing each other.

* **Blank**: Unicode whitespace plus *invisible* characters: zero-width characters (U+200B–U+200D,
  U+2060, U+FEFF, U+00AD), bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C),
  control characters (C0 and C1 other than tab and line breaks, DEL), noncharacters (U+FDD0–U+FDEF,
  U+xFFFE/U+xFFFF) and lone surrogates. Copied web text is full of them; they carry no text, break
  matching, and raw control characters crash XML serialisers and drive terminals. They are handled
  once, here: the parser keeps them inside spans (nothing is lost) and drops them from node and
  sentence text, so no renderer ever receives one and comparison ignores them.
* **Line breaks** are every Unicode line break: LF, CR, CRLF, NEL (U+0085), LINE and PARAGRAPH
  SEPARATOR (U+2028/U+2029), and VT/FF (``str.splitlines`` also breaks at U+001C–U+001E, which no
  document uses as a line end: they are invisible controls here).
* **Normalisation** (``normalize``) decides "unchanged": NFKC folds full-width digits, letters and
  punctuation (，→, ；→; （→( ), curly quotes become straight ones, whitespace and zero-width
  characters are dropped.
* **Content key** (``content_key``) is what similarity reads: the normalised text without punctuation
  and symbols.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Invisible characters treated as whitespace: they carry no text and break matching."""

TERMINAL = "。！？；：:”」』）)!?;…"
"""A line (or paragraph) ending in one of these is complete; any other may be continued by the next."""

RUN_IN_TITLE_MAX = 26
"""Longest first sentence taken as the run-in title of an unnumbered paragraph (``structure``), and longest
line taken as a measure's title written on a line of its own (``align``, step 6j)."""

METADATA_FIELDS = ("索引号", "发文字号", "成文日期", "发文机关", "发布日期", "主题分类", "体裁分类",
                   "公开方式", "组配分类", "文号", "发布机构", "生效日期", "废止日期", "有效性")
"""Field names of the publication block government sites put above a document."""

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Bidirectional formatting characters: invisible, and U+202E reverses what a reader sees (spoofing)."""

LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
"""Characters that end a line (CR LF counts as one break, see ``LINE_BREAK``)."""

LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
"""One line break: CRLF first so that it is one break, not two."""

CONTROLS = "".join(chr(c) for c in (*range(0x20), *range(0x7f, 0xa0)) if chr(c) not in LINE_BREAKS + "\t")
"""C0 and C1 control characters and DEL, other than tab and the line breaks: never text."""

NONCHARACTERS = "".join([chr(c) for c in range(0xfdd0, 0xfdf0)]
                        + [chr(plane * 0x10000 + low) for plane in range(17) for low in (0xfffe, 0xffff)])
"""Unicode noncharacters: reserved for internal use, never text (U+FFFE is a byte-swapped BOM)."""

SURROGATES = "".join(chr(c) for c in range(0xd800, 0xe000))
"""Lone surrogates (only reachable from ``surrogateescape`` decoding): they cannot be encoded as UTF-8."""

INVISIBLE = frozenset(ZERO_WIDTH + BIDI_CONTROLS + CONTROLS + NONCHARACTERS + SURROGATES)
"""Every character that is kept in spans but dropped from node text, comparison and rendering."""


def is_invisible(ch: str) -> bool:
    """A character that carries no text (zero-width, bidi control, control, noncharacter, surrogate)."""
    return ch in INVISIBLE


def is_blank(ch: str) -> bool:
    """Whitespace in the parser's sense: Unicode whitespace and invisible characters."""
    return ch.isspace() or ch in INVISIBLE


def all_blank(text: str) -> bool:
    """True when ``text`` has no visible character (only whitespace and invisible characters).

    ``str.strip`` misses zero-width and control characters, so a file of U+200B passes it; this is the
    test for "holds no text" (``policydiff.read`` refuses such files).
    """
    return all(is_blank(ch) for ch in text)


def visible(text: str) -> str:
    """``text`` without its invisible characters (line breaks and spaces kept)."""
    if not any(ch in INVISIBLE for ch in text):
        return text
    return "".join(ch for ch in text if ch not in INVISIBLE)


def one_line(text: str) -> str:
    """``text`` as a single-line value (metadata fields): invisible characters dropped, every run of
    whitespace and line breaks one space, ends stripped.

    >>> one_line(" 海教\\u202e〔2021〕\\x0b\\r\\n 1号\\t")
    '海教〔2021〕 1号'
    """
    return " ".join(visible(text).split())


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of ``text``, line breaks excluded, at every Unicode line break.

    >>> split_lines("a\\r\\nb\\rc\\u2028d")
    [(0, 1), (3, 4), (5, 6), (7, 8)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in LINE_BREAK.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def printable(text: str) -> str:
    """``text`` safe on one line of a terminal: line breaks and invisible characters as ``\\x..`` escapes.

    For file names and other strings that are shown but not compared (error messages, headers):
    nothing is dropped, so two different names stay distinguishable.
    """
    if not any(ch in INVISIBLE or ch in LINE_BREAKS for ch in text):
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if ch in INVISIBLE or ch in LINE_BREAKS
                   else ch for ch in text)


def clean(text: str) -> str:
    """A source slice as a node's own text: lines stripped and joined, invisible characters removed."""
    out = []
    for a, b in split_lines(text):
        while a < b and is_blank(text[a]):
            a += 1
        while b > a and is_blank(text[b - 1]):
            b -= 1
        out.append(text[a:b])
    return visible("".join(out))


_QUOTES = (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"))
"""Curly quotes → straight, by ``str.replace``: a ``str.translate`` table looks up every character of a
Chinese text (a failed lookup each), ~17× slower on a report's sentences than four searches that find nothing."""


def _char_class(chars: frozenset[str]) -> str:
    """A regex character class body matching exactly ``chars``, as ranges of consecutive code points."""
    points = sorted(ord(c) for c in chars)
    out, start = [], 0
    for k in range(1, len(points) + 1):
        if k == len(points) or points[k] != points[k - 1] + 1:
            a, b = points[start], points[k - 1]
            out.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
            start = k
    return "".join(out)


_BLANKS = re.compile(rf"[\s{_char_class(INVISIBLE)}]+")
"""Whitespace and every invisible character (``is_blank`` as one regex, for ``normalize``)."""
class _PunctSymbol(dict[int, "int | None"]):
    """``str.translate`` table that deletes punctuation and symbols (categories P* and S*) and keeps every
    other character, filled on first sight of each code point: a report uses a few thousand distinct
    characters, so a comparison asks ``unicodedata`` about those few thousand once (the whole BMP, tested
    up front, took ~20 ms of every ``diff``), and a translation is then dictionary lookups in C, ~20×
    faster than testing characters one by one. Characters beyond the BMP are looked up alike."""

    def __missing__(self, cp: int) -> int | None:
        kept = None if unicodedata.category(chr(cp))[0] in "PS" else cp
        self[cp] = kept
        return kept


_PUNCT_SYMBOL = _PunctSymbol()


@functools.cache
def segmenter() -> Any:
    """The ``rjieba`` module (word segmentation and part-of-speech tags), imported on first use: loading it
    reads jieba's dictionary (~0.1 s), which only comparing needs (terms, number subjects, summary
    clauses), not reading, ``show`` or the CLI's start."""
    import rjieba

    return rjieba


TEXT_CACHE = 4096
"""Texts whose normal form and content key are kept: both reports of a pair (~3,000 sentences and nodes,
their titles and clauses). Over a 50-pair series content keys hit 74.7 % of calls at 4,096 entries, 75.9 % at
16,384 or unbounded; normal forms 21.5 % and 22.0 % (most texts are normalised once); 65,536 held ~80 MB
more over a series."""


@lru_cache(maxsize=TEXT_CACHE)
def normalize(text: str) -> str:
    """Text as compared for "unchanged": NFKC (punctuation and digit width folded), no whitespace."""
    folded = unicodedata.normalize("NFKC", text)
    for curly, straight in _QUOTES:
        folded = folded.replace(curly, straight)
    return _BLANKS.sub("", folded)


_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]", "﹝": "[", "﹞": "]"})


def normalize_metadata(value: str) -> str:
    """A metadata value as compared (发文字号, 成文日期 …): ``normalize`` plus one bracket style.

    Sites write the year of a document number as 〔2021〕, [2021] or 【2021】 and pad with NBSP or
    full-width digits; none of that is a change of the document.

    >>> normalize_metadata("海教〔２０２１〕1\xa0号") == normalize_metadata("海教[2021]1号")
    True
    """
    return normalize(value).translate(_BRACKETS)


def is_punct_or_symbol(ch: str) -> bool:
    """Punctuation or symbol (Unicode categories P* and S*)."""
    return unicodedata.category(ch)[0] in "PS"


@lru_cache(maxsize=TEXT_CACHE)
def content_key(text: str) -> str:
    """Text as compared for similarity: normalised, punctuation and symbols removed."""
    return normalize(text).translate(_PUNCT_SYMBOL)


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of ``content_key(text)`` (a single character counts as one gram)."""
    return Counter(dict(bigram_counts(text)))


BIGRAM_CACHE = 1024
"""Texts whose bigram tuples and word bigrams are kept. Each entry holds a few dozen small tuples (~4 kB):
65,536 of them held 200 MB over a 50-pair series, for no speed-up once a pair is done. Over a series
``bigram_counts`` hits 81.0 % of calls at 1,024 entries, 81.4 % unbounded (its repeats come within a few
hundred calls); ``word_bigrams`` 5.9 % and 6.2 %; at 8,192 the two held ~15 MB."""
SET_CACHE = 256
"""Texts whose bigram sets are kept: ``bigram_set`` is mostly asked for whole nodes and sections, once
or twice in a row (13.1 % of calls hit at 256 entries, 13.2 % unbounded); at 8,192 it held ~33 MB of
sets of long texts over a series."""


@lru_cache(maxsize=SET_CACHE)
def bigram_set(text: str) -> frozenset[str]:
    """The distinct bigrams of ``bigram_counts(text)``, cached: set-based measures (sentence Dice, clause
    sources) intersect the same sentences' sets many times."""
    k = content_key(text)
    if len(k) < 2:
        return frozenset((k,)) if k else frozenset()
    return frozenset(k[i:i + 2] for i in range(len(k) - 1))


@lru_cache(maxsize=BIGRAM_CACHE)
def bigram_counts(text: str) -> tuple[tuple[str, int], ...]:
    """``bigrams(text)`` as an immutable, cached tuple of (bigram, count): the set-based measures of every
    stage (sentence Dice, clause sources, subjects) read the same texts, so each is counted once."""
    k = content_key(text)
    if len(k) < 2:
        return ((k, 1),) if k else ()
    return tuple(Counter(k[i:i + 2] for i in range(len(k) - 1)).items())


def dice(a: Counter[str], b: Counter[str]) -> float:
    """Multiset Dice coefficient of two bigram bags (1.0 when both are empty)."""
    total = a.total() + b.total()
    if not total:
        return 1.0
    return 2 * (a & b).total() / total


def containment(a: Counter[str], b: Counter[str]) -> float:
    """How much of ``a`` is found in ``b`` (1.0 when ``a`` is empty)."""
    n = a.total()
    return (a & b).total() / n if n else 1.0


_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """Chinese numerals of labels to int: ``十二`` → 12, ``二十`` → 20, ``一百零五`` → 105, ``二〇二一`` → 2021.

    >>> cn_number("十二"), cn_number("二〇二一"), cn_number("甲")
    (12, 2021, None)
    """
    if not s:
        return None
    if all(c in _CN_VALUES for c in s) and len(s) > 1:
        return int("".join(str(_CN_VALUES[c]) for c in s))
    total, current = 0, 0
    for c in s:
        if c in _CN_VALUES:
            current = _CN_VALUES[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@lru_cache(maxsize=BIGRAM_CACHE)
def word_bigrams(text: str) -> frozenset[str]:
    """The bigrams of ``content_key(text)`` that lie inside one word of its segmentation (all of its
    bigrams when no word has two characters).

    A summary clause paraphrases a measure's words in a new order: 降低物流成本 keeps 物流 and 成本 of
    “扩大物流企业…中间成本降下来”, but its bigrams across words (低物, 流成) only match where the same phrase
    recurs, and they are nearly half of a short clause's bigrams."""
    k = content_key(text)
    inner = frozenset(w[i:i + 2] for w in segmenter().cut(k) for i in range(len(w) - 1))
    return inner or bigram_set(text)


CLAUSE_CHARS = 40
"""Sentences longer than this are compared clause by clause (``clauses``): a summary keeps one clause of
each measure it condenses, and a review reports on a measure in one clause of a long sentence; compared
whole, a 150-character sentence hides that clause."""
MIN_CLAUSE = 6
"""A clause shorter than this joins its neighbour (``一是``, ``同时``): alone it says nothing of its source."""
_CLAUSE_MARKS = re.compile(r"[，；：,;:]")


def clauses(sentence: str) -> list[str]:
    """A sentence as units of comparison: itself when it has at most ``CLAUSE_CHARS`` characters, else its
    clauses (cut at ，；：, the marks dropped), each of at least ``MIN_CLAUSE`` characters of content: the
    pieces ``clause_spans`` finds, read without their marks."""
    if len(sentence) <= CLAUSE_CHARS:
        return [sentence] if content_key(sentence) else []
    return [_unmarked(sentence, span) for span in clause_spans(sentence)]


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Where each clause of ``clauses(sentence)`` stands in ``sentence``: ``(start, end)`` offsets, the same
    grouping (a short piece joins its neighbour), so ``sentence[start:end]`` with its clause marks (，；：)
    taken out is the clause. Lets a caller quote a clause as the text writes it and locate it.

    >>> s = "一是同时，完善金融监管，坚决守住不发生区域性系统性风险的底线，这是关键，也是我们必须长期坚持的。"
    >>> [s[a:b] for a, b in clause_spans(s)]
    ['一是同时，完善金融监管', '坚决守住不发生区域性系统性风险的底线', '这是关键，也是我们必须长期坚持的。']
    """
    if len(sentence) <= CLAUSE_CHARS:
        return [(0, len(sentence))] if content_key(sentence) else []
    pieces: list[tuple[int, int]] = []
    start = 0
    for m in [*_CLAUSE_MARKS.finditer(sentence), None]:
        end = m.start() if m else len(sentence)
        if pieces and len(content_key(_unmarked(sentence, pieces[-1]))) < MIN_CLAUSE:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
        start = m.end() if m else len(sentence)
    if len(pieces) > 1 and len(content_key(_unmarked(sentence, pieces[-1]))) < MIN_CLAUSE:
        pieces[-2:] = [(pieces[-2][0], pieces[-1][1])]
    return [(a, b) for a, b in pieces if content_key(sentence[a:b])]


def _unmarked(sentence: str, span: tuple[int, int]) -> str:
    return _CLAUSE_MARKS.sub("", sentence[span[0]:span[1]])

# --- tense: does a text look back or ahead ------------------------------------------------------------

TRADITIONAL = str.maketrans("經過來現實達長確應繼續須爭後務顧結執況決績勝進總導標針設預議讓們時這決國產業"
                            "為與從對會數計劃還將農濟戰區發點開歲當報屆權專門問題們",
                            "经过来现实达长确应继续须争后务顾结执况决绩胜进总导标针设预议让们时这决国产业"
                            "为与从对会数计划还将农济战区发点开岁当报届权专门问题们")
"""Traditional characters of the cue words, mapped to simplified before matching: the 1954 report is
transcribed in traditional script (已經, 過去, 今後, 任務), and the cues are written in simplified."""
PAST_CUES = re.compile("已经|已|(?<![为除罢])了(?!解)|过去|去年|上年|年来|回顾|成绩|成就|胜利|比上年|比去年")
"""Past tense and outcomes: the aspect words 已/已经 and 了 after a verb (``完成了``, ``打击了``; not
为了, 除了, 了解), the period looked back on (过去, 去年, …年来), outcomes (成绩, 成就)."""
FUTURE_CUES = re.compile("(?<![主重需必只纲提])要(?!求|点|素|害)|将|拟|力争|确保|今年|明年|今后|必须|应当|应该|"
                         "争取")
"""Modality of plans: 要 (not in 主要, 重要, 需要, 要求), 将, 拟, 力争, 确保, 必须, 应当, 争取; the year
ahead. Not 继续 or 努力: a review says ``我们继续坚持`` and ``经过努力`` of what was done."""

SENTENCE_CUES = 2
"""Fewest past cues for one sentence to read as an outcome (``looks_back``): one 已 or 了 occurs in
promises too (巩固已有成果); two, with no plan cue beside them, do not (过去一年…取得新的成绩)."""


def tense_lean(text: str, min_cues: int) -> float | None:
    """Past (+) or future (−) lean of ``text`` in [−1, 1], or None when it has fewer than ``min_cues`` tense
    cues (``PAST_CUES``, ``FUTURE_CUES``): the anatomy reads a paragraph's tense with it."""
    text = text.translate(TRADITIONAL)
    p = len(PAST_CUES.findall(text))
    f = len(FUTURE_CUES.findall(text))
    if p + f < max(min_cues, 1):
        return None
    return (p - f) / (p + f)


def looks_back(sentence: str) -> bool:
    """Whether one sentence states an outcome rather than a commitment: ``SENTENCE_CUES`` or more past cues
    and no plan cue. Plan parts quote last year to justify a measure (``过去一年，国防和军队建设取得新的
    成绩和进步``); such a sentence is not a new or dropped commitment."""
    lean = tense_lean(sentence, SENTENCE_CUES)
    return lean is not None and lean >= 1.0
