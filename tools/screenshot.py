"""Make the README's screenshot of the HTML report (``make screenshot``); never run by the tests.

Renders the bundled sample pair, opens it in the distribution's Chromium (Playwright, no browser
download), shows 仅看变化, and writes a 1280 × 1400 PNG to the path given (default
``docs/report-screenshot.png``). Needs a font with Chinese glyphs (``fonts-wqy-zenhei``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import policydiff
from policydiff.render import render

ROOT = Path(__file__).resolve().parents[1]


def main(out: Path) -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshot: no chromium on this machine (apt-get install chromium fonts-wqy-zenhei)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    cmp = policydiff.compare(policydiff.read(ROOT / "corpora" / "sample-2022.txt"),
                             policydiff.read(ROOT / "corpora" / "sample-2023.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        report.write_text(render(cmp, "html"), encoding="utf-8")
        args = ["--headless", "--disable-gpu", "--no-first-run"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args)
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(report.as_uri())
            page.click("button[data-filter=changed]")
            page.evaluate("document.querySelector('#changes').scrollIntoView()")
            page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": 1280, "height": 1400})
            browser.close()
    print(f"screenshot written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report-screenshot.png"))
