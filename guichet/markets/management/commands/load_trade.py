"""`python manage.py load_trade --format baci|comtrade|customs-fr --path FILE [--countries FILE]
[--wet-run] [--report FILE]`

A dry run unless --wet-run: it prints the same counts and writes nothing (the rejection report
only when --report names a file).
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.markets.loaders import FORMATS, LoadError, load_trade
from guichet.markets.loaders.cli import TerminalProgress, summary_lines


class Command(BaseCommand):
    help = "Charge une année BACI, un fichier Comtrade ou les tableaux régionaux des douanes."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="fmt")
        parser.add_argument("--path", required=True, type=Path, metavar="FILE")
        parser.add_argument("--countries", type=Path, metavar="FILE", help="Table des pays BACI.")
        parser.add_argument("--wet-run", action="store_true", help="Écrire (sinon simulation).")
        parser.add_argument("--report", type=Path, metavar="FILE", help="Rapport des rejets.")

    def handle(self, *args, **options):
        if not options["wet_run"]:
            self.stdout.write("Simulation : rien ne sera écrit (ajoutez --wet-run pour écrire).")
        started = time.monotonic()
        try:
            outcome = load_trade(
                fmt=options["fmt"],
                path=options["path"],
                countries_path=options["countries"],
                wet_run=options["wet_run"],
                progress=TerminalProgress(self.stdout),
                report_to=options["report"] or ("auto" if options["wet_run"] else None),
            )
        except LoadError as error:
            raise CommandError(str(error)) from None
        for line in summary_lines(outcome, time.monotonic() - started):
            self.stdout.write(line)
