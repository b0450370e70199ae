"""`python manage.py load_macro --path FILE [--dry-run] [--report FILE]`:
GDP and population by country and year (or Gapminder).

Replaces the previous table unless the file is the same (then nothing is rewritten).
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.markets.loaders import LoadError, load_macro
from guichet.markets.loaders.cli import TerminalProgress, summary_lines


class Command(BaseCommand):
    help = "Charge un fichier PIB et population par pays et année (ou Gapminder)."

    def add_arguments(self, parser):
        parser.add_argument("--path", required=True, type=Path, metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Simulation : rien n'est écrit.")
        parser.add_argument("--report", type=Path, metavar="FILE", help="Rapport des rejets.")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            outcome = load_macro(
                path=options["path"],
                wet_run=not options["dry_run"],
                progress=TerminalProgress(self.stdout),
                report_to=options["report"] or ("auto" if not options["dry_run"] else None),
            )
        except LoadError as error:
            raise CommandError(str(error)) from None
        for line in summary_lines(outcome, time.monotonic() - started):
            self.stdout.write(line)
