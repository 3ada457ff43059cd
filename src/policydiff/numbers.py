"""Quantities in text and how they changed, paired by what they measure (``创建一级园3所`` → ``5所``).

A *quantity* is a number with a unit (``5.5%左右``, ``1.3万亿元``, ``三千人``, ``百分之五``, ``6.5%－7%``).
For each one this module finds:

* the **value**, exact: Chinese numerals of every form go through ``cn2an`` (三, 十五, 三千, 二〇二一,
  三点五), magnitudes after Arabic digits (``1.3万亿``) are ``Decimal(digits) × cn2an("一" + 万亿)``, so
  ``4.06万亿元`` is ``Decimal("4060000000000")``, never a float;
* a **range** (``6.5%－7%``, ``3至5所``) has ``value`` = the low end and ``high`` = the high end;
* the **unit** without magnitude (``元``, ``%``, ``人``, ``个百分点``);
* the **qualifier** (``左右``, ``以上``, ``以内``, ``不少于``, ``超过``, ``多`` …);
* the **subject**, what the number measures: the noun phrase right after a classifier
  (``8个新建项目`` → ``新建项目``), else the clause before the number with its trailing grammar words
  (``全年控制在``, ``拟按``, ``保持在``) cut off and its leading verbs (``创建``, ``招聘``, ``拟安排``)
  dropped by part of speech from the ``rjieba`` segmenter, so it never ends mid-word. A clause that is
  only a relation (``比上年增加``, ``增长``) borrows the subject of the quantity before it in the same
  sentence (``中央预算内投资比上年增加``), so increments of two different budgets never pair;
* the **kind**: ``target`` or ``outcome`` from the nearest marker before the number in its sentence
  (预期目标/拟/要/力争 vs 实现/完成/增长了/去年), else from the paragraph's opening (过去一年 → outcome),
  else the document's genre (a 工作要点/意见/计划 is all plans → target; a report → other).

Number changes pair quantities of the same unit by subject similarity (optimal one-to-one assignment on bigram
Dice), first inside each aligned commitment (sentence pair), then among the leftovers of the aligned
nodes, then across the whole document for sentences that moved (stricter threshold). Values that are
equal with an equal qualifier go to ``Comparison.numbers_unchanged``; a target left without a
counterpart is new (``old=None``) or dropped (``new=None``). See ``docs/facts.md``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
import weakref
from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from .model import (
    PLAN_ROLES,
    Change,
    CommitmentChange,
    Document,
    Node,
    NumberChange,
    Quantity,
    QuantityKind,
    Sentence,
    Span,
)
from .text import bigrams, dice, is_blank, segmenter

# --- lexicon ------------------------------------------------------------------------------------------

UNITS = ("个百分点", "百分点", "个工作日", "人次", "人", "户", "所", "个", "家", "项", "名", "次", "场", "期",
         "批", "件", "条", "座", "间", "套", "台", "辆", "节", "门", "小时", "分钟", "天", "倍", "公里",
         "千米", "米", "平方米", "亩", "公顷", "吨", "斤", "千瓦", "张", "册", "本", "篇", "堂", "支", "班",
         "轮", "元", "美元", "%", "％", "‰", "年", "岁", "颗", "艘", "架", "处", "种", "部", "只", "头", "株",
         "片", "段", "块", "首", "位", "点", "亿")
"""Units a quantity must end in. A bare number (``第二``, ``十四五``) is not a quantity: without a unit
nothing says what it counts. Magnitudes (万, 亿, 万亿, 千) are not units: ``万人`` is 人 × 10⁴."""

CLASSIFIERS = frozenset(("人次", "人", "户", "所", "个", "家", "项", "名", "次", "场", "期", "批", "件", "条",
                         "座", "间", "套", "台", "辆", "节", "门", "张", "册", "本", "篇", "堂", "支", "班",
                         "轮", "元", "美元", "颗", "艘", "架", "处", "种", "部", "只", "头", "株", "片",
                         "段", "块", "首", "位", "吨", "斤", "亩"))
"""Units that can stand before the noun they count (``8个新建项目``, ``1万亿元超长期特别国债``); a
percentage never does (``5%的目标`` is not a subject)."""

QUALIFIERS_BEFORE = ("不少于", "不低于", "不高于", "不超过", "不到", "超过", "高于", "低于", "至少", "约", "近",
                     "逾")
"""Words before a number that bound or round it; they are the qualifier, not part of the subject."""

QUALIFIERS_AFTER = ("左右", "以上", "以下", "以内", "之内")
"""Words after a number and unit that bound or round it (``5.5%左右``, ``1100万人以上``)."""

TRAILING_GRAMMAR = ("控制在", "保持在", "稳定在", "提高到", "提高至", "增加到", "增加至", "降低到", "降低至",
                    "下降到", "下降至", "降至", "增至", "达到", "达", "突破", "安排", "发行", "完成", "实现",
                    "为", "在", "按", "到", "至", "超", "共", "累计", "合计", "总计", "分别", "拟", "要", "将",
                    "力争", "确保", "预计", "预期", "全年", "今年", "年均", "每年", "由", "从", "再", "已", "了",
                    "跃上", "迈上", "登上", "站上", "跨上", "首次", "再次", "连续", "先")
"""Words between a subject and its number that only say how the number is held (``失业率全年控制在``,
``赤字率拟按``): cut from the end of the clause, repeatedly, so the subject is the indicator itself.
Change verbs (增长, 降低, 提高) are kept: ``能耗降低`` and ``能耗`` measure different things. Verbs of
reaching a level (首次跃上, 迈上) go too: 粮食产量首次跃上1.4万亿斤 measures 粮食产量."""

GENERIC_SUBJECTS = frozenset(("目标", "预期目标", "目标设定", "预期目标设定", "部分", "规模", "问题", "任务",
                              "指标", "总量", "水平", "比例", "其中"))
"""Subjects that name no indicator on their own (今年预期目标设定为6%以上 restates the growth target; 规模
of what?): left empty, so the figure is never paired nor reported; the indicator's own sentence is."""

GOAL_WORDS = ("目标", "目标设定")
"""A subject ending in these names the goal statement, not an indicator (经济增长预期目标为5%左右
restates the growth target given elsewhere): left empty like ``GENERIC_SUBJECTS``."""

LEVEL_WORDS = ("台阶", "新高", "大关", "关口", "水平", "高位")
"""A noun phrase after a figure that names the level reached, not the thing counted (1.4万亿斤新台阶,
突破10万亿元大关): never a subject; the clause before the figure names it."""

LEADING_POS = frozenset(("v", "vn", "vd", "d", "ad", "p", "c", "r", "t", "u", "uj", "ul", "x", "f", "zg"))
"""Parts of speech (jieba's tag set, as rjieba returns it) dropped from the start of a subject while
something else remains: the action verb (创建一级园 → 一级园, 拟安排地方政府专项债券 → 地方政府专项债券),
adverbs, prepositions, pronouns, time words. A clause made only of these is a relation, not a subject."""

VERB_POS = frozenset(("v", "vn", "vd"))
"""Verbs: exactly one is dropped from the start of a subject (the action: 创建, 培育, 安排)."""

FUNCTION_POS = LEADING_POS - VERB_POS
"""Adverbs, prepositions, conjunctions, pronouns, time words, particles: dropped from the start freely."""

NOUN_POS = frozenset(("n", "nr", "ns", "nt", "nz", "ng", "nrt", "nrfg", "j", "l", "vn", "an", "b", "s"))
"""Parts of speech that can end a noun phrase counted after a classifier (``8个新建项目``)."""

POST_STOP = frozenset(("p", "c", "u", "uj", "ul", "x", "m", "q"))
"""Parts of speech that end a noun phrase after a classifier (prepositions, conjunctions, particles,
punctuation, another number)."""

POST_SUBJECT_MAX = 12
"""Longest noun phrase (characters) taken after a classifier: longer ones are clauses, not names."""

SUBJECT_MAX = 24
"""Longest subject kept (characters, counted from the number backwards): a whole clause is not a name."""

CLAUSE_BREAK = re.compile(r"[，。；：、,;:！？!?（）()“”\"《》「」\s]")
"""Where a clause ends: a subject never reaches across punctuation."""

CLAUSE_BREAK_NO_LIST = re.compile(r"[，。；：,;:！？!?（）()\s]")
"""Where a clause ends when a list (甲、乙分别…) belongs to it: the enumeration comma 、 stays inside."""

TARGET_MARKERS = ("预期目标", "目标", "拟", "要", "力争", "确保", "计划", "今年", "争取")
"""Words saying a figure is promised for the coming year. Not 将: in these texts it is mostly the
object marker (将缴费比例从20%降至16%, in a review), not "will"."""

OUTCOME_MARKERS = ("实现了", "完成了", "增长了", "提高了", "下降了", "降低了", "达到了", "实现", "完成", "去年",
                   "过去一年", "过去五年", "五年来", "累计", "已经")
"""Words saying a figure was reached (the review part of a report)."""

TARGET_OVERRIDE_WINDOW = 4
"""A modal this close (characters) before an outcome marker governs it (力争实现, 要完成)."""

TARGET_MODALS = ("力争", "要", "确保", "争取", "拟")
"""Modals that turn an outcome verb into a promise (``力争实现``)."""

REVIEW_HEADINGS = ("回顾", "过去一年", "过去五年")
"""Words of a part heading that make its figures outcomes by default (the review part of a report)."""

PLAN_GOAL_VERBS = frozenset(("实现", "完成", "累计"))
"""Outcome markers that, in a plan, name the goal rather than a result."""

PLAN_GENRES = ("要点", "意见", "计划", "安排", "思路")
"""Titles of documents made only of plans: their quantities default to ``target``."""

PAIR_MIN = 0.7
"""Least subject similarity (bigram Dice) to pair two quantities inside aligned text, unless one subject
contains the other (``城镇调查失业率`` ⊂ ``城镇调查失业率平均``). Measured on the 2021→2022 reports:
``制造业企业加计扣除比例`` / ``科技型中小企业加计扣除比例`` (0.64) and ``单位国内生产总值能耗降低`` /
``国内生产总值增长`` (0.56) name different things; rewordings of one indicator (``贷款增长`` /
``贷款增幅``) stay above 0.8."""

CONTAINED_MIN = 0.6
"""A subject inside the other pairs when it is at least this share of its length (城镇调查失业率 in
城镇调查失业率平均, 0.78); ``规模`` inside ``赤字规模`` (0.5) or ``小规模纳税人增值税起征点`` (0.12) does not."""

RELATION_MARKERS = ("比上年", "比去年", "较上年", "同比", "比年初", "增加到", "增加至", "提高到", "提高至",
                    "降至", "降到", "降低到", "增至", "从")
"""Words that make a figure an increment or an end point (比上年增加300亿元, 从20%降至16%): two figures
pair only when their subjects carry the same ones, so a level never pairs with an increment."""

NOT_MARKERS = ("主要", "重要", "需要", "要求", "要素", "要点", "必要", "纲要", "只要", "比去年", "较去年",
               "比上年", "较上年", "目标任务", "目标要求")
"""Words holding a marker that is not one (要 in 主要, 去年 in 比去年 before a planned increment, 目标 in
a heading's 目标任务): blanked out before markers are searched, so 主要污染物排放量继续下降 is no promise."""

PAST_ROLES = frozenset(("review",))
"""Anatomy roles (``Node.role``) whose figures are outcomes, whatever the words around them: the review
of the past year or term (its 超过预期目标 names a target reached, not a new one)."""


MULTIYEAR_MARKERS = ("过去五年", "过去十年", "五年来", "十年来", "年来", "以来", "五年累计", "期间", "时期",
                     "年均", "今后五年", "未来五年", "今后三年", "三年内", "五年内", "十四五", "十三五", "十二五",
                     "十一五")
"""Words before a figure in its sentence that make it a figure over several years (a term's total, a plan
period's average or goal), not one year's: 过去五年城镇新增就业5000万人, “十四五”期间, 年均增长6.5%."""

MULTIYEAR_END = re.compile(r"到(?:20|19)[0-9]{2}年")
"""An end year (到2025年 …, 到2035年): a goal of a plan period, not this year's figure."""

MULTIYEAR_OPENING = ("过去五年", "五年来", "十年来", "过去十年")
"""A paragraph opening that makes all its figures those of a term (the review of a five-year report)."""

ANNUAL_MARKERS = ("去年", "过去一年", "今年", "全年", "上年")
"""Words that bring a sentence back to one year inside a multi-year paragraph."""

SMALL_ENUMERATION = 10
"""A Chinese numeral below this before a classifier and a noun names a set (四个意识, 八项规定, 三大攻坚战),
not a figure; Arabic digits and larger numbers (三千人) are figures."""

MOVED_PAIR_MIN = 0.8
"""Least subject similarity to pair quantities across the document (a sentence that moved): stricter,
since the whole document offers many more candidates with the same unit."""


@attrs.frozen
class Located:
    """A quantity with where it stands in the document's sentence list, for pairing."""

    quantity: Quantity
    sentence: Span
    node_id: str


# --- values ---------------------------------------------------------------------------------------------

_ARABIC = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_CN = r"[零〇一二三四五六七八九十百千万亿两]+(?:点[零〇一二三四五六七八九]+)?"
_MAG = r"(?:万亿|亿|万|千)"
_NUM = rf"(?:{_ARABIC}(?:多|余)?{_MAG}?|{_CN}(?:多|余)?)"
_SEP = r"[-－—–~～至到]"
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    "(?P<before>" + "|".join(QUALIFIERS_BEFORE) + ")?"
    "(?:"
    rf"百分之(?P<pct>{_ARABIC}|{_CN})(?:{_SEP}百分之(?P<pct2>{_ARABIC}|{_CN}))?"
    "|"
    rf"(?P<lo>{_NUM})(?:(?P<lo_unit>%|％)?{_SEP}(?P<hi>{_NUM}))?(?P<unit>{_UNIT_RE})"
    ")"
    "(?P<after>" + "|".join(QUALIFIERS_AFTER) + ")?"
)


@functools.cache
def _cn2an() -> Any:
    """The ``cn2an`` module, imported on first use (~0.1 s: it builds its tables at import); only a number
    written in Chinese numerals or with a magnitude (万, 亿) needs it, never reading or ``show``."""
    import cn2an

    return cn2an


@functools.lru_cache(maxsize=8)
def _magnitude(mag: str) -> Decimal:
    """万 → 10⁴, 亿 → 10⁸, 万亿 → 10¹², 千 → 10³, read by cn2an (``一万亿``)."""
    return Decimal(int(_cn2an().cn2an("一" + mag, "smart")))


def parse_number(num: str) -> Decimal | None:
    """A number as written (``1.3万亿``, ``三千``, ``二〇二一``, ``5.5``, ``三点五``) → exact Decimal.

    >>> [str(parse_number(s)) for s in ("1.3万亿", "三千", "二〇二一", "4.06万亿", "三点五", "1100万")]
    ['1300000000000', '3000', '2021', '4060000000000', '3.5', '11000000']
    """
    num = unicodedata.normalize("NFKC", num).rstrip("多余")
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(万亿|亿|万|千)?", num)
    try:
        if m:
            value = Decimal(m.group(1))
            return _exact(value * _magnitude(m.group(2)) if m.group(2) else value)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _cn2an().cn2an(num, "smart")
        return _exact(Decimal(str(result)) if isinstance(result, float) else Decimal(int(result)))
    except (ValueError, InvalidOperation, KeyError, IndexError, TypeError):
        return None


def _exact(v: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent form: ``4060000000000.00`` → ``4060000000000``."""
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


# --- quantities in a sentence ---------------------------------------------------------------------------

def _is_article(num: str, unit: str, qualified: bool, text: str, end: int) -> bool:
    """一个 / 一批 / 两项 without a qualifier are articles; ``三是`` enumerates; ``五年`` is a span of time."""
    if num in ("一", "两", "几") and not qualified and unit in CLASSIFIERS:
        return True
    return bool(re.fullmatch(r"[一二三四五六七八九十]+", num)) and text[end:end + 1] in ("是", "要")


def _skip(m: re.Match[str], text: str) -> bool:
    num = m.group("lo") or m.group("pct") or ""
    unit = m.group("unit") or "%"
    qualified = bool(m.group("before") or m.group("after"))
    if unit == "年" and (len(num) == 4 or not qualified or not re.match(r"[0-9０-９]", num)):
        return True  # 2021年, 五年, 近两年: dates and spans, not targets
    if unit in ("点", "亿") and not re.match(r"[0-9０-９]", num):
        return True  # 一点 / 十亿 without digits: prose, not a figure
    if m.start() > 0 and text[m.start() - 1] in "第每约逾近":
        return True  # 第四次: an ordinal; 每年: a rate word
    return _is_article(num, unit, qualified, text, m.end())


@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(segmenter().tag(text))


def _strip_trailing(clause: str) -> str:
    changed = True
    while changed and clause:
        changed = False
        for w in TRAILING_GRAMMAR:
            if clause.endswith(w) and len(clause) > len(w):
                clause = clause[: -len(w)]
                changed = True
                break
    return clause


def _strip_leading(clause: str) -> tuple[str, bool]:
    """Drop the leading verb and function words by part of speech; say whether a content word remains.

    Modals and function words go first (拟, 要, 全年), then exactly one verb (创建, 培育, 安排), then
    function words again (保证每天 → 在校…). A second verb is kept: after the verb comes the thing's
    name, whatever the tagger calls its first word (培育示范学校, 安排超长期特别国债, 建设劳动实践基地).
    """
    tags = list(_tags(clause))

    def content_after(k: int) -> bool:
        return any(p not in LEADING_POS for _, p in tags[k + 1:])

    def strip_function_words() -> None:
        while len(tags) > 1 and content_after(0) and (
                tags[0][1] in FUNCTION_POS or tags[0][0] in TARGET_MODALS):
            tags.pop(0)

    strip_function_words()
    if len(tags) > 1 and tags[0][1] in VERB_POS and content_after(0):
        tags.pop(0)
        strip_function_words()
    has_content = any(p not in LEADING_POS for _, p in tags)
    return "".join(w for w, _ in tags), has_content


def _post_subject(text: str, end: int) -> str:
    """The noun phrase right after a classifier (``8个新建项目，`` → ``新建项目``), or ``""``.

    Tokens are taken up to the first verb, preposition or particle after the first one
    (``2.8万亿元中央财政资金纳入直达机制`` → ``中央财政资金``) and must end in a noun.
    """
    rest = text[end:]
    rest = rest[1:] if rest.startswith("的") else rest
    quoted = re.match(rf"[“《「]([^“”《》「」]{{2,{POST_SUBJECT_MAX}}})[”》」]", rest)
    if quoted:
        return quoted.group(1)  # 十件“关键小事”: the quoted name is what is counted
    clause = CLAUSE_BREAK.split(rest, maxsplit=1)[0]
    if not clause:
        return ""
    tags = list(_tags(clause))
    if tags[0][1] in POST_STOP:
        return ""
    keep = 1
    while keep < len(tags) and tags[keep][1] not in POST_STOP and tags[keep][1] != "v":
        keep += 1
    while keep and tags[keep - 1][1] not in NOUN_POS:
        keep -= 1
    phrase = "".join(w for w, _ in tags[:keep])
    return phrase if len(phrase) <= POST_SUBJECT_MAX else ""


def _pre_clause(text: str, start: int, floor: int) -> str:
    """The words before a number back to punctuation or the previous quantity (``从10万元提高到``)."""
    clause = CLAUSE_BREAK.split(text[floor:start])[-1]
    if len(clause) <= SUBJECT_MAX:
        return clause
    words = [w for w, _ in _tags(clause)]
    while words and sum(map(len, words)) > SUBJECT_MAX:
        words.pop(0)  # whole words only: never 现全市… out of 实现全市…
    return "".join(words)


def _subject(text: str, m: re.Match[str], unit: str, previous: str, floor: int, context: str = "") -> str:
    if unit in CLASSIFIERS:
        post = _post_subject(text, m.end())
        if post and not post.endswith(LEVEL_WORDS):
            return post
    clause = _pre_clause(text, m.start(), floor)
    stripped, has_content = _strip_leading(_strip_trailing(clause))
    if has_content:
        return "" if stripped in GENERIC_SUBJECTS or stripped.endswith(GOAL_WORDS) else stripped
    relation = clause.strip().strip("和及与或")
    if previous:
        return previous + relation  # 比上年增加 → 中央预算内投资比上年增加; 30元和5元: both the same subject
    return _elided(context + text[:m.start() - len(clause)], clause)


def _elided(earlier: str, clause: str) -> str:
    """The subject of a clause that names none (``今年先发行``): the object of the same verb in an earlier
    clause of the sentence (``拟连续几年发行超长期特别国债，…，今年先发行1万亿元`` → 超长期特别国债),
    or ``""`` when no earlier clause has that verb: a guess would pair unrelated figures."""
    verbs = [w for w, p in _tags(clause) if p == "v" and len(w) >= 2]
    for verb in reversed(verbs):
        at = earlier.rfind(verb)
        if at >= 0:
            found = _post_subject(earlier, at + len(verb))
            if found and not found.endswith(LEVEL_WORDS):
                return found
    return ""


_LIST_SEP = re.compile(r"^(?:、|和|与|及|以及|，)$")
_ITEM_SEP = re.compile(r"、|和|与|及")


def _distribute(text: str, found: list[Quantity]) -> list[Quantity]:
    """分别: ``高技术制造业、装备制造业增加值分别增长8.9%、7.7%`` gives each listed subject its value, in
    order (高技术制造业增加值增长 8.9%, 装备制造业增加值增长 7.7%). The list before 分别 must have as many
    items as the run of values after it, else the subjects stay as found."""
    out = list(found)
    i = 0
    while i < len(out):
        start = out[i].span[0]
        lead = CLAUSE_BREAK_NO_LIST.split(text[:start])[-1]
        at = lead.rfind("分别")
        if at < 0:
            i += 1
            continue
        j = i + 1
        while j < len(out) and _LIST_SEP.match(text[out[j - 1].span[1]:out[j].span[0]]):
            j += 1
        items = [x for x in _ITEM_SEP.split(_strip_trailing(lead[:at])) if x]
        verb = _strip_trailing(lead[at + 2:])
        if j - i >= 2 and len(items) == j - i:
            for k, subject in enumerate(_listed_subjects(items)):
                out[i + k] = attrs.evolve(out[i + k], subject=subject + verb)
        elif j - i == 1 and len(items) >= 2:  # 化学需氧量、氨氮排放量分别下降2%: the one value for each
            out[i:i + 1] = [attrs.evolve(out[i], subject=subject + verb) for subject in _listed_subjects(items)]
            j = i + len(items)
        else:
            out[i:j] = [attrs.evolve(q, subject=q.subject.replace("分别", "")) for q in out[i:j]]
        i = j
    return out


LIST_HEAD_TOKENS = 2
"""Most words of the last listed item taken as the head the earlier items share when they have no word in
common with it (进口、出口通关时间 → 进口通关时间): a measure's head is one or two words (通关时间,
增加值, 财政补助标准)."""


def _listed_subjects(items: list[str]) -> list[str]:
    """The listed items with the head they share written out: 高技术制造业、装备制造业增加值 →
    高技术制造业增加值, 装备制造业增加值. The head is what follows, in the last item, the word that ends
    the first item (制造业); without such a word, the last item's words beyond the first item's count."""
    last = [w for w, _ in _tags(items[-1])]
    first_words = [w for w, _ in _tags(items[0])]
    if first_words and first_words[-1] in last[:-1]:
        head = last[last.index(first_words[-1]) + 1:]
    else:
        head = last[len(first_words):][-LIST_HEAD_TOKENS:]
    tail = "".join(head)
    subjects = [_strip_leading(x)[0] for x in items]
    return [x if x.endswith(tail) else x + tail for x in subjects]


_NOT_MARKERS = re.compile("|".join(sorted(NOT_MARKERS, key=len, reverse=True)))


def _masked(context: str) -> str:
    """``context`` with the words of ``NOT_MARKERS`` blanked (same length: offsets stay)."""
    return _NOT_MARKERS.sub(lambda m: "\u3000" * len(m.group(0)), context)


def _multiyear(before: str, opening: str, term: bool) -> bool:
    """Whether the figure after ``before`` (its sentence up to it) is a multi-year one: the nearest of the
    multi-year and annual markers decides; without either, the paragraph's opening (过去五年 / 去年), then
    the part (``term``: its heading names a term or plan period)."""
    before = _masked(before)
    last_multi = max([before.rfind(w) + len(w) for w in MULTIYEAR_MARKERS if w in before]
                     + [m.end() for m in MULTIYEAR_END.finditer(before)], default=-1)
    last_annual = max([before.rfind(w) + len(w) for w in ANNUAL_MARKERS if w in before], default=-1)
    if last_multi >= 0 or last_annual >= 0:
        return last_multi > last_annual
    if opening.startswith(MULTIYEAR_OPENING):
        return True
    return term and not opening.startswith(ANNUAL_MARKERS)


def _marker_kind(context: str, plan: bool = False) -> QuantityKind | None:
    """The kind said by the nearest marker at the end of ``context`` (the text before the number).

    In a plan (``plan``) 实现 / 完成 / 累计 state goals (实现近视率降低1个百分点), so only words of the past
    (去年, 过去一年, 增长了 …) make an outcome there."""
    context = _masked(context)
    best: tuple[int, int, QuantityKind] | None = None  # (end of marker, start of marker, kind)
    for words, kind in ((TARGET_MARKERS, "target"), (OUTCOME_MARKERS, "outcome")):
        for w in words:
            at = context.rfind(w)
            if at >= 0 and (best is None or at + len(w) > best[0]):
                best = (at + len(w), at, kind)  # type: ignore[assignment]
    if best is None:
        return None
    end, start, kind = best
    if kind == "outcome" and plan and context[start:end] in PLAN_GOAL_VERBS:
        return "target"
    if kind == "outcome" and any(w in context[max(0, start - TARGET_OVERRIDE_WINDOW):start]
                                 for w in TARGET_MODALS):
        return "target"  # 力争实现, 要完成: a promise to reach, not a result
    return kind


def quantities(text: str, context: str = "", opening: str = "", default: QuantityKind = "other",
               role: str | None = None, term: bool = False) -> list[Quantity]:
    """Every quantity of ``text`` (one sentence), spans relative to ``text``.

    ``context`` is the text of the same full sentence before ``text`` (earlier ``；`` pieces), where
    markers such as 预期目标 stand; ``opening`` the paragraph's first sentence (过去一年 …);
    ``default`` the kind when nothing says (the document's genre). ``role`` is the anatomy role of the
    node (``Node.role``), which decides first: a review holds outcomes, the plan (guidance, tasks,
    safeguards) targets unless words of the past say otherwise; markers decide only elsewhere. ``term``
    says the text reviews a whole term (a part headed 过去五年…): its figures are multi-year unless a
    sentence names one year.
    """
    out: list[Quantity] = []
    previous = ""
    floor = last_floor = 0
    for m in _QUANTITY_RE.finditer(text):
        if _skip(m, text):
            continue
        pct = m.group("pct")
        if pct is not None:
            lo_text, hi_text, unit = pct, m.group("pct2"), "%"
        else:
            lo_text, hi_text, unit = m.group("lo"), m.group("hi"), unicodedata.normalize("NFKC", m.group("unit"))
        if m.group("lo_unit") and unicodedata.normalize("NFKC", m.group("lo_unit")) != unit:
            continue
        if unit == "％":
            unit = "%"
        value = parse_number(lo_text)
        high = parse_number(hi_text) if hi_text else None
        if value is None or (hi_text and high is None):
            continue
        if unit == "亿":  # 亿 reached as a unit only after a Chinese numeral: 十亿 means a count
            continue
        approx = "多" if re.search(r"[多余]", lo_text + (hi_text or "")) else ""
        qualifier = (m.group("before") or "") + (m.group("after") or "") or approx
        if not _at_word_end(text, m.end() - len(m.group("after") or "")):
            continue  # 14亿人民: the unit is the start of a longer word
        if (pct is None and unit in CLASSIFIERS and not qualifier and value < SMALL_ENUMERATION
                and not re.match(r"[0-9０-９]", lo_text) and _post_subject(text, m.end())):
            continue  # 四个意识, 八项规定: a named set, not a figure
        subject = _subject(text, m, unit, previous, floor, context)
        before = context + text[:m.start()]
        start = max(text.rfind(w, last_floor, out[-1].span[0]) for w in ("从", "由")) if out else -1
        if start >= 0 and END_POINT.match(text[floor:m.start()]):
            root = _strip_leading(_strip_trailing(_pre_clause(text, start, last_floor)))[0]
            subject = "" if root in GENERIC_SUBJECTS else root
            before = context + text[:start]
        last_floor, floor = floor, m.end()
        kind = _kind(before, opening, default, role)
        multiyear = _multiyear(before, opening, term)
        out.append(Quantity(text=m.group(0), value=value, unit=unit, subject=subject, qualifier=qualifier,
                            kind=kind, span=(m.start(), m.end()), quote=text, high=high, multiyear=multiyear))
        previous = _root_subject(subject)
    return _distribute(text, out)


END_POINT = re.compile(r"^(?:再)?(?:提高|提升|增加|扩大|降低|下降|减少|压减|调整)?(?:到|至)$|^降至$|^增至$")
"""The words between the two figures of 从X提高到Y (提高到, 降至, 到): Y is the level reached. It gets the
plain subject (赤字率从去年的2.1%提高到2.3% → 赤字率 2.3%) and the kind its sentence gives without the
words inside 从…到 (去年 there names the start), so the year's level joins its series; the start X keeps
its 从 subject (a start never pairs with a level)."""




def _kind(before: str, opening: str, default: QuantityKind, role: str | None) -> QuantityKind:
    """Anatomy first (``PAST_ROLES``, ``PLAN_ROLES``), then the markers, then the paragraph's opening and
    the genre's default (a tree without roles, front matter, the closing)."""
    if role in PAST_ROLES:
        return "outcome"
    if role in PLAN_ROLES:
        return _marker_kind(before, plan=True) or "target"
    plan = default == "target"
    return _marker_kind(before, plan) or _marker_kind(opening[:12], plan) or default


def _at_word_end(text: str, end: int) -> bool:
    """True when ``end`` falls between two words of the segmentation of the surrounding clause."""
    if end >= len(text) or CLAUSE_BREAK.match(text[end]):
        return True
    start = max(0, end - 4)
    at = start
    for word, _ in _tags(text[start:end + 4]):
        at += len(word)
        if at == end:
            return True
        if at > end:
            return False
    return True


def _root_subject(subject: str) -> str:
    """The indicator a following relation clause hangs on (``国内生产总值`` of ``国内生产总值增长``)."""
    return _strip_trailing(subject)


# --- quantities of a document ---------------------------------------------------------------------------

def _source_offsets(doc_text: str, span: Span, sentence: str) -> list[int]:
    """For each character of ``sentence`` its index in ``doc_text``: the source slice with blanks skipped."""
    out: list[int] = []
    j, end = span
    for ch in sentence:
        while j < end and doc_text[j] != ch and is_blank(doc_text[j]):
            j += 1
        out.append(min(j, max(span[0], end - 1)))
        if j < end and doc_text[j] == ch:
            j += 1
    return out


def document_default_kind(doc: Document) -> QuantityKind:
    """``target`` for a plan (工作要点, 工作意见, 计划), ``other`` for anything else (a report)."""
    title = doc.title or doc.text[:60]
    return "target" if any(g in title for g in PLAN_GENRES) else "other"


def _node_quantities(doc: Document, node: Node, default: QuantityKind, term: bool = False) -> list[Located]:
    out: list[Located] = []
    context = ""
    opening = node.sentences[0].text if node.sentences else ""
    for s in node.sentences:
        found = quantities(s.text, context, opening, default, node.role, term) if _has_digit(s.text) else []
        if found:
            offsets = _source_offsets(doc.text, s.span, s.text)
            for q in found:
                a, b = q.span
                span = (offsets[a], offsets[b - 1] + 1) if offsets else s.span
                out.append(Located(attrs.evolve(q, span=span), s.span, node.id))
        context = "" if s.text.endswith(("。", "！", "？", "!", "?")) else context + s.text
    return out


_DIGITISH = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万两]")


def _has_digit(text: str) -> bool:
    return _DIGITISH.search(text) is not None


_LOCATED: dict[int, tuple[Located, ...]] = {}
"""``located_quantities`` per document object (by identity, dropped with the document): in a series every
year is compared twice, as the new side and then as the old one."""


def located_quantities(doc: Document) -> tuple[Located, ...]:
    """Every quantity of the document with its sentence and node, in document order.

    A part whose heading says it reviews the past year (``一、2021年工作回顾``) defaults to ``outcome``.
    """
    key = id(doc)
    found = _LOCATED.get(key)
    if found is None:
        found = _LOCATED[key] = tuple(_locate_quantities(doc))
        weakref.finalize(doc, _LOCATED.pop, key, None)
    return found


def _locate_quantities(doc: Document) -> list[Located]:
    default = document_default_kind(doc)
    out: list[Located] = []
    for top in doc.root.children:
        kind: QuantityKind = "outcome" if any(w in top.heading for w in REVIEW_HEADINGS) else default
        term = any(w in top.heading for w in TERM_HEADINGS)
        out.extend(x for n in top.walk() for x in _node_quantities(doc, n, kind, term))
    return out


TERM_HEADINGS = ("过去五年", "五年来", "五年工作", "十年来", "时期", "五年规划", "五年计划", "规划纲要")
"""Words of a part's heading that make it about a whole term or plan period (the review of a government's
term, “十三五”时期发展成就和“十四五”时期主要目标任务, a five-year plan's outline): its figures are
multi-year unless their sentence or paragraph names one year (去年, 过去一年, 今年)."""


INDICATOR_END_POS = frozenset(("p", "u", "uj", "ul", "d", "c", "r", "m", "q", "f", "x", "t", "y", "e"))
"""Parts of speech that cannot end an indicator's name (a preposition, particle, adverb, pronoun, numeral,
time word): a subject ending in one is a cut clause."""


def names_indicator(subject: str) -> bool:
    """Whether ``subject`` reads as the name of an indicator, so a series of it means something: a few
    characters of words, no figure in it, not a generic word (问题, 规模, 目标), not starting with a verb
    (执行企业研发费用加计扣除 is a clause) and not ending in a function word. Verbs inside are fine
    (城镇新增就业, 赤字率 whose 率 the tagger calls a verb, 国内生产总值增长)."""
    if len(subject) < 2 or subject in GENERIC_SUBJECTS or _DIGITISH_ARABIC.search(subject):
        return False
    tags = _tags(subject)
    if not tags or tags[0][1] in ("v", "p", "c", "d", "u", "uj", "r", "f") or tags[-1][1] in INDICATOR_END_POS:
        return False
    return tags[-1][0] not in GENERIC_SUBJECTS


_DIGITISH_ARABIC = re.compile(r"[0-9０-９]")


def document_quantities(doc: Document) -> tuple[Quantity, ...]:
    """Every quantity of the document in order: subject, exact value, unit, qualifier, kind, span, quote.

    ``span`` points into ``doc.text``; ``quote`` is the sentence (commitment) holding the quantity.
    A range (``6.5%－7%``) has ``value`` = 6.5 and ``high`` = 7.
    """
    return tuple(x.quantity for x in located_quantities(doc))


# --- pairing -----------------------------------------------------------------------------------------

def _similarity(a: Quantity, b: Quantity) -> float:
    if a.unit != b.unit:
        return 0.0
    if {a.kind, b.kind} == {"target", "outcome"}:
        return 0.0  # last year's outcome is not this year's target
    if a.multiyear != b.multiyear:
        return 0.0  # a five-year total is not one year's figure
    if not a.subject or not b.subject:
        return 0.0  # nothing says what it measures: never paired
    return _subjects_alike(a.subject, b.subject)


SUBJECT_PAIRS = 16384
"""Subject pairs whose similarity is remembered: the document-wide pass scores every old quantity against
every new one of the same unit (~10⁴ pairs a report), mostly the same few hundred subjects."""


@functools.lru_cache(maxsize=SUBJECT_PAIRS)
def _subjects_alike(x: str, y: str) -> float:
    if _relations(x) != _relations(y):
        return 0.0  # 专项债券 3.8万亿元 vs 专项债券比上年增加 1000亿元: a level is not an increment
    if x.endswith(CHANGE_VERBS) != y.endswith(CHANGE_VERBS):
        return 0.0  # 补助标准 450元 vs 补助标准提高 30元: a level is not a change
    short, long_ = sorted((x, y), key=len)
    if short in long_ and len(short) >= CONTAINED_MIN * len(long_):
        return 1.0
    return dice(bigrams(x), bigrams(y))


CHANGE_VERBS = ("增长", "提高", "降低", "下降", "增加", "减少", "上涨", "上升", "提升", "降", "涨")
"""A subject ending in one of these measures a change (国内生产总值增长 5%, 补助标准提高 30元); it pairs only
with another subject that does."""


def _relations(subject: str) -> frozenset[str]:
    return frozenset(w for w in RELATION_MARKERS if w in subject)


def _assign(olds: Sequence[Quantity], news: Sequence[Quantity], minimum: float) -> list[tuple[int, int]]:
    """One-to-one pairs of most similar subjects (``similarity.assign``), each at least ``minimum`` similar."""
    if not olds or not news:
        return []
    import numpy as np  # here, with the assignment: only a pair of documents with numbers needs them

    from .similarity import assign

    score = np.zeros((len(olds), len(news)))
    by_unit: dict[str, list[int]] = {}
    for j, b in enumerate(news):
        by_unit.setdefault(b.unit, []).append(j)  # other units score 0: not even looked at
    for i, a in enumerate(olds):
        for j in by_unit.get(a.unit, ()):
            b = news[j]
            s = _similarity(a, b)
            if s >= minimum:
                # equal values first among equally named subjects: a repeated figure stays with its twin
                # … then the pair nearer the diagonal, then the one nearer the start: ties broken by keys that
                # read the same when the documents are swapped (i ↔ j), so the pairs do too
                score[i, j] = s + (0.01 if (a.value, a.high, a.qualifier) == (b.value, b.high, b.qualifier)
                                   else 0.0) + 0.001 / (1 + abs(i - j)) - 1e-6 * (i + j) / (len(olds) + len(news))
    if not score.any():
        return []  # no pair of alike subjects (two thirds of the tables of a series): nothing to solve
    rows, cols = np.nonzero(score)
    return sorted((i, j) for i, (j, _) in assign(rows, cols, score[rows, cols], len(olds), len(news)).items())


def _number_change(a: Quantity | None, b: Quantity | None) -> NumberChange:
    ref = b or a
    assert ref is not None
    return NumberChange(
        subject=ref.subject, old=a.text if a else None, new=b.text if b else None,
        old_value=a.value if a else None, new_value=b.value if b else None, unit=ref.unit,
        qualifier_old=a.qualifier if a else "", qualifier_new=b.qualifier if b else "",
        kind=ref.kind if (a is None or b is None or a.kind == b.kind or b.kind != "other") else a.kind,
        old_quote=a.quote if a else "", new_quote=b.quote if b else "",
        old_span=a.span if a else None, new_span=b.span if b else None,
        old_high=a.high if a else None, new_high=b.high if b else None,
        old_subject=a.subject if a else "")


def _same(a: Quantity, b: Quantity) -> bool:
    return (a.value, a.high, a.qualifier) == (b.value, b.high, b.qualifier)


@attrs.frozen
class NumberFacts:
    """Number changes per change (same order as the changes given) and the unchanged pairs."""

    per_change: tuple[tuple[NumberChange, ...], ...]
    unchanged: tuple[NumberChange, ...]


def _sentences(cc: CommitmentChange) -> tuple[Sentence | None, Sentence | None]:
    return cc.old, cc.new


K = TypeVar("K", bound=Hashable)


def _positions(keys: Iterable[K]) -> dict[K, list[int]]:
    """Indices of the items having each key, in order."""
    out: dict[K, list[int]] = {}
    for i, k in enumerate(keys):
        out.setdefault(k, []).append(i)
    return out


def pair_numbers(changes: Sequence[Change], old: Document, new: Document) -> NumberFacts:
    """Pair the quantities of both documents along the changes; see the module docstring."""
    oq, nq = located_quantities(old), located_quantities(new)
    o_by_sent, n_by_sent = _positions(x.sentence for x in oq), _positions(y.sentence for y in nq)
    o_by_node, n_by_node = _positions(x.node_id for x in oq), _positions(y.node_id for y in nq)

    pairs: list[tuple[int, int, int]] = []  # (change index, old index, new index)
    o_used: set[int] = set()
    n_used: set[int] = set()
    change_of_old: dict[int, int] = {}
    change_of_new: dict[int, int] = {}

    def match(ci: int, ois: list[int], nis: list[int], minimum: float) -> None:
        ois = [i for i in ois if i not in o_used]
        nis = [j for j in nis if j not in n_used]
        for r, c in _assign([oq[i].quantity for i in ois], [nq[j].quantity for j in nis], minimum):
            pairs.append((ci, ois[r], nis[c]))
            o_used.add(ois[r])
            n_used.add(nis[c])

    for ci, ch in enumerate(changes):
        for n in ch.old:
            for i in o_by_node.get(n.id, []):
                change_of_old[i] = ci
        for n in ch.new:
            for j in n_by_node.get(n.id, []):
                change_of_new[j] = ci
        if not ch.old or not ch.new:
            continue
        for cc in ch.commitments:  # 1. inside each aligned sentence pair
            so, sn = _sentences(cc)
            if so is not None and sn is not None:
                match(ci, o_by_sent.get(so.span, []), n_by_sent.get(sn.span, []), PAIR_MIN)
        # 2. among the leftovers of the aligned nodes (a figure moved between sentences)
        match(ci, [i for n in ch.old for i in o_by_node.get(n.id, [])],
              [j for n in ch.new for j in n_by_node.get(n.id, [])], PAIR_MIN)
    # 3. across the document: sentences that moved to another measure
    o_left = [i for i in range(len(oq)) if i not in o_used]
    n_left = [j for j in range(len(nq)) if j not in n_used]
    for r, c in _assign([oq[i].quantity for i in o_left], [nq[j].quantity for j in n_left], MOVED_PAIR_MIN):
        i, j = o_left[r], n_left[c]
        pairs.append((change_of_new.get(j, change_of_old.get(i, -1)), i, j))
        o_used.add(i)
        n_used.add(j)

    per_change: list[list[tuple[int, NumberChange]]] = [[] for _ in changes]
    unchanged: list[tuple[int, NumberChange]] = []
    for ci, i, j in pairs:
        a, b = oq[i].quantity, nq[j].quantity
        if _same(a, b):
            unchanged.append((j, _number_change(a, b)))
        elif 0 <= ci < len(changes):
            per_change[ci].append((j, _number_change(a, b)))
    for i, x in enumerate(oq):  # dropped targets
        if (i not in o_used and x.quantity.kind == "target" and x.quantity.subject and not x.quantity.multiyear
                and i in change_of_old):
            per_change[change_of_old[i]].append((-1, _number_change(x.quantity, None)))
    for j, y in enumerate(nq):  # new targets
        if (j not in n_used and y.quantity.kind == "target" and y.quantity.subject and not y.quantity.multiyear
                and j in change_of_new):
            per_change[change_of_new[j]].append((j, _number_change(None, y.quantity)))
    for lst in per_change:
        lst.sort(key=lambda t: (t[0] < 0, t[0]))
    unchanged.sort(key=lambda t: t[0])
    return NumberFacts(per_change=tuple(tuple(n for _, n in lst) for lst in per_change),
                       unchanged=tuple(n for _, n in unchanged))


def number_changes(old: str, new: str) -> tuple[NumberChange, ...]:
    """Quantities that differ between two texts (no document at hand), paired by subject.

    The text-level entry point of the interim version, kept for callers that have only strings;
    spans are relative to each text and no quantity is reported as new or dropped.
    """
    a, b = quantities(old), quantities(new)
    out: list[tuple[int, NumberChange]] = []
    for r, c in _assign(a, b, PAIR_MIN):
        if not _same(a[r], b[c]):
            out.append((c, _number_change(a[r], b[c])))
    out.sort(key=lambda t: t[0])
    return tuple(n for _, n in out)


def changed_quantities(items: Iterable[NumberChange]) -> list[NumberChange]:
    """The entries of ``items`` whose value or qualifier differ (both sides present)."""
    return [n for n in items if n.old is not None and n.new is not None
            and (n.old_value, n.old_high, n.qualifier_old) != (n.new_value, n.new_high, n.qualifier_new)]
