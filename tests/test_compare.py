"""Alignment and comparison: the gold pair, invariants, symmetry, numbers and synthetic edits."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import policydiff
import policydiff.text
from conftest import SAMPLES
from policydiff import OptionsError
from policydiff.align import AlignOptions
from policydiff.cli import main
from policydiff.compare import CompareOptions, compare
from policydiff.model import Comparison, Document
from policydiff.render.json import render_comparison


def assert_every_node_once(cmp: Comparison) -> None:
    old_ids = Counter(n.id for c in cmp.changes for n in c.old)
    new_ids = Counter(n.id for c in cmp.changes for n in c.new)
    assert old_ids == Counter(n.id for n in cmp.old.nodes())
    assert new_ids == Counter(n.id for n in cmp.new.nodes())


def test_self_comparison_is_all_unchanged(corpora: Path) -> None:
    path = corpora / "haining-education" / "2021.txt"
    doc = policydiff.read(path)
    cmp = compare(doc, doc)
    assert {c.kind for c in cmp.changes} == {"unchanged"}
    assert not any(c.moved for c in cmp.changes)
    assert_every_node_once(cmp)
    assert main(["diff", str(path), str(path), "--format", "json", "-o", "/dev/null"]) == 0


_FLIP = str.maketrans({"，": ",", ",": "，", "；": ";", ";": "；", "（": "(", "(": "（", "）": ")", ")": "）",
                       "：": ":", ":": "：", "1": "１", "2": "２"})


def test_flipped_punctuation_width_is_unchanged(corpora: Path) -> None:
    text = (corpora / "haining-education" / "2021.txt").read_text(encoding="utf-8")
    a, b = policydiff.parse(text), policydiff.parse(text.translate(_FLIP))
    cmp = compare(a, b)
    assert {c.kind for c in cmp.changes} == {"unchanged"}, [c.new[0].text[:30] for c in cmp.changes
                                                           if c.kind != "unchanged"]


def test_renumbering_alone_is_not_a_change() -> None:
    a = policydiff.parse("一、甲\n1.强化党建引领工作。坚持党的领导。\n2.加强督导。完善制度。\n")
    b = policydiff.parse("一、甲\n3.强化党建引领工作。坚持党的领导。\n4.加强督导。完善制度。\n")
    cmp = compare(a, b)
    assert {c.kind for c in cmp.changes} == {"unchanged"}
    assert not cmp.changed


def test_numbers_target_change() -> None:
    a = policydiff.parse("一、学前\n1.推进等级幼儿园创建。创建一级园3所、二级园9所，扩大优质园覆盖面。\n")
    b = policydiff.parse("一、学前\n1.推进等级幼儿园创建。创建一级园5所、二级园9所，扩大优质园覆盖面。\n")
    cmp = compare(a, b)
    measure = next(c for c in cmp.changes if c.level == "measure")
    assert measure.kind == "reworded"
    assert [(n.old, n.new, n.subject) for n in measure.numbers] == [("3所", "5所", "一级园")]  # issue 8: the object counted, not the verb


def test_sample_pair_changes() -> None:
    a, b = policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt")
    cmp = compare(a, b)
    assert_every_node_once(cmp)
    by_title = {(c.new or c.old)[0].title: c for c in cmp.changes if c.level == "measure"}
    assert by_title["推进师德师风建设。"].moved and by_title["推进师德师风建设。"].kind == "unchanged"
    assert by_title["推进教育数字化转型。"].moved
    assert by_title["加强体育美育和劳动教育。"].kind == "merged"
    assert by_title["规范校外培训治理。"].kind == "removed"
    assert by_title["推进科学教育。"].kind == "added"
    renumbered = by_title["加强教育科研工作。"]  # 9. → 8. with 20项 → 25项
    assert [(n.old, n.new) for n in renumbered.numbers] == [("20项", "25项")]
    assert not renumbered.moved
    assert "“强教兴县”" in [t.text for t in cmp.terms.added] and "“双减”" in [t.text for t in cmp.terms.removed]
    assert ("发文字号", "青教〔2022〕2号", "青教〔2023〕1号") in cmp.metadata_changes


def _mirror(kind: str) -> str:
    return {"added": "removed", "removed": "added", "split": "merged", "merged": "split", "condensed": "split"}.get(
        kind, kind)


@pytest.mark.parametrize("pair", [("sample-2022.txt", "sample-2023.txt")])
def test_symmetry_on_samples(pair: tuple[str, str]) -> None:
    a, b = (policydiff.read(SAMPLES / p) for p in pair)
    _assert_symmetric(a, b)


def _assert_symmetric(a: Document, b: Document, tolerance: float = 0.0) -> None:
    fwd, back = compare(a, b), compare(b, a)
    f = {(tuple(n.id for n in c.old), tuple(n.id for n in c.new)): c.kind for c in fwd.changes}
    r = {(tuple(n.id for n in c.new), tuple(n.id for n in c.old)): _mirror(c.kind) for c in back.changes}
    agree = sum(1 for k, v in f.items() if r.get(k) == v)
    assert agree >= (1 - tolerance) * len(f), (len(f), agree, set(f.items()) ^ set(r.items()))


def test_pins_force_a_pair_and_are_validated() -> None:
    a, b = policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt")
    old_id = next(n.id for n in a.nodes() if n.title == "规范校外培训治理。")
    new_id = next(n.id for n in b.nodes() if n.title == "加强家校社协同育人。")
    cmp = compare(a, b, CompareOptions(align=AlignOptions(pins=((old_id, new_id),))))
    pinned = next(c for c in cmp.changes if c.old and c.old[0].id == old_id)
    assert [n.id for n in pinned.new] == [new_id] and pinned.kind == "reworded"
    with pytest.raises(OptionsError):
        compare(a, b, CompareOptions(align=AlignOptions(pins=(("99.9", new_id),))))
    with pytest.raises(OptionsError):
        AlignOptions(min_similarity=1.5)
    assert main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"),
                 "--pin", "99.9=1"]) == 2
    assert main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"),
                 "--pin", "nonsense"]) == 2


def test_json_output_is_document_ordered(corpora: Path) -> None:
    a = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2022.txt")
    data = json.loads(render_comparison(compare(a, b)))
    starts = [c["new"][0]["span"][0] for c in data["changes"] if c["new"]]
    assert starts == sorted(starts)
    for c in data["changes"]:
        for side, doc in (("old", a), ("new", b)):
            for n in c[side]:
                assert policydiff.text.clean(doc.text[n["span"][0]:n["span"][1]]).replace(" ", "") \
                    == n["text"].replace(" ", "")
