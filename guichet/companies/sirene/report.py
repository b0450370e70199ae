"""What an import tells: counts, rejected rows, progress, and the short text summary.

The report (returned by `run_import`, written by `--report`, stored on an ImportRun):
- `read`: every data row of each file (header and blank lines excluded), whatever its fate;
- `created` / `updated` / `unchanged`: the rows kept (written, or that a dry run would write);
- `ceased`: rows already in the registry as active that this stock marks ceased (unit, C) or
  closed (establishment, F); they are also counted in `updated`;
- `rejected`: each bad row with its file, physical line number (header = 1) and French reason;
- `non_diffusible`: rows with statutDiffusion "N", not taken;
- `kept`, `wet_run`, `territory`, `seconds`.
Rows outside the selected territory are neither kept nor rejected: they are only counted in
`read`.
"""

import json
import tempfile
import time
from collections.abc import Callable, Iterator

from guichet.companies.sirene.base import ETABLISSEMENTS, UNITES_LEGALES, Progress

PROGRESS_INTERVAL = 0.25  # seconds between two progress reports
SUMMARY_REJECTIONS = 20
KINDS = (UNITES_LEGALES, ETABLISSEMENTS)
COUNTERS = ("read", "created", "updated", "unchanged", "ceased", "non_diffusible")
NOTHING_CHANGED = "Aucune modification : les données sont à jour."


class Rejections:
    """Rejected rows, kept in a temporary file while the import runs (there may be millions)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", prefix="sirene-rejects-")  # noqa: SIM115 - closed by close()
        self.count = 0

    def add(self, *, file: str, line: int, reason: str) -> None:
        self.file.write(json.dumps({"file": file, "line": line, "reason": reason}) + "\n")
        self.count += 1

    def __iter__(self) -> Iterator[dict]:
        self.file.flush()
        self.file.seek(0)
        for text in self.file:
            yield json.loads(text)

    def close(self) -> None:
        self.file.close()


class Meter:
    """Turns bytes and rows read into throttled Progress reports (rows/s, ETA)."""

    def __init__(self, callback: Callable[[Progress], None] | None, bytes_total: int):
        self.callback = callback
        self.bytes_total = bytes_total
        self.bytes_done = 0  # bytes of the phases already finished
        self.rows_done = 0
        self.phase = ""
        self.started = self.last = time.monotonic()

    def start_phase(self, phase: str, *, extra_bytes: int = 0) -> None:
        self.phase = phase
        self.bytes_total += extra_bytes
        self.emit(0, 0, force=True)

    def end_phase(self, bytes_read: int, rows: int) -> None:
        self.bytes_done += bytes_read
        self.rows_done += rows

    def emit(self, bytes_read: int, rows: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.callback is None or (not force and now - self.last < PROGRESS_INTERVAL):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        done = min(self.bytes_done + bytes_read, self.bytes_total)
        rows_read = self.rows_done + rows
        remaining = self.bytes_total - done
        eta = elapsed * remaining / done if done else None
        self.callback(
            Progress(
                phase=self.phase,
                rows_read=rows_read,
                bytes_read=done,
                bytes_total=self.bytes_total,
                rows_per_second=rows_read / elapsed,
                eta_seconds=eta,
            )
        )

    def finish(self) -> None:
        self.phase = "Terminé"
        self.bytes_done = self.bytes_total
        self.emit(0, 0, force=True)


def empty_counts() -> dict[str, dict[str, int]]:
    return {name: dict.fromkeys(KINDS, 0) for name in COUNTERS}


def changed(report: dict) -> bool:
    return any(report[name][kind] for name in ("created", "updated") for kind in KINDS)


def summary_lines(report: dict) -> list[str]:
    """The short French summary printed by the command (counts + first rejected rows)."""
    write = "Écriture en base" if report["wet_run"] else "Simulation (rien n'est écrit)"
    lines = [f"{write} — {report['seconds']:.1f} s"]
    labels = {
        "read": "lues",
        "created": "créées",
        "updated": "mises à jour",
        "unchanged": "inchangées",
        "ceased": "dont cessées/fermées",
        "non_diffusible": "non diffusibles",
    }
    lines.append(f"{'':22}{'unités légales':>16}{'établissements':>16}")
    for name, label in labels.items():
        counts = report[name]
        lines.append(f"{label:22}{counts[UNITES_LEGALES]:>16}{counts[ETABLISSEMENTS]:>16}")
    rejected = report["rejected"]
    lines.append(f"Lignes rejetées : {len(rejected)}")
    for item in rejected[:SUMMARY_REJECTIONS]:
        lines.append(f"  {item['file']}, ligne {item['line']} : {item['reason']}")
    if len(rejected) > SUMMARY_REJECTIONS:
        lines.append(f"  … et {len(rejected) - SUMMARY_REJECTIONS} autres (voir --report).")
    if not changed(report):
        lines.append(NOTHING_CHANGED)
    return lines
