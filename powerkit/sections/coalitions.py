"""Report section of coalitions (moving here from powerkit.coalitions: issue 12)."""
from ..coalitions import report_section as section  # noqa: F401
