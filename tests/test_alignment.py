"""Alignment against hand-made golds, golden cases read by a person, and the evidence every fate carries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import TypeVar

import pytest

import policydiff
from policydiff.cli import main
from policydiff.compare import compare
from policydiff.model import Comparison, Node

T = TypeVar("T")

CASES = Path(__file__).parent / "cases"
PAIRS = {"2021-2022": 0.90, "2012-2013": 0.90}
"""Gold → least pair F1: a floor that catches a collapse, not today's decimals (`make eval` prints those for
every gold; `docs/alignment.md` has the table). Tuning to the development golds' decimals is what the
round-3 alignment issue asks us to stop doing."""


def _score(shared: Path, corpora: Path, pair: str, tmp_path: Path) -> dict[str, float]:
    a, b = pair.split("-")
    old, new = corpora / "gov-work-report" / f"{a}.txt", corpora / "gov-work-report" / f"{b}.txt"
    pred = tmp_path / "pred.json"
    assert main(["diff", str(old), str(new), "--format", "json", "-o", str(pred)]) == 1
    result = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "gold" / f"gwr-{pair}.json"),
                             str(old), str(new), str(pred)], capture_output=True, text=True, check=True)
    print(result.stdout)
    removed = re.search(r"removed: P \S+ R \S+ F1 (\S+)", result.stdout)
    added = re.search(r"added: P \S+ R \S+ F1 (\S+)", result.stdout)
    pair_f1 = re.search(r"pair P \S+ R \S+ F1 (\S+)", result.stdout)
    assert removed and added and pair_f1, result.stdout
    return {"pair": float(pair_f1[1]), "removed": float(removed[1]), "added": float(added[1])}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_shared_gold(pair: str, shared: Path, corpora: Path, tmp_path: Path) -> None:
    got = _score(shared, corpora, pair, tmp_path)
    assert got["pair"] >= PAIRS[pair], got


def _mirror_ok(kind: str, back: str) -> bool:
    mirror = {"added": {"removed"}, "removed": {"added"}, "split": {"merged", "condensed"}, "merged": {"split"},
              "condensed": {"split"}}
    return back in mirror.get(kind, {kind})


@pytest.mark.parametrize("pair", ["2012-2013", "2021-2022"])
def test_symmetry_on_shared_pairs(pair: str, corpora: Path) -> None:
    a, b = (policydiff.read(corpora / "gov-work-report" / f"{y}.txt") for y in pair.split("-"))
    fwd, back = compare(a, b), compare(b, a)
    f = {(tuple(n.id for n in c.old), tuple(n.id for n in c.new)): c.kind for c in fwd.changes}
    r = {(tuple(n.id for n in c.new), tuple(n.id for n in c.old)): c.kind for c in back.changes}
    agree = sum(1 for k, v in f.items() if k in r and _mirror_ok(v, r[k]))
    assert agree >= 0.97 * len(f), (len(f), agree)


def _evidence_and_nearest(cmp: Comparison) -> None:
    for c in cmp.changes:
        if c.kind == "removed" or c.kind == "added":
            assert c.nearest is not None, c
            if c.nearest.id is None:
                assert c.nearest.reason == "no candidate"
            else:
                side = cmp.new if c.kind == "removed" else cmp.old
                assert side.node(c.nearest.id)  # a real node of the other document
        if c.kind in ("merged", "condensed"):
            linked = {x.old_id for x in c.evidence}
            members = {n.id for n in c.old if n.sentences and n.kind not in ("part", "section")}
            assert members <= linked, (c.kind, members - linked)
        for x in c.evidence:
            assert x.old_id in {n.id for n in c.old} and x.new_id in {n.id for n in c.new}
            assert 0 <= x.score <= 1.0001


@pytest.mark.parametrize("pair", ["2012-2013", "2021-2022"])
def test_every_fate_is_explained(pair: str, corpora: Path) -> None:
    a, b = (policydiff.read(corpora / "gov-work-report" / f"{y}.txt") for y in pair.split("-"))
    cmp = compare(a, b)
    _evidence_and_nearest(cmp)
    kinds = {c.kind for c in cmp.changes}
    assert "condensed" in kinds or "merged" in kinds


def test_moved_to_points_where_the_content_is(corpora: Path) -> None:
    a = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2022.txt")
    cmp = compare(a, b)
    moved = [(c, cc) for c in cmp.changes for cc in c.commitments if cc.moved_to]
    assert moved
    for c, cc in moved:
        assert cc.kind == "removed" and cc.old is not None
        target = b.node(cc.moved_to or "")
        assert target.id not in {n.id for n in c.new}
        assert target.sentences


# --- golden cases: tests/cases/<name>/{old.txt,new.txt,expected.json} -----------------------------------


def _ref(n: Node) -> str:
    return n.label + (n.title or n.body[:12])


def _summary(cmp: Comparison) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for c in cmp.changes:
        if c.level == "front":
            continue
        e: dict[str, object] = {"kind": c.kind, "moved": c.moved, "old": [_ref(n) for n in c.old],
                                "new": [_ref(n) for n in c.new]}
        to = {cc.old.text[:14]: cmp.new.node(cc.moved_to).label for cc in c.commitments if cc.moved_to and cc.old}
        frm = {cc.new.text[:14]: cmp.old.node(cc.moved_from).label for cc in c.commitments
               if cc.moved_from and cc.new}
        if to:
            e["moved_to"] = to
        if frm:
            e["moved_from"] = frm
        out.append(e)
    return out


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str) -> None:
    folder = CASES / case
    expected = folder / "expected.json"
    assert expected.exists(), f"{expected} is missing: write it by reading old.txt and new.txt"
    cmp = compare(policydiff.read(folder / "old.txt"), policydiff.read(folder / "new.txt"))
    want = json.loads(expected.read_text(encoding="utf-8"))["changes"]
    assert _summary(cmp) == want
    _evidence_and_nearest(cmp)


def test_container_part_is_not_one_of_the_parts_it_holds() -> None:
    """The plan shifted a level (2002 → 2003): last year's parts 一…三 are this year's sections （一）…（三）
    under one part 二 that last year has not. Part 三 shares its words with the container's heading and
    its measures went under it, but pairing them would make the container of （一）, （二） the partner of
    their sibling: the trees' ancestry forbids it, and 三 pairs with （三）."""
    old = policydiff.parse(
        "一、2021年工作回顾\n去年经济增长了8%。\n"
        "一、扩大国内需求\n1.扩大有效投资。今年拟安排中央预算内投资6100亿元，重点支持交通水利项目。\n"
        "二、推进乡村振兴\n2.稳定粮食生产。稳定粮食播种面积，确保粮食产量保持在1.3万亿斤以上。\n"
        "三、对今年政府工作的建议和加强政府建设\n3.加强政府自身建设。坚持依法行政，推进政务公开，持续整治形式主义官僚主义。\n")
    new = policydiff.parse(
        "一、2022年工作回顾\n去年经济增长了3%。\n"
        "二、对今年政府工作的建议\n（一）扩大国内需求\n1.扩大有效投资。今年拟安排中央预算内投资6800亿元，重点支持交通水利项目。\n"
        "（二）推进乡村振兴\n2.稳定粮食生产。稳定粮食播种面积，确保粮食产量保持在1.3万亿斤以上。\n"
        "（三）加强政府建设\n3.加强政府自身建设。坚持依法行政，推进政务公开，持续整治形式主义官僚主义。\n")
    partner = {o.id: tuple(n.id for n in c.new) for c in policydiff.compare(old, new).changes for o in c.old}
    assert partner["4"] == ("2.3",), partner
    assert partner["2"] == ("2.1",) and partner["3"] == ("2.2",), partner


def _groups(old: str, new: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Old node id → (kind, new node ids of its change)."""
    cmp = policydiff.compare(policydiff.parse(old), policydiff.parse(new))
    return {o.id: (c.kind, tuple(n.id for n in c.new)) for c in cmp.changes for o in c.old}


_REVIEW = "一、{}年工作回顾\n去年经济增长了{}%，生态环境持续改善。\n"
_TRADE = ("推动外贸稳定增长。加快培育外贸竞争新优势，扩大跨境电子商务试点。\n"
          "提高利用外资水平。推进服务业扩大开放，放宽外资准入限制。\n")


def test_a_measure_left_out_of_a_condensed_section_was_condensed_into_it() -> None:
    """An end-of-term year writes a section of six measures as one paragraph. 加强生物多样性保护 survives there
    only as a few words (生态), too few for a clause of its own: it was condensed, not dropped. In a section
    of the same size (加强社会建设: three measures each year) a measure that is gone stays removed, and is
    not glued to its heading's few words either (加强社区工作者队伍建设 is not 加强社会建设)."""
    social = ("（二）加强社会建设\n稳定和扩大就业。落实就业优先政策，城镇新增就业一千一百万人以上。\n"
              "办好人民满意的教育。促进义务教育优质均衡发展，改善农村办学条件。\n")
    old = (_REVIEW.format(2021, 8) + "二、2022年重点工作\n（一）持续改善生态环境\n"
           "深入打好污染防治攻坚战。强化大气污染综合治理，细颗粒物浓度继续下降。\n"
           "加强流域水环境治理。推进长江黄河等重点流域综合治理，消除城市黑臭水体。\n"
           "推进土壤污染防治。开展农用地土壤污染状况调查，严格建设用地准入管理。\n"
           "加快发展绿色产业。支持节能环保装备制造，培育壮大循环经济。\n"
           "持续开展国土绿化行动。科学推进荒漠化石漠化治理，新增造林面积一亿亩。\n"
           "加强生物多样性保护。实施重要生态系统保护和修复重大工程，建设以国家公园为主体的自然保护地体系。\n"
           + social + "推进基层社会治理。健全城乡社区治理体系，加强社区工作者队伍建设。\n")
    new = (_REVIEW.format(2022, 3) + "二、2023年重点工作\n（一）持续改善生态环境\n"
           "深入打好污染防治攻坚战，强化大气污染综合治理，推进重点流域综合治理，加强土壤污染源头防控，"
           "发展循环经济，科学开展国土绿化。\n"
           + social + "健全养老服务体系。发展社区养老服务，推进医养结合。\n")
    groups = _groups(old, new)
    assert groups["2.1.6"] == ("condensed", ("2.1.1",)), groups
    assert groups["2.2.3"] == ("removed", ()), groups
    assert groups["2.2"] == ("unchanged", ("2.2",)), groups


def test_sections_regrouped_into_parts_follow_the_part_that_names_them() -> None:
    """2015 regroups 2014's sections into parts: 三、把改革开放扎实推向纵深 holds the measures of （一）深化改革
    and （二）对外开放. The one-to-one heading assignment leaves （二） out; its measures all went under the
    part, whose heading names it (开放), so it joins. （三）保障和改善民生 and 三、持续推进民生改善, both
    left alone, each hold the other's measures: they pair."""
    old = ("一、2014年工作回顾\n去年经济增长了7.7%。\n二、2014年重点工作\n（一）深化经济体制改革\n"
           "深化行政审批制度改革。今年再取消和下放行政审批事项二百项以上。\n"
           "推进财税体制改革。实行全口径预算管理，完善地方政府债务管理。\n"
           "（二）开创高水平对外开放新局面\n" + _TRADE +
           "（三）保障和改善民生\n稳定和扩大就业。城镇新增就业一千万人以上。\n"
           "提高医疗卫生服务水平。推进城乡居民大病保险，深化公立医院改革。\n")
    new = ("一、2015年工作回顾\n去年经济增长了7.4%。\n二、把改革开放扎实推向纵深\n"
           "深化行政审批制度改革。今年再取消和下放一批行政审批事项，全部取消非行政许可审批。\n"
           "推进财税体制改革。实行全面规范、公开透明的预算制度，完善地方政府债务管理。\n"
           "推动外贸稳定增长。加快培育外贸竞争新优势，扩大跨境电子商务综合试点。\n"
           "提高利用外资水平。推进服务业扩大开放，大幅放宽外资准入限制。\n"
           "三、持续推进民生改善\n稳定和扩大就业。城镇新增就业一千万人以上。\n"
           "提高医疗卫生服务水平。全面实施城乡居民大病保险，深化公立医院综合改革。\n")
    groups = _groups(old, new)
    assert groups["2.2"][1] == ("2",), groups
    assert groups["2.3"][1] == ("3",), groups
    assert groups["2.1.1"][1] == ("2.1",), groups


def test_a_section_moved_into_a_sibling_at_the_same_depth_is_not_regrouped() -> None:
    """At the same depth, a section whose measures went into a neighbouring section was dropped as a
    heading (2022's （二）着力稳市场主体保就业 took 2021's macro-policy measures and is a new heading)."""
    old = (_REVIEW.format(2021, 8) + "二、2022年重点工作\n（一）扩大国内需求\n"
           "推动消费持续恢复。多渠道增加城乡居民收入，促进汽车家电等大宗消费。\n"
           "积极扩大有效投资。今年拟安排地方政府专项债券三万亿元，重点支持交通水利项目。\n"
           "（二）扩大对外开放\n" + _TRADE)
    new = (_REVIEW.format(2022, 3) + "二、2023年重点工作\n（一）着力扩大国内需求和对外开放\n"
           "推动消费持续恢复。多渠道增加城乡居民收入，促进汽车家电等大宗消费。\n"
           "积极扩大有效投资。今年拟安排地方政府专项债券三万八千亿元，重点支持交通水利项目。\n" + _TRADE)
    groups = _groups(old, new)
    assert groups["2.2.1"][1] == ("2.1.3",), groups
    assert groups["2.2"] == ("removed", ()), groups


def _partners(corpora: Path, a: str, b: str) -> tuple[dict[str, tuple[str, list[str]]], dict[str, str]]:
    """Old node text → (kind, the new nodes' ids) and new node text → id; texts are label, title and body."""
    new = policydiff.read(corpora / "gov-work-report" / f"{b}.txt")
    cmp = compare(policydiff.read(corpora / "gov-work-report" / f"{a}.txt"), new)
    ids = {n.label + n.title + n.body: n.id for n in new.nodes()}
    return {o.label + o.title + o.body: (c.kind, [n.id for n in c.new]) for c in cmp.changes for o in c.old}, ids


def _starting(texts: dict[str, T], start: str) -> T:
    (found,) = [v for k, v in texts.items() if k.startswith(start)]
    return found


def test_condensed_and_regrouped_sections_on_real_pairs(corpora: Path) -> None:
    """2003 sums up 2002's part on the government's conduct (七、…加强政风建设: 22 paragraphs) in three of
    （八）切实加强政府自身建设, so 二要努力节省开支 is condensed into one of them; 2015 regroups 2014's
    sections into parts, 三、把改革开放扎实推向纵深 holding （二）开创高水平对外开放新局面."""
    p, ids = _partners(corpora, "2002", "2003")
    kind, into = _starting(p, "二要努力节省开支")
    section = _starting(ids, "（八）切实加强政府自身建设")
    assert kind != "removed" and into and all(n.startswith(section + ".") for n in into), (kind, into, section)
    p, ids = _partners(corpora, "2014", "2015")
    assert _starting(ids, "三、把改革开放扎实推向纵深") in _starting(p, "（二）开创高水平对外开放")[1]


def test_a_new_measure_alone_in_a_shortened_section_is_no_summary() -> None:
    """A section shortened to less than half that kept one measure and gained two new ones: a new measure
    alone there is added, not the rewording of a removed one it shares a word (发展) with (the review of
    the condensed-sections step found two lone nodes paired on any shared bigram)."""
    head = "政府工作报告\n各位代表：\n一、推进乡村全面振兴\n坚持农业农村优先发展，全面推进乡村振兴，稳定粮食播种面积，加强高标准农田建设。\n"
    tail = "二、加强生态环境保护\n持续打好蓝天保卫战，加强细颗粒物和臭氧协同控制，推进重点行业超低排放改造。\n"
    old = head + ("加强农村基础设施建设，推进农村公路改造，实施农村供水保障工程。\n"
                  "深化农村改革，稳妥推进农村宅基地制度改革试点，发展新型农村集体经济。\n"
                  "大力发展乡村特色产业，培育家庭农场和农民合作社，拓宽农民增收致富渠道。\n"
                  "改善农村人居环境，开展村庄清洁行动，推进农村厕所革命。\n"
                  "加强农村精神文明建设，推进移风易俗，建设文明乡风。\n") + tail
    new = head + "支持返乡入乡创业，发展县域富民产业。\n完善农村养老服务网络，提高农村低保标准。\n" + tail
    cmp = policydiff.compare(policydiff.parse(old), policydiff.parse(new))
    kind_of_new = {n.body[:6]: c.kind for c in cmp.changes for n in c.new}
    assert kind_of_new["支持返乡入乡"] == "added", kind_of_new


def test_a_run_in_section_and_a_heading_with_its_intro_are_one_slot() -> None:
    """2018 writes （四）坚决打好三大攻坚战。要围绕… as one paragraph, 2019 the heading on a line and its lead
    as the paragraph after it: the lead is the run-in section's body, split off (and the other way, merged)."""
    old = (_REVIEW.format(2018, 6.9) + "二、2019年工作任务\n（一）坚决打好三大攻坚战。要围绕完成年度攻坚任务，明确各方责任，强化"
           "政策保障，把各项工作做实做好。\n" + _TRADE)
    new = (_REVIEW.format(2019, 6.6) + "二、2019年工作任务\n（一）持续打好三大攻坚战\n"
           "绿色发展是构建现代化经济体系的必然要求，是解决污染问题的根本之策。\n" + _TRADE)
    a, b = policydiff.parse(old), policydiff.parse(new)
    groups = _groups(old, new)
    assert groups["2.1"] == ("split", ("2.1", "2.1.1")), groups
    back = {n.id: (c.kind, tuple(o.id for o in c.old)) for c in policydiff.compare(b, a).changes for n in c.new}
    assert back["2.1"] == ("merged", ("2.1", "2.1.1")), back


TITLE_LINES_OLD = """一、加快农业和农村经济发展
发展农业生产力，提高农民购买力，是扩大内需十分重要的方面。
一是扩大退耕还林规模。
两年多试点证明，在中西部一些地方实行退耕还林，既是改善生态环境的重大举措，也是增加农民收入的有效途径。今年要扩大试点范围，落实补助政策，加强苗木供应和质量监管。
二是加大对农业的支持力度。
增加对农业和农村基础设施建设投资，改善生产生活条件和生态环境，支持农业科技推广。
"""
TITLE_LINES_NEW = """一、促进农业和农村经济全面发展
继续把发展农业和农村经济、增加农民收入作为经济工作的重中之重。
继续推进退耕还林，巩固试点成果，落实补助政策，加强苗木供应和质量监管，改善生态环境，增加农民收入。
增加对农业和农村基础设施建设的投入，改善生产生活条件和生态环境，推广农业科技。
二、保持投资较快增长
今年拟发行长期建设国债，加大对农业的支持力度，国债资金重点支持在建项目。
"""


@pytest.mark.parametrize("swap", [False, True])
def test_a_title_line_goes_where_its_body_went(swap: bool) -> None:
    """The reports of 1993–2005 write a measure's title on a line of its own (二是加大对农业的支持力度。) and its
    body after it. The title's few words are in a new paragraph on bonds; its body became 增加对农业和农村基础
    设施建设的投入…, and the title goes there with it. The bond paragraph, paired with nothing else, is new.
    Both directions (the step reads both sides alike)."""
    old, new = policydiff.parse(TITLE_LINES_OLD), policydiff.parse(TITLE_LINES_NEW)
    cmp = compare(new, old) if swap else compare(old, new)
    title_side, body_side = ("new", "old") if swap else ("old", "new")
    with_title = next(c for c in cmp.changes
                      if any(n.body == "二是加大对农业的支持力度。" for n in getattr(c, title_side)))
    assert [n.body[:8] for n in getattr(with_title, title_side)] == ["二是加大对农业的", "增加对农业和农村"]
    assert [n.body[:8] for n in getattr(with_title, body_side)] == ["增加对农业和农村"]
    bonds = next(c for c in cmp.changes if any(n.body.startswith("今年拟发行") for n in getattr(c, body_side)))
    assert not getattr(bonds, title_side)
