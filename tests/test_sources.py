"""Readers: encodings, HTML pages, DOCX, and clear refusals of what is not a document."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES
from policydiff import InputError
from policydiff.cli import main
from policydiff.readers.base import MAX_FILE_BYTES, MAX_TEXT_BYTES

SAMPLE = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8")


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str]]:
    return [(n.kind, n.label, n.title, n.body) for n in doc.nodes() if n.kind != "front" or n.front_role == "title"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_encodings_give_the_same_tree(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / f"doc-{encoding}.txt"
    f.write_bytes(SAMPLE.encode(encoding))
    doc = policydiff.read(f)
    assert _shape(doc) == _shape(policydiff.parse(SAMPLE))
    assert encoding.split("-")[0].replace("gbk", "gb18030") in doc.source_format


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 4,
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "undecodable": "海宁".encode() + b"\xff\xfe\xfa\x80\x81" * 3,
        "zip": b"PK\x03\x04" + b"\x00" * 40,
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.txt"
        p.write_bytes(data)
        out[name] = p
    out["directory"] = tmp_path
    out["missing"] = tmp_path / "nope.txt"
    return out


@pytest.mark.parametrize("kind", ["empty", "binary", "pdf", "png", "undecodable", "zip", "directory", "missing"])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(InputError) as err:
        policydiff.read(path)
    assert str(path) in str(err.value)
    assert main(["show", str(path)]) == 2
    assert main(["diff", str(path), str(SAMPLES / "sample-2022.txt")]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("policydiff: error: ") for line in lines)
    assert "Traceback" not in captured.err


def test_damaged_pdf_error_says_what_to_do(tmp_path: Path) -> None:
    p = _bad_files(tmp_path)["pdf"]
    with pytest.raises(InputError, match=r"damaged PDF.*download it again"):
        policydiff.read(p)


def _html_page(text: str) -> str:
    paras = "".join(f"<p>{line}</p>" for line in text.split("\n") if line and ":" not in line
                    and "：" not in line[:5])
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青溪县教育局</title>
<script>var tracker = "一、不应出现";</script><style>p {{ color: red }}</style></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/x">一、导航链接</a></div>
<div class="header">青溪县人民政府门户网站</div>
<table class="xxgk"><tr><td>索引号：</td><td>11330000TEST/2022-00001</td><td>发文字号：</td><td>青教〔2022〕2号</td></tr>
<tr><td>成文日期：</td><td>2022-02-18</td><td>发文机关：</td><td>县教育局</td></tr>
<tr><td>主题分类：</td><td>教育</td><td>发布日期：</td><td>2022-02-20</td></tr></table>
<div id="zoom" class="article-content">{paras}</div>
<div class="footer">版权所有 青溪县人民政府 主办单位：青溪县政府办公室</div></body></html>"""


def test_html_page_reader(tmp_path: Path) -> None:
    body = SAMPLE.split("主题分类：教育\n", 1)[1]
    f = tmp_path / "page.html"
    f.write_text(_html_page(body), encoding="utf-8")
    doc = policydiff.read(f)
    assert doc.source_format == "html"
    assert doc.metadata["发文字号"] == "青教〔2022〕2号"
    assert doc.metadata["发文机关"] == "县教育局"
    assert "导航" not in doc.text and "版权所有" not in doc.text and "tracker" not in doc.text
    want = [s for s in _shape(policydiff.parse(body))]
    assert _shape(doc) == want


def _docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


def test_docx_reader(tmp_path: Path) -> None:
    f = tmp_path / "doc.docx"
    f.write_bytes(_docx([line for line in SAMPLE.split("\n") if line.strip()]))
    doc = policydiff.read(f)
    assert doc.source_format == "docx"
    assert _shape(doc) == _shape(policydiff.parse(SAMPLE))
    assert doc.metadata["发文字号"] == "青教〔2022〕2号"


# --- HTML pages as they are found (issue 12) ---------------------------------------------------------

_BODY = SAMPLE.split("主题分类：教育\n", 1)[1]
_PARAS = "".join(f"<p>{line}</p>" for line in _BODY.split("\n") if line.strip())
_META = ("<table><tr><td>索引号：</td><td>11330000TEST/2022-00001</td><td>发文字号：</td><td>青教〔2022〕2号</td></tr>"
         "<tr><td>成文日期：</td><td>2022-02-18</td><td>发文机关：</td><td>县教育局</td></tr></table>")


def _read_html(tmp_path: Path, page: str, name: str = "page.html") -> policydiff.Document:
    f = tmp_path / name
    f.write_text(page, encoding="utf-8")
    return policydiff.read(f)


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>通知</title></head><body>{_META}<div id='zoom'>{_PARAS}</div></body></html>")
    doc = _read_html(tmp_path, page, "page.xhtml")
    assert doc.metadata["发文字号"] == "青教〔2022〕2号"
    assert _shape(doc) == _shape(policydiff.parse(_BODY))


def test_metadata_table_inside_layout_table_keeps_the_article(tmp_path: Path) -> None:
    page = (f"<html><body><table width='100%'><tr><td>{_META}</td></tr><tr><td><div class='wz'>{_PARAS}</div>"
            "</td></tr></table></body></html>")
    doc = _read_html(tmp_path, page)
    assert doc.metadata["成文日期"] == "2022-02-18"
    assert _shape(doc) == _shape(policydiff.parse(_BODY))


def test_list_of_label_cells_keeps_the_measure_inside_it(tmp_path: Path) -> None:
    measure = "6.推进劳动教育。开足开好劳动教育课程，建立劳动清单制度。建设劳动实践基地3个。"
    page = ("<html><body><div id='content'><p>一、坚持五育并举，提升教育教学质量</p><ul><li>发文字号：青教〔2022〕2号</li>"
            f"<li>成文日期：2022-02-18</li><li>{measure}</li></ul><p>7.加强心理健康教育。开展心理健康教育月活动。</p>"
            "</div></body></html>")
    doc = _read_html(tmp_path, page)
    assert doc.metadata["发文字号"] == "青教〔2022〕2号"
    assert [n.label for n in doc.nodes()] == ["一、", "6.", "7."]
    assert doc.node("1.1").text == measure
    assert "发文字号" not in doc.text


@pytest.mark.parametrize("depth", [300, 3000])
def test_deep_nesting_keeps_the_article(tmp_path: Path, depth: int) -> None:
    page = f"<html><body>{'<div>' * depth}<div id='zoom'>{_PARAS}</div>{'</div>' * depth}</body></html>"
    start = time.perf_counter()
    doc = _read_html(tmp_path, page)
    assert time.perf_counter() - start < 5
    assert _shape(doc) == _shape(policydiff.parse(_BODY))


# --- limits, streams and devices (issue 12) ----------------------------------------------------------


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policydiff: error: ") and "Traceback" not in err, err
    return lines[0]


def test_fifo_without_writer_does_not_hang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    start = time.perf_counter()
    assert main(["show", str(fifo)]) == 2
    assert time.perf_counter() - start < 2
    assert "is empty" in _one_error(capsys)


def test_pipe_with_a_writer_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(SAMPLE.encode("utf-8"))

    t = threading.Thread(target=write)
    t.start()
    time.sleep(0.2)  # the writer is blocked in open() until we open the read end
    try:
        assert main(["show", str(fifo)]) == 0
    finally:
        t.join(timeout=5)
    assert "强化党建引领工作" in capsys.readouterr().out


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_refused(device: str, capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["show", device]) == 2
    assert time.perf_counter() - start < 2
    assert "device" in _one_error(capsys)


def test_file_over_the_size_limit_refused_without_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    start = time.perf_counter()
    assert main(["show", str(big)]) == 2
    assert time.perf_counter() - start < 2
    assert "input limit" in _one_error(capsys)
    text = tmp_path / "text.txt"
    text.write_bytes(("一、" + "很长的文字。" * 20 + "\n").encode() * (MAX_TEXT_BYTES // 120 + 1))
    assert main(["show", str(text)]) == 2
    assert "limit for text and HTML" in _one_error(capsys)


def test_decode_errors_give_the_byte_offset(tmp_path: Path) -> None:
    good = "一、总体要求\n1.推进工作。\n".encode()
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + good + b"\xff")
    with pytest.raises(InputError, match=rf"invalid utf-8 at byte {3 + len(good)} \(0xFF\)"):
        policydiff.read(f)
    f.write_bytes(good * 50 + b"\xff\xfe" + good)
    with pytest.raises(InputError, match=rf"byte {50 * len(good)} \(0xFF\) on line 101"):
        policydiff.read(f)
    f.write_bytes(b"\xff\xfe" + "一、".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(InputError, match=r"invalid utf-16 at byte 6"):
        policydiff.read(f)


def test_control_characters_in_a_page(tmp_path: Path) -> None:
    page = (f"<html><body><div class='nav'>导航\x1b</div><div id='zoom'>{_PARAS.replace('。', '。&#x1b;', 3)}"
            "\x01\x0b</div></body></html>")
    doc = _read_html(tmp_path, page)
    assert "\x1b" not in doc.text and "\x01" not in doc.text
    assert [n.label for n in doc.nodes() if n.kind == "measure"][:2] == ["1.", "2."]
