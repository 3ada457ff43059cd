"""``policydiff timeline``: year order, lineages, target series, phrases, cache, views (issue 9)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import policydiff
from conftest import SAMPLES
from policydiff.cli import main
from policydiff.model import InputError
from policydiff.render import timeline_csv, timeline_html, timeline_json, timeline_terminal
from policydiff.timeline import RunStats, Series, Timeline, document_year, timeline
from test_browser import _open

SERIES = SAMPLES / "series"
SCHEMA = json.loads(resources.files("policydiff").joinpath("schema/timeline.schema.json").read_text(encoding="utf-8"))
GDP = {2014: "7.5%左右", 2015: "7%左右", 2016: "6.5%-7%", 2017: "6.5%左右", 2018: "6.5%左右", 2019: "6%-6.5%",
       2021: "6%以上", 2022: "5.5%左右", 2023: "5%左右", 2024: "5%左右"}


def _chains(tl: Timeline) -> dict[str, list[tuple[int, str, str | None, str, bool, bool, str | None]]]:
    return {lin.id: [(e.year, e.kind, e.node_id, e.label, e.moved, e.renumbered, e.into) for e in lin.events]
            for lin in tl.lineages}


def _series(tl: Timeline, words: str) -> Series:
    """The series whose subject holds ``words`` (subjects are the quantities' own, with or without the verb)."""
    found = [s for s in tl.series if words in s.subject]
    assert len(found) == 1, [s.subject for s in tl.series]
    return found[0]


@pytest.fixture(scope="module")
def sample() -> Timeline:
    return timeline(sorted(SERIES.glob("*.txt")), jobs=1, terms=["双减", "教育质量提升年"])


@pytest.fixture(scope="module")
def reports(corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    files = [corpora / "gov-work-report" / f"{y}.txt" for y in GDP]
    return timeline(files, jobs=2, terms=["碳达峰", "放管服", "精准扶贫"],
                    cache_dir=tmp_path_factory.mktemp("cache"))


def test_sample_lineages_give_exactly_the_expected_chains(sample: Timeline) -> None:
    chains = _chains(sample)
    # 师德师风: renumbered 2. → 3. (a measure inserted before it), then moved to the new part 四 as 7.
    assert chains["2021:3.2"] == [(2021, "present", "3.2", "2.", False, False, None),
                                  (2022, "unchanged", "3.3", "3.", False, True, None),
                                  (2023, "unchanged", "6.1", "7.", True, True, None)]
    # 体育 and 美育: renumbered, then merged into one measure; 体育 carries on, 美育 ends into it.
    assert chains["2021:5.1"] == [(2021, "present", "5.1", "5.", False, False, None),
                                  (2022, "unchanged", "5.1", "6.", False, True, None),
                                  (2023, "merged", "5.1", "5.", False, True, None)]
    assert chains["2021:5.2"] == [(2021, "present", "5.2", "6.", False, False, None),
                                  (2022, "unchanged", "5.2", "7.", False, True, None),
                                  (2023, "merged", "5.1", "5.", False, False, "2021:5.1")]
    assert chains["2022:3.2"] == [(2022, "added", "3.2", "2.", False, False, None),
                                  (2023, "unchanged", "3.2", "2.", False, False, None)]
    assert chains["2023:6.2"] == [(2023, "added", "6.2", "8.", False, False, None)]
    assert len(chains) == 9
    merged = next(lin for lin in sample.lineages if lin.id == "2021:5.1")
    assert merged.titles == ("加强学校体育工作。", "加强学校体育美育工作。")
    assert [merged.state(y) for y in sample.years] == ["present", "unchanged", "merged"]
    ended = next(lin for lin in sample.lineages if lin.id == "2021:5.2")
    assert [ended.state(y) for y in sample.years] == ["present", "unchanged", "merged"]


def test_sample_targets_and_phrases(sample: Timeline) -> None:
    series = _series(sample, "一级幼儿园")
    assert [(p.year, p.text) for p in series.points] == [(2021, "2所"), (2022, "3所"), (2023, "4所")]
    shuangjian = sample.phrase("双减")
    assert shuangjian is not None and shuangjian.kind == "term" and shuangjian.counts == ((2022, 1), (2023, 1))
    quoted = sample.phrase("“教育质量提升年”", kind="quoted")
    assert quoted is not None and quoted.kind == "quoted" and (quoted.first, quoted.last) == (2021, 2022)


def test_a_missing_year_is_a_gap_not_removed_and_added_again() -> None:
    tl = timeline([SERIES / "2023.txt", SERIES / "2021.txt"], jobs=1)
    assert tl.years == (2021, 2023) and tl.gaps == (2022,)
    assert tl.columns() == ((2021, 2021, False), (2022, 2022, True), (2023, 2023, False))
    chains = _chains(tl)
    assert chains["2021:3.2"] == [(2021, "present", "3.2", "2.", False, False, None),
                                  (2023, "unchanged", "6.1", "7.", True, True, None)]
    assert not any(e.kind == "removed" for lin in tl.lineages for e in lin.events)


def test_a_measure_left_out_for_a_year_returns_in_its_lineage(tmp_path: Path) -> None:
    shutil.copy(SERIES / "2021.txt", tmp_path / "2021.txt")
    shutil.copy(SERIES / "2023.txt", tmp_path / "2023.txt")
    lines = (SERIES / "2022.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "2022.txt").write_text("".join(x for x in lines if "师德师风" not in x), encoding="utf-8")
    tl = timeline(sorted(tmp_path.glob("*.txt")), jobs=1)
    chains = _chains(tl)
    assert chains["2021:3.2"] == [(2021, "present", "3.2", "2.", False, False, None),
                                  (2022, "removed", None, "", False, False, None),
                                  (2023, "returned", "6.1", "7.", False, True, None)]
    assert "2023:6.1" not in chains
    lin = next(x for x in tl.lineages if x.id == "2021:3.2")
    assert [lin.state(y) for y in tl.years] == ["present", "absent", "returned"]
    assert len(tl.lineages) == len({x.id for x in tl.lineages})


def test_workers_and_cache_give_the_same_timeline_and_adding_a_year_recomputes_one_pair(
        sample: Timeline, tmp_path: Path) -> None:
    stats: list[RunStats] = []
    two = timeline([SERIES / "2021.txt", SERIES / "2022.txt"], jobs=2, cache_dir=tmp_path, stats=stats)
    assert stats[-1] == RunStats(pairs_computed=1, pairs_cached=0, documents_parsed=2)
    assert two.lineages[0].events[-1].year == 2022
    three = timeline(sorted(SERIES.glob("*.txt")), jobs=2, cache_dir=tmp_path, stats=stats,
                     terms=["双减", "教育质量提升年"])
    assert stats[-1] == RunStats(pairs_computed=1, pairs_cached=1, documents_parsed=1)
    assert three.lineages == sample.lineages and three.series == sample.series and three.phrases == sample.phrases
    again = timeline(sorted(SERIES.glob("*.txt")), jobs=2, cache_dir=tmp_path, stats=stats)
    assert stats[-1] == RunStats(pairs_computed=0, pairs_cached=2, documents_parsed=0)
    assert again.lineages == sample.lineages
    assert [p.cached for p in again.pairs] == [True, True]


def test_years_from_titles_and_parsed_documents(sample: Timeline, tmp_path: Path) -> None:
    for name, year in (("c.txt", 2021), ("a.txt", 2022), ("b.txt", 2023)):
        (tmp_path / name).write_text((SERIES / f"{year}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    stats: list[RunStats] = []
    tl = timeline(sorted(tmp_path.glob("*.txt")), jobs=2, stats=stats)
    assert [(d.year, Path(d.path).name) for d in tl.documents] == [(2021, "c.txt"), (2022, "a.txt"), (2023, "b.txt")]
    assert stats[-1].documents_parsed == 3 and tl.lineages == sample.lineages
    docs = [policydiff.read(SERIES / f"{y}.txt") for y in (2023, 2021, 2022)]
    assert policydiff.timeline(docs, jobs=1).lineages == sample.lineages


def test_progress_is_reported_up_to_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    timeline(sorted(SERIES.glob("*.txt")), jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_damaged_cache_is_recomputed_not_trusted(sample: Timeline, tmp_path: Path) -> None:
    files = sorted(SERIES.glob("*.txt"))
    timeline(files, jobs=1, cache_dir=tmp_path)
    entries = sorted(tmp_path.rglob("*.json"))
    assert len(entries) == 5  # three documents, two pairs
    entries[0].write_text("{not json", encoding="utf-8")
    for e in entries[1:]:
        data = json.loads(e.read_text(encoding="utf-8"))
        data["value"] = {"changes": "oops", "nodes": 3}
        e.write_text(json.dumps(data), encoding="utf-8")
    stats: list[RunStats] = []
    tl = timeline(files, jobs=1, cache_dir=tmp_path, stats=stats)
    assert stats[-1] == RunStats(pairs_computed=2, pairs_cached=0, documents_parsed=3)
    assert tl.lineages == sample.lineages


def test_changed_content_misses_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(SERIES, folder)
    stats: list[RunStats] = []
    timeline(sorted(folder.glob("*.txt")), jobs=1, cache_dir=tmp_path / "cache", stats=stats)
    text = (folder / "2023.txt").read_text(encoding="utf-8")
    (folder / "2023.txt").write_text(text.replace("创建一级幼儿园4所", "创建一级幼儿园5所"), encoding="utf-8")
    tl = timeline(sorted(folder.glob("*.txt")), jobs=1, cache_dir=tmp_path / "cache", stats=stats)
    assert stats[-1] == RunStats(pairs_computed=1, pairs_cached=1, documents_parsed=1)
    assert _series(tl, "一级幼儿园").points[-1].text == "5所"  # a series needs two years (SERIES_MIN_YEARS)


@pytest.mark.parametrize(("path", "title", "meta", "year"), [
    ("2021.txt", "", {}, 2021),
    ("haining-edu-2021.html", "海宁市二〇二一年教育工作意见", {"成文日期": "2021-02-05"}, 2021),
    ("opinion.txt", "海宁市二〇二二年教育工作意见", {"成文日期": "2021-12-30"}, 2022),
    ("opinion.txt", "2023年工作要点", {}, 2023),
    ("opinion.txt", "首先报告２００１年的工作", {"成文日期": "2002年3月5日"}, 2002),
    ("opinion.txt", "“十四五”2021—2025年规划要点", {"成文日期": "2021-03-01"}, 2021),
])
def test_document_year(path: str, title: str, meta: dict[str, str], year: int) -> None:
    assert document_year(path, title, meta) == year


def test_unknown_and_duplicate_years_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot tell which year"):
        document_year("notes.txt", "工作要点", {})
    twin = tmp_path / "plan-2022.txt"
    twin.write_text((SERIES / "2022.txt").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="is for 2022, like"):
        timeline([SERIES / "2022.txt", twin, SERIES / "2021.txt"], jobs=1)


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("一、总则\n1.做好工作。内容。\n", encoding="utf-8")
    assert main(["timeline", str(tmp_path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("policydiff: error: ") and "cannot tell which year" in err
    assert main(["timeline", str(tmp_path / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["timeline", str(empty)]) == 2
    assert "holds no document" in capsys.readouterr().err


def test_cli_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    for fmt in ("json", "csv", "html", "terminal"):
        out = tmp_path / f"tl.{fmt}"
        code = main(["timeline", str(SERIES), "-f", fmt, "-o", str(out), "--cache-dir", str(cache), "--jobs", "1",
                     "--term", "双减"])
        assert code == 0, capsys.readouterr().err
        assert out.stat().st_size > 500
    data = json.loads((tmp_path / "tl.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [d["year"] for d in data["documents"]] == [2021, 2022, 2023]
    assert data["phrases"][0] == {"text": "双减", "kind": "term", "first": 2022, "last": 2023,
                                  "counts": {"2022": 1, "2023": 1}}
    assert any(p.is_file() for p in cache.rglob("*.json"))


def test_views_of_the_sample(sample: Timeline) -> None:
    data = json.loads(timeline_json.render_timeline(sample))
    jsonschema.validate(data, SCHEMA)
    lin = next(x for x in data["lineages"] if x["id"] == "2021:5.2")
    assert lin["events"][-1] == {"year": 2023, "kind": "merged", "node_id": "5.1", "label": "5.",
                                 "title": "加强学校体育美育工作。", "moved": False, "renumbered": False, "from": None,
                                 "into": "2021:5.1"}
    assert data["pairs"][1]["counts"]["merged"] == 1 and data["pairs"][1]["added"] == ["8.深化教师队伍管理改革。"]
    rows = list(csv.DictReader(io.StringIO(timeline_csv.render_timeline(sample))))
    assert len(rows) == 3 * (len(sample.lineages) + len(sample.phrases))
    assert {(r["year"], r["state"]) for r in rows if r["id"] == "2021:3.2"} == {
        ("2021", "present"), ("2022", "unchanged"), ("2023", "moved")}
    assert {(r["year"], r["count"]) for r in rows if r["record"] == "phrase" and r["text"] == "双减"} == {
        ("2021", "0"), ("2022", "1"), ("2023", "1")}
    text = timeline_terminal.render_timeline(sample)
    row = next(line for line in text.splitlines() if line.startswith("7.加强师德师风建设。"))
    assert row.split()[-3:] == ["●", "●", "→"]
    row = next(line for line in text.splitlines() if line.startswith("2.加强思想政治工作。"))
    assert row.split()[-3:] == ["○", "+", "●"]


def test_html_escapes_every_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    (tmp_path / "2021.txt").write_text(f"一、总则\n1.{hostile}工作。内容“<b>口号</b>”。\n", encoding="utf-8")
    (tmp_path / "2022.txt").write_text(f"一、总则\n1.{hostile}工作。新内容“<b>口号</b>”。\n", encoding="utf-8")
    tl = timeline(sorted(tmp_path.glob("*.txt")), jobs=1, terms=[hostile])
    page = timeline_html.render_timeline(tl)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;口号&lt;/b&gt;" in page


def test_control_characters_are_shown_not_obeyed(tmp_path: Path) -> None:
    for year in (2021, 2022):
        (tmp_path / f"{year}.txt").write_text(f"一、总则\n1.加强\x1b[2J管理\u202e工作。内容{year}“口\x07号”。\n",
                                              encoding="utf-8")
    tl = timeline(sorted(tmp_path.glob("*.txt")), jobs=1)
    page = timeline_html.render_timeline(tl)
    text = timeline_terminal.render_timeline(tl)
    for out in (page, text):
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    # the parser drops control characters from node text (kept in spans: issue 12, text.py)
    assert "加强[2J管理" in page and "加强[2J管理" in text


def test_gdp_target_series_and_phrases_over_the_reports(reports: Timeline) -> None:
    assert reports.gaps == (2020,)
    gdp = reports.series_of("国内生产总值增长")
    assert gdp is not None
    assert {p.year: unicodedata.normalize("NFKC", p.text) for p in gdp.points} == GDP
    years = set(reports.years)

    def present(text: str) -> set[int]:
        p = reports.phrase(text)
        assert p is not None
        return {y for y, n in p.counts if n > 0} & years

    assert min(present("碳达峰")) == 2021
    assert present("放管服") == {2017, 2018, 2019, 2021, 2022}
    assert present("精准扶贫") == {2014, 2015, 2016, 2017, 2018, 2023}
    # 2019 → 2021 is compared directly: every measure alive in 2019 has a 2021 event, none is "added" twice.
    alive = [lin for lin in reports.lineages
             if (e := lin.event(2019)) is not None and e.kind != "removed" and e.into is None]
    assert alive and all(lin.event(2021) is not None for lin in alive)
    assert all(lin.event(2020) is None for lin in reports.lineages)


def test_html_in_browser(reports: Timeline, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    chromium: Any = request.getfixturevalue("browser")
    page_file = tmp_path / "timeline.html"
    page_file.write_text(timeline_html.render_timeline(reports), encoding="utf-8")
    for js in (True, False):
        page, requests, errors = _open(chromium, page_file, js=js)
        assert errors == [] and requests == [page_file.as_uri()]
        cells = page.locator("table.heatmap tbody td")
        rows = len(timeline_html.heatmap_phrases(reports))
        assert rows >= 3 and cells.count() == rows * len(reports.columns())
        broken = page.evaluate("""() => [...document.querySelectorAll('table.heatmap tbody td')]
            .filter(td => { const a = td.querySelector('a[href^="#"]');
                            return !a || !document.getElementById(a.getAttribute('href').slice(1)); }).length""")
        assert broken == 0
        assert page.locator("#targets svg").count() >= 3
        box = page.locator("#targets svg").first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert page.locator("#targets svg polyline").count() >= 2  # the GDP line is broken at 2020
        page.click("table.heatmap tbody tr:first-child td:last-child a")
        assert page.evaluate("location.hash") == "#year-2024"
        assert page.locator("#year-2020").inner_text().startswith("2020")
        page.context.close()
