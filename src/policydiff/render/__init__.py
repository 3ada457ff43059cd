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

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Comparison

Renderer = Callable[..., str]

_MODULES = {"terminal": "terminal", "html": "html", "markdown": "markdown", "json": "json", "csv": "csv"}
"""Format name → the module under ``policydiff.render`` whose ``render_comparison`` writes it."""


class _Formats(Mapping[str, Renderer]):
    """Format name → renderer, each renderer's module imported when it is first looked up: the terminal
    report should not pay for lxml (HTML) or tabulate (Markdown), nor ``show`` for any of them."""

    def __getitem__(self, name: str) -> Renderer:
        if name not in _MODULES:
            raise KeyError(name)
        renderer: Renderer = importlib.import_module(f".{_MODULES[name]}", __name__).render_comparison
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)

    def __repr__(self) -> str:
        return f"FORMATS({', '.join(_MODULES)})"


FORMATS: Mapping[str, Renderer] = _Formats()
"""Format name → renderer (``render_comparison(cmp, **options) -> str``); read-only."""

OPTIONS = frozenset({"lang", "changes_only", "width", "color", "summary", "table", "track"})
"""Every keyword option some format takes (a test keeps it equal to the union of ``options_of``): checked
here without importing every renderer."""


def options_of(format: str) -> frozenset[str]:
    """The keyword options a format takes (``lang``, ``changes_only``, ``width``, ``color``, ``summary``, ``track``:
    a ``track_model.Track`` whose section the terminal and HTML reports add, ``policydiff diff --track``)."""
    params = inspect.signature(FORMATS[format]).parameters.values()
    return frozenset(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def render(comparison: Comparison, format: str = "terminal", **options: Any) -> str:
    """The comparison in ``format`` (one of ``FORMATS``).

    Raises:
        OptionsError: an unknown format, or an option that no format takes.
    """
    from ..model import OptionsError

    if format not in FORMATS:
        raise OptionsError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise OptionsError(f"unknown render option {unknown[0]!r}; options are {', '.join(sorted(OPTIONS))}")
    taken = options_of(format)
    return FORMATS[format](comparison, **{k: v for k, v in options.items() if k in taken})


__all__ = ["FORMATS", "OPTIONS", "Renderer", "options_of", "render"]
