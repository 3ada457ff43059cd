"""Build test documents in 公文 layout from a plain text: HTML → PDF (Chromium), DOCX with automatic
numbering, and OFD packages. Shared by the reader tests and ``bench/read_pdf.py``; nothing here is
copied from real documents, the text comes from the caller.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

ORGAN = "青溪县教育局"
DOC_NUMBER = "青教〔2022〕2号"
COPY_TO = "抄送：县委办公室，县人民政府办公室，市教育局。"
PRINTED_BY = "青溪县教育局办公室"
PRINTED_ON = "2022年2月18日印发"

# 公文 page (GB/T 9704): A4, text block 156 mm × 225 mm, 三号 (16 pt) type, 28 characters a line. The
# line pitch puts 28 lines on a page (the standard says 22; the issue asks for 28–30 lines).
_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: 'AR PL UMing CN', 'AR PL UMing TW', 'WenQuanYi Zen Hei', serif; font-size: 16pt; line-height: 7.8mm; margin: 0;
       width: 156mm; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.organ { color: #c00; font-size: 36pt; line-height: 20mm; text-align: center; text-indent: 0; letter-spacing: 2pt; }
.docno { text-align: center; text-indent: 0; }
.redline { border-top: 2px solid #c00; margin: 4mm 0 8mm; }
.title { font-size: 22pt; line-height: 12mm; text-align: center; text-indent: 0; margin: 4mm 0; }
.noindent { text-indent: 0; }
.right { text-align: right; text-indent: 0; padding-right: 4em; }
.banji { break-before: page; margin-top: 150mm; border-top: 1px solid #000; border-bottom: 1px solid #000; }
.banji p { text-indent: 1em; }
.banji .printed { display: flex; justify-content: space-between; padding: 0 1em; text-indent: 0; }
"""

FOOTER = ('<div style="width:100%;font-size:14pt;text-align:center;font-family:\'WenQuanYi Zen Hei\'">'
          '— <span class="pageNumber"></span> —</div>')


def gongwen_html(text: str) -> str:
    """The text's paragraphs in 公文 layout: 版头, centred title, indented paragraphs, 版记 page."""
    out = [f'<p class="organ">{ORGAN}文件</p>', f'<p class="docno">{DOC_NUMBER}</p>', '<div class="redline"></div>']
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for ln in lines:
        e = html.escape(ln)
        if re.fullmatch(r"\S{4,30}(工作要点|工作意见|工作报告|实施方案)", ln):
            out.append(f'<p class="title">{e}</p>')
        elif ln.endswith("：") and len(ln) < 40:
            out.append(f'<p class="noindent">{e}</p>')
        elif re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ln) or (len(ln) < 12 and ln.endswith("局")):
            out.append(f'<p class="right">{e}</p>')
        else:
            out.append(f"<p>{e}</p>")
    out.append(f'<div class="banji"><p>{COPY_TO}</p><p class="printed"><span>{PRINTED_BY}</span>'
               f"<span>{PRINTED_ON}</span></p></div>")
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{_CSS}</style></head><body>{"".join(out)}</body></html>'


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (root needs --no-sandbox)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    args = ["--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield b
        finally:
            b.close()


def print_pdf(browser: Any, page_html: str, out: Path, header: str = "") -> Path:
    """Print an HTML page to an A4 PDF with 公文 page numbers "— N —" in the footer (and a running header)."""
    page = browser.new_page()
    page.set_content(page_html, wait_until="load")
    head = (f'<div style="width:100%;font-size:10pt;text-align:center;font-family:\'WenQuanYi Zen Hei\'">'
            f"{html.escape(header)}</div>") if header else "<span></span>"
    page.pdf(path=str(out), format="A4", display_header_footer=True, header_template=head,
             footer_template=FOOTER, prefer_css_page_size=True, margin={"bottom": "35mm"})
    page.close()
    return out


# --- DOCX with automatic numbering -----------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_package(body_xml: str, numbering_xml: str = "", extra: dict[str, str] | None = None) -> bytes:
    """A minimal DOCX zip around ``body_xml`` (the inside of ``w:body``) and an optional numbering part."""
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W_NS}"><w:body>'
           f"{body_xml}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", doc)
        if numbering_xml:
            zf.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{_W_NS}">'
                        f"{numbering_xml}</w:numbering>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def w_para(text: str, num_id: int | None = None, ilvl: int = 0) -> str:
    """One ``w:p``; with ``num_id`` it is automatically numbered (``w:numPr``), its label not in the text."""
    ppr = "" if num_id is None else (f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
                                     "</w:pPr>")
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p>'


def w_abstract(abs_id: int, levels: list[tuple[str, str, int | None]]) -> str:
    """``w:abstractNum`` with levels (numFmt, lvlText, lvlRestart or None for Word's default)."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ("" if restart is None else f'<w:lvlRestart w:val="{restart}"/>')
        + f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, restart) in enumerate(levels)
    )
    return f'<w:abstractNum w:abstractNumId="{abs_id}">{lvls}</w:abstractNum>'


def w_num(num_id: int, abs_id: int, start_override: dict[int, int] | None = None) -> str:
    overrides = "".join(f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                        for lvl, v in (start_override or {}).items())
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abs_id}"/>{overrides}</w:num>'


def numbered_docx(lines: list[tuple[int | None, str]]) -> bytes:
    """The sample as Word writes it with a two-level list: parts chineseCounting "%1、", measures decimal
    "%2." counted through the document (``w:lvlRestart w:val="0"``); no label is in the text.

    ``lines`` are (level, text) with level None for an unnumbered paragraph.
    """
    body = "".join(w_para(text) if level is None else w_para(text, 1, level) for level, text in lines)
    numbering = w_abstract(0, [("chineseCounting", "%1、", None), ("decimal", "%2.", 0)]) + w_num(1, 0)
    return docx_package(body, numbering)


# --- OFD --------------------------------------------------------------------------------------------

_OFD_NS = "http://www.ofdspec.org/2016"


def ofd_package(pages: list[list[str | tuple[str, int]]], *, chars_per_line: int = 28) -> bytes:
    """An OFD (GB/T 33190) zip: OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml.

    Each page holds the given paragraphs hard-wrapped at ``chars_per_line`` characters, one TextObject a
    line (the way 公文 OFDs come out of layout software), with the page number "— N —" at the bottom.
    """
    left, top, pitch = 28.0, 37.0, 8.0
    char_w = 156.0 / chars_per_line  # 三号 type (16 pt ≈ 5.6 mm): 28 characters span the 156 mm text block
    size = char_w
    page_entries = []
    files: dict[str, str] = {}
    for n, paras in enumerate(pages):
        objs = []
        y = top
        oid = 1
        for item in paras:
            para, indent = item if isinstance(item, tuple) else (item, 0 if re.match(r"[一二三四五六七八九十]+、", item)
                                                                  else 2)
            text = para
            first = True
            while text:
                room = chars_per_line - (indent if first else 0)
                chunk, text = text[:room], text[room:]
                x = left + (indent * char_w if first else 0)
                objs.append(
                    f'<ofd:TextObject ID="{oid}" Boundary="{x:.2f} {y:.2f} {len(chunk) * char_w:.2f} {pitch:.2f}" '
                    f'Font="1" Size="{size:.2f}"><ofd:TextCode X="0" Y="{size:.2f}" '
                    f'DeltaX="g {len(chunk) - 1} {char_w:.2f}">{html.escape(chunk)}</ofd:TextCode></ofd:TextObject>'
                )
                oid += 1
                y += pitch
                first = False
        objs.append(f'<ofd:TextObject ID="{oid}" Boundary="95 270 20 8" Font="1" Size="4.9">'
                    f"<ofd:TextCode X=\"0\" Y=\"4.9\">— {n + 1} —</ofd:TextCode></ofd:TextObject>")
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="0">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
        page_entries.append(f'<ofd:Page ID="{100 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData>'
        '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
        f'<ofd:Pages>{"".join(page_entries)}</ofd:Pages></ofd:Document>')
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
