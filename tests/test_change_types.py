"""The closed set of change types (issue 22, point 4): one frozen class per kind, their union ``Change``,
and typed user code that ``match``es on them exhaustively under ``mypy --strict``."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import policydiff
from policydiff import model
from policydiff.model import CHANGE_KINDS, CHANGE_TYPES, Comparison

SAMPLES = Path(__file__).parent.parent / "corpora"

USER_MODULE = '''\
from typing import assert_never

import policydiff
from policydiff.model import Added, Change, Condensed, Merged, Removed, Reworded, Split, Unchanged


def describe(c: Change) -> str:
    match c:
        case Unchanged():
            return "same"
        case Reworded(similarity=s):
            return f"reworded {s:.2f}"
        case Split(new=parts):
            return f"split into {len(parts)}"
        case Merged(old=parts) | Condensed(old=parts):
            return f"{c.kind} from {len(parts)}"
        case Added(nearest=nb):
            return "added" + (f" near {nb.label}" if nb else "")
        case Removed():
            return "removed"
        case _:
            assert_never(c)


def report(a: str, b: str) -> list[str]:
    cmp = policydiff.compare(policydiff.read(a), policydiff.read(b))
    return [describe(c) for c in cmp.changes]
'''

MISSING_CASE = '''\
from typing import assert_never

from policydiff.model import Added, Change, Condensed, Merged, Removed, Reworded, Split


def describe(c: Change) -> str:
    match c:
        case Reworded() | Split() | Merged() | Condensed():
            return "paired"
        case Added() | Removed():
            return "unpaired"
        case _:
            assert_never(c)
'''


@pytest.fixture(scope="module")
def sample_cmp() -> Comparison:
    return policydiff.compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))


def test_typed_user_code_matches_exhaustively(tmp_path: Path) -> None:
    """The user module is clean under ``mypy --strict``; the same match without ``Unchanged`` is caught at
    its ``assert_never``, naming the forgotten class: the union is closed for the type checker."""
    from mypy import api

    good, bad = tmp_path / "user.py", tmp_path / "missing.py"
    good.write_text(USER_MODULE, encoding="utf-8")
    bad.write_text(MISSING_CASE, encoding="utf-8")
    # one run for both files (mypy's start-up dominates the test's time)
    stdout, stderr, status = api.run(["--strict", "--no-incremental", "--follow-imports=silent",
                                      "--cache-dir", str(tmp_path / "cache"), str(good), str(bad)])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert status == 1, stdout + stderr
    assert len(errors) == 1, stdout
    assert errors[0].startswith(str(bad)) and "Unchanged" in errors[0], stdout


def test_user_module_runs(sample_cmp: Comparison) -> None:
    """What the type checker accepted also runs: every change of the sample is described."""
    namespace: dict[str, object] = {}
    exec(compile(USER_MODULE, "user.py", "exec"), namespace)
    describe = namespace["describe"]
    assert callable(describe)
    out = [describe(c) for c in sample_cmp.changes]
    assert "same" in out and any(x.startswith("merged from") for x in out) and any(x.startswith("added") for x in out)


def test_one_class_per_kind() -> None:
    assert tuple(CHANGE_TYPES) == CHANGE_KINDS
    for kind, cls in CHANGE_TYPES.items():
        assert cls.kind == kind and cls.__name__.lower() == kind
        assert issubclass(cls, model.ChangeBase) and attrs.has(cls)
    # the union alias works at run time too
    c = model.make_change("added", level="measure", old=(), new=())
    assert isinstance(c, model.Change) and isinstance(c, model.Added) and c.kind == "added"


def test_with_kind_recasts_and_keeps_the_fields(sample_cmp: Comparison) -> None:
    merged = next(c for c in sample_cmp.changes if isinstance(c, model.Merged))
    condensed = model.with_kind(merged, "condensed", similarity=0.5)
    assert isinstance(condensed, model.Condensed) and condensed.similarity == 0.5
    assert condensed.old == merged.old and condensed.new == merged.new and condensed != merged


@pytest.mark.parametrize("table", ["SYMBOLS", "KIND_LABELS", "CHANGE_STYLES"])
def test_tables_keyed_by_kind_cover_every_kind(table: str) -> None:
    """Tables of the renderers keyed by kind have no default: each must name every kind."""
    from policydiff.render import labels, terminal

    value = getattr(labels, table, None) or getattr(terminal, table)
    for keyed in value.values() if table == "KIND_LABELS" else (value,):
        assert set(CHANGE_KINDS) <= set(keyed), table


def test_sample_classes(sample_cmp: Comparison) -> None:
    """The aligner's kinds arrive as classes, and the JSON tag is the class's kind."""
    import json

    from policydiff.codec import dumps

    kinds = [c["kind"] for c in json.loads(dumps(sample_cmp))["changes"]]
    assert kinds == [type(c).kind for c in sample_cmp.changes]
    assert {type(c).__name__ for c in sample_cmp.changes} >= {"Unchanged", "Reworded", "Split", "Merged", "Added"}
