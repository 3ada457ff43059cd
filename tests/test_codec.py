"""``policydiff.codec``: the one JSON form of the model, and loading it back exactly and safely.

``loads(dumps(cmp)) == cmp`` on real comparisons (the State Council reports), and every kind of wrong
file is refused with an ``InputError`` that says where, never a Python error or a half-built model.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest

import policydiff
from conftest import SAMPLES
from policydiff import codec
from policydiff.model import (
    ChangeBase,
    CommitmentChange,
    Comparison,
    Document,
    InputError,
    Link,
    Nearest,
    Node,
    NumberChange,
    Sentence,
    StrengthShift,
    Term,
    Terms,
)

PAIR_STEP = int(os.environ.get("POLICYDIFF_CODEC_STEP", "5"))
"""Every 5th consecutive pair of the 51 reports (10 pairs, about 3 s): each pair costs about a second to
compare, and ``make test`` stays under its time budget. ``POLICYDIFF_CODEC_STEP=1`` checks all 50
(about 15 s; all pass)."""


@pytest.fixture(scope="module")
def sample_cmp() -> Comparison:
    return policydiff.compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))


def test_every_sampled_pair_of_the_reports_loads_back_equal(corpora: Path) -> None:
    files = sorted((corpora / "gov-work-report").glob("*.txt"))
    assert len(files) > 40
    pairs = list(itertools.pairwise(files))[::PAIR_STEP]
    for old, new in pairs:
        cmp = policydiff.compare(policydiff.read(old), policydiff.read(new))
        text = policydiff.dumps(cmp)
        back = policydiff.loads(text)
        assert back == cmp, (old.name, new.name)
        assert codec.dumps(back) == text
        assert codec.load_document(codec.dump_document(cmp.new)) == cmp.new


def test_the_json_renderer_is_the_codec(sample_cmp: Comparison) -> None:
    from policydiff.render import render

    text = render(sample_cmp, "json")
    assert text == policydiff.dumps(sample_cmp)
    assert policydiff.loads(text) == sample_cmp
    assert policydiff.loads(text.encode("utf-8")) == sample_cmp
    assert policydiff.loads(policydiff.dumps(sample_cmp, compact=True)) == sample_cmp


def test_every_field_of_the_model_is_encoded(sample_cmp: Comparison) -> None:
    """A field added to the model must be added to the codec too: the round trip would lose it silently
    where the corpus leaves it at its default."""
    data = codec.comparison_dict(sample_cmp)
    change = next(c for c in data["changes"] if c["commitments"] and c["evidence"])
    encoded = {
        Comparison: set(data) - {"format", "version", "summary"},
        ChangeBase: set(change) - {"kind"},  # the kind is the change's class (``CHANGE_TYPES``)
        CommitmentChange: set(change["commitments"][0]),
        Link: set(change["evidence"][0]),
        Nearest: {"id", "label", "title", "similarity", "reason"},
        NumberChange: set(codec._number(NumberChange("s", "1", "2", None, None, "所"))),
        Term: set(codec._term(Term("t", "quoted", 0, 1))),
        Terms: set(data["terms"]),
        StrengthShift: set(codec._shift(StrengthShift("1", "1", "a", "b", "same", "q", "r"))),
        Sentence: {"text", "span"},
        Node: set(data["new"]["nodes"][0]) | {"role"}  # a term part's flag is written only where it is set
        | set(codec._tree(attrs.evolve(sample_cmp.new.root.children[0], term=True))),
        Document: (set(data["new"]) - {"format", "version", "length", "nodes"}) | {"root"},
    }
    for cls, keys in encoded.items():
        assert {f.name for f in attrs.fields(cls)} == keys, cls.__name__


def _refused(data: Any, *words: str) -> str:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(InputError) as info:
        policydiff.loads(text, source="x.json")
    message = str(info.value)
    assert message.startswith("x.json: ") and "\n" not in message
    for w in words:
        assert w in message, message
    return message


def test_hostile_or_broken_json_is_refused_with_where(sample_cmp: Comparison) -> None:
    good = codec.comparison_dict(sample_cmp)

    def changed(edit: Any) -> dict[str, Any]:
        data = json.loads(json.dumps(good))
        edit(data)
        result: dict[str, Any] = data
        return result

    _refused("{", "not valid JSON")
    _refused("[" * 100_000 + "]" * 100_000, "JSON")
    _refused('{"version": NaN}', "not valid JSON")
    _refused([], "expected an object")
    _refused(changed(lambda d: d.update(format="pickle")), "$.format")
    _refused(changed(lambda d: d.update(version=2)), "version 2", "write it again")
    _refused(changed(lambda d: d["new"].update(text=7)), "$.new.text", "expected a string")
    _refused(changed(lambda d: d["new"]["nodes"][0].update(span=[0, 10**9])), "$.new.nodes[0].span",
             "outside the text")
    _refused(changed(lambda d: d["new"]["nodes"][0].update(span=[5, 2])), "outside the text")
    _refused(changed(lambda d: d["new"]["nodes"][0].update(kind="__reduce__")), "$.new.nodes[0].kind")
    _refused(changed(lambda d: d["new"]["nodes"][0].update(ordinal=True)), "expected an integer")
    _refused(changed(lambda d: d["changes"][0].update(kind="exec")), "$.changes[0].kind")
    _refused(changed(lambda d: d["changes"][-1]["new"].append({"id": "99.99", "kind": "measure", "label": "",
                                                                "title": "", "text": "", "span": [0, 0]})),
             "names node '99.99'")
    _refused(changed(lambda d: d["changes"][1]["new"][0].update(title="别的标题")), "does not match node")
    number = next(i for i, c in enumerate(good["changes"]) if c["numbers"])
    _refused(changed(lambda d: d["changes"][number]["numbers"][0].update(new_value="1e999999999")),
             f"$.changes[{number}].numbers[0].new_value", "plain decimal")
    _refused(changed(lambda d: d["changes"][number]["numbers"][0].update(new_value="9" * 5000)), "plain decimal")
    _refused(changed(lambda d: d["terms"]["added"].append({"text": "x", "kind": "quoted", "count_old": -1,
                                                          "count_new": 1, "span": None, "salience": 0})),
             "expected a count")
    deep: dict[str, Any] = {"id": "1", "kind": "part", "label": "", "ordinal": None, "title": "", "body": "",
                            "span": [0, 0], "sentences": [], "children": []}
    for _ in range(codec.MAX_NODE_DEPTH + 5):
        deep = {**deep, "children": [deep]}
    _refused(changed(lambda d: d["new"]["nodes"].append(deep)), "nested more than")
    _refused(changed(lambda d: d["new"].update(text="x" * (codec.MAX_CHARS + 1))), "characters")


def test_oversized_json_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "MAX_JSON_CHARS", 100)
    _refused("[" + "1," * 100 + "1]", "the limit is 100")


def test_document_json_loads_back_and_refuses_comparisons(sample_cmp: Comparison) -> None:
    text = codec.dump_document(sample_cmp.old)
    assert codec.load_document(text) == sample_cmp.old
    with pytest.raises(InputError, match=r"policydiff\.document"):
        codec.load_document(policydiff.dumps(sample_cmp))
