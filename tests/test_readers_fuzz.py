"""Readers never raise anything but ``InputError``: random HTML, DOCX, OFD and PDF-headed bytes (hypothesis).

Bounded: a few dozen examples each, so the file adds seconds to ``make test``. Whatever a reader
returns keeps the "nothing lost" invariant once parsed.
"""

from __future__ import annotations

import doctest
import html
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
import policydiff.readers.docx
import policydiff.readers.layout
from conftest import assert_coverage
from policydiff import InputError
from policydiff.sources import read_bytes

_CHARS = [*"一二三、1.（）：；。，发文字号索引号抄送附件推进工作\n\t <>&\"'", "\x0b", "\u2028", "\x1b", "\ufeff", "&#x1b;"]
_TEXT = st.lists(st.sampled_from(_CHARS), max_size=60).map("".join)
_TAGS = ["div", "p", "table", "tr", "td", "ul", "li", "span", "br", "a", "script", "nav", "dl", "dd", "dt"]


@st.composite
def html_tree(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    cls = draw(st.sampled_from(["", " class='zoom'", " class='nav'", " id='content'"]))
    children = draw(st.lists(html_tree(depth + 1) if depth < 4 else st.just(""), max_size=3))
    return f"<{tag}{cls}>{html.escape(draw(_TEXT))}{''.join(children)}</{tag}>{html.escape(draw(_TEXT))}"


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes, name: str) -> None:
    try:
        src = read_bytes(data, name)
    except InputError:
        return
    assert_coverage(policydiff.parse(src.text, metadata=src.metadata, source_format=src.source_format))


@SETTINGS
@given(html_tree(), st.booleans())
def test_random_html(tree: str, xml_decl: bool) -> None:
    decl = '<?xml version="1.0" encoding="utf-8"?>' if xml_decl else ""
    _check(f"{decl}<html><body>{tree}</body></html>".encode(), "page.html")


@st.composite
def docx_body(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        num = draw(st.sampled_from(["", '<w:pPr><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{}"/></w:numPr></w:pPr>']))
        num = num.format(draw(st.sampled_from(["0", "1", "9", "-1", "x"])), draw(st.sampled_from(["0", "1", "2", ""])))
        run = draw(st.sampled_from(["<w:r><w:t>{}</w:t></w:r>", "<w:del><w:r><w:delText>{}</w:delText></w:r></w:del>",
                                    "<w:ins><w:r><w:t>{}</w:t></w:r></w:ins>", "<w:r><w:tab/><w:br/></w:r>"]))
        parts.append(f"<w:p>{num}{run.format(html.escape(draw(_TEXT)))}</w:p>")
    return "".join(parts)


@SETTINGS
@given(docx_body(), st.sampled_from(["decimal", "chineseCounting", "ideographTraditional", "bogus"]),
       st.sampled_from(["%1、", "（%1）", "%1.%2", "%9", ""]))
def test_random_docx(body: str, fmt: str, text: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
        zf.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="0">'
                    f'<w:lvl w:ilvl="0"><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                    f'<w:lvl w:ilvl="1"><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
                    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    _check(buf.getvalue(), "doc.docx")


@SETTINGS
@given(st.lists(st.tuples(_TEXT, st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False)),
                max_size=8), st.sampled_from(["g 2 3.5", "1 2 x", "", "g x"]))
def test_random_ofd(objs: list[tuple[str, float, float]], delta: str) -> None:
    ns = "http://www.ofdspec.org/2016"
    content = "".join(f'<ofd:TextObject ID="{i}" Boundary="{x} {y} 10 5" Size="5"><ofd:TextCode X="0" Y="5" '
                      f'DeltaX="{delta}">{html.escape(t)}</ofd:TextCode></ofd:TextObject>'
                      for i, (t, x, y) in enumerate(objs))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{ns}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                    "</ofd:DocBody></ofd:OFD>")
        zf.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{ns}"><ofd:Pages>'
                    '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>')
        zf.writestr("Doc_0/Pages/Page_0/Content.xml", f'<ofd:Page xmlns:ofd="{ns}"><ofd:Content><ofd:Layer>'
                    f"{content}</ofd:Layer></ofd:Content></ofd:Page>")
    _check(buf.getvalue(), "doc.ofd")


@SETTINGS
@given(st.binary(max_size=300))
def test_random_pdf_headed_bytes(tail: bytes) -> None:
    _check(b"%PDF-1.7\n" + tail, "doc.pdf")


def test_reader_doctests() -> None:
    for module in (policydiff.readers.layout, policydiff.readers.docx):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted >= 1
