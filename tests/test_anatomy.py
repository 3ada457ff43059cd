"""Document anatomy (``anatomy.py``, ``docs/anatomy.md``): every node's role, on every State Council report,
the Haining opinion and the bundled samples; overrides through the API and the CLI; JSON fields."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
from conftest import ROOT, SAMPLES
from policydiff.anatomy import annotate
from policydiff.cli import main
from policydiff.codec import dump_document, load_document
from policydiff.model import ROLES, Document, OptionsError
from policydiff.structure import parse as parse_tree
from test_properties import texty

TABLE = Path(__file__).parent / "data" / "anatomy-gwr.tsv"

KNOWN_MISSES = {
    ("1954", "7"): "reviews 1949–52 industry, then gives 1954's forecasts (将, 今年): more plan cues than past",
    ("1954", "8"): "compares 1954 forecasts with 1949 output (预计产量): no tense cue at all, inherits tasks",
}
"""Rows of the reference table the cues get wrong, with the reason. Asserted to stay wrong, so that a
change that fixes one (or breaks another) is noticed and this list and docs/anatomy.md are updated."""


def _corpora() -> Path:
    """The shared corpora: a missing folder fails here (these tests are about the real reports)."""
    path = Path(os.environ.get("POLICYDIFF_CORPORA", ROOT.parent / "shared" / "corpora"))
    if not (path / "gov-work-report").is_dir():
        pytest.fail(f"POLICYDIFF_CORPORA={path} has no gov-work-report folder; the anatomy tests need the "
                    "shared corpora (set POLICYDIFF_CORPORA)")
    return path


def _rows() -> list[tuple[str, str, str, str]]:
    lines = [ln for ln in TABLE.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    header, *body = lines
    assert header.split("\t") == ["year", "nodes", "role", "heading"]
    return [(r[0], r[1], r[2], r[3]) for r in (ln.split("\t") for ln in body)]


def _ids(spec: str) -> list[str]:
    """``7`` → [7]; ``4.2-4.5`` → [4.2, 4.3, 4.4, 4.5] (siblings)."""
    if "-" not in spec:
        return [spec]
    first, last = spec.split("-")
    prefix = first.rpartition(".")[0]
    lo, hi = int(first.rpartition(".")[2]), int(last.rpartition(".")[2])
    return [f"{prefix}.{k}" if prefix else str(k) for k in range(lo, hi + 1)]


@pytest.fixture(scope="module")
def reports() -> dict[str, Document]:
    folder = _corpora() / "gov-work-report"
    return {p.stem: policydiff.read(p) for p in sorted(folder.glob("*.txt"))}


def test_reference_table_covers_every_report(reports: dict[str, Document]) -> None:
    assert len(reports) >= 50
    assert {r[0] for r in _rows()} == set(reports)


def test_state_council_reports_match_the_reference(reports: dict[str, Document]) -> None:
    wrong: dict[tuple[str, str], str | None] = {}
    checked = Counter[str]()
    for year, spec, role, _ in _rows():
        assert role in ROLES, (year, spec, role)
        for node_id in _ids(spec):
            got = reports[year].node(node_id).role
            checked[role] += 1
            if got != role:
                wrong[year, node_id] = got
    assert set(wrong) == set(KNOWN_MISSES), {k: v for k, v in wrong.items() if k not in KNOWN_MISSES}
    assert sum(checked.values()) >= 450 and checked["review"] and checked["guidance"] and checked["tasks"]


def test_every_report_has_review_then_plans(reports: dict[str, Document]) -> None:
    """Every report has a review and tasks; among numbered parts, no review comes after a plan part.

    (Unnumbered speeches of the 1950s–70s and the 1964 news summary go back and forth between outcomes
    and tasks paragraph by paragraph: that is their text, not a mistake.)"""
    for year, doc in reports.items():
        roles = [d.role for d in doc.nodes()]
        assert "review" in roles and "tasks" in roles, year
        parts = [n.role for n in doc.root.children if n.label]
        plans = [k for k, r in enumerate(parts) if r in ("guidance", "tasks")]
        assert not plans or "review" not in parts[plans[0]:], (year, parts)


def test_every_node_has_a_role_and_children_mostly_inherit(reports: dict[str, Document]) -> None:
    for doc in reports.values():
        for n in doc.nodes():
            assert n.role in ROLES
            assert n.kind != "front" or n.role in ("front", "review", "guidance", "tasks"), n.id


def test_anatomy_is_fast(reports: dict[str, Document]) -> None:
    trees = [parse_tree(d.text) for d in reports.values()]
    start = time.perf_counter()
    for t in trees:
        annotate(t)
    assert time.perf_counter() - start < 1.0  # ~0.15 s on one core; the budget is 0.3 s, with room for CI


def test_haining_opinion() -> None:
    doc = policydiff.read(_corpora() / "haining-education" / "2021.txt")
    parts = [n for n in doc.root.children if n.kind == "part"]
    assert len(parts) == 6 and all(n.role == "tasks" for n in parts)
    assert all(d.role == "tasks" for p in parts for d in p.walk())
    front = [n for n in doc.root.children if n.kind == "front"]
    lead_in = [n for n in front if n.front_role == "preamble"]
    assert len(lead_in) == 1 and lead_in[0].role == "guidance"
    assert all(n.role == "front" for n in front if n.front_role != "preamble")


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("series/*.txt")),
                         ids=lambda p: p.name)
def test_samples(path: Path) -> None:
    doc = policydiff.read(path)
    assert all(n.role == "tasks" for n in doc.root.children if n.kind == "part")
    assert [n.role for n in doc.root.children if n.kind == "front" and n.front_role == "preamble"] == ["guidance"]
    assert all(n.role == "front" for n in doc.root.children if n.kind == "front" and n.front_role != "preamble")


def test_batch_samples_have_roles() -> None:
    for path in sorted(SAMPLES.glob("batch/*/*.txt")):
        assert all(n.role in ROLES for n in policydiff.read(path).nodes()), path


# --- cues on small texts -----------------------------------------------------------------------

REPORT = """各位代表：
现在，我代表国务院，向大会报告政府工作，请予审议。
一、2023年工作回顾
过去一年，经济增长了5.2%，完成了全年目标。
二、2024年经济社会发展总体要求和政策取向
今年发展主要预期目标是：国内生产总值增长5%左右。
三、2024年政府工作任务
今年要重点抓好以下工作：
（一）扩大国内需求。要稳定消费。
（二）加强政府自身建设。要依法行政。
各位代表！
让我们更加紧密地团结起来，为全面建设社会主义现代化国家而努力奋斗！
附件：名词解释
"""


def test_a_modern_report() -> None:
    doc = policydiff.parse(REPORT)
    got = {n.id: n.role for n in doc.nodes()}
    assert got["1"] == got["2"] == "front"
    assert got["3"] == "review" and got["4"] == "guidance" and got["5"] == "tasks"
    assert got["5.2"] == "tasks" and got["5.3"] == "safeguards"
    assert got["5.4"] == got["5.5"] == "closing"
    assert got["5.6"] == "back"


def test_unnumbered_review_before_the_task_parts() -> None:
    """2002's layout: 首先报告 last year's work, the year's 总体要求, then parts 一、… that are all tasks."""
    text = ("各位代表：\n首先报告去年的工作\n去年，经济增长了7%，完成了预定目标。\n"
            "根据党中央部署，今年工作的总体要求是：坚持扩大内需。\n一、扩大内需\n要扩大投资。\n二、深化改革\n要推进改革。\n")
    roles = [(n.text[:6], n.role) for n in policydiff.parse(text).root.children]
    assert [r for _, r in roles] == ["front", "review", "review", "guidance", "tasks", "tasks"]


def test_term_parts_are_the_five_year_plans_beside_the_year(reports: dict[str, Document]) -> None:
    """The reports that open a five-year plan state it in a part of its own beside the year's tasks; only
    those parts (and everything in them) are ``term``. A report that is about a plan as a whole (1955,
    1986, 2001: no part for the year beside it) has none."""
    got = {year: sorted((n.label, n.title[:8]) for n in doc.root.children if n.term)
           for year, doc in reports.items() if any(n.term for n in doc.nodes())}
    assert got == {"2006": [("三、", "关于《国民经济和")], "2011": [("二、", "“十二五”时期的")],
                   "2016": [("二、", "“十三五”时期主")], "2021": [("二、", "“十三五”时期发")]}
    for doc in (reports["2021"], reports["2016"]):
        for part in doc.root.children:
            assert all(n.term == part.term for n in part.walk())


def test_term_part_needs_a_year_part_beside_it() -> None:
    beside = policydiff.parse("一、2025年工作回顾\n去年经济增长了5%。\n二、“十五五”时期主要目标任务\n要推进现代化。\n"
                              "三、2026年重点工作\n要扩大内需。\n")
    assert [n.term for n in beside.root.children] == [False, True, False]
    alone = policydiff.parse("一、“十五五”时期主要目标任务\n要推进现代化。\n二、“十五五”时期的改革\n要深化改革。\n")
    assert not any(n.term for n in alone.nodes())
    assert load_document(dump_document(beside)) == beside  # the flag goes through the JSON and back


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_by_id_locator_and_label() -> None:
    doc = policydiff.parse(REPORT, roles={"三、": "guidance", "三（二）": "tasks", "3.1": "review"})
    got = {n.id: n.role for n in doc.nodes()}
    assert got["5"] == "guidance" and got["5.1"] == "guidance" and got["5.2"] == "guidance"
    assert got["5.3"] == "tasks" and got["3"] == "review" and got["3.1"] == "review"
    assert policydiff.parse(REPORT, roles={"5": "closing"}).node("5.2").role == "closing"


def test_unknown_override_is_an_options_error() -> None:
    with pytest.raises(OptionsError, match="九、"):
        policydiff.parse(REPORT, roles={"九、": "tasks"})
    with pytest.raises(OptionsError, match="must be one of"):
        policydiff.parse(REPORT, roles={"三、": "plans"})  # type: ignore[dict-item]


def test_cli_role_option(capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(SAMPLES / "sample-2022.txt")
    assert main(["show", sample, "--role", "二、=review", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 3
    part = next(n for n in data["nodes"] if n["label"] == "二、")
    assert part["role"] == "review" and all(c["role"] == "review" for c in part["children"])
    front = [n for n in data["nodes"] if n["kind"] == "front"]
    assert all("front_role" in n and n["role"] in ROLES for n in front)
    assert main(["show", sample]) == 0
    outline = capsys.readouterr().out
    assert "guidance" in outline and "tasks" in outline
    for bad in (["--role", "九、=tasks"], ["--role", "二、=plans"], ["--role", "二、"], ["--role", "old:二、=tasks"]):
        assert main(["show", sample, *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("policydiff: error:")


def test_cli_diff_role_sides(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt")
    assert main(["diff", old, new, "-f", "json", "--role", "old:一、=review", "--role", "二、=guidance"]) == 1
    data = json.loads(capsys.readouterr().out)
    roles = {(side, n["label"]): n["role"] for c in data["changes"] if c["level"] == "part"
             for side in ("old", "new") for n in c[side]}
    assert roles["old", "一、"] == "review" and roles["new", "一、"] == "tasks"
    assert roles["old", "二、"] == roles["new", "二、"] == "guidance"
    assert main(["diff", old, new, "--role", "new:3.9=tasks"]) == 2
    assert "3.9" in capsys.readouterr().err


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), texty))
def test_any_text_gets_roles(text: str) -> None:
    doc = annotate(parse_tree(text))
    assert all(n.role in ROLES for n in doc.nodes())
    assert [(n.id, n.span) for n in doc.nodes()] == [(n.id, n.span) for n in parse_tree(text).nodes()]


def test_cli_role_names_are_the_model_roles() -> None:
    """The CLI repeats the role names so that ``--help`` need not import the model; they must agree."""
    from policydiff import cli
    from policydiff.model import ROLES

    assert cli.ROLE_NAMES == ROLES


def test_a_late_part_naming_a_goal_is_a_task_part() -> None:
    """A congress report's parts after the review are its tasks; one of them names a goal (实现建军一百年奋斗
    目标，开创国防和军队现代化新局面) and is still a task part: the guidance comes before the tasks."""
    text = ("同志们：\n现在，我代表中央委员会向大会作报告。\n一、过去五年的工作\n五年来，我们取得了历史性成就，经济实力跃上新台阶。\n"
            "二、加快构建新发展格局，着力推动高质量发展\n高质量发展是首要任务。要坚持以推动高质量发展为主题。\n"
            "三、实现建军一百年奋斗目标，开创国防和军队现代化新局面\n要加快把人民军队建成世界一流军队。\n"
            "四、坚定不移全面从严治党\n全面从严治党永远在路上，要坚持党要管党。\n")
    doc = policydiff.parse(text)
    roles = {n.title: n.role for n in doc.root.children if n.kind == "part"}
    assert roles == {"过去五年的工作": "review", "加快构建新发展格局，着力推动高质量发展": "tasks",
                     "实现建军一百年奋斗目标，开创国防和军队现代化新局面": "tasks", "坚定不移全面从严治党": "tasks"}
