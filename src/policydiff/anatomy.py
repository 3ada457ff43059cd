"""Document anatomy: which part of a work document each node belongs to (``docs/anatomy.md``).

Every yearly work document has the same anatomy, whatever its issuer or decade: it first reviews the
past year or term (outcomes, in the past tense), then sets the year's guidance and targets, then lists
the tasks, then the safeguards (organisation, the government's own conduct), and ends with a call to
action. This stage, run after ``structure`` and before ``align``, gives every node one of the roles of
``model.Role``.

How, in three passes:

1. **Top level.** The nodes directly under the root are read in order. Front matter (metadata, notice,
   title, signature) and the opening formula (``各位代表：``, ``我代表国务院…作政府工作报告``) are
   ``front``. A numbered part takes the role its heading words name (``回顾`` → review, ``总体要求`` →
   guidance, ``重点工作`` → tasks, ``政府自身建设`` → safeguards); a part whose heading names none is
   a review when no guidance or task part came before it and its opening text is in the past tense,
   else tasks. Unnumbered top-level paragraphs (old reports have no numbered parts; others put the
   review or the year's requirements before ``一、``) follow a heading-like paragraph that names a role,
   else their own tense; before the first task part, what is not a review is guidance.
2. **Inside a part.** Children inherit their part's role unless their own cues clearly say otherwise: a
   task part's opening paragraphs that set requirements or targets are guidance; a review part switches
   to guidance where a paragraph sets them (``1998年工作回顾和1999年工作的总体要求``); a child whose
   heading names safeguards is safeguards; an untitled paragraph clearly in the past tense inside a
   task part is review.
3. **Ends.** The last vocative (``各位代表！``) near the end and what follows it, or a last paragraph
   that calls to action (``让我们…``), is ``closing``; attachments, signature and date lines after the
   body are ``back``. A vocative paragraph alone takes the role of what follows it.

Cues are a few words of heading, tense and modality, each set a named pattern with the reason for it;
no rule names one document. The stage imports only the model and leaf modules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from .locate import locators
from .model import PLAN_ROLES, ROLES, Document, Node, OptionsError, Role
from .text import TRADITIONAL, tense_lean

# --- cues ---------------------------------------------------------------------------------------


REVIEW_HEADING = re.compile("回顾|总结|执行情况|决算|成就|胜利|进展|形势|首先报告|过去|[一二三四五六七八九十几多]+年来")
"""Heading words of a review: 回顾 and 总结 name it; 执行情况 and 决算 are the plan and budget reports'
(1950s–1980s) word for last year's outcomes; 成就/胜利/进展 name outcomes (``取得伟大成就的五年``,
``一九五七年经济战线上的胜利``) and 形势 the state reached (``当前的经济形势``); 过去/…年来 name the
period; ``首先报告2001年的工作`` opens 2002's. A review heading after a guidance or task part is not a
review (``国际形势和我国对外政策`` is foreign policy)."""

GUIDANCE_HEADING = re.compile("指导思想|总体要求|基本要求|总体部署|预期目标|主要目标|奋斗目标|目标任务|"
                              "政策取向|宏观(?:经济)?政策|指导方针|建设方针|基本思路|总任务|基本任务|"
                              "主要指标|国家预算|计划概要")
"""Heading words of guidance: the requirements (指导思想, 总体要求, 总体部署), the targets (预期目标,
主要目标, 主要指标; a five-year plan's 基本任务 and 总任务 are its goals, not its measures) and the
policy orientation (政策取向, 宏观政策, 方针); a plan report's budget (国家预算) and summary (计划概要)
are the year's or term's figures."""

SAFEGUARDS_HEADING = re.compile("保障措施|组织保障|组织领导|加强领导|自身建设|自身改革|政风建设|作风建设|"
                                "行政能力建设|服务型政府|依法行政|行政效能")
"""Heading words of safeguards: a bureau's 保障措施 and 组织领导; the State Council's section on the
government's own conduct (政府自身建设, 政风, 服务型政府, 依法行政, 行政效能)."""

TASKS_HEADING = re.compile("任务|重点工作|主要工作|工作的建议|工作建议|工作安排|年的工作|措施|计划的安排")
"""Heading words of tasks: 主要任务, 重点工作, ``对今年政府工作的建议``, ``2011年的工作``; they give way to
guidance words anywhere in the heading (``主要目标和任务``, ``任务和主要指标`` set goals)."""

CALL_HEADING = re.compile("^(?:为实现|为完成|为了实现|为了完成)|而努力$|而奋斗$")
"""A heading that calls to carry something out (``为实现1956年的国家预算而努力``): tasks even when it
names the plan or budget it carries out; guidance words win only when they come first."""

GUIDANCE_TEXT = re.compile("(?:总体要求|指导思想|指导方针|预期目标|主要目标|政策取向|基本思路|主要任务)"
                           "(?:应该|应当|和主要任务)?[，,]?就?(?:是|为|[：:])|把握.{0,8}原则|以.{2,60}为指导")
"""Words by which a paragraph announces the requirements or targets (``今年工作的总体要求是``,
``今年发展主要预期目标是：``, ``以习近平新时代中国特色社会主义思想为指导``): searched in a paragraph's
first ``CUE_WINDOW`` characters, where such a paragraph says what it is. Only the announcing form
counts: a review mentions the words in passing (``就业超过预期目标``, ``指导思想实现了战略性转变``), and
a paragraph leaning to the past is never guidance."""

TARGET_TEXT = re.compile("(?:计划|预期|拟定|目标|指标).{0,30}(?:增长|达到|控制在|提高)[^。；]{0,16}"
                         "(?:左右|以上|以内|以下)")
"""A planned figure opening a paragraph (``计划草案拟定，农业总产值比一九六四年增长百分之五左右``): a
target, so guidance, where it stands among unnumbered paragraphs; inside a task part's section it is a
measure's own figure, so only ``GUIDANCE_TEXT`` opens a guidance part."""

LOOKING_BACK = re.compile("过去|去年|上年|年来|回顾")
"""Words of the period looked back on: a paragraph that opens with them (``五年来，坚持以…思想为指导``)
tells how the past was guided; it announces nothing for the year ahead."""

ANNOUNCE = re.compile("(?:以下|如下|方面|工作).{0,16}[：:]$")
"""A paragraph announcing a list (``今年要重点抓好八个方面工作：``, ``一年来，我们主要做了以下六方面
工作：``): it ends a task part's guidance lead-in, and after a review, the numbered run it announces is
review too."""

CUE_WINDOW = 60
"""Characters at the start of a paragraph searched for ``GUIDANCE_TEXT``: the announcing clause
(``中共中央对今年工作的总体要求是：``) comes first; further in, the words are quoted in passing."""



LEAN = 1 / 3 - 1e-9
"""A text leans to the past (or the future) when ``(past - future) / (past + future)`` is at least this
(or at most its negative): two past cues for every plan cue or more (2:1 gives exactly 1/3; the epsilon
keeps it from being lost to rounding). Review paragraphs mention the plan
in passing (``完成了预期目标``) and plan paragraphs name last year, so a plain majority would flip on one
word; two to one is what reading the reports gives for a paragraph whose tense is clear."""

MIN_CUES = 3
"""Fewest tense cues (past + future) for a lean to count: a short paragraph with one 已 or one 要 says
nothing about its tense."""

STRONG_LEAN = 0.6
"""A paragraph inside a task part is reviewed only when it leans this far to the past (four to one),
because task parts quote outcomes to justify measures; a review paragraph there (``过去一年，国防和军队
建设取得新的成就``) is all outcome."""

PART_SAMPLE = 800
"""Characters of a part's opening text (its body and first descendants) read for its tense: enough for
two or three paragraphs, where a part says whether it looks back or ahead."""

FORMULA = re.compile("代表.{0,12}(?:报告|提出)|作.{0,40}报告|请予审议|请各位代表|审议")
"""The opening formula of a report (``现在，我代表国务院，向大会作政府工作报告，请予审议``)."""

FORMULA_MAX = 160
"""Longest opening paragraph still taken as the formula: the formula with a sentence of occasion
(``本届政府1998年3月就职，任期即将结束。``) fits; the review that follows is longer."""

VOCATIVE = re.compile(r"^[^，。,；;！!]{2,8}[！!：:]")
"""An address to the audience (``各位代表！``, ``同志们：``) at the start of a paragraph."""

CALL = re.compile("让我们|团结起来|而努力奋斗|而奋斗|奋勇前进|新的更大|新篇章|新的胜利|努力吧")
"""A call to action: how the last paragraph of a report or speech ends."""

CLOSING_WINDOW = 3
"""A vocative starts the closing only within this many paragraphs of the end (``各位代表！`` and one
or two paragraphs of call); earlier vocatives open sections (defence, Hong Kong, foreign affairs)."""

BACK = re.compile(r"^(?:附件|附表|附录)(?:[：:\s\d一二三四五六七八九十]|$)|^(?:抄送|抄报|主题词)")
"""Matter after the body: attachments (``附件：``, ``附件1``), copies (抄送) and subject words."""

DATE_LINE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇一二三四五六七八九十]{1,3}\s*月"
                       r"\s*[\d〇一二三四五六七八九十]{1,3}\s*日$")
"""A date line alone: the signature's date."""

ISSUER_LINE = re.compile("(?:局|委员会|委|政府|办公室|办公厅|厅|部|院|中心|小组|党组)$")
"""A short line ending in an issuer's word: the signature's issuer."""

HEADING_MAX = 30
"""Longest unnumbered paragraph read as a heading (``过去五年的回顾``, ``今后五年的主要任务``)."""

_PUNCT = re.compile(r"[，。；：！？,.;:!?]")

OPENING_ROLES = ("metadata", "notice", "signature", "title", "subtitle")
"""Front-matter roles that are never part of the body (a preamble may be: the lead-in of an opinion)."""


def _lean(text: str, min_cues: int = MIN_CUES) -> float | None:
    """Past (+) or future (−) lean of ``text`` in [−1, 1], or None when it has fewer than ``min_cues`` cues."""
    return tense_lean(text, min_cues)


def _heading_role(heading: str) -> Role | None:
    """The role a heading names, or None. Review first only when it comes first in the heading:
    ``1998年工作回顾和1999年工作的总体要求`` opens with the review."""
    heading = heading.translate(TRADITIONAL)
    hits: list[tuple[int, Role]] = []
    cues: tuple[tuple[re.Pattern[str], Role], ...] = ((REVIEW_HEADING, "review"), (GUIDANCE_HEADING, "guidance"),
                                                      (SAFEGUARDS_HEADING, "safeguards"), (CALL_HEADING, "tasks"))
    for pattern, role in cues:
        m = pattern.search(heading)
        if m:
            hits.append((m.start(), role))
    if not hits:
        return "tasks" if TASKS_HEADING.search(heading) else None
    hits.sort()
    return hits[0][1]


def _guidance_text(n: Node, figures: bool = True) -> bool:
    """A paragraph announcing requirements or targets (or, with ``figures``, opening with a planned
    figure), and not told in the past tense."""
    head = n.text[:CUE_WINDOW].translate(TRADITIONAL)
    if not (GUIDANCE_TEXT.search(head) or (figures and TARGET_TEXT.search(head))) or LOOKING_BACK.search(head):
        return False
    lean = _lean(n.text)
    return lean is None or lean < LEAN


def _is_heading(n: Node) -> bool:
    """An unnumbered paragraph standing as a heading: short, no punctuation (``过去五年的回顾``)."""
    t = n.text
    return not n.label and 0 < len(t) <= HEADING_MAX and not _PUNCT.search(t) and not n.children


def _own_heading(n: Node) -> str:
    """What a node calls itself: its title when numbered, else its text when it is a heading line."""
    if n.label or n.kind in ("part", "section") or n.title:
        return n.title
    return n.text if _is_heading(n) else ""


def _opening(n: Node, limit: int = PART_SAMPLE) -> str:
    """The first ``limit`` characters of a node's text and its descendants' (heading included)."""
    out: list[str] = []
    size = 0
    for d in n.walk():
        piece = d.title + d.body if d is n else d.text
        out.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return "".join(out)[:limit]


def _is_vocative(n: Node) -> bool:
    return not n.label and bool(VOCATIVE.match(n.text)) and len(n.text) <= 12


# --- pass 1: top level --------------------------------------------------------------------------


def _top_level(nodes: tuple[Node, ...]) -> dict[str, Role]:
    out: dict[str, Role] = {}
    i = 0
    # front matter and the opening formula
    while i < len(nodes):
        n = nodes[i]
        named = _heading_role(n.text) if _is_heading(n) else None
        opening = n.kind == "front" and (n.front_role in OPENING_ROLES or _is_heading(n)) and not (named and i > 0)
        formula = not n.label and (_is_vocative(n) or (FORMULA.search(n.text) and len(n.text) <= FORMULA_MAX))
        if not (opening or formula):
            break
        out[n.id] = "front"
        i += 1
    later_tasks = [j for j in range(i, len(nodes)) if nodes[j].label or nodes[j].kind in ("part", "section")]
    seen_review = False  # a review part has come: a part naming guidance after it is guidance
    seen_plan = False  # a guidance or task part has come: no review after it
    seen_tasks = False  # a numbered task part has come: no guidance part after it
    seen_review_part = False  # a numbered review part has come
    span: Role | None = None  # the role named by the last heading-like paragraph
    prev: Role | None = None
    announced: Role | None = None  # the role of a paragraph announcing the numbered run that follows
    run = 0  # numbered nodes in that run so far
    for j in range(i, len(nodes)):
        n = nodes[j]
        numbered = bool(n.label) or n.kind in ("part", "section")
        if numbered:
            if run and n.ordinal == 1:  # the numbering starts again: the announced run is over
                announced = None
            run += 1
            role = _heading_role(n.title)
            lean = _lean(_opening(n))
            if role == "review" and seen_plan:
                role = "guidance" if GUIDANCE_HEADING.search(n.title) else "tasks"
            elif role == "review" and seen_review_part and GUIDANCE_HEADING.search(n.title):
                role = "guidance"  # ``“十三五”时期发展成就和“十四五”时期主要目标任务`` after the review part
                # (after a review part, not after paragraphs: 1978's outline 报告分六个部分：一、三年来的斗争…
                # before its part 一、三年来的斗争和新时期的总任务, which is the review)
            elif role == "guidance" and not seen_review and not seen_plan and lean is not None and lean >= LEAN:
                role = "review"  # ``当前国内形势和基本任务`` opening with last year's outcomes
            elif role == "guidance" and seen_tasks:
                role = "tasks"  # the guidance comes before the tasks: 实现建军一百年奋斗目标，… is a task part
            if role in (None, "tasks") and announced is not None:
                role = announced  # ``一年来，我们主要做了以下六方面工作：`` (一)…(六)
            if role is None and not seen_plan and n.children and not n.children[0].label \
                    and _guidance_text(n.children[0], figures=False):
                role = "guidance"  # a part opening with the year's main task or targets
            if role is None:
                role = "review" if not (seen_plan or seen_review) and lean is not None and lean >= LEAN else "tasks"
            span = None
        elif _is_heading(n) and _heading_role(n.text):
            role = _heading_role(n.text) or "tasks"
            if role == "review" and seen_plan:
                role = "tasks"
            span = role
        elif _is_heading(n):  # a heading naming no role (``一`` alone): a new span, its tense decides
            span = None
            role = prev or "review"
        else:
            role = _paragraph_role(n, span, prev, seen_plan, any(k > j for k in later_tasks))
            if span == "review" and role == "guidance":
                span = "guidance"
            elif span == "guidance" and role == "guidance" and not _guidance_text(n):
                lean = _lean(n.text)
                if lean is not None and lean <= -LEAN:  # past the requirements: the measures
                    role = span = "tasks"
            announced, run = ("review", 0) if role == "review" and ANNOUNCE.search(n.text) else (None, 0)
        out[n.id] = role
        if role != "review" and (numbered or span is not None):
            seen_plan = True
        seen_review = seen_review or role == "review"
        seen_tasks = seen_tasks or (role == "tasks" and n.kind == "part")
        seen_review_part = seen_review_part or (role == "review" and numbered)
        if any(d.kind == "part" and d.label and _heading_role(d.title) in ("guidance", "tasks")
               for d in n.walk() if d is not n):
            seen_plan = True  # a plan part nested under a review section by a numbering the parser misread
        prev = role
    return out


def _paragraph_role(n: Node, span: Role | None, prev: Role | None, seen_plan: bool, parts_follow: bool) -> Role:
    """An unnumbered top-level paragraph: the span's role (with the guidance switch), else its tense."""
    if _guidance_text(n):
        return "guidance"
    if span is not None:
        return span
    lean = _lean(n.text)
    if lean is not None and not seen_plan and lean >= (STRONG_LEAN if prev in ("guidance", "tasks") else LEAN):
        return "review"  # once the plans have begun, only a paragraph all outcome looks back again
    if lean is not None and lean <= -LEAN:
        return "guidance" if parts_follow else "tasks"
    if prev is not None and prev != "front":
        return prev
    weak = _lean(n.text, 1)  # nothing to inherit: the sign of what cues there are
    if weak is not None and weak > 0 and not seen_plan:
        return "review"
    return "guidance" if parts_follow else "tasks"


# --- pass 2: inside a part ----------------------------------------------------------------------


def _inside(n: Node, role: Role, out: dict[str, Role]) -> None:
    """Roles of ``n``'s descendants, ``n`` having ``role``."""
    kids = n.children
    if not kids:
        return
    roles: list[Role] = [role] * len(kids)
    if role == "tasks":
        intro = 0
        while intro < len(kids) and not kids[intro].label and not kids[intro].children:
            intro += 1
        if intro < len(kids):  # an intro before numbered children: its guidance run
            cued = [k for k in range(intro) if _guidance_text(kids[k])]
            if cued:
                last = intro - 1 if ANNOUNCE.search(kids[intro - 1].text) and cued[-1] < intro - 1 else cued[-1] + 1
                for k in range(last):
                    roles[k] = "guidance"
    elif role == "review":
        announced = False
        for k, c in enumerate(kids):
            own = _heading_role(c.title) if c.label else None
            switch: Role | None = "guidance" if not c.label and _guidance_text(c) else None
            if c.label and own in ("guidance", "tasks") and not announced:
                switch = own
            # a review paragraph announcing the numbered run (一年来，我们主要做了以下六方面工作：) makes the run
            # review, whatever words its headings use (2004's （一）采取果断措施，集中力量抗击非典)
            announced = announced or (not c.label and bool(ANNOUNCE.search(c.text)))
            if switch is not None:
                for m in range(k, len(kids)):
                    roles[m] = switch
                break
    for k, c in enumerate(kids):
        own = _heading_role(_own_heading(c)) if _own_heading(c) else None
        if own == "safeguards" and role in ("tasks", "guidance"):
            roles[k] = "safeguards"
        elif role == "tasks" and roles[k] == "tasks" and not c.label and not c.title:
            lean = _lean(c.text)
            if lean is not None and lean >= STRONG_LEAN:
                roles[k] = "review"
    # a safeguards paragraph opening its measures (``对政府工作提出了新的更高要求``) goes with them
    for k in range(len(kids) - 1):
        if roles[k + 1] == "safeguards" and roles[k] == role and not kids[k].label and not kids[k].title \
                and k + 1 < len(kids) and not _is_vocative(kids[k]) and _next_measures_safeguards(kids, roles, k):
            roles[k] = "safeguards"
    for c, r in zip(kids, roles, strict=True):
        out[c.id] = r
        _inside(c, r, out)


def _next_measures_safeguards(kids: tuple[Node, ...], roles: list[Role], k: int) -> bool:
    """True when every sibling after ``k`` up to the next vocative or numbered node is safeguards."""
    for m in range(k + 1, len(kids)):
        if _is_vocative(kids[m]) or kids[m].label:
            return True
        if roles[m] != "safeguards":
            return False
    return True


# --- pass 3: ends -------------------------------------------------------------------------------


def _ends(doc: Document, out: dict[str, Role]) -> None:
    """Back matter after the body, the closing call, and vocatives taking the role of what follows."""
    order = [n for n in doc.nodes()]
    body = [n for n in order if n.kind != "front"]
    # back matter: attachments and everything after; signature lines at the very end
    for k, n in enumerate(body):
        if not n.label and BACK.match(n.text) and k >= len(body) // 2:
            for m in body[k:]:
                out[m.id] = "back"
            body = body[:k]
            break
    while body and not body[-1].label and not body[-1].children and (
            DATE_LINE.match(body[-1].text) or (len(body[-1].text) <= HEADING_MAX and not _PUNCT.search(body[-1].text)
                                               and ISSUER_LINE.search(body[-1].text))):
        out[body[-1].id] = "back"
        body.pop()
    # closing: from the last vocative near the end, or a last paragraph that calls to action
    leaves = [n for n in body if not n.children]
    if leaves and not leaves[-1].label:
        start = None
        for k in range(len(leaves) - 1, max(-1, len(leaves) - 1 - CLOSING_WINDOW), -1):
            if leaves[k].label:
                break
            if VOCATIVE.match(leaves[k].text):
                start = k
                break
        if start is None and CALL.search(leaves[-1].text):
            start = len(leaves) - 1
        if start is not None:
            for n in leaves[start:]:
                out[n.id] = "closing"
    # a vocative alone belongs to what it introduces
    for k, n in enumerate(order):
        if _is_vocative(n) and out.get(n.id) not in ("front", "closing", "back") and k + 1 < len(order):
            out[n.id] = out[order[k + 1].id]


TERM_HEADING = re.compile("[“\"‘](?:[一二三四五六七八九十]{1,3})五[”\"’]|五年(?:计划|规划)|五个五年|规划纲要|计划纲要|"
                          "今后五年|未来五年")
"""Heading words of a term plan: a five-year plan by its name (``“十四五”时期主要目标任务``,
``关于《…第十一个五年规划纲要（草案）》``) or its period (今后五年). Its targets and tasks are the term's,
set once; the next year's report does not repeat them."""

YEAR_HEADING = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年|今年|本年度")
"""Heading words of the year's own plan (``2021年重点工作``, ``对今年政府工作的建议``)."""


def term_parts(doc: Document) -> frozenset[str]:
    """Ids of the top-level plan parts that set a term's plan (``TERM_HEADING``) in a document that also
    has a part for the year's own plan (``YEAR_HEADING``, or a plan part naming no term).

    The report that opens a five-year plan (2006, 2011, 2016, 2021) states the term's targets and tasks
    in a part of their own beside the year's tasks; the next year's report carries the year's tasks on and
    does not restate the term's. Measured as content, the term's items (``全面推进乡村振兴``) resemble the
    year's measures on the same topics, so the aligner keeps them apart as it keeps the review apart
    (``align.compartment``). A document that is all about a term (a five-year plan report, a congress
    report) has no year's part beside it: nothing is set apart there."""
    parts = [n for n in doc.root.children if n.kind in ("part", "section") and n.role in PLAN_ROLES]
    term = [n for n in parts if TERM_HEADING.search(n.title.translate(TRADITIONAL))]
    year = [n for n in parts if n not in term]
    if not term or not year or not any(YEAR_HEADING.search(n.title.translate(TRADITIONAL)) for n in year):
        return frozenset()
    return frozenset(n.id for n in term)


# --- API ----------------------------------------------------------------------------------------


def roles(doc: Document) -> dict[str, Role]:
    """Every node id of ``doc`` → its role, from the cues alone (no overrides)."""
    out = _top_level(doc.root.children)
    for n in doc.root.children:
        _inside(n, out[n.id], out)
    _ends(doc, out)
    return out


def _resolve(doc: Document, key: str) -> Node:
    """The node an override names: by id, by locator (``二（三）``), or by a top-level part's label."""
    nodes = list(doc.nodes())
    for n in nodes:
        if n.id == key:
            return n
    table = locators(doc)
    by_locator = [n for n in nodes if table.get(n.id) == key]
    if len(by_locator) == 1:
        return by_locator[0]
    by_label = [n for n in doc.root.children if n.label and (n.label == key or n.label.rstrip("、.．") == key)]
    if len(by_label) == 1:
        return by_label[0]
    if len(by_label) > 1 or len(by_locator) > 1:
        ids = ", ".join(n.id for n in (by_label or by_locator))
        raise OptionsError(f"role override {key!r} names several nodes ({ids}); name one by its id "
                           "(from `policydiff show`)")
    raise OptionsError(f"role override {key!r}: no node has this id, locator or top-level label; see "
                       "`policydiff show` for ids and labels")


def annotate(doc: Document, overrides: Mapping[str, Role] | None = None) -> Document:
    """``doc`` with every node's ``role`` set (see ``docs/anatomy.md``).

    Args:
        doc: a parsed document (roles already set are recomputed).
        overrides: node → role, the node named by id (``4.2``), locator (``二（三）``) or, for a
            top-level part, label (``三、``); the role applies to the node and all its descendants,
            later keys over earlier ones and a descendant's key over its ancestor's.

    Raises:
        OptionsError: a key names no node (or several), or a role is not one of ``model.ROLES``.

    >>> from policydiff.structure import parse
    >>> doc = annotate(parse("一、2022年工作回顾\\n去年经济增长了3%。\\n二、2023年重点工作\\n要稳定就业。\\n"))
    >>> [(n.id, n.role) for n in doc.nodes()]
    [('1', 'review'), ('1.1', 'review'), ('2', 'tasks'), ('2.1', 'tasks')]
    """
    table = roles(doc)
    if overrides:
        targets: list[tuple[Node, Role]] = []
        for key, role in overrides.items():
            if role not in ROLES:
                raise OptionsError(f"role override {key}={role!r}: the role must be one of {', '.join(ROLES)}")
            targets.append((_resolve(doc, key), role))
        targets.sort(key=lambda t: t[0].id.count("."))  # ancestors first, so a child's key wins
        for node, role in targets:
            for d in node.walk():
                table[d.id] = role

    def rebuild(n: Node, term: bool) -> Node:
        kids = tuple(rebuild(c, term) for c in n.children)
        return attrs.evolve(n, role=table.get(n.id), term=term, children=kids)

    def with_roles(term: frozenset[str]) -> Document:
        root = attrs.evolve(doc.root, children=tuple(rebuild(c, c.id in term) for c in doc.root.children))
        return attrs.evolve(doc, root=root)

    return with_roles(term_parts(with_roles(frozenset())))
