"""Article extraction from government-style pages: our content-density reader against trafilatura.

Pages are generated here in four layouts common on 政府信息公开 sites (TRS_Editor inside layout tables
with an 索引号 table, a modern div layout with a side list of long headlines, an XHTML page with a
``<ul>`` metadata list and ``<br>`` paragraphs, and the article 400 divs deep), each wrapping real texts
from the shared corpora at run time. Scores: recall (share of the document's paragraphs found in the
extracted text), noise (share of extracted characters that are not the document's), metadata fields
found, and time. trafilatura is measured only when installed (it is not a dependency).
"""

from __future__ import annotations

import html
import re
import time

from _common import corpora
from policydiff.readers.html import read_html

NAV = "".join(f'<li><a href="/c{i}/">{t}</a></li>' for i, t in enumerate(
    ["首页", "政务公开", "政务服务", "互动交流", "走进本市", "政策文件", "规划计划", "统计信息", "人事信息"]))
RELATED = "".join(f'<li><a href="/art/{i}.html">关于印发{y}年全市重点工作任务分解方案的通知（第{i}号）</a>'
                  f"<span>{y}-0{i % 9 + 1}-1{i % 9}</span></li>" for i, y in enumerate(range(2012, 2024)))
FOOT = ("<p>主办单位：市人民政府办公室　承办单位：市大数据中心　网站标识码：3304810001</p>"
        "<p>地址：文苑路1号　邮编：314400　备案号：浙ICP备05000000号　政府网站找错</p>")
META = [("索引号", "11330481002556TEST/2022-00012"), ("发文字号", "市政〔2022〕3号"), ("成文日期", "2022-03-01"),
        ("发文机关", "市人民政府"), ("主题分类", "综合政务")]


def _paras(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def trs_table(paras: list[str]) -> str:
    meta = "".join(f"<tr><td>{k}：</td><td>{v}</td></tr>" for k, v in META)
    body = "".join(f"<p style='text-indent:2em'>{html.escape(p)}</p>" for p in paras)
    return (f"<html><head><meta charset='utf-8'><title>通知</title></head><body><div class='top'><ul>{NAV}</ul></div>"
            "<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></div>"
            f"<table width='1000'><tr><td><table class='xxgk'>{meta}</table></td></tr>"
            f"<tr><td><div class='TRS_Editor'>{body}</div></td></tr>"
            f"<tr><td><div class='xglj'><h3>相关链接</h3><ul>{RELATED}</ul></div></td></tr></table>"
            f"<div class='bottom'>{FOOT}</div></body></html>")


def modern(paras: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    info = "　".join(f"{k}：{v}" for k, v in META[2:4])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title></head><body><header><ul>{NAV}</ul>"
            f"</header><main><div class='left'><div class='article'><h1>{html.escape(paras[0][:30])}</h1>"
            f"<div class='info'>{info}</div><div class='content'>{body}</div></div></div>"
            f"<div class='right'><h3>热点新闻</h3><ul>{RELATED}</ul></div></main><footer>{FOOT}</footer></body></html>")


def xhtml_ul(paras: list[str]) -> str:
    meta = "".join(f"<li><b>{k}：</b>{v}</li>" for k, v in META)
    body = "<br/>".join(f"<font face='仿宋'>{html.escape(p)}</font>" for p in paras)
    return ('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>通知</title></head><body><div id='nav'><ul>{NAV}</ul></div><ul class='gkml'>{meta}</ul>"
            f"<table><tr><td><table><tr><td id='zoom'>{body}</td></tr></table></td></tr></table>"
            f"<div id='footer'>{FOOT}</div></body></html>")


def deep(paras: list[str]) -> str:
    return trs_table(paras).replace("<div class='TRS_Editor'>", "<div>" * 400 + "<div class='TRS_Editor'>").replace(
        "</div></td></tr>\n", "</div>" + "</div>" * 400 + "</td></tr>", 1)


LAYOUTS = {"trs-table": trs_table, "modern-div": modern, "xhtml-ul-br": xhtml_ul, "deep-400": deep}


def _score(extracted: str, paras: list[str]) -> tuple[float, float]:
    """(recall, noise): paragraphs found; characters on extracted lines that are no part of the document."""
    flat = re.sub(r"\s", "", extracted)
    found = sum(1 for p in paras if re.sub(r"\s", "", p) in flat)
    body = re.sub(r"\s", "", "".join(paras))
    # trafilatura writes table cells as "| a | b |": each cell counts as a line of its own.
    cells = [c for ln in extracted.split("\n") for c in ln.split("|")]
    lines = [re.sub(r"\s", "", re.sub(r"^\s*[-*#]+\s", "", c)) for c in cells]
    noise = sum(len(ln) for ln in lines if ln and ln not in body)
    return found / len(paras), noise / max(1, len(flat))


def main() -> None:
    files = [corpora() / "gov-work-report" / f"{y}.txt" for y in (1980, 1999, 2008, 2016, 2023)]
    files.append(corpora() / "haining-education" / "2021.txt")
    texts = [_paras(f.read_text(encoding="utf-8")) for f in files]
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    print(f"html_extract: {len(texts)} documents × {len(LAYOUTS)} layouts; recall / noise / metadata / time")
    for name, layout in LAYOUTS.items():
        pages = [layout(t) for t in texts]
        rows = {}
        t0 = time.perf_counter()
        ours = [read_html(p, "page.html") for p in pages]
        ours_t = time.perf_counter() - t0
        scores = [_score(s.text, t) for s, t in zip(ours, texts, strict=True)]
        meta = sum(len([k for k, _ in META if k in s.metadata]) for s in ours) / len(ours)
        rows["density"] = (min(r for r, _ in scores), max(n for _, n in scores), meta, ours_t)
        if trafilatura is not None:
            t0 = time.perf_counter()
            outs = [trafilatura.extract(p, include_tables=True, favor_recall=False) or "" for p in pages]
            tr_t = time.perf_counter() - t0
            scores = [_score(o, t) for o, t in zip(outs, texts, strict=True)]
            rows["trafilatura"] = (min(r for r, _ in scores), max(n for _, n in scores), 0.0, tr_t)
        for who, (recall, noise, m, t) in rows.items():
            print(f"html_extract: {name:12s} {who:12s} worst recall {recall:6.1%}  worst noise {noise:5.1%}  "
                  f"metadata {m:.1f}/{len(META)}  {t:.3f} s")


if __name__ == "__main__":
    main()
