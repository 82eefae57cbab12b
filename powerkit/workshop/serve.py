"""Serving the dashboards: Voila on 127.0.0.1 over the walkthroughs and the workshop, code
hidden, widgets live, each notebook executed ahead of the visitor in a pre-heated kernel, with a
page template that loads nothing from the internet (:mod:`powerkit.workshop.voila_page`).

:func:`serve` is what ``powerkit workshop`` (and so ``make workshop``) runs;
:func:`voila_command` builds its command line and environment.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from ..errors import bad_argument
from ..paths import notebooks_dir
from ..widgets import PLOTLY_WIDGET_ENV, WARM_ENV
from .chooser import DEALS_ENV, UPLOADS_ENV
from .voila_page import VOILA_TEMPLATE, VOILA_TEMPLATE_NAME, titles_template

#: jupyter_client's variable naming the provisioner of kernels whose spec names none
PROVISIONER_ENV = "JUPYTER_DEFAULT_PROVISIONER_NAME"

__all__ = ["voila_template_root", "plotly_widget_bundle", "notebook_title", "notebook_titles",
           "HIDDEN_NOTEBOOKS", "HIDDEN_GLOBS", "voila_command", "serve"]


def notebook_title(path) -> str:
    """A notebook's title for the list of dashboards: the first Markdown heading of its first
    Markdown cell without ``#``, ``*``, ``_`` or backticks; else its file name without the
    extension, ``_`` as spaces.

    Examples
    --------
    >>> from powerkit.paths import notebooks_dir
    >>> notebook_title(notebooks_dir() / "01_reading_power_dynamics.ipynb")
    'Walkthrough 1 — Reading power dynamics'
    >>> notebook_title("/nonexistent/07_my_deal.ipynb")
    '07 my deal'
    """
    import re

    path = Path(path)
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        cells = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            for line in source.splitlines():
                if line.lstrip().startswith("#"):
                    title = re.sub(r"[#*_`]", "", line).strip()
                    if title:
                        return title[:120]
            break
    return path.stem.replace("_", " ")


def notebook_titles(target) -> dict:
    """``{file name: title}`` (:func:`notebook_title`) of the notebooks in a folder (or of one
    notebook).

    >>> from powerkit.paths import notebooks_dir
    >>> notebook_titles(notebooks_dir())["workshop.ipynb"]
    'Workshop — reading power on three published cases'
    """
    target = Path(target)
    files = sorted(target.glob("*.ipynb")) if target.is_dir() else [target]
    return {f.name: notebook_title(f) for f in files}


def plotly_widget_bundle() -> tuple[Path, str] | None:
    """Plotly's figure-widget bundle and the name the dashboards' template serves it under:
    ``(…/plotly/package_data/widgetbundle.js, "plotly-widget-<plotly version>.js")`` — the
    version in the name, so a browser never keeps an old bundle for a new plotly. ``None``
    when this plotly has no such file (the widgets then carry the bundle, as plotly does).
    Found without importing plotly.

    >>> found = plotly_widget_bundle()
    >>> found[0].name, found[1].startswith("plotly-widget-") and found[1].endswith(".js")
    ('widgetbundle.js', True)
    """
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    try:
        spec = find_spec("plotly")
        ver = version("plotly")
    except (ImportError, PackageNotFoundError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundle = Path(folder) / "package_data" / "widgetbundle.js"
        if bundle.is_file():
            return bundle, f"plotly-widget-{ver}.js"
    return None


def _plotly_widget_path(name: str) -> str:
    """The bundle's URL path relative to a page's ``<base_url>voila/``."""
    return f"templates/{VOILA_TEMPLATE_NAME}/static/{name}"


def voila_template_root(base=None, titles: dict | None = None) -> Path:
    """Write :data:`VOILA_TEMPLATE` under ``<root>/voila/templates/`` and return ``<root>``.

    The root goes on ``JUPYTER_PATH`` so Voila finds the template by name. The default root is
    a folder of the system's temporary directory named after the template's content hash, so
    it is written once and reused. ``titles`` (``{file name: title}``, see
    :func:`notebook_titles`) name the notebooks in the list of dashboards.

    Examples
    --------
    >>> root = voila_template_root()
    >>> (root / "voila" / "templates" / VOILA_TEMPLATE_NAME / "conf.json").exists()
    True
    >>> root = voila_template_root(titles={"a.ipynb": "Walkthrough A"})
    >>> "Walkthrough A" in (root / "voila" / "templates" / VOILA_TEMPLATE_NAME / "titles.j2").read_text()
    True
    """
    import tempfile

    files = dict(VOILA_TEMPLATE)
    if titles:
        files["titles.j2"] = titles_template(titles)
    bundle = plotly_widget_bundle()
    if bundle is not None:  # the page starts importing it as it loads (voila_page)
        files["plotly_widget.j2"] = ("{% set plotly_widget = "
                                     f"{json.dumps(_plotly_widget_path(bundle[1]))} %}}\n")
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
    root = Path(base) if base is not None else Path(tempfile.gettempdir()) / f"powerkit-voila-{digest}"
    folder = root / "voila" / "templates" / VOILA_TEMPLATE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        f = folder / name
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            tmp = f.with_suffix(f.suffix + f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(f)
    if bundle is not None:  # served by Voila's template static handler: a copy (tornado
        # refuses a symlink that leaves the static folder), once per plotly version
        import shutil

        copy = folder / "static" / bundle[1]
        copy.parent.mkdir(exist_ok=True)
        if not copy.is_file() or copy.stat().st_size != bundle[0].stat().st_size:
            tmp = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
            shutil.copyfile(bundle[0], tmp)
            tmp.replace(copy)
    return root


#: Notebooks served but not listed or pre-heated: the client report is not a dashboard.
HIDDEN_NOTEBOOKS = ("report.ipynb",)
#: What the dashboards' file list leaves out (jupyter_server's defaults, checkpoints, executed
#: copies, and :data:`HIDDEN_NOTEBOOKS`).
HIDDEN_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", ".ipynb_checkpoints",
                "*-out.ipynb", *HIDDEN_NOTEBOOKS)


def voila_command(target=None, port: int = 8866, preheat: bool = True, pool_size: int = 1,
                  template_root=None, deals=None, uploads=None) -> tuple[list, dict]:
    """The Voila command line and environment that serve the workshop dashboards.

    Parameters
    ----------
    target : str or Path, optional
        A notebooks folder (tree mode: trainees pick a walkthrough) or one notebook; default
        the project's ``notebooks/`` (:func:`powerkit.paths.notebooks_dir`).
    port : int
        Port on 127.0.0.1.
    preheat : bool
        Execute every notebook ahead of the visitor in a pool of kernels (``--preheat_kernel``;
        a fresh kernel is pre-executed after each visit), so pages open at once. (A notebook
        whose widgets capture output while it is executed can stall, pre-heated or not: see
        :func:`powerkit.widgets.to_outputs`.)
    pool_size : int
        Pre-executed kernels kept ready per notebook.
    template_root : Path, optional
        Where the page template is (default :func:`voila_template_root`, with the titles of
        the target's notebooks).
    deals : str or Path, optional
        The folder of deals the dashboards' chooser offers (``powerkit workshop --deals``;
        :mod:`powerkit.workshop.chooser`); default the bundled sample deals.
    uploads : str or Path, optional
        The private folder where uploaded workbooks are kept; default a new folder of the
        system's temporary directory (mode 0700), one per call.

    Returns
    -------
    (list of str, dict)
        The argv (the ``voila`` next to this Python) and the environment: ``JUPYTER_PATH``
        with the template, ``PATH`` starting with this Python's ``bin`` folder so the
        ``python3`` kernel runs in the same environment, and the chooser's two folders
        (:data:`~powerkit.workshop.chooser.DEALS_ENV`,
        :data:`~powerkit.workshop.chooser.UPLOADS_ENV`), and
        :data:`powerkit.widgets.WARM_ENV` (the widgets compute ahead of the controls), and
        :data:`PROVISIONER_ENV` naming :class:`powerkit.kernels.FactoryProvisioner` (each
        kernel forked from one warm process) unless the environment names another.

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) When ``port`` or ``pool_size`` is out of range, or the target or the
        deals folder does not exist.

    Examples
    --------
    >>> argv, env = voila_command(port=8866)
    >>> argv[2:6]
    ['--no-browser', '--port=8866', '--Voila.ip=127.0.0.1', '--template=powerkit_workshop']
    """
    if not (isinstance(port, int) and 0 < port < 65536):
        raise bad_argument("port", "voila_command", "an int in 1..65535", port)
    if not (isinstance(pool_size, int) and pool_size >= 1):
        raise bad_argument("pool_size", "voila_command", "an int ≥ 1", pool_size)
    target = Path(notebooks_dir() if target is None else target).resolve()
    if not target.exists():
        raise bad_argument("target", "voila_command", "an existing notebooks folder or notebook",
                           str(target))
    if deals is not None:
        deals = Path(deals).resolve()
        if not deals.is_dir():
            raise bad_argument("deals", "voila_command", "an existing folder of deals (deal "
                               "folders and .xlsx workbooks)", str(deals))
    root = (voila_template_root(titles=notebook_titles(target)) if template_root is None
            else Path(template_root))
    bindir = Path(sys.executable).parent
    voila = bindir / "voila"
    argv = [str(voila) if voila.exists() else "voila", str(target), "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1", f"--template={VOILA_TEMPLATE_NAME}",
            "--strip_sources=True", "--show_tracebacks=False"]
    argv += [f"--ContentsManager.hide_globs={g}" for g in HIDDEN_GLOBS]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
        argv += [f"--VoilaKernelManager.preheat_denylist={n}" for n in HIDDEN_NOTEBOOKS]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(root)] + ([env["JUPYTER_PATH"]]
                                                          if env.get("JUPYTER_PATH") else []))
    env["PATH"] = os.pathsep.join([str(bindir), env.get("PATH", "")])
    # the report's renderer embeds plotly.js and a MathJax <script> from a CDN in every figure;
    # dashboards use plotly's own mime type (drawn by Voila's plotly extension, offline)
    env.pop("PLOTLY_RENDERER", None)
    # the dashboards compute the results their controls reach next ahead of time
    # (powerkit.widgets.Memo.warm): in a pre-heated kernel, before the visitor arrives
    env[WARM_ENV] = "1"
    # figure widgets import plotly's bundle from the template's static folder (evaluated once
    # per page) instead of carrying 5 MB each (powerkit.widgets.plotly_widget_esm)
    bundle = plotly_widget_bundle()
    if bundle is not None and (root / "voila" / "templates" / VOILA_TEMPLATE_NAME / "static"
                               / bundle[1]).is_file():
        env[PLOTLY_WIDGET_ENV] = _plotly_widget_path(bundle[1])
    else:
        env.pop(PLOTLY_WIDGET_ENV, None)
    if deals is not None:
        env[DEALS_ENV] = str(deals)
    if uploads is None:
        import tempfile

        uploads = tempfile.mkdtemp(prefix="powerkit-workshop-uploads-")  # mode 0700
    env[UPLOADS_ENV] = str(Path(uploads).resolve())
    # every dashboard kernel is forked from one process that imported the stack once
    # (powerkit.kernels.FactoryProvisioner) — where powerkit is installed with its entry point
    # and the user has not chosen a provisioner of their own
    from importlib.metadata import entry_points

    from ..kernels import FACTORY_PROVISIONER

    if entry_points(group="jupyter_client.kernel_provisioners", name=FACTORY_PROVISIONER):
        env.setdefault(PROVISIONER_ENV, FACTORY_PROVISIONER)
    return argv, env


def serve(target=None, port: int = 8866, preheat: bool = True, pool_size: int = 1,
          print_only: bool = False, deals=None) -> int:
    """Serve the workshop dashboards: ``powerkit workshop`` (replaces this process with Voila).

    Parameters are :func:`voila_command`'s; ``print_only`` prints the command (with its
    ``JUPYTER_PATH``) and returns 0 instead of starting Voila.

    Raises
    ------
    powerkit.errors.InputError
        As :func:`voila_command`.

    Examples
    --------
    >>> serve(port=8866, print_only=True)  # doctest: +ELLIPSIS
    JUPYTER_PATH=... --port=8866 ...
    0
    """
    cmd, env = voila_command(target, port=port, preheat=preheat, pool_size=pool_size,
                             deals=deals)
    if print_only:
        shown = " ".join(f"{k}={env[k]}" for k in ("JUPYTER_PATH", DEALS_ENV, UPLOADS_ENV)
                         if k in env)
        print(f"{shown} " + " ".join(cmd))
        return 0
    print(f"Workshop dashboards: http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover - exec does not return
