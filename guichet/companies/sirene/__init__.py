"""Import of the INSEE SIRENE stock files into the company registry (issue 3).

Public interface: `run_import(...)` returns the report dict; `SireneFileError` is raised,
before anything is written, for a file that is not a SIRENE stock; `Progress` is what the
progress callback receives. See runner.py for the passes and report.py for the report.
"""

from guichet.companies.sirene.base import Progress, SireneFileError
from guichet.companies.sirene.runner import run_import

__all__ = ["Progress", "SireneFileError", "run_import"]
