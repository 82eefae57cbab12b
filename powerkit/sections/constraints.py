"""Report section of constraints (moving here from powerkit.constraints: issue 12)."""
from ..constraints import report_section as section  # noqa: F401
