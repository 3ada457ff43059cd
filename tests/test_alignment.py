"""Alignment against hand-made golds, golden cases read by a person, and the evidence every fate carries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import policydiff
from policydiff.cli import main
from policydiff.compare import compare
from policydiff.model import Comparison, Node

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
