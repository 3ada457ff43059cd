"""A phrase whose first word is bound to the word before it in the pair is cut from a compound (issue 19)."""

from __future__ import annotations

import policydiff
from policydiff.terms import _left_cohesive, term_changes

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
