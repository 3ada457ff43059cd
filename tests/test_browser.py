"""The HTML report in a real browser (Chromium from the distribution, driven by Playwright).

Skipped only when no Chromium is installed and CI is unset; in CI a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policydiff
from conftest import SAMPLES
from policydiff.compare import compare
from policydiff.render import html
from policydiff.render import json as json_render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium (apt-get install chromium)")
        pytest.skip("no chromium on this machine")
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield b
        b.close()


def _open(browser: Any, path: Path, *, js: bool = True) -> tuple[Any, list[str], list[str]]:
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, errors


def _sample() -> policydiff.Comparison:
    return compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))


def test_sample_report_in_browser(browser: Any, tmp_path: Path) -> None:
    cmp = _sample()
    data = json.loads(json_render.render_comparison(cmp))
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(cmp), encoding="utf-8")
    page, requests, errors = _open(browser, report)
    for kind, n in data["summary"]["total"].items():
        assert page.inner_text(f"#count-{kind}") == str(n), kind
    rows = page.locator("tr.change")
    assert rows.count() == len(data["changes"])
    total = data["summary"]["total"]
    expected = {
        "all": len(data["changes"]),
        "changed": sum(1 for c in data["changes"] if c["kind"] != "unchanged" or c["moved"]),
        "added": total["added"], "removed": total["removed"], "reworded": total["reworded"],
        "moved": total["moved"], "merged": total["merged"], "split": total["split"],
    }
    assert total["merged"] == 1 and total["split"] == 1 and total["condensed"] == 0
    for name, count in expected.items():
        page.click(f"button[data-filter={name}]")
        assert page.locator("tr.change:visible").count() == count, name
        assert page.get_attribute(f"button[data-filter={name}]", "aria-pressed") == "true"
    assert page.locator("button[data-filter=condensed]").count() == 0  # none in the sample: no empty filter
    assert requests == [report.as_uri()]
    assert errors == []


def test_changes_only_opens_with_the_filter_on(browser: Any, tmp_path: Path) -> None:
    cmp = _sample()
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(cmp, changes_only=True), encoding="utf-8")
    page, _, errors = _open(browser, report)
    assert page.get_attribute("button[data-filter=changed]", "aria-pressed") == "true"
    assert page.locator("tr.change:visible").count() == sum(1 for c in cmp.changes if c.kind != "unchanged" or c.moved)
    assert errors == []


def test_toc_link_into_a_filtered_out_part_lands(browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(_sample()), encoding="utf-8")
    page, _, errors = _open(browser, report)
    page.click("button[data-filter=removed]")
    assert not page.locator("#part-2").is_visible()
    page.click("nav.toc a[href='#part-2']")
    assert page.locator("#part-2").is_visible()
    assert page.evaluate("document.querySelector('#part-2').getBoundingClientRect().top") < 900
    assert errors == []


RUN_LENGTH = """() => {
  // longest run of inserted or deleted text in one side of a sentence line whose two sides share text
  let worst = 0;
  const shared = (el) => Array.from(el.childNodes).some(x => x.nodeType === 3 && x.textContent.trim());
  for (const s of document.querySelectorAll('tr.change .s')) {
    const o = s.querySelector(':scope > .o'), n = s.querySelector(':scope > .n');
    if (!o || !n || !shared(o) || !shared(n)) continue;
    for (const side of [o, n]) {
      let run = 0;
      for (const x of side.childNodes) {
        if (x.nodeType === 1 && (x.tagName === 'INS' || x.tagName === 'DEL')) {
          run += x.textContent.length; worst = Math.max(worst, run);
        } else run = 0;
      }
    }
  }
  return worst;
}"""

LAYOUT = """() => {
  const line = document.querySelector('tr.k-reworded .s.k-reworded');
  const o = line.querySelector('.o').getBoundingClientRect(), n = line.querySelector('.n').getBoundingClientRect();
  return {scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
          oTop: o.top, oBottom: o.bottom, nTop: n.top, oLeft: o.left, nLeft: n.left,
          filterHeight: document.querySelector('.filters').getBoundingClientRect().height};
}"""


def test_real_report_reads_in_two_minutes(browser: Any, corpora: Path, tmp_path: Path) -> None:
    import pypdfium2

    a = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2022.txt")
    report = tmp_path / "gwr.html"
    report.write_text(html.render_comparison(compare(a, b)), encoding="utf-8")
    page, requests, errors = _open(browser, report)
    assert errors == [] and requests == [report.as_uri()]
    assert page.evaluate(RUN_LENGTH) <= 200
    assert 10 <= page.locator("#highlights li").count() <= 40
    assert page.locator("#highlights a[href^='#c-']").count() >= 20
    page.click("button[data-filter=changed]")
    assert page.locator("tr.change:visible").count() > 50
    wide = page.evaluate(LAYOUT)
    assert wide["scroll"] <= wide["width"] and wide["oTop"] == wide["nTop"] and wide["oLeft"] < wide["nLeft"]
    page.set_viewport_size({"width": 390, "height": 844})
    narrow = page.evaluate(LAYOUT)
    assert narrow["scroll"] <= narrow["width"], narrow  # no horizontal scrolling
    assert narrow["oBottom"] <= narrow["nTop"] and narrow["oLeft"] == narrow["nLeft"]  # old above new
    assert narrow["filterHeight"] < 0.2 * 844
    # the highlights alone print on one A4 page
    page.add_style_tag(content="body > :not(#highlights) { display: none !important; }")
    pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True))
    assert len(pdf) == 1


def test_print_follows_the_filter_with_page_numbers(browser: Any, tmp_path: Path) -> None:
    import re

    import pypdfium2

    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(_sample()), encoding="utf-8")
    page, _, errors = _open(browser, report)
    pages = {}
    for name in ("all", "changed"):
        page.click(f"button[data-filter={name}]")
        pdf = pypdfium2.PdfDocument(page.pdf(prefer_css_page_size=True))
        pages[name] = len(pdf)
        for i in range(len(pdf)):
            text = pdf[i].get_textpage().get_text_range()
            assert re.search(rf"第 {i + 1} 页", text), (name, i)
            assert "青溪县二〇二二年教育工作要点 → 青溪县二〇二三年教育工作要点" in text, (name, i)
    assert pages["changed"] < pages["all"]
    assert errors == []


def test_report_reads_without_javascript(browser: Any, tmp_path: Path) -> None:
    cmp = compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(cmp), encoding="utf-8")
    page, _, errors = _open(browser, report, js=False)
    assert page.locator("tr.change:visible").count() == len(cmp.changes)
    assert not page.locator(".filters").is_visible()
    folds = page.locator("tr.k-reworded details.same")
    assert folds.count() > 0
    first = folds.first
    assert not first.locator(".s").first.is_visible()  # unchanged sentences folded …
    first.locator("summary").click()
    assert first.locator(".s").first.is_visible()  # … and open with a click, without JavaScript
    assert errors == []


def test_hostile_document_runs_no_script(browser: Any, tmp_path: Path) -> None:
    hostile = ("一、<script>alert(1)</script>部分\n1.<img src=x onerror=alert(2)>测试工作。内容\"'&。\n"
               "2.<svg onload=alert(3)>另一项。正文</textarea><script>alert(4)</script>。\n")
    a = policydiff.parse(hostile)
    b = policydiff.parse(hostile.replace("内容", "新内容").replace("正文", "新正文"))
    report = tmp_path / "hostile.html"
    report.write_text(html.render_comparison(compare(a, b)), encoding="utf-8")
    page, requests, errors = _open(browser, report)
    assert errors == []  # no alert dialog, no script error
    assert requests == [report.as_uri()]  # the <img src=x> was not an element, so nothing was fetched
    text = page.text_content("table.diff")  # folded sentences included
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert "\"'&" in text
    assert page.locator("table.diff img").count() == 0


def test_every_control_character_renders(browser: Any, tmp_path: Path) -> None:
    controls = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c != 0x0A)
    text = "一、控制" + controls + "部分\n1.测试" + controls + "工作。内容\ufffe\u202e。\n"
    a = policydiff.parse(text, path="a\x1b.txt")
    b = policydiff.parse(text.replace("内容", "新内容"), path="b.txt")
    report = tmp_path / "controls.html"
    report.write_text(html.render_comparison(compare(a, b)), encoding="utf-8")
    page, _, errors = _open(browser, report)
    assert errors == []
    # controls are dropped from node text by the parser; the file name is shown escaped
    assert "新内容" in page.inner_text("table.diff") and "a\\x1b.txt" in page.inner_text("table.diff")
