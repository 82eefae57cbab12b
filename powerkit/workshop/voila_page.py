"""The dashboards' page template for Voila: the only HTML of the workshop, kept apart from the
code that serves it (:mod:`powerkit.workshop.serve` writes these files where Voila finds them).
"""
from __future__ import annotations

import json

__all__ = ["VOILA_TEMPLATE_NAME", "VOILA_TEMPLATE"]

VOILA_TEMPLATE_NAME = "powerkit_workshop"

#: Files of the Voila page template: Voila's ``lab`` template without its two font stylesheets
#: from a CDN (the icons are bundled with Voila anyway) and without Mermaid's CDN loader, and a
#: tree/error page without the CDN font link. Nothing is fetched from outside 127.0.0.1.
VOILA_TEMPLATE = {
    "conf.json": json.dumps({"base_template": "lab"}),
    "index.html.j2": """\
{#- powerkit workshop: Voila's lab template with nothing loaded from a CDN -#}
{%- extends 'lab/index.html.j2' -%}
{% import "spinner.macro.html.j2" as spinner %}
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
{%- endblock notebook_css -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
""",
    "page.html": """\
<!DOCTYPE HTML>
<html>
  <head>
    <meta charset="utf-8">
    <title>{% block title %}powerkit workshop{% endblock %}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
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
