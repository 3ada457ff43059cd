"""A phrase whose first word is bound to the word before it in the pair is cut from a compound (issue 19)."""

from __future__ import annotations

import policydiff
from policydiff.terms import _left_cohesive, _never_apart, term_changes

OLD = ("一、工作\n1.支持香港特别行政区、澳门特别行政区融入国家发展大局。\n"
       "2.维护特别行政区长期繁荣稳定，保持特别行政区社会稳定。\n")
NEW = ("一、工作\n1.坚定维护宪法和基本法确定的特别行政区宪制秩序。\n"
       "2.支持香港特别行政区、澳门特别行政区更好融入国家发展大局。\n")


def test_a_first_word_always_after_the_same_word_is_cut_from_a_compound() -> None:
    texts = [NEW, OLD]
    assert _left_cohesive("行政区宪制秩序", "行政区", {"特别"}, texts)
    assert not _left_cohesive("行政区宪制秩序", "行政区", {None}, texts)  # at a boundary: nothing to join
    assert not _left_cohesive("行政区宪制秩序", "行政区", {"特别", "确定"}, texts)  # two different neighbours
    # a governing verb before a term: the term's first word stands after other words too
    assert not _left_cohesive("宪制秩序", "宪制", {"确定"}, ["确定宪制秩序，维护宪制权威，宪制基础"])


def test_the_fragment_is_not_listed_and_a_free_phrase_is() -> None:
    old, new = policydiff.parse(OLD), policydiff.parse(NEW)
    assert "行政区宪制秩序" not in [t.text for t in term_changes(old, new).added]  # listed before the rule
    free = policydiff.parse(NEW.replace("的特别行政区宪制秩序", "的宪制秩序"))
    assert "宪制秩序" in [t.text for t in term_changes(old, free).added]  # a phrase after 的 stays


def test_a_first_word_never_apart_from_the_word_before_it_is_cut_from_a_compound() -> None:
    """The texts attest no boundary between 保供 and 稳价: each is only ever seen next to the other."""
    text = "完善短缺药品保供稳价机制。做好生活必需品保供稳价。农村五保供养对象。"
    assert _never_apart({"保供"}, "稳价", lambda: text)  # 五保供养 holds no word 保供
    # one side alone is no evidence: 新质 follows 发展 once, but 发展 is followed by other words
    assert not _never_apart({"发展"}, "新质", lambda: "加快发展新质生产力。发展数字经济。")
    assert not _never_apart({"保供"}, "稳价", lambda: text + "稳产保供。")  # 保供 seen at a boundary
    assert not _never_apart({None}, "稳价", lambda: text)  # after a boundary in the phrase's own use
    assert not _never_apart({"保供", "推动"}, "稳价", lambda: text)  # two different words before it


def test_a_phrase_whose_left_edge_no_text_attests_is_not_listed() -> None:
    old = policydiff.parse("一、工作\n1.稳定市场价格。\n")
    new = policydiff.parse("一、工作\n1.完善短缺药品保供稳价机制，做好重要商品保供稳价。\n")
    assert "稳价机制" not in [t.text for t in term_changes(old, new).added]
    apart = policydiff.parse("一、工作\n1.做好能源保供工作，稳定市场价格。\n")  # 保供 stands alone there
    assert "稳价机制" in [t.text for t in term_changes(apart, new).added]
