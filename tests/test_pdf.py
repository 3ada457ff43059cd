"""PDF input: a 公文-layout PDF printed by Chromium from the seed-genre sample parses like its text.

The PDFs are built here (Debian's Chromium via Playwright, WenQuanYi Zen Hei as the CJK font, A4,
28 lines a page, "— N —" page numbers, 版头 on the first page and a 版记 block on the last), never
stored in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import policydiff
from conftest import SAMPLES, assert_coverage
from gongwen import DOC_NUMBER, ORGAN, gongwen_html, print_pdf
from policydiff import InputError
from policydiff.cli import main
from policydiff.readers import layout

BODY = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8").split("主题分类：教育\n", 1)[1]
HEADER = "青溪县二〇二二年教育工作要点（印发稿）"


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str, str | None]]:
    return [(n.kind, n.label, n.title, n.body, n.front_role) for n in doc.nodes()]


@pytest.fixture(scope="module")
def pdfs(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdf")
    scan = ('<!DOCTYPE html><html><body style="margin:0"><div style="width:150mm;height:200mm;'
            'background:repeating-linear-gradient(0deg,#000 0 2mm,#fff 2mm 6mm)"></div></body></html>')
    return {
        "plain": print_pdf(browser, gongwen_html(BODY), d / "plain.pdf"),
        "header": print_pdf(browser, gongwen_html(BODY), d / "header.pdf", header=HEADER),
        "scan": print_pdf(browser, scan, d / "scan.pdf"),
    }


def test_pdf_is_a_gongwen_layout(pdfs: dict[str, Path]) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdfs["plain"])
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(pages) >= 3
    assert round(pdf[0].get_size()[0]) == 595  # A4 in points
    assert pages[1].strip().endswith("— 2 —")
    full_page_lines = [ln for ln in re.split(r"\r?\n", pages[1]) if ln.strip()]
    assert 28 <= len(full_page_lines) <= 30  # 28 lines of text and the page number
    assert pages[-1].lstrip().startswith("抄送")


@pytest.mark.parametrize("kind", ["plain", "header"])
def test_pdf_parses_into_the_same_tree_as_its_text(pdfs: dict[str, Path], kind: str) -> None:
    doc = policydiff.read(pdfs[kind])
    assert doc.source_format == "pdf"
    assert _shape(doc) == _shape(policydiff.parse(BODY))
    assert sum(1 for n in doc.nodes() if n.kind == "measure") == 20
    assert_coverage(doc)


@pytest.mark.parametrize("kind", ["plain", "header"])
def test_no_page_furniture_inside_any_node(pdfs: dict[str, Path], kind: str) -> None:
    doc = policydiff.read(pdfs[kind])
    assert not re.search(r"—\s*\d+\s*—", doc.text)
    assert HEADER not in doc.text
    for n in doc.nodes():
        assert "抄送" not in n.text and "印发" not in n.text[-8:], n.id


def test_bantou_and_banji_become_metadata(pdfs: dict[str, Path]) -> None:
    doc = policydiff.read(pdfs["plain"])
    assert doc.metadata["发文机关"] == ORGAN
    assert doc.metadata["发文字号"] == DOC_NUMBER
    assert doc.metadata["抄送"].startswith("县委办公室")
    assert doc.metadata["印发机关"] == "青溪县教育局办公室"
    assert doc.metadata["印发日期"] == "2022年2月18日"
    assert "文件" not in doc.text.split("\n")[0]


def test_scanned_pdf_is_a_clear_error(pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match=r"no text layer.*OCR"):
        policydiff.read(pdfs["scan"])
    assert main(["show", str(pdfs["scan"])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("policydiff: error: ") and "OCR" in err[0]


def test_pdf_diff_against_its_text_is_unchanged(pdfs: dict[str, Path]) -> None:
    cmp = policydiff.compare(policydiff.parse(BODY), policydiff.read(pdfs["header"]))
    assert [c.kind for c in cmp.changes if c.kind != "unchanged"] == []


def _line(text: str, x0: float, x1: float, top: float, page: int = 0) -> layout.Line:
    return layout.Line(text=text, x0=x0, x1=x1, top=top, page=page, char_width=10.0)


def test_right_margin_rule_joins_wrapped_lines_across_pages() -> None:
    # Margins 0–280: a line reaching 280 continues (even onto the next page), a shorter one ends.
    p1 = layout.Page(0, 300, 1000, (
        _line("1.第一项措施的标题。正文", 20, 280, 200),
        _line("继续的正文到页尾", 0, 280, 210),
        _line("— 1 —", 130, 170, 960),
    ))
    p2 = layout.Page(1, 300, 1000, (
        _line("下一页接着写完。", 0, 80, 100, 1),
        _line("2.第二项。", 20, 120, 110, 1),
        _line("— 2 —", 130, 170, 960, 1),
    ))
    paras = layout.paragraphs(layout.drop_furniture([p1, p2]))
    assert paras == ["1.第一项措施的标题。正文继续的正文到页尾下一页接着写完。", "2.第二项。"]


def test_running_headers_need_most_pages() -> None:
    pages = [layout.Page(i, 300, 1000, (_line("内部资料 注意保存", 0, 90, 20, i), _line(f"正文{i}开始", 20, 280, 300, i),
                                       _line(f"正文{i}结束。", 0, 50, 310, i))) for i in range(4)]
    assert layout.paragraphs(layout.drop_furniture(pages)) == [f"正文{i}开始正文{i}结束。" for i in range(4)]
    two = pages[:2]
    assert len(layout.paragraphs(layout.drop_furniture(two))) == 4  # two pages: not enough to call it furniture


def test_letter_spaced_organ_mark_and_signer() -> None:
    body, meta = layout.front_and_back_matter(["青 溪 县 教 育 局 文 件", "青教〔2022〕2号  签发人：王某某", "一、总体要求"])
    assert body == ["一、总体要求"]
    assert meta == {"发文机关": "青溪县教育局", "发文字号": "青教〔2022〕2号", "签发人": "王某某"}


def test_flush_left_label_after_a_full_sentence_line_starts_a_paragraph() -> None:
    page = layout.Page(0, 300, 1000, (
        _line("（一）第一项工作要做好，全面完成。", 0, 280, 200),
        _line("（二）第二项工作继续推进，增长", 0, 280, 210),
        _line("1.5%以上。", 0, 60, 220),
    ))
    assert layout.paragraphs([page]) == ["（一）第一项工作要做好，全面完成。", "（二）第二项工作继续推进，增长1.5%以上。"]
