"""Read a ~30-page 公文 PDF (a State Council report printed by Chromium) against reading its text as UTF-8.

Target (issue 11): under 1 s for 30 pages. Also extracts the same PDF with pdfplumber (pdfminer.six)
when it is installed, the alternative measured in docs/decisions.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import policydiff
from _common import ROOT, best_of, corpora
from policydiff.readers.pdf import read_pdf
from policydiff.sources import read_source

sys.path.insert(0, str(ROOT / "tests"))
from gongwen import chromium_browser, gongwen_html, print_pdf


def _build(text: str, out: Path) -> None:
    try:
        with chromium_browser() as browser:
            print_pdf(browser, gongwen_html(text), out)
    except ImportError:  # no Playwright (bench without the test extra): the plain CLI, no page numbers
        html = out.with_suffix(".html")
        html.write_text(gongwen_html(text), encoding="utf-8")
        chromium = shutil.which("chromium") or "chromium"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
                        "--no-pdf-header-footer", html.as_uri()], check=True, capture_output=True, timeout=120)


def main() -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        sys.exit("bench: read_pdf needs chromium to print the PDF")
    src = corpora() / "gov-work-report" / "2019.txt"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        _build(src.read_text(encoding="utf-8"), pdf)
        data = pdf.read_bytes()
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(data))
        text_t, _ = best_of(5, lambda: read_source(src))
        pdf_t, s = best_of(5, lambda: read_pdf(data, str(pdf)))
        parse_t, _ = best_of(3, lambda: policydiff.read(pdf))
        same = re.sub(r"\s", "", s.text) == re.sub(r"\s", "", src.read_text(encoding="utf-8"))
        print(f"read_pdf: {pages} pages, {len(s.text)} chars extracted in {pdf_t:.3f} s (target < 1 s); "
              f"reading the text as UTF-8 {text_t * 1000:.1f} ms, PDF/text ratio {pdf_t / text_t:.0f}x; "
              f"read+parse {parse_t:.3f} s; same characters as the text: {same}")
        try:
            import pdfplumber
        except ImportError:
            print("read_pdf: pdfplumber not installed (pip install pdfplumber to compare)")
            return

        def plumber() -> str:
            with pdfplumber.open(pdf) as p:
                return "\n".join(pg.extract_text() or "" for pg in p.pages)

        plumber_t, ptext = best_of(3, plumber)
        def raw() -> str:
            return "".join(pg.get_textpage().get_text_range() for pg in pdfium.PdfDocument(data))

        raw_t, rtext = best_of(3, raw)
        same_chars = re.sub(r"\s", "", ptext) == re.sub(r"\s", "", rtext)
        print(f"read_pdf: raw extraction pypdfium2 {raw_t:.3f} s vs pdfplumber {plumber_t:.3f} s "
              f"({plumber_t / raw_t:.1f}x slower); same characters: {same_chars}")


if __name__ == "__main__":
    main()
