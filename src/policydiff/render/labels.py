"""Words every renderer shows, in Chinese (default) and English."""

from __future__ import annotations

from ..model import ChangeKind

KIND_LABELS: dict[str, dict[str, str]] = {
    "zh": {"unchanged": "未变", "reworded": "修改", "split": "拆分", "merged": "合并", "condensed": "概括",
           "added": "新增", "removed": "删除", "moved": "移动"},
    "en": {"unchanged": "unchanged", "reworded": "reworded", "split": "split", "merged": "merged",
           "condensed": "condensed", "added": "added", "removed": "removed", "moved": "moved"},
}

SYMBOLS: dict[ChangeKind, str] = {"unchanged": " ", "reworded": "~", "split": "<", "merged": ">", "condensed": "»",
                                  "added": "+", "removed": "-"}

WORDS: dict[str, dict[str, str]] = {
    "zh": {"summary": "摘要", "whole": "全文", "part": "部分", "numbers": "数字目标变化", "terms_added": "新提法",
           "terms_removed": "不再出现的提法", "from": "原在", "to": "现在", "old": "旧", "new": "新",
           "front": "前言", "metadata": "文件信息", "none": "无", "changes": "逐条对照",
           "subject": "事项", "split_into": "拆分为", "merged_from": "合并自", "all": "全部",
           "changed_only": "仅看变化", "moved_from": "移自", "moved_to": "移至", "report": "新旧对照"},
    "en": {"summary": "Summary", "whole": "whole document", "part": "part", "numbers": "Changed numeric targets",
           "terms_added": "New terms", "terms_removed": "Dropped terms", "from": "was in", "to": "now in",
           "old": "old", "new": "new", "front": "front matter", "metadata": "Metadata", "none": "none",
           "changes": "Changes", "subject": "subject", "split_into": "split into", "merged_from": "merged from",
           "all": "all", "changed_only": "changed only", "moved_from": "moved from", "moved_to": "moved to",
           "report": "Comparison"},
}

COUNT_KINDS: tuple[str, ...] = ("unchanged", "reworded", "moved", "split", "merged", "condensed", "added",
                                 "removed")
"""Column order of summary tables."""
