"""Quantities in text and how they changed: ``创建一级园3所`` → ``5所``.

Interim version moved out of ``textdiff``; the facts issue (#8) replaces it with subjects, qualifiers,
kinds and spans (see ``Quantity`` in the model).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation

import numpy as np
from scipy.optimize import linear_sum_assignment

from .model import NumberChange
from .text import bigrams, cn_number, dice

# --- quantities -------------------------------------------------------------------------------------

_UNITS = ("个百分点", "个工作日", "百分点", "万亿元", "亿元", "万元", "元", "万人次", "万人", "人次", "人",
          "万户", "户",
          "所", "个", "家", "项", "名", "次", "场", "期", "批", "件", "条", "座", "间", "套", "台", "辆", "节", "门",
          "小时", "分钟", "天", "周", "倍", "公里", "千米", "米", "平方米", "万亩", "亩", "公顷", "吨", "万吨",
          "亿吨", "亿斤", "万斤", "斤", "千瓦", "万千瓦", "亿千瓦", "张", "册", "本", "篇", "堂", "支", "班", "届",
          "轮", "%", "％", "‰", "年")
_QUAL_BEFORE = ("不少于", "不低于", "不高于", "不超过", "超过", "达到", "达", "约", "近", "逾", "力争", "至少", "以上")
_QUAL_AFTER = ("左右", "以上", "以下", "以内", "以上的", "多", "余")
_CN_NUM = "零〇一二三四五六七八九十百千万两"
_NUM_RE = re.compile(
    "(?P<before>" + "|".join(_QUAL_BEFORE) + ")?"
    r"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?|[" + _CN_NUM + "]+)"
    "(?P<mag>万亿|亿|万|千)?"
    "(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
    "(?P<after>" + "|".join(_QUAL_AFTER) + ")?"
)


def _value(num: str, mag: str | None) -> Decimal | None:
    num = unicodedata.normalize("NFKC", num)
    try:
        v = Decimal(num)
    except InvalidOperation:
        n = cn_number(num.replace("千", "")) if "千" not in num and "万" not in num else None
        if n is None:
            return None
        v = Decimal(n)
    return v * {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
                "千": Decimal(1000)}.get(mag or "", Decimal(1))


def numbers(text: str) -> list[tuple[str, str, Decimal, str]]:
    """Quantities in ``text`` as (subject, as written, value, unit); dates and ordinals are skipped."""
    out = []
    for m in _NUM_RE.finditer(text):
        num, unit = m.group("num"), m.group("unit")
        if unit == "年" and (len(num) == 4 or (m.group("before") is None and not m.group("after"))):
            continue
        if num in ("一", "两") and not m.group("before") and unit in ("个", "项", "次", "批", "条", "件", "名", "家"):
            continue  # 一个 / 一批: articles, not targets
        if re.match(r"[一二三四五六七八九十]+", num) and text[m.end():m.end() + 1] in "是要":
            continue
        value = _value(num, m.group("mag"))
        if value is None:
            continue
        start = m.start()
        if start > 0 and text[start - 1] == "第":
            continue  # an ordinal (第四次会议), not a quantity
        ctx = re.split(r"[，。；、,;：:]", text[max(0, start - 12):start])[-1]
        out.append((ctx, m.group(0), value, unicodedata.normalize("NFKC", unit)))
    return out


def number_changes(old: str, new: str) -> tuple[NumberChange, ...]:
    """Quantities that differ between two aligned texts, paired by unit and by the words before them."""
    on, nn = numbers(old), numbers(new)
    if not on or not nn:
        return ()
    oset = Counter((u, v) for _, _, v, u in on)
    nset = Counter((u, v) for _, _, v, u in nn)
    on = [x for x in on if nset[(x[3], x[2])] == 0]
    nn = [x for x in nn if oset[(x[3], x[2])] == 0]
    if not on or not nn:
        return ()
    score = np.zeros((len(on), len(nn)))
    for i, (oc, _, _, ou) in enumerate(on):
        for j, (nc, _, _, nu) in enumerate(nn):
            if ou == nu:
                score[i, j] = 0.2 + dice(bigrams(oc), bigrams(nc))
    rows, cols = linear_sum_assignment(-score)
    out = []
    for r, c in zip(rows, cols, strict=True):
        if score[r, c] >= 0.45:
            oc, ow, ov, ou = on[r]
            nc, nw, nv, _ = nn[c]
            out.append((c, NumberChange(subject=nc or oc, old=ow, new=nw, old_value=ov, new_value=nv, unit=ou)))
    out.sort(key=lambda x: x[0])
    return tuple(n for _, n in out)
