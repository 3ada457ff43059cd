"""Property tests: the parser never fails on any text, and comparison recovers known edits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import policydiff
from conftest import SAMPLES, assert_coverage
from policydiff.compare import compare
from policydiff.sources import read_bytes

LABELS = ["一、", "二、", "（一）", "(二)", "1.", "2、", "３．", "（1）", "(2)", "①", "第一部分", "第二章", "第三条",
          "——", "各位代表！", "2021年1月29日", "索引号:", "发文字号：", "-", "“", "”", "《", "》", "。", "；", "，",
          "\n", "\n\n", " ", "\u3000", "\u200b", "\r\n", "强化党建引领工作。", "推进", "教育", "印发给你们"]

texty = st.lists(st.one_of(st.sampled_from(LABELS), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), texty))
def test_any_text_parses_and_loses_nothing(text: str) -> None:
    doc = policydiff.parse(text)
    assert_coverage(doc)


CJK = st.text(alphabet=st.sampled_from(list("一二三四五六七八九十、（）()。，；：“”《》教育推进加强工作学校123456789.\n 　")),
              min_size=1, max_size=200)


@settings(max_examples=100, deadline=None)
@given(CJK)
def test_reencoding_gives_the_same_tree(text: str) -> None:
    if not text.strip():
        return
    want = [(n.kind, n.label, n.title, n.body) for n in policydiff.parse(text).nodes()]
    for codec in ("gb18030", "utf-16"):
        src = read_bytes(text.encode(codec), f"x.{codec}")
        assert src.text == text
        got = [(n.kind, n.label, n.title, n.body) for n in policydiff.parse(src.text).nodes()]
        assert got == want


def test_corpus_reencoded_gives_same_tree(corpora: Path) -> None:
    path = corpora / "haining-education" / "2021.txt"
    text = path.read_text(encoding="utf-8")
    want = [(n.kind, n.label, n.title, n.body, n.span) for n in policydiff.parse(text).nodes()]
    for codec in ("gb18030", "utf-16"):
        src = read_bytes(text.encode(codec), "x")
        got = [(n.kind, n.label, n.title, n.body, n.span) for n in policydiff.parse(src.text).nodes()]
        assert got == want


# --- synthetic next-year variants ----------------------------------------------------------------

NEW_MEASURES = [
    "实施乡村小规模学校振兴计划。为每所小规模学校配备音体美专职教师，建设共享课堂。开展城乡同步课堂直播。",
    "推进人工智能教育普及。在中小学开设人工智能课程，建设编程实验室。组织机器人竞赛和创客嘉年华。",
    "建设书香校园。开展师生共读活动，每年更新图书馆藏书。评选阅读之星和书香班级。",
    "加强校园食品安全。落实校长陪餐制度，推进明厨亮灶全覆盖。开展食堂食材溯源检查。",
    "关爱留守儿童成长。建立留守儿童档案，开展结对帮扶。组织亲情视频通话和暑期托管服务。",
]
NEW_SENTENCES = ["组织开展海洋科普研学旅行活动。", "建立退休教师银龄讲学志愿服务队。", "设立青少年围棋俱乐部并定期举办联赛。"]


def _measures(text: str) -> list[list[str]]:
    """Parts of the Haining-style text: each a list whose first line is the heading, then measure lines."""
    parts: list[list[str]] = []
    for line in text.split("\n"):
        if re.match(r"^[一二三四五六七八九十]+、", line):
            parts.append([line])
        elif parts and re.match(r"^\d+\.", line):
            parts[-1].append(re.sub(r"^\d+\.", "", line))
    return parts


def _sentences(body: str) -> list[str]:
    return [s for s in re.findall(r"[^。]*。", body) if s]


edits = st.lists(st.tuples(st.sampled_from(["remove", "add", "reword", "move", "split", "merge", "condense",
                                            "demote"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
@example([("remove", 1, 128), ("add", 0, 0), ("add", 0, 0)])  # a dropped and a new measure named apart
@example([("remove", 1, 0), ("reword", 1, 0)])  # 德育 dropped beside a reworded 体育美育 that shares its topic words
@example([("remove", 0, 0), ("add", 0, 0)])  # a new measure in a dropped one's slot is not a rewording
@example([("split", 1, 2), ("merge", 3, 0), ("move", 2, 5), ("reword", 4, 1)])
@example([("condense", 1, 0), ("demote", 3, 0)])  # an end-of-term year: measures summarised, a part folded
@example([("remove", 0, 0), ("remove", 0, 0)])  # a part that lost two of three measures was not condensed
@example([("remove", 64, 0), ("remove", 124, 0), ("reword", 2444, 0)])  # … nor one that lost two, reworded one
@example([("remove", 0, 0), ("remove", 0, 0), ("remove", 0, 0), ("demote", 0, 0)])  # … nor the next part folded in
def test_comparison_recovers_known_edits(ops: list[tuple[str, int, int]]) -> None:
    _recovers(ops)


@pytest.mark.xfail(strict=True, reason="a measure removed next to measures condensed into one summary joins the "
                                       "summary when it shares genre words with it (docs/alignment.md, limits)")
@pytest.mark.parametrize("ops", [[("condense", 1, 440), ("remove", 1, 116)], [("remove", 1, 1), ("condense", 1, 0)],
                                 [("condense", 1, 98), ("remove", 1, 200)],  # found by a random run in round 3
                                 [("remove", 1, 0), ("demote", 0, 0)]])  # … and a folded part (round 3, stop 2)
def test_removed_neighbour_of_a_condensed_group(ops: list[tuple[str, int, int]]) -> None:
    _recovers(ops)


@pytest.mark.parametrize("ops", [[("remove", 1, 2), ("add", 1, 0), ("add", 1, 493)]])
def test_new_measure_in_a_removed_ones_slot(ops: list[tuple[str, int, int]]) -> None:
    _recovers(ops)


def _recovers(ops: list[tuple[str, int, int]]) -> None:
    text = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8")
    head = text.split("\n一、")[0]
    parts = _measures(text)
    # each new measure: (text, set of old indices, expected kind)
    flat: list[tuple[int, str]] = []
    for p in parts:
        for m in p[1:]:
            flat.append((len(flat), m))
    layout: list[list[tuple[str, frozenset[int], str]]] = [
        [(m, frozenset({i}), "unchanged") for i, m in flat if m in p[1:]] for p in parts]
    used_new = 0
    reworded: dict[int, tuple[str, str]] = {}
    demoted: set[int] = set()
    for op, x, y in ops:
        if op == "demote":  # a whole part becomes one measure of the part before it: a section condensed
            at = 1 + x % (len(layout) - 1)
            if at in demoted or (at - 1) in demoted or not layout[at] \
                    or any(kind != "unchanged" or len(src) != 1 for _, src, kind in layout[at]):
                continue
            heading = re.sub(r"^[一二三四五六七八九十]+、", "", parts[at][0]).split("，")[0]
            clauses = "；".join(_sentences(m)[0][:-1] for m, _, _ in layout[at])
            layout[at - 1].append((f"{heading}。{clauses}。", frozenset().union(*(s for _, s, _ in layout[at])),
                                   "condensed"))
            layout[at] = []
            demoted.add(at)
            continue
        part = layout[x % len(layout)]
        plain = [k for k, (_, src, kind) in enumerate(part) if kind == "unchanged" and len(src) == 1]
        if op == "add" and used_new < len(NEW_MEASURES):
            part.insert(y % (len(part) + 1), (NEW_MEASURES[used_new], frozenset(), "added"))
            used_new += 1
        if not plain:
            continue
        k = plain[y % len(plain)]
        m, src, _ = part[k]
        sents = _sentences(m)
        if op == "remove":
            del part[k]
        elif op == "reword" and len(sents) >= 3:
            dropped = sents[1]
            added = NEW_SENTENCES[y % len(NEW_SENTENCES)]
            part[k] = ("".join([s for s in sents if s != dropped] + [added]), src, "reworded")
            reworded[next(iter(src))] = (dropped, added)
        elif op == "move":
            del part[k]
            target = layout[(x + 1 + y % (len(layout) - 1)) % len(layout)]
            target.insert(y % (len(target) + 1), (m, src, "moved"))
        elif op == "split" and len(sents) >= 4:
            half = len(sents) // 2
            part[k] = ("".join(sents[:half]), src, "split")
            part.insert(k + 1, ("深化" + sents[0][2:-1] + "后续工作。" + "".join(sents[half:]), src, "split"))
        elif op == "condense":  # three neighbours summarised in one short measure, a clause of each
            group = [j for j in plain if j >= k][:3]
            if len(group) == 3:
                items = [part[j] for j in group]
                titles = "、".join(_sentences(mm)[0][:-1] for mm, _, _ in items)
                clauses = "；".join(_sentences(mm)[1].split("，")[0].rstrip("。") for mm, _, _ in items
                                   if len(_sentences(mm)) > 1)
                part[group[0]] = (f"统筹推进{titles}。{clauses}。", frozenset().union(*(s for _, s, _ in items)),
                                  "condensed")
                for j in reversed(group[1:]):
                    del part[j]
        elif op == "merge":
            nxt = [j for j in plain if j > k]
            if nxt:
                j = nxt[0]
                m2, src2, _ = part[j]
                part[k] = (m + "".join(_sentences(m2)[1:]), src | src2, "merged")
                del part[j]
    lines = [head]
    n = 0
    expected: list[tuple[frozenset[int], str]] = []
    for at, (p, original) in enumerate(zip(layout, parts, strict=True)):
        if at in demoted:
            continue
        lines.append(original[0])
        for m, src, kind in p:
            n += 1
            lines.append(f"{n}.{m}")
            expected.append((src, kind))
    old = policydiff.parse(text)
    new = policydiff.parse("\n".join(lines) + "\n")
    cmp = compare(old, new)
    old_idx = {node.id: i for i, node in enumerate(x for x in old.nodes() if x.kind == "measure")}
    new_idx = {node.id: j for j, node in enumerate(x for x in new.nodes() if x.kind == "measure")}
    want = {(i, j) for j, (src, _) in enumerate(expected) for i in src}
    got = {(old_idx[a.id], new_idx[b.id]) for c in cmp.changes for a in c.old for b in c.new
           if a.id in old_idx and b.id in new_idx}
    tp = len(want & got)
    f1 = 2 * tp / (len(want) + len(got)) if want or got else 1.0
    assert f1 >= 0.98, (ops, sorted(want - got), sorted(got - want))
    kinds = {}
    for c in cmp.changes:
        for b in c.new:
            if b.id in new_idx:
                kinds[new_idx[b.id]] = ("moved" if c.moved and c.kind == "unchanged" else c.kind)
    right = sum(1 for j, (_, kind) in enumerate(expected) if kinds.get(j) == kind or
                (kind == "moved" and kinds.get(j) in ("moved", "reworded")) or
                (kind == "condensed" and kinds.get(j) == "merged"))  # the length rule names many → one
    assert right >= 0.95 * len(expected), (ops, [(j, k, kinds.get(j)) for j, (_, k) in enumerate(expected)
                                                 if kinds.get(j) != k])
    for i, (dropped, added) in reworded.items():
        change = next(c for c in cmp.changes for a in c.old if old_idx.get(a.id) == i)
        removed = [cc.old.text for cc in change.commitments if cc.kind == "removed" and cc.old]
        new_sents = [cc.new.text for cc in change.commitments if cc.kind == "added" and cc.new]
        assert dropped in removed and added in new_sents


@pytest.mark.parametrize("codec", ["gb18030", "utf-16"])
def test_sample_reencoded(codec: str) -> None:
    text = (SAMPLES / "sample-2023.txt").read_text(encoding="utf-8")
    assert read_bytes(text.encode(codec), "x").text == text
