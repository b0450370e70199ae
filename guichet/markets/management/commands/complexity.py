"""`python manage.py complexity --input FILE.csv --time COL --loc COL --prod COL --val COL
--out FILE.csv`: the complexity measures of MARKETS.md §1 on any long table (one row per
time × location × product), one output row per cell of the full grid."""

import time as clock

from django.core.management.base import BaseCommand, CommandError

from guichet.markets.complexity import OUTPUT_COLUMNS, ComplexityInputError, complexity_long_csv


class Command(BaseCommand):
    help = (
        "Calcule RCA, M, densité, ECI, PCI, COG, diversité et ubiquité d'une table longue "
        "(temps × origine × produit × valeur) et écrit la grille complète en CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="table longue CSV (avec en-tête)")
        parser.add_argument("--time", required=True, help="colonne du temps (année…)")
        parser.add_argument("--loc", required=True, help="colonne de l'origine (pays, région…)")
        parser.add_argument("--prod", required=True, help="colonne du produit (code SH…)")
        parser.add_argument("--val", required=True, help="colonne de la valeur (≥ 0)")
        parser.add_argument("--out", required=True, help="fichier CSV à écrire")

    def handle(self, *args, **options):
        notes: list[str] = []
        start = clock.perf_counter()
        try:
            rows = complexity_long_csv(
                options["input"],
                options["out"],
                time=options["time"],
                loc=options["loc"],
                prod=options["prod"],
                val=options["val"],
                notes=notes,
            )
        except ComplexityInputError as exc:
            raise CommandError(str(exc)) from None
        for note in notes:
            self.stderr.write(note)
        self.stdout.write(
            f"{rows} lignes écrites dans {options['out']} ({', '.join(OUTPUT_COLUMNS)}) "
            f"en {clock.perf_counter() - start:.1f} s."
        )
