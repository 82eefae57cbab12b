"""The dashboards' page template for Voila: the only HTML of the workshop, kept apart from the
code that serves it (:mod:`powerkit.workshop.serve` writes these files where Voila finds them).
"""
from __future__ import annotations

import json

__all__ = ["VOILA_TEMPLATE_NAME", "VOILA_TEMPLATE", "titles_template"]

VOILA_TEMPLATE_NAME = "powerkit_workshop"

#: Files of the Voila page template: Voila's ``lab`` template without its two font stylesheets
#: from a CDN (the icons are bundled with Voila anyway) and without Mermaid's CDN loader, a
#: tree/error page without the CDN font link, and the list of dashboards as a plain HTML page
#: (``tree-lab.html``, ``tree.html``): each notebook by its title (``titles.j2``, written by
#: :func:`powerkit.workshop.voila_template_root` from the notebooks' first headings, see
#: :func:`titles_template`) with its file name in small print, and no JupyterLab application —
#: Voila's own list page starts one whose widget plugins fail to activate without a kernel.
#: A dashboard page imports plotly's figure-widget bundle as it loads, from the template's
#: ``static/`` folder (``plotly_widget.j2`` names it; :func:`powerkit.workshop.voila_template_root`
#: puts it there and :func:`powerkit.widgets.plotly_widget_esm` says why).
#: Nothing is fetched from outside 127.0.0.1.
_TREE = """\
{#- powerkit workshop: the list of dashboards, by title, as plain HTML -#}
{% extends "page.html" %}
{% import "titles.j2" as names %}
{% block title %}powerkit workshop — dashboards{% endblock %}
{% block stylesheets %}
  {{ super() }}
  <style>
    body { background: var(--jp-layout-color1); color: var(--jp-ui-font-color1);
           font-family: var(--jp-ui-font-family); }
    .pk-list { max-width: 860px; margin: 40px auto; padding: 0 20px; }
    .pk-list h1 { font-size: 1.6em; font-weight: 600; margin-bottom: 0.3em; }
    .pk-list p { color: var(--jp-ui-font-color2); margin-top: 0; }
    .pk-dashboards { list-style: none; padding: 0; margin: 0;
                     border: var(--jp-border-width) solid var(--jp-border-color1);
                     border-radius: var(--jp-border-radius); background: var(--jp-layout-color0); }
    .pk-dashboards li { border-bottom: var(--jp-border-width) solid var(--jp-border-color2); }
    .pk-dashboards li:last-child { border-bottom: none; }
    .pk-dashboards li:hover { background: var(--jp-layout-color2); }
    .pk-dashboards a { display: block; padding: 12px 16px; text-decoration: none;
                       color: inherit; }
    .pk-title { display: block; font-size: 1.1em; color: var(--jp-ui-font-color0); }
    .pk-file { display: block; font-size: 0.85em; color: var(--jp-ui-font-color2); }
  </style>
{% endblock %}
{% block body %}
  <main class="pk-list">
    <h1>powerkit workshop — dashboards</h1>
    <p>Open a walkthrough or the workshop exercises. Each dashboard has a deal chooser at the
       top: a deal of the workshop's folder, or your own workbook (.xlsx).</p>
    <ul class="pk-dashboards">
      {% if breadcrumbs|length > 1 %}
        <li><a href="{{ breadcrumbs[-2][0] | e }}"><span class="pk-title">..</span></a></li>
      {% endif %}
      {% for content in contents.content %}
        {% if content.type == 'notebook' %}
          <li><a href="{{ base_url | e }}voila/render/{{ content.path | urlencode }}">
            <span class="pk-title">{{ names.titles.get(content.name, content.name) | e }}</span>
            <span class="pk-file jp-DirListing-itemText">{{ content.name | e }}</span></a></li>
        {% elif content.type == 'directory' %}
          <li><a href="{{ base_url | e }}voila/tree/{{ content.path | urlencode }}">
            <span class="pk-title">{{ content.name | e }}/</span></a></li>
        {% endif %}
      {% endfor %}
    </ul>
  </main>
{% endblock %}
"""


def titles_template(titles: dict) -> str:
    r"""The ``titles.j2`` file of the list page: ``{% set titles = {file name: title} %}``,
    each string a JSON literal in ASCII with ``%``, ``{`` and ``}`` as ``\u`` escapes (which
    Jinja's string literals decode), so no title can end the statement or start another.

    >>> from jinja2 import DictLoader, Environment
    >>> src = titles_template({"01_x.ipynb": 'Walkthrough 1 — "Power" %} {{ 7*7 }} \\'})
    >>> env = Environment(loader=DictLoader({"t.j2": src}))
    >>> env.from_string('{% import "t.j2" as n %}{{ n.titles["01_x.ipynb"] }}').render()
    'Walkthrough 1 — "Power" %} {{ 7*7 }} \\'
    """
    def lit(text) -> str:
        out = json.dumps(str(text), ensure_ascii=True)
        return out.replace("%", "\\u0025").replace("{", "\\u007b").replace("}", "\\u007d")

    body = ", ".join(f"{lit(k)}: {lit(v)}" for k, v in sorted(titles.items()))
    return "{% set titles = {" + body + "} %}\n"


VOILA_TEMPLATE = {
    "conf.json": json.dumps({"base_template": "lab"}),
    "index.html.j2": """\
{#- powerkit workshop: Voila's lab template with nothing loaded from a CDN -#}
{%- extends 'lab/index.html.j2' -%}
{% import "spinner.macro.html.j2" as spinner %}
{% import "plotly_widget.j2" as served %}
{%- block notebook_css -%}
  {% if frontend == "voila" %}
    {{ resources.include_js("static/voila-style.js") }}
  {% endif %}
  {{ spinner.css() }}
  <style>
    .jp-mod-noOutputs.jp-mod-noInput { display: none; }
    body { background: var(--jp-layout-color1); }
    #rendered_cells { padding-left: calc(calc(100% - 1200px) * 0.5);
                      padding-right: calc(calc(100% - 1200px - 20px) * 0.5); }
    #rendered_cells > div { background: var(--jp-layout-color0); padding: 3ex 6ex 6ex 6ex; }
  </style>
  {{ super.super() }}
  {% if served.plotly_widget %}
  {#- plotly's figure-widget bundle, evaluated once as the page loads; each figure widget
      imports the same URL (powerkit.widgets.plotly_widget_esm) and gets this module -#}
  <script type="module">
    import({{ (resources.base_url ~ "voila/" ~ served.plotly_widget) | tojson }});
  </script>
  {% endif %}
  <script>
    /* Voila 0.5 shuts a page's kernel down on leaving it with a beacon that carries the _xsrf
       cookie, which Voila never sets: the shutdown is refused (403) and every kernel left
       behind (each deal chosen reloads the page) runs until Voila stops. A random _xsrf
       cookie for this origin makes the beacon pass tornado's double-submit check. */
    if (!/(^|;\\s*)_xsrf=[^;]/.test(document.cookie)) {
      const a = new Uint8Array(16); crypto.getRandomValues(a);
      document.cookie = "_xsrf=" + Array.from(a, b => b.toString(16).padStart(2, "0")).join("")
        + "; path=/; SameSite=Strict";
    }
  </script>
{%- endblock notebook_css -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
""",
    "tree-lab.html": _TREE,
    "tree.html": _TREE,
    "titles.j2": "{% set titles = {} %}\n",
    "plotly_widget.j2": "{% set plotly_widget = '' %}\n",
    "page.html": """\
<!DOCTYPE HTML>
<html>
  <head>
    <meta charset="utf-8">
    <title>{% block title %}powerkit workshop{% endblock %}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="icon" href="data:,">
    {% block stylesheets %}
    {% if include_css %}
      {{ include_css("static/index.css") }}
      {{ include_css("static/theme-light.css") }}
    {% endif %}
    {% endblock %}
    {% block meta %}{% endblock %}
  </head>
  <body data-base-url="{{ base_url }}voila/" data-voila="voila">
    <div>
      {% block body %}{% endblock %}
    </div>
    {% block scripts %}{% endblock %}
  </body>
</html>
""",
}
