"""Every word the renderers show, in Chinese (default) and English: the one table of UI words.

Renderers never write a UI word of their own; ``tests/test_render.py`` checks that the English outputs
hold no Han character that is not document text.
"""

from __future__ import annotations

from ..model import ChangeKind

LANGS: tuple[str, ...] = ("zh", "en")

KIND_LABELS: dict[str, dict[str, str]] = {
    "zh": {"unchanged": "未变", "reworded": "修改", "split": "拆分", "merged": "合并", "condensed": "概括",
           "added": "新增", "removed": "删除", "moved": "移动", "changed": "有变化"},
    "en": {"unchanged": "unchanged", "reworded": "reworded", "split": "split", "merged": "merged",
           "condensed": "condensed", "added": "added", "removed": "removed", "moved": "moved",
           "changed": "changed"},
}

SYMBOLS: dict[ChangeKind, str] = {"unchanged": " ", "reworded": "~", "split": "<", "merged": ">", "condensed": "»",
                                  "added": "+", "removed": "-"}

WORDS: dict[str, dict[str, str]] = {
    "zh": {"summary": "摘要", "whole": "全文", "part": "部分", "numbers": "数字变化", "numbers_unchanged": "数字未变",
           "terms": "新提法", "terms_added": "新出现的提法", "terms_removed": "不再出现的提法",
           "strength": "力度变化", "strengthened": "加强", "weakened": "减弱", "same": "持平",
           "from": "原在", "to": "现在", "old": "旧", "new": "新", "title": "标题", "contents": "目录",
           "front": "前言", "paragraph": "第{n}段", "metadata": "文件信息", "none": "无", "changes": "逐条对照",
           "subject": "事项", "quote": "原文", "where": "位置", "count": "次数",
           "split_into": "拆分为", "merged_from": "合并自", "condensed_from": "概括自",
           "all": "全部", "changed_only": "仅看变化", "print": "打印", "print_changes": "只打印变化",
           "moved_from": "移自", "moved_to": "移至", "came_from": "来自", "went_to": "移到",
           "report": "新旧对照", "unchanged_n": "{n} 句未变", "split_piece": "（拆出的部分）",
           "merged_piece": "（已并入新句）", "highlights": "要点", "hl_added": "新增的承诺",
           "hl_removed": "删去的承诺", "hl_numbers": "目标变化", "hl_terms": "新提法",
           "more": "另有 {n} 条", "chart": "各部分变化数", "page": "第 {n} 页",
           "nearest": "最接近", "similarity": "相似度", "sentences": "句",
           "old_count": "旧文 {n} 次", "new_count": "新文 {n} 次", "kind": "类型",
           "evidence": "配对依据 ({n} 句)"},
    "en": {"summary": "Summary", "whole": "whole document", "part": "part", "numbers": "Changed numbers",
           "numbers_unchanged": "Numbers unchanged", "terms": "New phrases", "terms_added": "New terms",
           "terms_removed": "Dropped terms", "strength": "Strength of commitments",
           "strengthened": "strengthened", "weakened": "weakened", "same": "same",
           "from": "was in", "to": "now in", "old": "old", "new": "new", "title": "Title", "contents": "Contents",
           "front": "front matter", "paragraph": "¶{n}", "metadata": "Metadata", "none": "none",
           "changes": "Changes", "subject": "subject", "quote": "quote", "where": "where", "count": "count",
           "split_into": "split into", "merged_from": "merged from", "condensed_from": "condensed from",
           "all": "all", "changed_only": "changed only", "print": "print", "print_changes": "print changes only",
           "moved_from": "moved from", "moved_to": "moved to", "came_from": "came from", "went_to": "went to",
           "report": "Comparison", "unchanged_n": "{n} sentences unchanged",
           "split_piece": "(split-off part)", "merged_piece": "(merged into a new sentence)",
           "highlights": "Highlights", "hl_added": "New commitments", "hl_removed": "Dropped commitments",
           "hl_numbers": "Changed targets", "hl_terms": "New phrases", "more": "{n} more",
           "chart": "changes per part", "page": "page {n}", "nearest": "nearest", "similarity": "similarity",
           "sentences": "sentences", "old_count": "old ×{n}", "new_count": "new ×{n}", "kind": "kind",
           "evidence": "evidence ({n} sentences)"},
}

COUNT_KINDS: tuple[str, ...] = ("unchanged", "reworded", "moved", "split", "merged", "condensed", "added",
                                 "removed")
"""Column order of summary tables."""

FILTERS: tuple[str, ...] = ("all", "changed", "added", "removed", "reworded", "moved", "split", "merged",
                            "condensed")
"""The HTML report's filters, in button order: everything, changes only, then one per kind."""


def filter_label(name: str, lang: str) -> str:
    """The button text of a filter."""
    if name == "all":
        return WORDS[lang]["all"]
    if name == "changed":
        return WORDS[lang]["changed_only"]
    return KIND_LABELS[lang][name]


def part_name(part: str, lang: str) -> str:
    """A part heading as shown: the compare stage names front matter ``前言``, which is a UI word."""
    return WORDS[lang]["front"] if part in ("", "前言") else part

REASONS: dict[str, dict[str, str]] = {
    "zh": {"below threshold": "相似度低于阈值", "taken by a better match": "已与更相近的一条配对",
           "no candidate": "无候选"},
    "en": {"below threshold": "below threshold", "taken by a better match": "taken by a better match",
           "no candidate": "no candidate"},
}
"""Why an added or removed node was not paired with its nearest candidate (``model.NearestReason``)."""

TRACK_WORDS: dict[str, dict[str, str]] = {
    "zh": {"track": "承诺与完成", "targets": "目标与实际", "tasks": "任务与回顾", "indicator": "指标",
           "target": "目标", "outcome": "实际", "status": "结果", "where": "位置", "quote": "原文",
           "met": "完成", "exceeded": "超额完成", "missed": "未完成", "reported": "有报告（不可比）",
           "not reported": "未报告", "evidence": "回顾中的表述", "none": "无",
           "task reported": "有报告", "task not reported": "未报告",
           "not_failed": "“未报告”只表示次年回顾没有提及，不等于没有完成。",
           "counts": "目标 {targets} 项：完成 {met}，超额完成 {exceeded}，未完成 {missed}，有报告 {reported}，"
                     "未报告 {not_reported}；任务 {tasks} 项：有报告 {tasks_reported}，未报告 {tasks_not_reported}",
           "plan_of": "{old} 的目标和任务，对照 {new} 的回顾", "empty": "没有可对照的内容：{reason}",
           "old_doc": "计划", "new_doc": "回顾", "year": "年份"},
    "en": {"track": "Promises and results", "targets": "Targets and outcomes", "tasks": "Tasks in the review",
           "indicator": "indicator", "target": "target", "outcome": "outcome", "status": "status", "where": "where",
           "quote": "quote", "met": "met", "exceeded": "exceeded", "missed": "missed",
           "reported": "reported (not comparable)", "not reported": "not reported", "evidence": "in the review",
           "task reported": "reported", "task not reported": "not reported",
           "none": "none",
           "not_failed": "'Not reported' means the next year's review does not mention it; it does not mean failed.",
           "counts": "{targets} targets: {met} met, {exceeded} exceeded, {missed} missed, {reported} reported, "
                     "{not_reported} not reported; {tasks} tasks: {tasks_reported} reported, "
                     "{tasks_not_reported} not reported",
           "plan_of": "targets and tasks of {old} against the review in {new}", "empty": "nothing to track: {reason}",
           "old_doc": "plan", "new_doc": "review", "year": "year"},
}
"""The words of ``policydiff track`` and of the ``--track`` section of a diff report (``render/track.py``)."""
