"""Report section of value (moving here from powerkit.value: issue 12)."""
from ..value import report_section as section  # noqa: F401
