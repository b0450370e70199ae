"""What the load_* commands share: progress on the terminal and the French summary."""

from __future__ import annotations

import sys
import time

from guichet.markets.loaders.base import LoadOutcome

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
