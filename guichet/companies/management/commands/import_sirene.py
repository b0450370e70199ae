"""`python manage.py import_sirene --unites-legales PATH --etablissements PATH [--region CODE …]
[--departement CODE …] [--wet-run] [--report PATH]`

A dry run unless --wet-run: it prints what it would do (the same counts) and writes nothing.
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.companies.sirene import Progress, SireneFileError, run_import
from guichet.companies.sirene.report import summary_lines
from guichet.core.audit import acting_as

PRINT_INTERVAL = 0.5  # seconds between two progress lines


class Command(BaseCommand):
    help = "Importe les fichiers stock SIRENE de l'INSEE (simulation sans --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("--unites-legales", required=True, type=Path, metavar="PATH")
        parser.add_argument("--etablissements", required=True, type=Path, metavar="PATH")
        parser.add_argument("--region", action="append", default=[], metavar="CODE")
        parser.add_argument("--departement", action="append", default=[], metavar="CODE")
        parser.add_argument("--wet-run", action="store_true", help="Écrire en base.")
        parser.add_argument("--report", type=Path, metavar="PATH", help="Rapport JSON.")

    def handle(self, *args, **options):
        if not options["wet_run"]:
            self.stdout.write(
                "Simulation : rien ne sera écrit en base (ajoutez --wet-run pour écrire)."
            )
        printer = ProgressPrinter(self.stdout)
        try:
            with acting_as(None, path="import_sirene"):
                report = run_import(
                    unites_legales=options["unites_legales"],
                    etablissements=options["etablissements"],
                    regions=options["region"],
                    departements=options["departement"],
                    wet_run=options["wet_run"],
                    progress=printer,
                )
        except SireneFileError as error:
            raise CommandError(str(error)) from None
        finally:
            printer.close()
        if options["report"]:
            options["report"].write_text(
                json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        for line in summary_lines(report):
            self.stdout.write(line)
        if options["report"]:
            self.stdout.write(f"Rapport complet : {options['report']}")


class ProgressPrinter:
    """Progress on the terminal: one line rewritten in place (\\r) on a tty, otherwise plain
    lines, at most every PRINT_INTERVAL seconds."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.tty = getattr(stdout, "isatty", lambda: False)() or (
            stdout is sys.stdout and sys.stdout.isatty()
        )
        self.last = 0.0
        self.phase = ""
        self.dirty = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if progress.phase == self.phase and now - self.last < PRINT_INTERVAL:
            return
        self.last, self.phase = now, progress.phase
        eta = f", reste ~{progress.eta_seconds:.0f} s" if progress.eta_seconds is not None else ""
        text = (
            f"{progress.phase} : {progress.percent} % — {_number(progress.rows_read)} lignes, "
            f"{_number(progress.rows_per_second)} lignes/s{eta}"
        )
        if self.tty:
            self.stdout.write(f"\r{text:<110}", ending="")
            self.stdout.flush()
            self.dirty = True
        else:
            self.stdout.write(text)

    def close(self) -> None:
        if self.dirty:
            self.stdout.write("")


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")
