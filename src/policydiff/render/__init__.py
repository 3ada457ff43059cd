"""Renderers: each reads only the Comparison model (and Document for ``show``).

The registry: ``render(comparison, format, **options)`` returns the report as a string, and
``FORMATS`` lists the format names. Options a format does not take are ignored, so one call site (the
CLI) can pass the same options to every format; an option that no format takes is an error.

>>> import policydiff
>>> a = policydiff.parse("一、学前教育\\n1.推进等级园创建。创建一级园3所。\\n")
>>> b = policydiff.parse("一、学前教育\\n1.推进等级园创建。创建一级园5所。\\n")
>>> rows = render(policydiff.compare(a, b), "csv").splitlines()
>>> rows[2].split(",")[:4], rows[2].split(",")[-1]
(['reworded', '0', '一、1.', '一、1.'], '一级园: 3所 → 5所')
>>> sorted(FORMATS)
['csv', 'html', 'json', 'markdown', 'terminal']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..model import Comparison, OptionsError
from . import csv, html, json, markdown, terminal

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "terminal": terminal.render_comparison,
    "html": html.render_comparison,
    "markdown": markdown.render_comparison,
    "json": json.render_comparison,
    "csv": csv.render_comparison,
}
"""Format name → renderer (``render_comparison(cmp, **options) -> str``)."""


def options_of(format: str) -> frozenset[str]:
    """The keyword options a format takes (``lang``, ``changes_only``, ``width``, ``color``, ``summary``)."""
    params = inspect.signature(FORMATS[format]).parameters.values()
    return frozenset(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def render(comparison: Comparison, format: str = "terminal", **options: Any) -> str:
    """The comparison in ``format`` (one of ``FORMATS``).

    Raises:
        OptionsError: an unknown format, or an option that no format takes.
    """
    if format not in FORMATS:
        raise OptionsError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    known = frozenset().union(*(options_of(f) for f in FORMATS))
    unknown = sorted(set(options) - known)
    if unknown:
        raise OptionsError(f"unknown render option {unknown[0]!r}; options are {', '.join(sorted(known))}")
    taken = options_of(format)
    return FORMATS[format](comparison, **{k: v for k, v in options.items() if k in taken})


__all__ = ["FORMATS", "Renderer", "options_of", "render"]
