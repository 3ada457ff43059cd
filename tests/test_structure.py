"""The section-tree parser on real documents and on the shapes real files take."""

from __future__ import annotations

from pathlib import Path

import pytest

import policydiff
from conftest import SAMPLES, assert_coverage
from policydiff.structure import parse, parse_ordinal, sentence_ends
from policydiff.text import cn_number


def test_haining_2021_opinion(corpora: Path) -> None:
    doc = policydiff.read(corpora / "haining-education" / "2021.txt")
    assert doc.metadata["发文字号"] == "海教〔2021〕1号"
    assert doc.metadata["成文日期"] == "2021-03-15"
    assert doc.metadata["发文机关"] == "市教育局"
    assert doc.title == "海宁市二〇二一年教育工作意见"
    parts = [n for n in doc.root.children if n.kind == "part"]
    assert len(parts) == 6
    measures = [n for n in doc.nodes() if n.kind == "measure"]
    assert [m.ordinal for m in measures] == list(range(1, 26))
    assert all(m.title.endswith("。") for m in measures)
    assert measures[0].title == "强化党建引领工作。"
    assert measures[24].title == "深化平安校园建设。"
    roles = {n.front_role: n for n in doc.root.children if n.kind == "front"}
    assert "印发给你们" in roles["notice"].text
    signature = [n.text for n in doc.root.children if n.front_role == "signature"]
    assert signature == ["海宁市教育局", "2021年1月29日"]
    assert doc.warnings == ()


def test_2024_report_structure(corpora: Path) -> None:
    doc = policydiff.read(corpora / "gov-work-report" / "2024.txt")
    parts = [n for n in doc.root.children if n.kind == "part"]
    assert [p.label for p in parts] == ["一、", "二、", "三、"]
    sections = [c for c in parts[2].children if c.kind == "section"]
    assert [s.ordinal for s in sections] == list(range(1, 11))
    for s in sections:
        measures = [c for c in s.children if c.kind == "measure"]
        assert measures, s.title
        assert all(m.title.endswith("。") and len(m.title) <= 26 for m in measures)
    titles = [m.title for s in sections for m in s.children]
    assert "促进消费稳定增长。" in titles


def test_every_corpus_file_parses_and_loses_nothing(corpora: Path) -> None:
    files = sorted(corpora.glob("*/*.txt"))
    assert len(files) >= 52
    for f in files:
        doc = policydiff.read(f)
        assert list(doc.nodes()), f
        assert_coverage(doc)


@pytest.mark.parametrize("name", ["sample-2022.txt", "sample-2023.txt"])
def test_samples_parse(name: str) -> None:
    doc = policydiff.read(SAMPLES / name)
    assert_coverage(doc)
    measures = [n for n in doc.nodes() if n.kind == "measure"]
    assert len(measures) >= 20
    assert doc.metadata["发文机关"] == "县教育局"


def test_levels_follow_order_of_appearance() -> None:
    # a document that starts at （一） and nests 1. under it
    doc = parse("（一）总体要求\n1.第一项工作。内容甲。\n2.第二项工作。内容乙。\n（二）重点任务\n3.第三项。内容丙。\n")
    top = doc.root.children
    assert [n.kind for n in top] == ["section", "section"]
    assert [c.label for c in top[0].children] == ["1.", "2."]
    assert [c.ordinal for c in top[1].children] == [3]


def test_fullwidth_and_halfwidth_labels() -> None:
    doc = parse("一、甲部分\n１．措施一。正文。\n(2)子项内容。\n（三）节标题\n②圆圈项目。\n")
    nodes = list(doc.nodes())
    assert [n.label for n in nodes] == ["一、", "１．", "(2)", "（三）", "②"]
    assert [n.ordinal for n in nodes] == [1, 1, 2, 3, 2]
    assert nodes[2].kind == "item"


def test_chapter_and_article_headings() -> None:
    doc = parse("第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全县学校。\n第二章 附则\n")
    top = doc.root.children
    assert [n.label for n in top] == ["第一章", "第二章"]
    assert [c.label for c in top[0].children] == ["第一条", "第二条"]


def test_hard_wrapped_lines_are_joined_with_spans_to_the_original() -> None:
    text = "一、总体要求\n1.强化党建引领工作。坚持党对教育的全面\n领导，深化改革。\n"
    doc = parse(text)
    measure = doc.root.children[0].children[0]
    assert measure.body == "坚持党对教育的全面领导，深化改革。"
    a, b = measure.sentences[1].span
    assert text[a:b] == "坚持党对教育的全面\n领导，深化改革。"


def test_link_broken_lines_are_joined() -> None:
    text = "一、要求\n根据《\n关于某某的意见\n》，制定本要点。\n"
    doc = parse(text)
    para = doc.root.children[0].children[0]
    assert para.body == "根据《关于某某的意见》，制定本要点。"


def test_a_dash_line_is_the_subtitle_even_when_it_holds_the_genre_word() -> None:
    """A congress report's title line names no genre; the dash line under it does (…上的报告) and is still
    the subtitle. A report titled with its genre keeps that title."""
    doc = parse("坚定信心　开拓新局面\n——在某某会议上的报告\n同志们：\n一、过去五年的工作\n五年来，我们做了大量工作。\n")
    roles = [n.front_role for n in doc.root.children if n.kind == "front"]
    assert doc.title == "坚定信心　开拓新局面" and roles[:2] == ["title", "subtitle"]
    doc = parse("政府工作报告\n——2024年3月5日在某某会议上\n各位代表：\n一、工作回顾\n过去一年，成绩显著。\n")
    assert doc.title == "政府工作报告"


def test_a_word_broken_across_lines_is_one_paragraph() -> None:
    """Web pages leave invisible lines inside a word (2017's 要全面深化各领域改 / U+200B / 革，加快推进…): a line
    whose first clause is one character continues the line before; a short unnumbered heading followed by a
    paragraph of its own stays a heading."""
    doc = parse("（二）深化改革。\n要全面深化各领域改\n\u200b\n革，加快推进基础性、关键性改革。\n持续推进政府职能转变。各级政府要简政放权。\n")
    section = doc.root.children[0]
    assert section.children[0].body == "要全面深化各领域改革，加快推进基础性、关键性改革。"
    assert_coverage(doc)
    doc = parse("关于工业的生产问题\n我国第一个五年计划规定，工业总产值要有较大增长。\n")
    assert [n.body for n in doc.root.children] == ["关于工业的生产问题", "我国第一个五年计划规定，工业总产值要有较大增长。"]


def test_a_title_may_be_longer_than_a_heading() -> None:
    """A document's title runs to 37 characters, a congress report's two-line title to 30 and more; a heading
    stops at 30."""
    long = "某某市教育局二〇二三年深化新时代教育评价改革推进教育高质量发展工作要点"
    doc = parse(f"{long}\n为深入贯彻全国教育大会精神，制定本要点。\n一、总体要求\n坚持稳中求进。\n")
    assert len(long) > 30 and doc.title == long
    two = "高举伟大旗帜　为全面建设社会主义现代化国家而团结奋斗不懈努力"
    doc = parse(f"{two}\n——在某某代表大会上的报告\n同志们：\n一、过去五年的工作\n五年来，我们做了大量工作。\n")
    assert doc.title == two


def test_a_part_heading_may_open_with_a_count_of_years() -> None:
    """2004's 一、一年来工作回顾 and 1978's 一、三年来的斗争… are parts; 二、三产业 (a list of numbers) is not."""
    doc = parse("一、一年来工作回顾\n过去的一年，成绩显著。\n二、2004年主要任务\n今年要稳中求进。\n")
    assert [(n.kind, n.label, n.title) for n in doc.root.children] == [
        ("part", "一、", "一年来工作回顾"), ("part", "二、", "2004年主要任务")]
    doc = parse("一、工业\n要发展农村第二、三产业。\n二、三产业的比重要提高，这是结构调整的方向。\n")
    assert [n.label for n in doc.root.children] == ["一、"]


def test_unnumbered_run_in_titles_are_measures() -> None:
    doc = parse("三、工作任务\n（一）扩大内需。提振消费。\n促进消费稳定增长。从增加收入入手。一是扩大消费，二是优化供给。\n")
    section = doc.root.children[0].children[0]
    measure = section.children[0]
    assert measure.kind == "measure" and measure.title == "促进消费稳定增长。"
    assert [s.text for s in measure.sentences][-1] == "一是扩大消费，二是优化供给。"


def test_sentences_respect_quotes_and_brackets() -> None:
    text = "开展“我讲微故事。我做宣讲员”活动；落实《意见（试行）。》要求。"
    ends = sentence_ends(text)
    assert [text[a:b] for a, b in zip([0, *ends], ends, strict=False)] == [
        "开展“我讲微故事。我做宣讲员”活动；", "落实《意见（试行）。》要求。"]


def test_stray_quote_does_not_swallow_the_paragraph() -> None:
    text = "开展“活动。" + "加强管理。" * 60
    assert len(sentence_ends(text)) > 30


def test_unplaceable_text_is_kept() -> None:
    doc = parse("随便一段没有编号的文字。\n\n另一段。")
    assert_coverage(doc)


def test_numbering_jump_is_warned() -> None:
    doc = parse("一、甲\n1.第一。内容。\n3.第三。内容。\n")
    assert any("jumps from 1 to 3" in w for w in doc.warnings)


@pytest.mark.parametrize(("label", "value"), [("（三）", 3), ("十二、", 12), ("１２．", 12), ("⑫", 12),
                                               ("第二十一条", 21), ("(7)", 7)])
def test_parse_ordinal(label: str, value: int) -> None:
    assert parse_ordinal(label) == value


def test_cn_number() -> None:
    assert cn_number("二〇二一") == 2021
    assert cn_number("一百零五") == 105
    assert cn_number("二十") == 20
