"""Report section of overview (moving here from powerkit.overview: issue 12)."""
from ..overview import report_section as section  # noqa: F401
