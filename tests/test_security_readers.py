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
import socket
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import policydiff
from gongwen import docx_package, ofd_package, w_abstract, w_para
from policydiff import InputError
from policydiff.cli import main
from policydiff.readers import docx as docx_reader
from policydiff.sources import read_bytes, read_url

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


# --- a hand-written PDF, and deflate bombs without compressing gigabytes -----------------------------


def _pdf(contents: list[bytes], stream_dicts: list[bytes] | None = None) -> bytes:
    """A minimal PDF: one page per content stream (Helvetica as /F1), classic xref table."""
    n = len(contents)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{' '.join(f'{3 + 2 * i} 0 R' for i in range(n))}] /Count {n} >>".encode()]
    font = 3 + 2 * n
    for i, content in enumerate(contents):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> "
                    f">> /Contents {4 + 2 * i} 0 R >>".encode())
        extra = stream_dicts[i] if stream_dicts else b""
        objs.append(b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _text_page(lines: list[str]) -> bytes:
    ops = [b"BT /F1 12 Tf 72 770 Td 14 TL"]
    ops += [b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*" for line in lines]
    return b"\n".join([*ops, b"ET"])


def _zeros_deflate(mib: int) -> bytes:
    """A zlib stream that inflates to ``mib`` MiB of zeros, built from one deflate block repeated.

    After a full flush deflate starts afresh, so the block that encodes 1 MiB of zeros is the same
    bytes every time; the Adler-32 of n zeros is (n mod 65521) << 16 | 1. A gigabyte costs a kilobyte
    and no time to make.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(2**20)) + c.flush(zlib.Z_FULL_FLUSH)
    n = mib * 2**20
    return b"\x78\xda" + block * mib + c.flush(zlib.Z_FINISH) + (((n % 65521) << 16) | 1).to_bytes(4, "big")


def test_zeros_deflate_is_what_it_says() -> None:
    d = zlib.decompressobj()
    assert len(d.decompress(_zeros_deflate(3))) == 3 * 2**20 and d.eof


# --- finding 4 and 9: fetch (a loopback server; every call bounded in time) ---------------------------


GBK_PAGE = ("<html><head><title>通知</title></head><body><div id='zoom'><p>一、总体要求</p>"
            "<p>1.推进教育数字化转型，建设智慧校园。</p><p>2.加强教师队伍建设，提升教学质量。</p></div></body></html>")
PDF_TEXT = ["1. Promote the reform of schools in the county.", "2. Improve the quality of teaching this year."]
_ROUTES: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
SEEN_HOSTS: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        SEEN_HOSTS.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        if self.path == "/drip-headers":  # the status line and headers, one byte every 0.2 s (about 12 s)
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: yes\r\n\r\n":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
            return
        status, headers, body = _ROUTES.get(self.path, (404, [], b"no"))
        if status == 404 and self.path == "/reason":
            self.send_response(404, "Not \x1b[2J\x1b]0;pwned\x07Found \x9bevil")
        else:
            self.send_response(status)
        for k, v in headers:
            self.send_header(k, v.replace("{port}", str(port)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    evil = "\x1b[31m附件\x1b]8;;http://x\x07一\u202eFDP.exe\x9b2J"
    page = (f"<html><body><div id='zoom'><p>一、总体要求</p><p>1.推进教育数字化转型，建设智慧校园。</p>"
            f"<p>附件：<a href='/a.pdf'>{evil}</a> <a href='http://127.0.0.2:{port}/b.pdf'>2.内网附件</a></p>"
            "</div></body></html>")
    _ROUTES.update({
        "/page.html": (200, [("Content-Type", "text/html; charset=utf-8")], page.encode()),
        "/a.pdf": (200, [("Content-Type", "application/pdf")], _pdf([_text_page(PDF_TEXT)])),
        "/to-private": (302, [("Location", "http://127.0.0.2:{port}/page.html")], b""),
        "/to-metadata": (302, [("Location", "http://169.254.169.254/latest/meta-data/")], b""),
        "/to-evil-scheme": (302, [("Location", "gopher://x/\x1b[2J")], b""),
        "/gbk-latin1.html": (200, [("Content-Type", "text/html; charset=ISO-8859-1")], GBK_PAGE.encode("gbk")),
        "/gbk-meta.html": (200, [("Content-Type", "text/html")],
                           GBK_PAGE.replace("<head>", '<head><meta charset="windows-1252">').encode("gbk")),
        "/pdf-as-html": (200, [("Content-Type", "text/html; charset=utf-8")], _pdf([_text_page(PDF_TEXT)])),
    })
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat 127.0.0.1 (the test server) as a public address, so redirects and links from it are checked."""
    from policydiff.readers import netguard

    real = netguard.address_kind
    monkeypatch.setattr(netguard, "address_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))


def test_private_addresses_refused_by_default(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", f"{server}/page.html", "--timeout", "5"]) == 2
    assert "127.0.0.1, a loopback address; policydiff fetches only public addresses" in _one_error(capsys)
    with pytest.raises(InputError, match="loopback"):
        policydiff.read(f"{server}/page.html")
    assert main(["fetch", "--allow-private", f"{server}/page.html", "--timeout", "5"]) == 0


@pytest.mark.usefixtures("loopback_is_public")
@pytest.mark.parametrize(("path", "kind"), [("/to-private", "loopback"), ("/to-metadata", "link-local")])
def test_redirects_to_private_addresses_refused(server: str, path: str, kind: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["fetch", server + path, "--timeout", "5"]) == 2
    assert time.perf_counter() - start < 2
    assert f"leads to {'127.0.0.2' if kind == 'loopback' else '169.254.169.254'}" in (line := _one_error(capsys))
    assert f"a {kind} address" in line and "--allow-private" in line


@pytest.mark.usefixtures("loopback_is_public")
def test_attachment_links_to_private_addresses_refused(server: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.pdf"
    assert main(["fetch", f"{server}/page.html", "--attachment", "2", "-o", str(out), "--timeout", "5"]) == 2
    assert "b.pdf: is at 127.0.0.2 = 127.0.0.2, a loopback address" in _one_error(capsys)
    assert not out.exists()
    assert main(["fetch", f"{server}/page.html", "--attachment", "1", "-o", str(out), "--timeout", "5"]) == 0


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::",
                                     "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                                     "64:ff9b::a00:1", "2002:7f00:1::1", "2001:db8::1", "198.18.0.1"])
def test_non_public_addresses(address: str) -> None:
    import ipaddress

    from policydiff.readers.netguard import address_kind

    assert address_kind(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "114.114.114.114", "2400:3200::1", "::ffff:8.8.8.8"])
def test_public_addresses(address: str) -> None:
    import ipaddress

    from policydiff.readers.netguard import address_kind

    assert address_kind(ipaddress.ip_address(address)) is None


def test_host_resolved_once_checked_and_pinned(server: str, monkeypatch: pytest.MonkeyPatch,
                                               loopback_is_public: None) -> None:
    """The name is resolved once; every address is checked; the connection goes to the checked address
    while the Host header still names the host (so TLS SNI and virtual hosts work)."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    calls: list[str] = []
    answers = {"gov.example": ["127.0.0.1"], "rebind.example": ["127.0.0.1", "10.0.0.7"]}

    def fake(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host in answers:
            calls.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    SEEN_HOSTS.clear()
    src, _ = read_url(f"http://gov.example:{port}/page.html", timeout=5)
    assert "推进教育数字化转型" in src.text
    assert calls == ["gov.example"]
    seen = list(SEEN_HOSTS)
    assert seen == [f"gov.example:{port}"]
    with pytest.raises(InputError, match=r"rebind\.example = 10\.0\.0\.7, a private address"):
        read_url(f"http://rebind.example:{port}/page.html", timeout=5)


def test_one_deadline_covers_headers_trickled_a_byte_at_a_time(server: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["fetch", "--allow-private", f"{server}/drip-headers", "--timeout", "1"]) == 2
    assert time.perf_counter() - start < 2
    assert "did not answer within 1 s" in _one_error(capsys)


def _no_controls(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e"), ascii(text)


def test_server_text_reaches_stderr_without_control_characters(server: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", f"{server}/page.html", "-o", str(tmp_path / "p.txt")]) == 0
    err = capsys.readouterr().err
    _no_controls(err)
    assert "attachment 1: [31m附件" in err and "FDP.exe" in err
    assert main(["fetch", "--allow-private", f"{server}/page.html", "--attachment", "1",
                 "-o", str(tmp_path / "a.pdf")]) == 0
    err = capsys.readouterr().err
    _no_controls(err)
    assert "saved [31m附件" in err
    for path in ("/reason", "/to-evil-scheme"):
        assert main(["fetch", "--allow-private", server + path]) == 2
        _no_controls(_one_error(capsys))
        with pytest.raises(InputError) as exc:
            read_url(server + path, allow_private=True)
        _no_controls(str(exc.value))  # the API's message is clean too, not only the CLI's line


@pytest.mark.parametrize("path", ["/gbk-latin1.html", "/gbk-meta.html"])
def test_wrongly_declared_charset_is_sniffed_and_said(server: str, path: str) -> None:
    doc = policydiff.read(server + path, allow_private=True)
    assert "推进教育数字化转型" in doc.text
    assert any("declares charset" in w and "GB18030" in w for w in doc.warnings), doc.warnings


def test_pdf_served_as_html_is_read_as_pdf(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = policydiff.read(f"{server}/pdf-as-html", allow_private=True)
    assert doc.source_format == "pdf" and "Promote the reform" in doc.text and "endobj" not in doc.text
    assert any("served as text/html but the bytes are a PDF" in w for w in doc.warnings)
    assert main(["fetch", "--allow-private", f"{server}/pdf-as-html"]) == 0
    assert "warning: served as text/html" in capsys.readouterr().err


def test_fetch_doctests() -> None:
    import doctest

    from policydiff.readers import fetch, netguard

    for module in (fetch, netguard):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted >= 1


# --- finding 7: HTML attribute and element counts, before libxml2 --------------------------------------


_ARTICLE = "<div id='zoom'><p>一、总体要求</p><p>1.推进教育数字化转型，建设智慧校园。</p></div>"


@pytest.mark.parametrize("attrs", [
    " ".join(f'a{i}="x"' for i in range(5000)),                                      # plain
    " ".join(f"a{i}" + (f" <b{i}" if i % 400 == 0 else "") for i in range(5000)),    # '<' does not end a tag
    "a0='>' " + " ".join(f"a{i}" for i in range(1, 5000)),                          # '>' inside a value
    '"x ' + " ".join(f"a{i}" for i in range(1, 5000)) + ' "',                       # a quote that is a name
])
def test_html_with_thousands_of_attributes_is_refused(attrs: str, capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    page = f"<html><body><div {attrs}>x</div>{_ARTICLE}</body></html>"
    path = tmp_path / "attrs.html"
    path.write_text(page, encoding="utf-8")
    start = time.perf_counter()
    assert main(["show", str(path)]) == 2
    assert time.perf_counter() - start < 1
    assert "more than 1,000 attributes" in _one_error(capsys)


def test_html_with_too_many_elements_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from policydiff.readers import html as html_reader

    monkeypatch.setattr(html_reader, "MAX_HTML_ELEMENTS", 1000)  # the limit, scaled down: the same path
    page = f"<html><body>{'<span>x</span>' * 1200}{_ARTICLE}</body></html>"
    with pytest.raises(InputError, match="elements, over the limit of 1,000"):
        read_bytes(page.encode(), "many.html")
    script = "<script>" + "if (a<b) { c = d }\n" * 3000 + "</script>"
    assert "推进教育数字化转型" in read_bytes(f"<html><body>{script}{_ARTICLE}</body></html>".encode(), "s.html").text


# --- finding 6 and 9: PDF compression bombs, PDFium's death, strings PDFium cuts ----------------------


def _bomb(mib: int) -> bytes:
    return _pdf([_text_page(PDF_TEXT), _zeros_deflate(mib)], [b"", b"/Filter /FlateDecode"])


def test_small_pdf_reads_through_the_worker() -> None:
    src = read_bytes(_pdf([_text_page(PDF_TEXT)]), "ok.pdf")
    assert src.source_format == "pdf" and "Promote the reform" in src.text and not src.warnings


def test_pdf_compression_bomb_refused_before_pdfium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_bomb(300))  # 300 KB inflating to 300 MiB (the bomb: 8 MB to gigabytes)
    start = time.perf_counter()
    assert main(["show", str(path)]) == 2
    assert time.perf_counter() - start < 2
    assert "inflate past 256 MiB (a compression bomb?)" in _one_error(capsys)


def test_chained_filters_are_bounded_at_each_stage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    twice = zlib.compress(_zeros_deflate(400), 9)  # 400 MiB behind two FlateDecode stages, 2 KB on disk
    data = _pdf([_text_page(PDF_TEXT), twice], [b"", b"/Filter [/FlateDecode /FlateDecode]"])
    with pytest.raises(InputError, match="compression bomb"):
        read_bytes(data, "twice.pdf")


def test_pdfium_death_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """What the scan cannot see (here: the scan switched off) ends the child process, not us."""
    from policydiff.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PDF_INFLATED_BYTES", 2**40)
    monkeypatch.setattr(pdf_reader, "MAX_PDF_MEMORY", 96 * 2**20)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_bomb(256))
    start = time.perf_counter()
    assert main(["show", str(path)]) == 2
    assert time.perf_counter() - start < 3
    assert "needs more than the 96 MiB memory limit for reading PDFs" in _one_error(capsys)


def test_pdf_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from policydiff.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 3)
    with pytest.raises(InputError, match="is a PDF of 5 pages, over the limit of 3"):
        read_bytes(_pdf([_text_page(PDF_TEXT)] * 5), "pages.pdf")


def test_pdf_string_longer_than_pdfium_reads_is_not_silently_cut() -> None:
    long = "Measure " * 12_500  # 100,000 characters in one string: PDFium keeps 32,767
    data = _pdf([_text_page([*PDF_TEXT, long])], [b""])
    src = read_bytes(data, "long.pdf")
    assert "Promote the reform" in src.text
    assert any("longer than the 32,767 bytes PDFium reads" in w for w in src.warnings), src.warnings


def test_environment_switch_allows_private_addresses(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYDIFF_ALLOW_PRIVATE", "1")
    assert "推进教育数字化转型" in policydiff.read(f"{server}/page.html").text
    monkeypatch.setenv("POLICYDIFF_ALLOW_PRIVATE", "0")
    with pytest.raises(InputError, match="loopback"):
        policydiff.read(f"{server}/page.html")
