"""承诺与完成 (issue 20): year N's targets and tasks against year N+1's review."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from lxml import html as lxml_html

import policydiff
from policydiff.cli import main
from policydiff.locate import locators
from policydiff.model import Document, headline_rank
from policydiff.render import render
from policydiff.render.track import render_track, to_dict
from policydiff.text import is_blank
from policydiff.track import (
    Figure,
    Track,
    direction,
    document_year,
    indicator_key,
    indicator_similarity,
    target_status,
    track,
)

SCHEMA = json.loads(resources.files("policydiff").joinpath("schema/track.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(corpora: Path) -> tuple[Document, Document]:
    return (policydiff.read(corpora / "gov-work-report" / "2021.txt"),
            policydiff.read(corpora / "gov-work-report" / "2022.txt"))


@pytest.fixture(scope="module")
def tracked(reports: tuple[Document, Document]) -> Track:
    return track(*reports)


def _target(tr: Track, indicator: str) -> tuple[str, str, str]:
    t = next(t for t in tr.targets if t.indicator == indicator)
    return t.target.text, t.outcome.text if t.outcome else "", t.status


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not is_blank(ch))


def test_acceptance_2021_2022(tracked: Track) -> None:
    assert _target(tracked, "国内生产总值增长") == ("6%以上", "8.1%", "exceeded")
    assert _target(tracked, "居民消费价格涨幅") == ("3%左右", "0.9%", "met")  # a ceiling
    assert _target(tracked, "城镇新增就业") == ("1100万人以上", "1269万人", "exceeded")
    assert _target(tracked, "城镇调查失业率") == ("5.5%左右", "5.1%", "met")
    assert _target(tracked, "粮食产量") == ("1.3万亿斤以上", "1.37万亿斤", "exceeded")
    paired = [t for t in tracked.targets if t.outcome is not None]
    assert len(paired) >= 8
    assert not tracked.reason
    # the headline indicators first
    ranks = [headline_rank(t.indicator) for t in tracked.targets]
    assert ranks[:4] == sorted(ranks[:4])


def test_no_pair_across_indicators_or_units(tracked: Track) -> None:
    for t in tracked.targets:
        if t.outcome is None:
            continue
        assert t.outcome.unit == t.target.unit or t.status == "reported"
        assert indicator_similarity(t.target.indicator, t.outcome.indicator) >= 0.8
        assert headline_rank(t.target.indicator) == headline_rank(t.outcome.indicator)


def test_quotes_are_in_the_texts_at_their_spans_and_locators(reports: tuple[Document, Document],
                                                               tracked: Track) -> None:
    """Read the texts: each figure stands at its span, inside its quote, inside the node its locator names."""
    for doc, figures in ((reports[0], [t.target for t in tracked.targets]),
                         (reports[1], [t.outcome for t in tracked.targets if t.outcome])):
        where = locators(doc)
        for f in figures:
            assert f is not None
            a, b = f.span
            assert _squash(doc.text[a:b]) == _squash(f.text)
            node = doc.node(f.node_id)
            assert where[node.id] == f.locator
            assert f.quote in node.text
            start, end = node.span
            assert start <= a < b <= end + len(doc.text[end:]) and f.text in f.quote
    where = locators(reports[1])
    for task in tracked.tasks:
        assert task.locator == locators(reports[0])[task.node_id]
        for e in task.evidence:
            node = reports[1].node(e.node_id)
            assert node.role == "review" and e.quote in node.text and where[node.id] == e.locator
            assert _squash(reports[1].text[e.span[0]:e.span[1]]) == _squash(e.quote)


def test_tasks_reported_with_evidence(tracked: Track) -> None:
    assert tracked.tasks
    reported = [t for t in tracked.tasks if t.status == "reported"]
    assert reported and all(t.evidence for t in reported)
    assert all(not t.evidence for t in tracked.tasks if t.status == "not reported")
    old_town = next(t for t in tracked.tasks if any("城镇老旧小区" in e.quote for e in t.evidence))
    assert old_town.status == "reported"


def test_no_review_gives_an_empty_result_that_says_why(corpora: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = corpora / "haining-education" / "2021.txt"
    doc = policydiff.read(path)
    tr = track(doc, doc)
    assert tr.targets == () and tr.tasks == () and "no review" in tr.reason
    assert main(["track", str(path), str(path)]) == 0
    out = capsys.readouterr().out
    assert "no review" in out and "没有可对照的内容" in out
    data = json.loads(render_track(tr, "json"))
    jsonschema.validate(data, SCHEMA)
    assert data["targets"] == [] and data["reason"]


def test_years_not_consecutive(corpora: Path) -> None:
    a = policydiff.read(corpora / "gov-work-report" / "2019.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    tr = track(a, b)
    assert not tr.targets and "not consecutive" in tr.reason


def test_status_rules() -> None:
    def f(text: str, value: str, qualifier: str = "", unit: str = "%", high: str | None = None) -> Figure:
        return Figure("x", text, Decimal(value), unit, qualifier, Decimal(high) if high else None)

    assert target_status(f("6%以上", "6", "以上"), f("6%", "6")) == "met"
    assert target_status(f("6%以上", "6", "以上"), f("5.9%", "5.9")) == "missed"
    assert target_status(f("5%左右", "5", "左右"), f("5.2%", "5.2")) == "met"
    assert target_status(f("6.5%左右", "6.5", "左右"), f("6.9%", "6.9")) == "exceeded"
    assert target_status(f("5.5%左右", "5.5", "左右"), f("3%", "3")) == "missed"
    assert target_status(f("3%左右", "3", "左右"), f("0.9%", "0.9"), "lower") == "met"
    assert target_status(f("3%左右", "3", "左右"), f("3.5%", "3.5"), "lower") == "missed"
    assert target_status(f("5.5%以内", "5.5", "以内"), f("5.1%", "5.1")) == "met"
    assert target_status(f("6%-6.5%", "6", high="6.5"), f("6.1%", "6.1")) == "met"
    assert target_status(f("1100万人以上", "11000000", "以上", "人"), f("6%", "6")) == "reported"
    assert target_status(f("6%以上", "6", "以上"), None) == "not reported"


def test_direction_table_is_by_indicator_not_year() -> None:
    assert direction("居民消费价格涨幅") == "lower"
    assert direction("城镇调查失业率") == "lower"
    assert direction("赤字率") == "lower"
    assert direction("单位国内生产总值能耗降低") == "higher"  # a cut: more is better
    assert direction("国内生产总值增长") == "higher"


def test_indicator_names() -> None:
    assert indicator_key("居民消费价格涨幅") == indicator_key("居民消费价格上涨")
    assert indicator_similarity("大型商业银行普惠小微企业贷款增长", "大型商业银行普惠小微企业贷款增幅") == 1
    assert indicator_similarity("国内生产总值增长", "国内生产总值比上年增长") == 1
    assert indicator_similarity("赤字率", "财政赤字率") == 1
    assert indicator_similarity("国内生产总值增长", "单位国内生产总值能耗降低") == 0
    assert indicator_similarity("国内生产总值增长", "国内生产总值") == 0  # a change is not a level
    assert indicator_similarity("农业总产值", "工农业总产值") == 0  # a part is another indicator
    assert indicator_similarity("中央财政", "中央财政赤字") == 0
    assert indicator_similarity("地方政府专项债券", "地方政府专项债券比上年增加") == 0


def test_document_year(reports: tuple[Document, Document]) -> None:
    assert document_year(reports[0]) == 2021
    assert document_year(policydiff.parse("青溪县二〇二二年教育工作要点\n一、总体要求\n", path="x.txt")) == 2022


def test_outputs(tracked: Track) -> None:
    data = json.loads(render_track(tracked, "json"))
    jsonschema.validate(data, SCHEMA)
    gdp = next(t for t in data["targets"] if t["indicator"] == "国内生产总值增长")
    assert (gdp["target"], gdp["outcome"], gdp["target_value"], gdp["outcome_value"]) == ("6%以上", "8.1%", "6", "8.1")
    assert data == to_dict(tracked)
    for lang in ("zh", "en"):
        text = render_track(tracked, "terminal", lang=lang)
        assert text.index("6%以上") < text.index(tracked.tasks[0].title)  # the targets' table first
        assert ("不等于没有完成" if lang == "zh" else "does not mean failed") in text
    page = render_track(tracked, "html", lang="en")
    tree = lxml_html.fromstring(page)
    assert tree.get_element_by_id("track") is not None and "does not mean failed" in page
    assert "@media print" in page and "max-width: 600px" in page
    rows = list(csv.reader(io.StringIO(render_track(tracked, "csv").lstrip("\ufeff"))))
    assert rows[0][:3] == ["record", "status", "indicator"]
    assert sum(r[0] == "target" for r in rows) == len(tracked.targets)
    assert sum(r[0] == "task" for r in rows) == len(tracked.tasks)


def test_english_outputs_have_no_ui_han(tracked: Track) -> None:
    words = set()
    for t in tracked.targets:
        words |= {t.indicator, t.target.text, t.target.quote, t.target.locator}
        if t.outcome:
            words |= {t.outcome.text, t.outcome.quote, t.outcome.locator}
    for task in tracked.tasks:
        words |= {task.title, task.locator, *(e.quote for e in task.evidence), *(e.locator for e in task.evidence)}
    text = render_track(tracked, "terminal", lang="en")
    for w in sorted(words, key=len, reverse=True):
        text = text.replace(w, "")
    text = re.sub(r"\S+…", "", text.replace("政府工作报告", ""))  # document words, clipped
    assert not re.search(r"[\u4e00-\u9fff]", text), re.findall(r".{0,10}[\u4e00-\u9fff]+.{0,10}", text)[:5]


def test_csv_cells_are_safe(corpora: Path) -> None:
    old = policydiff.parse("一、2021年工作回顾\n去年增长了3%。\n二、2022年重点工作\n=HYPERLINK(1)要稳定就业，推进改革开放。\n",
                           path="a.txt")
    new = policydiff.parse("一、2022年工作回顾\n=HYPERLINK(1)稳定就业，推进改革开放。\n二、2023年重点工作\n要稳定就业。\n",
                           path="b.txt")
    text = render_track(track(old, new), "csv")
    assert "\n=" not in text and ",=" not in text


def test_diff_track_section(reports: tuple[Document, Document], tracked: Track) -> None:
    cmp = policydiff.compare(*reports)
    term = render(cmp, "terminal", track=tracked)
    assert "承诺与完成" in term and "1269万人" in term
    summary = render(cmp, "terminal", summary=True, track=tracked)
    assert "承诺与完成" in summary
    page = render(cmp, "html", track=tracked, lang="en")
    assert 'id="track"' in page and "does not mean failed" in page
    assert 'id="track"' not in render(cmp, "html")


def test_cli_track_and_diff_track(corpora: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = str(corpora / "gov-work-report" / "2021.txt"), str(corpora / "gov-work-report" / "2022.txt")
    out = tmp_path / "t.json"
    assert main(["track", a, b, "-f", "json", "-o", str(out)]) == 0
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), SCHEMA)
    assert main(["diff", a, b, "--track", "--summary", "--color", "never"]) == 1
    assert "城镇新增就业" in capsys.readouterr().out


def test_timeline_pairs_targets_with_next_years_outcomes(corpora: Path, tmp_path: Path) -> None:
    from policydiff.render import timeline_html, timeline_json, timeline_terminal
    from policydiff.timeline import timeline

    paths = [corpora / "gov-work-report" / f"{y}.txt" for y in (2021, 2022, 2023)]
    tl = timeline(paths, jobs=1, cache_dir=tmp_path)
    gdp = next(s for s in tl.tracked if s.subject == "国内生产总值增长")
    assert [(p.year, p.target.text, p.outcome.text if p.outcome else None, p.status) for p in gdp.points] == [
        (2021, "6%以上", "8.1%", "exceeded"), (2022, "5.5%左右", "3%", "missed")]
    assert all(p.outcome is None or p.outcome.year == p.year + 1 for s in tl.tracked for p in s.points)
    data = json.loads(timeline_json.render_timeline(tl))
    jsonschema.validate(data, json.loads(resources.files("policydiff").joinpath("schema/timeline.schema.json")
                                         .read_text(encoding="utf-8")))
    assert data["tracked"] and "8.1%" in timeline_terminal.render_timeline(tl)
    assert "does not mean failed" in timeline_html.render_timeline(tl, lang="en")
