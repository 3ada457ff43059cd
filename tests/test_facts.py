"""Facts people quote (issue 8): numbers paired by subject, new and dropped terms, commitment strength."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
from conftest import SAMPLES
from policydiff.compare import compare
from policydiff.model import Comparison, Document, NumberChange
from policydiff.numbers import document_quantities, parse_number, quantities
from policydiff.render.json import render_comparison
from policydiff.strength import commitment
from policydiff.terms import _Known, document_terms, term_changes
from policydiff.text import bigrams, dice, is_blank, normalize

SCHEMA = json.loads((Path(policydiff.__file__).parent / "schema" / "comparison.schema.json").read_text("utf-8"))


def _all_numbers(cmp: Comparison) -> list[NumberChange]:
    return [n for c in cmp.changes for n in c.numbers]


@pytest.fixture(scope="module")
def reports_2021_2022(corpora: Path) -> Comparison:
    a = policydiff.read(corpora / "gov-work-report" / "2021.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2022.txt")
    return compare(a, b)


def test_gdp_target_and_unemployment_qualifier(reports_2021_2022: Comparison) -> None:
    nums = _all_numbers(reports_2021_2022)
    gdp = [n for n in nums if "国内生产总值" in n.subject and n.kind == "target" and n.old and n.new]
    assert [(n.old, n.new) for n in gdp] == [("6%以上", "5.5%左右")]
    assert gdp[0].old_value == Decimal(6) and gdp[0].new_value == Decimal("5.5")
    jobless = [n for n in nums if n.subject == "城镇调查失业率" and n.old == "5.5%左右"]
    assert len(jobless) == 1
    n = jobless[0]
    assert (n.new, n.old_value, n.new_value, n.qualifier_old, n.qualifier_new) == (
        "5.5%以内", Decimal("5.5"), Decimal("5.5"), "左右", "以内")
    # quotes and spans let a reader cite both sides
    cmp = reports_2021_2022
    assert n.old_span and cmp.old.text[n.old_span[0]:n.old_span[1]] == "5.5%左右" and "城镇调查失业率" in n.old_quote
    assert n.new_span and cmp.new.text[n.new_span[0]:n.new_span[1]] == "5.5%以内" and "全年控制在" in n.new_quote


def test_unchanged_targets_are_listed(reports_2021_2022: Comparison) -> None:
    same = {(n.subject, n.new) for n in reports_2021_2022.numbers_unchanged}
    assert ("居民消费价格涨幅", "3%左右") in same
    assert ("城镇新增就业", "1100万人以上") in same
    assert all(n.old_value == n.new_value and n.qualifier_old == n.qualifier_new
               for n in reports_2021_2022.numbers_unchanged)
    assert not any(n.old == "3%左右" and n.subject == "居民消费价格涨幅" for n in _all_numbers(reports_2021_2022))


def test_no_pair_names_different_things(reports_2021_2022: Comparison) -> None:
    pairs = [n for n in (*_all_numbers(reports_2021_2022), *reports_2021_2022.numbers_unchanged)
             if n.old is not None and n.new is not None]
    assert len(pairs) >= 15
    for n in pairs:
        a, b = n.old_subject, n.subject
        assert a and b and (a in b or b in a or dice(bigrams(a), bigrams(b)) >= 0.7), (a, b, n.old, n.new)


def test_sample_subjects_are_the_objects_counted() -> None:
    a, b = policydiff.read(SAMPLES / "sample-2022.txt"), policydiff.read(SAMPLES / "sample-2023.txt")
    nums = {(n.subject, n.old, n.new) for n in _all_numbers(compare(a, b))}
    assert ("一级园", "3所", "5所") in nums
    assert ("新建项目", "6个", "8个") in nums
    assert ("新教师", "120名", "150名") in nums
    verbs = ("创建", "建设", "培育", "招聘", "推进", "打造", "深化", "新增", "达到")
    for q in document_quantities(b):
        assert q.subject and not q.subject.startswith(verbs), q
        assert b.text[q.span[0]:q.span[1]] == q.text


@pytest.mark.parametrize(("old", "new", "subject", "values"), [
    ("培训乡村教师三千人。", "培训乡村教师五千人。", "乡村教师", ("3000", "5000")),
    ("安排超长期特别国债1.3万亿元。", "安排超长期特别国债1.4万亿元。", "超长期特别国债",
     ("1300000000000", "1400000000000")),
    ("居民收入增长百分之五。", "居民收入增长5%。", None, None),
])
def test_numeral_forms(old: str, new: str, subject: str | None, values: tuple[str, str] | None) -> None:
    a = policydiff.parse(f"一、甲\n1.做好工作。{old}\n")
    b = policydiff.parse(f"一、甲\n1.做好工作。{new}\n")
    cmp = compare(a, b)
    if values is None:  # 百分之五 = 5%: the same figure
        assert not _all_numbers(cmp)
        assert [(n.old, n.new, n.subject) for n in cmp.numbers_unchanged] == [("百分之五", "5%", "居民收入增长")]
        return
    [n] = _all_numbers(cmp)
    assert n.subject == subject
    assert (str(n.old_value), str(n.new_value)) == values


def test_values_are_exact_and_ranges_have_two_ends() -> None:
    assert parse_number("4.06万亿") == Decimal("4060000000000")
    assert parse_number("二〇二一") == 2021
    [q] = quantities("今年发展主要预期目标是：国内生产总值增长6.5%－7%，")
    assert (q.value, q.high, q.unit, q.kind) == (Decimal("6.5"), Decimal(7), "%", "target")
    [r] = quantities("赤字规模4.06万亿元")
    assert str(r.value) == "4060000000000" and r.subject == "赤字规模"


def test_json_facts_validate_and_are_exact(reports_2021_2022: Comparison) -> None:
    data = json.loads(render_comparison(reports_2021_2022))
    jsonschema.validate(data, SCHEMA)
    nums = [n for c in data["changes"] for n in c["numbers"]]
    gdp = next(n for n in nums if n["old"] == "6%以上")
    assert (gdp["old_value"], gdp["new_value"], gdp["kind"]) == ("6", "5.5", "target")
    assert any(n["new"] == "3%左右" for n in data["numbers_unchanged"])
    assert all(isinstance(t, dict) and t["kind"] in ("quoted", "document", "phrase") for t in data["terms"]["added"])


# --- terms ----------------------------------------------------------------------------------------------

def test_terms_never_new_when_present_on_the_other_side(corpora: Path) -> None:
    paths = sorted((corpora / "gov-work-report").glob("*.txt"))
    docs = [Document(path=str(p), text=p.read_text(encoding="utf-8")) for p in paths]
    assert len(docs) >= 50
    for old, new in itertools.pairwise(docs):
        tc = term_changes(old, new)
        old_norm, new_norm = normalize(old.text), normalize(new.text)
        for t in tc.added:
            bare = normalize(t.text.strip("“”《》「」"))
            assert bare not in old_norm, (old.path, new.path, t.text)
            assert t.count_new >= 1 and t.count_old == 0
        for t in tc.removed:
            bare = normalize(t.text.strip("“”《》「」"))
            assert bare not in new_norm, (old.path, new.path, t.text)


def test_new_coinage_is_a_top_key_phrase(corpora: Path) -> None:
    old = policydiff.read(corpora / "gov-work-report" / "2023.txt")
    new = policydiff.read(corpora / "gov-work-report" / "2024.txt")
    phrases = [t for t in term_changes(old, new).added if t.kind == "phrase"]
    top = [t.text for t in phrases[:20]]
    assert "新质生产力" in top, top
    hit = next(t for t in phrases if t.text == "新质生产力")
    assert hit.count_new == 1 and hit.span and "新质生产力" in new.text[hit.span[0]:hit.span[1] + 3]


def test_quoted_terms_counted_with_and_without_quotes() -> None:
    doc = policydiff.parse("一、甲\n1.落实“双减”政策。深化双减改革，落实《中小学德育工作指南》。\n")
    found = document_terms(doc)
    assert found["“双减”"][0] == "quoted" and found["“双减”"][1] == 2
    assert found["《中小学德育工作指南》"][0] == "document"
    other = policydiff.parse("一、甲\n1.继续推进双减。\n")
    tc = term_changes(other, doc)
    assert "“双减”" not in [t.text for t in tc.added]
    assert "《中小学德育工作指南》" in [t.text for t in tc.added]


# --- strength -------------------------------------------------------------------------------------------

def _edit_first(doc: Document, word: str, replacement: str, taken: set[int]) -> str:
    """Replace ``word`` in the first sentence whose verb of commitment is exactly ``word``."""
    for n in doc.nodes():
        for s in n.sentences:
            c = commitment(s.text)
            if c and c.words == word and s.span[0] not in taken:
                at = doc.text.index(word, s.span[0])
                taken.add(s.span[0])
                return doc.text[:at] + replacement + doc.text[at + len(word):]
    raise AssertionError(f"no sentence led by {word}")


def test_strength_shifts_on_haining(corpora: Path) -> None:
    doc = policydiff.read(corpora / "haining-education" / "2021.txt")
    assert not compare(doc, doc).strength
    taken: set[int] = set()
    text = doc.text
    for word, repl in (("探索", "推进"), ("推进", "全面推进"), ("深化", "继续")):
        text = _edit_first(policydiff.parse(text), word, repl, taken)
    shifts = compare(doc, policydiff.parse(text)).strength
    got = sorted((s.old_words, s.new_words, s.direction) for s in shifts)
    assert got == sorted([("探索", "推进", "strengthened"), ("推进", "全面推进", "strengthened"),
                          ("深化", "继续", "weakened")])
    assert all(s.old_quote and s.new_quote and s.old_id and s.new_id for s in shifts)


# --- property: an inserted number change is found, and nothing else ------------------------------------

_SUBJECTS = ("示范学校", "骨干教师", "实训基地", "研学基地", "智慧课堂")
_UNITS = ("所", "名", "个", "%")
_VERBS = ("培育", "建设", "新增", "创建", "打造")


@pytest.fixture(scope="module")
def haining_part(corpora: Path) -> str:
    text = (corpora / "haining-education" / "2021.txt").read_text(encoding="utf-8")
    start = text.index("\n一、")
    end = text.index("\n二、", start)
    return text[start + 1:end]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=200), verb=st.sampled_from(_VERBS), subject=st.sampled_from(_SUBJECTS),
       unit=st.sampled_from(_UNITS), old=st.integers(min_value=1, max_value=999),
       delta=st.integers(min_value=1, max_value=50))
def test_inserted_number_change_is_reported(haining_part: str, which: int, verb: str, subject: str, unit: str,
                                           old: int, delta: int) -> None:
    base = policydiff.parse(haining_part)
    sentences = [s for n in base.nodes() if n.kind in ("measure", "item", "paragraph", "section")
                 for s in n.sentences if s.text.endswith("。") and len(s.text) > 8]
    s = sentences[which % len(sentences)]
    at = s.span[1] - 1
    assert base.text[at] == "。"

    def with_value(v: int) -> str:
        return base.text[:at] + f"，{verb}{subject}{v}{unit}" + base.text[at:]

    before, after = policydiff.parse(with_value(old)), policydiff.parse(with_value(old + delta))
    nums = _all_numbers(compare(before, after))
    assert [(n.subject, n.old_value, n.new_value) for n in nums] == [(subject, old, old + delta)], nums


def test_facts_doctests() -> None:
    import doctest

    import policydiff.numbers
    import policydiff.strength
    for module in (policydiff.numbers, policydiff.strength):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module


def test_strength_scale_is_user_extensible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from policydiff.cli import main

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("一、甲\n1.做好工作。筹划校园足球联赛。\n", encoding="utf-8")
    b.write_text("一、甲\n1.做好工作。确保校园足球联赛。\n", encoding="utf-8")
    doc_a, doc_b = policydiff.read(a), policydiff.read(b)
    from policydiff.compare import CompareOptions
    assert not compare(doc_a, doc_b).strength  # 筹划 is not on the shipped scale
    scale = tmp_path / "scale.toml"
    scale.write_text('[verbs]\n"筹划" = 1\n', encoding="utf-8")
    [s] = compare(doc_a, doc_b, CompareOptions(strength_scale=str(scale))).strength
    assert (s.old_words, s.new_words, s.direction) == ("筹划", "确保", "strengthened")
    bad = tmp_path / "bad.toml"
    bad.write_text("[verbs\n", encoding="utf-8")
    assert main(["diff", str(a), str(b), "--strength-scale", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.toml" in err[0] and "strength scale" in err[0]


def test_levels_never_pair_with_increments(corpora: Path) -> None:
    a = policydiff.read(corpora / "gov-work-report" / "2023.txt")
    b = policydiff.read(corpora / "gov-work-report" / "2024.txt")
    nums = _all_numbers(compare(a, b))
    bonds = [(n.old, n.new) for n in nums if n.subject == "地方政府专项债券"]
    assert bonds == [("3.8万亿元", "3.9万亿元")]
    assert not any(n.old and n.new and "比上年" in n.subject + n.old_subject and
                   "比上年" not in n.subject for n in nums)


def test_increments_of_two_budgets_stay_apart() -> None:
    a = policydiff.parse("一、甲\n1.做好工作。中央预算内投资拟安排6100亿元，比上年增加1000亿元。地方政府专项债券拟安排3.65万亿元，"
                         "比上年增加500亿元。\n")
    b = policydiff.parse("一、甲\n1.做好工作。中央预算内投资拟安排6400亿元，比上年增加300亿元。地方政府专项债券拟安排3.65万亿元，"
                         "比上年增加3000亿元。\n")
    nums = {(n.subject, n.old, n.new) for n in _all_numbers(compare(a, b))}
    assert nums == {("中央预算内投资", "6100亿元", "6400亿元"), ("中央预算内投资比上年增加", "1000亿元", "300亿元"),
                    ("地方政府专项债券比上年增加", "500亿元", "3000亿元")}


@pytest.mark.parametrize("year", ["1957", "2017", "2021"])
def test_quantity_spans_point_at_the_source(corpora: Path, year: str) -> None:
    doc = policydiff.read(corpora / "gov-work-report" / f"{year}.txt")
    found = document_quantities(doc)
    assert len(found) > 30
    for q in found:
        source = doc.text[q.span[0]:q.span[1]]
        assert "".join(ch for ch in source if not is_blank(ch)) == q.text, (source, q.text)
        assert q.text in q.quote


def test_document_terms_with_earlier_years(corpora: Path) -> None:
    old = policydiff.read(corpora / "gov-work-report" / "2023.txt")
    new = policydiff.read(corpora / "gov-work-report" / "2024.txt")
    alone = document_terms(new)
    assert alone and {k for k, _, _ in alone.values()} <= {"quoted", "document"}
    kind, count, span = document_terms(new, against=[old])["新质生产力"]
    assert (kind, count, new.text[span[0]:span[1]]) == ("phrase", 1, "新质生产力")


def test_county_plan_subjects_and_kinds(corpora: Path) -> None:
    doc = policydiff.read(corpora / "haining-education" / "2021.txt")
    found = {q.subject: q for q in document_quantities(doc)}
    assert found["关键小事"].text == "十件"  # 有序推进十件“关键小事”: the quoted name is what is counted
    assert found["思政联盟"].value == 10  # 打造十个思政联盟: not 打造
    myopia = next(q for s, q in found.items() if s.startswith("全市青少年儿童总体近视率"))
    assert myopia.kind == "target" and myopia.unit == "个百分点"  # 实现 … in a plan is a goal


_LETTERS = "新质生产力发展教育𠀀𠀁ab"


@given(st.lists(st.text(alphabet=_LETTERS, max_size=40), min_size=1, max_size=3),
       st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=9), max_size=20))
@settings(max_examples=300, deadline=None)
def test_novel_words_are_those_in_no_other_text(others: list[str], words: list[str]) -> None:
    # the packed-code indexes (and the string sets of texts beyond the BMP) agree with a plain search
    assert _Known(others).novel(words) == {w for w in words if not any(w in o for o in others)}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["新建学校", "新建项目", "改造校舍"]), min_size=1, max_size=5),
       st.lists(st.sampled_from(["新建学校", "新建项目", "改造校舍"]), min_size=1, max_size=5),
       st.lists(st.sampled_from(["3", "5"]), min_size=10, max_size=10))
def test_quantity_pairs_do_not_depend_on_which_year_is_old(olds: list[str], news: list[str], values: list[str]) -> None:
    """Equally alike subjects (a subject repeated, the same value twice) tie; the ties are broken by keys
    that read the same from both sides, so swapping the years swaps the pairs and nothing else."""
    from policydiff.model import Quantity
    from policydiff.numbers import _assign

    def q(subject: str, value: str) -> Quantity:
        return Quantity(text=f"{value}所", value=Decimal(value), unit="所", subject=subject)

    a = [q(s, values[k]) for k, s in enumerate(olds)]
    b = [q(s, values[5 + k]) for k, s in enumerate(news)]
    assert sorted((j, i) for i, j in _assign(b, a, 0.5)) == _assign(a, b, 0.5)
