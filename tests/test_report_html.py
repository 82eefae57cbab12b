"""The report's HTML exporter (powerkit.report._exporter) against nbconvert's own HTMLExporter.

nbconvert's ``HTMLExporter`` re-parses every page with BeautifulSoup to give images without
alternative text a placeholder and output areas ``tabindex="0"``; powerkit's exporter renders the
same template and makes those two edits on the template's markup (0.3 s less CPU per report,
docs/performance.md). The independent reference is nbconvert itself: both pages, parsed by
BeautifulSoup, must serialise to the same document — every element, attribute and text — on a
notebook with every kind of output a report can hold and hostile text that *names* the markup
being edited.
"""
from __future__ import annotations

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from powerkit import report

# text that mentions the edited markup, shown escaped (as powerkit.text.esc does): never edited
NAMED = ('&lt;div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output"&gt; '
         "&lt;img src=x&gt;")


def _notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    params = v4.new_code_cell("deal_path = 'x'")
    params.metadata["tags"] = ["parameters"]
    cell = v4.new_code_cell("show(section)")
    cell.outputs = [
        v4.new_output("display_data", {"text/html": "<h2>Power</h2><table><tr><td>1</td></tr>"
                                                    "</table><div><img src='a.png'></div>"}),
        v4.new_output("display_data", {"text/html": "<img alt='chart' src='b.png'>"}),
        v4.new_output("display_data", {"text/markdown": "**Who decides** ![](c.png) and "
                                                        "![a map](d.png)"}),
        v4.new_output("display_data", {"text/html": f"<p>{NAMED}</p>"}),
        v4.new_output("stream", name="stdout", text="printed\n"),
        v4.new_output("stream", name="stderr", text="warned\n"),
        v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1),
        v4.new_output("execute_result", {"text/html": "<b>result</b>"}, execution_count=2),
    ]
    hidden = v4.new_code_cell("record(x)")
    hidden.metadata["tags"] = ["record"]
    hidden.outputs = [v4.new_output("display_data", {"text/html": "<p>not shown</p>"})]
    nb.cells = [v4.new_markdown_cell("# A report"), params, cell, hidden]
    return nb


def _nbconvert_reference(ours) -> HTMLExporter:
    ref = HTMLExporter(config=ours.config, template_name="powerkit_offline",
                       extra_template_basedirs=[str(report.TEMPLATES)])
    ref.register_preprocessor(TagRemovePreprocessor(config=ours.config), enabled=True)
    return ref


def _page(exporter, nb) -> str:
    html, _ = exporter.from_notebook_node(nbformat.from_dict(nb),
                                          resources={"metadata": {"name": "t"}})
    return html


@pytest.mark.filterwarnings("ignore:Alternative text is missing")
def test_report_exporter_gives_nbconvert_page():
    ours = report._exporter()
    nb = _notebook()
    got = _page(ours, nb)
    want = _page(_nbconvert_reference(ours), nb)
    assert (BeautifulSoup(got, "html.parser").decode()
            == BeautifulSoup(want, "html.parser").decode())
    soup = BeautifulSoup(got, "html.parser")
    # the page holds what the comparison is about (a failure above is not vacuous)
    assert len(soup.select("div.jp-OutputArea-output[tabindex='0']")) == 8  # every output
    assert not soup.select("div.jp-OutputArea-output:not([tabindex])")
    assert [i.get("alt") for i in soup.select("img")] == [
        report.NO_ALT, "chart", "", "a map"]  # Markdown gives alt=""
    assert NAMED.replace("&lt;", "<").replace("&gt;", ">") in soup.get_text()
    assert "not shown" not in got and "deal_path" not in got
