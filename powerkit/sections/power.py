"""Report section of power (moving here from powerkit.power: issue 12)."""
from ..power import report_section as section  # noqa: F401
