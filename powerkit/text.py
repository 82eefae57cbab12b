"""Text from deal files on its way to a reader (base layer: imports nothing of powerkit).

:func:`esc` is the one HTML escape of powerkit: every name, title or note that came from a deal
file goes through it before it reaches HTML, Markdown or a plotly label (plotly renders a subset
of HTML in labels and hover text).
"""
from __future__ import annotations

import html

__all__ = ["esc"]


def esc(text: object) -> str:
    """HTML-escape any text that came from a deal file (``None`` → empty string).

    >>> esc('<b>Tom "TJ" & co</b>')
    '&lt;b&gt;Tom &quot;TJ&quot; &amp; co&lt;/b&gt;'
    >>> esc(None)
    ''
    """
    return html.escape("" if text is None else str(text), quote=True)
