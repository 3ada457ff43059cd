"""Terms: quoted slogans “…”, named documents 《…》 and key phrases new or dropped between years.

What counts as *new* (or dropped): a term whose words, without their quotation marks, occur nowhere in
the other text. “组合拳” is not new when last year wrote 组合拳 unquoted; a slogan merely put in quotes
this year is not news. Occurrence is tested on ``normalize``\\d text (NFKC, no whitespace), so hard-wrapped
lines and full-width forms do not hide a phrase.

**Key phrases** are unquoted new vocabulary (新质生产力 in 2024), found by a principled method rather
than by recombining common words:

1. The text is segmented with ``rjieba`` (the Rust port of jieba; same segmentation as jieba on 50 of
   the 51 reports, 20× faster, see ``docs/decisions.md``), with parts of speech.
2. A token is *novel* when it is a word of two or more Chinese characters that occurs nowhere in the old
   text (nor in the earlier years, when given). Known words in a new order (加快推进数字化) have no novel
   token and are never reported: that is the "not a plain recombination of common words" rule.
3. Around each novel token the phrase grows over adjacent nominal tokens (nouns, names, idioms,
   distinguishing words; up to ``PHRASE_MAX_TOKENS`` tokens and ``PHRASE_MAX_CHARS`` characters):
   新质 + 生产力 → 新质生产力. The phrase itself must not occur in the old text, must not end in a predicate
   (``_predicate``: 项目准备充分) and must stand on its own: found at least once at a boundary, or next to two
   different words, on each side (``_free``: 名义经济 is always followed by 增速).
4. Salience ranks them: characters of novel tokens (longer new words carry more), doubled for a word the
   segmenter's dictionary does not know (a coinage, found by its HMM), times ``1 + log(count)`` and a
   bonus for a phrase that grew (a compound is a term; a lone token is often a name or a fragment).

``document_terms(doc, against=())`` gives every quoted slogan and named document of a document with its
count and first span (what a timeline counts per year), plus the key phrases new against ``against``
when given; ``term_changes(old, new, history)`` fills ``Comparison.terms``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from .model import PLAN_ROLES, Document, Span, Term, TermKind, Terms
from .text import normalize, segmenter

_TERM = re.compile(r"“([^“”\n]{2,40})”|《([^《》\n]{2,80})》|「([^「」\n]{2,40})」")

PHRASE_MAX_TOKENS = 3
"""Longest key phrase in tokens: 新质 + 生产力, 数字 + 经济 + 新业态; four tokens make a clause."""

PHRASE_MAX_CHARS = 8
"""Longest key phrase in characters: policy coinages are 3–7 characters (新质生产力, 耐心资本)."""

NOVEL_MIN_CHARS = 2
"""A novel token has at least two characters: a single new character is a segmentation fragment."""

NOMINAL_POS = frozenset(("n", "nz", "ng", "nr", "ns", "nt", "nrt", "nrfg", "j", "b", "an", "vn"))
"""Parts of speech of a key phrase's tokens: nouns, names, abbreviations, distinguishing words, verbal
nouns. Idioms (``l``, ``i``: 紧紧抓住, 来之不易) and verbs are left out: a key phrase names a thing."""

VERBAL = frozenset(("vn",))
"""Verbal nouns do not start a phrase: before a noun they act as its verb (发展新质生产力, 建设…)."""
_NOMINAL_NOT_VERBAL = NOMINAL_POS - VERBAL

HEAD_POS = frozenset(("n", "nz", "ng", "nt", "j", "vn"))
"""Parts of speech the last token of a key phrase must have: Chinese noun phrases end in their head."""

OOV_WEIGHT = 2.0
"""Weight of a novel token the segmenter's dictionary lacks: a coinage (新质) rather than a known word
used for the first time (a place name, a technical term)."""

COMPOUND_BONUS = 1.5
"""Factor for a phrase grown beyond its novel token: compounds are how policy language coins terms."""

KEY_PHRASES_MAX = 30
"""Key phrases kept per side, most salient first: a reader scans a short list of new coinages; the long
tail (hundreds between two reports) is one-off wording, not terms."""

_HAN = re.compile(r"^[\u3400-\u9fff]+$")


def terms(text: str) -> list[str]:
    """Quoted slogans and named documents, as written (with their marks), in order of first use."""
    seen: dict[str, str] = {}
    for m in _TERM.finditer(text):
        whole = m.group(0)
        key = normalize(whole)
        if key not in seen:
            seen[key] = whole
    return list(seen.values())


def _inner(term: str) -> str:
    return normalize(term[1:-1])


@functools.lru_cache(maxsize=128)
def _normalized(text: str) -> str:
    return normalize(text)


def document_terms(doc: Document, against: Sequence[Document] = ()) -> dict[str, tuple[TermKind, int, Span]]:
    """Every quoted slogan and named document: text as written → (kind, count, first span).

    The count is of the words without marks (quoted or not), the span is the first quoted occurrence.
    With ``against`` (e.g. the earlier years), the key phrases new against all of them are added with
    kind ``phrase``: a key phrase is only defined by novelty, so a document alone has none.
    """
    out: dict[str, tuple[TermKind, int, Span]] = {}
    norm = _normalized(doc.text)
    seen: set[str] = set()
    for m in _TERM.finditer(doc.text):
        whole = m.group(0)
        key = normalize(whole)
        if key in seen:
            continue
        seen.add(key)
        kind: TermKind = "document" if whole.startswith("《") else "quoted"
        out[whole] = (kind, norm.count(_inner(whole)), (m.start(), m.end()))
    if against:
        for t in key_phrases(doc, [_normalized(d.text) for d in against]):
            if t.span is not None and t.text not in out:
                out[t.text] = ("phrase", t.count_new, t.span)
    return out


# --- key phrases --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _tagged(text: str) -> tuple[tuple[str, str, int], ...]:
    """Tokens with part of speech and start offset in ``text``."""
    tagged = segmenter().tag(text)
    words = [w for w, _ in tagged]
    return tuple(zip(words, [p for _, p in tagged], itertools.accumulate(map(len, words), initial=0), strict=False))


INDEXED_CHARS = 4
"""Words up to this length (nearly all candidate words: 2–4 characters) are looked up in an index of the
other text's substrings of that length; longer phrases (a few hundred a report) by a direct substring
search. Four characters of 16 bits each are one 64-bit code."""
INDEX_MAX_TEXT = 100_000
"""Texts up to this length (every real work report) are indexed; a longer one is searched directly."""


SUBSTRING_SETS = 6
"""Substring indexes kept: lengths 2–4 of the two texts of the current pair; the next pair of a series
shares one of its texts with this one."""


@functools.lru_cache(maxsize=SUBSTRING_SETS)
def _substrings(norm: str, n: int) -> np.ndarray | frozenset[str]:
    """Every substring of ``n`` characters of ``norm``, as sorted codes (16 bits a character, the
    first character highest): built in ~0.3 ms for a report where a set of the substrings as strings took
    ~4 ms (60,000 small strings), and looked up many words at a time. A text with characters beyond the
    BMP (two UTF-16 units each) gets the set of strings."""
    units = np.frombuffer(norm.encode("utf-16-le"), dtype="<u2")
    if len(units) != len(norm):
        return frozenset(norm[i:i + n] for i in range(len(norm) - n + 1))
    count = len(units) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = units[:count].astype(np.uint64)
    for k in range(1, n):
        codes = (codes << np.uint64(16)) | units[k:k + count]
    codes.sort()  # repeats stay: a sorted array is all a binary search needs
    return codes


class _Known:
    """Membership of words in any of the ``others`` (normalised texts): short words through the substring
    indexes of their length, longer ones by a direct search."""

    def __init__(self, others: Sequence[str]) -> None:
        self.others = others
        self.joined = "\0".join(others)
        self.indexes = {n: [_substrings(o, n) for o in others if len(o) <= INDEX_MAX_TEXT]
                        for n in range(NOVEL_MIN_CHARS, INDEXED_CHARS + 1)}
        self.unindexed = [o for o in others if len(o) > INDEX_MAX_TEXT]

    def novel(self, words: Iterable[str]) -> set[str]:
        """The words found in none of the others."""
        out: set[str] = set()
        by_length: dict[int, list[str]] = {}
        for w in words:
            by_length.setdefault(len(w), []).append(w)
        for n, group in by_length.items():
            indexes = self.indexes.get(n)
            if indexes is None:
                where = [self.joined] if n > PHRASE_MAX_CHARS else self.others
                out.update(w for w in group if not any(w in o for o in where))
                continue
            found = np.zeros(len(group), dtype=bool)
            units = [w.encode("utf-16-be") for w in group]
            bmp = np.array([len(u) == 2 * n for u in units], dtype=bool)  # else a surrogate pair: no code
            codes = np.fromiter((int.from_bytes(u, "big") for u, ok in zip(units, bmp, strict=True) if ok),
                                dtype=np.uint64, count=int(bmp.sum()))  # ``_substrings`` codes
            for index in indexes:
                if isinstance(index, frozenset):
                    found |= np.array([w in index for w in group], dtype=bool)
                elif len(index) and len(codes):
                    at = np.minimum(np.searchsorted(index, codes), len(index) - 1)
                    found[bmp] |= index[at] == codes
            out.update(w for w, hit in zip(group, found, strict=True)
                       if not hit and not any(w in o for o in self.unindexed))
        return out


@functools.lru_cache(maxsize=4)
def _nominal_words(text: str) -> dict[str, tuple[int, ...]]:
    """The nominal words of ``text`` that could be novel (Han, ``NOVEL_MIN_CHARS`` or more), each with the
    indices of its tokens: the same for each of the two pairs a year of a series is in, so worked out
    once, and the phrase search visits only the tokens of novel words (a few dozen of 10,000)."""
    out: dict[str, list[int]] = {}
    for k, (w, p, _) in enumerate(_tagged(text)):
        if len(w) >= NOVEL_MIN_CHARS and p in NOMINAL_POS and _HAN.match(w):
            out.setdefault(w, []).append(k)
    return {w: tuple(ks) for w, ks in out.items()}


NOT_HEADS = frozenset(("全部", "年度", "年均", "方面", "以上", "以下", "之间", "情况", "问题", "时期", "期间",
                       "总体", "整体", "部分", "有关", "相关"))
"""Nouns that cannot end a term: they quantify or place it (行政许可事项全部, 税收优惠政策年度); a phrase
ending in one is cut from a clause."""

VERB_WORDS = ("深化", "大力", "加快", "推进", "推动", "加强", "完善", "健全", "实施", "落实", "促进", "强化",
              "优化", "提升", "扩大", "坚持", "拓宽", "拓展", "培育", "壮大", "发展", "建设", "打造", "构建", "全面",
              "持续", "积极", "稳步", "着力", "进一步", "依法", "依照", "严格", "充分", "广泛", "采取", "行使", "科学",
              "努力", "切实", "认真", "不断", "有效", "明显", "弘扬", "规范", "开展", "提高", "降低", "满足", "保障")
"""Verbs and adverbs of policy language that the tagger calls nouns (深化 as j, 大力发展 as nz, 拓宽 as nr,
行使, 严格控制, 充分发挥 as n): a phrase never starts with one, they govern the term after them
(深化体教融合 → 体教融合; 依法行使民主权利 is a clause, not a term)."""

DROPPED_MIN_YEARS = 2
"""Consecutive documents (the old one and the latest earlier years given) a dropped key phrase must appear in:
a term that was in use and is gone is news (精准扶贫 after 2018); a phrase one year used once and the next did
not is wording, not a dropped term (``_in_use`` also sets recurring vocabulary aside). Quoted slogans and named
documents need no such proof: the authors named them."""

FUNCTION_CHARS = frozenset("和与及或对为在把被从向于的了之并且而")
"""Characters that are words of grammar on their own (and, to, for, of): a term never starts with one; a
phrase that does was cut from a coordination or a prepositional phrase."""

OOV_MAX_CHARS = 3
"""Longest word the segmenter's HMM coins that is taken for a word: its coinages are two or three
characters (新质, 数贸会); a longer unknown run (准备充分, 前要清偿) is characters it glued across words."""

PHRASE_MIN_CHARS = 3
"""Shortest key phrase: a two-character word alone (稳字, 上产, 新质) is a piece of a longer expression; the
term is the compound (新质生产力)."""

FUNCTION_POS = frozenset(("u", "uj", "ul", "uz", "ug", "uv", "p", "c", "x", "w", "y", "e"))
"""Parts of speech that bound a term cleanly (particles, prepositions, conjunctions, punctuation)."""


PREDICATE_POS = frozenset(("v", "vd", "vg", "a", "ad", "ag", "d", "dg", "z"))
"""Tags of a word that is a predicate (verbs, adjectives, adverbs): a term's head is never one."""


@functools.lru_cache(maxsize=4096)
def _predicate(word: str) -> bool:
    """Whether a dictionary word the tagger calls a noun ends in a predicate: its last part, as the
    segmenter's search mode splits it, is a verb, adjective or adverb (准备|充分, 日益|增长, 国内|长途, 相|适应),
    or a four-character word has no parts at all (雪中送炭: an idiom, a clause of its own). The tagger
    gives many such words its default tag ``n``; their parts keep their own. A three-character word counts
    only when its first character is not a noun or adjective (大|通道 is a noun phrase, 相|适应 is not). A word
    the dictionary lacks ends in a predicate when its characters before the last are one (过高|时)."""
    seg = segmenter()
    if len(word) < 3:
        return False
    if not seg.has_word(word):  # 过高|时: a predicate and a character the HMM glued to it
        start = seg.tag(word[:-1])
        return len(start) == 1 and start[0][1] in PREDICATE_POS
    parts = [p for p in seg.cut_for_search(word) if p != word and len(p) >= 2]
    if not parts:
        return len(word) >= 4
    ends = [p for p in parts if word.endswith(p)]
    if not ends:
        return False
    last = max(ends, key=len)
    tagged = seg.tag(last)
    if len(tagged) != 1 or tagged[0][1] not in PREDICATE_POS:
        return False
    if len(word) - len(last) == 1:
        first = seg.tag(word[0])
        return len(first) == 1 and first[0][1] in PREDICATE_POS and first[0][1] != "a"
    return True


def _extent(tokens: Sequence[tuple[str, str, int]], k: int) -> tuple[int, int] | None:
    """The tokens of the phrase around token ``k``: the whole run of nominal words holding it (nominal
    modifiers before, nominal words after), or None when that run is longer than ``PHRASE_MAX_TOKENS`` /
    ``PHRASE_MAX_CHARS`` (a clause, not a term: cutting it would give a fragment such as 妇女儿童犯罪行为
    out of 拐卖妇女儿童犯罪行为) or is glued to a figure or to a single character that belongs with it
    (1亿人出棚, 外贸质升量稳: the segmenter split a word, the phrase would be a piece of it)."""
    lo, hi = k, k + 1
    while lo > 0 and tokens[lo - 1][1] in _NOMINAL_NOT_VERBAL and _HAN.match(tokens[lo - 1][0]):
        lo -= 1
    while hi < len(tokens) and tokens[hi][1] in NOMINAL_POS and _HAN.match(tokens[hi][0]):
        hi += 1
    while hi - lo > 1 and (tokens[lo][1] in VERBAL or tokens[lo][0].startswith(VERB_WORDS)):
        lo += 1  # a verbal noun before the phrase acts as its verb (发展新质生产力, 深化体教融合)
    if len(tokens[lo][0]) == 1 or sum(len(t[0]) for t in tokens[lo:hi]) < PHRASE_MIN_CHARS:
        return None  # 性抑制性 (of 收缩性抑制性), 稳字: pieces, not terms
    if hi - lo > PHRASE_MAX_TOKENS or sum(len(t[0]) for t in tokens[lo:hi]) > PHRASE_MAX_CHARS:
        return None
    before = tokens[lo - 1] if lo > 0 else None
    after = tokens[hi] if hi < len(tokens) else None
    if before is not None and (before[1] in ("m", "q", "h")
                               or (not _HAN.match(before[0]) and before[0][-1:].isdigit())):
        return None  # 1亿人出棚: a figure's unit, not a term; 非|经济性政策: a prefix belongs to what follows
    if after is not None and after[1] == "k":
        return None  # a suffix belongs to the word before it
    if after is not None and len(after[0]) == 1 and _HAN.match(after[0]) and after[1] not in FUNCTION_POS:
        return None  # 外贸质升量 + 稳: a word cut in two by the segmenter
    if hi - lo > 1 and not segmenter().has_word(tokens[hi - 1][0]):
        return None  # 企业助把力: a head the dictionary lacks is characters the HMM glued, not a noun
    if _predicate(tokens[hi - 1][0]):
        return None  # 项目准备充分, 人民日益增长, 民生雪中送炭: a subject and its predicate, not a term
    if tokens[hi - 1][0] in NOT_HEADS or tokens[hi - 1][0].startswith(VERB_WORDS):
        return None  # 专营机构依法, 违法者依法严惩: a clause's subject and its verb, not a term
    if tokens[lo][0][0] in FUNCTION_CHARS:
        return None  # 和央企股份制改革, 对小微企业: a conjunction or preposition is no part of a term
    has_word = segmenter().has_word
    if any(len(t[0]) > OOV_MAX_CHARS and not has_word(t[0]) for t in tokens[lo:hi]):
        return None  # 准备充分, 前要清偿: a run of characters the segmenter glued, not a word
    if (before is not None and has_word(before[0] + tokens[lo][0])) or (
            after is not None and has_word(tokens[hi - 1][0] + after[0])):
        return None  # 名义经济|增长, 应|纳税所得额, 市域社会|治理: the edge cuts through a dictionary word
    return lo, hi


BOUNDARY_CHARS = frozenset("的和与及或等、，。；：！？")
"""Characters after (or before) a phrase in another text that end it there: punctuation and the words of
grammar that join noun phrases (of, and, etc.)."""


def _right_glue(tokens: Sequence[tuple[str, str, int]], hi: int) -> str | None:
    """The content word the phrase ending before token ``hi`` is glued to on the right, or None at a
    boundary (punctuation, a figure, a particle or conjunction): 名义经济|增速, 市域社会|治理 are glued, a
    term before 。 or 、 or 和 is not."""
    if hi >= len(tokens):
        return None
    word, pos, _ = tokens[hi]
    if not _HAN.match(word) or pos in FUNCTION_POS or word in BOUNDARY_CHARS:
        return None
    return word


def _left_glue(tokens: Sequence[tuple[str, str, int]], lo: int) -> str | None:
    """The word the phrase starting at token ``lo`` is glued to on the left, or None at a boundary (a
    governing verb, punctuation, a particle): after 等 the phrase is the head of the list before it
    (养老照护等|领域人才需求); a verbal noun after a noun is part of a compound (民航发展|基金航空公司, 政务服务|
    事项集成化办理); a lone character or a run the HMM glued whose last character makes a dictionary word with
    the phrase's start means the edge cuts a word (年应|纳税所得额: 应纳). Two-character dictionary words on the
    left are not tested so: across 推动|工商, 推行|政府 the chance words 动工, 行政 would cut good terms."""
    if lo == 0:
        return None
    word, pos, _ = tokens[lo - 1]
    if not _HAN.match(word):
        return None
    if word == "等" or pos == "s":
        return word  # A、B等|领域: the head of the list; 单位国内|生产总值用水量: a place word modifies what follows
    if pos in FUNCTION_POS:
        return None
    if lo >= 2 and pos in VERBAL and tokens[lo - 2][1] in _NOMINAL_NOT_VERBAL and _HAN.match(tokens[lo - 2][0]):
        return word
    has_word = segmenter().has_word
    if (len(word) == 1 or not has_word(word)) and any(has_word(word[-1] + tokens[lo][0][:j]) for j in (1, 2)):
        return word  # 年应|纳税 (应纳), 大|数据中心 (大数据): a character glued to the wrong side
    return None


def _free(glued: Iterable[str | None]) -> bool:
    """Whether occurrences show a phrase standing on its own on one side: once at a boundary, or glued to
    two different characters (accessor variety: a string always followed by the same one is part of a
    longer one)."""
    seen: set[str] = set()
    for g in glued:
        if g is None:
            return True
        seen.add(g[0])
    return len(seen) >= 2


LEFT_COHESION_MIN = 3
"""Uses of a phrase's first word outside the phrase, after the word that stands before the phrase, that show
the two are one compound (特别|行政区宪制秩序: 行政区 follows 特别 in 8 of its 8 other uses in 2022 and 2023)."""

LEFT_COHESION_SHARE = 0.75
"""Share of the first word's other uses that must follow that same word."""


def _left_cohesive(phrase: str, first: str, lefts: set[str | None], texts: Sequence[str]) -> bool:
    """Whether the word before every occurrence of ``phrase`` makes a compound with its first word ``first``
    in the texts (the two of the pair): ``first`` outside the phrase follows that word at least
    ``LEFT_COHESION_MIN`` times and in at least ``LEFT_COHESION_SHARE`` of its uses (特别行政区 throughout:
    行政区宪制秩序 is cut from 特别行政区宪制秩序). Neither segmenter nor dictionary knows 特别行政区 as a word. A
    governing verb is never so bound: the first word of a term goes after many words."""
    if len(lefts) != 1 or (left := next(iter(lefts))) is None:
        return False
    glued = sum(t.count(left + first) for t in texts)
    if glued < LEFT_COHESION_MIN:
        return False  # most words before a phrase: no count of the first word needed
    glued -= sum(t.count(left + phrase) for t in texts)
    outside = sum(t.count(first) - t.count(phrase) for t in texts)
    return glued >= LEFT_COHESION_MIN and glued >= LEFT_COHESION_SHARE * outside


WORD_WINDOW = 4
"""Characters on each side of an occurrence segmented to tell whether it is a word there: enough for the
words around it (2–4 characters), so 五保供养 is 五保|供养 and holds no word 保供."""


def _as_word(text: str, word: str, at: int) -> bool:
    """Whether ``word``, found at offset ``at`` of ``text``, stands there as a word of its own (not inside
    五保供养 for 保供): the occurrence is segmented with ``WORD_WINDOW`` characters around it."""
    lo = max(0, at - WORD_WINDOW)
    edges = set(itertools.accumulate(map(len, segmenter().cut(text[lo:at + len(word) + WORD_WINDOW])), initial=lo))
    return at in edges and at + len(word) in edges


def _found(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _never_apart(lefts: set[str | None], first: str, texts: Callable[[], str]) -> bool:
    """Whether the one word before every occurrence of a phrase and the phrase's first word are never seen
    apart in ``texts()`` (every text available, joined; built only when needed): wherever the first word
    stands as a word it follows the left word, and wherever the left word stands as a word the first word
    follows it, so the texts attest no boundary between them (控辍|保学专项行动; 保供|稳价机制, 保供 not
    counting 五保供养). One side alone is no evidence: a coinage used once is always after the same word
    (发展|新质生产力), but 发展 is followed by many."""
    if len(lefts) != 1 or (left := next(iter(lefts))) is None:
        return False
    text, n = texts(), len(left)
    if any(text[max(0, at - n):at] != left and _as_word(text, first, at) for at in _found(text, first)):
        return False
    return not any(text[at + n:at + n + len(first)] != first and _as_word(text, left, at) for at in _found(text, left))


def _text_glue(text: str, phrase: str) -> tuple[list[str | None], list[str | None]]:
    """The characters before and after each occurrence of ``phrase`` in another text (None at a boundary)."""
    left: list[str | None] = []
    right: list[str | None] = []
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        before = text[at - 1] if at else ""
        after = text[end] if end < len(text) else ""
        left.append(before if _HAN.match(before) and before not in BOUNDARY_CHARS else None)
        right.append(after if _HAN.match(after) and after not in BOUNDARY_CHARS else None)
        at = text.find(phrase, at + 1)
    return left, right


def _plan_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of the nodes whose words count for key phrases: plan roles (``model.PLAN_ROLES``), or every node
    of a tree without roles. A year's new vocabulary is what it plans; the review's statistics (高速公路里程,
    消费品零售总额 in a five-year review) and the closing's formulas are not new concepts."""
    nodes = [n for n in doc.nodes() if n.role is None or n.role in PLAN_ROLES]
    return sorted(n.span for n in nodes)


def _inside(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def key_phrases(doc: Document, others: Sequence[str], evidence: Sequence[str] = ()) -> list[Term]:
    """Phrases of ``doc`` built on words found in none of ``others`` (normalised texts), most salient first.

    ``count_new`` holds the count in ``doc``; the caller swaps sides for dropped phrases. Only the plan's
    words are candidates (``PLAN_ROLES``). A phrase must stand on its own on both sides (``_free``) in its
    occurrences in ``doc`` and in ``evidence`` (other normalised texts that may hold it: the earlier years of a
    dropped phrase): 名义经济, always before 增速, is part of 名义经济增速. Ranked by ``_tier`` (coinages on a
    known head first, then compounds, then single words and phrases whose head the dictionary lacks), then
    salience.
    """
    tokens = _tagged(doc.text)
    quoted = "\0".join(normalize(m.group(0)[1:-1]) for m in _TERM.finditer(doc.text))
    known = _Known(others)
    nominal = _nominal_words(doc.text)
    novel_words = known.novel(nominal)
    plan = _plan_spans(doc)
    starts = [a for a, _ in plan]
    found: dict[str, tuple[float, int, Span]] = {}
    counts: Counter[str] = Counter()
    where: dict[str, list[tuple[int, int]]] = {}
    seen: set[tuple[int, int]] = set()
    spans = [e for k in sorted(k for w in novel_words for k in nominal[w])
             if _inside(plan, starts, tokens[k][2]) and (e := _extent(tokens, k)) is not None]
    phrases = ["".join(t[0] for t in tokens[lo:hi]) for lo, hi in spans]
    unknown = known.novel(set(phrases))  # looked up together: one search of each index per length
    has_word = segmenter().has_word
    for (lo, hi), phrase in zip(spans, phrases, strict=True):
        if (lo, hi) in seen:
            continue  # the same occurrence reached from its second novel token
        seen.add((lo, hi))
        where.setdefault(phrase, []).append((lo, hi))
        if phrase in found:
            counts[phrase] += 1
            continue
        if tokens[hi - 1][1] not in HEAD_POS or phrase not in unknown:
            continue
        if hi - lo == 1 and has_word(phrase):
            continue  # one dictionary word no earlier text used: a name or a technical word, not a coinage
        if phrase in quoted:
            continue  # part of a “…” or 《…》 of this text: that term speaks for it
        start, end = tokens[lo][2], tokens[hi - 1][2] + len(tokens[hi - 1][0])
        counts[phrase] += 1
        novel = sum(len(t[0]) * (OOV_WEIGHT if not has_word(t[0]) else 1.0)
                    for t in tokens[lo:hi] if t[0] in novel_words)
        score = novel * (COMPOUND_BONUS if hi - lo > 1 else 1.0)
        coined = any(t[0] in novel_words and not has_word(t[0]) for t in tokens[lo:hi - 1])
        tier = 0 if coined and has_word(tokens[hi - 1][0]) else 1 if hi - lo > 1 and has_word(tokens[hi - 1][0]) else 2
        found[phrase] = (score, tier, (start, end))
    out = []
    tiers: dict[str, int] = {}
    texts = [_normalized(doc.text), *others[:1]]  # the pair: the same cost with any length of history
    for phrase, (score, tier, span) in found.items():
        left = [_left_glue(tokens, lo) for lo, _ in where[phrase]]
        right = [_right_glue(tokens, hi) for _, hi in where[phrase]]
        for text in evidence:
            more = _text_glue(text, phrase)
            left += more[0]
            right += more[1]
        if not (_free(left) and _free(right)):
            continue
        count = counts[phrase]
        tiers[phrase] = tier
        out.append(Term(text=phrase, kind="phrase", count_old=0, count_new=count, span=span,
                        salience=round(score * (1 + math.log(count)), 4)))
    # a phrase inside a longer reported phrase adds nothing (新质 inside 新质生产力)
    every = "\0".join(t.text for t in out)
    out = [t for t in out if every.count(t.text) == 1]
    out.sort(key=lambda t: (tiers[t.text], -t.salience, t.span or (0, 0)))
    kept = []
    every_text = functools.cache(lambda: "\0".join([_normalized(doc.text), *others, *evidence]))
    for t in out:  # in order, until the list is full: only the listed phrases are counted
        before = {tokens[lo - 1][0] if lo and _HAN.match(tokens[lo - 1][0]) and tokens[lo - 1][1] not in FUNCTION_POS
                  else None for lo, _ in where[t.text]}
        first = tokens[where[t.text][0][0]][0]
        if _never_apart(before, first, every_text):  # the texts attest no boundary before the phrase
            continue
        if not _left_cohesive(t.text, first, before, texts):
            kept.append(t)  # else 特别|行政区宪制秩序: the word before it and its first word are one compound
            if len(kept) == KEY_PHRASES_MAX:
                break
    return kept


def _tier_of_quoted(inner: str, others: Sequence[str]) -> int:
    """A quoted slogan is a coinage (tier 0) when one of its words is unknown to the dictionary and to the
    other texts (“人工智能+” is not, 新质 would be), else a named term (tier 1)."""
    has_word = segmenter().has_word
    words = [w for w in segmenter().cut(inner) if len(w) >= NOVEL_MIN_CHARS and _HAN.match(w)]
    oov = [w for w in words if not has_word(w)]
    return 0 if oov and _Known(others).novel(oov) else 1


# --- changes ------------------------------------------------------------------------------------------

QUOTED_WEIGHT = COMPOUND_BONUS
"""Salience per character of a quoted slogan or named document, as for a compound phrase: the authors
marked it as a term, so it ranks with the compounds of its tier (“新三样” 3 × 1.5 = 4.5)."""


def _quoted_changes(side: Document, others: Sequence[str]) -> list[tuple[int, Term]]:
    """Quoted slogans and named documents of ``side`` whose words occur in none of ``others``, with tier."""
    out = []
    for whole, (kind, count, span) in document_terms(side).items():
        inner = _inner(whole)
        if not inner or any(inner in o for o in others):
            continue
        salience = round(min(len(inner), PHRASE_MAX_CHARS) * QUOTED_WEIGHT * (1 + math.log(max(count, 1))), 4)
        out.append((_tier_of_quoted(inner, others) if kind == "quoted" else 1,
                    Term(text=whole, kind=kind, count_old=0, count_new=count, span=span, salience=salience)))
    return out


def _ranked(quoted: list[tuple[int, Term]], phrases: list[Term], others: Sequence[str]) -> list[Term]:
    """Quoted terms and key phrases in one ranking: tier (coinages, then named terms and compounds, then the
    rest), then salience; full-width and half-width forms are one term (互联网＋ = 互联网+)."""
    has_word = segmenter().has_word
    tiered = [*quoted]
    for t in phrases:
        words = segmenter().cut(t.text)
        head_known = has_word(words[-1]) if words else False
        coined = head_known and any(not has_word(w) and len(w) >= NOVEL_MIN_CHARS for w in words[:-1])
        tiered.append((0 if coined else 1 if len(words) > 1 and head_known else 2, t))
    tiered.sort(key=lambda x: (x[0], -x[1].salience, x[1].span or (0, 0)))
    out: dict[str, Term] = {}
    for _, t in tiered:
        out.setdefault(normalize(t.text), t)
    return list(out.values())


def _swap(t: Term) -> Term:
    return Term(text=t.text, kind=t.kind, count_old=t.count_new, count_new=0, span=t.span, salience=t.salience)


def _in_use(phrase: str, past: Sequence[str]) -> bool:
    """Whether a phrase of the old document was a term of its time: used in the last ``DROPPED_MIN_YEARS``
    documents without a break (``past`` oldest first, the old document after it), and mostly there: a phrase
    the earlier years used more often outside that run than in it is recurring vocabulary (社会保障制度 in 15
    reports from 1988 on, 兴边富民行动 in 12 since 2002), whose absence one year is not news; 精准扶贫, in every
    report from 2014 to 2018 and in none before, is."""
    run = 1
    for text in reversed(past):
        if phrase not in text:
            break
        run += 1
    uses = 1 + sum(phrase in text for text in past)
    return run >= DROPPED_MIN_YEARS and uses - run < run


def term_changes(old: Document, new: Document, history: Sequence[Document] = ()) -> Terms:
    """Quoted terms, named documents and key phrases found on one side only, most salient first.

    ``history`` (earlier years, oldest first, optional) judges novelty against every year available: a term of
    the new document found in no earlier year is new (``added``); one absent from the old document but used in
    an earlier year is ``returning``. Dropped terms are those of the old document absent from the new one; with
    ``history``, a dropped key phrase must have been in use up to the old year and not be recurring vocabulary
    (``_in_use``), and its occurrences there count as evidence that it stands on its own.
    """
    old_norm, new_norm = _normalized(old.text), _normalized(new.text)
    past = [_normalized(d.text) for d in history]
    fresh = _ranked(_quoted_changes(new, [old_norm, *past]), key_phrases(new, [old_norm, *past]), [old_norm, *past])
    back: list[Term] = []
    if past:
        fresh_keys = {normalize(t.text) for t in fresh}
        back = [t for t in _ranked(_quoted_changes(new, [old_norm]), key_phrases(new, [old_norm]), [old_norm])
                if normalize(t.text) not in fresh_keys]
    dropped = key_phrases(old, [new_norm], past)
    if past:
        dropped = [t for t in dropped if _in_use(t.text, past)]
    removed = _ranked([(tier, _swap(t)) for tier, t in _quoted_changes(old, [new_norm])],
                      [_swap(t) for t in dropped], [new_norm])
    return Terms(added=tuple(fresh), removed=tuple(removed), returning=tuple(back[:KEY_PHRASES_MAX]))
