"""Workshop mode: the exercises' answers against facts derived independently of powerkit.

Sources of the expected values (none pasted from powerkit's output):
* Krackhardt — counted directly from data/reference/krackhardt_advice_edges.csv with pandas
  (in-degree = how often a manager is named as an adviser) and the attributes CSV (level 1 =
  the CEO).
* Medici — Jackson (2008), *Social and Economic Networks*, §2.2.4: Medici betweenness .522
  (= 47.5 / C(14, 2) = 47.5 / 91 = 0.5220), Guadagni .255, Strozzi .103; and networkx's own
  ``betweenness_centrality`` as a peer. Wealth from the attributes CSV (Padgett & Ansell 1993).
* Itex–Cypress — a brute force over all 5·4·3·3 = 180 packages written from the GENIUS utility
  model in data/reference/README.md (U = Σ w_i · eval_i / max eval_i), with a plain O(n²)
  dominance check.
"""
from __future__ import annotations

import itertools

import pandas as pd
import pytest
from conftest import NOTEBOOKS, REFERENCE, voila

from powerkit import workshop


# -- independent derivations ---------------------------------------------------------------------
def _advice_in_degree() -> pd.Series:
    e = pd.read_csv(REFERENCE / "krackhardt_advice_edges.csv")
    ids = pd.read_csv(REFERENCE / "krackhardt_attributes.csv")["id"]
    return e["alter"].value_counts().reindex(ids, fill_value=0)


def _ceo() -> int:
    a = pd.read_csv(REFERENCE / "krackhardt_attributes.csv")
    return int(a.loc[a["level"] == 1, "id"].item())


def _itex_brute_force():
    """(all packages with both utilities, the set of efficient utility points)."""
    raw = pd.read_csv(REFERENCE / "itex_cypress_scoring.csv")
    issues = list(dict.fromkeys(raw["issue"]))
    per_issue = []
    for issue in issues:
        rows = raw[raw["issue"] == issue]
        opts = []
        for _, r in rows.iterrows():
            u = r["itex_issue_weight"] * r["itex_evaluation"] / rows["itex_evaluation"].max()
            t = r["cypress_issue_weight"] * r["cypress_evaluation"] / rows["cypress_evaluation"].max()
            opts.append((r["option"], u, t))
        per_issue.append(opts)
    wi = raw.groupby("issue")["itex_issue_weight"].first().sum()
    wc = raw.groupby("issue")["cypress_issue_weight"].first().sum()
    packs = []
    for combo in itertools.product(*per_issue):
        packs.append(({i: o[0] for i, o in zip(issues, combo, strict=True)},
                      sum(o[1] for o in combo) / wi, sum(o[2] for o in combo) / wc))
    eps = 1e-9
    efficient = set()
    for _, u, t in packs:
        dominated = any(u2 >= u - eps and t2 >= t - eps and (u2 > u + eps or t2 > t + eps)
                        for _, u2, t2 in packs)
        if not dominated:
            efficient.add((round(u, 9), round(t, 9)))
    return packs, efficient


# -- the notebook --------------------------------------------------------------------------------
@pytest.mark.slow
def test_workshop_notebook_answers(run_notebook):
    rec = run_notebook("workshop.ipynb")

    # Krackhardt: the most sought adviser, counted from the CSV, is not the CEO
    deg = _advice_in_degree()
    top = deg[deg == deg.max()].index.astype(str).tolist()
    assert top == ["2"] and deg.max() == 18  # manager 2: named by 18 of the 20 others
    assert rec["krackhardt_top_adviser"] == top
    assert rec["krackhardt_top_in_degree"] == int(deg.max())
    assert str(_ceo()) == "7" and "7" not in rec["krackhardt_top_adviser"]
    assert rec["krackhardt_formal_top"] == "7"
    assert rec["krackhardt_formal_top_in_degree"] == int(deg[7])
    assert rec["krackhardt_formal_top_rank"] == int((deg > deg[7]).sum()) + 1
    assert rec["krackhardt_advice_in_degree"] == {str(k): int(v) for k, v in deg.items()}

    # the Medici: Jackson (2008) .522, and networkx as a peer for every family
    import networkx as nx

    assert rec["florentine_top_broker"] == "Medici"
    assert rec["florentine_top_betweenness"] == pytest.approx(47.5 / 91, abs=1e-9)
    assert round(rec["florentine_top_betweenness"], 4) == 0.5220
    peer = nx.betweenness_centrality(nx.florentine_families_graph())
    assert rec["florentine_betweenness"] == pytest.approx(peer, abs=1e-9)
    att = pd.read_csv(REFERENCE / "florentine_families_attributes.csv")
    att = att[att["family"].isin(peer)]
    assert rec["florentine_richest"] == att.loc[att["wealth_1427_thousand_lira"].idxmax(),
                                                "family"] == "Strozzi"

    # Itex–Cypress: the frontier equals a brute force over the 180 packages
    packs, efficient = _itex_brute_force()
    assert rec["itex_packages"] == len(packs) == 180
    assert rec["itex_frontier_size"] == len(efficient)
    fr = pd.DataFrame(rec["itex_frontier"]["data"], columns=rec["itex_frontier"]["columns"])
    points = zip(fr["us"], fr["them"], strict=True)
    assert {(round(u, 9), round(t, 9)) for u, t in points} == efficient


# -- the answer functions ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cases():
    return workshop.load_cases()


def test_check_adviser_grades_guesses(cases):
    t = workshop.advisers(cases["krackhardt"])
    deg = _advice_in_degree()
    assert t["advice_in_degree"].to_dict() == {str(k): int(v) for k, v in deg.items()}
    right = workshop.check_adviser(t, "2")
    assert right["correct"] is True and "is right" in right["message"]
    ceo = workshop.check_adviser(t, 7)  # ids as int are accepted
    assert ceo["correct"] is False and ceo["guess_in_degree"] == deg[7]
    none = workshop.check_adviser(t)
    assert none["correct"] is None and none["guess"] is None
    with pytest.raises(ValueError, match="'guess' parameter of check_adviser"):
        workshop.check_adviser(t, "99")


def test_advisers_needs_advice_ties(cases):
    with pytest.raises(ValueError, match="ties of kind 'advice'"):
        workshop.advisers(cases["florentine"])  # marriage (trust) ties only


def test_messages_escape_names():
    # a table as advisers() returns it, with a hostile name: the markdown shows it as text
    t = pd.DataFrame({"name": ["<script>alert(1)</script>", "Bob"], "formal_rank": [1.0, 2.0],
                      "advice_in_degree": [1, 0], "advice_rank": [1, 2]}, index=["a", "b"])
    msg = workshop.check_adviser(t, "b")["message"]
    assert "<script>" not in msg and "&lt;script&gt;" in msg


def test_position_power_matches_networkx(cases):
    import networkx as nx

    t = workshop.position_power(cases["florentine"])
    peer = nx.betweenness_centrality(nx.florentine_families_graph())
    assert t["betweenness"].to_dict() == pytest.approx(peer, abs=1e-9)
    assert t["marriages"].to_dict() == dict(nx.florentine_families_graph().degree())
    r = workshop.check_broker(t, "Strozzi")
    # Jackson (2008): Medici .522, Guadagni .255 (runner-up), Strozzi .103
    assert (r["answer"], r["runner_up"], r["richest"]) == ("Medici", "Guadagni", "Strozzi")
    assert round(r["guess_betweenness"], 3) == 0.103 and r["correct"] is False


def test_check_package_against_brute_force(cases):
    packs, efficient = _itex_brute_force()
    a = workshop.efficient_packages(cases["itex_cypress"])
    # every package: efficient iff its utility point is on the brute-force frontier, and the
    # number of better-for-both frontier points matches a direct count
    front = sorted(efficient)
    for p, u, t in packs[::7]:
        r = workshop.check_package(a, p)
        assert r["us"] == pytest.approx(u, abs=1e-9) and r["them"] == pytest.approx(t, abs=1e-9)
        assert r["efficient"] == ((round(u, 9), round(t, 9)) in efficient)
        better = [(u2, t2) for u2, t2 in front
                  if u2 >= u - 1e-9 and t2 >= t - 1e-9 and (u2 > u + 1e-9 or t2 > t + 1e-9)]
        assert r["n_better"] == len(better)
    incomplete = workshop.check_package(a, {**packs[0][0], "Price": None})
    assert incomplete["efficient"] is None and "every issue" in incomplete["message"]


def test_frontier_count_message(cases):
    a = workshop.efficient_packages(cases["itex_cypress"])
    r = workshop.check_frontier_count(a, 40)
    _, efficient = _itex_brute_force()
    assert r["n_efficient"] == len(efficient) and r["off_by"] == 40 - len(efficient)
    assert f"{len(efficient)} of the 180 packages" in r["message"]


# -- widgets without a browser --------------------------------------------------------------------
def test_reveal_renders_only_when_pressed():
    calls = []
    box = workshop.reveal(lambda: calls.append(1) or ["answer"])
    assert calls == [] and box.shown is None and box.output.outputs == ()
    box.toggle.value = True
    assert calls == [1] and box.shown == ["answer"]
    assert box.output.outputs[0]["data"]["text/markdown"] == "answer"
    box.toggle.value = False
    assert box.shown is None and box.toggle.description == "Show the answer"
    assert box.output.outputs == ()
    assert workshop.reveal(lambda: ["x"], value=True).shown == ["x"]


def test_exercise_builders_follow_the_guess(cases):
    box = workshop.build_position_exercise(cases["florentine"])
    assert box.reveal.shown is None  # nothing of the answer before the toggle
    box.controls["guess"].value = "Strozzi"
    box.toggle.value = True
    assert "Your guess, Strozzi" in box.reveal.shown[0]
    box.controls["guess"].value = "Medici"  # re-rendered while open
    assert "Your guess, Medici, is right" in box.reveal.shown[0]
    mimes = [set(o["data"]) for o in box.output.outputs]
    assert "application/vnd.plotly.v1+json" in set().union(*mimes)  # the chart is in the output

    pk = workshop.build_packages_exercise(cases["itex_cypress"], show=True)
    first = workshop.efficient_packages(cases["itex_cypress"]).frontier.iloc[0]
    for issue in ("Price", "Delivery", "Payment", "Returns"):
        pk.controls[issue].value = first[issue]
    pk.controls["count"].value = 18
    assert "Your guess: 18" in pk.reveal.shown[0]
    assert "**efficient**" in pk.reveal.shown[1]


# -- serving -------------------------------------------------------------------------------------
def test_voila_command_is_local_and_offline(tmp_path):
    argv, env = workshop.voila_command(port=8870, template_root=tmp_path)
    assert argv[0].endswith("voila")
    assert "--Voila.ip=127.0.0.1" in argv and "--port=8870" in argv
    assert "--strip_sources=True" in argv and "--preheat_kernel=True" in argv
    assert "--ContentsManager.hide_globs=report.ipynb" in argv
    assert env["JUPYTER_PATH"].split(":")[0] == str(tmp_path)
    root = workshop.voila_template_root(tmp_path)
    folder = root / "voila" / "templates" / workshop.VOILA_TEMPLATE_NAME
    files = [f for f in folder.iterdir() if f.is_file()]
    assert {f.name for f in files} == set(workshop.VOILA_TEMPLATE)
    assert not any("http" in f.read_text() for f in files)  # nothing fetched from outside
    # the one static file: plotly's figure-widget bundle (test below), served from 127.0.0.1
    assert [f.name for f in (folder / "static").iterdir()] == [
        workshop.plotly_widget_bundle()[1]]
    with pytest.raises(ValueError, match="'port' parameter of voila_command"):
        workshop.voila_command(port=0)


def test_figure_widgets_of_served_dashboards_import_plotlys_bundle_from_one_url(
        monkeypatch, tmp_path):
    """A served dashboard's figure widgets carry a few hundred bytes of module that imports
    plotly's bundle from the template's static folder, instead of the 5 MB bundle each (which
    the browser evaluated once per figure, past anywidget's 2 s start-up limit on a loaded
    machine: CI's walkthrough 5, 3 figure widgets). The served file is byte for byte the bundle
    plotly ships (found here through plotly itself, not through powerkit's lookup); outside a
    served dashboard the widget is plotly's own."""
    from pathlib import Path

    import plotly
    import plotly.graph_objects as go

    from powerkit.widgets import PLOTLY_WIDGET_ENV, FigureView

    shipped = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
    root = workshop.voila_template_root(tmp_path)
    env = workshop.voila_command(template_root=root)[1]
    path = env[PLOTLY_WIDGET_ENV]
    served = root / "voila" / path  # the URL path is relative to <base_url>voila/
    assert served.read_bytes() == shipped.read_bytes()
    assert served.name == f"plotly-widget-{plotly.__version__}.js"
    folder = root / "voila" / "templates" / workshop.VOILA_TEMPLATE_NAME
    assert f'"{path}"' in (folder / "plotly_widget.j2").read_text()  # the page's early import
    # a template folder without the bundle: the widgets carry it, as plotly does
    assert PLOTLY_WIDGET_ENV not in workshop.voila_command(template_root=tmp_path / "bare")[1]

    monkeypatch.setenv(PLOTLY_WIDGET_ENV, path)
    w = FigureView(go.Figure(go.Bar(x=[1, 2], y=[3, 4]))).figure
    assert isinstance(w, go.FigureWidget) and list(w.data[0].y) == [3, 4]
    sent = w.get_state()["_esm"]  # what the browser receives
    assert len(sent) < 1000 and f'"{path}"' in sent and "import(url)" in sent
    monkeypatch.delenv(PLOTLY_WIDGET_ENV)
    assert FigureView(go.Figure()).figure.get_state()["_esm"] == shipped.read_text(
        encoding="utf-8")


def test_voila_command_names_the_kernel_factory_unless_the_user_chose(monkeypatch, tmp_path):
    from powerkit.kernels import FACTORY_PROVISIONER
    from powerkit.workshop.serve import PROVISIONER_ENV

    monkeypatch.delenv(PROVISIONER_ENV, raising=False)
    assert workshop.voila_command(template_root=tmp_path)[1][PROVISIONER_ENV] == "powerkit-factory"
    assert FACTORY_PROVISIONER == "powerkit-factory"  # the entry point's name in pyproject.toml
    monkeypatch.setenv(PROVISIONER_ENV, "local-provisioner")
    assert workshop.voila_command(template_root=tmp_path)[1][PROVISIONER_ENV] == "local-provisioner"


@pytest.mark.slow
def test_dashboard_kernels_are_forked_by_a_factory_that_ends_with_voila(tmp_path):
    """``make workshop``'s Voila gets its kernels from one kernel factory
    (:class:`powerkit.kernels.FactoryProvisioner`, named by ``voila_command``'s environment):
    the pre-heated kernel is a child of the factory, no kernel is a cold ``ipykernel_launcher``
    (neither started by Voila nor exec'd by the factory for a changed environment), the page
    renders from it, and a SIGKILL of Voila ends the factory and every kernel."""
    import os
    import signal
    import time
    import urllib.request

    import psutil

    name = "01_reading_power_dynamics.ipynb"
    with voila(NOTEBOOKS / name, tmp_path) as (base, log):
        port = base.rsplit(":", 1)[1]
        server = next(p for p in psutil.Process().children() if f"--port={port}" in p.cmdline())
        deadline = time.monotonic() + 120
        while True:  # the pre-heated kernel is started as Voila starts
            factories = [p for p in server.children() if "_factory" in " ".join(p.cmdline())]
            kernels = [k for f in factories for k in f.children()]
            if kernels or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert len(factories) == 1, [p.cmdline() for p in server.children()]
        assert kernels, f"no kernel forked by the factory in 120 s:\n{log.read_text()[-2000:]}"
        # Voila on one notebook serves it at /
        page = urllib.request.urlopen(base, timeout=180).read().decode()
        assert "application/vnd.jupyter.widget-view+json" in page  # its widgets are shown
        tree = server.children(recursive=True)
        assert not [p.cmdline() for p in tree if "ipykernel_launcher" in " ".join(p.cmdline())]
        os.kill(server.pid, signal.SIGKILL)
        _, alive = psutil.wait_procs(tree, timeout=20)
        assert alive == [], "the kernel factory or a kernel outlived Voila"


def test_a_page_rendered_on_a_visit_gets_a_forked_kernel_too(tmp_path):
    """The dashboard list (tree mode, as the browser tests serve it, here without pre-heated
    kernels) renders a page in a kernel started for the visit, whose environment carries the
    request's CGI variables (``SCRIPT_NAME``, ``QUERY_STRING``, ``SERVER_PORT``, …:
    voila/handler.py). That kernel is forked by the factory too: while those variables counted
    as a changed environment, the factory exec'd every such kernel as a cold
    ``ipykernel_launcher`` (its page's kernel CPU 6.2 s against 3 s forked, walkthrough 1)."""
    import time
    import urllib.request

    import psutil

    with voila(NOTEBOOKS, tmp_path, preheat=False) as (base, log):
        port = base.rsplit(":", 1)[1]
        page = urllib.request.urlopen(f"{base}/voila/render/04_planning_value_creation.ipynb",
                                      timeout=180).read().decode()
        assert "application/vnd.jupyter.widget-view+json" in page
        server = next(p for p in psutil.Process().children() if f"--port={port}" in p.cmdline())
        deadline = time.monotonic() + 30
        while True:  # the page's kernel stays up for the browser that would connect to it
            tree = server.children(recursive=True)
            # (a forked kernel keeps its factory's command line: only Voila's children)
            factories = [p for p in server.children() if "_factory" in " ".join(p.cmdline())]
            cold = [p.cmdline() for p in tree if "ipykernel_launcher" in " ".join(p.cmdline())]
            forked = [k for f in factories for k in f.children()]
            if forked or cold or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert cold == [], f"a cold kernel for the page: {cold}\n{log.read_text()[-2000:]}"
        assert len(factories) == 1 and forked, log.read_text()[-2000:]


def test_cli_prints_the_command():
    """``powerkit workshop`` (what ``make workshop`` runs) with --print: the command, not Voila."""
    from typer.testing import CliRunner

    from powerkit.cli import app
    from powerkit.paths import notebooks_dir

    r = CliRunner().invoke(app, ["workshop", "--print", "--port", "8871", "--no-preheat"])
    assert r.exit_code == 0, r.output
    assert "--port=8871" in r.stdout and "--preheat_kernel" not in r.stdout
    assert "JUPYTER_PATH=" in r.stdout and str(notebooks_dir()) in r.stdout


def test_cli_without_voila_says_how_to_install_it(monkeypatch, tmp_path):
    """A light install (``make report`` installs no dashboards extra) has no Voila: ``powerkit
    workshop`` says so in one line naming the fix, with the environment's exit code (3), and
    every other problem of the command line at the same time (errors.EXIT_CODES)."""
    import importlib.util

    from typer.testing import CliRunner

    from powerkit.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "voila" else real(name, *a))
    r = CliRunner().invoke(app, ["workshop", "--port", "8873"])
    assert r.exit_code == 3 and "Traceback" not in r.output
    assert r.output.strip() == ("voila: not installed (powerkit workshop serves the dashboards "
                                "with Voila); run `make workshop` (it installs it) or `pip "
                                "install 'powerkit[dashboards]'`")
    r = CliRunner().invoke(app, ["workshop", "--deals", str(tmp_path / "none")])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 2  # both problems told


def test_cli_refuses_a_bad_option_without_a_traceback():
    from typer.testing import CliRunner

    from powerkit.cli import app

    r = CliRunner().invoke(app, ["workshop", "--print", "--pool-size", "0"])
    assert r.exit_code == 2
    assert "'pool_size' parameter of voila_command" in r.output
    assert "Traceback" not in r.output
