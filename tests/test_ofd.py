"""OFD input (GB/T 33190): a package built here (OFD.xml → Document.xml → Content.xml pages, one
TextObject a hard-wrapped line, "— N —" page numbers) parses into the tree of its text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES, assert_coverage
from gongwen import ofd_package
from policydiff import InputError

BODY = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8").split("主题分类：教育\n", 1)[1]
PARAS = [ln for ln in BODY.split("\n") if ln.strip()]


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str, str | None]]:
    return [(n.kind, n.label, n.title, n.body, n.front_role) for n in doc.nodes()]


def _write(tmp_path: Path, data: bytes) -> Path:
    f = tmp_path / "doc.ofd"
    f.write_bytes(data)
    return f


def test_ofd_gives_the_text_tree(tmp_path: Path) -> None:
    pages = [PARAS[i:i + 10] for i in range(0, len(PARAS), 10)]
    doc = policydiff.read(_write(tmp_path, ofd_package(pages)))
    assert doc.source_format == "ofd"
    assert len(pages) >= 3
    assert _shape(doc) == _shape(policydiff.parse(BODY))
    assert "—" not in doc.text
    assert_coverage(doc)


def test_ofd_paragraph_continues_across_pages(tmp_path: Path) -> None:
    long = "1.推进工作。" + "这是一段很长的正文，" * 8 + "到此结束。"
    # 18 characters after the indent, then 20: page 1 ends at the right margin, page 2 goes on unindented.
    data = ofd_package([["一、总体要求", long[:38]], [(long[38:], 0)], ["2.第二项工作。"]], chars_per_line=20)
    doc = policydiff.read(_write(tmp_path, data))
    assert doc.text.split("\n") == ["一、总体要求", long, "2.第二项工作。", ""]
    assert [n.label for n in doc.nodes()] == ["一、", "1.", "2."]


def test_ofd_without_document_root_is_an_input_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>')
    with pytest.raises(InputError, match="DocRoot"):
        policydiff.read(_write(tmp_path, buf.getvalue()))
