"""DOCX input: Word's automatic numbering written out as the labels a reader sees.

The DOCX files are built here: ``w:numPr`` on paragraphs, ``numbering.xml`` with abstract lists, formats
(chineseCounting, decimal, ideographTraditional), label templates ("%1、", "（%1）", "%2."), restarts and
start overrides; tables, tracked changes and comments.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES, assert_coverage
from gongwen import docx_package, numbered_docx, w_abstract, w_num, w_para
from policydiff import InputError
from policydiff.cli import main
from policydiff.readers.docx import chinese_counting, format_number

BODY = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8").split("主题分类：教育\n", 1)[1]


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str, str | None]]:
    return [(n.kind, n.label, n.title, n.body, n.front_role) for n in doc.nodes()]


def _unlabelled(text: str) -> list[tuple[int | None, str]]:
    """The sample's paragraphs with their labels taken off: (0, part), (1, measure) or (None, other)."""
    out: list[tuple[int | None, str]] = []
    for ln in (x for x in text.split("\n") if x.strip()):
        part = re.match(r"^[一二三四五六七八九十]+、(.*)$", ln)
        measure = re.match(r"^\d+\.(.*)$", ln)
        out.append((0, part.group(1)) if part else (1, measure.group(1)) if measure else (None, ln))
    return out


def _read(tmp_path: Path, data: bytes, name: str = "doc.docx") -> policydiff.Document:
    f = tmp_path / name
    f.write_bytes(data)
    return policydiff.read(f)


def test_two_level_automatic_numbering_gives_the_text_tree(tmp_path: Path) -> None:
    lines = _unlabelled(BODY)
    assert sum(1 for lv, _ in lines if lv is not None) == 25  # 5 parts + 20 measures carry no label text
    doc = _read(tmp_path, numbered_docx(lines))
    assert _shape(doc) == _shape(policydiff.parse(BODY))
    labels = [n.label for n in doc.nodes() if n.kind in ("part", "measure")]
    assert labels[:3] == ["一、", "1.", "2."] and labels[-2:] == ["19.", "20."]
    assert_coverage(doc)


def test_two_separate_lists_and_restart_per_part(tmp_path: Path) -> None:
    # Parts in list 1 ("%1、"), measures in list 2 whose level restarts after every part.
    numbering = (w_abstract(0, [("chineseCounting", "%1、", None), ("decimal", "%2.", None)]) + w_num(1, 0))
    body = "".join([w_para("总体要求", 1, 0), w_para("甲项工作。", 1, 1), w_para("乙项工作。", 1, 1),
                    w_para("重点任务", 1, 0), w_para("丙项工作。", 1, 1)])
    doc = _read(tmp_path, docx_package(body, numbering))
    assert [n.label for n in doc.nodes()] == ["一、", "1.", "2.", "二、", "1."]


def test_formats_templates_and_start_override(tmp_path: Path) -> None:
    numbering = (w_abstract(0, [("chineseCounting", "（%1）", None)])
                 + w_abstract(1, [("ideographTraditional", "%1、", None)])
                 + w_abstract(2, [("decimal", "%1.", None)])
                 + w_num(1, 0) + w_num(2, 1) + w_num(3, 2, start_override={0: 7}))
    body = "".join([w_para("一项", 1), w_para("二项", 1), w_para("天干一", 2), w_para("天干二", 2),
                    w_para("第七", 3), w_para("第八", 3), w_para("没有编号")])
    doc = _read(tmp_path, docx_package(body, numbering))
    assert doc.text.split("\n")[:7] == ["（一）一项", "（二）二项", "甲、天干一", "乙、天干二", "7.第七", "8.第八",
                                        "没有编号"]


def test_tables_in_reading_order_tracked_changes_accepted_comments_ignored(tmp_path: Path) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (w_para("一、表格之前")
            + "<w:tbl><w:tr><w:tc>" + w_para("1.左上单元格。") + "</w:tc><w:tc>" + w_para("2.右上单元格。")
            + "</w:tc></w:tr><w:tr><w:tc>" + w_para("3.左下单元格。") + "</w:tc></w:tr></w:tbl>"
            + '<w:p><w:r><w:t>4.推进</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>删掉的话</w:delText>'
            '</w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>新增的话</w:t></w:r></w:ins>'
            '<w:commentRangeStart w:id="0"/><w:r><w:t>工作。</w:t></w:r><w:commentRangeEnd w:id="0"/>'
            '<w:r><w:commentReference w:id="0"/></w:r></w:p>')
    comments = f'<w:comments {w}><w:comment w:id="0"><w:p><w:r><w:t>批注不应出现</w:t></w:r></w:p></w:comment></w:comments>'
    doc = _read(tmp_path, docx_package(body, extra={"word/comments.xml": comments}))
    assert doc.text == "一、表格之前\n1.左上单元格。\n2.右上单元格。\n3.左下单元格。\n4.推进新增的话工作。\n"
    assert [n.label for n in doc.nodes()] == ["一、", "1.", "2.", "3.", "4."]


def test_main_part_found_through_rels(tmp_path: Path) -> None:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document2.xml"/></Relationships>')
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = (f'<w:numbering xmlns:w="{w}">' + w_abstract(0, [("chineseCounting", "%1、", None)]) + w_num(1, 0)
                 + "</w:numbering>")
    doc = f'<w:document xmlns:w="{w}"><w:body>{w_para("总体要求", 1)}{w_para("重点任务", 1)}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document2.xml", doc)
        zf.writestr("word/numbering.xml", numbering)
    assert _read(tmp_path, buf.getvalue()).text == "一、总体要求\n二、重点任务\n"


def test_docx_banji_is_metadata(tmp_path: Path) -> None:
    body = "".join(w_para(t) for t in ("青溪县教育局文件", "青教〔2022〕2号", "一、总体要求",
                                       "1.推进工作。", "抄送：县委办公室。", "青溪县教育局办公室  2022年2月18日印发"))
    doc = _read(tmp_path, docx_package(body))
    assert doc.metadata["发文字号"] == "青教〔2022〕2号" and doc.metadata["抄送"] == "县委办公室。"
    assert "抄送" not in doc.text and "印发" not in doc.text


def test_chinese_counting() -> None:
    assert [chinese_counting(n) for n in (1, 9, 10, 11, 19, 20, 21, 100, 101)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "一百", "一百零一"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "upperRoman") == "II"


def _zip_bomb(total: int, declared: int | None = None) -> bytes:
    """A DOCX-named ZIP whose document.xml inflates to ``total`` bytes, built from one repeated deflate
    segment (a full flush makes segments independent), so building it takes milliseconds.

    ``declared`` is the uncompressed size written in the headers (default: the truth)."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = co.compress(b" " * (1 << 20)) + co.flush(zlib.Z_FULL_FLUSH)
    data = seg * (total >> 20) + b"\x03\x00"  # then an empty final block
    name = b"word/document.xml"
    size = total if declared is None else declared
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0, len(data), size, len(name), 0)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, 0, len(data), size,
                          len(name), 0, 0, 0, 0, 0, 0)
    cd_offset = len(local) + len(name) + len(data)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), cd_offset, 0)
    return local + name + data + central + name + end


@pytest.mark.parametrize("lying", [False, True])
def test_zip_bomb_refused_quickly(tmp_path: Path, lying: bool, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = _zip_bomb(1536 << 20, declared=1000 if lying else None)  # 1.5 GiB of XML
    assert 1_000_000 < len(bomb) < 2_000_000
    f = tmp_path / "bomb.docx"
    f.write_bytes(bomb)
    start = time.perf_counter()
    assert main(["show", str(f)]) == 2
    assert time.perf_counter() - start < 2.0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("policydiff: error: ") and "Traceback" not in err
    # Declared sizes are refused before inflating; a lying header stops at its own size (bad CRC).
    assert ("damaged" if lying else "1536 MiB, over the 64 MiB limit") in err
    with pytest.raises(InputError):
        policydiff.read(f)
