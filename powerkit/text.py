"""Text from deal files on its way to a reader (base layer: imports nothing of powerkit).

:func:`esc` is the one HTML escape of powerkit: every name, title or note that came from a deal
file goes through it before it reaches HTML, Markdown or a plotly label (plotly renders a subset
of HTML in labels and hover text).
"""
from __future__ import annotations

import html

__all__ = ["esc", "money"]


def esc(text: object) -> str:
    """HTML-escape any text that came from a deal file (``None`` → empty string).

    >>> esc('<b>Tom "TJ" & co</b>')
    '&lt;b&gt;Tom &quot;TJ&quot; &amp; co&lt;/b&gt;'
    >>> esc(None)
    ''
    """
    return html.escape("" if text is None else str(text), quote=True)


def money(amount: float | None, currency: str = "EUR") -> str:
    """An amount as a consultant says it: three significant figures with k, m or bn
    (``EUR 1.14m``, ``EUR 205k``, ``USD 42m``); ``None`` reads "not known". The one money
    formatter of powerkit: every price a reader sees goes through it.

    >>> money(1137013.13), money(205000, "EUR"), money(42e6, "USD"), money(950), money(None)
    ('EUR 1.14m', 'EUR 205k', 'USD 42m', 'EUR 950', 'not known')
    >>> money(-1250000), money(999999)
    ('-EUR 1.25m', 'EUR 1m')
    """
    if amount is None or amount != amount:
        return "not known"
    sign = "-" if amount < 0 else ""
    a = abs(float(amount))
    a = float(f"{a:.3g}")  # round first: 999,999 reads "1m", not "1000k"
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if a >= size:
            return f"{sign}{currency} {float(f'{a / size:.3g}'):g}{unit}"
    return f"{sign}{currency} {a:g}"
