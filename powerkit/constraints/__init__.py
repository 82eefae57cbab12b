"""Hidden constraints (being split into a package by method family: issue 12)."""
from .analysis import *  # noqa: F401,F403
from .analysis import __all__  # noqa: F401
