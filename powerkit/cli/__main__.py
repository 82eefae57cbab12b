"""``python -m powerkit.cli``: the same as the ``powerkit`` command."""
from . import main

main()
