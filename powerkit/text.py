"""Text from deal files on its way to a reader (base layer: imports nothing of powerkit).

One escaping function per target, so that every name, title or note from a deal file reaches the
reader as inert text:

* :func:`esc` — HTML (HTML strings, the values of HTML widgets);
* :func:`md` — Markdown (section summaries and blocks, cards, headings): HTML-escaped *and* every
  Markdown metacharacter backslash-escaped, so no link, image, autolink, emphasis or math starts;
* :func:`label` — plotly labels, hover texts and titles (plotly renders a small HTML subset:
  ``<b>``, ``<br>``, ``<a href>``…): ``&``, ``<`` and ``>`` escaped, quotes kept as written.

All three drop NUL and the bidi override and isolate characters (U+202A–U+202E, U+2066–U+2069),
which would reorder the text around them.
"""
from __future__ import annotations

import html
import re
import string

__all__ = ["esc", "md", "label", "money"]

# NUL, the bidi embeddings/overrides U+202A-U+202E and the isolates U+2066-U+2069
_INVISIBLE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
# every other ASCII punctuation character: CommonMark lets a backslash escape any of them, and
# escaping all of them stops links, images, emphasis, code, tables, lists, headings, autolinks
# (``http\://``, ``www\.``) and, in JupyterLab, math (``\$``)
_MD = {c: "\\" + c for c in string.punctuation if c not in _HTML}


def _visible(text: object) -> str:
    return _INVISIBLE.sub("", "" if text is None else str(text))


def esc(text: object) -> str:
    r"""HTML-escape any text that came from a deal file (``None`` → empty string), for HTML
    contexts: HTML strings and HTML widget values.

    >>> esc('<b>Tom "TJ" & co</b>')
    '&lt;b&gt;Tom &quot;TJ&quot; &amp; co&lt;/b&gt;'
    >>> esc(None), esc("Ana\u202eli\x00")
    ('', 'Anali')
    """
    return html.escape(_visible(text), quote=True)


def md(text: object) -> str:
    r"""Text from a deal file for Markdown (rendered by nbconvert's mistune, JupyterLab or Voila):
    HTML-escaped (raw HTML stays text) and every ASCII punctuation mark backslash-escaped (no
    link, image, autolink, emphasis, code, list, heading, table or ``$`` math can start); line
    breaks become spaces, so a text cannot end a paragraph or a list item.

    >>> md("[details](javascript:alert(1))")
    '\\[details\\]\\(javascript\\:alert\\(1\\)\\)'
    >>> md('<a href="x">Tom</a> $5$')
    '&lt;a href\\=&quot;x&quot;&gt;Tom&lt;\\/a&gt; \\$5\\$'
    >>> md("see https://evil.example\n# now"), md(None)
    ('see https\\:\\/\\/evil\\.example \\# now', '')
    """
    text = re.sub(r"\r\n|\r|\n", " ", _visible(text))
    return "".join(_HTML.get(c) or _MD.get(c) or c for c in text)


def label(text: object) -> str:
    r"""Text from a deal file for a plotly label, hover text, legend entry or title: ``&``, ``<``
    and ``>`` escaped (plotly would read tags), quotes left as written.

    >>> label('Tom "TJ" <b>Reyes</b> & co\u202e')
    'Tom "TJ" &lt;b&gt;Reyes&lt;/b&gt; &amp; co'
    >>> label(None)
    ''
    """
    return html.escape(_visible(text), quote=False)


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
