"""Shared fixtures: paths to sample deals and reference data, a papermill notebook runner."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEALS = ROOT / "data" / "deals"
REFERENCE = ROOT / "data" / "reference"
NOTEBOOKS = ROOT / "notebooks"
SAMPLE_DEALS = sorted(p for p in DEALS.iterdir() if (p / "deal.yaml").exists()) if DEALS.exists() else []


def execute_notebook(name: str, out_dir: Path, **parameters) -> dict:
    """Run ``notebooks/<name>`` with papermill (kernel python3, cwd notebooks/) and return the
    values it ``record``ed (powerkit.nbtools.read_records)."""
    from powerkit.kernels import execute
    from powerkit.nbtools import read_records

    out = out_dir / f"{Path(name).stem}-out.ipynb"
    execute(NOTEBOOKS / name, out, parameters=parameters, cwd=NOTEBOOKS, execution_timeout=300)
    return read_records(out)


@pytest.fixture
def run_notebook(tmp_path):
    def _run(name: str, **parameters) -> dict:
        return execute_notebook(name, tmp_path, **parameters)
    return _run


def chromium_path() -> str | None:
    """Debian's chromium (CI installs it); None only where it is truly absent."""
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright (PyPI), using the system's chromium binary."""
    exe = chromium_path()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def open_offline(browser, url: str, wait_selector: str | None = None, timeout: float = 30_000):
    """Open ``url`` in a fresh page; return (page, outside_requests, dialogs).

    ``outside_requests`` lists every request that would leave the machine (anything but file:,
    data:, blob:, about:); ``dialogs`` lists every alert/confirm a script tried to open.
    """
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside, dialogs = [], []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    if wait_selector:
        page.wait_for_selector(wait_selector, timeout=timeout)
    return page, outside, dialogs
