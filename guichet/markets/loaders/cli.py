"""What the load_* commands share: progress on the terminal and the French summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.markets.loaders.base import LoadError, LoadOutcome

PRINT_INTERVAL = 1.0


class TerminalProgress:
    """The loader's (percent, message) as lines on the terminal, at most once a second."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.last = 0.0
        self.message = ""
        self.tty = stdout is sys.stdout and sys.stdout.isatty()

    def __call__(self, percent: int, message: str) -> None:
        now = time.monotonic()
        if message == self.message and now - self.last < PRINT_INTERVAL:
            return
        self.last, self.message = now, message
        self.stdout.write(f"{percent:>3} % — {message}")


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def summary_lines(outcome: LoadOutcome, seconds: float) -> list[str]:
    mode = "Écriture" if outcome.wet_run else "Simulation (rien n'est écrit)"
    lines = [f"{mode} — {seconds:.1f} s"]
    if outcome.years and any(outcome.years):
        lines.append("Années : " + ", ".join(str(y) for y in outcome.years))
    lines.append(f"Lignes retenues : {_number(outcome.rows)}")
    if outcome.skipped:
        lines.append(
            f"Lignes écartées (importations, partenaire Monde, agrégats) : "
            f"{_number(outcome.skipped)}"
        )
    lines.append(f"Lignes rejetées : {_number(outcome.rejected)}")
    for line, reason, content in outcome.rejected_sample:
        lines.append(f"  ligne {line} : {reason} — {content}")
    if outcome.rejected > len(outcome.rejected_sample) and not outcome.unchanged:
        rest = outcome.rejected - len(outcome.rejected_sample)
        lines.append(f"  … et {_number(rest)} autres (voir le rapport).")
    if outcome.report_path:
        lines.append(f"Rapport des rejets : {outcome.report_path}")
    lines.extend(outcome.messages)
    return lines


class SingleFileLoadCommand(BaseCommand):
    """A load_* command that reads one file: `--path FILE [--dry-run] [--report FILE]`.

    Subclasses set `help` and `loader` (wrapped in staticmethod), a loader called as
    loader(path=, wet_run=, progress=, report_to=) that returns a LoadOutcome.
    """

    loader: Callable[..., LoadOutcome]

    def add_arguments(self, parser):
        parser.add_argument("--path", required=True, type=Path, metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Simulation : rien n'est écrit.")
        parser.add_argument("--report", type=Path, metavar="FILE", help="Rapport des rejets.")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            outcome = self.loader(
                path=options["path"],
                wet_run=not options["dry_run"],
                progress=TerminalProgress(self.stdout),
                report_to=options["report"] or ("auto" if not options["dry_run"] else None),
            )
        except LoadError as error:
            raise CommandError(str(error)) from None
        for line in summary_lines(outcome, time.monotonic() - started):
            self.stdout.write(line)
