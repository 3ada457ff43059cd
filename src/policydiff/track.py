"""承诺与完成: year N's targets and tasks against year N+1's review (``policydiff track``).

Every work document of the genre opens with a review of the past year, so "did they do what they promised
last year?" is answered by two documents: year N's plan (roles ``guidance``, ``tasks``, ``safeguards``) and
year N+1's ``review``. The aligner pairs nodes only within a compartment (plan with plan, review with
review), so this relation is computed here:

* **Targets.** Every quantified annual target of year N's plan (``numbers.document_quantities``: kind
  ``target``, not ``multiyear``, a subject that names an indicator) is paired with the outcome year N+1's
  review reports for the *same indicator*: the subjects are normalised (``indicator_key``: 涨幅 / 上涨 /
  增幅 / 增速 are one up-change, 降低 / 下降 one down-change, 平均 / 全年 / 再 dropped) and must agree
  in unit-free shape (level or change, which way, the same headline indicator, the same relation words)
  before their names are compared (``indicator_similarity`` ≥ ``PAIR_MIN``). The status is decided by the
  numbers only (``target_status``): a floor (以上) below the outcome is ``exceeded``, a ceiling (以内) or
  a lower-is-better indicator's 左右 (``LOWER_IS_BETTER``: prices, unemployment, deficit) at or above it is
  ``met``, an outcome in another unit is ``reported``, no outcome ``not reported``.
* **Tasks.** Every measure of year N's plan, with the review sentences of year N+1 whose content comes from
  it: a sentence link (cosine of bigram TF-IDF vectors, or the weighted containment of the shorter sentence
  in the longer one, the aligner's evidence) of at least ``LINK_FLOOR``, or a review clause that sums the
  measure up in few of its words (不断巩固农业基础, 落实常态化防控举措): it shares a rare run of words with the
  task (``TERM_RARE``) and the task holds most of the clause's IDF-weighted content (``CLAUSE_COVER``), more
  than any other task does. "Not reported" is not "failed".

This is a layer above the stages (like ``compare``): it reads quantities through the ``numbers`` stage and
sentences through the ``similarity`` leaf; its result types are in ``track_model`` (re-exported here) so
that renderers import only the model layer. See ``docs/track.md``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

import attrs
import numpy as np

from .locate import locators
from .model import HEADLINE_INDICATORS, PLAN_ROLES, Document, Node, NodeIndex, Quantity, Sentence, headline_rank
from .numbers import NOT_MARKERS, RELATION_MARKERS, located_quantities, names_indicator
from .similarity import Vectors
from .text import bigrams, clause_spans, content_key, dice, is_blank, normalize, segmenter
from .track_model import (
    TARGET_STATUSES,
    TASK_STATUSES,
    Direction,
    Evidence,
    Figure,
    TargetStatus,
    TaskStatus,
    Track,
    TrackedTarget,
    TrackedTask,
)

__all__ = ["ABOUT_PP", "ABOUT_RELATIVE", "CEILINGS", "CLAUSE_COVER", "EVIDENCE_MAX", "FLOORS", "LINK_FLOOR",
           "LOWER_IS_BETTER", "PAIR_MIN", "TARGET_STATUSES", "TASK_STATUSES", "TERM_RARE", "Direction", "Evidence",
           "Figure", "TargetStatus", "TaskStatus", "Track", "TrackedTarget", "TrackedTask", "direction",
           "indicator_key", "indicator_similarity", "target_status", "track"]

# --- targets: tolerance and direction ---------------------------------------------------------------------

ABOUT_RELATIVE = Decimal("0.05")
"""左右 (and 约, 近, a bare figure) means "about": an outcome within 5 % of the target figure meets it
(GDP 5%左右 → 5.2% met, 6.5%左右 → 6.9% exceeded; 城镇新增就业 1200万人左右 → 1244万人 met). The same
margin separates ``met`` from ``exceeded`` above a floor (6%以上 → 6.2% met, → 8.1% exceeded)."""

ABOUT_PP = Decimal("0.1")
"""Least margin for a percentage or percentage-point figure: the reports round rates to one decimal, so
0.1 point is within the writing (a 1%左右 cut reported as 1.1% is met)."""

PERCENT_UNITS = frozenset(("%", "个百分点", "百分点", "‰"))
"""Units of rates, for ``ABOUT_PP``."""

FLOORS = frozenset(("以上", "不少于", "不低于", "超过", "至少", "逾", "多", "高于", "余"))
"""Qualifiers of a target that is a floor: an outcome below it is ``missed``, at it (within the margin)
``met``, above it ``exceeded``."""

CEILINGS = frozenset(("以内", "以下", "之内", "不超过", "不高于", "低于", "不到"))
"""Qualifiers of a target that is a ceiling (城镇调查失业率5.5%以内): at or below it is ``met``, above it
``missed``; never ``exceeded`` (staying far under a ceiling is still meeting it)."""

LOWER_IS_BETTER = ("居民消费价格", "消费价格", "物价", "价格总水平", "通货膨胀", "失业率", "赤字率", "赤字",
                   "能耗", "排放", "事故", "死亡")
"""Indicators for which less is better, matched as parts of the normalised indicator (not keyed to one
year's wording): prices, unemployment, the deficit, energy use, emissions, accidents. For them 左右 is a
ceiling (CPI 3%左右 → 0.9% is met, not missed) — unless the indicator measures a cut (``能耗下降3%``:
ends in a down-change), where a bigger figure is the better one."""

# --- targets: indicators -----------------------------------------------------------------------------------

UP = "增长"
DOWN = "下降"
CHANGE_WORDS: dict[str, str] = {
    "增长率": UP, "增幅": UP, "增速": UP, "涨幅": UP, "上涨": UP, "上升": UP, "增长": UP, "提高": UP, "提升": UP,
    "增加": UP, "降幅": DOWN, "下降": DOWN, "降低": DOWN, "减少": DOWN, "压减": DOWN, "下调": DOWN, "降": DOWN}
"""Words that end an indicator naming a change, mapped to one up-change and one down-change: the plan
writes 居民消费价格涨幅, the review 居民消费价格上涨; the plan 贷款增长, the review 贷款增幅."""

FILLER = ("按可比价格计算", "可比价格计算", "计划", "平均", "全年", "实现", "累计", "继续", "水平", "要", "再", "了")
"""Words around an indicator that do not change what it measures (城镇调查失业率平均, 全年城镇新增就业,
再降, 基本养老金继续提高 / 基本养老金水平提高): dropped from both ends, and before a change word, before
names are compared."""

PAIR_MIN = 0.8
"""Least similarity of two indicator names (``indicator_similarity``) for an outcome to answer a target.
Above ``numbers.PAIR_MIN`` (0.7): across two documents and two compartments a false pairing is worse than a
missing one; over the corpus 中央财政 / 中央财政赤字 (0.75) and 大型商业银行普惠小微企业贷款 / 银行业金融机构
普惠小微企业贷款 (0.6) name different things, while every right pairing read scored 1 or ≥ 0.83."""

NEUTRAL_EXTRA = ("人数", "人口", "总量", "总额", "全国", "全年", "年末", "资金")
"""Words by which one name may be longer than the other and still name the same indicator (城镇新增就业 /
城镇新增就业人口, 中央财政投入 / 中央财政投入资金, 城镇调查失业率 / 年末城镇调查失业率). Any other extra word
makes a part or a kind of it: 农业总产值 inside 工农业总产值, 中央财政 inside 中央财政赤字, 建设资金 inside
国债建设资金 are other indicators, and never pair, however close their bigrams."""

SCOPE_CHARS = 2
"""Characters a headline indicator's name may carry in front and stay the same indicator (财政赤字率, 全国粮食
产量); a longer front is a clause (全国没有实现年初确定的单位国内生产总值能耗降低)."""

MULTIYEAR_WORDS = ("平均每年", "每年平均", "年平均", "每年", "年均", "连续")
"""Words before a figure that make it a rate over several years (工农业总产值平均每年增长百分之六点七): not one
year's target or outcome (``numbers`` marks 年均 and plan periods; these are its older wordings)."""

# --- tasks ------------------------------------------------------------------------------------------------

LINK_FLOOR = 0.45
"""Least sentence link score (cosine, or ``CONTAINMENT_WEIGHT`` × containment of the shorter sentence in the
longer) for a review sentence to count as reporting on a plan sentence: the aligner's ``FLOW_MIN`` ("this
content lives on there"), not its ``LINK_MIN`` (0.3, evidence for a pairing other signals support), since
here the link alone decides. On 2021 → 2022 links of 0.40–0.44 were as often formulas shared by unrelated
sentences (今年是…特殊重要性的一年 → 疫情防控成果持续巩固, 0.40) as reports. Checked by reading 20 tasks
(``docs/track.md``)."""


CANDIDATES = 8
"""Review sentences looked at per plan sentence (its best by cosine and containment candidates)."""

CANDIDATE_FLOOR = 0.05
"""Cosine under which a pair is no candidate at all (two unrelated sentences of the genre score below)."""

EVIDENCE_MAX = 3
"""Review sentences kept as a task's evidence, best first: enough to read what was reported."""

TASK_MIN_CHARS = 20
"""A plan paragraph shorter than this is a connective (今年要重点做好以下几方面工作。), not a task."""

TASK_KINDS = frozenset(("measure", "paragraph", "item"))
"""Node kinds that are tasks when they are the first content node on their path (a measure's items belong
to it); parts and sections are tasks only when they hold text and no children."""

TITLE_CHARS = 40
"""Characters of a task's opening words that name it when it has no run-in title."""

TERM_RARE = 0.003
"""Share of the sentences of both documents (plan and review) a run of words may be found in and still be
*distinctive*: a key term the review clause and the task share. At 0.3 % (2–4 of the 850–1,500 sentences of a
pair: the task's sentence, the review's and at most a couple more) a shared run names the measure (常态化防控,
资源税, 包容审慎监管); at 0.5–1 % it is more and more often a phrase of the genre that two unrelated sentences
happen to share (可喜的变化, 存在的问题). Of 90 clause–task candidates drawn at random over the 50 report pairs and
read, at ``CLAUSE_COVER`` 0.7: 0.3 % passes 11 right and none wrong, 0.5 % 18 right and 3 wrong, 1 % 20 right
and 5 wrong (``docs/track.md``, sweep)."""

ALWAYS_RARE = 2
"""Times a run may be found and be distinctive whatever the documents' length: once in the task, once in the
review clause, nowhere else (under 667 sentences ``TERM_RARE`` would allow fewer, and a short county plan could
never be reported by a clause)."""

CLAUSE_COVER = 0.7
"""Least share of a review clause's content (its words weighted by IDF over the sentences of both documents)
that a task must hold for the clause to report on it: the content bar. A clause that adds words of its own
(坚决取缔邪教组织 against 坚决取缔非法金融机构: 0.63) speaks of something else; a summary clause keeps the
measure's words (深化资源税改革 0.72, 实行包容审慎监管 0.77). Of the 90 candidates read, at ``TERM_RARE`` 0.3 %:
0.6 passes 14 right and 2 wrong, 0.7 11 and none, 0.8 6 and none. It also rejects 国家的大力支持 (0.66), the
one generic clause that reached the 40 sampled tasks at 0.6, so those tasks are not independent of this
choice (``docs/track.md``)."""

PLAN_YEAR = "今年"
"""In year N+1's review, "this year" is year N+1: a sentence naming it states the new plan (1995's review part
holds 在今年的政府工作中，要坚持…), so none of its clauses reports on year N's tasks."""

NUMERALS = frozenset("0123456789.%零〇一二三四五六七八九十百千万亿两年月日")
"""Characters of figures and dates: a word made only of them (1400, 一九五八) is a figure, never a key term."""


def _nfkc(text: str) -> str:
    return re.sub(r"\W", "", normalize(unicodedata.normalize("NFKC", text)))


ANNUAL_BASE = ("比上年", "比去年", "较上年", "较去年", "同比")
"""Words naming the year before as the base: an annual change is against it anyway (国内生产总值比上年增长7.7%
answers 国内生产总值增长7.5%左右), so they are dropped from the indicator."""

REACHED = ("提高到", "提高至", "增加到", "增加至", "提升到", "上升到", "降低到", "降低至", "下降到", "降到", "降至",
           "增至", "控制在", "稳定在", "保持在")
"""Words ending an indicator that say the figure is the level reached (年末城镇调查失业率降到5.5%): the figure is
then the indicator's level, so they are dropped."""


def indicator_key(subject: str) -> str:
    """The indicator a subject names, normalised for comparing a plan's target with a review's outcome:
    NFKC, no punctuation, ``FILLER`` dropped from both ends, a trailing change word mapped to ``增长`` or
    ``下降`` (``CHANGE_WORDS``).

    >>> indicator_key("居民消费价格涨幅"), indicator_key("居民消费价格上涨")
    ('居民消费价格增长', '居民消费价格增长')
    >>> indicator_key("城镇调查失业率平均"), indicator_key("单位国内生产总值能耗降低")
    ('城镇调查失业率', '单位国内生产总值能耗下降')
    """
    key = _nfkc(subject)
    for word in ANNUAL_BASE:
        key = key.replace(word, "")
    for word in REACHED:
        key = key.removesuffix(word)
    changed = True
    while changed:
        changed = False
        for word in FILLER:
            if key.startswith(word) and len(key) > len(word) + 1:
                key, changed = key[len(word):], True
            if key.endswith(word) and len(key) > len(word) + 1:
                key, changed = key[:-len(word)], True
        for word in sorted(CHANGE_WORDS, key=len, reverse=True):
            if key.endswith(word) and len(key) > len(word):
                stem = key[:-len(word)]
                for filler in FILLER:
                    stem = stem.removesuffix(filler) if len(stem) > len(filler) + 1 else stem
                new = stem + CHANGE_WORDS[word]
                changed = changed or new != key
                key = new
                break
    return key


def _names_something(subject: str) -> bool:
    """Whether the normalised indicator names more than a change (平均每年增加 is only a change: of what?)."""
    key = indicator_key(subject)
    if YEAR.search(unicodedata.normalize("NFKC", subject)):
        return False  # 一九八二年计划: a date, not an indicator
    return len(key) - len(_change(key)) >= 2


def _change(key: str) -> str:
    return UP if key.endswith(UP) else DOWN if key.endswith(DOWN) else ""


def indicator_similarity(a: str, b: str) -> float:
    """How surely two subjects name the same indicator, 0–1: 0 unless their normalised names agree in
    shape (a level or a change, and which way; the same headline indicator, ``model.headline_rank``; the
    same relation words, ``numbers.RELATION_MARKERS``), then 1 for the same name or one inside the other
    longer only by a neutral word (``NEUTRAL_EXTRA``) or a headline indicator's scope (``SCOPE_CHARS``), 0 for
    one inside the other otherwise, else the bigram Dice of the names."""
    x, y = indicator_key(a), indicator_key(b)
    if not x or not y:
        return 0.0
    if _change(x) != _change(y) or headline_rank(x) != headline_rank(y):
        return 0.0
    if {w for w in RELATION_MARKERS if w in x} != {w for w in RELATION_MARKERS if w in y}:
        return 0.0
    if x == y:
        return 1.0
    short, long_ = sorted((x, y), key=len)
    if short in long_:
        extra = long_.replace(short, "", 1)
        if extra in NEUTRAL_EXTRA:
            return 1.0
        if long_.endswith(short) and len(extra) <= SCOPE_CHARS and headline_rank(short) < len(HEADLINE_INDICATORS):
            return 1.0  # 财政赤字率 / 赤字率: a headline indicator with a word of scope in front
        return 0.0  # 农业总产值 inside 工农业总产值: a part or a kind, another indicator
    return dice(bigrams(x), bigrams(y))


def direction(subject: str) -> Direction:
    """``lower`` when less of the indicator is better (``LOWER_IS_BETTER``) and it is not a cut; else
    ``higher``."""
    key = indicator_key(subject)
    if _change(key) == DOWN:
        return "higher"  # 能耗下降3%: a bigger cut is better
    return "lower" if any(w in key for w in LOWER_IS_BETTER) else "higher"


def _margin(target: Figure) -> Decimal:
    margin = abs(target.value) * ABOUT_RELATIVE
    if target.unit in PERCENT_UNITS:
        margin = max(margin, ABOUT_PP)
    return margin


def _judge(x: Decimal, target: Figure, way: Direction) -> TargetStatus:
    lo = target.value
    hi = target.high if target.high is not None else target.value
    margin = _margin(target)
    if target.qualifier in CEILINGS:
        return "met" if x <= hi else "missed"
    if target.qualifier in FLOORS:
        if x < lo:
            return "missed"
        return "exceeded" if x > lo + margin else "met"
    if way == "lower":  # 3%左右 of prices: a ceiling with the margin of "about"
        return "met" if x <= hi + margin else "missed"
    if x < lo - margin:
        return "missed"
    return "exceeded" if x > hi + margin else "met"


def target_status(target: Figure, outcome: Figure | None, way: Direction = "higher") -> TargetStatus:
    """The status of a target given the outcome reported for its indicator (``docs/track.md``).

    ``reported`` when the outcome cannot be compared (another unit, or a range whose ends disagree);
    an outcome written 超过40% is taken at 40 (the least it says).

    >>> f = lambda text, v, q="": Figure("x", text, Decimal(v), "%", q)
    >>> target_status(f("6%以上", 6, "以上"), f("8.1%", "8.1"))
    'exceeded'
    >>> target_status(f("3%左右", 3, "左右"), f("0.9%", "0.9"), "lower")
    'met'
    >>> target_status(f("5%左右", 5, "左右"), f("5.2%", "5.2"))
    'met'
    >>> target_status(f("5.5%以内", "5.5", "以内"), f("5.6%", "5.6"))
    'missed'
    """
    if outcome is None:
        return "not reported"
    if outcome.unit != target.unit:
        return "reported"
    ends = {_judge(outcome.value, target, way)}
    if outcome.high is not None:
        ends.add(_judge(outcome.high, target, way))
    return ends.pop() if len(ends) == 1 else "reported"


# --- the two documents ------------------------------------------------------------------------------------

def _figure(q: Quantity, node_id: str, where: dict[str, str]) -> Figure:
    return Figure(indicator=q.subject, text=q.text, value=q.value, unit=q.unit, qualifier=q.qualifier, high=q.high,
                  quote=q.quote, span=q.span, node_id=node_id, locator=where.get(node_id, node_id))


def _has_role(doc: Document, roles: frozenset[str]) -> bool:
    return any(n.role in roles for n in doc.nodes())


YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九])((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
"""A year as written before 年, Arabic or Chinese (2021年, 一九八五年)."""
_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
DATE_LINE = re.compile(r"——\s*((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
"""The subtitle of a report (``——2021年3月5日在…``): the day it was delivered."""
BASE_BEFORE = ("比", "较", "同", "与", "从", "自")
"""Words before a year that make it a base or a start (比2020年增长, 从1978年到1985年), not the year a
figure is of."""
SINCE_AFTER = ("以来", "来", "以前", "前")


def _year_value(text: str) -> int:
    return int("".join(_DIGITS.get(ch, ch) for ch in text))


def document_year(doc: Document) -> int | None:
    """The year a document plans for (a report is delivered in the spring of the year it plans): the year in
    its file name (``2021.txt``), else in a date line (``——2021年3月5日在…``) or its title (青溪县二〇二二年…);
    None when none says. A review heading (``一、2020年工作回顾``) is never read for it."""
    m = FILE_YEAR.search(doc.path.replace("\\", "/").rsplit("/", 1)[-1])
    if m:
        return int(m.group(1))
    for found in (DATE_LINE.search(doc.text[:YEAR_WINDOW]), YEAR.search(doc.title)):
        if found:
            return _year_value(found.group(1))
    return None


YEAR_WINDOW = 400
"""Characters at the start of a document searched for its date line."""


def named_years(text: str) -> tuple[list[int], list[int]]:
    """The years ``text`` names (NFKC first: ``１９９７年``), as (years of something, base years): a year after
    比 / 同 / 从 … (``BASE_BEFORE``) is a base or a start (比2020年, 从1978年到), one before 以来 a span's
    beginning (2013年以来, counted as a base)."""
    text = unicodedata.normalize("NFKC", text)
    of: list[int] = []
    bases: list[int] = []
    for m in YEAR.finditer(text):
        base = text[:m.start()].endswith(BASE_BEFORE) or text[m.end():].startswith(SINCE_AFTER)
        (bases if base else of).append(_year_value(m.group(1)))
    return of, bases


def _of_year(q: Quantity, year: int | None, *, target: bool) -> bool:
    """Whether the figure is one of ``year`` by the years its sentence names: a comparison with a base year
    other than the year before (一九八二年同一九七八年相比, 比一九八○年增长) spans several years; a target is
    not the year's when its sentence names a later year before it (到一九八五年，…钢产量六千万吨,
    １９９７年钢产量达到９４００万吨); an outcome is not the reviewed year's when the nearest year named before it
    is another one."""
    at = q.quote.find(q.text)
    before = q.quote[:at] if at >= 0 else q.quote
    if any(w in _clause(before) for w in MULTIYEAR_WORDS):
        return False
    if year is None:
        return True
    if any(y != year - 1 for y in named_years(q.quote)[1]):
        return False
    years = named_years(before)[0]
    if not years:
        return True
    return all(y <= year for y in years) if target else years[-1] == year


def _clause(before: str) -> str:
    """The clause before a figure (back to the last ，；：。): where 平均每年 or 连续 would qualify it."""
    return re.split(r"[，；：。,;:]", before)[-1]


PAST_CUES = ("过去一年", "一年来", "过去五年", "五年来", "去年", "上年")
"""Words that, opening a clause, put what follows in the past: in a plan part, figures after them (nearest
cue first) are last year's (2011: 过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%…城镇新增就业
1168万人). Inside a clause they compare (增幅明显高于去年) and do not count."""

PLAN_CUES = ("今年", "预期目标", "目标", "拟", "力争", "确保", "计划", "争取", "要")
"""Words that put what follows in the plan (``numbers.TARGET_MARKERS``)."""

RESTATED_CUES = ("要", "预期目标", "目标", "提出", "确定", "拟", "计划", "力争", "确保")
"""Words before a figure in a review sentence that make it last year's target restated (去年我在政府工作报告
中曾提出，要把…物价上涨幅度控制在百分之十以内), not its outcome."""

_BLANK = re.compile("|".join(sorted(NOT_MARKERS, key=len, reverse=True)))


def _masked(text: str) -> str:
    return _BLANK.sub(lambda m: "\u3000" * len(m.group(0)), text)


def _nearest_cue(text: str, cues: tuple[str, ...], *, opening: bool = False) -> int:
    """Position of the last of ``cues`` in ``text`` (``NOT_MARKERS`` blanked), or -1; with ``opening`` only a
    cue that opens a clause counts (过去一年，… but not 增幅明显高于去年, a comparison)."""
    text = _masked(text)
    if not opening:
        return max(text.rfind(c) for c in cues)
    pattern = re.compile(r"(?:^|(?<=[。！？；：，]))(?:" + "|".join(cues) + ")")
    found = [m.start() for m in pattern.finditer(text)]
    return found[-1] if found else -1


def _plan_figure(q: Quantity, node: Node) -> bool:
    """Whether a target of the plan is one: the nearest time cue before it in its paragraph is not of the
    past (``PAST_CUES`` after any ``PLAN_CUES``)."""
    text = node.text
    at = text.find(q.quote)
    k = q.quote.find(q.text)
    before = text[:at + max(k, 0)] if at >= 0 else q.quote[:max(k, 0)]
    return _nearest_cue(before, PAST_CUES, opening=True) <= _nearest_cue(before, PLAN_CUES)


def _reached(q: Quantity) -> bool:
    """Whether an outcome of the review is one, not last year's target quoted (``RESTATED_CUES`` before it)."""
    k = q.quote.find(q.text)
    return _nearest_cue(q.quote[:max(k, 0)], RESTATED_CUES) < 0


def _as_level(q: Quantity) -> Quantity:
    """A figure written as the level a change reaches (年末城镇调查失业率降到5.5%, whose subject the numbers
    stage ends in 降) measures the indicator's level: its change word is dropped."""
    at = q.quote.find(q.text)
    if at > 0 and q.quote[:at].endswith(("到", "至")) and _change(indicator_key(q.subject)):
        for word in sorted(CHANGE_WORDS, key=len, reverse=True):
            if q.subject.endswith(word):
                return attrs.evolve(q, subject=q.subject[:-len(word)])
    return q


def _unambiguous(outcomes: list[tuple[Quantity, str]]) -> list[tuple[Quantity, str]]:
    """The outcomes without those of an indicator given two different figures in one sentence (二氧化硫、氮氧化物
    排放量分别下降5.6%和4% read as two 氮氧化物 figures): which is which cannot be told, so neither answers."""
    seen: dict[tuple[str, str, str], set[Decimal]] = {}
    for q, _ in outcomes:
        seen.setdefault((indicator_key(q.subject), q.unit, q.quote), set()).add(q.value)
    return [(q, n) for q, n in outcomes if len(seen[(indicator_key(q.subject), q.unit, q.quote)]) == 1]


def _in_review_part(q: Quantity, node_id: str, index: NodeIndex) -> bool:
    """Whether a plan figure stands in a section of a top-level review part (its section given a plan role by
    its heading's words, 2005's （三）不失时机推进经济体制改革，扩大对外开放 inside 一、过去一年工作回顾) with no word
    of the plan before it in its paragraph: last year's figure, not a target."""
    top = index.node[node_id]
    while (up := index.parent[top.id]) is not None:
        top = up
    if top.role != "review":
        return False
    node = index.node[node_id]
    at = node.text.find(q.quote)
    before = node.text[:at + max(q.quote.find(q.text), 0)] if at >= 0 else q.quote
    return _nearest_cue(before, PLAN_CUES) < 0


GENERIC_MONEY = ("资金", "投入", "经费", "资助", "补助", "补贴", "投资", "支出", "债券", "国债")
"""Ends of a subject that name where money comes from, not what it is for (国债资金, 中央财政投入): two such
figures answer each other only when their sentences say the same purpose (``CONTEXT_MIN``)."""

CONTEXT_MIN = 0.2
"""Least bigram Dice of the two sentences for money named by its source only: 将2.8万亿元中央财政资金纳入直达
机制 / 2.8万亿元中央财政资金直达市县基层 share their purpose; 国债资金 for 瓦斯治理 vs for 农村卫生 do not."""


def _same_purpose(a: Quantity, b: Quantity) -> bool:
    if not indicator_key(a.subject).endswith(GENERIC_MONEY) and not indicator_key(b.subject).endswith(GENERIC_MONEY):
        return True
    return dice(bigrams(a.quote.replace(a.text, "")), bigrams(b.quote.replace(b.text, ""))) >= CONTEXT_MIN


def track(old: Document, new: Document) -> Track:
    """Year N's (``old``) targets and tasks against year N+1's (``new``) review.

    An empty result says why in ``Track.reason``: the new document has no review (a county opinion
    without a 工作回顾), or the old one has no plan.
    """
    if not _has_role(new, frozenset(("review",))):
        return Track(old=old, new=new, targets=(), tasks=(),
                     reason=f"{new.path}: has no review of the past year (no node with the review role), so it "
                            "reports on nothing; see `policydiff show` for its roles")
    if not _has_role(old, PLAN_ROLES):
        return Track(old=old, new=new, targets=(), tasks=(),
                     reason=f"{old.path}: has no plan (no guidance, tasks or safeguards), so it promised nothing")
    a, b = document_year(old), document_year(new)
    if a is not None and b is not None and b - a != 1:
        return Track(old=old, new=new, targets=(), tasks=(),
                     reason=f"{new.path} is of {b} and reviews {b - 1}; {old.path} plans {a}: the years are not "
                            "consecutive, so no review of that plan is at hand")
    return Track(old=old, new=new, targets=_targets(old, new, a, b), tasks=_tasks(old, new))


def _targets(old: Document, new: Document, old_year: int | None, new_year: int | None) -> tuple[TrackedTarget, ...]:
    old_index, new_index = NodeIndex.of(old), NodeIndex.of(new)
    old_where, new_where = locators(old), locators(new)
    outcomes = [(_as_level(x.quantity), x.node_id) for x in located_quantities(new)
                if x.quantity.kind == "outcome" and not x.quantity.multiyear and x.quantity.subject
                and new_index.node[x.node_id].role == "review"
                and _of_year(x.quantity, None if new_year is None else new_year - 1, target=False)
                and _reached(x.quantity)]
    outcomes = _unambiguous(outcomes)
    seen: set[tuple[str, str]] = set()
    out: list[tuple[int, int, TrackedTarget]] = []
    for order, x in enumerate(located_quantities(old)):
        q = _as_level(x.quantity)
        if q.kind != "target" or q.multiyear or old_index.node[x.node_id].role not in PLAN_ROLES \
                or not names_indicator(q.subject) or not _names_something(q.subject) \
                or not _of_year(q, old_year, target=True) or not _plan_figure(q, old_index.node[x.node_id]) \
                or _in_review_part(q, x.node_id, old_index):
            continue
        key = (indicator_key(q.subject), normalize(q.text))
        if key in seen:
            continue  # a target restated (in the guidance, then in its task): one row
        seen.add(key)
        target = _figure(q, x.node_id, old_where)
        way = direction(q.subject)
        best: tuple[float, int, Quantity, str] | None = None
        for k, (o, node_id) in enumerate(outcomes):
            score = indicator_similarity(q.subject, o.subject)
            if score < PAIR_MIN or not _same_purpose(q, o):
                continue
            same_unit = o.unit == q.unit
            if not same_unit and indicator_key(o.subject) != indicator_key(q.subject):
                continue  # another unit: "reported" only for the very same indicator
            rank = (score + same_unit, -k)  # the same unit first, then the surest name, then the earliest
            if best is None or rank > (best[0] + (best[2].unit == q.unit), -best[1]):
                best = (score, k, o, node_id)
        if best is None:
            tracked = TrackedTarget(target=target, outcome=None, status="not reported", direction=way)
        else:
            outcome = _figure(best[2], best[3], new_where)
            tracked = TrackedTarget(target=target, outcome=outcome, status=target_status(target, outcome, way),
                                    direction=way, score=round(best[0], 4))
        out.append((headline_rank(q.subject), order, tracked))
    out.sort(key=lambda t: (t[0], t[1]))
    return tuple(t for _, _, t in out)


# --- tasks ------------------------------------------------------------------------------------------------

def task_nodes(doc: Document) -> list[Node]:
    """The plan's tasks: for each path from the root, the first node of the plan (``PLAN_ROLES``) that is a
    measure, paragraph or item (``TASK_KINDS``), or a part or section holding text without children, and is
    at least ``TASK_MIN_CHARS`` long; its descendants belong to it. A paragraph opening on the past
    (``PAST_CUES``: 过去五年，我国经济社会发展取得新的历史性成就, the look back a guidance part opens with)
    promises nothing and is left out."""
    out: list[Node] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if child.role in PLAN_ROLES and child.kind != "front" and (
                    child.kind in TASK_KINDS or (not child.children and child.body)):
                if len("".join(n.text for n in child.walk())) >= TASK_MIN_CHARS \
                        and not _masked(child.text).startswith(PAST_CUES):
                    out.append(child)
                continue
            walk(child)

    walk(doc.root)
    return out


def _link_scores(vec: Vectors, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The aligner's sentence link (``Vectors.link_at``)."""
    return vec.link_at(rows, cols)


def _tasks(old: Document, new: Document) -> tuple[TrackedTask, ...]:
    tasks = task_nodes(old)
    old_where, new_where = locators(old), locators(new)
    plan: list[tuple[int, str]] = []  # (task index, sentence text)
    for t, node in enumerate(tasks):
        plan.extend((t, s.text) for n in node.walk() for s in n.sentences)
    review = [(n, s) for n in new.nodes() if n.role == "review" for s in n.sentences]
    found: dict[int, dict[int, tuple[float, int]]] = {}  # task → review sentence → (score, plan sentence)
    if plan and review:
        vec = Vectors([s for _, s in plan], [s.text for _, s in review])
        cand = vec.topk(CANDIDATES, CANDIDATE_FLOOR).tocoo()
        rows, cols = np.asarray(cand.row, dtype=np.int64), np.asarray(cand.col, dtype=np.int64)
        for r, c, v in zip(rows, cols, _link_scores(vec, rows, cols), strict=True):
            if v < LINK_FLOOR:
                continue
            t = plan[int(r)][0]
            got = found.setdefault(t, {})
            if v > got.get(int(c), (0.0, -1))[0]:
                got[int(c)] = (float(v), int(r))
    by_clause = _clause_reports(old, new, plan, review, len(tasks)) if plan and review else {}
    out = []
    for t, node in enumerate(tasks):
        links = sorted(found.get(t, {}).items(), key=lambda kv: (-kv[1][0], kv[0]))[:EVIDENCE_MAX]
        evidence = [Evidence(node_id=review[c][0].id, locator=new_where.get(review[c][0].id, review[c][0].id),
                             quote=review[c][1].text, span=review[c][1].span, score=round(v, 4),
                             task_quote=plan[r][1]) for c, (v, r) in links]
        taken = {c for c, _ in links}
        for c, (a, b), v, r in by_clause.get(t, []):
            if len(evidence) >= EVIDENCE_MAX:
                break
            if c in taken:
                continue
            taken.add(c)
            n, sent = review[c]
            evidence.append(Evidence(node_id=n.id, locator=new_where.get(n.id, n.id), quote=sent.text[a:b],
                                     span=_sub_span(new.text, sent.span, sent.text, a, b), score=round(v, 4),
                                     task_quote=plan[r][1]))
        status: TaskStatus = "reported" if evidence else "not reported"
        title = node.title or _opening(node)
        out.append(TrackedTask(node_id=node.id, locator=old_where.get(node.id, node.id), title=title, status=status,
                               evidence=tuple(evidence), span=node.span))
    return tuple(out)


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """``text``'s content key cut into words (jieba), in order."""
    return tuple(segmenter().cut(content_key(text)))


def _content(word: str) -> bool:
    """A word that can carry content: two characters or more, not a figure or a date (``NUMERALS``)."""
    return len(word) >= 2 and not all(ch in NUMERALS for ch in word)


def _runs(words: tuple[str, ...], key: str) -> list[str]:
    """The maximal runs of consecutive ``words`` found together in ``key``, each holding a content word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and "".join(words[i:j + 1]) in key:
            j += 1
        a, b = i, j
        while a < b and not _content(words[a]):
            a += 1
        while b > a and not _content(words[b - 1]):
            b -= 1
        if b > a:  # the run trimmed to its content words (和其他有关的 is 其他有关)
            out.append("".join(words[a:b]))
        i = max(j, i + 1)
    return out


def _clause_reports(old: Document, new: Document, plan: list[tuple[int, str]],
                    review: list[tuple[Node, Sentence]], n_tasks: int,
                    ) -> dict[int, list[tuple[int, tuple[int, int], float, int]]]:
    """Review clauses that report on a task by its key terms: task → [(review sentence, clause offsets in it,
    score, plan sentence)], best first.

    A word's weight is its IDF over the sentences of both documents (``log(N / n)``, ``n`` the times it is
    found in them); a run of the clause's words found together in the task is *distinctive* when it is found
    in at most ``TERM_RARE`` of the sentences. A clause reports on a task when they share a distinctive run and
    the task holds at least ``CLAUSE_COVER`` of the clause's weight (the score), and no other task holds more
    of it: a clause made of the genre's formulas (在改革的过程中) shares no rare run, and one that says
    something the task does not is not covered."""
    keys = [content_key(s.text) for doc in (old, new) for n in doc.nodes() for s in n.sentences]
    corpus = "\n".join(keys)
    total = len(keys)
    rare = max(ALWAYS_RARE, TERM_RARE * total)
    found: dict[str, int] = {}

    def count(run: str) -> int:
        if run not in found:
            found[run] = max(1, corpus.count(run))
        return found[run]

    def idf(w: str) -> float:
        return math.log(total / count(w))

    task_keys = ["\n".join(content_key(text) for u, text in plan if u == t) for t in range(n_tasks)]
    holders: dict[str, frozenset[int]] = {}

    def holding(w: str) -> frozenset[int]:
        if w not in holders:
            holders[w] = frozenset(t for t, k in enumerate(task_keys) if w in k)
        return holders[w]

    out: dict[int, list[tuple[int, tuple[int, int], float, int]]] = {}
    for c, (_, sent) in enumerate(review):
        if PLAN_YEAR in _masked(sent.text):
            continue  # 在今年的政府工作中，要…: the new year's plan inside the review part reports nothing
        for a, b in clause_spans(sent.text):
            words = _words(sent.text[a:b])
            weights = {w: idf(w) for w in words if _content(w)}
            weight = sum(weights.values())
            if not weight:
                continue
            scored: list[tuple[float, int, str]] = []
            for t in sorted(frozenset().union(*(holding(w) for w in weights))):
                score = sum(v for w, v in weights.items() if t in holding(w)) / weight
                if score < CLAUSE_COVER:
                    continue
                runs = [r for r in _runs(words, task_keys[t]) if count(r) <= rare]
                if runs:
                    scored.append((score, t, max(runs, key=len)))
            top = max((v for v, _, _ in scored), default=0.0)
            for score, t, run in scored:
                if score == top:  # the clause reports on the task that holds most of it
                    r = next(r for r, (u, text) in enumerate(plan) if u == t and run in content_key(text))
                    out.setdefault(t, []).append((c, (a, b), score, r))
    for got in out.values():
        got.sort(key=lambda x: (-x[2], x[0]))
    return out


def _sub_span(text: str, span: tuple[int, int], sentence: str, a: int, b: int) -> tuple[int, int]:
    """Where ``sentence[a:b]`` stands in ``text``, given the sentence's span there: the sentence is the span's
    visible text (line breaks and invisible characters dropped), so their visible characters correspond one to
    one."""
    at = [i for i in range(*span) if not is_blank(text[i])]
    visible = [k for k, ch in enumerate(sentence) if not is_blank(ch)]
    inside = [j for j, k in enumerate(visible) if a <= k < b]
    if not inside or len(at) != len(visible):
        return span
    return (at[inside[0]], at[inside[-1]] + 1)


def _opening(node: Node) -> str:
    text = node.sentences[0].text if node.sentences else node.text
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS] + "…"

