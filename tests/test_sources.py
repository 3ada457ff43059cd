"""Readers: encodings, HTML pages, DOCX, and clear refusals of what is not a document."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES
from policydiff import InputError
from policydiff.cli import main

SAMPLE = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8")


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str]]:
    return [(n.kind, n.label, n.title, n.body) for n in doc.nodes() if n.kind != "front" or n.role == "title"]


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
