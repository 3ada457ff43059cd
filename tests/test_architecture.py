"""Imports flow one way: model and leaf modules ← pipeline stages ← pipeline, compare, executor ← timeline,
batch ← render ← cli.

The stages (sources, structure, anatomy, textdiff, numbers, terms, strength, align) each import only the model and leaf
modules, never another stage: they share definitions through ``text`` and ``similarity``, and
``compare`` is the one place that runs them in order."""

from __future__ import annotations

import ast
import doctest
import sys
from pathlib import Path

import policydiff
import policydiff.anatomy
import policydiff.structure
import policydiff.text
import policydiff.textdiff
import policydiff.track  # the module, for its doctests: the package's ``track`` is the function

SRC = Path(policydiff.__file__).parent
LEAVES = ["model", "text", "similarity", "locate", "limits", "codec", "safefs", "track_model", "timeline_model"]
STAGES = ["sources", "structure", "anatomy", "textdiff", "numbers", "terms", "strength", "align"]
ORDER = [*LEAVES, *STAGES, "pipeline", "compare", "track", "executor", "timeline", "batch", "render", "cli"]
"""``track`` (year N's plan against year N+1's review) runs the ``numbers`` stage on two documents, as
``compare`` runs every stage: a layer above the stages, below the timeline that may use it. ``pipeline`` (the one ``load``: sources → limits → structure → anatomy) and ``executor`` (local processes
or Dask) are the layer ``timeline``, ``batch`` and the CLI share above the stages."""
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


PIPELINE = frozenset({"align", "structure", "compare", "timeline", "batch", "textdiff", "numbers", "terms",
                      "strength", "sources", "readers", "pipeline", "executor", "track"})
"""The stages and the layers that run them: a renderer reads the model (``model``, ``timeline_model``) and
the leaves, and must not reach any of these, however indirectly."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path) -> set[str]:
    """Every module of ours ``path`` imports, anywhere in it (in functions too), as dotted names."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("policydiff"):
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)  # ``from . import csv``: a module
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("policydiff"))
    files = {_module_name(p): p for p in SRC.rglob("*.py")}
    return {m for m in out if m in files}


def test_renderers_reach_no_stage_transitively() -> None:
    """Follow every import of every renderer, in the source (function-level imports included) and then in
    a fresh interpreter, and find no stage: the renderers need only the model layer."""
    files = {_module_name(p): p for p in SRC.rglob("*.py")}
    renderers = sorted(m for m in files if m.startswith("policydiff.render"))
    for start in renderers:
        seen, todo = {start}, [start]
        while todo:
            for dep in _imported_modules(files[todo.pop()]) - seen:
                seen.add(dep)
                todo.append(dep)
        reached = {m.split(".")[1] for m in seen if m.count(".") >= 1} & PIPELINE
        assert not reached, f"{start} reaches {sorted(reached)}"
    import subprocess
    import sys

    code = ("import importlib, sys\n"
            f"for m in {renderers!r}: importlib.import_module(m)\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('policydiff.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not {m.split(".")[1] for m in loaded} & PIPELINE, loaded


def test_show_and_help_load_no_comparison_machinery() -> None:
    """Start-up: ``--help`` loads no module of ours but the CLI's and the package's; ``show`` reads and parses
    without the aligner, the segmenter, scipy, numpy, pyarrow or rich (``bench/startup.py`` times them), and
    a plain text file without the HTML reader and its page layout rules."""
    import subprocess
    import sys

    heavy = ("scipy", "numpy", "rjieba", "cn2an", "pyarrow", "rich", "tabulate", "lxml.html.clean")
    code = ("import sys\nfrom policydiff.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            f"print('\\n' + ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} "
            "or m.startswith('policydiff.'))))")
    sample = str(Path(__file__).resolve().parents[1] / "corpora" / "sample-2022.txt")
    for args, allowed in ((["--help"], {"policydiff", "policydiff.cli"}), (["show", sample], None)):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
        loaded = set(out.rstrip().rpartition("\n")[2].split())
        assert not {m for m in loaded if m.split(".")[0] in heavy}, (args, loaded)
        if allowed is not None:
            assert loaded <= allowed, (args, loaded - allowed)
        else:
            assert not {m.split(".")[1] for m in loaded if "." in m} & {"align", "similarity", "compare", "numbers",
                                                                        "terms", "textdiff", "batch", "timeline"}
            assert not loaded & {"policydiff.readers.html", "policydiff.readers.layout"}, loaded


def test_doctests() -> None:
    for module in (policydiff, policydiff.anatomy, policydiff.structure, policydiff.textdiff, policydiff.text):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(policydiff.structure).attempted >= 1
    track = sys.modules["policydiff.track"]
    assert doctest.testmod(track).failed == 0 and doctest.testmod(track).attempted >= 4
