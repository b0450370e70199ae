"""Shared types of the SIRENE import: the file error and the progress report."""

from dataclasses import dataclass

UNITES_LEGALES = "unites_legales"
ETABLISSEMENTS = "etablissements"


class SireneFileError(Exception):
    """A file that is not a usable SIRENE stock, or an impossible selection. The message is in
    French, names the problem, and is raised before anything is written."""


class RowError(Exception):
    """One row cannot be imported: its French reason goes to the rejected rows of the report."""


@dataclass
class Progress:
    phase: str
    rows_read: int
    bytes_read: int
    bytes_total: int
    rows_per_second: float
    eta_seconds: float | None

    @property
    def percent(self) -> int:
        if not self.bytes_total:
            return 0
        return min(100, int(100 * self.bytes_read / self.bytes_total))
