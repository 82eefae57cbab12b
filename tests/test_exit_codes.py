"""Exit codes and one-line messages for input and environment problems (issue 18, items 5-6).

Every class of problem that used to print "internal error … please report it" (exit 1) or to
hang: the exact line and the exit code of powerkit.cli's docstring — 2 for input the user can fix
(a deal file, an option, a path that is not a readable regular file or folder), 3 for the machine
(disk full, no permission to write, a read-only disk), 1 only for a real bug. The expected lines
are written here from the message rules of powerkit.errors.os_problem and
powerkit.deal.reading (path, what is wrong, the fix), not captured from the program.

Pipes, devices and unreadable files cannot live in git: they are made here. Tests may run as root,
for whom chmod 000 does not stop reading and chmod 555 does not stop writing: then the refusal is
made by a fake at the operating-system boundary (``os.open`` raising EACCES for that one path,
``tempfile.mkstemp`` raising EROFS/EACCES for that one folder, ``os.write`` raising ENOSPC on the
files being written there) — never skipped. The real console script runs with a timeout as a guard
against the hangs this file is about.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from powerkit.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "good_minimal"
CORPUS = ROOT / "tests" / "fixtures" / "bad_deals"
POWERKIT = Path(sys.executable).parent / "powerkit"
sys.path.insert(0, str(CORPUS))
from make_corpus import bomb  # noqa: E402

FIX_READ = ("give yourself read permission (chmod u+r), or copy it into a folder of your own and "
            "give that copy")


def run(*args, timeout=120) -> subprocess.CompletedProcess:
    """The installed console script, as a consultant runs it (the timeout: a hang fails)."""
    return subprocess.run([str(POWERKIT), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def copy_good(tmp_path: Path, name="deal") -> Path:
    d = tmp_path / name
    shutil.copytree(GOOD, d)
    return d


def workbook(tmp_path: Path) -> Path:
    from powerkit.deal.workbook import folder_to_workbook

    return folder_to_workbook(GOOD, tmp_path / "deal.xlsx")


def unreadable(path: Path, monkeypatch) -> None:
    """Take read permission away from ``path``; where that does not stop reading (root), make
    ``os.open`` refuse that one path as the kernel would (EACCES)."""
    path.chmod(0)
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except PermissionError:
        return  # the real thing
    real_open, target = os.open, os.path.realpath(path)

    def fake_open(p, flags, *a, **k):
        if os.path.realpath(p) == target:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))
        return real_open(p, flags, *a, **k)

    monkeypatch.setattr(os, "open", fake_open)


def unwritable(folder: Path, monkeypatch, code=errno.EACCES) -> None:
    """Make ``folder`` refuse new files: chmod 555 (EACCES) where that works, else (root, or a
    read-only disk: ``code``) ``tempfile.mkstemp`` refusing that one folder as the kernel would."""
    folder.mkdir(parents=True, exist_ok=True)
    if code == errno.EACCES:
        folder.chmod(0o555)
        try:
            fd, p = tempfile.mkstemp(dir=folder)
        except PermissionError:
            return  # the real thing
        os.close(fd)
        os.unlink(p)
    real, target = tempfile.mkstemp, os.path.realpath(folder)

    def fake(*a, dir=None, **k):
        if dir is not None and os.path.realpath(dir) == target:
            raise OSError(code, os.strerror(code), os.path.join(os.fspath(dir), "tmpxyz"))
        return real(*a, dir=dir, **k)

    monkeypatch.setattr(tempfile, "mkstemp", fake)


def disk_full(folder: Path, monkeypatch, after: int = 1000) -> None:
    """A disk under ``folder`` with ``after`` bytes free: ``os.write`` on files opened there
    writes until those are used, then raises ENOSPC (as a real disk does, part-way through a
    file)."""
    real_mkstemp, real_write, target = tempfile.mkstemp, os.write, os.path.realpath(folder)
    doomed: set[int] = set()
    free = [after]

    def mkstemp(*a, dir=None, **k):
        fd, p = real_mkstemp(*a, dir=dir, **k)
        if dir is not None and os.path.realpath(dir).startswith(target):
            doomed.add(fd)
        return fd, p

    def write(fd, data):
        if fd in doomed:
            if free[0] <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            n = real_write(fd, bytes(data[: free[0]]))
            free[0] -= n
            return n
        return real_write(fd, data)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "write", write)


# -- hangs: pipes, devices, zip bombs (the real console script, with a timeout) --------------------
def test_a_pipe_as_a_workbook_is_refused_at_once(tmp_path):
    fifo = tmp_path / "deal.xlsx"
    os.mkfifo(fifo)  # openpyxl would wait for ever for a writer
    proc = run("validate", fifo, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == [f"{fifo}: is not a regular file (a pipe, socket or device); "
                                  "save it as a file and give that file"]
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")  # every command, any path argument: the same line
    proc = run("tables", link, "--out", fifo, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == [
        f"{link}: is not a regular file (a pipe, socket or device); save it as a file and give "
        "that file",
        f"{fifo}: is not a regular file (a pipe, socket or device); save it as a file and give "
        "that file"]


def test_the_library_refuses_a_pipe_or_device_as_a_workbook(tmp_path):
    """What the command line refuses by kind, check_deal_path (run_report, powerkit's own
    loaders) refuses as a deal-file problem."""
    from powerkit.deal.reading import check_deal_path
    from powerkit.errors import DealError

    fifo = tmp_path / "deal.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(DealError) as exc:
        check_deal_path(fifo)
    assert [p.line() for p in exc.value.problems] == [
        "deal.xlsx; expected a regular file ('deal.xlsx' is a pipe, socket or device): save the "
        "workbook as a file"]


def test_a_pipe_as_a_table_and_as_deal_yaml(tmp_path):
    d = copy_good(tmp_path)
    for name in ("deal.yaml", "ties.csv"):
        (d / name).unlink()
        os.mkfifo(d / name)
    proc = run("tables", d, "--out", tmp_path / "out", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == [
        f"{d}: 2 problems in the deal file",
        "deal.yaml; expected a regular file ('deal.yaml' is a pipe, socket or device): save it "
        "as a file",
        "ties.csv; expected a regular file ('ties.csv' is a pipe, socket or device): save the "
        "table as a file"]


def test_a_workbook_that_unpacks_to_more_than_200_mb_is_refused_unread(tmp_path):
    """A 210 MB XML comment packs to ~0.2 MB; openpyxl took minutes on such a file."""
    path = workbook(tmp_path)
    bomb(path, "xl/worksheets/sheet4.xml", 210 * 2**20)
    assert path.stat().st_size < 2**20  # a small file...
    proc = run("validate", path, timeout=60)  # ...refused from the zip's directory alone
    assert proc.returncode == 2, proc.stderr
    # 210 MB in one part + the other parts (a few KB): "210 MB" once rounded
    assert lines(proc.stderr) == [
        f"{path}: 1 problem in the deal file",
        "deal.xlsx; expected a workbook that unpacks to at most 200 MB ('deal.xlsx' unpacks to "
        "210 MB): this is not an ordinary Excel file: open it in Excel, remove what is not deal "
        "data and save it, or start again from powerkit template"]


def test_devices_and_pipes_given_as_options(tmp_path):
    """A pipe as the workshop's notebook, /dev/zero as the scenario file: refused by kind before
    the command starts; a bad option, a folder where a file belongs and an --out that is a file:
    one line each, all at once; exit 2, before any work."""
    fifo = tmp_path / "walkthrough.ipynb"
    os.mkfifo(fifo)
    proc = run("workshop", fifo, "--print", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == [f"{fifo}: is not a regular file (a pipe, socket or device); "
                                  "save it as a file and give that file"]
    proc = run("report", GOOD, "--scenario", "/dev/zero", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == ["/dev/zero: is not a regular file (a pipe, socket or device); "
                                  "save it as a file and give that file"]
    (tmp_path / "afile").write_text("x")
    proc = run("report", GOOD, "--scenario", tmp_path, "--out", tmp_path / "afile",
               "--format", "pfd", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert lines(proc.stderr) == [
        "--format: expected one of html, pdf; got 'pfd'",
        f"{tmp_path}: is a folder, not a file; give the file itself to --scenario",
        f"{tmp_path / 'afile'}: is a file, not a folder; give a folder with --out (it is created "
        "if missing)"]


def test_a_link_to_dev_zero_as_a_workbook_through_report(tmp_path):
    """run_report checks the path too (a batch: the failure is that deal's row, exit 2)."""
    link = tmp_path / "deal.xlsx"
    link.symlink_to("/dev/zero")
    from powerkit.report import run_report

    r = run_report(tmp_path / "sub" / ".." / "deal.xlsx", tmp_path / "out")
    assert (r.ok, r.code) == (False, 2)
    assert r.error.splitlines()[-1].strip() == (  # (run_report follows the link to /dev/zero)
        "zero; expected a deal folder (deal.yaml + CSVs) or an .xlsx workbook")


# -- paths that are not what the command needs (exit 2) --------------------------------------------
def test_a_folder_where_the_template_belongs(tmp_path):
    (tmp_path / "t.xlsx").mkdir()
    result = invoke("template", tmp_path / "t.xlsx")
    assert result.exit_code == 2
    assert lines(result.output) == [f"{tmp_path / 't.xlsx'}: is a folder, not a file; give a "
                                    "file name ending in .xlsx"]


def test_out_that_is_a_file_or_inside_one(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    result = invoke("tables", GOOD, "--out", f)
    assert result.exit_code == 2
    assert lines(result.output) == [f"{f}: is a file, not a folder; give a folder with --out "
                                    "(it is created if missing)"]
    result = invoke("tables", GOOD, "--out", f / "sub")
    assert result.exit_code == 2
    assert lines(result.output) == [f"{f / 'sub'}: part of this path is a file, not a folder; "
                                    "check the path given to --out"]
    result = invoke("template", f / "t.xlsx")
    assert result.exit_code == 2
    assert lines(result.output) == [f"{f}: is a file, not a folder; give a folder (it is created "
                                    "if missing)"]


def test_scenario_file_that_is_a_folder_or_unreadable(tmp_path, monkeypatch):
    result = invoke("report", GOOD, "--scenario", tmp_path, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert lines(result.output) == [f"{tmp_path}: is a folder, not a file; give the file itself "
                                    "to --scenario"]
    sc = tmp_path / "s.yaml"
    sc.write_text("- name: a\n  settings: {batna_us: 1}\n")
    unreadable(sc, monkeypatch)
    result = invoke("report", GOOD, "--scenario", sc, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert lines(result.output) == [f"{sc}: cannot be read (permission denied); {FIX_READ}"]


def test_files_without_read_permission(tmp_path, monkeypatch):
    """A table and a workbook: problem lines of the deal file; every table at once."""
    d = copy_good(tmp_path)
    unreadable(d / "stakeholders.csv", monkeypatch)
    result = invoke("validate", d)
    assert result.exit_code == 2
    assert lines(result.output) == [
        f"{d}: 1 problem in the deal file",
        "stakeholders.csv; expected a file powerkit may read ('stakeholders.csv': permission "
        "denied): give yourself read permission (chmod u+r), or copy the file into a folder of "
        "your own"]
    path = workbook(tmp_path)
    unreadable(path, monkeypatch)
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert lines(result.output)[1:] == [
        "deal.xlsx; expected a file powerkit may read ('deal.xlsx': permission denied): give "
        "yourself read permission (chmod u+r), or copy the file into a folder of your own"]


def test_a_deal_folder_that_cannot_be_listed(tmp_path, monkeypatch):
    d = copy_good(tmp_path)
    d.chmod(0o300)  # no read permission: cannot be listed (except by root)
    real, target = os.scandir, os.path.realpath(d)

    def scandir(p="."):
        if os.path.realpath(p) == target:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))
        return real(p)

    monkeypatch.setattr(os, "scandir", scandir)  # as the kernel does for anyone but root
    try:
        result = invoke("validate", d)
    finally:
        d.chmod(0o755)
    assert result.exit_code == 2
    assert lines(result.output) == [
        f"{d}: 1 problem in the deal file",
        f"deal; expected a deal folder powerkit may read ('deal' cannot be read (permission "
        f"denied)): {FIX_READ}"]


def test_yaml_that_used_to_crash(tmp_path):
    """A date that does not exist and a value its tag cannot build: problem lines, exit 2 (the
    corpus cases 55 and 56 give the lines); through the console script: no 'internal error'."""
    for case in ("55-yaml-values-that-cannot-be-built", "56-yaml-date-that-does-not-exist"):
        proc = run("validate", CORPUS / case)
        assert proc.returncode == 2 and "internal error" not in proc.stderr, proc.stderr
    d = copy_good(tmp_path)
    deep = "[" * 5000 + "]" * 5000  # deeper than Python's recursion limit
    (d / "deal.yaml").write_text(GOOD.joinpath("deal.yaml").read_text() + f"x: {deep}\n")
    result = invoke("validate", d)
    assert result.exit_code == 2
    assert lines(result.output)[1:] == ["deal.yaml; expected valid YAML 'key: value' lines "
                                        "(nesting deeper than any deal file needs)"]


def test_template_from_a_folder_with_a_pipe(tmp_path):
    d = copy_good(tmp_path)
    (d / "ties.csv").unlink()
    os.mkfifo(d / "ties.csv")
    result = invoke("template", tmp_path / "t.xlsx", "--from", d)
    assert result.exit_code == 2
    assert lines(result.output) == [
        f"{d}: 1 problem in the deal file",
        "ties.csv; expected a regular file ('ties.csv' is a pipe, socket or device): save the "
        "table as a file"]
    assert not (tmp_path / "t.xlsx").exists()


# -- the machine (exit 3) ------------------------------------------------------------------------
def test_out_folder_without_write_permission(tmp_path, monkeypatch):
    out = tmp_path / "ro"
    unwritable(out, monkeypatch)
    result = invoke("tables", GOOD, "--out", out)
    out.chmod(0o755)
    assert result.exit_code == 3
    assert lines(result.output) == [f"{out}: cannot be written (permission denied); choose a "
                                    "folder you can write to with --out, or ask for write "
                                    "permission"]


def test_out_folder_on_a_read_only_disk(tmp_path, monkeypatch):
    out = tmp_path / "ro"
    unwritable(out, monkeypatch, code=errno.EROFS)
    result = invoke("report", GOOD, "--out", out)
    assert result.exit_code == 3
    assert lines(result.output) == [f"{out}: cannot be written, it is on a read-only disk; choose "
                                    "a folder on a writable disk with --out"]
    result = invoke("template", out / "t.xlsx")
    assert result.exit_code == 3
    assert lines(result.output) == [f"{out / 't.xlsx'}: cannot be written, it is on a read-only "
                                    "disk; choose a folder on a writable disk"]


@pytest.mark.parametrize("args", [["tables", GOOD], ["tables", GOOD, "--csv"], ["template"]],
                         ids=["xlsx-export", "csv-export", "template"])
def test_a_full_disk_leaves_nothing_half_written(tmp_path, monkeypatch, args):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier file")
    disk_full(out, monkeypatch)
    argv = args + (["--out", out] if args[0] == "tables" else [out / "deal.xlsx"])
    result = invoke(*argv)
    assert result.exit_code == 3, result.output
    [line] = lines(result.output)
    written = out / ("deal.xlsx" if args[0] == "template" else "good-minimal-tables.xlsx")
    if "--csv" in args:  # the table being written when the 1,000 bytes ran out
        written = out / "good-minimal-tables" / Path(line.split(":")[0]).name
    assert line == (f"{written}: cannot be written, the disk is full (no space left on "
                    "device); free some space, or choose a folder on another disk"
                    + (" with --out" if args[0] == "tables" else ""))
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert left == ["keep.txt"]  # no temporary file, no half-written export


def test_any_command_maps_an_os_error(monkeypatch, tmp_path):
    """A command that meets an OSError nobody converted (as a new command might) still ends
    with one line and the code of its errno, never 'internal error'."""
    import powerkit.deal

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "cache"))

    monkeypatch.setattr(powerkit.deal, "load_deal", full)
    result = invoke("validate", GOOD)
    assert result.exit_code == 3
    assert lines(result.output) == [f"{tmp_path / 'cache'}: cannot be written, the disk is full "
                                    "(no space left on device); free some space, or choose a "
                                    "folder on another disk"]


def test_a_real_bug_still_says_report_it(monkeypatch, capsys):
    """Exit 1 stays for bugs: main() names the error and asks for a report."""
    import powerkit.cli as cli
    import powerkit.deal

    def bug(path):
        raise KeyError("oops")

    monkeypatch.setattr(powerkit.deal, "load_deal", bug)
    monkeypatch.setattr(sys, "argv", ["powerkit", "validate", str(GOOD)])
    monkeypatch.setattr(os, "_exit", lambda code: (_ for _ in ()).throw(SystemExit(code)))
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 1
    assert capsys.readouterr().err.strip() == ("powerkit: internal error (KeyError: 'oops'); "
                                               "please report it.")


@pytest.mark.slow
def test_a_full_disk_during_a_report(tmp_path, monkeypatch):
    """The report runs, then its HTML meets a full disk: exit 3, the line, no report, no JSON,
    no temporary file."""
    out = tmp_path / "out"
    out.mkdir()
    disk_full(out, monkeypatch)
    result = invoke("report", GOOD, "--out", out, "--jobs", "1")
    assert result.exit_code == 3, result.output
    def squash(text):  # the summary table folds long problems over several rows
        return re.sub(r"[\s│┃]", "", text)

    assert squash(f"{out / 'good-minimal.html'}: cannot be written, the disk is full (no space "
                  "left on device); free some space, or choose a folder on another disk with "
                  "--out") in squash(result.output)
    assert [p.name for p in out.rglob("*")] == []


# -- the mapping itself, for any errno and any path ---------------------------------------------
@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(sorted(errno.errorcode)), path=st.text(min_size=1, max_size=80),
       writing=st.sampled_from([True, False, None]), option=st.sampled_from(["", "--out"]))
def test_every_os_error_is_one_line_with_the_path_and_code_2_or_3(code, path, writing, option):
    """Property: whatever the errno and the path (line breaks and control characters included),
    os_problem gives exit code 2 or 3 and one line that starts with the path and holds a fix
    after '; '; ENOSPC and EROFS are always the machine's, EISDIR always the input's."""
    from powerkit.errors import os_problem, shown_path

    p = os_problem(OSError(code, os.strerror(code)), path, writing=writing, option=option)
    line = str(p)
    assert p.exit_code in (2, 3)
    assert len(line.splitlines()) == 1  # (also no \x85, \u2028, ...)
    assert line.startswith(shown_path(path) + ": ") and "; " in line[len(shown_path(path)):]
    if code in (errno.ENOSPC, errno.EROFS):
        assert p.exit_code == 3
    if code == errno.EISDIR:
        assert p.exit_code == 2
    if code == errno.EACCES:
        assert p.exit_code == (2 if writing is False else 3)
