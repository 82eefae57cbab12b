"""Report section of influence (moving here from powerkit.influence: issue 12)."""
from ..influence import report_section as section  # noqa: F401
