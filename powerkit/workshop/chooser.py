"""The deal chooser of the workshop dashboards: point a walkthrough at another deal from Voila.

Voila hides the parameters cell, so a dashboard cannot be given a deal the usual way. Each
walkthrough calls :func:`chosen_deal` once, right before it loads its deal::

    deal_path = chosen_deal(deal_path)

Outside Voila (papermill, nbval, JupyterLab, ``powerkit report``) that returns ``deal_path``
unchanged and shows nothing. Under Voila it shows the chooser and returns the deal the page's
address asks for:

* ``?deal=<name>``: a deal of the workshop's deals folder — the folder given to
  ``powerkit workshop --deals DIR`` (``make workshop DEALS=DIR``), passed to the kernels in
  :data:`DEALS_ENV`; by default the bundled sample deals. A name is accepted only when it is one
  of the folder's entries (a sub-folder with ``deal.yaml``, or a ``.xlsx`` workbook), so no
  address can reach another file.
* ``?deal=upload:<token>``: a workbook a trainee uploaded on this server, stored under a random
  token of 32 hex digits in the server's private uploads folder (:data:`UPLOADS_ENV`, made by
  ``powerkit workshop`` with mode 0700).

Choosing a deal in the dropdown, or uploading a workbook that passes validation, reloads the
page with that address, so the whole dashboard runs again on the deal (under pre-heated kernels
too: the pre-executed kernel waits in :func:`chosen_deal` for the visitor's address, as Voila's
``get_query_string`` documents). A deal that fails validation is not used: the page shows its
problems, one line each (the lines of ``powerkit validate``), and the walkthrough's own deal.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from ..errors import DealError, PowerkitError, os_problem
from ..paths import deals_dir
from ..text import esc

__all__ = ["DEALS_ENV", "UPLOADS_ENV", "QUERY_KEY", "UPLOAD_PREFIX", "MAX_UPLOAD_BYTES",
           "under_voila", "deals_folder", "uploads_folder", "deal_choices", "parse_choice",
           "resolve_choice", "deal_problems", "save_upload", "build_chooser", "chosen_deal"]

#: Environment variable naming the folder of deals the dashboards offer.
DEALS_ENV = "POWERKIT_WORKSHOP_DEALS"
#: Environment variable naming the private folder where uploaded workbooks are kept.
UPLOADS_ENV = "POWERKIT_WORKSHOP_UPLOADS"
#: The query-string key of the chosen deal.
QUERY_KEY = "deal"
#: Prefix of an uploaded workbook's choice: ``upload:<token>``.
UPLOAD_PREFIX = "upload:"
#: Largest workbook accepted by the upload (a deal workbook is well under 1 MB).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_TOKEN = re.compile(r"[0-9a-f]{32}")
_WORKBOOK = (".xlsx", ".xlsm")


def under_voila() -> bool:
    """Whether this kernel was started by Voila (it sets ``VOILA_PREHEAT`` in every kernel's
    environment, ``"True"`` for a pre-heated one, ``"False"`` otherwise).

    >>> import os
    >>> under_voila() == ("VOILA_PREHEAT" in os.environ)
    True
    """
    return "VOILA_PREHEAT" in os.environ


def deals_folder() -> Path:
    """The folder of deals offered: :data:`DEALS_ENV`, else the bundled sample deals.

    >>> from powerkit.paths import deals_dir
    >>> deals_folder() == deals_dir() or "POWERKIT_WORKSHOP_DEALS" in os.environ
    True
    """
    given = os.environ.get(DEALS_ENV, "")
    return Path(given) if given else deals_dir()


def uploads_folder(create: bool = True) -> Path:
    """The private folder of uploaded workbooks: :data:`UPLOADS_ENV`, else
    ``<temp>/powerkit-workshop-uploads-<uid>``; created with mode 0700 when missing.

    Raises
    ------
    powerkit.errors.PathProblem
        When the folder is a symbolic link, not a folder, not owned by this user, or open to
        other users (uploaded deals are client data).

    Examples
    --------
    >>> import os, stat
    >>> stat.S_IMODE(os.stat(uploads_folder()).st_mode) & 0o077
    0
    """
    from ..errors import PathProblem

    given = os.environ.get(UPLOADS_ENV, "")
    folder = Path(given) if given else (
        Path(tempfile.gettempdir()) / f"powerkit-workshop-uploads-{os.getuid()}")
    if create and not (folder.exists() or folder.is_symlink()):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise PathProblem(folder, "is not a folder (uploads are kept in a private folder)",
                          f"remove it or set {UPLOADS_ENV} to a new folder")
    if st.st_uid != os.getuid() or stat.S_IMODE(st.st_mode) & 0o077:
        raise PathProblem(folder, "is not private to this user (uploaded deals are client data)",
                          f"chmod 700 it, or set {UPLOADS_ENV} to a new folder")
    return folder


def deal_choices(folder=None) -> dict:
    """The deals of a folder, by name: each sub-folder holding ``deal.yaml`` and each ``.xlsx``
    (or ``.xlsm``) workbook; hidden entries and Excel's ``~$`` lock files are left out.

    Parameters
    ----------
    folder : str or Path, optional
        Default :func:`deals_folder`. A folder that does not exist offers nothing.

    Returns
    -------
    dict
        ``{name: Path}``, sorted by name.

    Examples
    --------
    >>> from powerkit.paths import deals_dir
    >>> list(deal_choices(deals_dir()))
    ['harbour-council', 'northwind-vendor', 'small-renewal']
    """
    folder = deals_folder() if folder is None else Path(folder)
    if not folder.is_dir():
        return {}
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if name.startswith((".", "~$")):
            continue
        if entry.is_dir() and (entry / "deal.yaml").is_file():
            found[name] = entry
        elif entry.suffix.lower() in _WORKBOOK and entry.is_file():
            found[name] = entry
    return found


def parse_choice(query) -> str | None:
    """The deal asked for by a query string (``deal=…``), or None when it asks for none.

    >>> parse_choice("deal=harbour-council&x=1"), parse_choice(""), parse_choice(None)
    ('harbour-council', None, None)
    >>> parse_choice("deal=upload%3A" + "a" * 32)
    'upload:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    """
    values = parse_qs(query or "", keep_blank_values=False).get(QUERY_KEY)
    return values[-1] if values else None


def resolve_choice(choice: str, choices: dict | None = None, uploads=None) -> tuple:
    """Where a chosen deal is: ``(path, None)``, or ``(None, problem line)``.

    Only exact names of ``choices`` and ``upload:<32 hex digits>`` tokens whose folder holds a
    workbook are accepted: nothing in the address becomes part of a path.

    Parameters
    ----------
    choice : str
        From :func:`parse_choice`.
    choices : dict, optional
        :func:`deal_choices` (default: of :func:`deals_folder`).
    uploads : str or Path, optional
        Default :func:`uploads_folder`.

    Examples
    --------
    >>> from powerkit.paths import deals_dir
    >>> path, problem = resolve_choice("small-renewal", deal_choices(deals_dir()))
    >>> path.name, problem
    ('small-renewal', None)
    >>> resolve_choice("../../etc", deal_choices(deals_dir()))[1]
    "no deal named '../../etc' in the workshop's deals folder; pick one in the list"
    >>> resolve_choice("upload:../x", {})[1]
    "'upload:../x' is not an uploaded workbook of this server; upload the workbook again"
    """
    choices = deal_choices() if choices is None else choices
    if choice.startswith(UPLOAD_PREFIX):
        token = choice[len(UPLOAD_PREFIX):]
        if _TOKEN.fullmatch(token):
            folder = (uploads_folder() if uploads is None else Path(uploads)) / token
            found = [p for p in folder.iterdir() if p.suffix.lower() in _WORKBOOK] \
                if folder.is_dir() else []
            if len(found) == 1:
                return found[0], None
        return None, (f"{choice!r} is not an uploaded workbook of this server; upload the "
                      "workbook again")
    if choice in choices:
        return Path(choices[choice]), None
    return None, (f"no deal named {choice!r} in the workshop's deals folder; pick one in the "
                  "list")


def deal_problems(path) -> tuple:
    """Read and validate a deal as ``powerkit validate`` does: ``(deal, [])`` or ``(None,
    problem lines)`` — never an exception.

    Lines: the deal file's problems (``file, row, column: got …; expected …``), a path or
    machine problem in one line, or for anything else one "internal error" line to report.

    Examples
    --------
    >>> from powerkit.paths import sample_deal
    >>> deal, lines = deal_problems(sample_deal("small-renewal"))
    >>> deal.id, lines
    ('small-renewal', [])
    >>> deal_problems("/nonexistent/deal.xlsx")[1]  # doctest: +ELLIPSIS
    ['...deal.xlsx...']
    """
    from ..deal import load_deal
    from ..deal.reading import check_deal_path

    path = Path(path)
    try:
        check_deal_path(path)
        return load_deal(path), []
    except DealError as exc:
        return None, [p.line() for p in exc.problems] or [str(exc)]
    except PowerkitError as exc:
        return None, str(exc).splitlines()
    except OSError as exc:
        return None, [str(os_problem(exc, path))]
    except Exception as exc:  # noqa: BLE001 - a trainee sees one line, never a traceback
        return None, [f"{path.name}: internal error ({type(exc).__name__}: {exc}); please "
                      "report it"]


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(str(name)).stem).strip(" ._") or "deal"
    return stem[:80] + ".xlsx"


def save_upload(content: bytes, name: str = "deal.xlsx", uploads=None) -> tuple:
    """Keep an uploaded workbook: ``(token, path, problem)``.

    The bytes go to ``<uploads>/<token>/<name>`` (folder 0700, file 0600), ``token`` 32 random
    hex digits, ``name`` the upload's file name reduced to letters, digits, ``. _ -`` and
    spaces. Nothing is kept (``token`` and ``path`` None, ``problem`` one line) when the file
    is not named ``.xlsx``/``.xlsm`` or is larger than :data:`MAX_UPLOAD_BYTES`.

    Examples
    --------
    >>> import tempfile
    >>> token, path, problem = save_upload(b"PK..", "Our deal (v2).xlsx", tempfile.mkdtemp())
    >>> len(token), path.name, problem
    (32, 'Our deal _v2.xlsx', None)
    >>> save_upload(b"a,b", "deal.csv", tempfile.mkdtemp())[2]
    "deal.csv: expected an Excel workbook (.xlsx); save the deal with the template's sheets as .xlsx"
    """
    shown = Path(str(name)).name or "upload"
    if Path(shown).suffix.lower() not in _WORKBOOK:
        return None, None, (f"{shown}: expected an Excel workbook (.xlsx); save the deal with "
                            "the template's sheets as .xlsx")
    if len(content) > MAX_UPLOAD_BYTES:
        return None, None, (f"{shown}: {len(content) / 2**20:.1f} MB is more than a deal "
                            f"workbook needs (at most {MAX_UPLOAD_BYTES // 2**20} MB); remove "
                            "pictures and unused sheets")
    root = uploads_folder() if uploads is None else Path(uploads)
    token = secrets.token_hex(16)
    folder = root / token
    folder.mkdir(mode=0o700)
    path = folder / _safe_name(shown)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(bytes(content))
    return token, path, None


def _problem_html(head: str, lines) -> str:
    rows = "".join(f'<div class="pk-problem" style="white-space:pre-wrap">{esc(x)}</div>'
                   for x in lines)
    return (f'<div class="pk-problems" style="color:#a4161a;margin:4px 0">'
            f"<b>{esc(head)}</b>{rows}</div>")


def _navigate_output(choice: str | None) -> tuple:
    query = "?" + urlencode({QUERY_KEY: choice}) if choice else ""
    script = (f"window.location.search = {json.dumps(query)};"
              if query else "window.location.href = window.location.pathname;")
    return ({"output_type": "display_data", "metadata": {},
             "data": {"application/javascript": script, "text/plain": ""}},)


def build_chooser(current: str | None = None, default_label: str = "", title: str = "",
                  problems=(), choices: dict | None = None, uploads=None,
                  default_choice: str | None = None):
    """The chooser: a dropdown of the deals folder and an upload of one ``.xlsx``.

    Picking a deal, or uploading a workbook that passes validation, reloads the page with
    ``?deal=…`` (a script output in the box's ``nav`` Output); an upload that fails shows its
    problems, one line each, stays on the page, and is deleted.

    Parameters
    ----------
    current : str or None
        The choice shown (a name of ``choices``, ``upload:<token>``), None: the walkthrough's
        own deal.
    default_label : str
        How the walkthrough's own deal is named in the dropdown.
    default_choice : str, optional
        The name in ``choices`` of the walkthrough's own deal (then it is not listed twice).
    title : str
        The title of the deal shown (plain text; escaped here).
    problems : list of str
        Problem lines of the chosen deal (it was not used), shown under the controls.
    choices : dict, optional
        :func:`deal_choices` (default: of :func:`deals_folder`).
    uploads : str or Path, optional
        Where uploads go (default :func:`uploads_folder`).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``dropdown``, ``upload``, ``status`` (HTML), ``nav`` (Output), and
        ``choose(choice)`` / ``take_upload(content, name)`` (the callbacks, callable without
        a browser; ``take_upload`` returns the problem lines, empty when the page reloads).

    Examples
    --------
    >>> from powerkit.paths import deals_dir
    >>> box = build_chooser(choices=deal_choices(deals_dir()), default_choice="northwind-vendor")
    >>> [label for label, _ in box.dropdown.options]
    ['harbour-council', 'northwind-vendor (this walkthrough’s deal)', 'small-renewal']
    >>> box.dropdown.value
    ''
    >>> [label for label, _ in build_chooser(choices={}, default_label="x.xlsx").dropdown.options]
    ['x.xlsx (this walkthrough’s deal)']
    >>> box.dropdown.value = "small-renewal"
    >>> box.nav.outputs[0]["data"]["application/javascript"]
    'window.location.search = "?deal=small-renewal";'
    """
    import ipywidgets as w

    choices = deal_choices() if choices is None else choices
    own = " (this walkthrough’s deal)"
    options = [] if default_choice in choices else [(f"{default_label or 'deal'}{own}", "")]
    options += [(name + own, "") if name == default_choice else (name, name) for name in choices]
    if current == default_choice:
        current = None
    if current and current.startswith(UPLOAD_PREFIX) and not problems:
        options.append(("your uploaded workbook", current))
    value = current if current in {v for _, v in options} else ""
    dropdown = w.Dropdown(options=options, value=value, description="Deal:",
                          style={"description_width": "initial"},
                          layout=w.Layout(width="460px"))
    upload = w.FileUpload(accept=".xlsx,.xlsm", multiple=False,
                          description="Upload a .xlsx", layout=w.Layout(width="220px"))
    shown = (f"Showing <b>{esc(title)}</b>." if title else "")
    status = w.HTML(shown + (_problem_html(
        "That deal was not used; the walkthrough's own deal is shown. Problems:", problems)
        if problems else ""))
    nav = w.Output(layout=w.Layout(display="none"))
    box = w.VBox([w.HBox([dropdown, upload]), status, nav])
    box.add_class("pk-deal-chooser")

    def choose(choice):
        status.value = f"Opening <b>{esc(choice or default_label)}</b>…"
        nav.outputs = _navigate_output(choice or None)

    def take_upload(content: bytes, name: str) -> list:
        status.value = f"Checking <b>{esc(Path(str(name)).name)}</b>…"
        try:
            token, path, problem = save_upload(content, name, uploads)
        except OSError as exc:
            token, path, problem = None, None, str(os_problem(exc, writing=True))
        except PowerkitError as exc:
            token, path, problem = None, None, str(exc)
        lines = [problem] if problem else deal_problems(path)[1]
        if lines and path is not None:  # a refused workbook is not kept
            shutil.rmtree(path.parent, ignore_errors=True)
        if lines:
            status.value = _problem_html(f"{Path(str(name)).name} cannot be used. Problems:",
                                         lines)
            return lines
        choose(UPLOAD_PREFIX + token)
        return []

    def on_choice(change):
        if change["new"] != change["old"]:
            choose(change["new"])

    def on_upload(change):
        files = change["new"]
        if files:
            f = files[0]
            upload.value = ()  # the same file, fixed, can be uploaded again
            take_upload(bytes(f["content"]), f["name"])

    dropdown.observe(on_choice, names="value")
    upload.observe(on_upload, names="value")
    box.dropdown, box.upload, box.status, box.nav = dropdown, upload, status, nav
    box.choose, box.take_upload = choose, take_upload
    return box


def _query_string() -> str:
    if os.environ.get("VOILA_PREHEAT") == "True":
        # a pre-heated kernel: wait here for the visitor's request (Voila's documented way)
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def chosen_deal(deal_path, query: str | None = None, show: bool = True):
    """The deal a dashboard should show: ``deal_path`` outside Voila; under Voila the one the
    page's address chooses (``?deal=…``), after showing the chooser.

    Parameters
    ----------
    deal_path : str or Path
        The walkthrough's parameter (its own deal).
    query : str, optional
        The query string (default: Voila's, waiting for the visitor under a pre-heated kernel);
        given, the chooser logic runs even outside Voila (tests).
    show : bool
        Display the chooser (under Voila).

    Returns
    -------
    str or Path
        ``deal_path`` when not under Voila, when the address chooses nothing, or when the
        chosen deal cannot be used (its problems are shown); else the chosen deal's path.

    Examples
    --------
    >>> chosen_deal("../data/deals/northwind-vendor")  # papermill, nbval: unchanged
    '../data/deals/northwind-vendor'
    >>> chosen_deal("x", query="deal=small-renewal", show=False).name
    'small-renewal'
    >>> chosen_deal("x", query="deal=nope", show=False)
    'x'
    """
    if query is None:
        if not under_voila():
            return deal_path
        query = _query_string()
    choices = deal_choices()
    choice = parse_choice(query)
    path, problems, title = None, [], ""
    if choice is not None:
        path, problem = resolve_choice(choice, choices)
        if problem:
            problems = [problem]
        else:
            deal, problems = deal_problems(path)
            title = "" if deal is None else str(deal.meta.title)
    if show:
        from IPython.display import display

        own = Path(str(deal_path)).resolve()
        default_choice = next((n for n, p in choices.items() if Path(p).resolve() == own), None)
        display(build_chooser(choice, Path(str(deal_path)).name, title, problems, choices,
                              default_choice=default_choice))
    return deal_path if (path is None or problems) else path
