"""Text from a deal file is inert in every target (issue 18): Markdown links, images, autolinks,
raw HTML, LaTeX, bidi overrides and NUL in the hostile-names deal reach the report's Markdown
(rendered by nbconvert's own mistune filter, as in the HTML report), its HTML and its plotly
labels as text, never as a link, an image, a script or a reordering of the line."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser

import plotly.graph_objects as go
import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from nbconvert.filters.markdown_mistune import markdown2html_mistune

import powerkit as pk
from powerkit.sections import build_sections
from powerkit.text import esc, label, md

HOSTILE = ROOT / "tests" / "fixtures" / "deals" / "hostile-names"
# elements and attributes that only markup can make: none may come out of deal text
ACTIVE_TAGS = {"a", "img", "script", "style", "iframe", "object", "embed", "svg", "math", "link",
               "meta", "form", "input", "button", "video", "audio", "source", "base"}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# the hostile texts of the fixture, as a reader must see them
SHOWN = ["[details](javascript:alert(document.domain))",
         "![x](data:text/html,<script>alert(3)</script>)",
         "<https://evil.example>", "https://evil.example/x", "www.evil.example",
         '<a href="javascript:alert(4)">x</a>', "$\\alert{5}$", "<script>alert(1)</script>"]


class _Parsed(HTMLParser):
    """Start tags (with attributes) and the text a browser would show."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _check_inert(html: str) -> str:
    """Assert ``html`` has no active element, no link or source attribute and no event handler;
    return its text."""
    parsed = _Parsed(html)
    for tag, attrs in parsed.tags:
        if tag == "a" and attrs.get("class") == "anchor-link" and attrs["href"].startswith("#"):
            continue  # the heading's own permalink (nbconvert's), not deal text
        assert tag not in ACTIVE_TAGS, (tag, attrs, html[:300])
        bad = [a for a in attrs if a in ("href", "src", "srcdoc", "action") or a.startswith("on")]
        assert not bad, (tag, attrs, html[:300])
    return "".join(parsed.text)


def _shown_outputs(deal):
    """Every output the report notebook displays for this deal (title, summary, each section),
    as (mime type, text); figures are checked separately."""
    from IPython import display as ipd

    from powerkit import report
    from powerkit.nbtools import show

    shown = []

    def capture(*objs, **kw):
        for o in objs:
            if isinstance(o, ipd.Markdown):
                shown.append(("markdown", o.data))
            elif isinstance(o, ipd.HTML) and "plotly" not in o.data.lower():
                shown.append(("html", o.data))

    sections = build_sections(deal)
    mp = pytest.MonkeyPatch()
    mp.setattr(ipd, "display", capture)
    try:
        report.show_title(deal)
        report.show_summary(sections)
        for s in report.body(sections):
            show(s)
    finally:
        mp.undo()
    return sections, shown


def test_every_markdown_block_of_every_section_renders_inert():
    """build_sections on the hostile deal: each summary and text block, rendered by nbconvert's
    markdown filter, makes no link, image, script or style, and shows the hostile texts."""
    deal = pk.load_deal(HOSTILE)
    sections, shown = _shown_outputs(deal)
    n_md = 0
    for sec in sections:
        texts = [sec.summary] + [b for b in sec.blocks if isinstance(b, str)]
        for t in filter(None, texts):
            n_md += 1
            _check_inert(markdown2html_mistune(t))
    assert n_md >= 10
    text = " ".join(_check_inert(markdown2html_mistune(d) if kind == "markdown" else d)
                    for kind, d in shown)
    prose = " ".join(markdown2html_mistune(d) for kind, d in shown if kind == "markdown")
    # (table cells, escaped by pandas' to_html, still carry them: bounded by their cell)
    assert not set(BIDI) & set(prose), "a bidi override reached the report's prose"
    seen = [s for s in SHOWN if s in text]
    # the texts that reach Markdown (names, titles, the decision, question texts) read as written
    assert {"[details](javascript:alert(document.domain))", "<script>alert(1)</script>",
            "<https://evil.example>", "https://evil.example/x"} <= set(seen), seen


def test_hostile_figures_labels_are_inert_and_read_as_written():
    """Every plotly text of the report's figures: no tag but plotly's own <br>, <b>, <i>, <sup>,
    <extra>, and a quote reads as written (no &quot;)."""
    deal = pk.load_deal(HOSTILE)
    figs = [b for s in build_sections(deal) for b in s.blocks if isinstance(b, go.Figure)]
    assert figs
    allowed = {"br", "b", "i", "sup", "sub", "extra", "em", "span"}
    blob = " ".join(f.to_json() for f in figs)
    import json

    strings: list[str] = []

    def walk(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for f in figs:
        walk(json.loads(f.to_json()))
    for s in strings:
        parsed = _Parsed(s)
        assert {t for t, _ in parsed.tags} <= allowed, s[:200]
        assert not any(a for _, attrs in parsed.tags for a in attrs if a != "style"), s[:200]
    assert "&quot;" not in blob and "\\u202e" not in blob.lower()
    assert any('"Partners"' in s for s in strings)  # Brisk's quotes read as written


def test_nul_and_bidi_never_reach_a_reader(tmp_path):
    """The loader accepts a NUL in a text (the workbook and export paths are another matter):
    md, label and esc drop it, and the sections built on such a deal carry none."""
    deal_dir = tmp_path / "nul"
    shutil.copytree(HOSTILE, deal_dir)
    q = deal_dir / "questions.csv"
    q.write_text(q.read_text(encoding="utf-8").replace("yourself?", "your\x00self?"),
                 encoding="utf-8")
    deal = pk.load_deal(deal_dir)
    assert "\x00" in "".join(deal.questions["text"])
    _, shown = _shown_outputs(deal)
    assert not any("\x00" in d for _, d in shown if _ == "markdown")
    for f in (md, label, esc):
        assert f("a\x00b\u202ec\u2066d") == "abcd"


@given(st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))
               | st.sampled_from(list("[]()<>!*_`$\\#|~:/.-+" + BIDI + "\x00"))))
def test_md_renders_any_text_as_itself(text):
    """Whatever the text, nbconvert's markdown renders md(text) as one paragraph of that text
    (bidi overrides and NUL dropped, white space aside)."""
    html = markdown2html_mistune(md(text))
    parsed = _Parsed(html)
    assert {t for t, _ in parsed.tags} <= {"p"}, html
    want = "".join(c for c in text if c not in BIDI + "\x00")
    assert " ".join("".join(parsed.text).split()) == " ".join(want.split())


@given(st.text())
def test_label_and_esc_leave_no_tag(text):
    for f in (label, esc):
        assert not _Parsed(f(text)).tags
    assert '"' not in esc(text) and "<" not in label(text)
