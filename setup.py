"""Build hook: a wheel ships the sample deals, the reference data and the notebooks.

pyproject.toml holds all the metadata; this file only adds ``data/`` and ``notebooks/`` to the
built package as ``powerkit/_shipped/{data,notebooks}``, where :func:`powerkit.paths.shipped`
finds them in an installed powerkit (an editable install reads the checkout's folders instead).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("data", "notebooks")


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "powerkit" / "_shipped"
        for name in SHIPPED:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints",
                                                              "*-out.ipynb"))


setup(cmdclass={"build_py": BuildWithShippedFiles})
