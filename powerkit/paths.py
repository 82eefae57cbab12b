"""Where powerkit's own files are, and how it writes files (base layer: imports nothing of
powerkit).

powerkit ships the sample deals (``data/deals``), the published reference data
(``data/reference``) and the notebooks (``notebooks/``). In a checkout (``pip install -e .``) they
are the folders at the top of the repository; in a wheel they are copied into the package as
``powerkit/_shipped/{data,notebooks}`` (``setup.py``'s ``build_py``). :func:`shipped` is the one
place that knows which: every other module asks it.

:func:`atomic_write` writes a file whole or not at all (temporary file in the same folder, then
``os.replace``): a failed run never leaves a half-written report.
"""
from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

__all__ = ["shipped", "data_dir", "deals_dir", "portfolios_dir", "reference_dir", "notebooks_dir", "sample_deal",
           "SAMPLE_DEAL", "atomic_write", "check_output_folder",
           "find_deal"]

SAMPLE_DEAL = "northwind-vendor"  # the deal `make report` and the walkthroughs default to

_PACKAGE = Path(__file__).resolve().parent


@cache
def shipped() -> Path:
    """The folder that holds ``data/`` and ``notebooks/``: the package's ``_shipped`` copy in an
    installed wheel, else the checkout's top folder."""
    inside = _PACKAGE / "_shipped"
    if (inside / "notebooks").is_dir():
        return inside
    top = _PACKAGE.parent
    if (top / "notebooks").is_dir() and (top / "data").is_dir():
        return top
    raise FileNotFoundError(
        f"powerkit's data and notebooks are neither in {inside} nor in {top}: reinstall powerkit "
        "(pip install powerkit, or pip install -e . in a checkout)")


def data_dir() -> Path:
    """``data/``: sample deals and reference data."""
    return shipped() / "data"


def deals_dir() -> Path:
    """``data/deals/``: the fictional sample deals."""
    return data_dir() / "deals"


def portfolios_dir() -> Path:
    """``data/portfolios/``: sample portfolios (folders of deals with the same 'us')."""
    return data_dir() / "portfolios"


def reference_dir() -> Path:
    """``data/reference/``: published data sets with their provenance."""
    return data_dir() / "reference"


def notebooks_dir() -> Path:
    """``notebooks/``: the walkthroughs, the report and the workshop notebooks."""
    return shipped() / "notebooks"


def sample_deal(name: str = SAMPLE_DEAL) -> Path:
    """The folder of a bundled sample deal."""
    return deals_dir() / name


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (text as UTF-8; folders created; mode 644).

    The bytes go to a temporary file in the same folder (``os.write`` until all are written),
    which is renamed over ``path`` only when complete; on any error (a full disk: ``ENOSPC``)
    the temporary file is removed and the ``OSError`` raised, naming the file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
    >>> atomic_write(p, "é"); p.read_text(encoding="utf-8")
    'é'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        exc.filename = str(path)  # (mkstemp names its random file)
        raise
    try:
        try:
            view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        exc.filename = str(path)  # (os.write names no file, os.replace the temporary one)
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output_folder(folder: str | Path) -> Path:
    """Make sure powerkit could write into ``folder`` before any work, without creating it:
    ``folder`` (or, when it does not exist yet, the nearest folder above it, where it would be
    created) must be a folder in which a temporary file can be created and removed.

    Raises the ``OSError`` met, naming ``folder``: ``FileExistsError`` when ``folder`` is a file,
    ``NotADirectoryError`` when a path above it is, ``EACCES``/``EROFS`` when it may not be
    written; :func:`powerkit.errors.os_problem` turns it into one line with the fix.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "reports"
    >>> check_output_folder(d) == d and not d.exists() and not any(d.parent.iterdir())
    True
    """
    import errno

    folder = Path(folder)
    probe_in = folder
    while not probe_in.exists() and probe_in != probe_in.parent:
        probe_in = probe_in.parent
    try:
        if not probe_in.is_dir():
            if probe_in == folder:
                raise FileExistsError(errno.EEXIST, "File exists", str(folder))
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(folder))
        fd, probe = tempfile.mkstemp(prefix=".powerkit-check.", dir=probe_in)
    except OSError as exc:
        exc.filename = str(folder)  # (mkstemp names its random file)
        raise
    os.close(fd)
    os.unlink(probe)
    return folder


def find_deal(arg: str | Path) -> Path:
    """A deal argument as a path: the path itself when it exists, else the bundled sample deal of
    that name (so ``powerkit report northwind-vendor`` works from any folder of an installed
    powerkit), else the path unchanged (loading then says it does not exist).

    >>> find_deal("northwind-vendor") == sample_deal("northwind-vendor")
    True
    """
    path = Path(arg)
    if not path.exists() and len(path.parts) == 1 and (deals_dir() / path.name).is_dir():
        return deals_dir() / path.name
    return path
