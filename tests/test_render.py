"""Renderers: golden files for terminal and Markdown, JSON against its schema, HTML escaping."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from lxml import html as lxml_html

import policydiff
from conftest import ROOT, SAMPLES
from policydiff.cli import main
from policydiff.compare import compare
from policydiff.model import Comparison
from policydiff.render import html, markdown, terminal
from policydiff.render import json as json_render

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def sample_cmp() -> Comparison:
    return compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))


def _relative(cmp: Comparison) -> Comparison:
    """Paths as in the repository, so golden files do not depend on where the checkout is."""
    import attrs

    return attrs.evolve(cmp, old=attrs.evolve(cmp.old, path="corpora/sample-2022.txt"),
                        new=attrs.evolve(cmp.new, path="corpora/sample-2023.txt"))


def _golden(name: str, actual: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / name
    if request.config.getoption("--update-golden") or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs; run `make golden` if intended"


@pytest.mark.parametrize(("lang", "only"), [("zh", True), ("zh", False), ("en", True)])
def test_terminal_golden(sample_cmp: Comparison, request: pytest.FixtureRequest, lang: str, only: bool) -> None:
    out = terminal.render_comparison(_relative(sample_cmp), lang=lang, changes_only=only, width=100)
    assert "\x1b[" not in out
    _golden(f"sample-terminal-{lang}{'-changes' if only else ''}.txt", out, request)


def test_markdown_golden(sample_cmp: Comparison, request: pytest.FixtureRequest) -> None:
    _golden("sample-markdown.md", markdown.render_comparison(_relative(sample_cmp)), request)


def test_terminal_colour_only_when_asked(sample_cmp: Comparison) -> None:
    coloured = terminal.render_comparison(sample_cmp, color=True)
    assert "\x1b[" in coloured
    assert "[-5-]{+8+}" in terminal.render_comparison(sample_cmp, color=False)


def test_terminal_wraps_at_width(sample_cmp: Comparison) -> None:
    from rich.cells import cell_len

    for width in (60, 100):
        out = terminal.render_comparison(sample_cmp, width=width)
        lines = out.split("\n")
        body = lines[lines.index("") + 1:]
        assert max(cell_len(line) for line in body if not line.startswith(("部分", "全文", "-", "一", "二", "三",
                                                                         "四", "五", "前言"))) <= width


def test_json_matches_schema(corpora: Path) -> None:
    schema = json.loads(resources.files("policydiff").joinpath("schema/comparison.schema.json").read_text())
    for pair in [(SAMPLES / "sample-2022.txt", SAMPLES / "sample-2023.txt"),
                 (corpora / "gov-work-report" / "2021.txt", corpora / "gov-work-report" / "2022.txt")]:
        data = json.loads(json_render.render_comparison(compare(*(policydiff.read(p) for p in pair))))
        jsonschema.validate(data, schema)
        assert data["format"] == "policydiff.comparison" and data["version"] == 2
        counts = data["summary"]["total"]
        assert sum(counts[k] for k in ("unchanged", "reworded", "split", "merged", "added", "removed")) \
            == len(data["changes"])


def test_show_json_and_outline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(SAMPLES / "sample-2022.txt"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "policydiff.document" and data["title"] == "青溪县二〇二二年教育工作要点"
    assert main(["show", str(SAMPLES / "sample-2022.txt")]) == 0
    out = capsys.readouterr().out
    assert "measure" in out and "强化党建引领工作。" in out


HOSTILE = "一、<script>alert(1)</script>部分\n1.<img src=x onerror=alert(2)>测试工作。内容\"'&amp;<b>粗</b>。\n"


def test_html_escapes_document_text(tmp_path: Path) -> None:
    a = policydiff.parse(HOSTILE)
    b = policydiff.parse(HOSTILE.replace("内容", "新内容"))
    page = html.render_comparison(compare(a, b))
    tree = lxml_html.fromstring(page)
    scripts = tree.findall(".//script")
    assert len(scripts) == 1 and "alert" not in (scripts[0].text or "")
    assert not tree.findall(".//img") and not tree.findall(".//b")
    assert "<script>alert(1)</script>" in tree.text_content()
    assert "\"'&amp;" in tree.text_content()


def test_html_is_self_contained(sample_cmp: Comparison) -> None:
    page = html.render_comparison(sample_cmp)
    tree = lxml_html.fromstring(page)
    for el in tree.iter():
        for attr in ("src", "href"):
            value = el.get(attr)
            assert value is None or value.startswith("#"), (el.tag, value)
    assert not tree.findall(".//link")
    rows = tree.findall(".//tr[@data-kind]")
    assert len(rows) == len(sample_cmp.changes)


def test_markdown_and_html_from_cli(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"), "-f", "markdown",
                 "-o", str(out)]) == 1
    assert "~~5~~**8**" in out.read_text(encoding="utf-8")


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    assert [line.strip() for line in block.strip().splitlines()[1:]] == ["make demo", "make test"]
