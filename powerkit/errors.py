"""Every exception powerkit raises, and the one argument-check helper (base layer: imports nothing
of powerkit). One base class; each message says what to do.

Each error a command can meet carries the exit code of ``powerkit`` (:data:`EXIT_CODES`): 2 for
input the user can fix (a deal file, an option, a path that is not a readable regular file or
folder — :class:`DealError`, :class:`PathProblem`), 3 for the machine around powerkit (disk full,
no permission to write, a read-only disk — :class:`EnvironmentProblem`). :func:`os_problem` turns
an ``OSError`` into one of the two, by its ``errno``, with one line naming the path and the fix.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass

__all__ = ["PowerkitError", "DealError", "PathProblem", "EnvironmentProblem", "os_problem",
           "shown_path",
           "exit_code_of", "EXIT_CODES", "Problem", "MissingTableError", "NoAgreement", "InputError",
           "InvalidGameError", "NotStochasticError", "NoConsensusError", "bad_argument",
           "finite_pair"]


EXIT_CODES = {  # the exit codes of the powerkit command (documented in powerkit.cli)
    0: "success",
    1: "internal error: a bug in powerkit (the message asks you to report it)",
    2: "invalid input: a deal file, an option, or a path that is not a readable regular file "
       "or folder",
    3: "environment: the machine stopped powerkit (disk full, no permission to write, a "
       "read-only disk, a missing program such as Chromium)",
    130: "interrupted (Ctrl-C)",
}


class PowerkitError(Exception):
    """Base class of every error powerkit raises on purpose."""

    exit_code = 1  # raised on purpose, but not the user's input nor the machine: a bug


@dataclass(frozen=True)
class Problem:
    """One problem in a deal file: where it is, what was there, what was expected."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def line(self) -> str:
        where = self.file
        is_meta = self.file == "deal.yaml" or self.file.endswith("sheet 'deal'")
        if self.row is not None:
            where += f", {'line' if self.file == 'deal.yaml' else 'row'} {self.row}"
        if self.column is not None:
            where += f", {'key' if is_meta else 'column'} '{self.column}'"
        value = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{value}; expected {self.expected}"


class DealError(PowerkitError):
    """A deal file is invalid. ``problems`` lists every problem found (validation is lazy)."""

    exit_code = 2

    def __init__(self, problems: list[Problem], path: str = ""):
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        head = f"{path}: {n} problem{'s' if n != 1 else ''} in the deal file"
        super().__init__("\n".join([head] + ["  " + p.line() for p in self.problems]))


def shown_path(path) -> str:
    """A path as a message shows it: as given, or quoted with escapes when it holds a character
    that is not printable (a line break, a control or format character such as a bidi override),
    so the message stays one line and shows the name as it is.

    >>> shown_path("reports/a.html"), shown_path("a\\nb.csv")
    ('reports/a.html', "'a\\\\nb.csv'")
    """
    s = str(path)
    return s if s.isprintable() else repr(s)


class PathProblem(PowerkitError):
    """A path given to powerkit is not what the command needs (exit code 2): a folder where a
    file belongs, a pipe or a device, a file it may not read, an output path that is a file.

    >>> str(PathProblem("/tmp/in.fifo", "is not a regular file (a pipe, socket or device)",
    ...                 "save it as a file and give that file"))
    '/tmp/in.fifo: is not a regular file (a pipe, socket or device); save it as a file and give that file'
    """

    exit_code = 2

    def __init__(self, path, what: str, fix: str):
        self.path, self.what, self.fix = str(path), what, fix
        super().__init__(f"{shown_path(path)}: {what}; {fix}")


class EnvironmentProblem(PowerkitError):
    """The machine stopped powerkit (exit code 3): the disk is full, powerkit may not write
    where it was asked to, the disk is read-only, a program it needs is missing. Not the deal
    file's fault and not a bug: one line names the path (or program) and the fix, as in
    :class:`PathProblem`."""

    exit_code = 3

    def __init__(self, path, what: str, fix: str):
        self.path, self.what, self.fix = str(path), what, fix
        super().__init__(f"{shown_path(path)}: {what}; {fix}")


_ENVIRONMENT_ERRNOS = frozenset(getattr(errno, n) for n in (
    "ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EIO", "EMFILE", "ENFILE", "ENOMEM", "EAGAIN", "EBUSY",
    "ETXTBSY", "EMLINK") if hasattr(errno, n))


def os_problem(exc: OSError, path=None, *, writing: bool | None = None, option: str = ""
               ) -> PathProblem | EnvironmentProblem:
    """An ``OSError`` as the user's problem (:class:`PathProblem`, exit 2) or the machine's
    (:class:`EnvironmentProblem`, exit 3), with one line naming the path and the fix.

    Parameters
    ----------
    exc : OSError
        The error; its ``errno`` decides (``ENOSPC``/``EDQUOT``/``EROFS``: environment;
        ``EISDIR``/``ENOTDIR``/``EEXIST``/``ENOENT``/``ELOOP``/``ENAMETOOLONG``: the path given;
        ``EACCES``/``EPERM``: the path given when reading, the environment when writing).
    path : str or Path, optional
        The path to name (default ``exc.filename``).
    writing : bool, optional
        True for an output path, False for an input path, None when unknown.
    option : str
        The option that gave the path (``"--out"``), named in the fix.

    Examples
    --------
    >>> import errno
    >>> p = os_problem(OSError(errno.ENOSPC, "No space left on device"), "reports/a.html",
    ...                writing=True, option="--out")
    >>> p.exit_code, str(p)
    (3, 'reports/a.html: cannot be written, the disk is full (no space left on device); free some space, or choose a folder on another disk with --out')
    >>> os_problem(IsADirectoryError(errno.EISDIR, "Is a directory", "deal.xlsx"), writing=True).exit_code
    2
    """
    path = path if path is not None else (exc.filename if exc.filename is not None else "?")
    e = exc.errno
    with_opt = f" with {option}" if option else ""
    if e in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return EnvironmentProblem(path, "cannot be written, the disk is full (no space left on "
                                        "device)",
                                  f"free some space, or choose a folder on another disk{with_opt}")
    if e == getattr(errno, "EFBIG", -1):
        return EnvironmentProblem(path, "cannot be written, the file is larger than this disk "
                                        "allows", f"choose a folder on another disk{with_opt}")
    if e == errno.EROFS:
        return EnvironmentProblem(path, "cannot be written, it is on a read-only disk",
                                  f"choose a folder on a writable disk{with_opt}")
    if e in (errno.EACCES, errno.EPERM):
        if writing is False:
            return PathProblem(path, "cannot be read (permission denied)",
                               "give yourself read permission (chmod u+r), or copy it into a "
                               "folder of your own and give that copy")
        return EnvironmentProblem(path, "cannot be " + ("written" if writing else "used")
                                  + " (permission denied)",
                                  f"choose a folder you can write to{with_opt}, or ask for write "
                                  "permission" if writing else
                                  "check its permissions (ls -l) and ask for access")
    if e == errno.EISDIR:
        return PathProblem(path, "is a folder, not a file",
                           f"give a file name{with_opt}" if writing else "give the file itself")
    if e == errno.EEXIST:
        return PathProblem(path, "is a file, not a folder",
                           f"give a folder{with_opt} (it is created if missing)")
    if e == errno.ENOTDIR:
        return PathProblem(path, "part of this path is a file, not a folder",
                           "check the path" + (f" given to {option}" if option else ""))
    if e == errno.ENOENT:
        return PathProblem(path, "does not exist" + (" and cannot be created here" if writing
                                                     else ""),
                           "check the path" + (f" given to {option}" if option else ""))
    if e == errno.ELOOP:
        return PathProblem(path, "is a link that points to itself or in a circle",
                           "replace the link by the file")
    if e == errno.ENAMETOOLONG:
        return PathProblem(path, "the name is too long", f"choose a shorter name{with_opt}")
    if e in (errno.ENXIO, errno.ENODEV, errno.ESPIPE):
        return PathProblem(path, "is not a regular file (a pipe, socket or device)",
                           "save it as a file and give that file")
    why = exc.strerror or str(exc)
    return EnvironmentProblem(path, f"{why} ({errno.errorcode.get(e, e)})",
                              "check the disk and this path, then run the command again")


def exit_code_of(exc: BaseException) -> int:
    """The exit code of the ``powerkit`` command for an error (:data:`EXIT_CODES`).

    >>> exit_code_of(DealError([])), exit_code_of(ValueError("bug"))
    (2, 1)
    """
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, PowerkitError):
        return exc.exit_code
    if isinstance(exc, OSError) and (exc.filename is not None or exc.errno in _ENVIRONMENT_ERRNOS):
        return os_problem(exc).exit_code
    return 1


class MissingTableError(PowerkitError):
    """An analysis needs a table the deal does not have."""

    def __init__(self, table: str, analysis: str = "this analysis"):
        self.table = table
        super().__init__(
            f"{analysis} needs the '{table}' table, which this deal does not have; "
            f"add {table}.csv to the deal folder (or a '{table}' sheet to the workbook) — "
            f"see docs/deal-format.md"
        )


class NoAgreement(PowerkitError):
    """No agreement is possible: the disagreement point lies beyond what can be reached."""


class InputError(PowerkitError, ValueError):
    """An argument of a powerkit function is out of its documented range or of the wrong kind.

    Also a ``ValueError``, so callers that catch the built-in keep working."""


class InvalidGameError(InputError):
    """The weights or quota do not describe a valid weighted voting game."""


class NotStochasticError(InputError):
    """A matrix that must be row-stochastic (rows summing to 1) is not."""


class NoConsensusError(InputError):
    """An opinion-dynamics process does not converge to a consensus."""


def bad_argument(param: str, func: str, must: str, got, error: type[InputError] = InputError
                 ) -> InputError:
    """The one argument-check message of powerkit (scikit-learn's wording): which parameter of
    which function, what it must be, what it got (shortened past 120 characters).

    >>> str(bad_argument("alpha", "nash", "in [0, 1]", 2))
    "The 'alpha' parameter of nash must be in [0, 1]. Got 2 instead."
    """
    g = repr(got)
    if len(g) > 120:
        g = g[:117] + "..."
    return error(f"The '{param}' parameter of {func} must be {must}. Got {g} instead.")


def finite_pair(value, param: str, func: str, names: str = "(us, them)") -> tuple[float, float]:
    """Two finite numbers, or :func:`bad_argument`'s error.

    >>> finite_pair([1, "2.5"], "d", "f")
    (1.0, 2.5)
    """
    import math

    try:
        a, b = value
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise bad_argument(param, func, f"a pair of finite numbers {names}", value) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise bad_argument(param, func, f"a pair of finite numbers {names}", value)
    return a, b
