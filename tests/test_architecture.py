"""Imports flow one way: model and leaf modules ← pipeline stages ← compare ← render ← cli.

The stages (sources, structure, anatomy, textdiff, numbers, terms, strength, align) each import only the model and leaf
modules, never another stage: they share definitions through ``text`` and ``similarity``, and
``compare`` is the one place that runs them in order."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import policydiff
import policydiff.anatomy
import policydiff.structure
import policydiff.text
import policydiff.textdiff

SRC = Path(policydiff.__file__).parent
LEAVES = ["model", "text", "similarity", "locate", "limits", "codec", "safefs"]
STAGES = ["sources", "structure", "anatomy", "textdiff", "numbers", "terms", "strength", "align"]
ORDER = [*LEAVES, *STAGES, "compare", "timeline", "batch", "render", "cli"]
STAGE_PACKAGES = {"readers": "sources"}
"""Packages that belong to a stage: ``readers/`` (one module per input kind) is the sources stage's."""


def _ours(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            mod = (node.module or "").split(".")[0]
            if node.level == 2 or (path.parent.name in PACKAGES and node.level == 1):
                found.add(path.parent.name if node.level == 1 else mod)
            else:
                found.add(mod or "render")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("policydiff"):
            found.add((node.module or "").split(".")[1] if "." in (node.module or "") else "__init__")
    return {STAGE_PACKAGES.get(m, m) for m in found} - {"", "__init__"}


PACKAGES = ("render", "readers")
"""Sub-packages that are one stage each: their modules may import each other."""


def _stage(path: Path) -> str:
    stage = path.parent.name if path.parent.name in PACKAGES else path.stem
    return STAGE_PACKAGES.get(stage, stage)


def test_imports_flow_one_way() -> None:
    for path in SRC.rglob("*.py"):
        stage = _stage(path)
        if stage == "__init__":
            continue
        rank = ORDER.index(stage)
        for dep in _ours(path):
            if dep == stage and (stage in PACKAGES or stage in STAGE_PACKAGES.values()):
                continue
            assert dep in ORDER, (path, dep)
            assert ORDER.index(dep) < rank or dep == stage, f"{path.name} imports {dep}"


def test_stages_import_only_model_and_leaves() -> None:
    for stage in STAGES:
        path = SRC / f"{stage}.py"
        assert path.exists(), stage
        assert _ours(path) - {stage} <= set(LEAVES), (stage, _ours(path) - set(LEAVES))
    for package, stage in STAGE_PACKAGES.items():
        for path in (SRC / package).glob("*.py"):
            assert _ours(path) - {stage} <= set(LEAVES), (path, _ours(path) - set(LEAVES))
    for leaf in LEAVES:
        assert _ours(SRC / f"{leaf}.py") <= set(LEAVES[: LEAVES.index(leaf)]), leaf


def test_model_imports_nothing_of_ours() -> None:
    assert _ours(SRC / "model.py") == set()


def test_renderers_never_import_parser_or_aligner() -> None:
    for path in (SRC / "render").glob("*.py"):
        assert not _ours(path) & {"structure", "align", "sources", "compare"}, path


def test_doctests() -> None:
    for module in (policydiff, policydiff.anatomy, policydiff.structure, policydiff.textdiff, policydiff.text):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(policydiff.structure).attempted >= 1
