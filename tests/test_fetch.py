"""``policydiff fetch URL`` and URLs given to ``show``/``diff``, against a local server on 127.0.0.1.

The server (http.server in a thread) serves an article page whose metadata table sits inside an outer
layout table, with two attachments; redirects (good, looping, to a file: URL), a 404, pages with wrong
charset headers, a 20 MB body with and without Content-Length, a stalled response, and a page with no
article. Each gives the documented result or one error line with exit 2. The server is on the
loopback, so every call passes ``--allow-private`` (``test_security_readers`` checks the refusal).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES
from gongwen import numbered_docx
from policydiff.cli import main

SAMPLE = (SAMPLES / "sample-2022.txt").read_text(encoding="utf-8")
BODY = SAMPLE.split("主题分类：教育\n", 1)[1]
BIG = 20 * 1024 * 1024


def _article_page() -> str:
    paras = "".join(f"<p>{ln}</p>" for ln in BODY.split("\n") if ln.strip())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青溪县教育局关于印发工作要点的通知</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<table class="layout" width="1000"><tr><td>
  <table class="xxgk"><tr><td>索引号：</td><td>11330000TEST/2022-00001</td><td>发文字号：</td><td>青教〔2022〕2号</td></tr>
  <tr><td>成文日期：</td><td>2022-02-18</td><td>发文机关：</td><td>县教育局</td></tr>
  <tr><td>主题分类：</td><td>教育</td></tr></table>
</td></tr><tr><td><div id="zoom">{paras}
<p>附件：<a href="/files/%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9.pdf">1.工作要点（PDF版）</a></p>
<p><a href="files/measures.docx">2.任务分解表</a></p></div></td></tr></table>
<div class="footer">版权所有 青溪县人民政府</div></body></html>"""


ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {}


def _routes() -> None:
    page = _article_page()
    measures = [(None, "任务分解")] + [(1, f"第{i}项任务。") for i in range(1, 4)]
    ROUTES.update({
        "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()),
        "/files/工作要点.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 test attachment"),
        "/files/measures.docx": (200, {"Content-Type": "application/octet-stream"}, numbered_docx(measures)),
        "/old": (301, {"Location": "/article.html"}, b""),
        "/hop1": (302, {"Location": "http://127.0.0.1:{port}/old"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/utf8-says-gbk.html": (200, {"Content-Type": "text/html; charset=gb2312"}, page.encode()),
        "/gbk-says-utf8.html": (200, {"Content-Type": "text/html; charset=utf-8"},
                                page.replace('charset="utf-8"', 'charset="gbk"').encode("gbk")),
        "/empty.html": (200, {"Content-Type": "text/html"}, b"<html><body><div class='nav'><a href='/'>x</a></div>"
                        b"</body></html>"),
    })


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        from urllib.parse import unquote

        path = unquote(self.path)
        if path == "/slow":
            time.sleep(3)
        if path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path in ("/big", "/big-chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if path == "/big":
                self.send_header("Content-Length", str(BIG))
            self.end_headers()
            chunk = b"<p>" + "很大".encode() * 20000 + b"</p>"
            sent = 0
            try:
                while sent < BIG:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        status, headers, body = ROUTES.get(path, (404, {"Content-Type": "text/html"}, b"<h1>404 Not Found</h1>"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v.replace("{port}", str(self.server.server_address[1])))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _routes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _shape(doc: policydiff.Document) -> list[tuple[str, str, str, str]]:
    return [(n.kind, n.label, n.title, n.body) for n in doc.nodes()]


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policydiff: error: ") and "Traceback" not in err, err
    return lines[0]


def test_fetch_article_metadata_and_attachments(server: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2022.txt"
    assert main(["fetch", "--allow-private", f"{server}/article.html", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "attachment 1: 1.工作要点（PDF版）" in err and "/files/%E5%B7%A5" in err
    assert "attachment 2: 2.任务分解表" in err and f"{server}/files/measures.docx" in err
    saved = policydiff.read(out)
    assert saved.metadata["发文字号"] == "青教〔2022〕2号" and saved.metadata["索引号"] == "11330000TEST/2022-00001"
    assert _shape(saved) == _shape(policydiff.parse(SAMPLE))
    assert "首页" not in saved.text and "版权所有" not in saved.text and "附件" not in saved.text
    assert main(["diff", "--allow-private", str(SAMPLES / "sample-2022.txt"), str(out)]) == 0
    page = policydiff.read(f"{server}/article.html", allow_private=True)
    assert page.metadata["附件"] == "1.工作要点（PDF版）；2.任务分解表"
    assert _shape(page) == _shape(saved)[1:]  # the saved file holds the metadata block as its first node


def test_fetch_attachment_saves_it(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.pdf"
    assert main(["fetch", "--allow-private", f"{server}/article.html", "--attachment", "1", "-o", str(out)]) == 0
    assert out.read_bytes() == b"%PDF-1.7 test attachment"
    assert "saved 1.工作要点（PDF版）" in capsys.readouterr().err
    assert main(["fetch", "--allow-private", f"{server}/article.html", "--attachment", "3", "-o", str(out)]) == 2
    assert "has 2 attachment(s), not 3" in _one_error(capsys)


def test_show_and_diff_take_urls(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--allow-private", f"{server}/files/measures.docx"]) == 0
    assert "1." in capsys.readouterr().out
    assert main(["diff", "--allow-private", f"{server}/article.html", f"{server}/old"]) == 0
    assert main(["diff", "--allow-private", str(SAMPLES / "sample-2023.txt"), f"{server}/article.html"]) == 1


def test_redirects_followed_and_limited(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", f"{server}/hop1"]) == 0
    assert "青溪县二〇二二年教育工作要点" in capsys.readouterr().out
    assert main(["fetch", "--allow-private", f"{server}/loop"]) == 2
    assert "redirects more than 5 times" in _one_error(capsys)
    assert main(["fetch", "--allow-private", f"{server}/to-file"]) == 2
    assert "only http and https" in _one_error(capsys)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_only_http(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", url]) == 2
    assert "only http and https" in _one_error(capsys)


def test_404_is_one_line(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", f"{server}/nope.html"]) == 2
    assert "answered HTTP 404" in _one_error(capsys)
    assert main(["show", "--allow-private", f"{server}/nope.html"]) == 2
    assert "answered HTTP 404" in _one_error(capsys)


@pytest.mark.parametrize("path", ["/utf8-says-gbk.html", "/gbk-says-utf8.html"])
def test_wrong_charset_header(server: str, path: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", server + path]) == 0
    out = capsys.readouterr().out
    assert "发文字号：青教〔2022〕2号" in out and "1.强化党建引领工作。" in out


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_20_mb_body_refused(server: str, path: str, capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["fetch", "--allow-private", server + path]) == 2
    assert time.perf_counter() - start < 10
    assert "MiB download limit" in _one_error(capsys)


def test_timeout(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["fetch", "--allow-private", f"{server}/slow", "--timeout", "0.5"]) == 2
    assert time.perf_counter() - start < 2.5
    assert "did not answer within 0.5 s" in _one_error(capsys)


def test_trickling_server_hits_the_deadline(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert main(["fetch", "--allow-private", f"{server}/trickle", "--timeout", "0.3"]) == 2
    assert time.perf_counter() - start < 4
    # under load the deadline may fall before the headers are in, which the message says differently; either
    # way the one deadline held and the line names it
    message = _one_error(capsys)
    assert "took more than 0.3 s to download" in message or "did not answer within 0.3 s" in message, message


def test_page_without_article(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--allow-private", f"{server}/empty.html"]) == 2
    assert "no article text" in _one_error(capsys)


def test_connection_refused(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["fetch", "--allow-private", f"http://127.0.0.1:{port}/x", "--timeout", "2"]) == 2
    assert "cannot be fetched" in _one_error(capsys)
