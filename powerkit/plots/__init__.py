"""Figures: functions that return ``plotly.graph_objects.Figure`` and never show them.

One submodule per walkthrough; everything is re-exported here.
"""
from .coalitions import *  # noqa: F401,F403
from .common import *  # noqa: F401,F403
from .constraints import *  # noqa: F401,F403
from .forecast import *  # noqa: F401,F403
from .influence import *  # noqa: F401,F403
from .overview import *  # noqa: F401,F403
from .perception import *  # noqa: F401,F403
from .portfolio import *  # noqa: F401,F403
from .power import *  # noqa: F401,F403
from .uncertainty import *  # noqa: F401,F403
from .value import *  # noqa: F401,F403
from .versions import *  # noqa: F401,F403
from .workshop import *  # noqa: F401,F403
