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
from conftest import ROOT, SAMPLES
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


def test_sample_report_in_browser(browser: Any, tmp_path: Path) -> None:
    cmp = compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))
    data = json.loads(json_render.render_comparison(cmp))
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(cmp), encoding="utf-8")
    page, requests, errors = _open(browser, report)
    for kind, n in data["summary"]["total"].items():
        assert page.inner_text(f"#count-{kind}") == str(n), kind
    rows = page.locator("tr.change")
    assert rows.count() == len(data["changes"])
    expected = {
        "all": len(data["changes"]),
        "changed": sum(1 for c in data["changes"] if c["kind"] != "unchanged" or c["moved"]),
        "added": data["summary"]["total"]["added"],
        "removed": data["summary"]["total"]["removed"],
        "reworded": data["summary"]["total"]["reworded"],
        "moved": data["summary"]["total"]["moved"],
    }
    for name, count in expected.items():
        page.click(f"button[data-filter={name}]")
        assert page.locator("tr.change:visible").count() == count, name
        assert page.get_attribute(f"button[data-filter={name}]", "aria-pressed") == "true"
    page.click("button[data-filter=changed]")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ROOT / "docs" / "report-screenshot.png"), full_page=False, clip={"x": 0, "y": 0, "width": 1280, "height": 1400})
    assert all(u.startswith("file://") for u in requests), requests
    assert requests == [report.as_uri()]
    assert errors == []


def test_report_reads_without_javascript(browser: Any, tmp_path: Path) -> None:
    cmp = compare(policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt"))
    report = tmp_path / "report.html"
    report.write_text(html.render_comparison(cmp), encoding="utf-8")
    page, _, errors = _open(browser, report, js=False)
    assert page.locator("tr.change:visible").count() == len(cmp.changes)
    assert not page.locator(".filters").is_visible()
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
    text = page.inner_text("table.diff")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert "\"'&" in text
    assert page.locator("table.diff img").count() == 0


def test_real_report_opens_cleanly(browser: Any, corpora: Path, tmp_path: Path) -> None:
    a = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2022.txt")
    report = tmp_path / "gwr.html"
    report.write_text(html.render_comparison(compare(a, b)), encoding="utf-8")
    page, requests, errors = _open(browser, report)
    assert errors == [] and requests == [report.as_uri()]
    page.click("button[data-filter=changed]")
    assert page.locator("tr.change:visible").count() > 50
